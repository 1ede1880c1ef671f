import Foundation
import LessonLensCore
import LessonLensOutput

extension LessonSheets {
    /// Turns located sheets into lessons: each lesson's rows gathered from
    /// every sheet, each cell read, then the whole lesson checked by the
    /// format's own decoder. A lesson with any problem is kept out; its
    /// problems name sheet, row and column.
    struct Reader {
        var found: [String: Located]
        var lessonSheet: Located
        var result: Result

        /// A lesson being gathered.
        struct Draft {
            var row: Int
            var fields: [String: Any] = [:]
            var segments: [(row: Int, segment: Segment)] = []
            var performances: [(row: Int, performance: Performance)] = []
            var readPasses: (Int, column: String)?
            var copyPasses: (Int, column: String)?
            var failed = false
        }

        /// Columns each sheet cannot do without.
        static let required = ["lessons": ["id", "date", "teacher", "subject", "grade"], "segments": ["lesson", "start", "end", "kind"],
                               "performances": ["lesson", "t", "student"], "students": ["id"]]

        /// Sheets whose header lacks a required column: said once, at the header.
        var incomplete = Set<String>()

        mutating func run() -> Result {
            var drafts: [Draft] = [], index: [ScalarIdentity: Int] = [:]
            let sheet = lessonSheet
            for (key, located) in found {
                let kind = LessonSheets.kinds.first { $0.key == key }!
                let missing = Self.required[key, default: []].filter { located.columns[$0] == nil }
                guard !missing.isEmpty else { continue }
                incomplete.insert(key)
                let names = missing.map { m in kind.columns.first { $0.key == m }.map { "\($0.zh)/\($0.en)" } ?? m }
                result.issues.append(SheetIssue(sheet: located.table.name, row: located.headerRow, column: nil,
                                                en: "the header has no column " + names.joined(separator: ", ") + " (required); no row of this sheet can be read",
                                                zh: "表头缺少必需的列：" + names.joined(separator: "、") + "；本表各行都无法读取"))
            }
            if incomplete.contains("lessons") {
                result.rejected = sheet.table.rows.dropFirst(sheet.headerRow).filter { !Reader.blank($0) }.count
                return result
            }
            // The lessons.
            for (k, row) in sheet.table.rows.enumerated().dropFirst(sheet.headerRow) where !Reader.blank(row) {
                let number = k + 1
                var d = Draft(row: number)
                func take<T>(_ key: String, required: Bool = false, _ read: (String) throws(CellProblem) -> T) -> T? {
                    let text = Cells.trimmed(sheet.cell(row, key))
                    if text.isEmpty {
                        if required {
                            fail(&d, sheet, number, key, CellProblem("empty; required", "不能为空"))
                        }
                        return nil
                    }
                    do { return try read(text) } catch { fail(&d, sheet, number, key, error); return nil }
                }
                let id = take("id", required: true) { $0 }
                if let id, let earlier = index[ScalarIdentity(id)] {
                    fail(&d, sheet, number, "id", CellProblem("lesson \"\(id)\" is also on row \(drafts[earlier].row); ids must be unique",
                                                           "课堂编号「\(id)」与第 \(drafts[earlier].row) 行重复"))
                }
                d.fields["id"] = id
                d.fields["date"] = take("date", required: true, Cells.date)
                d.fields["teacher"] = take("teacher", required: true) { $0 }
                d.fields["subject"] = take("subject", required: true) { $0 }
                d.fields["grade"] = take("grade", required: true, Cells.integer)
                for key in ["class", "school", "observer", "visit", "notes"] { d.fields[key] = take(key) { $0 } }
                for key in ["period", "enrolled", "present", "homework_assigned", "homework_completed", "homework_correct"] {
                    d.fields[key] = take(key, Cells.integer)
                }
                d.fields["duration_min"] = take("duration_min", Cells.number)
                d.fields["tags"] = take("tags") { Cells.tags($0) }
                if let v = take("read_passes", Cells.integer) { d.readPasses = (v, sheet.place("read_passes")) }
                if let v = take("copy_passes", Cells.integer) { d.copyPasses = (v, sheet.place("copy_passes")) }
                if let id, index[ScalarIdentity(id)] == nil { index[ScalarIdentity(id)] = drafts.count }
                drafts.append(d)
            }
            // Rows of the other sheets, by their lesson.
            func lessonOf(_ located: Located, _ row: [String], _ number: Int) -> Int? {
                let id = Cells.trimmed(located.cell(row, "lesson"))
                if id.isEmpty {
                    issue(located, number, "lesson", CellProblem("empty: which lesson (its id on the lessons sheet)?", "为空：属于哪节课（课堂表的编号）？"))
                    return nil
                }
                guard let k = index[ScalarIdentity(id)] else {
                    issue(located, number, "lesson", CellProblem("no lesson \"\(id)\" on the lessons sheet", "课堂表里没有编号为「\(id)」的课"))
                    return nil
                }
                return k
            }
            if let g = found["segments"] {
                for (k, row) in g.table.rows.enumerated().dropFirst(g.headerRow) where !Reader.blank(row) {
                    guard let at = lessonOf(g, row, k + 1) else { continue }
                    do throws(Located.Problem) {
                        let start = try cell(g, row, k + 1, "start", required: true, Cells.time)!
                        let end = try cell(g, row, k + 1, "end", required: true, Cells.time)!
                        let kind = try cell(g, row, k + 1, "kind", required: true, Cells.segmentKind)!
                        let task = try cell(g, row, k + 1, "task") { $0 }
                        let passes = try cell(g, row, k + 1, "passes", Cells.integer)
                        let notes = try cell(g, row, k + 1, "notes") { $0 }
                        if end <= start {
                            throw Located.Problem(key: "end", CellProblem("ends at \(Reader.clock(end)), not after its start \(Reader.clock(start))",
                                                                           "结束 \(Reader.clock(end)) 不晚于开始 \(Reader.clock(start))"))
                        }
                        drafts[at].segments.append((k + 1, Segment(start: start, end: end, kind: kind, passes: passes, task: task, notes: notes)))
                    } catch {
                        fail(&drafts[at], g, k + 1, error.key, error.problem)
                    }
                }
            }
            if let p = found["performances"] {
                for (k, row) in p.table.rows.enumerated().dropFirst(p.headerRow) where !Reader.blank(row) {
                    guard let at = lessonOf(p, row, k + 1) else { continue }
                    do throws(Located.Problem) {
                        let t = try cell(p, row, k + 1, "t", required: true, Cells.time)!
                        let student = try cell(p, row, k + 1, "student", required: true) { $0 }!
                        let kind = try cell(p, row, k + 1, "kind", Cells.performanceKind) ?? .answer
                        let independent = try cell(p, row, k + 1, "independent") { (s: String) throws(CellProblem) in try Cells.boolean(s, empty: true) } ?? true
                        drafts[at].performances.append((k + 1, Performance(t: t, student: student, kind: kind, independent: independent)))
                    } catch {
                        fail(&drafts[at], p, k + 1, error.key, error.problem)
                    }
                }
            }
            // Rosters: a lesson's own rows, else its class's.
            var byLesson: [ScalarIdentity: [(row: Int, student: Student)]] = [:], byClass: [ScalarIdentity: [(row: Int, student: Student)]] = [:]
            var rosterSheet: Located?
            var brokenRosters = Set<String>()
            if let s = found["students"] {
                rosterSheet = s
                var seen = Set<String>()
                for (k, row) in s.table.rows.enumerated().dropFirst(s.headerRow) where !Reader.blank(row) {
                    do throws(Located.Problem) {
                        let id = try cell(s, row, k + 1, "id", required: true) { $0 }!
                        let tier = try cell(s, row, k + 1, "tier", Cells.tier) ?? nil
                        let className = Cells.trimmed(s.cell(row, "class")), lesson = Cells.trimmed(s.cell(row, "lesson"))
                        if lesson.isEmpty && className.isEmpty {
                            throw Located.Problem(key: "class", CellProblem("empty: whose roster (a class, or a lesson id)?", "为空：哪个班（或哪节课）的名单？"))
                        }
                        if !lesson.isEmpty && index[ScalarIdentity(lesson)] == nil {
                            throw Located.Problem(key: "lesson", CellProblem("no lesson \"\(lesson)\" on the lessons sheet", "课堂表里没有编号为「\(lesson)」的课"))
                        }
                        let owner = lesson.isEmpty ? "class\u{0}" + className : "lesson\u{0}" + lesson
                        guard seen.insert(owner + "\u{0}" + id).inserted else {
                            throw Located.Problem(key: "id", CellProblem("student \"\(id)\" is on this roster twice", "学号「\(id)」在同一名单中出现两次"))
                        }
                        let entry = (k + 1, Student(id: id, tier: tier))
                        if lesson.isEmpty { byClass[ScalarIdentity(className), default: []].append(entry) } else { byLesson[ScalarIdentity(lesson), default: []].append(entry) }
                    } catch {
                        let problem = error
                        if !(s.columns[problem.key] == nil && incomplete.contains("students")) { issue(s, k + 1, problem.key, problem.problem) }
                        // The roster it belongs to is incomplete: its lessons are kept out.
                        let lesson = Cells.trimmed(s.cell(row, "lesson")), className = Cells.trimmed(s.cell(row, "class"))
                        if !lesson.isEmpty { brokenRosters.insert("lesson\u{0}" + lesson) } else if !className.isEmpty { brokenRosters.insert("class\u{0}" + className) }
                        else { brokenRosters.insert("*") }
                    }
                }
            }
            // Each lesson, whole.
            for var d in drafts {
                let id = d.fields["id"] as? String
                var roster: [Student]?
                if let id, let rows = byLesson[ScalarIdentity(id)] { roster = rows.map(\.student) }
                else if let c = d.fields["class"] as? String, let rows = byClass[ScalarIdentity(c)] { roster = rows.map(\.student) }
                let rosterKey = id.flatMap { byLesson[ScalarIdentity($0)] != nil || brokenRosters.contains("lesson\u{0}" + $0) ? "lesson\u{0}" + $0 : nil }
                    ?? (d.fields["class"] as? String).map { "class\u{0}" + $0 }
                if let rosterKey, brokenRosters.contains(rosterKey) || brokenRosters.contains("*"), let rosterSheet {
                    let whose = rosterKey.hasPrefix("class") ? "class \(rosterKey.dropFirst(6))" : "this lesson"
                    fail(&d, sheet, d.row, "class", CellProblem("the roster of \(whose) on sheet \"\(rosterSheet.table.name)\" has a row that cannot be read; fix it first",
                                                              "「\(rosterSheet.table.name)」表中\(rosterKey.hasPrefix("class") ? "班级 \(rosterKey.dropFirst(6)) " : "本课")的名单有无法读取的行，请先改正"))
                }
                if let roster, let p = found["performances"], let rosterSheet {
                    let ids = Set(roster.map { ScalarIdentity($0.id) })
                    for (row, perf) in d.performances where !ids.contains(ScalarIdentity(perf.student)) {
                        let whose = (d.fields["class"] as? String).map { "class \($0)" } ?? "this lesson"
                        fail(&d, p, row, "student", CellProblem("student \"\(perf.student)\" is not on the roster of \(whose) (sheet \"\(rosterSheet.table.name)\")",
                                                               "学号「\(perf.student)」不在「\(rosterSheet.table.name)」表的名单上"))
                    }
                }
                var segments = d.segments.map(\.segment)
                placePasses(&d, &segments, d.readPasses, name: "read_passes", where: { $0.kind == .read }, "read segment", "朗读环节")
                placePasses(&d, &segments, d.copyPasses, name: "copy_passes", where: \.isCopying,
                            "copy segment (write or homework with task copy)", "抄写环节（任务为 copy 的书写或当堂作业）")
                guard !d.failed, let id, let date = d.fields["date"] as? LessonDate, let teacher = d.fields["teacher"] as? String,
                      let subject = d.fields["subject"] as? String, let grade = d.fields["grade"] as? Int else {
                    result.rejected += 1
                    continue
                }
                var homework: Homework?
                let assigned = d.fields["homework_assigned"] as? Int, completed = d.fields["homework_completed"] as? Int
                let correct = d.fields["homework_correct"] as? Int
                if assigned != nil || completed != nil || correct != nil {
                    guard let assigned, let completed else {
                        fail(&d, sheet, d.row, assigned == nil ? "homework_assigned" : "homework_completed",
                             CellProblem("homework needs both the students given it and those who finished it", "当堂作业须同时填写作业人数和当堂完成人数"))
                        result.rejected += 1
                        continue
                    }
                    homework = Homework(assigned: assigned, completed: completed, correct: correct)
                }
                let lesson = Lesson(id: id, date: date, teacher: teacher, subject: subject, grade: grade,
                                    className: d.fields["class"] as? String, school: d.fields["school"] as? String,
                                    observer: d.fields["observer"] as? String, period: d.fields["period"] as? Int,
                                    durationMin: d.fields["duration_min"] as? Double ?? Lesson.defaultDurationMin,
                                    enrolled: d.fields["enrolled"] as? Int, present: d.fields["present"] as? Int, students: roster,
                                    segments: segments, performances: d.performances.map(\.performance), homework: homework,
                                    tags: d.fields["tags"] as? [String] ?? [], visit: d.fields["visit"] as? String, notes: d.fields["notes"] as? String)
                // The format's own rules, by its own reader: what the sheet
                // could not check cell by cell (present <= enrolled, times
                // within the lesson, ...).
                var decoder = LessonDecoder(), warnings: [FieldIssue] = []
                do {
                    _ = try decoder.decode(LessonJSON.line(lesson), warnings: &warnings)
                    result.lessons.append(lesson)
                } catch {
                    // segments[k] and performances[k] are rows of their own sheets.
                    var at = (sheet.table.name, d.row), field = error.field
                    for (prefix, key, rows) in [("segments[", "segments", d.segments.map(\.row)), ("performances[", "performances", d.performances.map(\.row))] {
                        guard field.hasPrefix(prefix), let close = field.firstIndex(of: "]"),
                              let k = Int(field[field.index(field.startIndex, offsetBy: prefix.count)..<close]), k < rows.count, let other = found[key] else { continue }
                        at = (other.table.name, rows[k])
                        field = String(field[field.index(after: close)...].drop(while: { $0 == "." }))
                    }
                    let zhReason = Messages(.zh)(error.why)
                    result.issues.append(SheetIssue(sheet: at.0, row: at.1, column: nil,
                                                    en: "lesson \"\(id)\": \(field.isEmpty ? "" : field + ": ")\(error.reason)",
                                                    zh: "课堂「\(id)」：\(field.isEmpty ? "" : field + "：")\(zhReason)"))
                    result.rejected += 1
                }
            }
            return result
        }

