/// What students (or the teacher) are doing during a segment of the lesson.
/// The raw values are the log's spelling.
public enum SegmentKind: String, CaseIterable, Sendable {
    /// Students read aloud (朗读): counts toward reading.
    case read
    /// Students write with pen on paper (书面动笔): counts toward writing.
    case write
    /// In-class written homework (当堂作业): counts toward writing and homework.
    case homework
    case lecture, discussion, group, activity, transition, other

    /// Kinds whose time counts as writing ("two 10s").
    public var countsAsWriting: Bool { self == .write || self == .homework }

    /// Kinds that count as student activity in the second half of the lesson.
    public var isStudentActive: Bool {
        switch self {
        case .read, .write, .homework, .group, .activity, .discussion: return true
        case .lecture, .transition, .other: return false
        }
    }
}

/// How a student performed on their own (or not).
public enum PerformanceKind: String, CaseIterable, Sendable {
    case answer, read, board, present, question, demo, other
}

/// A student's third of the class by prior attainment.
public enum Tier: String, CaseIterable, Sendable {
    case top, middle, bottom
}
