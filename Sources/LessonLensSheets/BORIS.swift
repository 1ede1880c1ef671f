import LessonLensCore
import LessonLensOutput

/// BORIS's aggregated events export (TSV, CSV or .xlsx) as lessons, one per
/// observation id. A map says what each behavior is: `behavior,kind` for a
/// state event (a segment from its start to its stop), or
/// `behavior,performance-kind[,prompted]` for a point event (a performance
/// by the event's subject, the student). Headers of BORIS 7 and 8 are both
/// known by name.
public enum BORIS {
    /// What a behavior becomes.
    public enum Meaning: Sendable, Equatable {
        /// A state event: a segment of this kind.
        case segment(SegmentKind)
        /// A point event: a performance of this kind, prompted or not.
        case performance(PerformanceKind, prompted: Bool)
    }

    /// The map file: behavior → what it is for a state event and for a point
    /// event (a word such as `read` can be both).
    public struct Map: Sendable {
        /// Behavior (as BORIS names it) → its state and point meanings.
        public var entries: [String: (state: SegmentKind?, point: (PerformanceKind, Bool)?)] = [:]
        /// The same by lower-case name: a behavior's case in the map need not match the export's.
        var folded: [String: (state: SegmentKind?, point: (PerformanceKind, Bool)?)] = [:]

        /// Reads the rows of MAP.csv (an optional header row starting
        /// `behavior`). Problems name the row.
        public init(rows: [[String]], name: String) throws(SheetIssue) {
            for (k, row) in rows.enumerated() {
                let cells = row.map(Cells.trimmed)
                guard let behavior = cells.first, !behavior.isEmpty else { continue }
                if k == 0 && ["behavior", "behaviour", "行为"].contains(behavior.lowercased()) { continue }
                guard cells.count >= 2, !cells[1].isEmpty else {
                    throw SheetIssue(sheet: name, row: k + 1, column: "B", en: "behavior \"\(behavior)\" has no kind",
                                     zh: "行为「\(behavior)」没有类型")
                }
                let word = cells[1].lowercased()
                let segment = Cells.segmentKinds[word]
                var point: PerformanceKind? = word == "performance" || word == "展示" ? .other : Cells.performanceKinds[word]
                if point == nil && segment == nil {
                    throw SheetIssue(sheet: name, row: k + 1, column: "B",
                                     en: "\"\(cells[1])\" is neither a segment kind (\(SegmentKind.allCases.map(\.rawValue).joined(separator: ", "))) nor a performance kind (\(PerformanceKind.allCases.map(\.rawValue).joined(separator: ", ")))",
                                     zh: "「\(cells[1])」既不是环节类型也不是展示方式")
                }
                var prompted = false
                if cells.count >= 3, !cells[2].isEmpty {
                    let p = cells[2].lowercased()
                    if ["prompted", "true", "yes", "y", "1", "是", "提示", "齐答"].contains(p) { prompted = true }
                    else if !["independent", "false", "no", "n", "0", "否", "独立"].contains(p) {
                        throw SheetIssue(sheet: name, row: k + 1, column: "C", en: "\"\(cells[2])\" is neither prompted nor independent",
                                         zh: "「\(cells[2])」既不是 prompted（提示）也不是 independent（独立）")
                    }
                }
                entries[behavior] = (segment, point.map { ($0, prompted) })
                folded[behavior.lowercased()] = (segment, point.map { ($0, prompted) })
            }
        }
    }

    /// What reading an export gave.
    public struct Result: Sendable {
        /// The lessons, in the order their observation ids first appear.
        public var lessons: [Lesson] = []
        /// Problems: errors keep their lesson out.
        public var issues: [SheetIssue] = []
        /// Lessons kept out.
        public var rejected = 0
    }

    static let headerKeys: [String: String] = [
        "observationid": "observation", "observationdate": "date", "subject": "subject", "behavior": "behavior",
        "behaviour": "behavior", "behaviortype": "type", "behaviourtype": "type", "start": "start", "stop": "stop",
    ]

