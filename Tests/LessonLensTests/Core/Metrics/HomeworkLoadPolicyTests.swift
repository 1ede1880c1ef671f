import Foundation
import Testing
@testable import LessonLensCore

@Suite struct HomeworkLoadPolicyTests {
    func policy(_ json: String) throws(Policy.FileError) -> Policy { try Policy(json: Array(json.utf8)) }

    @Test func defaultsAreTheDoubleReductionLimits() {
        let h = Policy.default.homeworkLoad
        #expect((1...9).map { h.limit(grade: $0) } == [0, 0, 60, 60, 60, 60, 90, 90, 90])
        #expect(h.limit(grade: 10) == nil)
        #expect(h.gradingDays == 1 && h.essayGradingDays == 7 && h.inClassPerWeek == ["math": 5])
    }

    @Test func gradesGivenReplaceTheDefaultsAndNullRemovesALimit() throws {
        let p = try policy(#"{"homework_load":{"written_home_limit_min":{"2":30,"3":40,"9":null,"10":120},"grading_days":0,"in_class_per_week":{"数学":4,"chinese":3}}}"#)
        let h = p.homeworkLoad
        #expect(h.limit(grade: 1) == 0 && h.limit(grade: 2) == 30 && h.limit(grade: 3) == 40 && h.limit(grade: 4) == 60)
        #expect(h.limit(grade: 9) == nil && h.limit(grade: 10) == 120)
        #expect(h.gradingDays == 0 && h.essayGradingDays == 7)
        #expect(h.inClassPerWeek == ["math": 4, "chinese": 3])
    }

    @Test func theStrictSchoolsPolicyShipsWithTheDatasets() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("datasets/policy-homework-strict.json")
        let p = try Policy(json: Array(try Data(contentsOf: url)))
        #expect((1...9).map { p.homeworkLoad.limit(grade: $0) } == [0, 30, 40, 40, 60, 60, 90, 90, 90])
    }

    @Test func badValuesNameTheirKey() {
        let cases: [(String, String)] = [
            (#"{"homework_load":{"written_home_limit_min":{"13":10}}}"#, "homework_load.written_home_limit_min.13"),
            (#"{"homework_load":{"written_home_limit_min":{"3":-1}}}"#, "homework_load.written_home_limit_min.3"),
            (#"{"homework_load":{"grading_days":1.5}}"#, "homework_load.grading_days"),
            (#"{"homework_load":{"in_class_per_week":{"math":"5"}}}"#, "homework_load.in_class_per_week.math"),
            (#"{"homework_load":{"limit":3}}"#, "homework_load.limit"),
            (#"{"grades":{"3":{"homework_load":{"grading_days":2}}}}"#, "grades.3.homework_load"),
        ]
        for (json, key) in cases {
            do {
                _ = try policy(json)
                Issue.record("accepted \(json)")
            } catch {
                #expect(error.key == key, "\(json)")
            }
        }
    }

    @Test func thePolicyFileFormatRoundTrips() throws {
        let p = try policy(#"{"homework_load":{"written_home_limit_min":{"2":30},"in_class_per_week":{"english":2}}}"#)
        let again = try Policy(json: Array(p.json().utf8))
        #expect(again.homeworkLoad == p.homeworkLoad)
        #expect(p.json().contains(#""homework_load": { "written_home_limit_min": {"1": 0, "2": 30, "3": 60"#))
    }
}
