import LessonLensCore
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

/// A visit's identity as two 64-bit hashes of its key's parts, each over
/// every byte with its own constants: remembering every visit of a large
/// archive costs 16 bytes each, not a string. Parts compare byte for byte,
/// as ids do. The hashes are the same in every process (summary partials
/// carry them from one run to another).
public struct VisitID: Hashable, Sendable {
    let a: UInt64, b: UInt64

    /// The id as 32 hex digits (summary partials).
    public var hex: String {
        let x = String(a, radix: 16), y = String(b, radix: 16)
        return String(repeating: "0", count: 16 - x.count) + x + String(repeating: "0", count: 16 - y.count) + y
    }

    /// The id of 32 hex digits, as `hex` writes it.
    public init?(hex: String) {
        guard hex.utf8.count == 32, let a = UInt64(hex.prefix(16), radix: 16), let b = UInt64(hex.suffix(16), radix: 16) else { return nil }
        self.a = a
        self.b = b
    }

    /// The identity of `e`'s visit; nil when it is a visit of its own.
    package init?(_ e: EvaluatedLesson) {
        var h = PartHasher()
        if let v = e.visit {
            h.add(1)
            h.add(v)
        } else {
            guard let c = e.className, let p = e.period else { return nil }
            h.add(2)
            h.add(e.date.dayNumber)
            h.add(e.teacher)
            h.add(c)
            h.add(p)
        }
        (a, b) = h.finish()
    }

    /// Two hashes fed the same parts, each part's length included so that
    /// ("ab", "c") and ("a", "bc") differ; the second reads every byte with
    /// other constants (Moremur's multiplier), so the two are independent.
    private struct PartHasher {
        var a: UInt64 = HashConstants.golden
        var b: UInt64 = 0x243F_6A88_85A3_08D3

        @inline(__always) mutating func mix(_ x: UInt64) {
            a = (a ^ x) &* HashConstants.splitMix
            a ^= a >> 31
            b = (b ^ x) &* 0x94D0_49BB_1331_11EB
            b ^= b >> 29
        }

        mutating func add(_ v: Int) { mix(UInt64(bitPattern: Int64(v))) }

        mutating func add(_ s: String) {
            var s = s
            s.withUTF8 { u in
                mix(UInt64(u.count))
                a ^= textHash(u)
                // The second hash over the bytes themselves, a word at a time.
                guard let p = u.baseAddress else { return }
                var k = 0
                while k + 8 <= u.count {
                    b = (b ^ UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)) &* 0x94D0_49BB_1331_11EB
                    b ^= b >> 32
                    k += 8
                }
                if k < u.count {
                    b = (b ^ packedWords(UnsafeBufferPointer(rebasing: u[k...])).0) &* 0x94D0_49BB_1331_11EB
                    b ^= b >> 32
                }
            }
        }

        func finish() -> (UInt64, UInt64) { (a ^ (a >> 29), b ^ (b >> 31)) }
    }
}

/// A 64-bit hash of a string's UTF-8 bytes.
@inline(__always)
func textHash(_ u: UnsafeBufferPointer<UInt8>) -> UInt64 {
    u.baseAddress.map { hashBytes($0, count: u.count, readable: u.count) } ?? 0
}

/// A 64-bit hash of `s`'s UTF-8 bytes (to notice that two logs differ).
func textHash(_ s: String) -> UInt64 {
    var s = s
    return s.withUTF8 { textHash($0) }
}

/// What combining needs of one log, made on a worker thread.
public struct VisitLog: Sendable {
    /// Nil for a log that is a visit of its own.
    public let visit: VisitID?
    // 32 bits are enough to notice that two logs name different teachers
    // (a miss once in 4 billion pairs costs a warning, never a number).
    let teacher: UInt32
    /// Of the subject's canonical name: 语文 and chinese are one subject.
    let subject: UInt32
    /// 0 without an observer.
    let observer: UInt32
    let day: Int32
    let grade: Int32
    /// The log's own values, for a warning that names them.
    let teacherName: String
    let subjectName: String

    /// Whether a later log is compared with the first (a merge of summary
    /// partials has only the visit: the parts compared their logs already).
    let compared: Bool

