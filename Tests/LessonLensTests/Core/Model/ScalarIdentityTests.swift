import Testing
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
