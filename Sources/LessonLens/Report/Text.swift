/// Small text helpers shared by every output format.
public enum Text {
    /// `s` as a JSON string literal, quotes included.
    public static func jsonString(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }

    /// A number for JSON and CSV at full precision (shortest text that reads
    /// back as the same Double); nil, NaN and infinity are `null`.
    public static func jsonNumber(_ d: Double?) -> String {
        guard let d, d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return String(d)
    }

    /// Appends `s` as a JSON string literal (the same text as `jsonString`),
    /// byte by byte: only `"`, `\\` and control characters change.
    public static func appendJSONString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
            case UInt8(ascii: "\\"): out.append(b); out.append(b)
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                appendLiteral("\\u00", to: &out)
                out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends the bytes of `s` (one copy: `append(contentsOf: s.utf8)` goes
    /// through a slow generic path).
    @inline(__always)
    public static func appendUTF8(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { out.append(contentsOf: $0) }
    }

    @inline(__always)
    public static func appendLiteral(_ s: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Appends `jsonNumber(d)`; whole numbers without making a String.
    public static func appendJSONNumber(_ d: Double?, to out: inout [UInt8]) {
        guard let d, d.isFinite else { appendLiteral("null", to: &out); return }
        if d == d.rounded(), abs(d) < 1e15 { appendInteger(Int(d), to: &out); return }
        appendUTF8(String(d), to: &out)
    }

    /// Appends `v` (>= 0) zero-padded to `width` digits, as in dates.
    public static func appendDigits(_ v: Int, width: Int, to out: inout [UInt8]) {
        var digits = 1, t = v
        while t >= 10 { t /= 10; digits += 1 }
        for _ in digits..<max(width, digits) { out.append(UInt8(ascii: "0")) }
        appendInteger(v, to: &out)
    }

    /// Appends the decimal digits of `v`.
    public static func appendInteger(_ v: Int, to out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        var m = v.magnitude
        var digits: (UInt64, Int) = (0, 0)  // reversed digits, 4 bits each (up to 16 digits)
        repeat {
            digits.0 = digits.0 << 4 | UInt64(m % 10)
            digits.1 += 1
            m /= 10
        } while m > 0 && digits.1 < 16
        if m > 0 { appendUTF8(String(v.magnitude), to: &out); return }  // beyond 16 digits: rare
        for _ in 0..<digits.1 {
            out.append(UInt8(ascii: "0") + UInt8(digits.0 & 15))
            digits.0 >>= 4
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