        /// Puts a lesson-wide count of passes on the first segment of its kind,
        /// or checks it against the segments' own passes.
        mutating func placePasses(_ d: inout Draft, _ segments: inout [Segment], _ given: (Int, column: String)?, name: String,
                                  where include: (Segment) -> Bool, _ en: String, _ zh: String) {
            guard let (value, _) = given else { return }
            let own = segments.filter(include).compactMap(\.passes)
            if !own.isEmpty {
                let sum = own.reduce(0, +)
                if sum != value {
                    fail(&d, lessonSheet, d.row, name, CellProblem("\(value), but the lesson's segments give \(sum); leave one of them empty",
                                                                  "为 \(value)，但环节表各段合计为 \(sum)；两处只填一处"))
                }
                return
            }
            guard let first = segments.firstIndex(where: include) else {
                fail(&d, lessonSheet, d.row, name, CellProblem("\(value), but the lesson has no \(en) to carry it", "为 \(value)，但本课没有\(zh)"))
                return
            }
            segments[first].passes = value
        }

        func cell<T>(_ located: Located, _ row: [String], _ number: Int, _ key: String, required: Bool = false,
                     _ read: (String) throws(CellProblem) -> T) throws(Located.Problem) -> T? {
            let text = Cells.trimmed(located.cell(row, key))
            if text.isEmpty {
                if required {
                    if located.columns[key] == nil {
                        throw Located.Problem(key: key, CellProblem("the sheet has no column \"\(key)\"", "表中没有「\(key)」列"))
                    }
                    throw Located.Problem(key: key, CellProblem("empty; required", "不能为空"))
                }
                return nil
            }
            do { return try read(text) } catch { throw Located.Problem(key: key, error) }
        }

        mutating func fail(_ d: inout Draft, _ located: Located, _ row: Int, _ key: String, _ problem: CellProblem) {
            d.failed = true
            // A sheet without a required column was named once, at its header.
            if located.columns[key] == nil, incomplete.contains(where: { found[$0]?.table.name == located.table.name }) { return }
            issue(located, row, key, problem)
        }

        mutating func issue(_ located: Located, _ row: Int, _ key: String, _ problem: CellProblem) {
            result.issues.append(SheetIssue(sheet: located.table.name, row: row, column: located.place(key), en: problem.en, zh: problem.zh))
        }

        static func blank(_ row: [String]) -> Bool { row.allSatisfy { Cells.trimmed($0).isEmpty } }

        static func clock(_ t: LessonTime) -> String {
            let k = Int(t)
            return t == t.rounded() ? "\(k / 60):" + (k % 60 < 10 ? "0" : "") + "\(k % 60)" : "\(t) s"
        }
    }
}

extension LessonSheets.Located {
    /// A cell's problem and the column it is in.
    struct Problem: Error {
        var key: String
        var problem: CellProblem
        init(key: String, _ problem: CellProblem) { self.key = key; self.problem = problem }
    }
}
