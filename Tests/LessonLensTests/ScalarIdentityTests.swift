import Testing
@testable import LessonLens
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator

@Suite struct ScalarIdentityTests {
    @Test func equalScalarsAreEqualAndCanonicalEquivalentsAreNot() {
        #expect(ScalarIdentity("\u{e9}") == ScalarIdentity("é"))
        #expect(ScalarIdentity("\u{e9}") != ScalarIdentity("e\u{301}"))
        #expect(Set([ScalarIdentity("\u{e9}"), ScalarIdentity("e\u{301}"), ScalarIdentity("é")]).count == 2)
        // String equality would call these one id.
        #expect("\u{e9}" == "e\u{301}")
    }

    @Test func lessonNumbersStudentsByScalars() {
        var lesson = Lesson(id: "x", date: LessonDate(year: 2026, month: 3, day: 1)!, teacher: "t", subject: "s", grade: 1,
                            students: [Student(id: "\u{e9}", tier: .bottom), Student(id: "e\u{301}", tier: .top)],
                            performances: [Performance(t: 1, student: "e\u{301}", kind: .answer, independent: true)])
        lesson.indexStudents()
        #expect(lesson.performances[0].studentIndex == 1)
        #expect(lesson.studentCount == 2)
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
        #expect(try evaluator.metrics(of: facts).read_passes == Int.max)
    }

    @Test func giniOfCountsOfOneActiveStudent() {
        var histogram: [Int] = []
        // sum |xi - xj| = 2 * 4 * 4 = 32; 2 n^2 mean = 2 * 25 * 0.8 = 40.
        #expect(giniOfCounts([4, 0, 0, 0, 0][...], histogram: &histogram) == 0.8)
    }
}
