/// Computes the spec's per-lesson metrics. Keeps scratch buffers between
/// lessons, so use one evaluator per thread for many lessons.
public struct LessonEvaluator: Sendable {
    /// The lesson's segments sorted by start.
    private var byStart: [LessonFacts.SegmentFact] = []
    private var counts: [Int] = []
    private var histogram: [Int] = []
    private var facts = LessonFacts()

    /// An evaluator with empty buffers; reuse it for many lessons.
    public init() {}

    /// The metrics of `lesson`. Throws when a count the log implies cannot be
    /// represented (a sum of `passes` past `Int.max`): the lesson is then
    /// rejected with that reason instead of ending the process.
    public mutating func metrics(of lesson: Lesson) throws(FieldIssue) -> LessonMetrics {
        facts.load(lesson)
        return try metrics(of: facts)
    }

    /// Metrics and the judgement of every standard under `policy` (its
    /// rules for the lesson's subject and grade).
    public mutating func evaluate(_ lesson: Lesson, policy: Policy) throws(FieldIssue) -> (LessonMetrics, StandardResults) {
        facts.load(lesson)
        let m = try metrics(of: facts)
        return (m, policy.judge(m, present: facts.present, subject: lesson.subject, grade: lesson.grade))
    }

    /// The metrics of `facts` and the standards `policy`'s top-level rules
    /// judge from them (facts know no subject; `LessonStream` applies the
    /// subject and grade overrides); throws
    /// when a count from the log is too large to compute with.
    package mutating func evaluate(_ facts: LessonFacts, policy: Policy) throws(FieldIssue) -> (LessonMetrics, StandardResults) {
        let m = try metrics(of: facts)
        return (m, policy.judge(m, present: facts.present))
    }

    /// The metrics of one lesson (docs/observation-log-v1.md, "Per-lesson metrics").
    package mutating func metrics(of lesson: LessonFacts) throws(FieldIssue) -> LessonMetrics {
        var m = LessonMetrics()
        // One sort by start for every union: a kind's segments, taken in this
        // order, are in order too, and so are their parts clipped to the
        // second half (clipping a start is monotone).
        byStart.removeAll(keepingCapacity: true)
        byStart.append(contentsOf: lesson.segments)
        if byStart.count > 1 { byStart.sort { $0.start < $1.start } }
        // Every union in one pass; each sees its segments in start order,
        // as a separate sweep would, so the sums are the same bits.
        let lower = lesson.durationMin * 60 / 2, upper = lesson.durationMin * 60
        var reading = UnionSweep(), writing = UnionSweep(), homework = UnionSweep()
        var lecture = UnionSweep(), active = UnionSweep()
        for s in byStart {
            let iv = Interval(s.start, s.end)
            switch s.kind {
            case .read: reading.add(iv)
            case .write: writing.add(iv)
            case .homework:
                writing.add(iv)
                homework.add(iv)
            case .lecture: lecture.add(iv)
            default: break
            }
            // Second half: [duration/2, duration], student-active kinds only.
            if s.kind.isStudentActive {
                let clipped = Interval(max(s.start, lower), min(s.end, upper))
                if clipped.end > clipped.start { active.add(clipped) }
            }
        }
        m.reading_min = reading.length / 60
        m.writing_min = writing.length / 60
        m.homework_min = homework.length / 60
        m.lecture_min = lecture.length / 60

        var end: LessonTime = 0
        for s in lesson.segments { end = max(end, s.end) }
        for p in lesson.performances { end = max(end, p.t) }
        m.end_min = end / 60
        m.overrun_min = max(0, m.end_min - lesson.durationMin)
        m.second_half_active_min = active.length / 60

        m.read_passes = try sumPasses(lesson.segments, tooLarge: .readPassesOverflow) { $0.kind == .read }.map(Double.init)
        m.copy_passes = try sumPasses(lesson.segments, tooLarge: .copyPassesOverflow) { $0.isCopying }.map(Double.init)

        if let hw = lesson.homework {
            if hw.assigned > 0 { m.homework_completion = Double(hw.completed) / Double(hw.assigned) }
            if let correct = hw.correct, hw.completed > 0 { m.homework_accuracy = Double(correct) / Double(hw.completed) }
        }

        try participation(lesson, into: &m)
        return m
    }

    /// Passes come from the log: their sum is checked, never trapped on.
    private func sumPasses(_ segments: [LessonFacts.SegmentFact], tooLarge: Reason.Template,
                           _ include: (LessonFacts.SegmentFact) -> Bool) throws(FieldIssue) -> Int? {
        var total: Int?
        for s in segments where include(s) && s.passes >= 0 {
            let (sum, overflow) = (total ?? 0).addingReportingOverflow(s.passes)
            guard !overflow else {
                throw FieldIssue(field: "segments", tooLarge, "\(Int.max)")
            }
            total = sum
        }
        return total
    }

