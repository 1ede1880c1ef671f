/// A half-open stretch of lesson time `[start, end)` in seconds.
public struct Interval: Sendable, Equatable {
    public var start: LessonTime
    public var end: LessonTime

    public init(_ start: LessonTime, _ end: LessonTime) {
        self.start = start
        self.end = end
    }
}

/// Length of the union of `intervals`: time covered by at least one of them.
/// Overlaps count once (00:00-06:00 and 05:00-08:00 give 8 minutes).
///
/// Sorts `intervals` in place by start, then sweeps once.
/// O(k log k) time for k intervals, no allocation.
public func unionLength(_ intervals: inout [Interval]) -> LessonTime {
    guard !intervals.isEmpty else { return 0 }
    if intervals.count > 1 { intervals.sort { $0.start < $1.start } }
    var total: LessonTime = 0
    var runStart = intervals[0].start
    var runEnd = intervals[0].end
    for iv in intervals.dropFirst() {
        if iv.start > runEnd {
            total += runEnd - runStart
            runStart = iv.start
            runEnd = iv.end
        } else if iv.end > runEnd {
            runEnd = iv.end
        }
    }
    return total + (runEnd - runStart)
}

/// Union length of the parts of `intervals` that fall inside `[lower, upper]`.
public func clippedUnionLength(_ intervals: inout [Interval], lower: LessonTime, upper: LessonTime) -> LessonTime {
    var k = 0
    for iv in intervals {
        let s = max(iv.start, lower), e = min(iv.end, upper)
        if e > s { intervals[k] = Interval(s, e); k += 1 }
    }
    intervals.removeLast(intervals.count - k)
    return unionLength(&intervals)
}
