/// What the statistics keep of one lesson: every metric (NaN for null), every
/// standard (1 met, 0 not met, -1 cannot tell) and the day of the visit.
/// Fixed size (160 bytes), no references: cheap to make on a worker thread
/// and to append on the merging one.
public struct LessonRow: Sendable {
    /// In `Metric.allCases` order.
    public var metrics: InlineArray<18, Double>
    /// In `Standard.allCases` order.
    public var standards: InlineArray<5, Int8>
    /// Days since 1970-01-01.
    public var day: Int

    /// The metrics and standards of one accepted lesson.
    public init(_ e: EvaluatedLesson) {
        metrics = InlineArray(repeating: .nan)
        standards = InlineArray(repeating: -1)
        for k in 0..<Metric.count { metrics[k] = e.metrics[Metric.at(k)] ?? .nan }
        for k in 0..<Standard.count { standards[k] = e.standards[Standard.at(k)].map { $0 ? 1 : 0 } ?? -1 }
        day = e.date.dayNumber
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

    /// The row of `e` under its key for `by`.
    public init(_ e: EvaluatedLesson, by: GroupBy) {
        self.init(key: by.key(of: e), row: LessonRow(e))
    }
}
