import Foundation
import Testing
@testable import LessonLensCore

@Suite struct PolicyTests {
    func policy(_ json: String) throws -> Policy { try Policy(json: Array(json.utf8)) }

    @Test func subjectAliasesAreOneSubject() {
        #expect(Subjects.canonical("语文") == "chinese")
        #expect(Subjects.canonical("Chinese") == "chinese")
        #expect(Subjects.canonical("数学") == "math" && Subjects.canonical("Maths") == "math" && Subjects.canonical("MATH") == "math")
        #expect(Subjects.canonical("英语") == "english" && Subjects.canonical("科学") == "science")
        #expect(Subjects.canonical("Drama") == "drama")
    }

    /// A standard that does not apply is nil and marked so, never false.
    @Test func aStandardThatDoesNotApplyIsNullNotFalse() throws {
        let p = try policy(#"{"subjects": {"数学": {"two_tens": {"applies": false}}}}"#)
        var m = LessonMetrics()
        m.reading_min = 2; m.writing_min = 2
        let maths = p.judge(m, present: nil, subject: "math", grade: 3)
        #expect(maths.two_tens == nil && !maths.applies(.two_tens))
        #expect(maths.one_eighteen == false && maths.applies(.one_eighteen))
        let chinese = p.judge(m, present: nil, subject: "语文", grade: 3)
        #expect(chinese.two_tens == false && chinese.applies(.two_tens))
        #expect(p.mayApply(.two_tens))
    }

    /// Subject wins over grade, grade over the top level, whatever the file's order.
    @Test func subjectWinsOverGradeWinsOverTopLevel() throws {
        let p = try policy(#"""
            {"subjects": {"chinese": {"two_tens": {"reading_min": 12}}},
             "grades": {"3": {"two_tens": {"reading_min": 5, "writing_min": 4}}},
             "two_tens": {"reading_min": 8}}
            """#)
        #expect(p.resolved(subject: "语文", grade: 3).readingMin == 12)
        #expect(p.resolved(subject: "语文", grade: 3).writingMin == 4)    // the grade's, not overridden by the subject
        #expect(p.resolved(subject: "math", grade: 3).readingMin == 5)
        #expect(p.resolved(subject: "math", grade: 4).readingMin == 8)
        #expect(p.resolved(subject: "chinese", grade: 5).readingMin == 12)
        #expect(p.resolved(subject: "chinese", grade: 5).writingMin == 10)
    }

    @Test func overridesAreCheckedLikeTheTopLevel() {
        #expect(throws: Policy.FileError.self) { try policy(#"{"subjects": {"math": {"two_tens": {"readng_min": 1}}}}"#) }
        do throws(Policy.FileError) {
            _ = try Policy(json: Array(#"{"subjects": {"math": {"two_tens": {"readng_min": 1}}}}"#.utf8))
            Issue.record("a misspelt key in an override must be refused")
        } catch {
            #expect(error.key == "subjects.math.two_tens.readng_min")
        }
        #expect(throws: Policy.FileError.self) { try policy(#"{"grades": {"13": {}}}"#) }
        #expect(throws: Policy.FileError.self) { try policy(#"{"grades": {"3": {"plausible": {"max_passes": 3}}}}"#) }
        #expect(throws: Policy.FileError.self) { try policy(#"{"two_tens": {"applies": 0}}"#) }
        #expect(throws: Policy.FileError.self) { try policy(#"{"coaching": {"before": "pre"}}"#) }
    }

    /// What `lessonlens policy` prints reads back as the same rules.
    @Test func printedPolicyReadsBack() throws {
        #expect(try policy(Policy.default.json()) == Policy.default)
        let p = try policy(#"{"subjects": {"math": {"four_threes": {"applies": false}}}, "coaching": {"after": ["指导后"]}}"#)
        let again = try policy(p.json())
        #expect(again.coachingAfter == ["指导后"])
        #expect(again.resolved(subject: "数学", grade: 1).notApplying == [.four_threes])
    }

    /// The stream judges each lesson by the rules for its subject and grade,
    /// on the scanner's path as on the decoder's.
    @Test func theStreamAppliesOverrides() throws {
        let p = try policy(#"{"subjects": {"math": {"two_tens": {"applies": false}}}, "grades": {"2": {"homework_time": {"applies": false}}}}"#)
        let math = specExample.replacingOccurrences(of: #""subject":"chinese""#, with: #""subject":"数学""#)
        for keep in [false, true] {
            let stream = LessonStream(policy: p, threads: 1, keepTimelines: keep) { $0 }
            var source = MemorySource(specExample + "\n" + math + "\n" + minimalLesson() + "\n")
            var out: [EvaluatedLesson] = []
            try stream.process(&source, name: "t") { if case .accepted(let e, _) = $0 { out.append(e) } }
            // The maths copy repeats the example's id: rejected as a duplicate.
            #expect(out.count == 2)
            #expect(out[0].standards.two_tens == false && out[0].standards.applies(.two_tens))
        }
        let stream = LessonStream(policy: p, threads: 1) { $0 }
        var source = MemorySource(math.replacingOccurrences(of: "v-0001", with: "m-1") + "\n" + minimalLesson() + "\n")
        var out: [EvaluatedLesson] = []
        try stream.process(&source, name: "t") { if case .accepted(let e, _) = $0 { out.append(e) } }
        #expect(out[0].standards.two_tens == nil && !out[0].standards.applies(.two_tens))
        #expect(out[1].standards.homework_time == nil && !out[1].standards.applies(.homework_time))   // grade 2
        #expect(out[1].standards.two_tens == false)
    }
}
