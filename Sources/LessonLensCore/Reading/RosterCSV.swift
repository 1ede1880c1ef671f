/// A class roster as CSV: a header naming the columns `id` and `tier`, and
/// optionally `name` (shown on the capture page's seats, never written to a
/// log) and `class` (for rosters by class). One student per row.
public struct RosterCSV: Sendable, Equatable {
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

    /// Parses `text`. Fields are separated by commas and may be quoted with
    /// `"` (a quote inside doubled); blank lines are skipped. Ids must be
    /// unique (within a class when there is a class column); a tier is
    /// `top`, `middle`, `bottom` or empty.
    public init(_ text: String) throws(RowError) {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { String($0).trimmingSuffixCR() }
        while let last = lines.last, last.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeLast() }
        guard let headerLine = lines.first else { throw RowError(line: 1, .rosterEmpty) }
        let header = Self.fields(headerLine).map { $0.trimmingSpaces().lowercased() }
        guard let idColumn = header.firstIndex(of: "id") else {
            throw RowError(line: 1, .rosterNoIDColumn, "\(headerLine)")
        }
        let tierColumn = header.firstIndex(of: "tier"), nameColumn = header.firstIndex(of: "name")
        let classColumn = header.firstIndex(of: "class")
        hasClassColumn = classColumn != nil
        for (k, column) in header.enumerated() where !["id", "tier", "name", "class"].contains(column) {
            throw RowError(line: 1, .rosterUnknownColumn, "\(column)", "\(k + 1)")
        }
        var seen = Set<ScalarIdentity>()
        for (k, line) in lines.enumerated().dropFirst() {
            let number = k + 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let f = Self.fields(line).map { $0.trimmingSpaces() }
            guard f.count == header.count else {
                throw RowError(line: number, .rosterFieldCount, "\(f.count)", "\(header.count)")
            }
            let id = f[idColumn]
            guard !id.isEmpty else { throw RowError(line: number, .rosterEmptyID) }
            var tier: Tier?
            if let tierColumn, !f[tierColumn].isEmpty {
                guard let t = Tier(rawValue: f[tierColumn]) else {
                    throw RowError(line: number, .rosterUnknownTier, "\(f[tierColumn])")
                }
                tier = t
            }
            let className = classColumn.map { f[$0] }
            if classColumn != nil && (className ?? "").isEmpty { throw RowError(line: number, .rosterEmptyClass) }
            // Ids compare by their Unicode scalars, as everywhere in LessonLens.
            let key = (className ?? "") + "\u{0}" + id
            guard seen.insert(ScalarIdentity(key)).inserted else {
                if let className { throw RowError(line: number, .rosterDuplicateInClass, "\(id)", "\(className)") }
                throw RowError(line: number, .rosterDuplicate, "\(id)")
            }
            entries.append(Entry(className: className, id: id, tier: tier, name: nameColumn.map { f[$0] }.flatMap { $0.isEmpty ? nil : $0 }))
        }
    }

    /// The roster of one class (all entries without a class column).
    public func students(ofClass name: String?) -> [Student] {
        entries.filter { !hasClassColumn || ($0.className.map(ScalarIdentity.init) == name.map(ScalarIdentity.init)) }
            .map { Student(id: $0.id, tier: $0.tier) }
    }

    private static func fields(_ line: String) -> [String] {
        var out: [String] = [], field = "", quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
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