    /// A log known only by its visit (merging summary partials).
    public init(visit: VisitID?) {
        self.visit = visit
        teacher = 0; subject = 0; observer = 0; day = 0; grade = 0
        teacherName = ""; subjectName = ""
        compared = false
    }

    /// The visit facts of `e`.
    public init(_ e: EvaluatedLesson) {
        compared = true
        visit = VisitID(e)
        teacher = UInt32(truncatingIfNeeded: textHash(e.teacher) >> 32)
        subject = UInt32(truncatingIfNeeded: textHash(Subjects.canonical(e.subject)) >> 32)
        observer = e.observer.map { UInt32(truncatingIfNeeded: textHash($0) >> 32) | 1 } ?? 0
        day = Int32(truncatingIfNeeded: e.date.dayNumber)
        grade = Int32(truncatingIfNeeded: e.grade)
        teacherName = e.teacher
        subjectName = e.subject
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
    /// Later logs whose teacher, date, subject or grade differ from the
    /// first's, or whose observer is the first's: in input order.
    public private(set) var warnings: [Diagnostic] = []

    /// The warnings given since the last call (to print them in input order).
    public mutating func takeWarnings() -> [Diagnostic] {
        defer { warnings.removeAll() }
        return warnings
    }
    /// Logs filed.
    public private(set) var logs = 0

    /// 32 bytes a visit (48 with its key): a large archive remembers every one.
    fileprivate struct First: Sendable {
        var position: UInt32
        var file: UInt32
        var line: UInt32
        var day: Int32
        var teacher: UInt32
        var subject: UInt32
        var observer: UInt32
        var grade: Int32
    }
    private var firsts = VisitTable()
    private var files: [String] = []
    /// How many logs gave each metric of a visit seen more than once: the
    /// sums are kept in the visit's record itself. Usually every log of a
    /// visit gives the same metrics as its first, so per position only the
    /// logs (2 bytes) and the first log's nulls (4 bytes) are kept, and
    /// counts metric by metric only for the visits where a later log differs.
    private var logsAt: [UInt16] = []
    private var firstNulls: [UInt32] = []
    private var irregular: [UInt32: InlineArray<18, UInt16>] = [:]
    private var joined: [UInt32] = []

    /// A combiner judging by `policy`.
    public init(policy: Policy) { self.policy = policy }


    /// Files one log (from `file`:`line`). Returns nil when it starts a new
    /// visit, whose record the caller keeps at `position`; else the position
    /// of the visit's record, to pass to `add(_:into:at:)`.
    public mutating func file(_ log: VisitLog, position: Int, file: String, line: Int) -> Int? {
        logs += 1
        guard let visit = log.visit else { return nil }
        if let first = firsts.find(visit) {
            guard log.compared else { return Int(first.position) }
            let where1 = "\(files[Int(first.file)]):\(first.line)"
            func differs(_ field: String, _ value: String) {
                warnings.append(Diagnostic(severity: .warning, file: file, line: line,
                                           issue: FieldIssue(field: field, .visitFieldDiffers, "\(value)", "\(where1)")))
            }
            if first.teacher != log.teacher { differs("teacher", log.teacherName) }
            if first.day != log.day { differs("date", LessonDate.fromDayNumber(Int(log.day)).description) }
            if first.subject != log.subject { differs("subject", log.subjectName) }
            // The grade chooses the policy's rules: the first log's judge the visit.
            if first.grade != log.grade { differs("grade", String(log.grade)) }
            if first.observer == log.observer {
                warnings.append(Diagnostic(severity: .warning, file: file, line: line,
                                           issue: FieldIssue(field: "observer", .visitSameObserver, "\(where1)")))
            }
            return Int(first.position)
        }
        if files.last != file { files.append(file) }
        precondition(position <= Int(UInt32.max), "more than 2^32 visits")
        firsts.insert(visit, First(position: UInt32(position), file: UInt32(files.count - 1), line: UInt32(clamping: line),
                                   day: log.day, teacher: log.teacher, subject: log.subject, observer: log.observer, grade: log.grade))
        return nil
    }

    /// Adds a later log's row to the record of the visit at `position`.
    /// The record then holds the sums of the metrics until `finish`.
    public mutating func add(_ row: LessonRow, into record: inout LessonRow, at position: Int) {
        if logsAt.count <= position {
            logsAt.append(contentsOf: repeatElement(0, count: position + 1 - logsAt.count))
            firstNulls.append(contentsOf: repeatElement(0, count: position + 1 - firstNulls.count))
        }
        let p = UInt32(position)
        if logsAt[position] == 0 {
            // The first log's row becomes the running sums.
            var nulls: UInt32 = 0
            for k in 0..<Metric.count where record.metrics[k].isNaN {
                record.metrics[k] = 0
                nulls |= 1 << UInt32(k)
            }
            firstNulls[position] = nulls
            logsAt[position] = 1
            joined.append(p)
        }
        var nulls: UInt32 = 0
        for k in 0..<Metric.count {
            if row.metrics[k].isNaN { nulls |= 1 << UInt32(k) } else { record.metrics[k] += row.metrics[k] }
        }
        let logs = logsAt[position]
        if irregular[p] == nil && nulls != firstNulls[position] {
            // Every log so far gave what the first gave.
            var counts = InlineArray<18, UInt16>(repeating: 0)
            for k in 0..<Metric.count where firstNulls[position] & (1 << UInt32(k)) == 0 { counts[k] = logs }
            irregular[p] = counts
        }
        if var counts = irregular[p] {
            for k in 0..<Metric.count where nulls & (1 << UInt32(k)) == 0 { counts[k] = counts[k] == .max ? .max : counts[k] + 1 }
            irregular[p] = counts
        }
        logsAt[position] = logs == .max ? .max : logs + 1
    }

    /// Positions of the visits with more than one log, in order.
    public var combinedPositions: [Int] { joined.map { Int($0) } }

    /// How many logs the visit at `position` has.
    public func logCount(at position: Int) -> Int { position < logsAt.count ? max(1, Int(logsAt[position])) : 1 }

    /// How many logs gave metric `k` at `position` (a visit seen more than once).
    private func count(_ k: Int, at position: Int) -> UInt16 {
        if let counts = irregular[UInt32(position)] { return counts[k] }
        return firstNulls[position] & (1 << UInt32(k)) == 0 ? logsAt[position] : 0
    }

    /// Turns the record of the visit at `position` into the combined one:
    /// each metric the mean of the logs' non-null values, the standards
    /// judged again on the means by the rules of the first log's subject
    /// and grade. Call once per visit, after its last log.
    public func finish(_ record: inout LessonRow, at position: Int) {
        guard position < logsAt.count, logsAt[position] > 0 else { return }
        for k in 0..<Metric.count {
            let n = count(k, at: position)
            record.metrics[k] = n > 0 ? record.metrics[k] / Double(n) : .nan
        }
        let judged = policy.resolved(Int(record.policyVariant))
            .judge(record.lessonMetrics, present: record.present >= 0 ? Int(record.present) : nil)
        for k in 0..<Standard.count {
            let st = Standard.at(k)
            record.standards[k] = judged.applies(st) ? judged[st].map { $0 ? 1 : 0 } ?? -1 : -2
        }
    }
}

/// Accepted logs gathered into visits, for the commands that need whole
/// lessons (compare, reliability, reports): each visit one `EvaluatedLesson`
/// with the combined metrics and standards, the first log's descriptive
/// fields, the union of the logs' tags, and `logs` and `observers` set.
public struct VisitList: Sendable {
    private var combiner: VisitCombiner
    private var records: [EvaluatedLesson] = []
    /// The combined row of each visit with more than one log, made from its
    /// first log when the second arrives: a row kept for every visit was a
    /// fifth of a large page's memory, for the few visits observed twice.
    private var combinedRows: [Int: LessonRow] = [:]
    private var observers: [Int: [String]] = [:]
    /// Whether logs are combined at all (false: one record per log).
    public let combine: Bool

