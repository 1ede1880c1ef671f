import Foundation
import LessonLensCore
import LessonLensOutput

/// The school's own record sheet (听课记录表) as a workbook: four sheets,
/// `课堂`/`lessons` (one row a lesson), `环节`/`segments`, `展示`/`performances`
/// and `学生`/`students` (rosters by class), headers in Chinese or English.
/// `template` writes it empty, `export` filled from lessons, `read` turns a
/// filled one (or a folder of the same sheets as CSV) back into lessons.
public enum LessonSheets {
    /// One column of a sheet: its key, its headers in both languages, and the
    /// other spellings a hand-made sheet may use.
    struct Column {
        var key: String
        var en: String
        var zh: String
        var also: [String] = []
    }

    /// One sheet: its names and columns.
    struct Kind {
        var key: String
        var en: String
        var zh: String
        var columns: [Column]
        var noteEN: String
        var noteZH: String
        /// The column that starts a header row.
        var anchor: String
    }

    static let lessons = Kind(key: "lessons", en: "lessons", zh: "课堂", columns: [
        Column(key: "id", en: "id", zh: "编号", also: ["lesson", "lesson id", "课堂编号", "课号"]),
        Column(key: "date", en: "date", zh: "日期", also: ["听课日期"]),
        Column(key: "teacher", en: "teacher", zh: "教师", also: ["执教", "执教教师", "授课教师", "老师"]),
        Column(key: "subject", en: "subject", zh: "学科", also: ["科目"]),
        Column(key: "grade", en: "grade", zh: "年级"),
        Column(key: "class", en: "class", zh: "班级"),
        Column(key: "school", en: "school", zh: "学校"),
        Column(key: "observer", en: "observer", zh: "听课人", also: ["听课教师", "观察者"]),
        Column(key: "period", en: "period", zh: "节次", also: ["第几节"]),
        Column(key: "duration_min", en: "duration_min", zh: "时长（分钟）", also: ["duration", "时长", "课时长"]),
        Column(key: "enrolled", en: "enrolled", zh: "应到", also: ["应到人数", "班级人数"]),
        Column(key: "present", en: "present", zh: "实到", also: ["实到人数"]),
        Column(key: "homework_assigned", en: "homework_assigned", zh: "作业人数", also: ["布置人数"]),
        Column(key: "homework_completed", en: "homework_completed", zh: "当堂完成", also: ["完成人数"]),
        Column(key: "homework_correct", en: "homework_correct", zh: "全对人数", also: ["正确人数"]),
        Column(key: "read_passes", en: "read_passes", zh: "读课文遍数", also: ["朗读遍数"]),
        Column(key: "copy_passes", en: "copy_passes", zh: "抄生字遍数", also: ["抄写遍数"]),
        Column(key: "tags", en: "tags", zh: "标签"),
        Column(key: "visit", en: "visit", zh: "同课编号", also: ["同课"]),
        Column(key: "notes", en: "notes", zh: "评课意见", also: ["备注", "意见"]),
    ], noteEN: """
        One row a lesson. Required: id, date (2026-09-03), teacher, subject, grade (1-12). duration_min defaults to 40. \
        read_passes / copy_passes: read-throughs of the text and copies of each new character, for when the segments sheet \
        does not give them per segment (they go on the lesson's first read / copy segment). Tags separated by commas.
        """, noteZH: """
        每行一节课。必填：编号、日期（2026-09-03）、教师、学科、年级（1-12）。时长默认 40 分钟。\
        读课文遍数、抄生字遍数：环节表没有逐段写遍数时填这里（记在本课第一个朗读／抄写环节上）。多个标签用逗号分开。
        """, anchor: "id")

