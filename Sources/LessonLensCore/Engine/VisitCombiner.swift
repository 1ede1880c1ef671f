/// The visit rule (docs/observation-log-v1.md, "Visits"): the logs of one
/// observed lesson are one visit, found by their shared `visit`, else by the
/// same `date`, `teacher`, `class` and `period`. A log without either is a
/// visit of its own.
extension EvaluatedLesson {
    /// The visit's key as people read it: the `visit` field, else
    /// `DATE/TEACHER/CLASS/pPERIOD`; nil when the log is a visit of its own.
    public var visitKey: String? {
        if let v = visit { return v }
        guard let c = className, let p = period else { return nil }
        return "\(date)/\(teacher)/\(c)/p\(p)"
    }

    /// The key the rule compares: a `visit` field never matches the other
    /// form, even when it is written the same way.
    public var visitIdentity: String? {
        if let v = visit { return "v\u{1}" + v }
        guard let c = className, let p = period else { return nil }
        return "d\u{1}\(date)\u{1}\(teacher)\u{1}\(c)\u{1}\(p)"
    }
}

/// A visit's identity as two independent 64-bit hashes of its key (the
/// byte hash of the reader and the standard library's seeded SipHash):
/// remembering every visit of a large archive costs 16 bytes each, not a
/// string, and two different keys agree in both with a chance of about
/// 2^-128 per pair.
public struct VisitID: Hashable, Sendable {
    let a: UInt64, b: UInt64

    init(_ key: String) {
        var key = key
        a = key.withUTF8 { u in u.baseAddress.map { hashBytes($0, count: u.count, readable: u.count) } ?? 0 }
        var h = Hasher()
        h.combine(key)
        b = UInt64(bitPattern: Int64(h.finalize()))
    }
}

/// What combining needs of one log, made on a worker thread.
public struct VisitLog: Sendable {
    /// Nil for a log that is a visit of its own.
    public let visit: VisitID?
    let teacher: VisitID
    let subject: VisitID
    let day: Int

    /// The visit facts of `e`.
    public init(_ e: EvaluatedLesson) {
        visit = e.visitIdentity.map(VisitID.init)
        teacher = VisitID(e.teacher)
        subject = VisitID(e.subject)
        day = e.date.dayNumber
    }
}

/// Combines the accepted logs of each visit into one record, in input order
/// (a visit stands where its first log is):
/// descriptive fields from the first log (a later log with another teacher,
/// date or subject is a warning naming both lines), each metric the mean
/// of the logs' non-null values (null when all are null), each standard
/// judged again on those means by the rules that judge the first log.
///
/// The caller keeps one record per visit at a position of its choosing;
/// the combiner remembers where, and the sums of visits seen more than once.
public struct VisitCombiner: Sendable {
    /// The rules the combined metrics are judged by.
    public let policy: Policy
    /// Later logs whose teacher, date or subject differ from the first's.
    public private(set) var warnings: [Diagnostic] = []
    /// Logs filed.
    public private(set) var logs = 0

    private struct First: Sendable {
        var position: Int
        var file: Int32
        var line: Int32
        var teacher: VisitID
        var subject: VisitID
        var day: Int
    }
    private var firsts: [VisitID: First] = [:]
    private var files: [String] = []
    /// Positions of visits with more than one log → their sums.
    private var sums: [Int: Sums] = [:]

    /// Per metric the sum and count of non-null values, and the logs.
    private struct Sums: Sendable {
        var total: InlineArray<18, Double> = InlineArray(repeating: 0)
        var count: InlineArray<18, Int32> = InlineArray(repeating: 0)
        var logs: Int32 = 0
        var observers: [String] = []

        mutating func add(_ row: LessonRow) {
            for k in 0..<Metric.count where !row.metrics[k].isNaN {
                total[k] += row.metrics[k]
                count[k] += 1
            }
            logs += 1
        }
    }

    /// A combiner judging by `policy`.
    public init(policy: Policy) { self.policy = policy }

    /// Files one log (from `file`:`line`). Returns nil when it starts a new
    /// visit, whose record the caller keeps at `position`; else the position
    /// of the visit's record, to pass to `add(_:to:first:)`.
    public mutating func file(_ log: VisitLog, position: Int, file: String, line: Int) -> Int? {
        logs += 1
        guard let visit = log.visit else { return nil }
        if let first = firsts[visit] {
            let where1 = "\(files[Int(first.file)]):\(first.line)"
            func differs(_ field: String) {
                warnings.append(Diagnostic(severity: .warning, file: file, line: line,
                                           issue: FieldIssue(field: field, .visitFieldDiffers, "\(where1)")))
            }
            if first.teacher != log.teacher { differs("teacher") }
            if first.day != log.day { differs("date") }
            if first.subject != log.subject { differs("subject") }
            return first.position
        }
        if files.last != file { files.append(file) }
        firsts[visit] = First(position: position, file: Int32(files.count - 1), line: Int32(clamping: line),
                              teacher: log.teacher, subject: log.subject, day: log.day)
        return nil
    }

