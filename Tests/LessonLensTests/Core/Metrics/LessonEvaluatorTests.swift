import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator

/// A lesson worked by hand (numbers in the comments):
/// roster S1 S2 top, S3 S4 middle, S5 S6 bottom; 6 present.
let handWorked = #"""
{"id":"h1","date":"2026-05-06","teacher":"T1","subject":"chinese","grade":4,"duration_min":40,"enrolled":6,"present":6,
"students":[{"id":"S1","tier":"top"},{"id":"S2","tier":"top"},{"id":"S3","tier":"middle"},{"id":"S4","tier":"middle"},{"id":"S5","tier":"bottom"},{"id":"S6","tier":"bottom"}],
"segments":[
 {"start":"00:00","end":"06:00","kind":"read","passes":1},
 {"start":"05:00","end":"08:00","kind":"read","passes":2},
 {"start":"10:00","end":"15:00","kind":"write","task":"copy","passes":2},
 {"start":"14:00","end":"24:00","kind":"homework","task":"copy","passes":1},
 {"start":"24:00","end":"30:00","kind":"lecture"},
 {"start":"30:00","end":"38:00","kind":"group"},
 {"start":"36:00","end":"42:00","kind":"discussion"}],
"performances":[
 {"t":"01:00","student":"S1","kind":"answer"},{"t":"02:00","student":"S1","kind":"answer"},
 {"t":"03:00","student":"S1","kind":"read","independent":true},{"t":"31:00","student":"S5","kind":"board"},
 {"t":"32:00","student":"S3","kind":"answer","independent":false},{"t":"41:30","student":"S2","kind":"answer"}],
"homework":{"assigned":6,"completed":6,"correct":3}}
"""#.replacingOccurrences(of: "\n", with: "")

@Suite struct MetricsTests {
    @Test func theSpecsExample() throws {
        let (m, s) = try #require(metrics(specExample))
        #expect(m.reading_min == 8.5)
        #expect(m.writing_min == 14.5)          // 5.5 writing + 9 homework
        #expect(m.homework_min == 9)
        #expect(m.lecture_min == 4)
        #expect(m.end_min == 39)
        #expect(m.overrun_min == 0)
        #expect(m.independent_performances == 2)
        #expect(m.independent_performers == 2)
        #expect(close(m.performer_ratio, 2.0 / 41))
        #expect(m.bottom_share == nil && m.top_share == nil && m.bottom_reached == nil && m.participation_gini == nil)
        #expect(m.second_half_active_min == 19)  // discussion 20-30, homework 30-39
        #expect(m.read_passes == 3 && m.copy_passes == 3)
        #expect(close(m.homework_completion, 37.0 / 41))
        #expect(close(m.homework_accuracy, 33.0 / 37))
        #expect(s == StandardResults(two_tens: false, one_eighteen: false, homework_time: true, four_threes: true, on_time: true))
    }

    @Test func handWorkedLessonWithOverlapsRosterAndOverrun() throws {
        let (m, s) = try #require(metrics(handWorked))
        #expect(m.reading_min == 8)             // 0-6 ∪ 5-8
        #expect(m.writing_min == 14)            // 10-15 ∪ 14-24
        #expect(m.homework_min == 10)
        #expect(m.lecture_min == 6)
        #expect(m.end_min == 42)                // discussion ends 42:00, after the last performance 41:30
        #expect(m.overrun_min == 2)
        #expect(m.independent_performances == 5) // S1×3, S5, S2; S3's is not independent
        #expect(m.independent_performers == 3)
        #expect(m.performer_ratio == 0.5)
        #expect(close(m.bottom_share, 1.0 / 5))
        #expect(close(m.top_share, 4.0 / 5))
        #expect(m.bottom_reached == 0.5)        // S5 of S5, S6
        // counts S1..S6 = 3,1,0,0,1,0: sum |xi-xj| = 38, n = 6, mean = 5/6 → 38 / (2·36·5/6) = 19/30
        #expect(close(m.participation_gini, 19.0 / 30))
        // second half [20, 40]: homework 20-24, group 30-38 ∪ discussion 36-40 → 4 + 10
        #expect(close(m.second_half_active_min, 14))
        #expect(m.read_passes == 3 && m.copy_passes == 3)
        #expect(m.homework_completion == 1 && m.homework_accuracy == 0.5)
        #expect(s == StandardResults(two_tens: false, one_eighteen: false, homework_time: true, four_threes: true, on_time: false))
    }

    @Test func emptyLessonHasZerosAndNulls() throws {
        let (m, s) = try #require(metrics(minimalLesson()))
        #expect(m.reading_min == 0 && m.writing_min == 0 && m.homework_min == 0 && m.end_min == 0 && m.overrun_min == 0)
        #expect(m.independent_performances == 0 && m.independent_performers == 0)
        #expect(m.performer_ratio == nil && m.bottom_share == nil && m.top_share == nil)
        #expect(m.bottom_reached == nil && m.participation_gini == nil)
        #expect(m.read_passes == nil && m.copy_passes == nil)
        #expect(m.homework_completion == nil && m.homework_accuracy == nil)
        #expect(s == StandardResults(two_tens: false, one_eighteen: false, homework_time: false, four_threes: nil, on_time: true))
    }

    @Test func nullsForZeroDenominators() throws {
        let (m, _) = try #require(metrics(minimalLesson(#""present":0,"homework":{"assigned":0,"completed":0,"correct":0}"#)))
        #expect(m.performer_ratio == nil)
        #expect(m.homework_completion == nil)
        #expect(m.homework_accuracy == nil)
        let (m2, _) = try #require(metrics(minimalLesson(#""homework":{"assigned":10,"completed":5}"#)))
        #expect(m2.homework_completion == 0.5 && m2.homework_accuracy == nil)
    }

    @Test func passesOnlyFromSegmentsThatGiveThem() throws {
        let segs = #"[{"start":0,"end":60,"kind":"read"},{"start":60,"end":120,"kind":"read","passes":2},{"start":120,"end":180,"kind":"write","passes":5},{"start":180,"end":240,"kind":"write","task":"dictation","passes":4}]"#
        let (m, s) = try #require(metrics(minimalLesson(segments: segs)))
        #expect(m.read_passes == 2)
        #expect(m.copy_passes == nil)   // no write/homework segment with task copy gives passes
        #expect(s.four_threes == nil)
        let copy = #"[{"start":0,"end":60,"kind":"read","passes":3},{"start":60,"end":120,"kind":"write","task":"copy","passes":0}]"#
        let (m2, s2) = try #require(metrics(minimalLesson(segments: copy)))
        #expect(m2.copy_passes == 0 && s2.four_threes == false)
    }

    @Test func performersWithoutRosterAreDistinctStudents() throws {
        let perfs = #""present":4,"performances":[{"t":1,"student":"A","kind":"answer"},{"t":2,"student":"A","kind":"read"},{"t":3,"student":"B","kind":"answer","independent":false},{"t":4,"student":"C","kind":"demo"}]"#
        let (m, _) = try #require(metrics(minimalLesson(perfs)))
        #expect(m.independent_performances == 3)
        #expect(m.independent_performers == 2)
        #expect(m.performer_ratio == 0.5)
        #expect(m.bottom_share == nil && m.participation_gini == nil)
        #expect(m.end_min == 4.0 / 60)
    }

    @Test func rosterWithoutBottomStudentsAndEqualCounts() throws {
        let line = minimalLesson(#""students":[{"id":"A","tier":"top"},{"id":"B","tier":"middle"}],"performances":[{"t":1,"student":"A","kind":"answer"},{"t":2,"student":"B","kind":"answer"}]"#)
        let (m, _) = try #require(metrics(line))
        #expect(m.bottom_reached == nil)   // no bottom students on the roster
        #expect(m.bottom_share == 0)
        #expect(m.top_share == 0.5)
        #expect(m.participation_gini == 0) // all equal
        let silent = minimalLesson(#""students":[{"id":"A","tier":"bottom"},{"id":"B","tier":"bottom"}]"#)
        let (m2, _) = try #require(metrics(silent))
        #expect(m2.participation_gini == 0) // all zero
        #expect(m2.bottom_reached == 0)
        #expect(m2.bottom_share == nil)     // no independent performances
    }

    @Test func standardBoundariesAreInclusive() throws {
        let segs = #"[{"start":0,"end":600,"kind":"read"},{"start":600,"end":1080,"kind":"write"},{"start":1080,"end":1200,"kind":"homework"}]"#
        // reading 10, writing 8 + 2 = 10, homework 2
        let (m, s) = try #require(metrics(minimalLesson(segments: segs)))
        #expect(m.reading_min == 10 && m.writing_min == 10)
        #expect(s.two_tens == true)
        #expect(s.homework_time == false)
        let hw8 = #"[{"start":0,"end":480,"kind":"homework"}]"#
        #expect(metrics(minimalLesson(segments: hw8))?.1.homework_time == true)
        let hw10_5 = #"[{"start":0,"end":630,"kind":"homework"}]"#
        #expect(metrics(minimalLesson(segments: hw10_5))?.1.homework_time == false)
    }

    @Test func eighteenPerformersMeetOneEighteen() throws {
        let perfs = (1...18).map { #"{"t":\#($0),"student":"S\#($0)","kind":"answer"}"# }.joined(separator: ",")
        let (m, s) = try #require(metrics(minimalLesson(#""performances":[\#(perfs)]"#)))
        #expect(m.independent_performers == 18 && s.one_eighteen == true)
        let seventeen = (1...17).map { #"{"t":\#($0),"student":"S\#($0)","kind":"answer"}"# }.joined(separator: ",")
        #expect(metrics(minimalLesson(#""performances":[\#(seventeen)]"#))?.1.one_eighteen == false)
    }

    @Test func overrunIsMeasuredAgainstTheScheduledDuration() throws {
        let segs = #"[{"start":"0:00","end":"45:30","kind":"lecture"}]"#
        let (m, s) = try #require(metrics(minimalLesson(#""duration_min":45"#, segments: segs)))
        #expect(m.overrun_min == 0.5)
        #expect(s.on_time == false)
        // second half of a 45-minute lesson is [22.5, 45]; lecture does not count
        #expect(m.second_half_active_min == 0)
    }

    @Test func policyChangesThresholds() throws {
        var policy = Policy()
        policy.performerShareOfPresent = 0.5
        policy.readingMin = 8
        policy.overrunToleranceMin = 2
        let (_, s) = try #require(metrics(handWorked, policy: policy))
        #expect(s.one_eighteen == true) // min(18, ceil(0.5 × 6)) = 3 performers needed
        #expect(s.two_tens == true)     // reading 8 ≥ 8, writing 14 ≥ 10
        #expect(s.on_time == true)      // 2 minutes over, 2 allowed
    }

    @Test func policyFileRoundTripsAndRejectsUnknownKeys() throws {
        var p = Policy()
        p.homeworkMinMin = 5
        p.performerShareOfPresent = 0.4
        #expect(try Policy(json: Array(p.json().utf8)) == p)
        #expect(try Policy(json: Array(#"{"homework_time":{"min_minutes":5}}"#.utf8)).homeworkMinMin == 5)
        #expect(throws: Policy.FileError.self) { try Policy(json: Array(#"{"two_tens":{"reading":5}}"#.utf8)) }
        #expect(throws: Policy.FileError.self) { try Policy(json: Array(#"{"homework_time":{"min_minutes":12}}"#.utf8)) }
        #expect(throws: Policy.FileError.self) { try Policy(json: Array("{".utf8)) }
    }
}

@Suite struct GiniTests {
    @Test func knownValues() {
        var empty: [Double] = []
        #expect(gini(&empty) == 0)
        var one = [5.0]
        #expect(gini(&one) == 0)
        var allOnOne = [0.0, 0, 0, 4]
        #expect(gini(&allOnOne) == 0.75) // (n-1)/n
        var pair = [1.0, 3]
        #expect(gini(&pair) == 0.25)     // |1-3|·2 / (2·4·2)
    }

    /// The evaluator's counting form gives the same bits as the sorting one.
    @Test func countsGiveTheSameBitsAsSorting() {
        var random = SplitMix64(seed: 8)
        var histogram: [Int] = []
        for _ in 0..<2000 {
            let n = Int(random.next() % 60)
            let top = 1 + Int(random.next() % 9)
            let counts = (0..<n).map { _ in random.next() % 3 == 0 ? 0 : Int(random.next() % UInt64(top)) }
            var values = counts.map(Double.init)
            #expect(giniOfCounts(counts[...], histogram: &histogram)!.bitPattern == gini(&values).bitPattern, "\(counts)")
        }
        // sum |xi - xj| = 2·(3+3+2+1+1) = 20, over 2·n²·mean = 2·16·1.
        #expect(giniOfCounts([3, 0, 0, 1][...], histogram: &histogram) == 0.625)
    }
}

/// A small deterministic generator for randomized tests.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

@Suite struct CheckedArithmeticTests {
    @Test func passesSumOverflowThrowsInsteadOfTrapping() throws {
        var facts = LessonFacts()
        facts.segments = [.init(start: 0, end: 1, kind: .read, passes: Int.max, isCopying: false),
                          .init(start: 1, end: 2, kind: .read, passes: 1, isCopying: false)]
        var evaluator = LessonEvaluator()
        #expect(throws: FieldIssue.self) { try evaluator.metrics(of: facts) }
        facts.segments[1].passes = 0
        #expect(try evaluator.metrics(of: facts).read_passes == Double(Int.max))
    }

    @Test func giniOfCountsOfOneActiveStudent() {
        var histogram: [Int] = []
        // sum |xi - xj| = 2 * 4 * 4 = 32; 2 n^2 mean = 2 * 25 * 0.8 = 40.
        #expect(giniOfCounts([4, 0, 0, 0, 0][...], histogram: &histogram) == 0.8)
    }
}