    static let segments = Kind(key: "segments", en: "segments", zh: "环节", columns: [
        Column(key: "lesson", en: "lesson", zh: "课堂编号", also: ["lesson id", "id", "编号"]),
        Column(key: "start", en: "start", zh: "开始", also: ["开始时间", "起"]),
        Column(key: "end", en: "end", zh: "结束", also: ["结束时间", "止"]),
        Column(key: "kind", en: "kind", zh: "类型", also: ["环节类型", "活动"]),
        Column(key: "task", en: "task", zh: "任务", also: ["书写任务"]),
        Column(key: "passes", en: "passes", zh: "遍数"),
        Column(key: "notes", en: "notes", zh: "备注"),
    ], noteEN: """
        One row a stretch of the lesson. Times from the lesson's start as minutes:seconds (5:12). Kind from the list. \
        task for writing: copy (copying new characters), dictation, exercise, …; passes: read-throughs (read) or copies (copy).
        """, noteZH: """
        每行一个环节。时间从上课起算，写成 分:秒（如 5:12）。类型从下拉表选。任务（书写时）：copy（抄生字）、dictation（听写）、exercise（练习）等；\
        遍数：朗读的遍数，或抄写每个生字的遍数。
        """, anchor: "lesson")

    static let performances = Kind(key: "performances", en: "performances", zh: "展示", columns: [
        Column(key: "lesson", en: "lesson", zh: "课堂编号", also: ["lesson id", "id", "编号"]),
        Column(key: "t", en: "time", zh: "时间", also: ["t"]),
        Column(key: "student", en: "student", zh: "学生", also: ["学号", "student id"]),
        Column(key: "kind", en: "kind", zh: "方式", also: ["类型"]),
        Column(key: "independent", en: "independent", zh: "独立", also: ["独立完成", "是否独立"]),
    ], noteEN: """
        One row each time a student performs (answers, reads, works at the board). Time as minutes:seconds. \
        independent: TRUE, or FALSE for choral or prompted answers (empty = TRUE). The student must be on the students sheet when the class has a roster there.
        """, noteZH: """
        学生每展示一次写一行（回答、朗读、板演……）。时间写成 分:秒。独立：是；齐答或提示下的回答填“否”（空着算“是”）。\
        学生表里有该班名单时，学号须在名单上。
        """, anchor: "lesson")

    static let students = Kind(key: "students", en: "students", zh: "学生", columns: [
        Column(key: "class", en: "class", zh: "班级"),
        Column(key: "id", en: "id", zh: "学号", also: ["编号", "student"]),
        Column(key: "tier", en: "tier", zh: "层次", also: ["分层", "层级"]),
        Column(key: "name", en: "name", zh: "姓名"),
        Column(key: "lesson", en: "lesson", zh: "课堂编号", also: ["lesson id"]),
    ], noteEN: """
        The class rosters: one row a student. tier: top / middle / bottom (or 上/中/下, A/B/C). Names stay in this workbook, \
        never in the log. lesson: only when a roster belongs to one lesson, not to the whole class.
        """, noteZH: """
        各班名单，每行一名学生。层次：上／中／下（或 优／中／后、A/B/C）。姓名只留在本表，不写入记录。课堂编号：仅当名单只属于某一节课时填写。
        """, anchor: "id")

    static let kinds = [lessons, segments, performances, students]

    /// Lower case, without spaces, underscores, hyphens or a bracketed unit.
    static func normalized(_ header: String) -> String {
        var h = Cells.trimmed(header).lowercased()
        if let open = h.firstIndex(where: { $0 == "(" || $0 == "（" }) { h = String(h[..<open]) }
        return String(h.filter { !" _-\t\n".contains($0) })
    }

    // MARK: Writing

    /// The empty workbook in `language`, with notes and lists.
    public static func template(_ language: ReportLanguage) -> XLSXWorkbook {
        workbook(lessons: [], language: language)
    }