    /// Adds a later log's row (and observer) to the visit at `position`,
    /// whose first log's row (and observer) is `first`.
    public mutating func add(_ row: LessonRow, observer: String? = nil, to position: Int,
                             first: LessonRow, firstObserver: String? = nil) {
        if sums[position] == nil {
            var s = Sums()
            s.add(first)
            if let firstObserver { s.observers.append(firstObserver) }
            sums[position] = s
        }
        sums[position]!.add(row)
        if let observer, !sums[position]!.observers.contains(observer) { sums[position]!.observers.append(observer) }
    }

    /// Positions of the visits with more than one log.
    public var combinedPositions: [Int] { sums.keys.sorted() }

    /// How many logs the visit at `position` has.
    public func logCount(at position: Int) -> Int { sums[position].map { Int($0.logs) } ?? 1 }

    /// The observers of the visit at `position`, in the order of their logs
    /// (empty for a visit of one log: its own `observer` says).
    public func observers(at position: Int) -> [String] { sums[position]?.observers ?? [] }

    /// The combined record of the visit at `position` whose first log's row
    /// is `first`: the mean of each metric, the standards judged again.
    public func combined(at position: Int, first: LessonRow) -> LessonRow {
        guard let s = sums[position] else { return first }
        var row = first
        for k in 0..<Metric.count {
            row.metrics[k] = s.count[k] > 0 ? s.total[k] / Double(s.count[k]) : .nan
        }
        let judged = policy.resolved(Int(first.policyVariant))
            .judge(row.lessonMetrics, present: first.present >= 0 ? Int(first.present) : nil)
        for k in 0..<Standard.count {
            let st = Standard.at(k)
            row.standards[k] = judged.applies(st) ? judged[st].map { $0 ? 1 : 0 } ?? -1 : -2
        }
        return row
    }
}

/// Accepted logs gathered into visits, for the commands that need whole
/// lessons (compare, reliability, reports): each visit one `EvaluatedLesson`
/// with the combined metrics and standards, the first log's descriptive
/// fields, the union of the logs' tags, and `logs` and `observers` set.
public struct VisitList: Sendable {
    private var combiner: VisitCombiner
    private var records: [EvaluatedLesson] = []
    private var rows: [LessonRow] = []
    /// Whether logs are combined at all (false: one record per log).
    public let combine: Bool

    /// An empty list judging combined visits by `policy`; `combine: false`
    /// keeps every log as its own record.
    public init(policy: Policy, combine: Bool = true) {
        combiner = VisitCombiner(policy: policy)
        self.combine = combine
    }

    /// Logs added.
    public var logs: Int { combiner.logs }
    /// Later logs whose teacher, date or subject differ from the first's.
    public var warnings: [Diagnostic] { combiner.warnings }

    /// Adds one accepted log, read at `file`:`line`.
    public mutating func add(_ e: EvaluatedLesson, file: String = "", line: Int = 0) {
        guard combine else {
            combiner.countLog()
            records.append(e)
            return
        }
        let row = LessonRow(e, policy: combiner.policy)
        if let position = combiner.file(VisitLog(e), position: records.count, file: file, line: line) {
            combiner.add(row, observer: e.observer, to: position, first: rows[position], firstObserver: records[position].observer)
            for tag in e.tags where !records[position].tags.contains(tag) { records[position].tags.append(tag) }
        } else {
            records.append(e)
            rows.append(row)
        }
    }

    /// The visits in the order of their first logs.
    public var visits: [EvaluatedLesson] {
        var out = records
        guard combine else { return out }
        for position in combiner.combinedPositions {
            let row = combiner.combined(at: position, first: rows[position])
            out[position].metrics = row.lessonMetrics
            out[position].standards = row.standardResults
            out[position].logs = combiner.logCount(at: position)
            out[position].observers = combiner.observers(at: position)
        }
        return out
    }
}

extension VisitCombiner {
    /// Counts a log kept as its own record.
    mutating func countLog() { logs += 1 }
}
