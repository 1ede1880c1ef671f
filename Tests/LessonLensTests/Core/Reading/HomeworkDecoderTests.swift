import Foundation
import Testing
@testable import LessonLensCore

/// A valid assignment with `extra` members added or, with `without`, one removed.
func assignmentLine(_ extra: String = "", without: String? = nil, id: String = "a1") -> String {
    var members = [
        ("id", "\"\(id)\""), ("date", "\"2026-09-07\""), ("class", "\"3A\""), ("subject", "\"语文\""),
        ("teacher", "\"王丽\""), ("grade", "3"), ("where", "\"home\""), ("kind", "\"written\""), ("estimated_min", "20"),
    ]
    if let without { members.removeAll { $0.0 == without } }
    let body = members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",")
    return "{" + body + (extra.isEmpty ? "" : "," + extra) + "}"
}

@Suite struct HomeworkDecoderTests {
    func decodeAssignment(_ line: String) -> (HomeworkAssignment?, FieldIssue?, [FieldIssue]) {
        var decoder = HomeworkDecoder()
        var warnings: [FieldIssue] = []
        do {
            let a = try decoder.decode(line, warnings: &warnings)
            return (a, nil, warnings)
        } catch {
            return (nil, error, warnings)
        }
    }

    @Test func everyFieldIsRead() throws {
        let (a, issue, warnings) = decodeAssignment(assignmentLine(
            #""school":"东小","reported_min":[25,30.5,0],"tiered":true,"exempt":2,"graded_on":"2026-09-08","essay":true,"published":true,"notes":"作文""#))
        #expect(issue == nil)
        #expect(warnings.isEmpty)
        let x = try #require(a)
        #expect(x.id == "a1" && x.className == "3A" && x.subject == "语文" && x.teacher == "王丽" && x.school == "东小")
        #expect(x.date == LessonDate(year: 2026, month: 9, day: 7))
        #expect(x.grade == 3 && x.place == .home && x.kind == .written && x.estimatedMin == 20)
        #expect(x.reportedMin == [25, 30.5, 0])
        #expect(x.tiered && x.essay && x.published && x.exempt == 2 && x.notes == "作文")
        #expect(x.gradedOn == LessonDate(year: 2026, month: 9, day: 8))
        #expect(x.isWrittenHome)
    }

    @Test func optionalFieldsMayBeAbsentOrNull() throws {
        let (a, issue, _) = decodeAssignment(assignmentLine(#""school":null,"reported_min":null,"tiered":null,"graded_on":null"#))
        #expect(issue == nil)
        let x = try #require(a)
        #expect(x.school == nil && x.reportedMin.isEmpty && !x.tiered && x.gradedOn == nil && !x.published)
    }

    @Test(arguments: ["id", "date", "class", "subject", "teacher", "grade", "where", "kind", "estimated_min"])
    func everyRequiredFieldIsRequired(_ field: String) {
        let (_, issue, _) = decodeAssignment(assignmentLine(without: field))
        #expect(issue?.field == field)
        #expect(issue?.reason == "required field is missing")
    }

    @Test func valuesBreakingTheFormatAreExplained() {
        let cases: [(String, String, String)] = [
            (#""estimated_min":0"#, "estimated_min", "must be a number > 0, got 0"),
            (#""estimated_min":"20""#, "estimated_min", "must be a number, got a string \"20\""),
            (#""grade":13"#, "grade", "must be an integer from 1 to 12, got 13"),
            (#""where":"school""#, "where", "unknown value \"school\", expected one of home, class"),
            (#""kind":"writen""#, "kind", "unknown value \"writen\" (did you mean \"written\"?), expected one of written, oral, reading, practical"),
            (#""reported_min":[10,-1]"#, "reported_min[1]", "must be a number >= 0, got -1"),
            (#""reported_min":10"#, "reported_min", "must be an array of numbers, got a number 10"),
            (#""exempt":-1"#, "exempt", "must be an integer >= 0, got -1"),
            (#""graded_on":"2026-09-06""#, "graded_on", "2026-09-06 is before the day the homework was set (2026-09-07)"),
            (#""graded_on":"2026-02-30""#, "graded_on", "\"2026-02-30\" is not a date YYYY-MM-DD"),
            (#""essay":"yes""#, "essay", "must be true or false, got a string \"yes\""),
            (#""class":"""#, "class", "must not be empty"),
        ]
        for (extra, field, reason) in cases {
            // The extra member replaces the valid one of the same name.
            let name = String(extra.dropFirst().prefix { $0 != "\"" })
            let (_, issue, _) = decodeAssignment(assignmentLine(extra, without: name))
            #expect(issue?.field == field, "\(extra)")
            #expect(issue?.reason == reason, "\(extra): \(issue?.reason ?? "accepted")")
        }
    }

    @Test func syntaxAndShapeErrorsNameTheLine() {
        #expect(decodeAssignment("[1,2]").1?.reason == "an assignment must be a JSON object, got an array")
        #expect(decodeAssignment(#"{"id":"a","#).1?.field == "json")
        let twice = assignmentLine(#""grade":4"#)
        #expect(decodeAssignment(twice).1?.reason == "appears twice")
    }

    @Test func unknownFieldsAreWarnedWithAHint() {
        let (a, issue, warnings) = decodeAssignment(assignmentLine(#""estimate_min":3"#))
        #expect(a != nil && issue == nil)
        #expect(warnings.map(\.description) == [#"estimate_min: unknown field, ignored (did you mean "estimated_min"?)"#])
    }
}

@Suite struct HomeworkStreamTests {
    func run(_ lines: [String]) -> (accepted: [(HomeworkAssignment, Int)], messages: [String], counts: StreamCounts) {
        var stream = HomeworkStream()
        var accepted: [(HomeworkAssignment, Int)] = []
        var messages: [String] = []
        for (k, line) in lines.enumerated() {
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBufferPointer { p in
                stream.process(UnsafeBufferPointer(p), file: "ledger.jsonl", line: k + 1) { event in
                    switch event {
                    case .accepted(let a, let grade): accepted.append((a, grade))
                    case .rejected(let d), .warning(let d): messages.append(d.description)
                    }
                }
            }
        }
        return (accepted, messages, stream.counts)
    }

    @Test func aRepeatedIDIsRejectedAndTheFirstKept() {
        let r = run([assignmentLine(), assignmentLine(#""notes":"again""#)])
        #expect(r.accepted.count == 1 && r.accepted[0].0.notes == nil)
        #expect(r.messages == [#"ledger.jsonl:2: id: duplicate id "a1": an assignment with this id was already accepted"#])
        #expect(r.counts.accepted == 1 && r.counts.rejected == 1)
    }

    @Test func aClassGivenASecondGradeIsWarnedOnceAndKeepsItsFirst() {
        let r = run([assignmentLine(), assignmentLine(#""grade":4"#, without: "grade", id: "a2"),
                     assignmentLine(#""grade":4"#, without: "grade", id: "a3")])
        #expect(r.accepted.map(\.1) == [3, 3, 3])
        #expect(r.accepted.map(\.0.grade) == [3, 4, 4])
        #expect(r.messages == [#"ledger.jsonl:2: warning: grade: class "3A" is grade 4 here but grade 3 in an earlier line: grade 3 is used for its limit"#])
        #expect(r.counts.warnings == 1)
    }

    @Test func byteOrderMarkCarriageReturnAndBlankLinesAreNotErrors() {
        let r = run(["\u{FEFF}" + assignmentLine() + "\r", "   ", assignmentLine(id: "a2") + "\r"])
        #expect(r.accepted.count == 2)
        #expect(r.messages.isEmpty)
        #expect(r.counts.rejected == 0)
    }
}

@Suite struct ISOWeekTests {
    @Test(arguments: [
        ("2026-09-07", "2026-W37"), ("2026-12-31", "2026-W53"), ("2027-01-01", "2026-W53"), ("2027-01-03", "2026-W53"),
        ("2027-01-04", "2027-W01"), ("2021-01-03", "2020-W53"), ("2024-12-30", "2025-W01"), ("2026-01-01", "2026-W01"),
    ])
    func weeksFollowISO8601(_ day: String, _ week: String) throws {
        let d = try #require(LessonDate(ascii: Array(day.utf8)))
        #expect(d.weekKey == week)
    }

    @Test func mondayOfTheWeek() throws {
        let d = try #require(LessonDate(year: 2027, month: 1, day: 3))  // a Sunday
        #expect(d.mondayOfWeek == LessonDate(year: 2026, month: 12, day: 28))
    }
}