    /// The workbook holding `lessons`: every field the sheets have. A class's
    /// roster is written once when every lesson of the class has the same one,
    /// else once per lesson (with the lesson's id).
    public static func workbook(lessons: [Lesson], language: ReportLanguage) -> XLSXWorkbook {
        let zh = language == .zh
        func sheet(_ kind: Kind) -> XLSXWorkbook.Sheet {
            XLSXWorkbook.Sheet(name: zh ? kind.zh : kind.en, note: zh ? kind.noteZH : kind.noteEN, header: kind.columns.map { zh ? $0.zh : $0.en })
        }
        func text(_ s: String?) -> XLSXWorkbook.Cell { s.map { .text($0) } ?? .empty }
        func int(_ v: Int?) -> XLSXWorkbook.Cell { v.map { .number(Double($0)) } ?? .empty }
        func time(_ t: LessonTime) -> XLSXWorkbook.Cell {
            t == t.rounded() && t >= 0 ? .text(String(Int(t) / 60) + ":" + (Int(t) % 60 < 10 ? "0" : "") + String(Int(t) % 60)) : .number(t)
        }
        let labels = Labels(language)
        var l = sheet(LessonSheets.lessons), g = sheet(segments), p = sheet(performances), s = sheet(students)
        l.textColumns = [0, 5, 18]  // ids and class names such as 0301 stay text
        g.textColumns = [0, 1, 2]; p.textColumns = [0, 1, 2]; s.textColumns = [0, 1, 4]
        g.lists[3] = SegmentKind.allCases.map { zh ? labels.kind($0) : $0.rawValue }
        g.lists[4] = ["copy", "dictation", "exercise", "composition"]
        p.lists[3] = PerformanceKind.allCases.map { zh ? Cells.performanceZH[$0]! : $0.rawValue }
        p.lists[4] = zh ? ["是", "否"] : ["TRUE", "FALSE"]
        s.lists[2] = zh ? ["上", "中", "下"] : ["top", "middle", "bottom"]
        l.lists[3] = ["chinese", "math", "english", "science"]
        l.suggestions = [3]; g.suggestions = [4]
        for lesson in lessons {
            let readPasses = lesson.segments.filter { $0.kind == .read }.compactMap(\.passes)
            let copyPasses = lesson.segments.filter(\.isCopying).compactMap(\.passes)
            l.rows.append([
                .text(lesson.id), .text(lesson.date.description), .text(lesson.teacher), .text(lesson.subject), int(lesson.grade),
                text(lesson.className), text(lesson.school), text(lesson.observer), int(lesson.period),
                .number(lesson.durationMin), int(lesson.enrolled), int(lesson.present),
                int(lesson.homework?.assigned), int(lesson.homework?.completed), int(lesson.homework?.correct),
                readPasses.isEmpty ? .empty : .number(Double(readPasses.reduce(0, +))),
                copyPasses.isEmpty ? .empty : .number(Double(copyPasses.reduce(0, +))),
                lesson.tags.isEmpty ? .empty : .text(lesson.tags.joined(separator: ", ")), text(lesson.visit), text(lesson.notes),
            ])
            for seg in lesson.segments {
                g.rows.append([.text(lesson.id), time(seg.start), time(seg.end), .text(zh ? labels.kind(seg.kind) : seg.kind.rawValue),
                               text(seg.task), int(seg.passes), text(seg.notes)])
            }
            for perf in lesson.performances {
                p.rows.append([.text(lesson.id), time(perf.t), .text(perf.student),
                               .text(zh ? Cells.performanceZH[perf.kind]! : perf.kind.rawValue),
                               .text(perf.independent ? (zh ? "是" : "TRUE") : (zh ? "否" : "FALSE"))])
            }
        }
        // Rosters: by class where every lesson of the class has the same one.
        var byClass: [String: [Lesson]] = [:], classOrder: [String] = []
        for lesson in lessons {
            guard let c = lesson.className else { continue }
            if byClass[c] == nil { classOrder.append(c) }
            byClass[c, default: []].append(lesson)
        }
        func tierCell(_ t: Tier?) -> XLSXWorkbook.Cell {
            guard let t else { return .empty }
            return .text(zh ? ["top": "上", "middle": "中", "bottom": "下"][t.rawValue]! : t.rawValue)
        }
        var sharedClasses = Set<String>()
        for c in classOrder {
            let rosters = byClass[c]!.map(\.students)
            guard let first = rosters.first, let roster = first, !roster.isEmpty, rosters.allSatisfy({ $0 == first }) else { continue }
            sharedClasses.insert(c)
            for st in roster { s.rows.append([.text(c), .text(st.id), tierCell(st.tier), .empty, .empty]) }
        }
        for lesson in lessons {
            guard let roster = lesson.students, !roster.isEmpty, !(lesson.className.map(sharedClasses.contains) ?? false) else { continue }
            for st in roster { s.rows.append([text(lesson.className), .text(st.id), tierCell(st.tier), .empty, .text(lesson.id)]) }
        }
        return XLSXWorkbook(sheets: [l, g, p, s])
    }

