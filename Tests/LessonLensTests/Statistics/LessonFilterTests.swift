import Foundation
import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics

@Suite struct LessonFilterTests {
    static let lessons: [EvaluatedLesson] = try! evaluatedLessons([
        visitLog("f1", teacher: "王老师", date: "2026-09-01", extra: #""tags":["pre-coaching"],"class":"3A""#),
        visitLog("f2", teacher: "王老师", date: "2026-10-15", extra: #""tags":["post-coaching"],"class":"3B""#),
        visitLog("f3", teacher: "李老师", date: "2026-11-30"),
    ]) + (try! evaluatedLessons([minimalLesson(#""class":"2A""#).replacingOccurrences(of: #""subject":"chinese""#, with: #""subject":"数学""#)]))

    func ids(_ text: String) throws -> [String] {
        let f = try LessonFilter(text)
        return Self.lessons.filter(f.matches).map(\.id)
    }

    @Test func equalityAndItsNegation() throws {
        #expect(try ids("teacher=王老师") == ["f1", "f2", "m1"])
        #expect(try ids("teacher!=王老师") == ["f3"])
        #expect(try ids("tag=pre-coaching") == ["f1"])
        #expect(try ids("tag!=pre-coaching") == ["f2", "f3", "m1"])
        #expect(try ids("class=3B") == ["f2"])
        // Lessons without the field: `class!=3A` holds, `class=(none)` selects them.
        #expect(try ids("class!=3A") == ["f2", "f3", "m1"])
        #expect(try ids("class=(none)") == ["f3"])
    }

    @Test func datesAndGradesCompare() throws {
        #expect(try ids("date>=2026-10-15") == ["f2", "f3"])
        #expect(try ids("date>2026-10-15") == ["f3"])
        #expect(try ids("date<2026-10-15") == ["f1", "m1"])      // m1 is 2026-04-01
        #expect(try ids("date<=2026-10-15,date>=2026-09-01") == ["f1", "f2"])
        #expect(try ids("grade<3") == ["m1"])
        #expect(try ids("grade>=3") == ["f1", "f2", "f3"])
        #expect(try ids("grade=2") == ["m1"])
        #expect(try ids("month=2026-10") == ["f2"])
    }

    /// Subjects by their canonical name: 数学 is math.
    @Test func subjectsMatchByAlias() throws {
        #expect(try ids("subject=math") == ["m1"])
        #expect(try ids("subject=Maths") == ["m1"])
        #expect(try ids("subject=语文") == ["f1", "f2", "f3"])
    }

    @Test func severalFiltersAllHold() throws {
        let f = LessonFilter(all: [try LessonFilter("teacher=王老师"), try LessonFilter("date>2026-09-01")])
        #expect(Self.lessons.filter(f.matches).map(\.id) == ["f2"])
    }

    @Test func badFiltersAreRefusedWithTheReason() {
        for bad in ["teacher", "colour=red", "teacher>a", "tag>=x", "date>=2026-02-30", "date>=soon", "grade>three", "all=x"] {
            #expect(throws: LessonFilter.ParseError.self, "\(bad)") { try LessonFilter(bad) }
        }
        do throws(LessonFilter.ParseError) {
            _ = try LessonFilter("teacher>a")
        } catch {
            #expect(error.description == "filter \"teacher>a\": teacher takes = or != only (>=, >, <=, < are for date and grade)")
        }
    }
}
