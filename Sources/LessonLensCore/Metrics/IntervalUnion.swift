/// A half-open stretch of lesson time `[start, end)` in seconds.
public struct Interval: Sendable, Equatable {
    /// Seconds from the start of the lesson.
    public var start: LessonTime
    /// Seconds from the start of the lesson, after `start`.
    public var end: LessonTime

    /// The interval from `start` to `end` (seconds).
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
package func unionLength(_ intervals: inout [Interval]) -> LessonTime {
    if intervals.count > 1 { intervals.sort { $0.start < $1.start } }
    return sortedUnionLength(intervals)
}

/// Length of the union of intervals given in order of start: one sweep that
/// sums maximal runs of overlapping intervals. O(k), no allocation.
@inline(__always)
func sortedUnionLength<S: Sequence>(_ sorted: S) -> LessonTime where S.Element == Interval {
    var sweep = UnionSweep()
    for iv in sorted { sweep.add(iv) }
    return sweep.length
}

/// The sweep of `sortedUnionLength`, one interval at a time, so that one pass
/// over a lesson's segments can feed several unions (reading, writing, ...);
/// the one union code of the metrics and the profiles (`IntervalUnionOf`).
/// Intervals must come in order of start.
struct UnionSweep {
    private var total: LessonTime = 0
    private var run: Interval?

    /// Adds `iv`; returns the run it closes (a piece of the union) when
    /// `iv` starts after it.
    @inline(__always) @discardableResult
    mutating func add(_ iv: Interval) -> Interval? {
        guard var current = run else { run = iv; return nil }
        if iv.start > current.end {
            total += current.end - current.start
            run = iv
            return current
        } else if iv.end > current.end {
            current.end = iv.end
            run = current
        }
        return nil
    }

    /// The union's length so far.
    var length: LessonTime {
        guard let run else { return total }
        return total + (run.end - run.start)
    }

    /// The run not yet closed (the union's last piece), if any.
    var openRun: Interval? { run }
}

/// Union length of the parts of `intervals` that fall inside `[lower, upper]`.
package func clippedUnionLength(_ intervals: inout [Interval], lower: LessonTime, upper: LessonTime) -> LessonTime {
    var k = 0
    for iv in intervals {
        let s = max(iv.start, lower), e = min(iv.end, upper)
        if e > s { intervals[k] = Interval(s, e); k += 1 }
    }
    intervals.removeLast(intervals.count - k)
    return unionLength(&intervals)
}
