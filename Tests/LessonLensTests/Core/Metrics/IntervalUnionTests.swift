import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator

@Suite struct IntervalUnionTests {
    @Test func edgeCases() {
        var none: [Interval] = []
        #expect(unionLength(&none) == 0)
        var one = [Interval(5, 9)]
        #expect(unionLength(&one) == 4)
        var same = [Interval(0, 10), Interval(0, 10), Interval(0, 10)]
        #expect(unionLength(&same) == 10)
        var touching = [Interval(5, 8), Interval(0, 5)]
        #expect(unionLength(&touching) == 8)
        var nested = [Interval(0, 100), Interval(10, 20), Interval(30, 40)]
        #expect(unionLength(&nested) == 100)
        var spec = [Interval(0, 360), Interval(300, 480)]
        #expect(unionLength(&spec) == 480) // the spec's 8 minutes
        var clipped = [Interval(0, 30), Interval(25, 50), Interval(70, 90)]
        #expect(clippedUnionLength(&clipped, lower: 20, upper: 80) == 40)
    }

    /// The profiles' union (`IntervalUnionOf`, made by the metrics' sweep):
    /// its pieces are sorted and disjoint, and the time it covers in any
    /// window is the brute-force count.
    @Test func theProfilesUnionMatchesBruteForce() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<500 {
            var intervals: [(LessonTime, LessonTime)] = []
            var covered = [Bool](repeating: false, count: 160)
            for _ in 0..<Int(rng.next() % 9) {
                let s = Int(rng.next() % 100), e = s + Int(rng.next() % 25)  // some empty
                intervals.append((Double(s), Double(e)))
                for k in s..<e { covered[k] = true }
            }
            let union = IntervalUnionOf(intervals)
            for (a, b) in zip(union.pieces, union.pieces.dropFirst()) { #expect(a.1 < b.0 && a.0 < a.1) }
            let lo = Int(rng.next() % 120), hi = lo + Int(rng.next() % 30)
            #expect(union.covered(from: Double(lo), to: Double(hi)) == Double(covered[lo..<hi].filter { $0 }.count))
            var all = intervals.map { Interval($0.0, $0.1) }
            #expect(union.covered(from: 0, to: 200) == unionLength(&all))
        }
    }

    /// Against a brute-force count over a fine grid, on random integer intervals.
    @Test func matchesBruteForce() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let count = Int(rng.next() % 8)
            var intervals: [Interval] = []
            var covered = [Bool](repeating: false, count: 120)
            for _ in 0..<count {
                let s = Int(rng.next() % 100)
                let e = s + 1 + Int(rng.next() % 20)
                intervals.append(Interval(Double(s), Double(e)))
                for k in s..<e { covered[k] = true }
            }
            let expected = Double(covered.filter { $0 }.count)
            #expect(unionLength(&intervals) == expected)
        }
    }
}
