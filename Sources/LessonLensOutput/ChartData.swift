import LessonLensCore
import LessonLensStatistics

/// The numbers behind each chart, apart from how they are drawn
/// (Charts.swift): another renderer could take the same data.

/// The lanes of a lesson timeline, one per group of segment kinds, so that
/// overlapping segments of different groups stay visible.
package enum TimelineLane: Int, CaseIterable, Sendable {
    case reading, writing, homework, talk, interaction, other

    package init(_ kind: SegmentKind) {
        switch kind {
        case .read: self = .reading
        case .write: self = .writing
        case .homework: self = .homework
        case .lecture: self = .talk
        case .discussion, .group, .activity: self = .interaction
        case .transition, .other: self = .other
        }
    }
}

/// One lesson drawn to scale, in minutes.
package struct TimelineChartData: Sendable {
    package struct Bar: Sendable, Equatable {
        package var start: Double
        package var end: Double
        package var kind: SegmentKind
    }
    package struct Tick: Sendable, Equatable {
        package var t: Double
        package var tier: Tier?
        /// false: prompted (drawn hollow).
        package var independent: Bool = true
        package var student: String = ""
    }

    package var durationMin: Double
    /// The right end of the axis: the scheduled end or the last event, whichever is later.
    package var axisEndMin: Double
    package var bars: [TimelineLane: [Bar]]
    /// Independent performances only.
    package var ticks: [Tick]
    package var secondHalfActiveMin: Double

    package init(_ timeline: Timeline, metrics: LessonMetrics) {
        durationMin = timeline.durationMin
        axisEndMin = max(timeline.durationMin, metrics.end_min)
        var bars: [TimelineLane: [Bar]] = [:]
        for s in timeline.segments {
            bars[TimelineLane(s.kind), default: []].append(Bar(start: s.start / 60, end: s.end / 60, kind: s.kind))
        }
        self.bars = bars
        ticks = timeline.performances.map { Tick(t: $0.t / 60, tier: $0.tier, independent: $0.independent, student: $0.student) }
        secondHalfActiveMin = metrics.second_half_active_min
    }
}

/// A value against its target: reading against 10 minutes, say.
package struct Gauge: Sendable {
    package var label: String
    package var value: Double?
    /// The target: at least `target.lowerBound`, at most `target.upperBound`.
    package var target: ClosedRange<Double>
    package var axisMax: Double
    package var unit: String
    package var met: Bool?

    package init(label: String, value: Double?, target: ClosedRange<Double>, axisMax: Double, unit: String, met: Bool?) {
        self.label = label; self.value = value; self.target = target; self.axisMax = axisMax; self.unit = unit; self.met = met
    }
}

/// Whether a visit came before or after coaching (from its tags).
package enum CoachingPhase: Sendable {
    case before, after

    /// The phase the policy's coaching tags give (after wins over before).
    package init?(tags: [String], policy: Policy = .default) {
        if tags.contains(where: policy.coachingAfter.contains) { self = .after }
        else if tags.contains(where: policy.coachingBefore.contains) { self = .before } else { return nil }
    }
}

/// One metric of one teacher over the semester, with its least-squares line
/// and the 95% band of the line.
package struct TrendChartData: Sendable {
    package struct Point: Sendable {
        package var day: Int
        package var value: Double
        package var phase: CoachingPhase?
    }

    package var metric: Metric
    package var points: [Point]
    package var firstDay: Int
    package var lastDay: Int
    package var fit: Statistics.LinearFit?
    /// The first day after coaching, when the tags say so.
    package var coachingDay: Int?
    package var target: Double?

    package init(metric: Metric, lessons: [EvaluatedLesson], target: Double?, policy: Policy = .default) {
        self.metric = metric
        self.target = target
        points = lessons.compactMap { e in
            e.metrics[metric].map { Point(day: e.date.dayNumber, value: $0, phase: CoachingPhase(tags: e.tags, policy: policy)) }
        }
        firstDay = lessons.map(\.date.dayNumber).min() ?? 0
        lastDay = lessons.map(\.date.dayNumber).max() ?? 0
        coachingDay = points.filter { $0.phase == .after }.map(\.day).min()
        fit = Statistics.linearFit(x: points.map { Double($0.day - firstDay) }, y: points.map(\.value))
    }

    /// The fitted line and its 95% band at `x` days after the first visit:
    /// ŷ ± t(0.975, n−2)·√(c00 + 2x·c01 + x²·c11).
    package func band(at x: Double) -> (fit: Double, low: Double, high: Double)? {
        guard let fit else { return nil }
        let y = fit.intercept + fit.slope * x
        guard let t = Statistics.tCritical(df: Double(fit.n - 2)) else { return (y, y, y) }
        let variance = max(0, fit.cov00 + 2 * x * fit.cov01 + x * x * fit.cov11)
        let half = t * variance.squareRoot()
        return (y, y - half, y + half)
    }
}

/// A teacher's standard rates beside the whole archive's.
package struct RateComparisonData: Sendable {
    package var rows: [(standard: Standard, teacher: StandardRate, archive: StandardRate)]
}

/// Share of independent performances by tier, per visit.
package struct TierSharesData: Sendable {
    package struct Visit: Sendable {
        package var date: LessonDate
        package var top: Double
        package var middle: Double
        package var bottom: Double
        package var performances: Int
    }
    package var visits: [Visit]

    package init(_ lessons: [EvaluatedLesson]) {
        visits = lessons.compactMap { e in
            guard let timeline = e.timeline else { return nil }
            let marks = timeline.performances.filter(\.independent)
            let withTier = marks.filter { $0.tier != nil }
            guard !withTier.isEmpty else { return nil }
            let n = Double(marks.count)
            func share(_ t: Tier) -> Double { Double(marks.filter { $0.tier == t }.count) / n }
            return Visit(date: e.date, top: share(.top), middle: share(.middle), bottom: share(.bottom), performances: marks.count)
        }
    }
}
