import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator

@Suite struct SortingTests {
    private func sortedByLibrary(_ values: [Double]) -> [Double] { values.sorted() }

    private func sortedByIntrosort(_ values: [Double]) -> [Double] {
        var copy = values
        copy.withUnsafeMutableBufferPointer { sortAscending($0, depthLimit: 64) }
        return copy
    }

    private func sortedByRadix(_ values: [Double]) -> [Double] {
        var copy = values
        copy.withUnsafeMutableBufferPointer { radixSort($0) }
        return copy
    }

    /// The same result as the standard library's sort, on the shapes that
    /// break quicksorts: random, few distinct values, sorted, reversed,
    /// organ pipe, all equal, and every length from 0 to 300.
    @Test func agreesWithTheStandardLibrary() {
        var random = SplitMix64(seed: 42)
        for n in 0...300 {
            let distinct = 1 + Int(random.next() % 8)
            let shapes: [[Double]] = [
                (0..<n).map { _ in Double(random.next() % 1_000_000) / 7 },
                (0..<n).map { _ in Double(random.next() % UInt64(distinct)) },
                (0..<n).map(Double.init),
                (0..<n).reversed().map(Double.init),
                (0..<n).map { Double(min($0, n - $0)) },
                [Double](repeating: 2.5, count: n),
                (0..<n).map { _ -> Double in
                    let negative = random.next() % 5 == 0
                    return negative ? -Double(random.next() % 9) : Double(random.next() % 3) / 60
                },
            ]
            for values in shapes {
                let expected = sortedByLibrary(values)
                #expect(sortedByIntrosort(values) == expected, "introsort, n = \(n): \(values.prefix(12))…")
                #expect(sortedByRadix(values) == expected, "radix, n = \(n): \(values.prefix(12))…")
            }
        }
    }

    /// Long inputs that send quicksort deep: the depth limit hands the rest
    /// to the library sort, and the result is still sorted.
    @Test func longAndAdversarialInputs() {
        var random = SplitMix64(seed: 7)
        let big = (0..<100_000).map { _ in Double(random.next() % 997) }
        #expect(sortedByIntrosort(big) == big.sorted())
        // Median-of-three killer-like: alternating low/high around a rising middle.
        let killer: [Double] = (0..<20_000).map { (k: Int) -> Double in Double(k % 2 == 0 ? k : 20_000 - k) }
        #expect(sortedByIntrosort(killer) == killer.sorted())
        for depth in 0...3 {
            var copy = big
            copy.withUnsafeMutableBufferPointer { sortAscending($0, depthLimit: depth) }
            #expect(copy == big.sorted(), "depth limit \(depth)")
        }
        #expect(sortedByIntrosort([.infinity, -.infinity, 0, 1]) == [-.infinity, 0, 1, .infinity])
        #expect(sortedByRadix(big) == big.sorted())
        // Signs, zeros, extremes and subnormals: the key order is the number order.
        let edges: [Double] = [.infinity, -.infinity, 0, -0.0, 1, -1, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                               .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e-300, -1e-300, 0.5, -2.5]
        let radixEdges = sortedByRadix(edges)
        #expect(radixEdges == edges.sorted())
        #expect(radixEdges.firstIndex { $0 == 0 }.map { radixEdges[$0].sign } == .minus, "-0 before 0")
    }
}
