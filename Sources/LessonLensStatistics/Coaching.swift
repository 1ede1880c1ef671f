import CGSL
import Foundation
import LessonLensCore

/// What changed between a teacher's visits before and after coaching, read
/// honestly: every metric and standard whose change is significant (p <
/// 0.05), in both directions, largest effect first; whether the visits
/// before coaching were already moving that way; and how the group's other
/// teachers changed between the same two periods.
public struct CoachingChanges: Sendable {
    /// A metric or a standard.
    public enum Measure: Sendable, Equatable {
        case metric(Metric)
        case standard(Standard)
    }

    /// One significant change.
    public struct Change: Sendable {
        /// What changed.
        public var measure: Measure
        /// Mean (a metric) or share met (a standard) before coaching.
        public var before: Double
        /// The same after coaching.
        public var after: Double
        /// Welch's t test (metrics) or Fisher's exact test (standards), two-sided.
        public var p: Double
        /// Hedges' g (metrics) or Cohen's h (standards); nil when a standard
        /// deviation is 0 (it then ranks after every effect that is known).
        public var effect: Double?
        /// The visits before coaching already moved the same way: their
        /// least-squares slope over time has p < 0.05 (3 or more visits).
        public var alreadyTrending: Bool
        /// The other teachers' change between the same two periods: their
        /// visits dated within the after visits' date range minus those within
        /// the before visits'; nil when either range holds none of theirs.
        public var othersChange: Double?
    }

    /// Visits before coaching (tagged as the policy's `coaching.before` says).
    public var before: Int
    /// Visits after coaching.
    public var after: Int
    /// Significant changes, largest |effect| first.
    public var changes: [Change]

    /// Whether `lessons` have visits both before and after coaching (by the
    /// policy's tags): cheap, to ask before gathering the other teachers' visits.
    public static func isCoached(_ lessons: [EvaluatedLesson], policy: Policy) -> Bool {
        lessons.contains { phase($0, policy) == false } && lessons.contains { phase($0, policy) == true }
    }

    /// true after coaching, false before, nil untagged.
    static func phase(_ e: EvaluatedLesson, _ policy: Policy) -> Bool? {
        if e.tags.contains(where: policy.coachingAfter.contains) { return true }
        if e.tags.contains(where: policy.coachingBefore.contains) { return false }
        return nil
    }

    /// The changes of `lessons` (one teacher's visits) against `others` (the
    /// other teachers' visits; the teacher's own are left out); nil unless there are visits both before and
    /// after coaching. A visit tagged both ways counts as after.
    public init?(_ lessons: [EvaluatedLesson], others: [EvaluatedLesson], policy: Policy) {
        func phase(_ e: EvaluatedLesson) -> Bool? { CoachingChanges.phase(e, policy) }
        let pre = lessons.filter { phase($0) == false }, post = lessons.filter { phase($0) == true }
        guard !pre.isEmpty, !post.isEmpty else { return nil }
        before = pre.count
        after = post.count
        let preRange = pre.map(\.date).min()!...pre.map(\.date).max()!
        let postRange = post.map(\.date).min()!...post.map(\.date).max()!
        // `others` may hold this teacher's own visits too (a caller passes the
        // whole archive rather than copying it without them).
        let name = lessons.first?.teacher
        let othersBefore = others.filter { $0.teacher != name && preRange.contains($0.date) }
        let othersAfter = others.filter { $0.teacher != name && postRange.contains($0.date) }
        let firstDay = Double(pre.map(\.date.dayNumber).min()!)

        func trending(_ points: [(day: Int, value: Double)], direction: Double) -> Bool {
            guard points.count >= 3,
                  let fit = Statistics.linearFit(x: points.map { Double($0.day) - firstDay }, y: points.map(\.value)),
                  let p = fit.p, p < 0.05 else { return false }
            return fit.slope * direction > 0
        }

        var changes: [Change] = []
        for m in Metric.allCases {
            let a = pre.compactMap { $0.metrics[m] }, b = post.compactMap { $0.metrics[m] }
            let test = Statistics.welch(a: a, b: b)
            guard let p = test.p, p < 0.05, let ma = test.meanA, let mb = test.meanB else { continue }
            let oa = othersBefore.compactMap { $0.metrics[m] }, ob = othersAfter.compactMap { $0.metrics[m] }
            let others: Double? = oa.isEmpty || ob.isEmpty ? nil : ob.reduce(0, +) / Double(ob.count) - oa.reduce(0, +) / Double(oa.count)
            let points = pre.compactMap { e in e.metrics[m].map { (e.date.dayNumber, $0) } }
            changes.append(Change(measure: .metric(m), before: ma, after: mb, p: p, effect: test.hedgesG,
                                  alreadyTrending: trending(points, direction: mb - ma), othersChange: others))
        }
        for s in Standard.allCases {
            let a = pre.compactMap { $0.standards[s] }, b = post.compactMap { $0.standards[s] }
            guard !a.isEmpty, !b.isEmpty else { continue }
            let metA = a.filter { $0 }.count, metB = b.filter { $0 }.count
            guard let p = Self.fisherExact(metA, a.count - metA, metB, b.count - metB), p < 0.05 else { continue }
            let ra = Double(metA) / Double(a.count), rb = Double(metB) / Double(b.count)
            func rate(_ l: [EvaluatedLesson]) -> Double? {
                let v = l.compactMap { $0.standards[s] }
                return v.isEmpty ? nil : Double(v.filter { $0 }.count) / Double(v.count)
            }
            let others = rate(othersAfter).flatMap { x in rate(othersBefore).map { x - $0 } }
            let points = pre.compactMap { e in e.standards[s].map { (e.date.dayNumber, $0 ? 1.0 : 0.0) } }
            let h = 2 * asin(rb.squareRoot()) - 2 * asin(ra.squareRoot())
            changes.append(Change(measure: .standard(s), before: ra, after: rb, p: p, effect: h,
                                  alreadyTrending: trending(points, direction: rb - ra), othersChange: others))
        }
        self.changes = changes.sorted { x, y in
            switch (x.effect, y.effect) {
            case let (a?, b?): return abs(a) > abs(b)
            case (.some, nil): return true
            default: return false
            }
        }
    }

    /// Fisher's exact test of the 2×2 table [[a, b], [c, d]], two-sided:
    /// the probability of every table with the same margins that is no more
    /// likely than this one (GSL's hypergeometric probabilities, with
    /// scipy's relative tolerance of 1e-7 for ties); nil for an empty table.
    public static func fisherExact(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double? {
        guard a >= 0, b >= 0, c >= 0, d >= 0, a + b + c + d > 0 else { return nil }
        GSL.prepare()
        let successes = UInt32(a + c), failures = UInt32(b + d), drawn = UInt32(a + b)
        let observed = gsl_ran_hypergeometric_pdf(UInt32(a), successes, failures, drawn)
        let low = max(0, a + b - (b + d)), high = min(a + b, a + c)
        var p = 0.0
        for k in low...high {
            let q = gsl_ran_hypergeometric_pdf(UInt32(k), successes, failures, drawn)
            if q <= observed * (1 + 1e-7) { p += q }
        }
        return min(1, p)
    }
}
