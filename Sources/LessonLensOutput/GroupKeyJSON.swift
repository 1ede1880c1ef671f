import LessonLensCore
import LessonLensStatistics

extension GroupKey {
    /// The key as a JSON value.
    public var json: String {
        switch self {
        case .all: return "\"all\""
        case .number(let n): return String(n)
        case .text(let s): return Text.jsonString(s)
        case .none: return "null"
        }
    }
}
