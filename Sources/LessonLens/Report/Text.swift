/// Small text helpers shared by every output format.
public enum Text {
    /// `s` as a JSON string literal, quotes included: `"`, `\\` and control
    /// characters escaped (`\n`, `\r`, `\t`, else `\u00XX`), the rest as is.
    public static func jsonString(_ s: String) -> String {
        written(RawTextWriter.jsonStringBound(s)) { $0.jsonString(s) }
    }

    /// A number for JSON and CSV at full precision (shortest text that reads
    /// back as the same Double); nil, NaN and infinity are `null`.
    public static func jsonNumber(_ d: Double?) -> String {
        written(RawTextWriter.jsonNumberBound) { $0.jsonNumber(d) }
    }

    /// The text a raw writer writes in at most `bound` bytes.
    static func written(_ bound: Int, _ body: (inout RawTextWriter) -> Void) -> String {
        String(unsafeUninitializedCapacity: bound) { buffer in
            var w = RawTextWriter(buffer.baseAddress!, capacity: buffer.count)
            body(&w)
            return w.count
        }
    }

    public static func jsonBool(_ b: Bool?) -> String {
        guard let b else { return "null" }
        return b ? "true" : "false"
    }

    /// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
    public static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A number rounded for people: `digits` after the point, `–` for nil.
    public static func rounded(_ d: Double?, digits: Int = 1) -> String {
        guard let d, d.isFinite else { return "–" }
        // Beyond 1e15 no digit after the point is exact anyway (and Int would overflow).
        guard d.magnitude < 1e15 else { return String(d) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (d * scale).rounded() / scale
        if digits == 0 { return String(Int(r)) }
        let whole = Int(r.magnitude)
        let frac = Int(((r.magnitude - Double(whole)) * scale).rounded())
        let fracText = String(frac)
        return (r < 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: max(0, digits - fracText.count)) + fracText
    }

    /// Columns a string takes in a terminal: East Asian wide characters take two.
    public static func displayWidth(_ s: String) -> Int {
        var w = 0
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (0x300...0x36F).contains(v) || v == 0x200B { continue }
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
                || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
                || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
                || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
                || (0x20000...0x3FFFD).contains(v)
            w += wide ? 2 : 1
        }
        return w
    }

    /// Pads `s` to `width` display columns.
    public static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - displayWidth(s)))
        return right ? fill + s : s + fill
    }
}

/// Rows of cells laid out in aligned columns for a terminal.
public struct TextTable {
    public var header: [String]
    public var rows: [[String]] = []
    /// Columns aligned to the right (numbers).
    public var rightAligned: Set<Int> = []

    public init(header: [String], rightAligned: Set<Int> = []) {
        self.header = header
        self.rightAligned = rightAligned
    }

    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The table as lines; `style` may color a cell (it gets the padded text).
    public func render(style: (_ row: Int, _ column: Int, _ padded: String) -> String = { _, _, s in s }) -> String {
        var widths = header.map(Text.displayWidth)
        for r in rows {
            for (c, cell) in r.enumerated() where c < widths.count { widths[c] = max(widths[c], Text.displayWidth(cell)) }
        }
        func line(_ cells: [String], _ row: Int) -> String {
            cells.enumerated().map { c, cell in
                let padded = Text.pad(cell, widths[c], right: rightAligned.contains(c))
                return row < 0 ? padded : style(row, c, padded)
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var out = line(header, -1) + "\n"
        out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for (k, r) in rows.enumerated() { out += line(r, k) + "\n" }
        return out
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

/// Writes text into memory reserved beforehand: raw stores, no growth, for
/// outputs written once per lesson of an archive. The caller reserves
/// enough (see the bound given with each method); every store checks the
/// room left before it writes, so a wrong bound traps instead of writing
/// past the memory.
struct RawTextWriter {
    let start: UnsafeMutablePointer<UInt8>
    let capacity: Int
    private(set) var count = 0

    init(_ start: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.start = start
        self.capacity = capacity
    }

    @inline(__always)
    private func room(_ n: Int) {
        precondition(n <= capacity - count, "RawTextWriter: a bound was too small")
    }

    /// 1 byte.
    @inline(__always)
    mutating func byte(_ b: UInt8) {
        room(1)
        start[count] = b
        count += 1
    }

    /// `s.utf8CodeUnitCount` bytes.
    @inline(__always)
    mutating func literal(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        room(n)
        (start + count).update(from: s.utf8Start, count: n)
        count += n
    }

    /// `s.utf8.count` bytes.
    @inline(__always)
    mutating func utf8(_ s: String) {
        var s = s
        s.withUTF8 { b in
            room(b.count)
            if let base = b.baseAddress { (start + count).update(from: base, count: b.count) }
            count += b.count
        }
    }

    /// At most 20 bytes.
    mutating func integer(_ v: Int) {
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
    mutating func digits(_ v: Int, width: Int) {
        var n = 1, rest = v
        while rest >= 10 { rest /= 10; n += 1 }
        for _ in n..<max(width, n) { byte(UInt8(ascii: "0")) }
        integer(v)
    }

    /// `s` as a JSON string literal (`Text.jsonString`), escaping byte by
    /// byte: only `"`, `\\` and control characters change. At most
    /// 6 × `s.utf8.count` + 2 bytes.
    mutating func jsonString(_ s: String) {
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

    static func jsonStringBound(_ s: String) -> Int { 6 * s.utf8.count + 2 }
    static let jsonNumberBound = 32

    /// A number at full precision (`Text.jsonNumber`): whole numbers below
    /// 1e15 as integers, others as Swift's shortest round-trip text; nil, NaN
    /// and infinity are `null`. At most `jsonNumberBound` bytes.
    mutating func jsonNumber(_ d: Double?) {
        guard let d, d.isFinite else { literal("null"); return }
        if d == d.rounded(), abs(d) < 1e15 { integer(Int(d)); return }
        utf8(String(d))
    }
}
