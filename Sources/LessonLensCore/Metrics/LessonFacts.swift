/// What the metrics read of one lesson, in flat buffers that are reused from
/// lesson to lesson: the one input of `LessonEvaluator`.
///
/// Two producers fill it: `load(_:)` from a decoded `Lesson`, and
/// `LessonScanner`, which reads a log line straight into it without making a
/// `Lesson`. Both then share one metrics implementation.
public struct LessonFacts: Sendable {
    public struct SegmentFact: Sendable, Equatable {
        public var start: LessonTime
        public var end: LessonTime
        public var kind: SegmentKind
        /// -1 when the segment does not give `passes`.
        public var passes: Int
        /// A `write`/`homework` segment with task `copy`.
        public var isCopying: Bool
    }

    public struct PerformanceFact: Sendable, Equatable {
        public var t: LessonTime
        /// See `Performance.studentIndex`.
        public var student: Int
        public var independent: Bool
    }

    public var durationMin = Lesson.defaultDurationMin
    public var present: Int?
    public var segments: [SegmentFact] = []
    public var performances: [PerformanceFact] = []
    /// The roster's tiers in roster order; empty without a roster (see `hasRoster`).
    public var rosterTiers: [Tier?] = []
    public var hasRoster = false
    /// Distinct students numbered by `PerformanceFact.student`.
    public var studentCount = 0
    public var homework: Homework?

    public init() {}

    /// Empties the buffers, keeping their capacity.
    public mutating func reset() {
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
    public mutating func load(_ lesson: Lesson) {
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
