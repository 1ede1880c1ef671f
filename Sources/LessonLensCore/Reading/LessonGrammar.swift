/// The lesson's grammar, written once: every object of a log line
/// (`docs/observation-log-v1.md`), its fields as the log spells them, and
/// for each field the kind of value it holds, whether it is required, and
/// whether `null` may stand for it (then it means "not given", and the
/// field's default applies: `duration_min` 40, `independent` true).
///
/// Both readers are driven by it:
/// - `LessonDecoder` (the checking reader) walks an object with one walker
///   (`FieldReader.members`), which finds every problem the grammar can
///   name (an unknown field, a field twice, a value of the wrong kind or out
///   of range, `null` where it may not stand, a required field missing) and
///   explains it; what it hands on is checked.
/// - `LessonScanner` (the fast reader) takes `null` and the ranges from the
///   same rules and declines whatever the decoder would explain.
///
/// Rules across fields (times within the lesson, `present` ≤ `enrolled`,
/// the roster and its performers) are in `LessonRules`, also called by both.
///
/// Adding a field: a case in its object's enum with its `rule`, then where
/// its value goes in each reader (the decoder's `Lesson`, the scanner's
/// `LessonFacts` or nothing). The tests that walk the grammar
/// (`LessonGrammarTests`) then check both readers on it.
package protocol GrammarField: RawRepresentable, CaseIterable, Sendable where RawValue == String {
    /// What the field holds.
    var rule: FieldRule { get }
}

/// One field's rule.
package struct FieldRule: Sendable {
    package let kind: ValueKind
    package let required: Bool
    /// `null` is accepted and means "not given".
    package let nullable: Bool

    static func required(_ kind: ValueKind) -> FieldRule { FieldRule(kind: kind, required: true, nullable: false) }
    static func optional(_ kind: ValueKind) -> FieldRule { FieldRule(kind: kind, required: false, nullable: true) }
}

/// The kinds of value a field holds, and the words that name them in a
/// message ("must be an array of segments, got null").
package enum ValueKind: Sendable {
    /// Any string.
    case text
    /// A string of at least one character.
    case nonEmptyText
    /// `"YYYY-MM-DD"`.
    case date
    /// An integer in the range (`3`, `3.0` and `3e0` are the same number).
    case integer(ClosedRange<Int>)
    /// Minutes, a number > 0 (`LessonRules.isValidDuration`).
    case duration
    /// Seconds (a number ≥ 0) or `"M:SS"`.
    case time
    /// One of the names of a kind of segment, of performance, or a tier.
    case segmentKind, performanceKind, tier
    /// `true` or `false`.
    case flag
    /// An array of strings.
    case texts
    /// An array of objects: how the array and each element are named.
    case objects(array: Reason.Word, element: Reason.Word)
    /// An object, so named.
    case object(Reason.Word)
}

/// Counts: an integer ≥ 0.
private let count = ValueKind.integer(0...Int.max)

/// The lesson object.
enum LessonField: String, CaseIterable, Sendable, GrammarField {
    case id, date, teacher, subject, grade, `class`, school, observer, period
    case duration_min, enrolled, present, students, segments, performances, homework, tags
    /// Extensions (docs/observation-log-v1.md).
    case visit, notes

    var rule: FieldRule {
        switch self {
        case .id: .required(.nonEmptyText)
        case .date: .required(.date)
        case .teacher, .subject: .required(.text)
        case .grade: .required(.integer(LessonRules.grades))
        case .class, .school, .observer, .visit, .notes: .optional(.text)
        case .period: .optional(.integer(Int.min...Int.max))
        case .duration_min: .optional(.duration)
        case .enrolled, .present: .optional(count)
        case .students: .optional(.objects(array: .arrayOfStudents, element: .studentObject))
        case .segments: .required(.objects(array: .arrayOfSegments, element: .segmentObject))
        case .performances: .optional(.objects(array: .arrayOfPerformances, element: .performanceObject))
        case .homework: .optional(.object(.homeworkObject))
        case .tags: .optional(.texts)
        }
    }
}

/// An entry of `students`.
enum StudentField: String, CaseIterable, Sendable, GrammarField {
    case id, tier
    var rule: FieldRule {
        switch self {
        case .id: .required(.text)
        case .tier: .optional(.tier)
        }
    }
}

/// An entry of `segments`.
enum SegmentField: String, CaseIterable, Sendable, GrammarField {
    case start, end, kind, passes, task, notes
    var rule: FieldRule {
        switch self {
        case .start, .end: .required(.time)
        case .kind: .required(.segmentKind)
        case .passes: .optional(count)
        case .task, .notes: .optional(.text)
        }
    }
}

/// An entry of `performances`. `independent`: `null` or absent is true.
enum PerformanceField: String, CaseIterable, Sendable, GrammarField {
    case t, student, kind, independent
    var rule: FieldRule {
        switch self {
        case .t: .required(.time)
        case .student: .required(.text)
        case .kind: .required(.performanceKind)
        case .independent: .optional(.flag)
        }
    }
}

/// `homework`.
enum HomeworkField: String, CaseIterable, Sendable, GrammarField {
    case assigned, completed, correct
    var rule: FieldRule {
        switch self {
        case .assigned, .completed: .required(count)
        case .correct: .optional(count)
        }
    }
}

extension GrammarField {
    /// The fields `null` may stand for, a bit per case (in case order).
    static var nullableMask: UInt32 {
        var mask: UInt32 = 0
        for (k, f) in allCases.enumerated() where f.rule.nullable { mask |= 1 << UInt32(k) }
        return mask
    }

    /// The first required field (in case order) whose bit is not in `seen`.
    static func firstMissing(_ seen: UInt64) -> Self? {
        for (k, f) in allCases.enumerated() where f.rule.required && seen & (1 << UInt64(k)) == 0 { return f }
        return nil
    }
}