    /// An empty list judging combined visits by `policy`; `combine: false`
    /// keeps every log as its own record.
    public init(policy: Policy, combine: Bool = true) {
        combiner = VisitCombiner(policy: policy)
        self.combine = combine
    }

    /// Room for `count` visits made up front: a list of 200,000 grown by
    /// doubling held both the old and the new storage at its peak.
    public mutating func reserveCapacity(_ count: Int) {
        records.reserveCapacity(count)
    }

    /// Logs added.
    public var logs: Int { combiner.logs }
    /// The warnings about later logs of a visit since the last call.
    public mutating func takeWarnings() -> [Diagnostic] { combiner.takeWarnings() }

    /// Adds one accepted log, read at `file`:`line`.
    public mutating func add(_ e: EvaluatedLesson, file: String = "", line: Int = 0) {
        guard combine else {
            combiner.countLog()
            records.append(e)
            return
        }
        if let position = combiner.file(VisitLog(e), position: records.count, file: file, line: line) {
            var first = combinedRows[position] ?? LessonRow(records[position], policy: combiner.policy)
            combiner.add(LessonRow(e, policy: combiner.policy), into: &first, at: position)
            combinedRows[position] = first
            var seen = observers[position] ?? records[position].observer.map { [$0] } ?? []
            if let o = e.observer, !seen.contains(o) { seen.append(o) }
            observers[position] = seen
            for tag in e.tags where !records[position].tags.contains(tag) { records[position].tags.append(tag) }
        } else {
            records.append(e)
        }
    }

