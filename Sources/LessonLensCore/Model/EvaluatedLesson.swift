/// The identity of an accepted lesson and what was computed from it: what
/// the summaries, trends and reports need, without the timeline.
public struct EvaluatedLesson: Sendable {
    /// Who, when, where: one stored value, so that the scanner's identity
    /// moves in whole (no retain and release of each of its strings).
    @usableFromInline var identity: LessonIdentity
    public var metrics: LessonMetrics
    public var standards: StandardResults
    /// What happened when, for drawing the lesson; kept only on request
    /// (`LessonStream(keepTimelines: true)`), since summaries never need it.
    public var timeline: Timeline?

    public var id: String { get { identity.id } set { identity.id = newValue } }
    @inlinable public var date: LessonDate { get { identity.date } set { identity.date = newValue } }
    @inlinable public var teacher: String { get { identity.teacher } set { identity.teacher = newValue } }
    @inlinable public var subject: String { get { identity.subject } set { identity.subject = newValue } }
    @inlinable public var grade: Int { get { identity.grade } set { identity.grade = newValue } }
    @inlinable public var className: String? { get { identity.className } set { identity.className = newValue } }
    @inlinable public var school: String? { get { identity.school } set { identity.school = newValue } }
    @inlinable public var observer: String? { get { identity.observer } set { identity.observer = newValue } }
    @inlinable public var present: Int? { get { identity.present } set { identity.present = newValue } }
    @inlinable public var tags: [String] { get { identity.tags } set { identity.tags = newValue } }
    @inlinable public var period: Int? { get { identity.period } set { identity.period = newValue } }
    /// The observed lesson (extension `visit`), shared by every observer's log of it.
    @inlinable public var visit: String? { get { identity.visit } set { identity.visit = newValue } }
    /// The observer's comments (extension `notes`); kept only with the timeline.
    public var notes: String?

    public init(_ lesson: Lesson, metrics: LessonMetrics, standards: StandardResults, keepTimeline: Bool = false) {
        identity = LessonIdentity(id: lesson.id, date: lesson.date, teacher: lesson.teacher, subject: lesson.subject,
                                  grade: lesson.grade, className: lesson.className, school: lesson.school,
                                  observer: lesson.observer, present: lesson.present, tags: lesson.tags,
                                  period: lesson.period, visit: lesson.visit)
        self.metrics = metrics; self.standards = standards
        if keepTimeline {
            timeline = Timeline(lesson)
            notes = lesson.notes
        }
    }

    /// For `LessonScanner`, which reads lessons without making a `Lesson`.
    init(_ identity: consuming LessonIdentity, metrics: LessonMetrics, standards: StandardResults) {
        self.identity = identity
        self.metrics = metrics; self.standards = standards
    }
}

/// What identifies a lesson and groups it (read by `LessonScanner`, or
/// taken from a decoded `Lesson`).
@usableFromInline struct LessonIdentity: Sendable {
    @usableFromInline var id: String
    @usableFromInline var date: LessonDate
    @usableFromInline var teacher: String
    @usableFromInline var subject: String
    @usableFromInline var grade: Int
    @usableFromInline var className: String?
    @usableFromInline var school: String?
    @usableFromInline var observer: String?
    @usableFromInline var present: Int?
    @usableFromInline var tags: [String]
    @usableFromInline var period: Int?
    @usableFromInline var visit: String?
}

/// A lesson's segments and performances, with each performer's tier.
public struct Timeline: Sendable {
    public struct Mark: Sendable, Equatable {
        public var t: LessonTime
        public var tier: Tier?
        public var independent: Bool
        /// The student's id as the log wrote it (reports name it on hover).
        public var student: String = ""
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
            return Mark(t: p.t, tier: tier, independent: p.independent, student: p.student)
        }
    }
}
