import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator

private func generate(_ config: GeneratorConfig) -> [UInt8] {
    let generator = ArchiveGenerator(config)
    var out: [UInt8] = []
    while !generator.isFinished { generator.fill(&out, bytes: 1 << 16) }
    return out
}

@Suite struct GeneratorTests {
    @Test func sameArgumentsSameBytes() {
        let a = generate(GeneratorConfig(lessons: 300, seed: 9, badPerMille: 30))
        let b = generate(GeneratorConfig(lessons: 300, seed: 9, badPerMille: 30))
        let c = generate(GeneratorConfig(lessons: 300, seed: 10, badPerMille: 30))
        #expect(a == b)
        #expect(a != c)
        #expect(a.filter { $0 == 0x0A }.count == 300)
    }

    @Test func cleanArchivesAreFullyAccepted() throws {
        let stream = LessonStream(threads: 2, chunkSize: 1 << 16) { $0 }
        var source = MemorySource(generate(GeneratorConfig(lessons: 500, seed: 3)))
        var lessons: [EvaluatedLesson] = []
        try stream.process(&source, name: "gen") { if case .accepted(let e, _) = $0 { lessons.append(e) } }
        #expect(stream.counts.accepted == 500 && stream.counts.rejected == 0 && stream.counts.warnings == 0)
        // Realism: both time notations, rosters, overruns, coaching tags, Chinese names.
        #expect(lessons.contains { $0.tags.contains("post-coaching") })
        #expect(lessons.contains { $0.tags.contains("pre-coaching") })
        #expect(lessons.contains { $0.metrics.overrun_min > 0 })
        #expect(lessons.contains { $0.metrics.participation_gini != nil })
        #expect(lessons.contains { $0.teacher.unicodeScalars.contains { $0.value >= 0x4E00 } })
        #expect(Set(lessons.map(\.subject)) == ["chinese", "math", "english"])
        #expect(lessons.allSatisfy { ($0.present ?? 0) >= 1 && ($0.present ?? 0) <= 55 })
        let meetTwoTens = lessons.filter { $0.standards.two_tens == true }.count
        #expect(meetTwoTens > 0 && meetTwoTens < 500)
    }

    @Test func brokenLinesAreRejected() throws {
        let stream = LessonStream(threads: 1) { _ in () }
        var source = MemorySource(generate(GeneratorConfig(lessons: 4000, seed: 5, badPerMille: 100)))
        var reasons = Set<String>()
        try stream.process(&source, name: "gen") {
            if case .rejected(let d, _) = $0 { reasons.insert(d.issue.field.replacingOccurrences(of: #"\[\d+\]"#, with: "[]", options: .regularExpression)) }
        }
        // about 100 in 1000, and every kind of breakage shows up
        #expect(stream.counts.rejected > 300 && stream.counts.rejected < 500)
        #expect(reasons.isSuperset(of: ["json", "teacher", "grade", "date", "segments[].start", "segments[].end", "segments[].kind",
                                        "students[].tier", "students[].id", "performances[].student", "present",
                                        "homework.completed", "id"]))
    }
}
