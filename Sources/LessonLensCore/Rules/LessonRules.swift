/// The contract's rules on a lesson's values (docs/observation-log-v1.md),
/// each written once. `LessonDecoder` throws (or warns with) the issue a rule
/// returns; `LessonScanner` hands the line to the decoder whenever a rule
/// returns one, so both paths judge every lesson by the same rule and the
/// message is always the decoder's.
package enum LessonRules {
    /// `grade`: 1 to 12.
    package static let grades: ClosedRange<Int> = 1...12

    /// `duration_min`: minutes, a number > 0.
    @inline(__always)
    package static func isValidDuration(_ minutes: Double) -> Bool {
        minutes > 0 && minutes.isFinite
    }

    /// `present` is at most `enrolled` when both are given.
    @inline(__always)
    package static func presence(present: Int?, enrolled: Int?) -> FieldIssue? {
        guard let present, let enrolled, present > enrolled else { return nil }
        return FieldIssue(field: "present", .presentOverEnrolled, "\(present)", "\(enrolled)")
    }

    /// The latest time (seconds) anything in a lesson may happen at:
    /// `duration_min` + 60 minutes.
    @inline(__always)
    package static func latestTime(durationMin: Double) -> LessonTime {
        (durationMin + 60) * 60
    }

    /// A time is not past `latestTime`. `field` is made only for the message.
    @inline(__always)
    package static func time(_ t: LessonTime, durationMin: Double, field: @autoclosure () -> String) -> FieldIssue? {
        guard t > latestTime(durationMin: durationMin) else { return nil }
        // Past 10^12 s (31,000 years) the value is a slip, not an overrun: say so.
        return FieldIssue(field: field(), t >= 1e12 ? .timeTooLarge : .timePastLatest, "\(formatTime(t))", "\(formatMinutes(durationMin + 60))")
    }

    /// Segment `index`: both times within the lesson, then end after start
    /// (in this order, so that a time far too large is named as such).
    @inline(__always)
    package static func segment(start: LessonTime, end: LessonTime, durationMin: Double, index: Int) -> FieldIssue? {
        if let issue = time(start, durationMin: durationMin, field: "segments[\(index)].start") { return issue }
        if let issue = time(end, durationMin: durationMin, field: "segments[\(index)].end") { return issue }
        guard end > start else {
            return FieldIssue(field: "segments[\(index)].end", .endNotAfterStart, "\(formatTime(end))", "\(formatTime(start))")
        }
        return nil
    }

    /// `homework`: completed <= assigned, correct <= completed.
    @inline(__always)
    package static func homework(assigned: Int, completed: Int, correct: Int?) -> FieldIssue? {
        guard completed <= assigned else {
            return FieldIssue(field: "homework.completed", .completedOverAssigned, "\(completed)", "\(assigned)")
        }
        if let correct, correct > completed {
            return FieldIssue(field: "homework.correct", .correctOverCompleted, "\(correct)", "\(completed)")
        }
        return nil
    }

    /// A warning, not an error: every time a bare number (so seconds), the
    /// last under a minute, in a lesson of 40 minutes or more: the writer
    /// most likely meant minutes.
    @inline(__always)
    package static func secondsForMinutes(bareTimes: Int, stringTimes: Int, last: LessonTime,
                                          durationMin: Double) -> FieldIssue? {
        guard bareTimes > 0 && stringTimes == 0 && durationMin >= 40 && last < 60 else { return nil }
        let whole = Int(last.rounded())
        return FieldIssue(field: "segments", .secondsForMinutes, "\(formatMinutes(last))", "\(formatMinutes(durationMin))", "\(whole)")
    }
}

/// How a lesson's students are numbered, the one rule for every path: roster
/// ids in roster order, then each performer's id not on the roster, in
/// order of the performances. Ids are equal when their Unicode scalars are
/// (`ScalarIdentity`). With a roster, an id twice on it and a performer not
/// on it are problems (the decoder rejects the lesson). `IdentifierTable`
/// applies the same rule to raw bytes, for ids without escapes, where equal
/// bytes are equal scalars.
package struct StudentNumbering {
    package enum Problem: Equatable {
        /// `students[k]` repeats an earlier id.
        case repeatedOnRoster(Int)
        /// `performances[k].student` is not on the roster.
        case notOnRoster(Int)
    }

    /// The number of each performance's student, in order.
    package private(set) var performers: [Int] = []
    /// How many students are numbered.
    package private(set) var count = 0
    /// The first problem met, if any (numbering goes on past it).
    package private(set) var problem: Problem?

    package init(roster: [String]?, performers ids: [String]) {
        var index: [ScalarIdentity: Int] = [:]
        for (k, id) in (roster ?? []).enumerated() {
            let key = ScalarIdentity(id)
            if index[key] == nil { index[key] = k } else if problem == nil { problem = .repeatedOnRoster(k) }
        }
        var next = roster?.count ?? 0
        performers.reserveCapacity(ids.count)
        for (k, id) in ids.enumerated() {
            let key = ScalarIdentity(id)
            if let i = index[key] {
                performers.append(i)
            } else {
                if roster != nil && problem == nil { problem = .notOnRoster(k) }
                index[key] = next
                performers.append(next)
                next += 1
            }
        }
        count = next
    }
}
