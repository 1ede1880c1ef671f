/// What lessons are grouped by in summaries and trends.
public enum GroupBy: String, CaseIterable, Sendable {
    case teacher, subject, grade, school, observer, `class`, month, all

    /// The group a lesson belongs to.
    public func key(of e: EvaluatedLesson) -> GroupKey {
        switch self {
        case .teacher: return .text(e.teacher)
        case .subject: return .text(e.subject)
        case .grade: return .number(e.grade)
        case .school: return e.school.map(GroupKey.text) ?? .none
        case .observer: return e.observer.map(GroupKey.text) ?? .none
        case .class: return e.className.map(GroupKey.text) ?? .none
        case .month: return .text(e.date.monthKey)
        case .all: return .all
        }
    }
}

/// A group's key. Groups sort by key: numbers numerically, text by Unicode
/// order, lessons without the field (`none`) last.
public enum GroupKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    case all
    case number(Int)
    case text(String)
    /// The lesson does not give the field (no `school`, say).
    case none

    public var description: String {
        switch self {
        case .all: return "all"
        case .number(let n): return String(n)
        case .text(let s): return s
        case .none: return "(none)"
        }
    }

    /// The key as a JSON value.
    public var json: String {
        switch self {
        case .all: return "\"all\""
        case .number(let n): return String(n)
        case .text(let s): return Text.jsonString(s)
        case .none: return "null"
        }
    }

    private var rank: Int {
        switch self {
        case .all: return 0
        case .number: return 1
        case .text: return 2
        case .none: return 3
        }
    }

    public static func < (a: GroupKey, b: GroupKey) -> Bool {
        switch (a, b) {
        case let (.number(x), .number(y)): return x < y
        // UTF-8 byte order is Unicode scalar order, and does not depend on locale.
        case let (.text(x), .text(y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        default: return a.rank < b.rank
        }
    }
}

/// The metric values and standard judgements of a set of lessons (what the
/// statistics need, nothing per raw line): 8 bytes a metric and 1 byte a
/// standard per lesson, plus the day of the visit.
///
/// Stored row after row in two flat arrays, so adding a lesson is two
/// appends of a fixed-size row; a column is gathered when asked for.
public struct LessonColumns: Sendable {
    public private(set) var count = 0
    /// Days since 1970-01-01 of each lesson.
    public private(set) var days: [Int] = []
    /// `Metric.count` values per lesson, in `Metric.allCases` order; NaN stands for null.
    private var metricRows: [Double] = []
    /// `Standard.count` values per lesson: 1 met, 0 not met, -1 cannot tell.
    private var standardRows: [Int8] = []

    public init() {}

    public mutating func append(_ e: EvaluatedLesson) {
        count += 1
        days.append(e.date.dayNumber)
        let m = e.metrics, s = e.standards
        metricRows.append(contentsOf: (0..<Metric.count).lazy.map { m[Metric.at($0)] ?? .nan })
        standardRows.append(contentsOf: (0..<Standard.count).lazy.map { s[Standard.at($0)].map { $0 ? 1 : 0 } ?? -1 })
    }

    /// Every value of the metric, or NaN where it is null (aligned with `days`).
    public func column(_ m: Metric) -> [Double] {
        let stride = Metric.count, offset = m.position
        return metricRows.withUnsafeBufferPointer { rows in
            (0..<count).map { rows[$0 * stride + offset] }
        }
    }

    /// The metric's values of the lessons where it is not null.
    public func values(_ m: Metric) -> [Double] { column(m).filter { !$0.isNaN } }

    /// (met, judged) of a standard.
    public func tally(_ s: Standard) -> (met: Int, judged: Int) {
        var met = 0, judged = 0
        for row in 0..<count {
            let v = standardRows[row * Standard.count + s.position]
            if v >= 0 { judged += 1; met += Int(v) }
        }
        return (met, judged)
    }

    public var firstDay: Int? { days.min() }
    public var lastDay: Int? { days.max() }
}

/// Lessons gathered into groups by a key.
public struct GroupedLessons: Sendable {
    public let by: GroupBy
    public private(set) var groups: [GroupKey: LessonColumns] = [:]

    public init(by: GroupBy) { self.by = by }

    public mutating func add(_ e: EvaluatedLesson) {
        groups[by.key(of: e), default: LessonColumns()].append(e)
    }

    /// Groups in key order.
    public var sorted: [(key: GroupKey, lessons: LessonColumns)] {
        groups.keys.sorted().map { ($0, groups[$0]!) }
    }
}
