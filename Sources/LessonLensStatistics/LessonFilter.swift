import LessonLensCore

/// Selects lessons (`--where`, `compare --a/--b`): parts joined by commas,
/// all of which must hold. A part is `FIELD=VALUE` or `FIELD!=VALUE` with
/// FIELD a `--by` key (teacher, subject, grade, school, observer, class,
/// month), `tag=NAME` or `tag!=NAME`, or a comparison of `date` (YYYY-MM-DD)
/// or `grade` with `>=`, `>`, `<=`, `<` (and `=`, `!=`). Subjects match by
/// their canonical name (`subject=语文` selects `chinese` lessons).
public struct LessonFilter: Sendable, CustomStringConvertible {
    /// How a value is compared.
    public enum Comparison: String, Sendable, CaseIterable {
        // Two-character operators first: `>=` is not `>` followed by `=`.
        case notEqual = "!=", atLeast = ">=", atMost = "<=", equal = "=", greater = ">", less = "<"

        func holds<T: Comparable>(_ a: T, _ b: T) -> Bool {
            switch self {
            case .equal: return a == b
            case .notEqual: return a != b
            case .atLeast: return a >= b
            case .atMost: return a <= b
            case .greater: return a > b
            case .less: return a < b
            }
        }
    }

    /// One part of a filter.
    public enum Condition: Sendable {
        /// The lesson has (`=`) or has not (`!=`) the tag.
        case tag(String, has: Bool)
        /// A `--by` key's value equals (or, with `equal: false`, differs from) the text.
        case field(GroupBy, String, equal: Bool)
        /// The lesson's date compared with a day.
        case date(Comparison, LessonDate)
        /// The lesson's grade compared with a number.
        case grade(Comparison, Int)

        /// The field the condition reads, as written (`tag`, `date`, `teacher`, ...).
        public var fieldName: String {
            switch self {
            case .tag: return "tag"
            case .field(let by, _, _): return by.rawValue
            case .date: return "date"
            case .grade: return "grade"
            }
        }
    }

    /// The parts, all of which must hold.
    public let conditions: [Condition]
    /// The filter as written.
    public let description: String

    /// A filter that cannot be read, and why.
    public struct ParseError: Error, CustomStringConvertible {
        /// What is wrong, as a template and its values.
        public var why: Reason
        /// What is wrong, in English.
        public var description: String { why.description }
    }

    /// Parses parts joined by commas.
    public init(_ text: String) throws(ParseError) {
        var conditions: [Condition] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            var found: (Comparison, Substring.Index, Substring.Index)?
            // The first operator in the part, preferring the longer at one place.
            var i = part.startIndex
            search: while i < part.endIndex {
                for op in Comparison.allCases {
                    if part[i...].hasPrefix(op.rawValue) {
                        found = (op, i, part.index(i, offsetBy: op.rawValue.count))
                        break search
                    }
                }
                i = part.index(after: i)
            }
            guard let (op, opStart, opEnd) = found else {
                throw ParseError(why: Reason(.filterNotFieldValue, "\(part)"))
            }
            let field = part[..<opStart].trimmed()
            let value = part[opEnd...].trimmed()
            let equality = op == .equal || op == .notEqual
            switch field {
            case "tag":
                guard equality else { throw ParseError(why: Reason(.filterComparisonNotAllowed, "\(part)", "tag")) }
                conditions.append(.tag(value, has: op == .equal))
            case "date":
                guard let day = LessonDate(ascii: Array(value.utf8)) else {
                    throw ParseError(why: Reason(.filterBadDate, "\(part)"))
                }
                conditions.append(.date(op, day))
            case "grade":
                guard let g = Int(value) else { throw ParseError(why: Reason(.filterBadNumber, "\(part)")) }
                conditions.append(.grade(op, g))
            default:
                guard let by = GroupBy(rawValue: field), by != .all else {
                    let fields = (["tag", "date"] + GroupBy.allCases.filter { $0 != .all }.map(\.rawValue)).joined(separator: ", ")
                    throw ParseError(why: Reason(.filterUnknownField, "\(field)", "\(fields)"))
                }
                guard equality else { throw ParseError(why: Reason(.filterComparisonNotAllowed, "\(part)", "\(field)")) }
                let wanted = by == .subject ? Subjects.canonical(value) : value
                conditions.append(.field(by, wanted, equal: op == .equal))
            }
        }
        self.conditions = conditions
        self.description = text
    }

    /// All of several filters (`--where` given more than once).
    public init(all filters: [LessonFilter]) {
        conditions = filters.flatMap(\.conditions)
        description = filters.map(\.description).joined(separator: ",")
    }

    /// Whether every condition holds for `e`.
    public func matches(_ e: EvaluatedLesson) -> Bool {
        for c in conditions {
            let holds: Bool
            switch c {
            case .tag(let name, let has): holds = e.tags.contains(name) == has
            case .field(let by, let value, let equal): holds = (by.key(of: e).description == value) == equal
            case .date(let op, let day): holds = op.holds(e.date, day)
            case .grade(let op, let g): holds = op.holds(e.grade, g)
            }
            if !holds { return false }
        }
        return true
    }
}

extension LessonFilter {
    /// The first condition on a field that homework assignments do not
    /// have (`tag`, `observer`), if any.
    public var fieldNotInHomework: String? {
        for c in conditions {
            switch c {
            case .tag: return "tag"
            case .field(.observer, _, _): return "observer"
            default: continue
            }
        }
        return nil
    }

    /// Whether every condition holds for an assignment (`lessonlens
    /// homework --where`). Conditions on tags or observers never hold.
    public func matches(_ a: HomeworkAssignment) -> Bool {
        for c in conditions {
            let holds: Bool
            switch c {
            case .tag: holds = false
            case .field(let by, let value, let equal): holds = (LessonFilter.value(of: a, by) == value) == equal
            case .date(let op, let day): holds = op.holds(a.date, day)
            case .grade(let op, let g): holds = op.holds(a.grade, g)
            }
            if !holds { return false }
        }
        return true
    }

    /// The text a `--by` key reads from an assignment, as `GroupKey.description`.
    public static func value(of a: HomeworkAssignment, _ by: GroupBy) -> String {
        switch by {
        case .teacher: return a.teacher
        case .subject: return Subjects.canonical(a.subject)
        case .grade: return String(a.grade)
        case .school: return a.school ?? GroupKey.none.description
        case .observer: return GroupKey.none.description
        case .class: return a.className
        case .month: return a.date.monthKey
        case .all: return GroupKey.all.description
        }
    }
}
