import Foundation
import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics

@Suite struct CoachingTests {
    /// Fisher's exact test, two-sided, against scipy.stats.fisher_exact.
    @Test func fisherExactAgreesWithScipy() throws {
        #expect(abs(try #require(CoachingChanges.fisherExact(1, 9, 8, 2)) - 0.005477494641581329) < 1e-12)
        #expect(abs(try #require(CoachingChanges.fisherExact(0, 5, 5, 0)) - 0.007936507936507938) < 1e-12)
        #expect(abs(try #require(CoachingChanges.fisherExact(3, 3, 3, 3)) - 1) < 1e-12)
        #expect(abs(try #require(CoachingChanges.fisherExact(2, 7, 6, 1)) - 0.040559440559440565) < 1e-12)
        #expect(CoachingChanges.fisherExact(0, 0, 0, 0) == nil)
    }

    /// Reading rose after coaching but was rising before; homework accuracy
    /// fell (as newsworthy); the other teacher's reading rose by 2 over the
    /// same dates.
    @Test func changesEitherWayLargestFirstWithContext() throws {
        let pre = [("2026-09-01", 5.0, 29), ("2026-09-08", 6.1, 27), ("2026-09-15", 6.9, 28), ("2026-09-22", 8.1, 29)]
        let post = [("2026-11-02", 12.0, 15), ("2026-11-09", 12.5, 17), ("2026-11-16", 13.0, 16)]
        var lines: [String] = []
        for (k, (date, reading, correct)) in pre.enumerated() {
            lines.append(visitLog("p\(k)", date: date, reading: reading, correct: correct, extra: #""tags":["指导前"]"#))
        }
        for (k, (date, reading, correct)) in post.enumerated() {
            lines.append(visitLog("q\(k)", date: date, reading: reading, correct: correct, extra: #""tags":["post-coaching"]"#))
        }
        let mine = try evaluatedLessons(lines)
        let others = try evaluatedLessons([
            visitLog("o1", teacher: "李老师", date: "2026-09-10", reading: 5),
            visitLog("o2", teacher: "李老师", date: "2026-10-10", reading: 100 / 60),   // between the periods: left out
            visitLog("o3", teacher: "李老师", date: "2026-11-10", reading: 7),
        ])
        let c = try #require(CoachingChanges(mine, others: others, policy: .default))
        #expect(c.before == 4 && c.after == 3)
        let reading = try #require(c.changes.first { $0.measure == .metric(.reading_min) })
        #expect(reading.p < 0.05 && reading.after > reading.before)
        #expect(reading.alreadyTrending)
        #expect(abs(try #require(reading.othersChange) - 2) < 1e-12)
        let accuracy = try #require(c.changes.first { $0.measure == .metric(.homework_accuracy) })
        #expect(accuracy.after < accuracy.before && accuracy.p < 0.05 && !accuracy.alreadyTrending)
        #expect(accuracy.othersChange == nil)   // the other teacher recorded no homework
        // Largest |effect| first.
        let effects = c.changes.compactMap { $0.effect.map(abs) }
        #expect(effects == effects.sorted(by: >))
        // Every change listed is significant; nothing with p >= 0.05.
        #expect(c.changes.allSatisfy { $0.p < 0.05 })
        // Without visits on both sides there is nothing to say.
        #expect(CoachingChanges(Array(mine.prefix(4)), others: others, policy: .default) == nil)
    }
}
