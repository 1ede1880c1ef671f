@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator

/// The spec's example lesson, verbatim.
let specExample = #"{"id":"v-0001","date":"2026-03-12","teacher":"T017","subject":"chinese","grade":3,"class":"3A","duration_min":40,"enrolled":42,"present":41,"segments":[{"start":"00:00","end":"04:00","kind":"lecture"},{"start":"04:00","end":"12:30","kind":"read","passes":3},{"start":"12:30","end":"18:00","kind":"write","task":"copy","passes":3},{"start":"18:00","end":"30:00","kind":"discussion"},{"start":"30:00","end":"39:00","kind":"homework"}],"performances":[{"t":"05:10","student":"S07","kind":"read"},{"t":"19:00","student":"S12","kind":"answer"},{"t":"19:30","student":"S12","kind":"answer","independent":false}],"homework":{"assigned":41,"completed":37,"correct":33}}"#

/// A minimal valid lesson with `extra` members added (`"key":value,...`).
func minimalLesson(_ extra: String = "", segments: String = "[]") -> String {
    #"{"id":"m1","date":"2026-04-01","teacher":"王老师","subject":"chinese","grade":2,"segments":\#(segments)\#(extra.isEmpty ? "" : "," + extra)}"#
}

enum Decoded {
    case lesson(Lesson, warnings: [FieldIssue])
    case rejected(FieldIssue)

    var lesson: Lesson? {
        if case .lesson(let l, _) = self { return l }
        return nil
    }
    var issue: FieldIssue? {
        if case .rejected(let i) = self { return i }
        return nil
    }
    var warnings: [FieldIssue] {
        if case .lesson(_, let w) = self { return w }
        return []
    }
}

func decode(_ line: String) -> Decoded {
    var decoder = LessonDecoder()
    var warnings: [FieldIssue] = []
    do {
        let lesson = try decoder.decode(line, warnings: &warnings)
        return .lesson(lesson, warnings: warnings)
    } catch {
        return .rejected(error)
    }
}

func metrics(_ line: String, policy: Policy = .default) -> (LessonMetrics, StandardResults)? {
    guard let lesson = decode(line).lesson else { return nil }
    var evaluator = LessonEvaluator()
    return try? evaluator.evaluate(lesson, policy: policy)
}

/// Floating-point comparison for derived values (minutes are seconds / 60).
func close(_ a: Double?, _ b: Double?, tolerance: Double = 1e-9) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case let (x?, y?): return abs(x - y) <= tolerance * max(1, abs(y))
    default: return false
    }
}

/// Every accepted lesson of `text` (JSON Lines), with its timeline, in order.
func evaluatedWithTimelines(_ text: String) throws -> [EvaluatedLesson] {
    let stream = LessonStream(threads: 1, keepTimelines: true) { $0 }
    var source = MemorySource(text)
    var out: [EvaluatedLesson] = []
    try stream.process(&source, name: "t") { if case .accepted(let e, _) = $0 { out.append(e) } }
    return out
}

/// One observer's log of a visit, for the agreement, reliability and views tests.
func visitLog(_ id: String, observer: String?, visit: String = "v1", duration: Int = 2, _ segments: String) -> String {
    let who = observer.map { ",\"observer\":\"\($0)\"" } ?? ""
    return "{\"id\":\"\(id)\",\"visit\":\"\(visit)\"\(who),\"date\":\"2026-03-12\",\"teacher\":\"T\",\"subject\":\"chinese\",\"grade\":3,\"duration_min\":\(duration),\"segments\":[\(segments)]}\n"
}
