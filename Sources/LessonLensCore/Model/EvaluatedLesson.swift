/// The identity of an accepted lesson and what was computed from it: what
/// the summaries, trends and reports need, without the timeline.
public struct EvaluatedLesson: Sendable {
    /// Who, when, where: one stored value, so that the scanner's identity
    /// moves in whole (no retain and release of each of its strings).
    @usableFromInline var identity: LessonIdentity
    /// The lesson's metrics (docs/observation-log-v1.md).
    public var metrics: LessonMetrics
    /// The five standards as the policy judged them.
    public var standards: StandardResults
    /// What happened when, for drawing the lesson; kept only on request
    /// (`LessonStream(keepTimelines: true)`), since summaries never need it.
    public var timeline: Timeline?

    /// The lesson's id (unique in an archive).
    public var id: String { get { identity.id } set { identity.id = newValue } }
    /// The day of the lesson.
    @inlinable public var date: LessonDate { get { identity.date } set { identity.date = newValue } }
    /// The teacher as the log names them.
    @inlinable public var teacher: String { get { identity.teacher } set { identity.teacher = newValue } }
    /// The subject (`chinese`, ...).
    @inlinable public var subject: String { get { identity.subject } set { identity.subject = newValue } }
    /// School grade, 1 to 12.
    @inlinable public var grade: Int { get { identity.grade } set { identity.grade = newValue } }
    /// The class, when the log says.
    @inlinable public var className: String? { get { identity.className } set { identity.className = newValue } }
    /// The school, when the log says.
    @inlinable public var school: String? { get { identity.school } set { identity.school = newValue } }
    /// Who observed, when the log says.
    @inlinable public var observer: String? { get { identity.observer } set { identity.observer = newValue } }
    /// Students present, when the log says.
    @inlinable public var present: Int? { get { identity.present } set { identity.present = newValue } }
    /// Free labels (`new-teacher`, `pre-coaching`, ...).
    @inlinable public var tags: [String] { get { identity.tags } set { identity.tags = newValue } }
    /// Period of the day, when the log says.
    @inlinable public var period: Int? { get { identity.period } set { identity.period = newValue } }
    /// The observed lesson (extension `visit`), shared by every observer's log of it.
    @inlinable public var visit: String? { get { identity.visit } set { identity.visit = newValue } }
    /// The observer's comments (extension `notes`); kept only with the timeline.
    public var notes: String?
    /// Logs combined into this record: 1 for one observer's log, more for a
    /// visit's combined record (`VisitList`).
    public var logs = 1
    /// The observers of a combined visit, in the order of their logs; empty
    /// for one log (its `observer` says).
    public var observers: [String] = []

    /// A lesson with its results; its timeline is kept when `keepTimeline`.
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
    /// A performance on the timeline.
    public struct Mark: Sendable, Equatable {
        /// Seconds from the start of the lesson.
        public var t: LessonTime
        /// The performer's tier, when the roster gives one.
        public var tier: Tier?
        /// Whether it counts for "one 18".
        public var independent: Bool
        /// The student's id as the log wrote it (reports name it on hover).
        public var student: String = ""
    }

    /// Scheduled length in minutes.
    public var durationMin: Double
    /// The segments in log order.
    public var segments: [Segment]
    /// The performances in log order.
    public var performances: [Mark]

    /// The timeline of `lesson`.
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
