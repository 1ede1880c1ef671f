import LessonLensCore
/// What lessons are grouped by in summaries and trends.
public enum GroupBy: String, CaseIterable, Sendable {
    case teacher, subject, grade, school, observer, `class`, month, all

    /// The group a lesson belongs to.
    public func key(of e: EvaluatedLesson) -> GroupKey {
        switch self {
        case .teacher: return .text(e.teacher)
        case .subject: return .text(Subjects.canonical(e.subject))
        case .grade: return .number(e.grade)
        case .school: return e.school.map(GroupKey.text) ?? .none
        case .observer: return e.observer.map(GroupKey.text) ?? .none
        case .class: return e.className.map(GroupKey.text) ?? .none
        case .month: return .text(e.date.monthKey)
        case .all: return .all
        }
    }
}

/// A group's key. Groups sort by key: numbers numerically, text by Unicode
/// order, lessons without the field (`none`) last.
public enum GroupKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    case all
    case number(Int)
    case text(String)
    /// The lesson does not give the field (no `school`, say).
    case none

    /// The key as tables show it: `all`, the number, the text, or `(none)`.
    public var description: String {
        switch self {
        case .all: return "all"
        case .number(let n): return String(n)
        case .text(let s): return s
        case .none: return "(none)"
        }
    }

    private var rank: Int {
        switch self {
        case .all: return 0
        case .number: return 1
        case .text: return 2
        case .none: return 3
        }
    }

    /// Numbers numerically, text by Unicode scalar order, `none` last.
    public static func < (a: GroupKey, b: GroupKey) -> Bool {
        switch (a, b) {
        case let (.number(x), .number(y)): return x < y
        // UTF-8 byte order is Unicode scalar order, and does not depend on locale.
        case let (.text(x), .text(y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        default: return a.rank < b.rank
        }
    }
}
