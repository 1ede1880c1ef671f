/// Writes text into memory reserved beforehand: raw stores, no growth, for
/// outputs written once per lesson of an archive. The caller reserves
/// enough (see the bound given with each method); every store checks the
/// room left before it writes, so a wrong bound traps instead of writing
/// past the memory.
package struct RawTextWriter {
    @usableFromInline package let start: UnsafeMutablePointer<UInt8>
    @usableFromInline package let capacity: Int
    @usableFromInline package private(set) var count = 0

    @inlinable package init(_ start: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.start = start
        self.capacity = capacity
    }

    @inlinable
    package func room(_ n: Int) {
        precondition(n <= capacity - count, "RawTextWriter: a bound was too small")
    }

    /// 1 byte.
    @inlinable
    package mutating func byte(_ b: UInt8) {
        room(1)
        start[count] = b
        count += 1
    }

    /// `s.utf8CodeUnitCount` bytes.
    @inlinable
    package mutating func literal(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        room(n)
        (start + count).update(from: s.utf8Start, count: n)
        count += n
    }

    /// `s.utf8.count` bytes.
    @inlinable
    package mutating func utf8(_ s: String) {
        var s = s
        s.withUTF8 { bytes($0) }
    }

    /// `b.count` bytes.
    @inlinable
    package mutating func bytes(_ b: UnsafeBufferPointer<UInt8>) {
        room(b.count)
        if let base = b.baseAddress { (start + count).update(from: base, count: b.count) }
        count += b.count
    }

    /// At most 20 bytes.
    @inlinable
    package mutating func integer(_ v: Int) {
        var m = v.magnitude
        var digits = 0, rest = m
        repeat { digits += 1; rest /= 10 } while rest > 0
        room(digits + (v < 0 ? 1 : 0))
        if v < 0 { byte(UInt8(ascii: "-")) }
        var k = count + digits - 1
        repeat {
            start[k] = UInt8(truncatingIfNeeded: m % 10) + 0x30
            m /= 10
            k -= 1
        } while m > 0
        count += digits
    }

    /// `v` (>= 0) zero-padded to `width` digits, as in dates. At most max(width, 20) bytes.
    @inlinable
    package mutating func digits(_ v: Int, width: Int) {
        var n = 1, rest = v
        while rest >= 10 { rest /= 10; n += 1 }
        for _ in n..<max(width, n) { byte(UInt8(ascii: "0")) }
        integer(v)
    }

    /// `s` as a JSON string literal (`Text.jsonString`), escaping byte by
    /// byte: only `"`, `\\` and control characters change. At most
    /// 6 × `s.utf8.count` + 2 bytes.
    @inlinable
    package mutating func jsonString(_ s: String) {
        byte(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte(UInt8(ascii: "\\")); byte(b)
            case 0x0A: byte(UInt8(ascii: "\\")); byte(UInt8(ascii: "n"))
            case 0x0D: byte(UInt8(ascii: "\\")); byte(UInt8(ascii: "r"))
            case 0x09: byte(UInt8(ascii: "\\")); byte(UInt8(ascii: "t"))
            case 0..<0x20:
                literal("\\u00")
                byte(b >> 4 < 10 ? 0x30 + b >> 4 : 0x57 + b >> 4)
                byte(b & 15 < 10 ? 0x30 + b & 15 : 0x57 + b & 15)
            default: byte(b)
            }
        }
        byte(UInt8(ascii: "\""))
    }

    @inlinable package static func jsonStringBound(_ s: String) -> Int { 6 * s.utf8.count + 2 }
    package static let jsonNumberBound = 32

    /// A number at full precision (`Text.jsonNumber`): whole numbers below
    /// 1e15 as integers, others as Swift's shortest round-trip text; nil, NaN
    /// and infinity are `null`. At most `jsonNumberBound` bytes.
    @inlinable
    package mutating func jsonNumber(_ d: Double?) {
        guard let d, d.isFinite else { literal("null"); return }
        if d == d.rounded(), abs(d) < 1e15 { integer(Int(d)); return }
        if let text = sixtieths.text(of: d) { bytes(text); return }
        utf8(String(d))
    }
}

/// The shortest round-trip text of `k / 60` for each whole number of seconds
/// `k` of a lesson's span, made once: minutes are most of the numbers a
/// metrics table prints, and Swift's shortest-digits conversion of each,
/// with a String made per number, was the largest cost of writing them.
/// `@unchecked Sendable`: the table is written only in `init`, then read.
@usableFromInline
package final class SixtiethsText: @unchecked Sendable {
    @usableFromInline static let stride = 24
    @usableFromInline static let limit = 6000
    /// `limit` entries of `stride` bytes: a length byte, then the text.
    @usableFromInline let table: UnsafeMutablePointer<UInt8>

    init() {
        table = .allocate(capacity: SixtiethsText.limit * SixtiethsText.stride)
        for k in 0..<SixtiethsText.limit {
            let text = Array(String(Double(k) / 60).utf8)
            precondition(text.count < SixtiethsText.stride)
            let entry = table + k * SixtiethsText.stride
            entry[0] = UInt8(text.count)
            (entry + 1).initialize(from: text, count: text.count)
        }
    }

    /// The text of `d` (>= 0) when it is `k / 60` for a whole `k` below
    /// `limit` (exactly that Double: so the same text as `String(d)`).
    @inlinable
    package func text(of d: Double) -> UnsafeBufferPointer<UInt8>? {
        let x = d * 60
        guard x >= 0, x < Double(SixtiethsText.limit) else { return nil }
        let k = Int(x.rounded())
        guard k < SixtiethsText.limit, Double(k) / 60 == d else { return nil }
        let entry = table + k * SixtiethsText.stride
        return UnsafeBufferPointer(start: entry + 1, count: Int(entry[0]))
    }
}

/// Never freed: one table for the process (144 KB).
@usableFromInline package let sixtieths = SixtiethsText()
