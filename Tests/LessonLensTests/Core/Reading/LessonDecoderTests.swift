import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator

@Suite struct LessonDecoderTests {
    @Test func decodesTheSpecExample() throws {
        let lesson = try #require(decode(specExample).lesson)
        #expect(lesson.id == "v-0001")
        #expect(lesson.date == LessonDate(year: 2026, month: 3, day: 12))
        #expect(lesson.className == "3A")
        #expect(lesson.durationMin == 40)
        #expect(lesson.enrolled == 42 && lesson.present == 41)
        #expect(lesson.segments.count == 5)
        #expect(lesson.segments[1] == Segment(start: 240, end: 750, kind: .read, passes: 3))
        #expect(lesson.segments[2].task == "copy")
        #expect(lesson.performances[2].independent == false)
        #expect(lesson.homework == Homework(assigned: 41, completed: 37, correct: 33))
        #expect(lesson.students == nil)
    }

    @Test func acceptsAnyKeyOrderSpacingAndUnicode() throws {
        let line = "  {\"segments\" : [ ] ,\"grade\":6, \"subject\":\"math\", \"teacher\":\"李\\u660e\", \"date\":\"2026-09-01\",\"id\":\"x\" }\r"
        let lesson = try #require(decode(line).lesson)
        #expect(lesson.teacher == "李明")
        #expect(lesson.grade == 6)
        #expect(lesson.durationMin == 40) // the default
    }

    @Test func readsBothTimeNotations() throws {
        let segs = #"[{"start":312.5,"end":"5:13","kind":"read"},{"start":"0:00","end":"123:05","kind":"other"}]"#
        let lesson = try #require(decode(minimalLesson(#""duration_min":90"#, segments: segs)).lesson)
        #expect(lesson.segments[0].start == 312.5)
        #expect(lesson.segments[0].end == 313)
        #expect(lesson.segments[1].end == 123 * 60 + 5)
    }

    @Test func treatsNullOptionalFieldsAsAbsent() throws {
        let lesson = try #require(decode(minimalLesson(#""class":null,"present":null,"students":null,"homework":null,"tags":null"#)).lesson)
        #expect(lesson.className == nil && lesson.present == nil && lesson.students == nil && lesson.homework == nil)
        #expect(lesson.tags.isEmpty)
    }

    @Test func acceptsIntegralNumbersWrittenAsDecimals() throws {
        let lesson = try #require(decode(minimalLesson(#""present":30.0,"enrolled":3e1"#)).lesson)
        #expect(lesson.present == 30 && lesson.enrolled == 30)
    }

