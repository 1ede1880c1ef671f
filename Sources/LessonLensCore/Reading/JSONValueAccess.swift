import Foundation

/// Read access to a parsed document: a tape plus the bytes it points into.
/// Valid only while those bytes are.
package struct JSONView {
    /// The tape's entries (valid until the tape parses again).
    package let entries: UnsafeBufferPointer<JSONTape.Entry>
    /// The document the entries point into.
    package let bytes: UnsafeBufferPointer<UInt8>

    package init(tape: JSONTape, bytes: UnsafeBufferPointer<UInt8>) {
        self.entries = tape.entries
        self.bytes = bytes
    }

    /// What entry `i` is.
    @inline(__always) package func kind(_ i: Int) -> JSONTape.Kind { entries[i].kind }

    @inline(__always) func next(after i: Int) -> Int {
        let e = entries[i]
        return e.kind == .object || e.kind == .array ? Int(e.end) : i + 1
    }

    /// Calls `body(keyIndex, valueIndex)` for each member of the object at `i`.
    @inline(__always)
    package func forEachMember<E: Error>(ofObject i: Int, _ body: (Int, Int) throws(E) -> Void) throws(E) {
        var k = i + 1
        let end = Int(entries[i].end)
        while k < end {
            try body(k, k + 1)
            k = next(after: k + 1)
        }
    }

    /// Calls `body(position, valueIndex)` for each element of the array at `i`.
    @inline(__always)
    package func forEachElement<E: Error>(ofArray i: Int, _ body: (Int, Int) throws(E) -> Void) throws(E) {
        var k = i + 1
        var position = 0
        let end = Int(entries[i].end)
        while k < end {
            try body(position, k)
            position += 1
            k = next(after: k)
        }
    }

    package func count(_ i: Int) -> Int { Int(entries[i].start) }

    /// Whether the string at `i` equals `literal` (an ASCII key). Compares
    /// bytes without making a String.
    @inline(__always)
    package func stringEquals(_ i: Int, _ literal: StaticString) -> Bool {
        let e = entries[i]
        if e.escaped { return string(i) == literal.description }
        let len = Int(e.end - e.start)
        return len == literal.utf8CodeUnitCount && memcmp(bytes.baseAddress! + Int(e.start), literal.utf8Start, len) == 0
    }

    /// Raw bytes of the string at `i` when it has no escapes.
    @inline(__always)
    package func rawBytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let e = entries[i]
        return UnsafeBufferPointer(rebasing: bytes[Int(e.start)..<Int(e.end)])
    }

    /// The decoded string at `i` (escapes resolved). The parser has already
    /// validated UTF-8 and every escape.
    package func string(_ i: Int) -> String {
        let e = entries[i]
        let raw = rawBytes(i)
        if !e.escaped { return String(decoding: raw, as: UTF8.self) }
        return JSONView.unescape(raw)
    }

    /// The string whose bytes between the quotes are `raw`, escapes resolved;
    /// `raw` must have passed the tape's checks (`JSONTape.escapeLength` for
    /// each escape, UTF-8 validated). Shared by the tape and `LessonScanner`.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var j = 0
        let n = raw.count
        while j < n {
            let b = raw[j]
            if b != UInt8(ascii: "\\") { out.append(b); j += 1; continue }
            let c = raw[j + 1]
            switch c {
            case UInt8(ascii: "b"): out.append(0x08); j += 2
            case UInt8(ascii: "f"): out.append(0x0C); j += 2
            case UInt8(ascii: "n"): out.append(0x0A); j += 2
            case UInt8(ascii: "r"): out.append(0x0D); j += 2
            case UInt8(ascii: "t"): out.append(0x09); j += 2
            case UInt8(ascii: "u"):
                var scalar = JSONTape.hex4(raw.baseAddress!, n, j + 2)!
                j += 6
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    let low = JSONTape.hex4(raw.baseAddress!, n, j + 2)!
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    j += 6
                }
                let s = Unicode.Scalar(scalar)!
                out.append(contentsOf: UTF8.encode(s)!)
            default: out.append(c); j += 2 // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The number at `i` as a Double. Exact for integers up to 2^53 and for
    /// decimals with up to 15 significant digits and small exponents (the
    /// Clinger fast path); strtod otherwise. Overflow gives ±infinity.
    package func double(_ i: Int) -> Double {
        let e = entries[i]
        return JSONView.numberValue(bytes.baseAddress! + Int(e.start), Int(e.end - e.start))
    }

    /// The value of the JSON number of `len` bytes at `p` (grammar already
    /// checked); shared by the tape and `LessonScanner`, so both give the
    /// same bits.
    static func numberValue(_ p: UnsafePointer<UInt8>, _ len: Int) -> Double {
        var j = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") { negative = true; j = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        while j < len, p[j] &- 0x30 < 10 {
            mantissa = mantissa &* 10 &+ UInt64(p[j] - 0x30); digits += 1; j += 1
        }
        if j < len, p[j] == UInt8(ascii: ".") {
            j += 1
            while j < len, p[j] &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(p[j] - 0x30); digits += 1; fractionDigits += 1; j += 1
            }
        }
        if j == len && digits <= 15 && fractionDigits <= 22 {
            var v = Double(mantissa)
            if fractionDigits > 0 { v /= JSONView.powerOfTen(fractionDigits) }
            return negative ? -v : v
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: len + 1) { buf in
            for k in 0..<len { buf[k] = CChar(bitPattern: p[k]) }
            buf[len] = 0
            return strtod(buf.baseAddress!, nil)
        }
    }

    /// 10^k for 0 <= k <= 22, all exact in a Double. Computed, not a shared
    /// array: worker threads would contend on the array's reference count.
    @inline(__always)
    static func powerOfTen(_ k: Int) -> Double {
        var v = 1.0
        for _ in 0..<k { v *= 10 }
        return v
    }
}
