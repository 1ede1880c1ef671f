/// What the metrics read of one lesson, in flat buffers that are reused from
/// lesson to lesson: the one input of `LessonEvaluator`.
///
/// Two producers fill it: `load(_:)` from a decoded `Lesson`, and
/// `LessonScanner`, which reads a log line straight into it without making a
/// `Lesson`. Both then share one metrics implementation.
package struct LessonFacts: Sendable, Equatable {
    /// A segment as the metrics read it.
    package struct SegmentFact: Sendable, Equatable {
        /// Seconds from the start of the lesson.
        package var start: LessonTime
        /// Seconds from the start of the lesson.
        package var end: LessonTime
        /// What the class does in it.
        package var kind: SegmentKind
        /// -1 when the segment does not give `passes`.
        package var passes: Int
        /// A `write`/`homework` segment with task `copy`.
        package var isCopying: Bool
    }

    /// A performance as the metrics read it.
    package struct PerformanceFact: Sendable, Equatable {
        /// Seconds from the start of the lesson.
        package var t: LessonTime
        /// See `Performance.studentIndex`.
        package var student: Int
        /// Whether it counts for "one 18" (not choral, not prompted).
        package var independent: Bool
    }

    /// Scheduled length in minutes.
    package var durationMin = Lesson.defaultDurationMin
    /// Students present, when the log says.
    package var present: Int?
    /// The segments in log order.
    package var segments: [SegmentFact] = []
    /// The performances in log order.
    package var performances: [PerformanceFact] = []
    /// The roster's tiers in roster order; empty without a roster (see `hasRoster`).
    package var rosterTiers: [Tier?] = []
    /// Whether the lesson has a roster (tier metrics need one).
    package var hasRoster = false
    /// Distinct students numbered by `PerformanceFact.student`.
    package var studentCount = 0
    /// The in-class homework's outcome, when recorded.
    package var homework: Homework?

    /// Empty facts, filled by `load(_:)` or the scanner.
    package init() {}

    /// Empties the buffers, keeping their capacity.
    package mutating func reset() {
        durationMin = Lesson.defaultDurationMin
        present = nil
        segments.removeAll(keepingCapacity: true)
        performances.removeAll(keepingCapacity: true)
        rosterTiers.removeAll(keepingCapacity: true)
        hasRoster = false
        studentCount = 0
        homework = nil
    }

    /// Refills from a decoded lesson.
    package mutating func load(_ lesson: Lesson) {
        // A lesson changed by hand after it was indexed (a performance
        // appended, the roster edited) is numbered again: the evaluator
        // counts students through an unchecked buffer of `studentCount`.
        if lesson.performances.contains(where: { $0.studentIndex < 0 || $0.studentIndex >= lesson.studentCount })
            || lesson.studentCount < (lesson.students?.count ?? 0) {
            var copy = lesson
            copy.indexStudents()
            return load(copy)
        }
        reset()
        durationMin = lesson.durationMin
        present = lesson.present
        for s in lesson.segments {
            segments.append(SegmentFact(start: s.start, end: s.end, kind: s.kind, passes: s.passes ?? -1, isCopying: s.isCopying))
        }
        for p in lesson.performances {
            performances.append(PerformanceFact(t: p.t, student: p.studentIndex, independent: p.independent))
        }
        if let roster = lesson.students {
            hasRoster = true
            for s in roster { rosterTiers.append(s.tier) }
        }
        studentCount = lesson.studentCount
        homework = lesson.homework
    }
}
