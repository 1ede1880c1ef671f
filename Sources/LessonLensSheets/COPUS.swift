import LessonLensCore
import LessonLensOutput

/// A COPUS coding sheet (Smith et al. 2013, the official electronic
/// template or a sheet like it) as one lesson. The codes sit in one header
/// row, found by its cells; each row below is one interval; a non-empty cell
/// (other than 0 or FALSE) means the code happened in that interval. Each code's run of consecutive
/// intervals becomes one segment `[k w, (k + n) w)`. The mapping is lossy:
/// COPUS has no reading aloud or copying, and L, MG and 1o1 add no segment.
public enum COPUS {
    /// Who a code is about.
    public enum Group: String, Sendable { case student, instructor }

    /// The student codes, in the template's order.
    public static let studentCodes = ["L", "Ind", "CG", "WG", "OG", "AnQ", "SQ", "WC", "Prd", "SP", "TQ", "W", "O"]
    /// The instructor codes, in the template's order.
    public static let instructorCodes = ["Lec", "RtW", "FUp", "PQ", "CQ", "AnQ", "MG", "1o1", "D/V", "Adm", "W", "O"]

    /// Other tools' spellings (lower case) → the code, and its group when the
    /// spelling says it.
    static let spellings: [String: (String, Group?)] = {
        var out: [String: (String, Group?)] = [:]
        for c in studentCodes { out[c.lowercased()] = (c, studentCodes.contains(c) && instructorCodes.contains(c) ? nil : .student) }
        for c in instructorCodes where out[c.lowercased()] == nil { out[c.lowercased()] = (c, .instructor) }
        out["tanq"] = ("AnQ", .instructor); out["sanq"] = ("AnQ", .student)
        out["ooo"] = ("1o1", .instructor); out["1on1"] = ("1o1", .instructor); out["dv"] = ("D/V", .instructor)
        out["t/q"] = ("TQ", .student); out["other"] = ("O", nil)
        return out
    }()

    /// The segment kind a code becomes, or nil for the codes that add none.
    public static func kind(_ code: String, _ group: Group) -> SegmentKind? {
        switch (group, code) {
        case (.instructor, "Lec"), (.instructor, "RtW"), (.instructor, "D/V"): return .lecture
        case (.instructor, "FUp"), (.instructor, "PQ"), (.instructor, "CQ"), (_, "AnQ"), (.student, "SQ"), (.student, "WC"): return .discussion
        case (.student, "CG"), (.student, "WG"), (.student, "OG"): return .group
        case (.student, "Ind"), (.student, "Prd"), (.student, "SP"): return .activity
        case (.student, "TQ"): return .homework
        case (.instructor, "Adm"), (_, "W"): return .transition
        case (_, "O"): return .other
        default: return nil
        }
    }

    /// One code column of the sheet.
    public struct CodeColumn: Sendable, Equatable {
        /// The column, from 0.
        public var column: Int
        /// The code, normalised (`D/V`, `1o1`, `AnQ`).
        public var code: String
        /// Student or instructor.
        public var group: Group
    }

    /// What a sheet gave: the lesson's segments and how many intervals it had.
    public struct Coding: Sendable {
        /// The sheet's name.
        public var sheet: String
        /// The code columns found.
        public var columns: [CodeColumn]
        /// Intervals coded (the last marked row's interval + 1).
        public var intervals: Int
        /// Each code's marked intervals (from 0), by column.
        public var marks: [Int: [Int]]
        /// Segments, by start then column.
        public var segments: [Segment]
    }

    /// Reads the first table with a row of COPUS codes (at least five).
    public static func read(_ tables: [SheetTables.Table], intervalMin: Double) throws(SheetIssue) -> Coding {
        for table in tables {
            for (k, row) in table.rows.prefix(30).enumerated() {
                let known = row.enumerated().compactMap { c, cell in spellings[Cells.trimmed(cell).lowercased()].map { (c, $0) } }
                guard known.count >= 5 else { continue }
                return try coding(table, headerRow: k, known: known, intervalMin: intervalMin)
            }
        }
        throw SheetIssue(sheet: tables.first?.name ?? "", row: 0, column: nil,
                         en: "no row of COPUS codes (L, Ind, CG, … and Lec, RtW, FUp, …) in the first 30 rows of any sheet",
                         zh: "任何工作表的前 30 行里都没有 COPUS 代码行（L、Ind、CG……Lec、RtW、FUp……）")
    }

