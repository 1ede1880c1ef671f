#if canImport(Glibc)
import Glibc
#endif

/// A class roster as schools keep it: CSV or tab-separated text (what
/// pasting cells from Excel gives), in UTF-8 (with or without a byte order
/// mark), UTF-16 with a byte order mark (Excel's "Unicode text") or
/// GB18030/GBK (Excel's "CSV (逗号分隔)" on Chinese Windows), with a header
/// in English or Chinese: `id` (学号, 编号), `tier` (层次, 分层, 层级), `name`
/// (姓名; shown on the capture page's seats, never written to a log), `class`
/// (班级; for rosters by class), `row` (行, 排) and `col` (列) placing the seat
/// in the room. One student per row. Tiers are written `top`/`middle`/`bottom`,
/// 上/中/下, 优/中/后 or A/B/C (`RosterCSV.tierSpellings`).
public struct RosterCSV: Sendable, Equatable {
    /// Column names as headers write them (lower case) → the column.
    public static let headerNames: [String: String] = [
        "id": "id", "学号": "id", "编号": "id",
        "name": "name", "姓名": "name",
        "tier": "tier", "层次": "tier", "分层": "tier", "层级": "tier",
        "class": "class", "班级": "class",
        "row": "row", "行": "row", "排": "row",
        "col": "col", "column": "col", "列": "col",
    ]

    /// How tiers are written → the tier (letters in any case).
    public static let tierSpellings: [String: Tier] = [
        "top": .top, "middle": .middle, "bottom": .bottom,
        "上": .top, "中": .middle, "下": .bottom,
        "优": .top, "后": .bottom,
        "a": .top, "b": .middle, "c": .bottom,
    ]

    /// The encoding the bytes were read in, when it was not UTF-8 (for a
    /// message saying so: a guess should be visible).
    public var encoding: String?
    /// One row: a student of the roster.
    public struct Entry: Sendable, Equatable {
        /// The class, with a `class` column.
        public var className: String?
        /// The student's id, as logs write it.
        public var id: String
        /// The tier; nil when the cell is empty.
        public var tier: Tier?
        /// A name for the capture page's seats (never written to a log).
        public var name: String?
        /// The seat's row in the room, from 1 (front), if given.
        public var row: Int?
        /// The seat's column, from 1 (left as the teacher faces the class), if given.
        public var col: Int?

        /// A student of the roster.
        public init(className: String? = nil, id: String, tier: Tier?, name: String? = nil, row: Int? = nil, col: Int? = nil) {
            self.className = className
            self.id = id
            self.tier = tier
            self.name = name
            self.row = row
            self.col = col
        }
    }

