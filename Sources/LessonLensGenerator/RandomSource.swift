import CGSL
import LessonLensCore
import LessonLensStatistics

/// GSL's Mersenne Twister (`gsl_rng_mt19937`) and the GSL distributions the
/// generator draws from. The same seed gives the same numbers on any machine.
package final class RandomSource {
    private let pointer: UnsafeMutablePointer<gsl_rng>

    package init(seed: UInt64) {
        GSL.prepare()
        pointer = gsl_rng_alloc(lessonlens_rng_mt19937())
        gsl_rng_set(pointer, UInt(truncatingIfNeeded: seed))
    }

    deinit { gsl_rng_free(pointer) }

    /// Uniform on [0, 1).
    package func uniform() -> Double { gsl_rng_uniform(pointer) }

    /// Uniform integer in 0..<n (n >= 1).
    package func below(_ n: Int) -> Int {
        n <= 1 ? 0 : Int(gsl_rng_uniform_int(pointer, UInt(n)))
    }

    /// Uniform integer in the closed range.
    package func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    package func chance(_ p: Double) -> Bool { uniform() < p }

    package func gaussian(mean: Double, sd: Double) -> Double { mean + gsl_ran_gaussian(pointer, sd) }

    package func poisson(_ mu: Double) -> Int { mu <= 0 ? 0 : Int(gsl_ran_poisson(pointer, mu)) }

    package func binomial(_ n: Int, _ p: Double) -> Int {
        n <= 0 ? 0 : Int(gsl_ran_binomial(pointer, min(1, max(0, p)), UInt32(n)))
    }

    package func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