    static func coding(_ table: SheetTables.Table, headerRow: Int, known: [(Int, (String, Group?))], intervalMin: Double) throws(SheetIssue) -> Coding {
        // A row above naming the groups ("Students are doing", "Instructor
        // is doing", merged across their codes) decides codes both groups
        // have; else the nearest code of one group to the left does, then
        // the template's order (students first).
        // Only the nearest such row: a line above it ("Instructor: Smith")
        // is about the lesson, not the columns.
        var labels: [(Int, Group)] = []
        for row in table.rows[max(0, headerRow - 3)..<headerRow].reversed() where labels.isEmpty {
            for (c, cell) in row.enumerated() {
                let t = cell.lowercased()
                if t.contains("student") || t.contains("学生") { labels.append((c, .student)) }
                if t.contains("instructor") || t.contains("teacher") || t.contains("教师") || t.contains("老师") { labels.append((c, .instructor)) }
            }
        }
        labels.sort { $0.0 < $1.0 }
        var columns: [CodeColumn] = [], current: Group = .student
        for (c, (code, given)) in known {
            let group = given ?? labels.last(where: { $0.0 <= c })?.1 ?? current
            columns.append(CodeColumn(column: c, code: code, group: group))
            current = group
        }
        let codeColumns = Set(columns.map(\.column))
        // The intervals: the rows below the header, up to a totals row.
        var marks: [Int: [Int]] = [:], intervals = 0
        for (k, row) in table.rows.enumerated().dropFirst(headerRow + 1) {
            let label = row.enumerated().filter { !codeColumns.contains($0.offset) }.map { Cells.trimmed($0.element).lowercased() }
            if label.contains(where: { $0.hasPrefix("total") || $0.hasPrefix("sum") || $0.hasPrefix("合计") || $0.hasPrefix("总计") || $0 == "%" }) { break }
            let interval = k - headerRow - 1
            for column in columns where column.column < row.count && Self.isMark(row[column.column]) {
                marks[column.column, default: []].append(interval)
                intervals = interval + 1
            }
        }
        guard intervals > 0 else {
            throw SheetIssue(sheet: table.name, row: headerRow + 1, column: nil, en: "no interval below the codes is marked",
                             zh: "代码行下面没有任何时段被标记")
        }
        let width = intervalMin * 60
        var segments: [(Int, Segment)] = []
        for column in columns {
            guard let kind = kind(column.code, column.group), let marked = marks[column.column] else { continue }
            var k = 0
            while k < marked.count {
                var end = k
                while end + 1 < marked.count && marked[end + 1] == marked[end] + 1 { end += 1 }
                segments.append((column.column, Segment(start: Double(marked[k]) * width, end: Double(marked[end] + 1) * width, kind: kind,
                                                        notes: "COPUS \(column.group.rawValue) \(column.code)")))
                k = end + 1
            }
        }
        segments.sort { ($0.1.start, $0.0) < ($1.1.start, $1.0) }
        return Coding(sheet: table.name, columns: columns, intervals: intervals, marks: marks, segments: segments.map(\.1))
    }

    /// A cell that marks its interval: anything but empty, 0 or FALSE (sheets
    /// coded 1/0 mean 0 as "did not happen").
    static func isMark(_ cell: String) -> Bool {
        let t = Cells.trimmed(cell).lowercased()
        return !(t.isEmpty || t == "0" || t == "0.0" || t == "false" || t == "否")
    }

    /// The coded lesson with `metadata` (teacher, date, subject and grade
    /// required; id defaults to `defaultID`); `duration_min` = intervals ×
    /// interval unless set. Tagged `copus`.
    public static func lesson(_ coding: Coding, intervalMin: Double, metadata: ImportMetadata, defaultID: String) throws(SheetIssue) -> Lesson {
        guard let lesson = metadata.lesson(id: defaultID, date: nil, durationMin: Double(coding.intervals) * intervalMin,
                                           segments: coding.segments, performances: [], tags: ["copus"]) else {
            throw SheetIssue(sheet: coding.sheet, row: 0, column: nil, en: "--set must give teacher, date, subject and grade",
                             zh: "--set 须给出 teacher、date、subject、grade")
        }
        if let problem = ImportMetadata.check(lesson) {
            throw SheetIssue(sheet: coding.sheet, row: 0, column: nil, en: "\(problem.field): \(problem.reason)", zh: "\(problem.field)：\(Messages(.zh)(problem.why))")
        }
        return lesson
    }
}
