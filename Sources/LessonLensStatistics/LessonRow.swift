import LessonLensCore
/// What the statistics keep of one lesson: every metric (NaN for null), every
/// standard (1 met, 0 not met, -1 cannot tell, -2 does not apply), the day of
/// the visit, and what judging a visit's combined metrics again needs.
/// Fixed size (168 bytes), no references: cheap to make on a worker thread
/// and to append on the merging one.
public struct LessonRow: Sendable {
    /// In `Metric.allCases` order.
    public var metrics: InlineArray<18, Double>
    /// In `Standard.allCases` order.
    public var standards: InlineArray<5, Int8>
    /// Students present; -1 when the log does not say.
    public var present: Int32
    /// Which of the policy's rules judge the lesson (`Policy.variantIndex`).
    public var policyVariant: Int16
    /// Days since 1970-01-01.
    public var day: Int

    /// The metrics and standards of one accepted lesson; `policy` tells
    /// which of its rules judge it (for a visit's combined record).
    public init(_ e: EvaluatedLesson, policy: Policy? = nil) {
        metrics = InlineArray(repeating: .nan)
        standards = InlineArray(repeating: -1)
        for k in 0..<Metric.count { metrics[k] = e.metrics[Metric.at(k)] ?? .nan }
        for k in 0..<Standard.count {
            let s = Standard.at(k)
            standards[k] = e.standards.applies(s) ? e.standards[s].map { $0 ? 1 : 0 } ?? -1 : -2
        }
        present = e.present.map { Int32(clamping: $0) } ?? -1
        policyVariant = policy.map { Int16(clamping: $0.variantIndex(subject: e.subject, grade: e.grade)) } ?? 0
        day = e.date.dayNumber
    }

    /// Every metric null, every standard "cannot tell" (filled by a reader).
    package init(blank: Void) {
        metrics = InlineArray(repeating: .nan)
        standards = InlineArray(repeating: -1)
        present = -1
        policyVariant = 0
        day = 0
    }

    /// The row's metrics as `LessonMetrics`.
    public var lessonMetrics: LessonMetrics {
        var m = LessonMetrics()
        for k in 0..<Metric.count {
            let v = metrics[k]
            m.set(Metric.at(k), v.isNaN ? nil : v)
        }
        return m
    }

    /// The row's standards as `StandardResults`.
    public var standardResults: StandardResults {
        var r = StandardResults()
        for k in 0..<Standard.count {
            let s = Standard.at(k)
            switch standards[k] {
            case -2: r.setInapplicable(s)
            case 1, 0: r.set(s, standards[k] == 1)
            default: break
            }
        }
        return r
    }
}

/// A lesson's row and group key, made on a worker thread, with a hash of
/// the key's bytes so that the one thread filing rows into groups need not
/// hash the key itself (a String's own hash normalizes Unicode: ~700
/// instructions a lesson there).
public struct KeyedRow: Sendable {
    /// The group the lesson belongs to.
    public let key: GroupKey
    /// The lesson's numbers.
    public let row: LessonRow
    /// What finds the other logs of its visit.
    public var log: VisitLog?
    /// `hashBytes` of the key's UTF-8 (or number); equal keys with equal
    /// bytes have equal hashes.
    package let keyHash: UInt64

    /// A row under `key`.
    public init(key: GroupKey, row: LessonRow) {
        self.key = key
        self.row = row
        switch key {
        case .all: keyHash = 0x5A5A_0001
        case .none: keyHash = 0x5A5A_0002
        case .number(let n):
            var v = n
            keyHash = withUnsafeBytes(of: &v) { hashBytes($0.baseAddress!, count: 8, readable: 8) } ^ 0x5A5A_0003
        case .text(let text):
            var text = text
            keyHash = text.withUTF8 { b in b.baseAddress.map { hashBytes($0, count: b.count, readable: b.count) } ?? 0 }
        }
    }

    /// The row of `e` under its key for `by`; with `policy`, what combining
    /// the logs of its visit needs too.
    public init(_ e: EvaluatedLesson, by: GroupBy, policy: Policy? = nil) {
        self.init(key: by.key(of: e), row: LessonRow(e, policy: policy))
        if policy != nil { log = VisitLog(e) }
    }
}
