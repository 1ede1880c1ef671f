import Dispatch
import Synchronization
import LessonLensCore

/// The analyses a teaching-research group runs over many lessons: pure
/// functions from gathered lessons to results; the CLI only prints them.

/// Groups with fewer lessons than this are flagged: one visit says little.
public let fewVisitsThreshold = 4

// MARK: Summary

/// How often a standard was met among the lessons where it could be judged.
public struct StandardRate: Sendable, Equatable {
    /// Lessons where the standard could be judged.
    public var judged: Int
    /// Lessons where it was met.
    public var met: Int
    /// met / judged; nil when judged is 0.
    public var rate: Double?
    /// Wilson's 95% interval for the rate; nil when judged is 0.
    public var ci95: Statistics.Interval?
    /// False when the policy says the standard applies to none of the
    /// lessons (`"applies": false` for their subject or grade).
    public var applies = true

    /// The rate of `met` out of `judged`, with its Wilson interval.
    public init(met: Int, judged: Int) {
        self.met = met
        self.judged = judged
        rate = judged > 0 ? Double(met) / Double(judged) : nil
        ci95 = Statistics.wilson(met: met, judged: judged)
    }
}

/// One group of `summary`: each metric described, each standard's rate.
public struct GroupSummary: Sendable {
    /// The group's key (a teacher, a month, ...).
    public var key: GroupKey
    /// Visits in the group (logs, with `--per-log`).
    public var lessons: Int
    /// Observers' logs behind those visits.
    public var logs: Int
    /// Per metric; nil when no lesson of the group gives the metric.
    public var metrics: [(Metric, Statistics.Description?)]
    /// Per standard, in `Standard.allCases` order.
    public var standards: [(Standard, StandardRate)]
    /// Visits the group needs: the most `visits_needed` (reliability 0.7)
    /// among the stable metrics of the standards that apply to its lessons
    /// and that it has values of; `fewVisitsThreshold` (4) when none is stable.
    public var visitsNeeded: Int
    /// Those stable metrics whose visits needed exceed the group's visits.
    public var fewVisitsMetrics: [Metric]
    /// Too few visits to judge some metric by (`fewVisitsMetrics` not empty).
    public var fewVisits: Bool { !fewVisitsMetrics.isEmpty }
}

extension GroupedLessons {
    /// Describes every group; groups are independent, so they are spread over
    /// `threads` threads (the answer does not depend on how many).
    public func summaries(threads: Int = 1) -> [GroupSummary] {
        let groups = sorted
        let reliability = Reliability.standardMetricReliability { m in groups.map { $0.1.values(m) } }
        @Sendable func summary(_ k: Int) -> GroupSummary {
            let (key, columns) = groups[k]
            let standards = Standard.allCases.map { s in
                let (met, judged) = columns.tally(s)
                var rate = StandardRate(met: met, judged: judged)
                rate.applies = columns.count == 0 || columns.applies(s)
                return (s, rate)
            }
            let metrics = Metric.allCases.map { ($0, Statistics.describe(columns.values($0))?.clipped(to: $0.bounds)) }
            let need = reliability.needs(of: columns)
            return GroupSummary(key: key, lessons: columns.count, logs: columns.logs, metrics: metrics, standards: standards,
                                visitsNeeded: need.visits, fewVisitsMetrics: need.short)
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
}

// MARK: Trend

/// One metric's straight-line trend over a group's lessons (value against day).
public struct MetricTrend: Sendable {
    /// Lessons that give the metric.
    public var n: Int
    /// The least-squares line; nil where it cannot be fitted.
    public var fit: Statistics.LinearFit?
    /// The slope as change per 30 days.
    public var slopePer30Days: Double? { fit.map { $0.slope * 30 } }
    /// The slope's standard error per 30 days.
    public var sePer30Days: Double? { fit?.slopeSE.map { $0 * 30 } }
}

/// One group of `trend`: each metric's change over time.
public struct GroupTrend: Sendable {
    /// The group's key.
    public var key: GroupKey
    /// Visits in the group (logs, with `--per-log`).
    public var lessons: Int
    /// Observers' logs behind those visits.
    public var logs: Int = 0
    /// The first lesson's day.
    public var firstDate: LessonDate
    /// The last lesson's day.
    public var lastDate: LessonDate
    /// Per metric, in `Metric.allCases` order.
    public var metrics: [(Metric, MetricTrend)]
}

extension GroupedLessons {
    /// Least squares of each metric on days since the group's first lesson, for
    /// groups with at least 3 lessons on at least 2 dates; metrics with n < 3 are
    /// left out.
    public func trends() -> [GroupTrend] {
        sorted.compactMap { key, columns in
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
            return GroupTrend(key: key, lessons: columns.count, logs: columns.logs, firstDate: .fromDayNumber(first),
                              lastDate: .fromDayNumber(last), metrics: metrics)
        }
    }
}

// MARK: Compare

/// One metric compared between the two sides.
public struct MetricComparison: Sendable {
    /// The metric.
    public var metric: Metric
    /// Welch's test of b - a; nil when paired.
    public var welch: Statistics.WelchTest?
    /// The paired test over matched groups; nil when not paired.
    public var paired: Statistics.PairedTest?
}

/// One standard's rate on each side.
public struct StandardComparison: Sendable {
    /// The standard.
    public var standard: Standard
    /// Its rate among side a's lessons.
    public var a: StandardRate
    /// Its rate among side b's lessons.
    public var b: StandardRate
}

/// What `compare` computes: two filtered sides, every metric and standard.
public struct Comparison: Sendable {
    /// Side a's filter as written.
    public var a: String
    /// Side b's filter as written.
    public var b: String
    /// The key the sides were paired by, if any.
    public var pairedBy: GroupBy?
    /// Lessons on side a.
    public var lessonsA: Int
    /// Lessons on side b.
    public var lessonsB: Int
    /// Logs behind side a's lessons (more when visits were combined).
    public var logsA: Int = 0
    /// Logs behind side b's lessons.
    public var logsB: Int = 0
    /// Per metric, in `Metric.allCases` order.
    public var metrics: [MetricComparison]
    /// Per standard, in `Standard.allCases` order.
    public var standards: [StandardComparison]
}

extension Comparison {
    /// Compares side b with side a (differences are b - a). Unpaired: Welch's t
    /// test per metric. Paired by a key: the mean of each side per key value
    /// present on both sides, then a paired t test over those pairs.
    public static func compare(a: [EvaluatedLesson], b: [EvaluatedLesson], filterA: String, filterB: String,
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
                          logsA: a.reduce(0) { $0 + $1.logs }, logsB: b.reduce(0) { $0 + $1.logs },
                          metrics: metrics, standards: standards)
    }
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

/// The correlation of two metrics over the lessons that give both.
public struct MetricPairCorrelation: Sendable {
    /// The first metric.
    public var x: Metric
    /// The second metric.
    public var y: Metric
    /// Their correlation with its n and p.
    public var correlation: Statistics.Correlation
}

extension LessonColumns {
    /// Every pair of metrics, over the lessons where both are not null.
    public func correlations(method: Statistics.CorrelationMethod) -> [MetricPairCorrelation] {
        let all = Metric.allCases
        var out: [MetricPairCorrelation] = []
        for i in all.indices {
            let xs = column(all[i])
            for j in (i + 1)..<all.count {
                let ys = column(all[j])
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