    /// A row that cannot be used: its line number (from 1, the header is 1)
    /// and why.
    public struct RowError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The line in the file, from 1 (the header is 1).
        public var line: Int
        /// Why, as a template and its values.
        public var why: Reason
        /// A problem on `line` that `template` says.
        public init(line: Int, _ template: Reason.Template, _ values: Reason.Value...) {
            self.line = line
            self.why = Reason(template: template, values: values)
        }
        /// Why, in English.
        public var reason: String { why.description }
        /// `line N: reason` in English.
        public var description: String { "line \(line): \(reason)" }
    }

    /// The students in file order.
    public var entries: [Entry] = []
    /// Whether the file has a `class` column (rosters by class).
    public var hasClassColumn = false

    /// Reads a file's bytes: the encoding found from them (a byte order
    /// mark, valid UTF-8, else GB18030), then the text as `init(_:)` does.
    public init(bytes: [UInt8]) throws(RowError) {
        let (text, encoding) = RosterCSV.decode(bytes)
        try self.init(text)
        self.encoding = encoding
    }

    /// The text of `bytes` and, when it was not UTF-8, the encoding used.
    public static func decode(_ bytes: [UInt8]) -> (String, String?) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (String(decoding: bytes.dropFirst(3), as: UTF8.self), nil) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            let units = stride(from: 2, to: bytes.count - 1, by: 2).map { k in
                little ? UInt16(bytes[k]) | UInt16(bytes[k + 1]) << 8 : UInt16(bytes[k]) << 8 | UInt16(bytes[k + 1])
            }
            return (String(decoding: units, as: UTF16.self), little ? "UTF-16LE" : "UTF-16BE")
        }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, nil) }
        if let text = gb18030(bytes) { return (text, "GB18030") }
        return (String(decoding: bytes, as: UTF8.self), nil)
    }

    /// GB18030 (a superset of GBK and GB2312) through the C library's iconv.
    static func gb18030(_ bytes: [UInt8]) -> String? {
        let cd = iconv_open("UTF-8", "GB18030")
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 4)
        let ok = input.withUnsafeMutableBufferPointer { inBuf -> Int? in
            output.withUnsafeMutableBufferPointer { outBuf -> Int? in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                var inLeft = inBuf.count, outLeft = outBuf.count
                guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1, inLeft == 0 else { return nil }
                return outBuf.count - outLeft
            }
        }
        guard let n = ok else { return nil }
        return String(validating: output[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Parses `text`. Fields are separated by commas (or tabs, when the header
    /// has a tab) and may be quoted with `"` (a quote inside doubled); blank
    /// lines are skipped. Ids must be unique (within a class when there is a
    /// class column); a tier is one of `tierSpellings` or empty; `row` and
    /// `col` whole numbers from 1.
    public init(_ text: String) throws(RowError) {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { String($0).trimmingSuffixCR() }
        while let last = lines.last, last.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeLast() }
        guard let headerLine = lines.first else { throw RowError(line: 1, .rosterEmpty) }
        let separator: Character = headerLine.contains("\t") ? "\t" : ","
        let written = Self.fields(headerLine, separator).map { $0.trimmingSpaces() }
        var header: [String] = []
        for (k, column) in written.enumerated() {
            guard let known = Self.headerNames[column.lowercased()] else {
                throw RowError(line: 1, .rosterUnknownColumn, "\(column)", "\(k + 1)")
            }
            header.append(known)
        }
        guard let idColumn = header.firstIndex(of: "id") else {
            throw RowError(line: 1, .rosterNoIDColumn, "\(headerLine)")
        }
        let tierColumn = header.firstIndex(of: "tier"), nameColumn = header.firstIndex(of: "name")
        let classColumn = header.firstIndex(of: "class")
        let rowColumn = header.firstIndex(of: "row"), colColumn = header.firstIndex(of: "col")
        hasClassColumn = classColumn != nil
        var seen = Set<ScalarIdentity>()
        var seatsTaken: [String: String] = [:]  // "class\u{0}row,col" → the id sitting there
        for (k, line) in lines.enumerated().dropFirst() {
            let number = k + 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            var f = Self.fields(line, separator).map { $0.trimmingSpaces() }
            // Spreadsheets drop empty cells at the end of a row.
            while f.count < header.count && separator == "\t" { f.append("") }
            guard f.count == header.count else {
                throw RowError(line: number, .rosterFieldCount, "\(f.count)", "\(header.count)")
            }
            let id = f[idColumn]
            guard !id.isEmpty else { throw RowError(line: number, .rosterEmptyID) }
            var tier: Tier?
            if let tierColumn, !f[tierColumn].isEmpty {
                guard let t = Self.tierSpellings[f[tierColumn].lowercased()] else {
                    throw RowError(line: number, .rosterUnknownTier, "\(f[tierColumn])")
                }
                tier = t
            }
            func seat(_ column: Int?, _ what: String) throws(RowError) -> Int? {
                guard let column, !f[column].isEmpty else { return nil }
                guard let v = Int(f[column]), v >= 1, v <= 99 else { throw RowError(line: number, .rosterBadSeat, "\(what)", "\(f[column])") }
                return v
            }
            let row = try seat(rowColumn, "row"), col = try seat(colColumn, "col")
            let className = classColumn.map { f[$0] }
            if classColumn != nil && (className ?? "").isEmpty { throw RowError(line: number, .rosterEmptyClass) }
            // Ids compare by their Unicode scalars, as everywhere in LessonLens.
            let key = (className ?? "") + "\u{0}" + id
            guard seen.insert(ScalarIdentity(key)).inserted else {
                if let className { throw RowError(line: number, .rosterDuplicateInClass, "\(id)", "\(className)") }
                throw RowError(line: number, .rosterDuplicate, "\(id)")
            }
            if let row, let col {
                let place = (className ?? "") + "\u{0}\(row),\(col)"
                if let other = seatsTaken[place] { throw RowError(line: number, .rosterSeatTaken, "\(row)", "\(col)", "\(other)") }
                seatsTaken[place] = id
            }
            entries.append(Entry(className: className, id: id, tier: tier, name: nameColumn.map { f[$0] }.flatMap { $0.isEmpty ? nil : $0 },
                                 row: row, col: col))
        }
    }

    /// The roster of one class (all entries without a class column).
    public func students(ofClass name: String?) -> [Student] {
        entries.filter { !hasClassColumn || ($0.className.map(ScalarIdentity.init) == name.map(ScalarIdentity.init)) }
            .map { Student(id: $0.id, tier: $0.tier) }
    }

    private static func fields(_ line: String, _ separator: Character) -> [String] {
        var out: [String] = [], field = "", quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == separator {
                out.append(field); field = ""
            } else {
                field.append(c)
            }
        }
        out.append(field)
        return out
    }
}

extension String {
    fileprivate func trimmingSuffixCR() -> String { hasSuffix("\r") ? String(dropLast()) : self }
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
