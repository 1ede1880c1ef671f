/// Where an assignment is done.
public enum HomeworkPlace: String, CaseIterable, Sendable {
    /// Taken home: what the daily limit is about.
    case home
    /// Done in the lesson (当堂作业).
    case `class`
}

/// What kind of work an assignment is; only written work counts toward the
/// daily limit of take-home homework.
public enum HomeworkKind: String, CaseIterable, Sendable {
    case written, oral, reading, practical
}

/// One line of a homework ledger (`docs/homework-log-v1.md`): one assignment
/// set to one class on one day.
public struct HomeworkAssignment: Sendable, Equatable {
    /// Unique in a run.
    public var id: String
    /// The day it is set.
    public var date: LessonDate
    /// The class it is set to.
    public var className: String
    /// The subject as written (`Subjects.canonical` groups spellings).
    public var subject: String
    /// Who set it.
    public var teacher: String
    /// The school, if given.
    public var school: String?
    /// 1 to 12.
    public var grade: Int
    /// Home or class.
    public var place: HomeworkPlace
    /// Written, oral, reading or practical.
    public var kind: HomeworkKind
    /// The teacher's time for a middle student, minutes (> 0).
    public var estimatedMin: Double
    /// Students' reported minutes (a sample), each >= 0.
    public var reportedMin: [Double]
    /// 分层作业.
    public var tiered: Bool
    /// Students excused (免做).
    public var exempt: Int?
    /// The day it was marked, not before `date`.
    public var gradedOn: LessonDate?
    /// An essay (marked within `essay_grading_days`).
    public var essay: Bool
    /// Shown on the parents' board.
    public var published: Bool
    /// Free text.
    public var notes: String?

    /// An assignment with every field given.
    public init(id: String, date: LessonDate, className: String, subject: String, teacher: String,
                school: String? = nil, grade: Int, place: HomeworkPlace, kind: HomeworkKind,
                estimatedMin: Double, reportedMin: [Double] = [], tiered: Bool = false, exempt: Int? = nil,
                gradedOn: LessonDate? = nil, essay: Bool = false, published: Bool = false, notes: String? = nil) {
        self.id = id
        self.date = date
        self.className = className
        self.subject = subject
        self.teacher = teacher
        self.school = school
        self.grade = grade
        self.place = place
        self.kind = kind
        self.estimatedMin = estimatedMin
        self.reportedMin = reportedMin
        self.tiered = tiered
        self.exempt = exempt
        self.gradedOn = gradedOn
        self.essay = essay
        self.published = published
        self.notes = notes
    }

    /// Counts toward the day's limit: written work taken home.
    public var isWrittenHome: Bool { place == .home && kind == .written }
}

extension LessonDate {
    /// The ISO 8601 week: its year (which may differ from the date's near
    /// New Year) and number, 1 to 53. Weeks start on Monday; week 1 holds
    /// the year's first Thursday.
    public var isoWeek: (year: Int, week: Int) {
        let thursday = LessonDate.fromDayNumber(dayNumber - isoWeekday + 4)
        let firstOfYear = LessonDate(year: thursday.year, month: 1, day: 1)!.dayNumber
        return (thursday.year, (thursday.dayNumber - firstOfYear) / 7 + 1)
    }

    /// `YYYY-Www`, the ISO week.
    public var weekKey: String {
        let (y, w) = isoWeek
        return String(y) + "-W" + (w < 10 ? "0" : "") + String(w)
    }

    /// The Monday of ISO week `YYYY-Www` (week 1 holds 4 January); nil
    /// unless the text is such a week of that year.
    public init?(isoWeek text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), year >= 1, parts[1].count == 3,
              parts[1].first == "W", let week = Int(parts[1].dropFirst()), week >= 1,
              let monday = LessonDate.monday(isoYear: year, week: week) else { return nil }
        guard monday.isoWeek.year == year else { return nil }
        self = monday
    }

    /// The Monday of week `week` of ISO year `isoYear` (4 January is always
    /// in week 1); nil for a year before 1.
    public static func monday(isoYear: Int, week: Int) -> LessonDate? {
        guard let jan4 = LessonDate(year: isoYear, month: 1, day: 4) else { return nil }
        return LessonDate.fromDayNumber(jan4.mondayOfWeek.dayNumber + 7 * (week - 1))
    }

    /// 1 (Monday) to 7 (Sunday). 1970-01-01, day 0, was a Thursday.
    public var isoWeekday: Int { ((dayNumber % 7 + 7 + 3) % 7) + 1 }

    /// The Monday of the date's ISO week.
    public var mondayOfWeek: LessonDate { LessonDate.fromDayNumber(dayNumber - isoWeekday + 1) }
}

/// A sum of minutes kept in millionths of a minute, so that 23.7 + 34.7 +
/// 1.6 is 60 and not 60.00000000000001: whether a day is over its limit,
/// and the total printed, must not depend on the order or the binary form
/// of its parts. Parts are rounded to a millionth of a minute (a
/// twenty-thousandth of a second); a sum past 9 × 10^12 minutes stays there.
public struct MinuteTotal: Sendable, Equatable, Comparable {
    private var micro: Int64 = 0

    /// Zero minutes.
    public init() {}

    /// `minutes` minutes.
    public init(_ minutes: Double) { add(minutes) }

    /// Adds `minutes` (rounded to a millionth).
    public mutating func add(_ minutes: Double) {
        let scaled = (minutes * 1e6).rounded()
        let part = scaled >= 9.2e18 ? Int64.max : scaled <= -9.2e18 ? Int64.min : Int64(scaled)
        let (sum, overflow) = micro.addingReportingOverflow(part)
        micro = overflow ? (part > 0 ? .max : .min) : sum
    }

    /// The total in minutes.
    public var minutes: Double { Double(micro) / 1e6 }

    /// `lhs` with `rhs` added.
    public static func + (lhs: MinuteTotal, rhs: Double) -> MinuteTotal {
        var sum = lhs
        sum.add(rhs)
        return sum
    }

    /// Whether `lhs` is less than `rhs`.
    public static func < (lhs: MinuteTotal, rhs: MinuteTotal) -> Bool { lhs.micro < rhs.micro }
}