    // MARK: Reading

    /// What reading a filled workbook gave: the lessons that could be read in
    /// full, in the lessons sheet's order, and every problem found.
    public struct Result: Sendable {
        /// The lessons with no problem.
        public var lessons: [Lesson] = []
        /// Problems (errors keep their lesson out; warnings keep nothing out).
        public var issues: [SheetIssue] = []
        /// Lessons kept out.
        public var rejected = 0
    }

    /// One table found as a known sheet: where its header is and which
    /// column holds which key.
    struct Located {
        var table: SheetTables.Table
        var headerRow: Int
        var columns: [String: Int]
        var headers: [Int: String]
        func cell(_ row: [String], _ key: String) -> String { columns[key].flatMap { $0 < row.count ? row[$0] : nil } ?? "" }
        func place(_ key: String) -> String {
            guard let c = columns[key] else { return key }
            return String.columnLetters(c) + " (" + (headers[c] ?? key) + ")"
        }
    }

    /// Finds the header row (within the first 10 rows) of a table known by
    /// `kind`, and its columns; unknown headers are warnings.
    static func locate(_ table: SheetTables.Table, _ kind: Kind, issues: inout [SheetIssue]) -> Located? {
        var names: [String: String] = [:]
        for c in kind.columns { for n in [c.key, c.en, c.zh] + c.also { names[normalized(n)] = c.key } }
        for (k, row) in table.rows.prefix(10).enumerated() {
            let keys = row.map { names[normalized($0)] }
            guard keys.contains(kind.anchor) else { continue }
            var columns: [String: Int] = [:], headers: [Int: String] = [:]
            for (c, key) in keys.enumerated() {
                let written = Cells.trimmed(row[c])
                guard let key else {
                    if !written.isEmpty {
                        issues.append(SheetIssue(sheet: table.name, row: k + 1, column: String.columnLetters(c),
                                                 en: "unknown column \"\(written)\", ignored", zh: "未知的列「\(written)」，已忽略", isWarning: true))
                    }
                    continue
                }
                if columns[key] == nil { columns[key] = c; headers[c] = written }
            }
            return Located(table: table, headerRow: k + 1, columns: columns, headers: headers)
        }
        return nil
    }

    /// Reads the lessons of `tables` (a workbook's sheets or a folder's CSV
    /// files), sheets known by their Chinese or English names.
    public static func read(_ tables: [SheetTables.Table]) -> Result {
        var result = Result()
        var found: [String: Located] = [:]
        for table in tables {
            let name = normalized(table.name)
            guard let kind = kinds.first(where: { normalized($0.en) == name || normalized($0.zh) == name || normalized($0.key) == name }) else {
                result.issues.append(SheetIssue(sheet: table.name, row: 0, column: nil,
                                                en: "not one of the sheets lessons, segments, performances, students (课堂, 环节, 展示, 学生); not read",
                                                zh: "不是 课堂、环节、展示、学生 之一，未读取", isWarning: true))
                continue
            }
            guard found[kind.key] == nil else {
                result.issues.append(SheetIssue(sheet: table.name, row: 0, column: nil, en: "a second \(kind.en) sheet; not read",
                                                zh: "又一张「\(kind.zh)」表，未读取", isWarning: true))
                continue
            }
            guard let located = locate(table, kind, issues: &result.issues) else {
                let anchor = kind.columns.first { $0.key == kind.anchor }!
                result.issues.append(SheetIssue(sheet: table.name, row: 0, column: nil,
                                                en: "no header row with a column \"\(anchor.en)\" (or \"\(anchor.zh)\") in the first 10 rows",
                                                zh: "前 10 行里没有含「\(anchor.zh)」（或 \(anchor.en)）列的表头"))
                continue
            }
            found[kind.key] = located
        }
        guard let lessonSheet = found["lessons"] else {
            result.issues.append(SheetIssue(sheet: "lessons", row: 0, column: nil, en: "the workbook has no lessons (课堂) sheet",
                                            zh: "没有「课堂」（lessons）表"))
            return result
        }
        var reader = Reader(found: found, lessonSheet: lessonSheet, result: result)
        return reader.run()
    }
}