    @Test func warnsAboutUnknownFieldsAtEveryLevel() throws {
        let line = minimalLesson(#""colour":"red","homework":{"assigned":1,"completed":1,"marks":3}"#,
                                 segments: #"[{"start":0,"end":60,"kind":"read","note":"x"}]"#)
        let decoded = decode(line)
        #expect(decoded.lesson != nil)
        #expect(decoded.warnings.map(\.field) == ["segments[0].note", "colour", "homework.marks"])
    }

    /// Every rule of the spec's Validation section: the field named and the reason.
    @Test(arguments: [
        // required fields missing or of the wrong type
        (#"{"date":"2026-04-01","teacher":"t","subject":"s","grade":1,"segments":[]}"#, "id", "missing"),
        (#"{"id":"a","teacher":"t","subject":"s","grade":1,"segments":[]}"#, "date", "missing"),
        (#"{"id":"a","date":"2026-04-01","subject":"s","grade":1,"segments":[]}"#, "teacher", "missing"),
        (#"{"id":"a","date":"2026-04-01","teacher":"t","grade":1,"segments":[]}"#, "subject", "missing"),
        (#"{"id":"a","date":"2026-04-01","teacher":"t","subject":"s","segments":[]}"#, "grade", "missing"),
        (#"{"id":"a","date":"2026-04-01","teacher":"t","subject":"s","grade":1}"#, "segments", "missing"),
        (#"{"id":7,"date":"2026-04-01","teacher":"t","subject":"s","grade":1,"segments":[]}"#, "id", "must be a string"),
        (#"{"id":"a","date":"2026-04-01","teacher":null,"subject":"s","grade":1,"segments":[]}"#, "teacher", "got null"),
        (#"{"id":"a","date":"2026-04-01","teacher":"t","subject":"s","grade":"3","segments":[]}"#, "grade", "must be an integer"),
        (#"{"id":"a","date":"2026-04-01","teacher":"t","subject":"s","grade":13,"segments":[]}"#, "grade", "from 1 to 12"),
        (#"{"id":"a","date":"2026-04-01","teacher":"t","subject":"s","grade":2.5,"segments":[]}"#, "grade", "must be an integer"),
        (#"{"id":"a","date":"2026-04-01","teacher":"t","subject":"s","grade":1,"segments":{}}"#, "segments", "must be an array"),
        (#"{"id":"a","date":"2026-4-1","teacher":"t","subject":"s","grade":1,"segments":[]}"#, "date", "not a date"),
        (#"{"id":"a","date":"2025-02-29","teacher":"t","subject":"s","grade":1,"segments":[]}"#, "date", "not a date"),
        (#"[1,2]"#, "json", "must be a JSON object"),
        (#"{"id":"a","id":"b"}"#, "id", "appears twice"),
        (#"{"id":"a",}"#, "json", "column"),
    ])
    func rejectsBrokenLessons(line: String, field: String, reason: String) throws {
        let issue = try #require(decode(line).issue, "accepted \(line)")
        #expect(issue.field == field)
        #expect(issue.reason.contains(reason), "reason was: \(issue.reason)")
    }

    @Test(arguments: [
        (#"[{"start":"5:60","end":"6:00","kind":"read"}]"#, "segments[0].start", "not \"M:SS\""),
        (#"[{"start":"5:1","end":"6:00","kind":"read"}]"#, "segments[0].start", "not \"M:SS\""),
        (#"[{"start":":30","end":"6:00","kind":"read"}]"#, "segments[0].start", "not \"M:SS\""),
        (#"[{"start":"05:00 ","end":"6:00","kind":"read"}]"#, "segments[0].start", "not \"M:SS\""),
        (#"[{"start":-1,"end":60,"kind":"read"}]"#, "segments[0].start", ">= 0"),
        (#"[{"start":true,"end":60,"kind":"read"}]"#, "segments[0].start", "must be a time"),
        (#"[{"start":60,"end":60,"kind":"read"}]"#, "segments[0].end", "not after start"),
        (#"[{"start":90,"end":60,"kind":"read"}]"#, "segments[0].end", "not after start"),
        (#"[{"start":0,"end":60,"kind":"reading"}]"#, "segments[0].kind", "unknown value \"reading\""),
        (#"[{"start":0,"end":60}]"#, "segments[0].kind", "missing"),
        (#"[{"end":60,"kind":"read"}]"#, "segments[0].start", "missing"),
        (#"[{"start":0,"end":60,"kind":"read","passes":-1}]"#, "segments[0].passes", ">= 0"),
        (#"[{"start":0,"end":"100:01","kind":"read"}]"#, "segments[0].end", "past duration_min + 60"),
        (#"[{"start":0,"end":6000.5,"kind":"read"}]"#, "segments[0].end", "past duration_min + 60"),
        (#"[{"start":0,"end":1e400,"kind":"read"}]"#, "segments[0].end", ">= 0"),
        (#"[1]"#, "segments[0]", "must be a segment object"),
    ])
    func rejectsBrokenSegments(segments: String, field: String, reason: String) throws {
        let issue = try #require(decode(minimalLesson(segments: segments)).issue, "accepted \(segments)")
        #expect(issue.field == field)
        #expect(issue.reason.contains(reason), "reason was: \(issue.reason)")
    }

    @Test func allowsTimesUpToDurationPlusSixtyMinutes() {
        #expect(decode(minimalLesson(segments: #"[{"start":0,"end":"100:00","kind":"read"}]"#)).lesson != nil)
        // duration_min given after the segments still sets the limit
        let later = minimalLesson(#""duration_min":45"#, segments: #"[{"start":0,"end":"105:00","kind":"read"}]"#)
        #expect(decode(later).lesson != nil)
    }

    @Test(arguments: [
        (#""students":[{"id":"S1","tier":"top"},{"id":"S1","tier":"bottom"}]"#, "students[1].id", "twice"),
        (#""students":[{"id":"S1","tier":"best"}]"#, "students[0].tier", "unknown value"),
        (#""students":[{"tier":"top"}]"#, "students[0].id", "missing"),
        (#""students":[{"id":"S1","tier":"top"}],"performances":[{"t":10,"student":"S2","kind":"answer"}]"#, "performances[0].student", "not on the lesson's roster"),
        (#""performances":[{"t":10,"student":"S2","kind":"shout"}]"#, "performances[0].kind", "unknown value"),
        (#""performances":[{"t":10,"student":"S2","kind":"answer","independent":"yes"}]"#, "performances[0].independent", "true or false"),
        (#""performances":[{"t":"99:99","student":"S2","kind":"answer"}]"#, "performances[0].t", "M:SS"),
        (#""performances":[{"t":6001,"student":"S2","kind":"answer"}]"#, "performances[0].t", "past duration_min"),
        (#""performances":[{"student":"S2","kind":"answer"}]"#, "performances[0].t", "missing"),
        (#""enrolled":30,"present":31"#, "present", "only 30 enrolled"),
        (#""present":-1"#, "present", ">= 0"),
        (#""duration_min":0"#, "duration_min", "> 0"),
        (#""homework":{"assigned":30,"completed":31}"#, "homework.completed", "only 30 assigned"),
        (#""homework":{"assigned":30,"completed":20,"correct":21}"#, "homework.correct", "only 20 completed"),
        (#""homework":{"assigned":30}"#, "homework.completed", "missing"),
        (#""tags":["a",1]"#, "tags[1]", "must be a string"),
        (#""homework":{"assigned":3,"assigned":2,"completed":1}"#, "homework.assigned", "appears twice"),
        (#""students":[{"id":"S1","id":"S2"}]"#, "students[0].id", "appears twice"),
    ])
    func rejectsBrokenParts(extra: String, field: String, reason: String) throws {
        let issue = try #require(decode(minimalLesson(extra)).issue, "accepted \(extra)")
        #expect(issue.field == field)
        #expect(issue.reason.contains(reason), "reason was: \(issue.reason)")
    }

    @Test func escapedStudentIDsAreTheSameStudents() throws {
        let roster = #""students":[{"id":"S\u0031","tier":"bottom"},{"id":"S2","tier":"top"}],"performances":[{"t":1,"student":"S1","kind":"answer"},{"t":2,"student":"S\u0032","kind":"answer"}]"#
        let (m, _) = try #require(metrics(minimalLesson(roster)))
        #expect(m.independent_performers == 2 && m.bottom_reached == 1)
        let dup = minimalLesson(#""students":[{"id":"S1"},{"id":"S\u0031"}]"#)
        #expect(decode(dup).issue?.field == "students[1].id")
        let noRoster = minimalLesson(#""performances":[{"t":1,"student":"A","kind":"answer"},{"t":2,"student":"\u0041","kind":"answer"}]"#)
        #expect(metrics(noRoster)?.0.independent_performers == 1)
    }

    @Test func studentsAreNumberedByRosterPosition() throws {
        let lesson = try #require(decode(minimalLesson(#""students":[{"id":"a"},{"id":"b"}],"performances":[{"t":1,"student":"b","kind":"answer"},{"t":2,"student":"a","kind":"answer"},{"t":3,"student":"b","kind":"read"}]"#)).lesson)
        #expect(lesson.performances.map(\.studentIndex) == [1, 0, 1])
        #expect(lesson.studentCount == 2)
    }

    @Test func performancesWithoutARosterNeedNoRoster() {
        #expect(decode(minimalLesson(#""performances":[{"t":10,"student":"anyone","kind":"answer"}]"#)).lesson != nil)
    }
}

@Suite struct HintTests {
    @Test func nearMissesGetAHint() throws {
        let decoded = decode(minimalLesson(#""performance":[],"homework":{"assigned":1,"complete":1,"completed":1}"#))
        #expect(decoded.warnings.map(\.reason) == ["unknown field, ignored (did you mean \"performances\"?)",
                                                   "unknown field, ignored (did you mean \"completed\"?)"])
        let kind = try #require(decode(minimalLesson(segments: #"[{"start":0,"end":60,"kind":"reading"}]"#)).issue)
        #expect(kind.reason.hasPrefix("unknown value \"reading\" (did you mean \"read\"?)"))
        #expect(decode(minimalLesson(#""zzz":1"#)).warnings.map(\.reason) == ["unknown field, ignored"])
        #expect(editDistance(Array("kitten".utf8), Array("sitting".utf8)) == 3)
    }
}

@Suite struct FieldTableTests {
    private func words(_ name: String) -> (UInt64, UInt64, Int) {
        let (first, second) = packedWords(name.utf8)
        return (first, second, name.utf8.count)
    }

    private func check<F: Equatable>(_ table: FieldTable<F>, _ cases: [F]) where F.RawValue == String {
        for (k, f) in cases.enumerated() {
            let (a, b, n) = words(f.rawValue)
            let found = table.lookup(words: a, b, length: n)
            #expect(found.map { $0.0 == f && $0.1 == k } == true, "\(f.rawValue)")
            // Near misses: one byte more, one less, other case.
            for miss in [f.rawValue + "s", String(f.rawValue.dropLast()), f.rawValue.uppercased()] where !cases.contains(where: { $0.rawValue == miss }) {
                let (a, b, n) = words(miss)
                #expect(table.lookup(words: a, b, length: n) == nil, "\(miss)")
            }
        }
    }

    /// Every name of every table is found by its words, and nothing else.
    @Test func perfectHashFindsEveryNameAndNoOther() {
        check(lessonFields, LessonField.allCases)
        check(studentFields, StudentField.allCases)
        check(segmentFields, SegmentField.allCases)
        check(performanceFields, PerformanceField.allCases)
        check(homeworkFields, HomeworkField.allCases)
        check(tierNames, Tier.allCases)
        check(segmentKinds, SegmentKind.allCases)
        check(performanceKinds, PerformanceKind.allCases)
    }
}