    /// The visits in the order of their first logs, taken out of the list
    /// (which is left empty): no second copy of every visit.
    public mutating func takeVisits() -> [EvaluatedLesson] {
        var out: [EvaluatedLesson] = []
        swap(&out, &records)
        if combine { finishCombined(&out) }
        combinedRows = [:]
        observers = [:]
        return out
    }

    /// The visits in the order of their first logs.
    public var visits: [EvaluatedLesson] {
        var out = records
        if combine { finishCombined(&out) }
        return out
    }

    /// Each visit observed more than once gets its combined metrics,
    /// standards, number of logs and observers.
    private func finishCombined(_ out: inout [EvaluatedLesson]) {
        for position in combiner.combinedPositions {
            var row = combinedRows[position]!
            combiner.finish(&row, at: position)
            out[position].metrics = row.lessonMetrics
            out[position].standards = row.standardResults
            out[position].logs = combiner.logCount(at: position)
            out[position].observers = observers[position] ?? []
        }
    }
}

extension VisitCombiner {
    /// Counts a log kept as its own record.
    mutating func countLog() { logs += 1 }
}

/// Visits by id, open addressing with linear probing: the id is already a
/// good hash, so a lookup is one multiply-free probe in most cases (a
/// `Dictionary` hashed each id again with SipHash: 4% of a `summary`).
private struct VisitTable: Sendable {
    private var a: [UInt64] = []
    private var b: [UInt64] = []
    private var values: [VisitCombiner.First] = []
    private var used = 0

    func find(_ id: VisitID) -> VisitCombiner.First? {
        guard !a.isEmpty else { return nil }
        let mask = a.count - 1
        // `a` is never 0 for a stored id (see insert); 0 marks an empty slot.
        let key = id.a | 1
        var k = Int(truncatingIfNeeded: key >> 7) & mask
        while a[k] != 0 {
            if a[k] == key && b[k] == id.b { return values[k] }
            k = (k + 1) & mask
        }
        return nil
    }

    mutating func insert(_ id: VisitID, _ value: VisitCombiner.First) {
        if (used + 1) * 4 > a.count * 3 { rehash(max(64, a.count * 2)) }
        let mask = a.count - 1
        let key = id.a | 1
        var k = Int(truncatingIfNeeded: key >> 7) & mask
        while a[k] != 0 { k = (k + 1) & mask }
        a[k] = key
        b[k] = id.b
        values[k] = value
        used += 1
    }

    private mutating func rehash(_ size: Int) {
        let oldA = a, oldB = b, oldValues = values
        let empty = VisitCombiner.First(position: 0, file: 0, line: 0, day: 0, teacher: 0, subject: 0, observer: 0, grade: 0)
        a = [UInt64](repeating: 0, count: size)
        b = [UInt64](repeating: 0, count: size)
        values = [VisitCombiner.First](repeating: empty, count: size)
        let mask = size - 1
        for i in oldA.indices where oldA[i] != 0 {
            var k = Int(truncatingIfNeeded: oldA[i] >> 7) & mask
            while a[k] != 0 { k = (k + 1) & mask }
            a[k] = oldA[i]
            b[k] = oldB[i]
            values[k] = oldValues[i]
        }
    }
}