    /// Reads an export's first table with a `Behavior` and a `Start (s)`
    /// column.
    public static func read(_ tables: [SheetTables.Table], map: Map, metadata: ImportMetadata) -> Result {
        var result = Result()
        guard let (table, headerRow, columns) = locate(tables) else {
            result.issues.append(SheetIssue(sheet: tables.first?.name ?? "", row: 0, column: nil,
                                            en: "no header row with Observation id, Behavior and Start (s) columns (BORIS's aggregated events export)",
                                            zh: "找不到含 Observation id、Behavior、Start (s) 列的表头（BORIS 的 aggregated events 导出）"))
            return result
        }
        func cell(_ row: [String], _ key: String) -> String { columns[key].flatMap { $0 < row.count ? Cells.trimmed(row[$0]) : nil } ?? "" }
        func place(_ key: String) -> String { columns[key].map { String.columnLetters($0) + " (" + Cells.trimmed(table.rows[headerRow][$0]) + ")" } ?? key }
        struct Draft { var date: LessonDate?; var segments: [Segment] = []; var performances: [Performance] = []; var failed = false }
        var drafts: [String: Draft] = [:], order: [String] = [], unmapped: [String: Int] = [:], unmappedOrder: [String] = []
        for (k, row) in table.rows.enumerated().dropFirst(headerRow + 1) where !row.allSatisfy({ Cells.trimmed($0).isEmpty }) {
            let number = k + 1
            let observation = cell(row, "observation")
            if drafts[observation] == nil { drafts[observation] = Draft(); order.append(observation) }
            func fail(_ key: String, _ en: String, _ zh: String) {
                drafts[observation]!.failed = true
                result.issues.append(SheetIssue(sheet: table.name, row: number, column: place(key), en: en, zh: zh))
            }
            if drafts[observation]!.date == nil, let d = try? Cells.date(cell(row, "date")) { drafts[observation]!.date = d }
            let behavior = cell(row, "behavior")
            guard let meaning = map.entries[behavior] ?? map.folded[behavior.lowercased()] else {
                if unmapped[behavior] == nil { unmappedOrder.append(behavior) }
                unmapped[behavior, default: 0] += 1
                continue
            }
            let type = cell(row, "type").lowercased()
            let isPoint = type.contains("point") || (type.isEmpty && meaning.state == nil)
            func seconds(_ key: String) -> Double? {
                let text = cell(row, key)
                guard let v = Double(text), v.isFinite, v >= 0 else {
                    fail(key, "\"\(text)\" is not a time in seconds", "「\(text)」不是以秒计的时间")
                    return nil
                }
                return v
            }
            if isPoint {
                guard let (kind, prompted) = meaning.point else {
                    fail("behavior", "\"\(behavior)\" is a point event, but the map gives it a segment kind; give it a performance kind",
                         "「\(behavior)」是点事件，映射表却给了环节类型；请给展示方式")
                    continue
                }
                let student = cell(row, "subject")
                if student.isEmpty || student.lowercased() == "no focal subject" {
                    fail("subject", "a performance needs a student: the event's subject is empty", "展示须有学生：该事件没有 Subject")
                    continue
                }
                guard let t = seconds("start") else { continue }
                drafts[observation]!.performances.append(Performance(t: t, student: student, kind: kind, independent: !prompted))
            } else {
                guard let kind = meaning.state else {
                    fail("behavior", "\"\(behavior)\" is a state event, but the map gives it a performance kind; give it a segment kind",
                         "「\(behavior)」是状态事件，映射表却给了展示方式；请给环节类型")
                    continue
                }
                guard let start = seconds("start"), let stop = seconds("stop") else { continue }
                guard stop > start else {
                    fail("stop", "stops at \(stop) s, not after its start \(start) s", "结束 \(stop) 秒不晚于开始 \(start) 秒")
                    continue
                }
                drafts[observation]!.segments.append(Segment(start: start, end: stop, kind: kind, notes: "BORIS \(behavior)"))
            }
        }
        for behavior in unmappedOrder {
            result.issues.append(SheetIssue(sheet: table.name, row: 0, column: nil,
                                            en: "behavior \"\(behavior)\" is not in the map: \(unmapped[behavior]!) event(s) not imported",
                                            zh: "行为「\(behavior)」不在映射表中：\(unmapped[behavior]!) 个事件未导入", isWarning: true))
        }
        if order.count > 1, let id = metadata.values["id"] {
            result.issues.append(SheetIssue(sheet: table.name, row: 0, column: nil,
                                            en: "--set id=\(id) ignored: the export has \(order.count) observations, each keeps its own id",
                                            zh: "--set id=\(id) 未采用：导出中有 \(order.count) 个观察，各用自己的编号", isWarning: true))
        }
        for observation in order {
            let d = drafts[observation]!
            guard !d.failed else { result.rejected += 1; continue }
            let id = order.count == 1 ? (metadata.values["id"] ?? observation) : observation
            var single = metadata
            single.removeID()
            guard let lesson = single.lesson(id: id.isEmpty ? "boris" : id, date: d.date, durationMin: nil, segments: d.segments,
                                             performances: d.performances, tags: ["boris"]) else {
                let missing = metadata.missing(["teacher", "subject", "grade"]) + (d.date == nil && metadata.values["date"] == nil ? ["date"] : [])
                result.issues.append(SheetIssue(sheet: table.name, row: 0, column: nil,
                                                en: "observation \"\(observation)\": --set must give \(missing.joined(separator: ", "))",
                                                zh: "观察「\(observation)」：--set 须给出 \(missing.joined(separator: "、"))"))
                result.rejected += 1
                continue
            }
            if let problem = ImportMetadata.check(lesson) {
                result.issues.append(SheetIssue(sheet: table.name, row: 0, column: nil, en: "observation \"\(observation)\": \(problem.field): \(problem.reason)",
                                                zh: "观察「\(observation)」：\(problem.field)：\(Messages(.zh)(problem.why))"))
                result.rejected += 1
                continue
            }
            result.lessons.append(lesson)
        }
        return result
    }

    static func locate(_ tables: [SheetTables.Table]) -> (SheetTables.Table, Int, [String: Int])? {
        for table in tables {
            for (k, row) in table.rows.prefix(30).enumerated() {
                var columns: [String: Int] = [:]
                for (c, cell) in row.enumerated() {
                    if let key = headerKeys[LessonSheets.normalized(cell)], columns[key] == nil { columns[key] = c }
                }
                if columns["behavior"] != nil && columns["start"] != nil && columns["observation"] != nil { return (table, k, columns) }
            }
        }
        return nil
    }
}

extension ImportMetadata {
    /// Without `id`: each observation keeps its own.
    mutating func removeID() { setValue(nil, for: "id") }
}
