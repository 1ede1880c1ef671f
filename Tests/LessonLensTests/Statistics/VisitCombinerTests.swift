import Foundation
import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics

/// Lessons evaluated through the stream (with their timelines), in input order.
func evaluatedLessons(_ lines: [String], policy: Policy = .default) throws -> [EvaluatedLesson] {
    let stream = LessonStream(policy: policy, threads: 1, keepTimelines: true) { $0 }
    var source = MemorySource(lines.joined(separator: "\n") + "\n")
    var out: [EvaluatedLesson] = []
    try stream.process(&source, name: "t.jsonl") { if case .accepted(let e, _) = $0 { out.append(e) } }
    return out
}

/// A lesson with `reading` minutes of reading, `performers` distinct independent
/// performers, optional passes and homework, and `extra` members.
func visitLog(_ id: String, teacher: String = "王老师", date: String = "2026-10-12", reading: Double = 10,
              performers: Int = 18, readPasses: Int? = nil, correct: Int? = nil, extra: String = "") -> String {
    let passes = readPasses.map { #","passes":\#($0)"# } ?? ""
    let perf = (0..<performers).map { #"{"t":\#(60 + $0),"student":"S\#($0)","kind":"answer"}"# }.joined(separator: ",")
    let hw = correct.map { #","homework":{"assigned":30,"completed":30,"correct":\#($0)}"# } ?? ""
    return #"{"id":"\#(id)","date":"\#(date)","teacher":"\#(teacher)","subject":"chinese","grade":3,"present":30,"# +
        #""segments":[{"start":0,"end":\#(Int(reading * 60)),"kind":"read"\#(passes)},{"start":\#(Int(reading * 60)),"end":\#(Int(reading * 60) + 600),"kind":"write"}],"# +
        #""performances":[\#(perf)]\#(hw)\#(extra.isEmpty ? "" : "," + extra)}"#
}

@Suite struct VisitCombinerTests {
    /// Two observers of one visit: one record, each metric the mean of the
    /// logs' non-null values, the standards judged on those means.
    @Test func aVisitObservedTwiceIsOneRecordOfMeans() throws {
        let logs = try evaluatedLessons([
            visitLog("a1", reading: 10, performers: 18, readPasses: 3, correct: 27, extra: #""visit":"v1","observer":"A","tags":["open"]"#),
            visitLog("a2", reading: 9, performers: 17, extra: #""visit":"v1","observer":"B","tags":["open","pre-coaching"]"#),
            visitLog("b1", reading: 12, performers: 20, extra: #""observer":"A""#),
        ])
        #expect(logs.count == 3)
        // Each log alone meets one 18 (a1) or two 10s (a1): the visit does not.
        #expect(logs[0].standards.one_eighteen == true && logs[1].standards.one_eighteen == false)
        var list = VisitList(policy: .default)
        for (k, e) in logs.enumerated() { list.add(e, file: "t.jsonl", line: k + 1) }
        let visits = list.visits
        #expect(visits.count == 2 && list.logs == 3)
        let v = visits[0]
        #expect(v.id == "a1" && v.logs == 2 && v.observers == ["A", "B"])
        #expect(v.metrics.reading_min == 9.5 && v.metrics.independent_performers == 17.5)
        #expect(v.standards.one_eighteen == false)   // 17.5 < 18
        #expect(v.standards.two_tens == false)       // 9.5 < 10
        // Passes given by one log only: the mean of the values there are.
        #expect(v.metrics.read_passes == 3)
        // Accuracy: 27/30 in one log, null in the other.
        #expect(v.metrics.homework_accuracy == 0.9)
        #expect(v.tags == ["open", "pre-coaching"])
        #expect(v.visitKey == "v1")
        // A log of its own is unchanged.
        #expect(visits[1].logs == 1 && visits[1].observers.isEmpty && visits[1].metrics.reading_min == 12)
        #expect(list.takeWarnings().isEmpty)
    }

    /// Logs that give different metrics: each metric's mean over the logs
    /// that give it, whichever log comes first.
    @Test func logsGivingDifferentMetrics() throws {
        let logs = try evaluatedLessons([
            visitLog("n1", reading: 8, extra: #""visit":"v2""#),
            visitLog("n2", reading: 10, readPasses: 2, correct: 24, extra: #""visit":"v2""#),
            visitLog("n3", reading: 12, readPasses: 4, extra: #""visit":"v2""#),
            visitLog("n4", reading: 6, readPasses: 1, extra: #""visit":"v3""#),
            visitLog("n5", reading: 7, readPasses: 2, extra: #""visit":"v3""#),
        ])
        var list = VisitList(policy: .default)
        logs.forEach { list.add($0) }
        let v = list.visits
        #expect(v.count == 2)
        #expect(v[0].logs == 3 && v[0].metrics.reading_min == 10 && v[0].metrics.read_passes == 3)
        #expect(v[0].metrics.homework_accuracy == 0.8 && v[0].metrics.homework_completion == 1)
        #expect(v[1].logs == 2 && v[1].metrics.reading_min == 6.5 && v[1].metrics.read_passes == 1.5)
        #expect(v[1].metrics.homework_accuracy == nil)
    }

    /// Without `visit`, the same date, teacher, class and period is one visit;
    /// a log without class or period is a visit of its own.
    @Test func theVisitRuleWithoutAVisitField() throws {
        let logs = try evaluatedLessons([
            visitLog("x1", extra: #""class":"3A","period":2,"observer":"A""#),
            visitLog("x2", extra: #""class":"3A","period":2,"observer":"B""#),
            visitLog("x3", extra: #""class":"3A","period":3"#),
            visitLog("x4", extra: #""class":"3A""#),
            visitLog("x5", extra: #""class":"3A""#),
            // A `visit` field is never the same visit as the date/class/period form.
            visitLog("x6", extra: #""class":"3A","period":2,"visit":"2026-10-12/王老师/3A/p2""#),
        ])
        var list = VisitList(policy: .default)
        logs.forEach { list.add($0) }
        #expect(list.visits.map(\.logs) == [2, 1, 1, 1, 1])
        #expect(list.visits[0].visitKey == "2026-10-12/王老师/3A/p2")
    }

    /// A later log naming another teacher, date or subject: a warning naming
    /// both lines; the first log's values are kept.
    @Test func aLaterLogThatDisagreesIsWarnedAbout() throws {
        let logs = try evaluatedLessons([
            visitLog("w1", teacher: "王老师", extra: #""visit":"v9""#),
            visitLog("other", teacher: "李老师", extra: #""visit":"v8""#),
            visitLog("w2", teacher: "李老师", date: "2026-10-13", extra: #""visit":"v9""#),
        ])
        var list = VisitList(policy: .default)
        var messages: [String] = []
        for (k, e) in logs.enumerated() {
            list.add(e, file: "t.jsonl", line: k + 1)
            messages += list.takeWarnings().map(\.description)
        }
        #expect(list.visits.first?.teacher == "王老师")
        // Both logs have no observer: a copy, perhaps.
        #expect(messages == [
            "t.jsonl:3: warning: teacher: \"李老师\" differs from the first log of the same visit (t.jsonl:1), whose value is used",
            "t.jsonl:3: warning: date: \"2026-10-13\" differs from the first log of the same visit (t.jsonl:1), whose value is used",
            "t.jsonl:3: warning: observer: a second log of the same visit by the same observer as t.jsonl:1 (or both without one): both are combined; is one a copy?",
        ])
        // One subject written two ways is not a difference; another grade is.
        let more = try evaluatedLessons([
            visitLog("s1", extra: #""visit":"v7","observer":"A""#),
            visitLog("s2", extra: #""visit":"v7","observer":"B""#).replacingOccurrences(of: #""subject":"chinese","grade":3"#, with: #""subject":"语文","grade":4"#),
        ])
        var other = VisitList(policy: .default)
        for (k, e) in more.enumerated() { other.add(e, file: "u", line: k + 1) }
        #expect(other.takeWarnings().map(\.description) == [
            "u:2: warning: grade: \"4\" differs from the first log of the same visit (u:1), whose value is used",
        ])
    }

    /// Grouped rows: a visit is one row under its first log's key, and the
    /// group knows its logs.
    @Test func groupedRowsCombineVisits() throws {
        let logs = try evaluatedLessons([
            visitLog("g1", reading: 8, extra: #""visit":"v1""#),
            visitLog("g2", reading: 11, extra: #""visit":"v1""#),
            visitLog("g3", reading: 12),
        ])
        var grouped = GroupedLessons(by: .teacher, visitsJudgedBy: .default)
        for (k, e) in logs.enumerated() { grouped.add(KeyedRow(e, by: .teacher, policy: .default), file: "t", line: k + 1) }
        grouped.combineVisits()
        let groups = grouped.sorted
        #expect(groups.count == 1)
        let columns = groups[0].lessons
        #expect(columns.count == 2 && columns.logs == 3)
        #expect(columns.values(.reading_min) == [9.5, 12])
        #expect(columns.tally(.two_tens) == (met: 1, judged: 2))
        // Per log: three rows.
        var perLog = GroupedLessons(by: .teacher)
        logs.forEach { perLog.add($0) }
        #expect(perLog.sorted[0].lessons.count == 3)
    }
}
