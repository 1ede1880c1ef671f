/// A time offset from the start of the lesson, in seconds.
public typealias LessonTime = Double

/// A calendar day, `YYYY-MM-DD`.
public struct LessonDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year, from 1.
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, from 1.
    public let day: Int

    /// Parses `YYYY-MM-DD`; nil unless it is a real day of the Gregorian calendar.
    public init?<S: Collection>(ascii s: S) where S.Element == UInt8 {
        guard s.count == 10 else { return nil }
        // Digits as one number YYYYMMDD, without allocating.
        var value = 0
        for (k, b) in s.enumerated() {
            if k == 4 || k == 7 {
                guard b == UInt8(ascii: "-") else { return nil }
            } else {
                guard b &- 0x30 < 10 else { return nil }
                value = value * 10 + Int(b &- 0x30)
            }
        }
        self.init(year: value / 10000, month: value / 100 % 100, day: value % 100)
    }

    /// The day; nil unless it exists in the Gregorian calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard year >= 1, (1...12).contains(month), day >= 1, day <= LessonDate.daysIn(month: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for differences between dates.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// `YYYY-MM`.
    public var monthKey: String { pad(year, 4) + "-" + pad(month, 2) }

    /// `YYYY-MM-DD`.
    public var description: String { pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) }

    /// Earlier days first.
    public static func < (a: LessonDate, b: LessonDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    private func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// An entry of the class roster.
public struct Student: Sendable, Equatable {
    /// The student's id within the lesson (compared by Unicode scalars).
    public var id: String
    /// `top`, `middle` or `bottom` third of the class; nil when not given.
    public var tier: Tier?

    /// A roster entry.
    public init(id: String, tier: Tier?) {
        self.id = id
        self.tier = tier
    }
}

/// A stretch of the lesson during which something happens.
public struct Segment: Sendable, Equatable {
    /// Seconds from the start of the lesson.
    public var start: LessonTime
    /// Seconds from the start of the lesson, after `start`.
    public var end: LessonTime
    /// What the class does.
    public var kind: SegmentKind
    /// For `read`: full read-throughs; for `write`/`homework` with task `copy`:
    /// times each new character was copied.
    public var passes: Int?
    /// For `write`/`homework`: `copy`, `dictation`, `exercise`, ...
    public var task: String?
    /// The observer's comment on this part (extension `notes`).
    public var notes: String?

    /// A segment from `start` to `end` (seconds).
    public init(start: LessonTime, end: LessonTime, kind: SegmentKind, passes: Int? = nil, task: String? = nil,
                notes: String? = nil) {
        self.start = start; self.end = end; self.kind = kind; self.passes = passes; self.task = task; self.notes = notes
    }

    /// A `write` or `homework` segment with task `copy`: counts for the copying of "four 3s".
    public var isCopying: Bool { kind.countsAsWriting && task == "copy" }
}

/// A student performing (answering, reading, working at the board...).
public struct Performance: Sendable, Equatable {
    /// Seconds from the start of the lesson.
    public var t: LessonTime
    /// The student's id (on the roster when the lesson has one).
    public var student: String
    /// What the student did.
    public var kind: PerformanceKind
    /// `false` for choral or prompted answers, which do not count for "one 18".
    public var independent: Bool
    /// The student as a small number within the lesson: the roster position
    /// when the lesson has a roster, else the same number for the same id.
    /// Set when the lesson is made, so that metrics count without hashing.
    public internal(set) var studentIndex: Int = -1

    /// A performance; independent unless said otherwise.
    public init(t: LessonTime, student: String, kind: PerformanceKind, independent: Bool = true) {
        self.t = t; self.student = student; self.kind = kind; self.independent = independent
    }
}

/// Outcome of the in-class homework.
public struct Homework: Sendable, Equatable {
    /// Students who were given the homework.
    public var assigned: Int
    /// Students who finished it in class (at most `assigned`).
    public var completed: Int
    /// Students whose work was correct (at most `completed`), when checked.
    public var correct: Int?

    /// An outcome; `completed <= assigned` and `correct <= completed` are the reader's rules.
    public init(assigned: Int, completed: Int, correct: Int? = nil) {
        self.assigned = assigned; self.completed = completed; self.correct = correct
    }
}

/// One observed lesson: one line of an observation log.
public struct Lesson: Sendable {
    /// Unique within an archive (compared by Unicode scalars).
    public var id: String
    /// The day of the lesson.
    public var date: LessonDate
    /// The teacher as the log names them.
    public var teacher: String
    /// The subject (`chinese`, ...).
    public var subject: String
    /// School grade, 1 to 12.
    public var grade: Int
    /// The class (`3A`), which `--roster` files are keyed by.
    public var className: String?
    /// The school.
    public var school: String?
    /// Who observed.
    public var observer: String?
    /// Period of the day.
    public var period: Int?
    /// Scheduled length in minutes (default 40).
    public var durationMin: Double
    /// Students on the class list.
    public var enrolled: Int?
    /// Students in the room (at most `enrolled`).
    public var present: Int?
    /// The roster; nil when the log has none.
    public var students: [Student]?
    /// What the class did, in any order; overlaps allowed.
    public var segments: [Segment]
    /// Students performing, in any order. After changing this, make a new
    /// `Lesson` (the initializer numbers the students) before evaluating it.
    public var performances: [Performance]
    /// The in-class homework's outcome, when recorded.
    public var homework: Homework?
    /// Free labels (`new-teacher`, `pre-coaching`, ...).
    public var tags: [String]
    /// The observed lesson shared by every observer's log of it (extension `visit`).
    public var visit: String?
    /// The observer's comments, 评课意见 (extension `notes`).
    public var notes: String?
    /// Distinct students that `Performance.studentIndex` numbers (the roster's
    /// size plus any performer not on it).
    public internal(set) var studentCount: Int

    /// The format's default `duration_min`.
    public static let defaultDurationMin = 40.0

    /// A lesson, its students numbered by the one numbering rule (roster
    /// positions first, then new performers).
    public init(id: String, date: LessonDate, teacher: String, subject: String, grade: Int,
                className: String? = nil, school: String? = nil, observer: String? = nil, period: Int? = nil,
                durationMin: Double = Lesson.defaultDurationMin, enrolled: Int? = nil, present: Int? = nil,
                students: [Student]? = nil, segments: [Segment] = [], performances: [Performance] = [],
                homework: Homework? = nil, tags: [String] = [], visit: String? = nil, notes: String? = nil) {
        self.visit = visit; self.notes = notes
        self.id = id; self.date = date; self.teacher = teacher; self.subject = subject; self.grade = grade
        self.className = className; self.school = school; self.observer = observer; self.period = period
        self.durationMin = durationMin; self.enrolled = enrolled; self.present = present
        self.students = students; self.segments = segments; self.performances = performances
        self.homework = homework; self.tags = tags
        self.studentCount = 0
        indexStudents()
    }

    /// For the decoder, which has numbered the students already.
    init(id: String, date: LessonDate, teacher: String, subject: String, grade: Int, className: String?,
         school: String?, observer: String?, period: Int?, durationMin: Double, enrolled: Int?, present: Int?,
         students: [Student]?, segments: [Segment], indexedPerformances: [Performance], studentCount: Int,
         homework: Homework?, tags: [String], visit: String?, notes: String?) {
        self.visit = visit; self.notes = notes
        self.id = id; self.date = date; self.teacher = teacher; self.subject = subject; self.grade = grade
        self.className = className; self.school = school; self.observer = observer; self.period = period
        self.durationMin = durationMin; self.enrolled = enrolled; self.present = present
        self.students = students; self.segments = segments; self.performances = indexedPerformances
        self.homework = homework; self.tags = tags; self.studentCount = studentCount
    }

    /// Numbers the students of the performances (see `Performance.studentIndex`).
    /// Call after changing `students` or `performances` by hand.
    public mutating func indexStudents() {
        let numbering = StudentNumbering(roster: students?.map(\.id), performers: performances.map(\.student))
        for k in performances.indices { performances[k].studentIndex = numbering.performers[k] }
        studentCount = numbering.count
    }
}

extension LessonDate {
    /// The date `days` after 1970-01-01 (Howard Hinnant's civil_from_days).
    public static func fromDayNumber(_ days: Int) -> LessonDate {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return LessonDate(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)!
    }
}
