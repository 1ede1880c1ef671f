import Testing
@testable import LessonLensCore

/// The one rule book: each rule's verdict and message, and the scanner and
/// the decoder agreeing on a line at each rule's edge.
@Suite struct LessonRulesTests {
    @Test func presenceAllowsEqualAndRejectsMore() {
        #expect(LessonRules.presence(present: 40, enrolled: 40) == nil)
        #expect(LessonRules.presence(present: 41, enrolled: nil) == nil)
        #expect(LessonRules.presence(present: 41, enrolled: 40)?.field == "present")
        #expect(LessonRules.presence(present: 41, enrolled: 40)?.reason == "41 students present but only 40 enrolled")
    }

    @Test func timesEndAnHourAfterTheScheduledEnd() {
        #expect(LessonRules.latestTime(durationMin: 40) == 6000)
        #expect(LessonRules.time(6000, durationMin: 40, field: "t") == nil)
        #expect(LessonRules.time(6000.5, durationMin: 40, field: "t")?.reason == "time 100:00.5 is past duration_min + 60 minutes (100 min)")
        #expect(LessonRules.time(6e21, durationMin: 40, field: "t")?.reason.hasPrefix("time 6e+21 s is too large: past") == true)
    }

    @Test func segmentTimesInRangeBeforeOrder() {
        #expect(LessonRules.segment(start: 0, end: 1, durationMin: 40, index: 0) == nil)
        #expect(LessonRules.segment(start: 5, end: 5, durationMin: 40, index: 2)
                == FieldIssue(field: "segments[2].end", .endNotAfterStart, "0:05", "0:05"))
        #expect(LessonRules.segment(start: 5, end: 5, durationMin: 40, index: 2)?.reason == "end 0:05 is not after start 0:05")
        // Both too large and out of order: the size is named first.
        #expect(LessonRules.segment(start: 9e12, end: 1, durationMin: 40, index: 1)?.field == "segments[1].start")
    }

    @Test func homeworkCounts() {
        #expect(LessonRules.homework(assigned: 40, completed: 40, correct: 40) == nil)
        #expect(LessonRules.homework(assigned: 40, completed: 41, correct: nil)?.field == "homework.completed")
        #expect(LessonRules.homework(assigned: 40, completed: 30, correct: 31)?.field == "homework.correct")
        #expect(LessonRules.homework(assigned: 40, completed: 30, correct: 31)?.reason == "31 correct but only 30 completed")
    }

    @Test func secondsForMinutesWarnsOnlyWhenEveryTimeIsBareAndShort() {
        #expect(LessonRules.secondsForMinutes(bareTimes: 4, stringTimes: 0, last: 40, durationMin: 40)?.reason
                .contains("did you mean \"40:00\"") == true)
        #expect(LessonRules.secondsForMinutes(bareTimes: 4, stringTimes: 0, last: 60, durationMin: 40) == nil)
        #expect(LessonRules.secondsForMinutes(bareTimes: 3, stringTimes: 1, last: 40, durationMin: 40) == nil)
        #expect(LessonRules.secondsForMinutes(bareTimes: 4, stringTimes: 0, last: 40, durationMin: 30) == nil)
    }

    @Test func studentNumberingRosterFirstThenNewPerformers() {
        let n = StudentNumbering(roster: ["a", "b"], performers: ["b", "a", "b"])
        #expect(n.performers == [1, 0, 1] && n.count == 2 && n.problem == nil)
        let free = StudentNumbering(roster: nil, performers: ["x", "y", "x"])
        #expect(free.performers == [0, 1, 0] && free.count == 2 && free.problem == nil)
        #expect(StudentNumbering(roster: ["a", "b", "a"], performers: []).problem == .repeatedOnRoster(2))
        #expect(StudentNumbering(roster: ["a"], performers: ["a", "z"]).problem == .notOnRoster(1))
        // Composed and decomposed é are two ids (Unicode scalars, not canonical equivalence).
        #expect(StudentNumbering(roster: ["\u{e9}", "e\u{301}"], performers: ["e\u{301}"]).performers == [1])
    }

    /// Each rule at its edge, one line each side: the scanner accepts exactly
    /// what the decoder accepts, and the decoder's message names the rule.
    @Test func scannerAndDecoderAgreeAtEveryRuleEdge() throws {
        let base = #"{"id":"r","date":"2026-03-02","teacher":"t","subject":"s","grade":3,"#
        let cases: [(String, String?)] = [
            (base + #""enrolled":40,"present":40,"segments":[]}"#, nil),
            (base + #""enrolled":40,"present":41,"segments":[]}"#, "present"),
            (base + #""segments":[{"start":"0:00","end":"100:00","kind":"read"}]}"#, nil),
            (base + #""segments":[{"start":"0:00","end":"100:01","kind":"read"}]}"#, "segments[0].end"),
            (base + #""segments":[{"start":"1:00","end":"1:00","kind":"read"}]}"#, "segments[0].end"),
            (base + #""segments":[],"performances":[{"t":"100:01","student":"a","kind":"answer"}]}"#, "performances[0].t"),
            (base + #""segments":[],"homework":{"assigned":3,"completed":3,"correct":3}}"#, nil),
            (base + #""segments":[],"homework":{"assigned":3,"completed":4}}"#, "homework.completed"),
            (base + #""segments":[],"students":[{"id":"a"}],"performances":[{"t":"1:00","student":"b","kind":"answer"}]}"#, "performances[0].student"),
            (base + #""segments":[],"students":[{"id":"a"},{"id":"a"}]}"#, "students[1].id"),
        ]
        for (line, field) in cases {
            var scanner = LessonScanner()
            var evaluator = LessonEvaluator()
            let scanned = Array(line.utf8).withUnsafeBufferPointer { scanner.evaluate($0, policy: .default, evaluator: &evaluator) }
            var decoder = LessonDecoder()
            var warnings: [FieldIssue] = []
            let decoded = Result { () throws(FieldIssue) -> Lesson in try decoder.decode(line, warnings: &warnings) }
            if let field {
                #expect(scanned == nil, "\(line)")
                if case .failure(let issue) = decoded { #expect(issue.field == field, "\(line)") } else { Issue.record("decoded: \(line)") }
            } else {
                #expect(scanned != nil, "\(line)")
                #expect(try decoded.get().id == "r")
            }
        }
    }
}
