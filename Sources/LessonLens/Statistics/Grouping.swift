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

    public init(_ e: EvaluatedLesson) {
        metrics = InlineArray(repeating: .nan)
        standards = InlineArray(repeating: -1)
        for k in 0..<Metric.count { metrics[k] = e.metrics[Metric.at(k)] ?? .nan }
        for k in 0..<Standard.count { standards[k] = e.standards[Standard.at(k)].map { $0 ? 1 : 0 } ?? -1 }
        day = e.date.dayNumber
    }
}

/// The rows of a set of lessons (what the statistics need, nothing per raw
/// line); a column is gathered when asked for.
public struct LessonColumns: Sendable {
    private var rows: [LessonRow] = []

    public init() {}

    public var count: Int { rows.count }

    /// Days since 1970-01-01 of each lesson.
    public var days: [Int] { rows.map(\.day) }

    public mutating func append(_ e: EvaluatedLesson) { rows.append(LessonRow(e)) }
    public mutating func append(_ row: LessonRow) { rows.append(row) }

    /// Every value of the metric, or NaN where it is null (aligned with `days`).
    public func column(_ m: Metric) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(rows.count)
        forEachRow(at: LessonColumns.offset(of: m), as: Double.self) { out.append($0) }
        return out
    }

    /// The metric's values of the lessons where it is not null.
    public func values(_ m: Metric) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(rows.count)
        forEachRow(at: LessonColumns.offset(of: m), as: Double.self) { if !$0.isNaN { out.append($0) } }
        return out
    }

    /// (met, judged) of a standard.
    public func tally(_ s: Standard) -> (met: Int, judged: Int) {
        var met = 0, judged = 0
        let offset = MemoryLayout<LessonRow>.offset(of: \.standards)! + s.position
        forEachRow(at: offset, as: Int8.self) { v in
            if v >= 0 { judged += 1; met += Int(v) }
        }
        return (met, judged)
    }

    /// Where a metric sits in a row.
    private static func offset(of m: Metric) -> Int {
        MemoryLayout<LessonRow>.offset(of: \.metrics)! + m.position * MemoryLayout<Double>.stride
    }

    /// One field of every row, in order, read where it lies: reading
    /// `rows[i].metrics[k]` would copy the whole 160-byte row first.
    private func forEachRow<T>(at offset: Int, as type: T.Type, _ body: (T) -> Void) {
        let stride = MemoryLayout<LessonRow>.stride
        rows.withUnsafeBytes { raw in
            for row in 0..<rows.count { body(raw.load(fromByteOffset: row * stride + offset, as: T.self)) }
        }
    }

    public var firstDay: Int? { rows.lazy.map(\.day).min() }
    public var lastDay: Int? { rows.lazy.map(\.day).max() }
}

/// Lessons gathered into groups by a key.
public struct GroupedLessons: Sendable {
    public let by: GroupBy
    /// Position of each key's columns in `columns`: appending to an array
    /// element is in place, where a dictionary value may be copied out and
    /// back (a copy of the whole group per lesson).
    private var index: [GroupKey: Int] = [:]
    private var columns: [LessonColumns] = []

    public init(by: GroupBy) { self.by = by }

    public mutating func add(_ e: EvaluatedLesson) {
        add(LessonRow(e), key: by.key(of: e))
    }

    /// Adds a row whose key was found already (both on a worker thread).
    public mutating func add(_ row: LessonRow, key: GroupKey) {
        if let k = index[key] {
            columns[k].append(row)
        } else {
            index[key] = columns.count
            var group = LessonColumns()
            group.append(row)
            columns.append(group)
        }
    }

    /// Groups in key order.
    public var sorted: [(key: GroupKey, lessons: LessonColumns)] {
        index.sorted { $0.key < $1.key }.map { ($0.key, columns[$0.value]) }
    }
}