    /// Performances, performers, tier shares, reach of the bottom third, Gini.
    /// Students are counted by their number (roster position, or a number
    /// per id without a roster): no hashing.
    private mutating func participation(_ lesson: LessonFacts, into m: inout LessonMetrics) throws(FieldIssue) {
        let students = lesson.studentCount
        zeroPrefix(&counts, count: students)
        var performances = 0, performers = 0
        var byTier = (top: 0, bottom: 0)
        var bottomStudents = 0, bottomPerformers = 0
        let roster = lesson.rosterTiers
        counts.withUnsafeMutableBufferPointer { counts in
            for p in lesson.performances where p.independent {
                counts[p.student] += 1
                performances += 1
            }
            for k in 0..<students where counts[k] > 0 { performers += 1 }
            guard lesson.hasRoster else { return }
            // With a roster every performer is on it (validation): counts[0..<roster.count].
            for (k, tier) in roster.enumerated() {
                switch tier {
                case .top: byTier.top += counts[k]
                case .bottom:
                    byTier.bottom += counts[k]
                    bottomStudents += 1
                    if counts[k] > 0 { bottomPerformers += 1 }
                case .middle, nil: break
                }
            }
        }
        m.independent_performances = Double(performances)
        m.independent_performers = Double(performers)
        if let present = lesson.present, present > 0 { m.performer_ratio = Double(performers) / Double(present) }

        guard lesson.hasRoster else { return }
        if performances > 0 {
            m.bottom_share = Double(byTier.bottom) / Double(performances)
            m.top_share = Double(byTier.top) / Double(performances)
        }
        if bottomStudents > 0 { m.bottom_reached = Double(bottomPerformers) / Double(bottomStudents) }
        if !roster.isEmpty {
            guard let g = giniOfCounts(counts[0..<roster.count], histogram: &histogram) else {
                throw FieldIssue(field: "performances", .giniTooLarge)
            }
            m.participation_gini = g
        }
    }
}

/// `gini` of whole counts, in O(n + max count) without sorting: equal values
/// are summed a run at a time. Bit for bit the same as `gini` of the counts
/// as Doubles, since every partial sum there is a whole number below 2^53,
/// so exact in any order. `histogram` is scratch space. Nil when a partial
/// sum would not fit in an `Int` (some 10^9 performances over 10^9 students).
func giniOfCounts(_ counts: ArraySlice<Int>, histogram: inout [Int]) -> Double? {
    let n = counts.count
    guard n > 0 else { return 0 }
    var top = 0
    for c in counts { top = max(top, c) }
    zeroPrefix(&histogram, count: top + 1)
    // Values c of multiplicity m at sorted ranks r+1 ... r+m weigh
    // c · sum(2i - n - 1) = c · m · (2r + m - n).
    var total = 0, weighted = 0, rank = 0
    let fits = histogram.withUnsafeMutableBufferPointer { h -> Bool in
        for c in counts { h[c] += 1 }
        for c in 0...top {
            let m = h[c]
            guard m > 0 else { continue }
            // c * m <= performances and |2 rank + m - n| <= n: only the
            // product of the two and the running sum can overflow.
            let cm = c * m
            let (term, o1) = cm.multipliedReportingOverflow(by: 2 * rank + m - n)
            let (sum, o2) = weighted.addingReportingOverflow(term)
            guard !o1 && !o2 else { return false }
            total += cm
            weighted = sum
            rank += m
        }
        return true
    }
    guard fits else { return nil }
    guard total > 0 else { return 0 }
    return Double(weighted) / (Double(n) * Double(total))
}

/// Gini coefficient of non-negative values: sum_i sum_j |x_i - x_j| / (2 n² mean);
/// 0 when all are equal or all are 0.
///
/// Sorts `values` in place, then uses the equivalent
/// O(n) form over sorted values: sum_i (2i - n - 1) x_(i) / (n · sum x), i from 1.
/// O(n log n) time.
package func gini(_ values: inout [Double]) -> Double {
    let n = values.count
    guard n > 0 else { return 0 }
    values.sort()
    var total = 0.0, weighted = 0.0
    for (k, x) in values.enumerated() {
        total += x
        weighted += Double(2 * (k + 1) - n - 1) * x
    }
    guard total > 0 else { return 0 }
    return weighted / (Double(n) * total)
}

/// Zeroes the first `count` elements of a scratch array, growing it if
/// needed but never shrinking it: callers read only `array[0..<count]`.
/// (Emptying it and appending repeated zeros, once a lesson, was a visible cost.)
@inline(__always)
func zeroPrefix(_ array: inout [Int], count: Int) {
    if array.count < count { array.append(contentsOf: repeatElement(0, count: count - array.count)) }
    array.withUnsafeMutableBufferPointer { b in
        b.baseAddress?.update(repeating: 0, count: count)
    }
}
