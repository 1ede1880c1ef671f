import LessonLensCore
import LessonLensStatistics

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

    /// `true`, `false` or `null`.
    public static func jsonBool(_ b: Bool?) -> String {
        guard let b else { return "null" }
        return b ? "true" : "false"
    }

    /// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
    public static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A p value for people: 3 digits, `< 0.001` below that (never 0.000), `–` for nil.
    public static func pValue(_ p: Double?) -> String {
        guard let p, p.isFinite else { return "–" }
        return p < 0.001 ? "< 0.001" : rounded(p, digits: 3)
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
    /// The column headers.
    public var header: [String]
    /// The rows' cells.
    public var rows: [[String]] = []
    /// Columns aligned to the right (numbers).
    public var rightAligned: Set<Int> = []

    /// An empty table with `header`.
    public init(header: [String], rightAligned: Set<Int> = []) {
        self.header = header
        self.rightAligned = rightAligned
    }

    /// Adds a row.
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
