import Dispatch
import Synchronization
import LessonLensCore

/// The analyses a teaching-research group runs over many lessons: pure
/// functions from gathered lessons to results; the CLI only prints them.

/// Groups with fewer lessons than this are flagged: one visit says little.
public let fewVisitsThreshold = 4

// MARK: Summary

public struct StandardRate: Sendable, Equatable {
    public var judged: Int
    public var met: Int
    /// met / judged; nil when judged is 0.
    public var rate: Double?
    public var ci95: Statistics.Interval?

    public init(met: Int, judged: Int) {
        self.met = met
        self.judged = judged
        rate = judged > 0 ? Double(met) / Double(judged) : nil
        ci95 = Statistics.wilson(met: met, judged: judged)
    }
}

public struct GroupSummary: Sendable {
    public var key: GroupKey
    public var lessons: Int
    /// Per metric; nil when no lesson of the group gives the metric.
    public var metrics: [(Metric, Statistics.Description?)]
    public var standards: [(Standard, StandardRate)]
    /// Visits needed for reliability 0.7 on the standards' metrics, from the
    /// archive's own ICC (`Reliability.visitsNeededForStandards`); nil when
    /// the archive cannot tell, and then the fixed threshold of 4 applies.
    public var visitsNeeded: Int?
    public var fewVisits: Bool { lessons < (visitsNeeded ?? fewVisitsThreshold) }
}

/// Describes every group; groups are independent, so they are spread over
/// `threads` threads (the answer does not depend on how many).
public func summarize(_ grouped: GroupedLessons, threads: Int = 1) -> [GroupSummary] {
    let groups = grouped.sorted
    let needed = Reliability.visitsNeededForStandards { m in groups.map { $0.1.values(m) } }
    @Sendable func summary(_ k: Int) -> GroupSummary {
        let (key, columns) = groups[k]
        return GroupSummary(
            key: key, lessons: columns.count,
            metrics: Metric.allCases.map { ($0, Statistics.describe(columns.values($0))?.clipped(to: $0.bounds)) },
            standards: Standard.allCases.map { s in
                let (met, judged) = columns.tally(s)
                return (s, StandardRate(met: met, judged: judged))
            },
            visitsNeeded: needed)
    }
    guard threads > 1, groups.count > 1 else { return groups.indices.map(summary) }
    let results = UnsafeMutableBufferPointer<GroupSummary?>.allocate(capacity: groups.count)
    results.initialize(repeating: nil)
    // Deinitialized too: the summaries hold arrays that would otherwise leak.
    defer {
        results.deinitialize()
        results.deallocate()
    }
    nonisolated(unsafe) let slots = results
    // Each thread takes the next group not yet taken: with fixed shares, a
    // thread that the machine slows (or a share of large groups) left the
    // others idle at the end.
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
        while true {
            let k = next.add(1, ordering: .relaxed).oldValue
            guard k < groups.count else { return }
            slots[k] = summary(k)
        }
    }
    return results.map { $0! }
}

// MARK: Trend

public struct MetricTrend: Sendable {
    public var n: Int
    public var fit: Statistics.LinearFit?
    public var slopePer30Days: Double? { fit.map { $0.slope * 30 } }
    public var sePer30Days: Double? { fit?.slopeSE.map { $0 * 30 } }
}

public struct GroupTrend: Sendable {
    public var key: GroupKey
    public var lessons: Int
    public var firstDate: LessonDate
    public var lastDate: LessonDate
    public var metrics: [(Metric, MetricTrend)]
}

/// Least squares of each metric on days since the group's first lesson, for
/// groups with at least 3 lessons on at least 2 dates; metrics with n < 3 are
/// left out.
public func trends(_ grouped: GroupedLessons) -> [GroupTrend] {
    grouped.sorted.compactMap { key, columns in
        let days = columns.days
        guard columns.count >= 3, let first = days.min(), let last = days.max(), last > first else { return nil }
        var metrics: [(Metric, MetricTrend)] = []
        for m in Metric.allCases {
            var x: [Double] = [], y: [Double] = []
            for (day, v) in zip(days, columns.column(m)) where !v.isNaN {
                x.append(Double(day - first))
                y.append(v)
            }
            guard y.count >= 3 else { continue }
            metrics.append((m, MetricTrend(n: y.count, fit: Statistics.linearFit(x: x, y: y))))
        }
        return GroupTrend(key: key, lessons: columns.count, firstDate: .fromDayNumber(first),
                          lastDate: .fromDayNumber(last), metrics: metrics)
    }
}

// MARK: Compare

/// Selects lessons: `tag=NAME` or `FIELD=VALUE` with FIELD a group key;
/// several joined by commas must all hold.
public struct LessonFilter: Sendable, CustomStringConvertible {
    public enum Condition: Sendable {
        case tag(String)
        case field(GroupBy, String)
    }

