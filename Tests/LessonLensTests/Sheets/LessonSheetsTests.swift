import Foundation
import Testing
@testable import LessonLensCore
@testable import LessonLensGenerator
@testable import LessonLensOutput
@testable import LessonLensSheets

/// The record sheet: lessons → workbook bytes → lessons, and the cells people type.
@Suite struct LessonSheetsTests {
    /// Lessons that use every field the sheets have, in the awkward forms.
    static let handMade = [
        #"{"id":"h1","date":"2026-09-03","teacher":"王老师","subject":"chinese","grade":3,"class":"3A","school":"一小","observer":"李","period":2,"duration_min":45,"enrolled":40,"present":39,"students":[{"id":"S01","tier":"top"},{"id":"S02"},{"id":"S03","tier":"bottom"}],"segments":[{"start":"0:00","end":"5:00","kind":"lecture","notes":"导入, \"快\"\n第二行"},{"start":300,"end":912.5,"kind":"read","passes":2},{"start":"15:00","end":"20:00","kind":"write","task":"copy","passes":3},{"start":"30:00","end":"39:00","kind":"homework","task":"exercise"}],"performances":[{"t":"5:10","student":"S03","kind":"read"},{"t":600.25,"student":"S01","kind":"answer","independent":false},{"t":"12:00","student":"S02","kind":"board"}],"homework":{"assigned":39,"completed":35},"tags":["new-teacher","pre-coaching"],"visit":"v-1","notes":"好课，<b>&</b>"}"#,
        // Same class, another roster: written per lesson.
        #"{"id":"h2","date":"2026-09-04","teacher":"王老师","subject":"chinese","grade":3,"class":"3A","students":[{"id":"S01","tier":"middle"}],"segments":[],"homework":{"assigned":40,"completed":40,"correct":38}}"#,
        // A roster without a class; a lesson with nothing optional.
        #"{"id":"0042","date":"2027-01-05","teacher":"T9","subject":"math","grade":12,"students":[{"id":"007","tier":"bottom"}],"segments":[{"start":"1:00","end":"2:00","kind":"other"}],"performances":[{"t":"1:30","student":"007","kind":"demo"}]}"#,
        #"{"id":"h4","date":"2026-02-28","teacher":"T9","subject":"science","grade":1,"segments":[]}"#,
    ]

    func decoded(_ lines: [String]) throws -> [Lesson] {
        try lines.map { line in
            var decoder = LessonDecoder(), warnings: [FieldIssue] = []
            return try decoder.decode(line, warnings: &warnings)
        }
    }

    func roundTrip(_ lessons: [Lesson], _ language: ReportLanguage) throws -> LessonSheets.Result {
        let bytes = try LessonSheets.workbook(lessons: lessons, language: language).data()
        return LessonSheets.read(try XLSX.sheets(bytes).map { SheetTables.Table(name: $0.name, rows: $0.rows) })
    }

    @Test(arguments: [ReportLanguage.zh, .en])
    func everyFieldComesBackInBothLanguages(_ language: ReportLanguage) throws {
        let generated = try decoded(String(decoding: generate(GeneratorConfig(lessons: 60, seed: 4)), as: UTF8.self)
            .split(separator: "\n").map(String.init))
        let lessons = try decoded(Self.handMade) + generated
        let back = try roundTrip(lessons, language)
        #expect(back.issues.isEmpty, "\(back.issues)")
        #expect(back.lessons.count == lessons.count)
        for (a, b) in zip(lessons, back.lessons) { #expect(LessonJSON.line(a) == LessonJSON.line(b)) }
    }

    @Test func theLogLineReadsBackToTheSameLesson() throws {
        for line in Self.handMade {
            let lesson = try decoded([line])[0]
            let again = try decoded([LessonJSON.line(lesson)])[0]
            #expect(LessonJSON.line(again) == LessonJSON.line(lesson))
            #expect(again.segments == lesson.segments && again.performances.map(\.t) == lesson.performances.map(\.t))
        }
        #expect(LessonJSON.time(312) == "\"5:12\"" && LessonJSON.time(312.5) == "312.5" && LessonJSON.time(6000) == "\"100:00\"")
    }

    @Test func cellsAsPeopleTypeThem() throws {
        #expect(try Cells.date("46268") == LessonDate(year: 2026, month: 9, day: 3))  // Excel's serial day
        #expect(try Cells.date("2026/9/3") == LessonDate(year: 2026, month: 9, day: 3))
        #expect(try Cells.date("2026年9月3日") == LessonDate(year: 2026, month: 9, day: 3))
        #expect(try Cells.date("2026-09-03 00:00:00") == LessonDate(year: 2026, month: 9, day: 3))
        #expect(throws: CellProblem.self) { try Cells.date("2026-02-30") }
        #expect(try Cells.time("5:12") == 312)
        #expect(try Cells.time("0:05:12") == 312)
        #expect(try Cells.time(String(312.0 / 1440)) == 312)  // 5:12 typed into a time-formatted cell
        #expect(try Cells.time("312.5") == 312.5)
        #expect(throws: CellProblem.self) { try Cells.time("5:7") }
        #expect(throws: CellProblem.self) { try Cells.time("five") }
        #expect(try Cells.integer("30.0") == 30)
        #expect(throws: CellProblem.self) { try Cells.integer("2.5") }
        #expect(try Cells.segmentKind("朗读") == .read && Cells.segmentKind("问答讨论") == .discussion && Cells.segmentKind("Group work") == .group)
        #expect(try Cells.boolean("否", empty: true) == false && Cells.boolean("", empty: true) == true && Cells.boolean("TRUE", empty: false))
        #expect(try Cells.tier("下") == .bottom && Cells.tier("") == nil)
        #expect(Cells.tags("a, b，c、d;") == ["a", "b", "c", "d"])
        #expect(String.columnLetters(0) == "A" && String.columnLetters(25) == "Z" && String.columnLetters(26) == "AA" && String.columnLetters(701) == "ZZ")
    }

    @Test func passesGivenForTheWholeLessonGoOnItsFirstSegmentOfTheKind() throws {
        let tables = [
            SheetTables.Table(name: "lessons", rows: [["id", "date", "teacher", "subject", "grade", "read_passes", "copy_passes"],
                                                     ["a", "2026-09-03", "T", "chinese", "3", "3", "2"],
                                                     ["b", "2026-09-03", "T", "chinese", "3", "3", ""]]),
            SheetTables.Table(name: "segments", rows: [["lesson", "start", "end", "kind", "task", "passes"],
                                                      ["a", "0:00", "5:00", "read", "", ""], ["a", "5:00", "9:00", "read", "", ""],
                                                      ["a", "9:00", "12:00", "write", "copy", ""],
                                                      ["b", "0:00", "5:00", "read", "", "2"]]),
        ]
        let r = LessonSheets.read(tables)
        #expect(r.lessons.map(\.id) == ["a"])
        #expect(r.lessons.first?.segments.map(\.passes) == [3, nil, 2])
        let issue = try #require(r.issues.first)
        #expect(issue.row == 3 && issue.column == "F (read_passes)" && issue.en.contains("segments give 2"), "\(issue)")
    }
}

private func generate(_ config: GeneratorConfig) -> [UInt8] {
    let generator = ArchiveGenerator(config)
    var out: [UInt8] = []
    while !generator.isFinished { generator.fill(&out, bytes: 1 << 16) }
    return out
}
