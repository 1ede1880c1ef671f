/// The identity of an accepted lesson and what was computed from it: what
/// the summaries, trends and reports need, without the timeline.
public struct EvaluatedLesson: Sendable {
    public var id: String
    public var date: LessonDate
    public var teacher: String
    public var subject: String
    public var grade: Int
    public var className: String?
    public var school: String?
    public var observer: String?
    public var present: Int?
    public var tags: [String]
    public var metrics: LessonMetrics
    public var standards: StandardResults
    /// What happened when, for drawing the lesson; kept only on request
    /// (`LessonStream(keepTimelines: true)`), since summaries never need it.
    public var timeline: Timeline?

    public init(_ lesson: Lesson, metrics: LessonMetrics, standards: StandardResults, keepTimeline: Bool = false) {
        id = lesson.id; date = lesson.date; teacher = lesson.teacher; subject = lesson.subject
        grade = lesson.grade; className = lesson.className; school = lesson.school
        observer = lesson.observer; present = lesson.present; tags = lesson.tags
        self.metrics = metrics; self.standards = standards
        if keepTimeline { timeline = Timeline(lesson) }
    }

    /// For `LessonScanner`, which reads lessons without making a `Lesson`.
    init(_ identity: LessonIdentity, metrics: LessonMetrics, standards: StandardResults) {
        id = identity.id; date = identity.date; teacher = identity.teacher; subject = identity.subject
        grade = identity.grade; className = identity.className; school = identity.school
        observer = identity.observer; present = identity.present; tags = identity.tags
        self.metrics = metrics; self.standards = standards
    }
}

/// A lesson's segments and performances, with each performer's tier.
public struct Timeline: Sendable {
    public struct Mark: Sendable, Equatable {
        public var t: LessonTime
        public var tier: Tier?
        public var independent: Bool
    }

    public var durationMin: Double
    public var segments: [Segment]
    public var performances: [Mark]

    public init(_ lesson: Lesson) {
        durationMin = lesson.durationMin
        segments = lesson.segments
        let roster = lesson.students
        performances = lesson.performances.map { p in
            let tier = roster.flatMap { r in p.studentIndex < r.count ? r[p.studentIndex].tier : nil }
            return Mark(t: p.t, tier: tier, independent: p.independent)
        }
    }
}