    public let conditions: [Condition]
    public let description: String

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(_ text: String) throws(ParseError) {
        var conditions: [Condition] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let eq = part.firstIndex(of: "=") else {
                throw ParseError(description: "filter \"\(part)\" is not FIELD=VALUE or tag=NAME")
            }
            let field = part[..<eq].trimmed()
            let value = part[part.index(after: eq)...].trimmed()
            if field == "tag" {
                conditions.append(.tag(value))
            } else if let by = GroupBy(rawValue: field) {
                conditions.append(.field(by, value))
            } else {
                let fields = (["tag"] + GroupBy.allCases.map(\.rawValue)).joined(separator: ", ")
                throw ParseError(description: "unknown filter field \"\(field)\" (one of \(fields))")
            }
        }
        self.conditions = conditions
        self.description = text
    }

    public func matches(_ e: EvaluatedLesson) -> Bool {
        conditions.allSatisfy { c in
            switch c {
            case .tag(let name): return e.tags.contains(name)
            case .field(.all, _): return true
            case .field(let by, let value): return by.key(of: e).description == value
            }
        }
    }
}

public struct MetricComparison: Sendable {
    public var metric: Metric
    public var welch: Statistics.WelchTest?
    public var paired: Statistics.PairedTest?
}

public struct StandardComparison: Sendable {
    public var standard: Standard
    public var a: StandardRate
    public var b: StandardRate
}

public struct Comparison: Sendable {
    public var a: String
    public var b: String
    public var pairedBy: GroupBy?
    public var lessonsA: Int
    public var lessonsB: Int
    public var metrics: [MetricComparison]
    public var standards: [StandardComparison]
}

/// Compares side b with side a (differences are b - a). Unpaired: Welch's t
/// test per metric. Paired by a key: the mean of each side per key value
/// present on both sides, then a paired t test over those pairs.
public func compare(a: [EvaluatedLesson], b: [EvaluatedLesson], filterA: String, filterB: String,
                    pairedBy: GroupBy?) -> Comparison {
    var ca = LessonColumns(), cb = LessonColumns()
    a.forEach { ca.append($0) }
    b.forEach { cb.append($0) }
    var metrics: [MetricComparison] = []
    for m in Metric.allCases {
        if let by = pairedBy {
            var differences: [Double] = []
            let sideA = meansByKey(a, by, m), sideB = meansByKey(b, by, m)
            for key in sideA.keys.sorted() {
                if let ma = sideA[key], let mb = sideB[key] { differences.append(mb - ma) }
            }
            metrics.append(MetricComparison(metric: m, welch: nil, paired: Statistics.paired(differences: differences)))
        } else {
            metrics.append(MetricComparison(metric: m, welch: Statistics.welch(a: ca.values(m), b: cb.values(m)), paired: nil))
        }
    }
    let standards = Standard.allCases.map { s in
        let ta = ca.tally(s), tb = cb.tally(s)
        return StandardComparison(standard: s, a: StandardRate(met: ta.met, judged: ta.judged),
                                  b: StandardRate(met: tb.met, judged: tb.judged))
    }
    return Comparison(a: filterA, b: filterB, pairedBy: pairedBy, lessonsA: a.count, lessonsB: b.count,
                      metrics: metrics, standards: standards)
}

/// Mean of a metric per key value, over the lessons where it is not null.
private func meansByKey(_ lessons: [EvaluatedLesson], _ by: GroupBy, _ m: Metric) -> [GroupKey: Double] {
    var sums: [GroupKey: (Double, Int)] = [:]
    for e in lessons {
        guard let v = e.metrics[m] else { continue }
        let key = by.key(of: e)
        let (s, n) = sums[key] ?? (0, 0)
        sums[key] = (s + v, n + 1)
    }
    return sums.mapValues { $0.0 / Double($0.1) }
}

// MARK: Correlate

public struct MetricPairCorrelation: Sendable {
    public var x: Metric
    public var y: Metric
    public var correlation: Statistics.Correlation
}

/// Every pair of metrics, over the lessons where both are not null.
public func correlations(_ columns: LessonColumns, method: Statistics.CorrelationMethod) -> [MetricPairCorrelation] {
    let all = Metric.allCases
    var out: [MetricPairCorrelation] = []
    for i in all.indices {
        let xs = columns.column(all[i])
        for j in (i + 1)..<all.count {
            let ys = columns.column(all[j])
            var x: [Double] = [], y: [Double] = []
            for (a, b) in zip(xs, ys) where !a.isNaN && !b.isNaN {
                x.append(a)
                y.append(b)
            }
            out.append(MetricPairCorrelation(x: all[i], y: all[j], correlation: Statistics.correlation(x, y, method: method)))
        }
    }
    return out
}

extension Substring {
    /// Without leading and trailing spaces.
    func trimmed() -> String {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
