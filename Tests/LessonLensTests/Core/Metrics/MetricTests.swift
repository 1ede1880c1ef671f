import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator

@Suite struct MetricListTests {
    @Test func positionsMatchAllCases() {
        for (k, m) in Metric.allCases.enumerated() { #expect(Metric.at(k) == m && m.position == k) }
        for (k, s) in Standard.allCases.enumerated() { #expect(Standard.at(k) == s && s.position == k) }
        #expect(Metric.count == 18 && Standard.count == 5)
    }
}
