import CGSL
import LessonLensCore

/// Statistics over metric values, computed with GSL. Every function returns
/// nil (or nil fields) where a statistic is undefined: never NaN or infinity.
public enum Statistics {
    /// A two-sided 95% interval.
    public struct Interval: Sendable, Equatable {
        /// The lower end.
        public var low: Double
        /// The upper end.
        public var high: Double
    }

    /// n, mean, sample sd, quantiles and a t interval for the mean of one sample.
    public struct Description: Sendable, Equatable {
        /// Values described.
        public var n: Int
        /// Their mean.
        public var mean: Double
        /// Sample standard deviation (n - 1); nil when n < 2.
        public var sd: Double?
        /// The 50th percentile (GSL's quantile from sorted data).
        public var median: Double
        /// The 10th percentile.
        public var p10: Double
        /// The 90th percentile.
        public var p90: Double
        /// The smallest value.
        public var min: Double
        /// The largest value.
        public var max: Double
        /// mean ± t(0.975, n-1) · sd / √n; nil when n < 2. Clipped to the
        /// metric's possible range where `clipped(to:)` was applied.
        public var ci95: Interval?
        /// The t interval reached past what the metric can be and was cut to it.
        public var ci95Clipped = false

        /// The same, with the interval cut to `bounds` (a share cannot fall
        /// below 0 or rise above 1, minutes and counts cannot be negative).
        public func clipped(to bounds: ClosedRange<Double>) -> Description {
            guard let ci = ci95 else { return self }
            var d = self
            let low = Swift.max(ci.low, bounds.lowerBound), high = Swift.min(ci.high, bounds.upperBound)
            if low != ci.low || high != ci.high {
                d.ci95 = Interval(low: low, high: high)
                d.ci95Clipped = true
            }
            return d
        }
    }

    /// Describes `values` (nil when empty). Quantiles are GSL's
    /// `gsl_stats_quantile_from_sorted_data` (linear interpolation between order
    /// statistics, numpy's default), after `sortAscending` (a radix sort:
    /// a summary sorts every metric of every group; `gsl_sort`'s heap sort,
    /// the standard library's merge sort and `gsl_stats_select` for the six
    /// order statistics were all slower). `values` hold no NaN.
    public static func describe(_ values: consuming [Double]) -> Description? {
        GSL.prepare()
        let n = values.count
        guard n > 0 else { return nil }
        var sorted = values  // taken over, not copied, when the caller passes a temporary
        sorted.withUnsafeMutableBufferPointer { sortAscending($0) }
        return sorted.withUnsafeBufferPointer { p -> Description in
            let base = p.baseAddress!
            let mean = gsl_stats_mean(base, 1, n)
            var sd: Double?
            var ci: Interval?
            if n >= 2 {
                let s = gsl_stats_sd_m(base, 1, n, mean)
                sd = s
                if let t = tCritical(samples: n) {
                    let half = t * s / Double(n).squareRoot()
                    ci = Interval(low: mean - half, high: mean + half)
                }
            }
            return Description(
                n: n, mean: mean, sd: sd,
                median: gsl_stats_quantile_from_sorted_data(base, 1, n, 0.5),
                p10: gsl_stats_quantile_from_sorted_data(base, 1, n, 0.1),
                p90: gsl_stats_quantile_from_sorted_data(base, 1, n, 0.9),
                min: base[0], max: base[n - 1], ci95: ci)
        }
    }

    /// The Wilson score interval for `met` successes in `judged` trials, with
    /// z = `gsl_cdf_ugaussian_Pinv(0.975)`; nil when judged is 0.
    public static func wilson(met: Int, judged: Int) -> Interval? {
        guard judged > 0 else { return nil }
        GSL.prepare()
        let z = gsl_cdf_ugaussian_Pinv(0.975)
        let n = Double(judged), p = Double(met) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return Interval(low: max(0, center - half), high: min(1, center + half))
    }

    /// Two-sided p-value of a t statistic with `df` degrees of freedom.
    public static func twoSidedP(t: Double, df: Double) -> Double? {
        guard t.isFinite, df > 0, df.isFinite else { return nil }
        GSL.prepare()
        return finite(2 * gsl_cdf_tdist_Q(abs(t), df)).map { Swift.min(1, $0) }
    }

    /// t(0.975, n - 1) for `n` samples (n ≥ 2), from a table made once for
    /// n below 512: a summary by teacher asks it of every metric of every
    /// group (8,000 groups: 160,000 calls, 7% of `summary`'s time), and it
    /// depends on n alone. The value is GSL's, bit for bit.
    static func tCritical(samples n: Int) -> Double? {
        guard n < tCriticals.count else { return finite(gsl_cdf_tdist_Pinv(0.975, Double(n - 1))) }
        return finite(tCriticals[n])
    }

    /// t(0.975, df): the multiplier of a 95% interval.
    public static func tCritical(df: Double) -> Double? {
        guard df > 0, df.isFinite else { return nil }
        GSL.prepare()
        return finite(gsl_cdf_tdist_Pinv(0.975, df))
    }

    // MARK: Trend

    /// Ordinary least squares of y on x (`gsl_fit_linear`).
    public struct LinearFit: Sendable, Equatable {
        /// Points fitted.
        public var n: Int
        /// Change of y per unit of x.
        public var slope: Double
        /// y at x = 0.
        public var intercept: Double
        /// Standard error of the slope; nil when the fit is exact or undefined.
        public var slopeSE: Double?
        /// slope / slopeSE.
        public var t: Double?
        /// Two-sided, n - 2 degrees of freedom.
        public var p: Double?
        /// nil when y is constant.
        public var r2: Double?
        /// Covariances of (intercept, slope) for confidence bands.
        public var cov00: Double
        /// (covariance of intercept and slope)
        public var cov01: Double
        /// (variance of the slope)
        public var cov11: Double
    }

    /// nil when n < 3, or x is constant (no line to fit), or GSL fails.
    public static func linearFit(x: [Double], y: [Double]) -> LinearFit? {
        let n = x.count
        guard n >= 3, n == y.count, let x0 = x.first, x.contains(where: { $0 != x0 }) else { return nil }
        GSL.prepare()
        var c0 = 0.0, c1 = 0.0, cov00 = 0.0, cov01 = 0.0, cov11 = 0.0, sumsq = 0.0
        let status = x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                gsl_fit_linear(xp.baseAddress, 1, yp.baseAddress, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq)
            }
        }
        guard (try? GSL.check(status, "gsl_fit_linear")) != nil, c0.isFinite, c1.isFinite else { return nil }
        let mean = y.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, n) }
        let total = y.withUnsafeBufferPointer { gsl_stats_tss_m($0.baseAddress, 1, n, mean) }
        var fit = LinearFit(n: n, slope: c1, intercept: c0, cov00: cov00, cov01: cov01, cov11: cov11)
        if total > 0 { fit.r2 = Swift.max(0, Swift.min(1, 1 - sumsq / total)) }
        let se = cov11.squareRoot()
        if se > 0, se.isFinite {
            fit.slopeSE = se
            fit.t = c1 / se
            fit.p = twoSidedP(t: c1 / se, df: Double(n - 2))
        }
        return fit
    }

    // MARK: Comparing two groups

    /// Welch's unequal-variance t test of b - a, with Hedges' g.
    public struct WelchTest: Sendable, Equatable {
        /// Values on side a.
        public var nA: Int
        /// Values on side b.
        public var nB: Int
        /// Side a's mean; nil when empty.
        public var meanA: Double?
        /// Side b's mean; nil when empty.
        public var meanB: Double?
        /// meanB - meanA.
        public var diff: Double?
        /// Welch's t; nil where undefined (too few values, no variance).
        public var t: Double?
        /// Welch-Satterthwaite degrees of freedom.
        public var df: Double?
        /// Two-sided p.
        public var p: Double?
        /// 95% interval of the difference.
        public var ci95: Interval?
        /// Hedges' g (bias-corrected standardized difference).
        public var hedgesG: Double?
        /// Fewer than 5 values on a side: read the test with care (with
        /// fewer than 2, no test is given).
        public var fewLessons: Bool { nA < 5 || nB < 5 }
    }

    /// Welch's test of `b` against `a`.
    public static func welch(a: [Double], b: [Double]) -> WelchTest {
        GSL.prepare()
        let na = a.count, nb = b.count
        var r = WelchTest(nA: na, nB: nb)
        let ma = na > 0 ? a.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, na) } : nil
        let mb = nb > 0 ? b.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, nb) } : nil
        r.meanA = ma; r.meanB = mb
        guard let ma, let mb else { return r }
        r.diff = mb - ma
        guard na >= 2, nb >= 2 else { return r }
        let va = a.withUnsafeBufferPointer { gsl_stats_variance_m($0.baseAddress, 1, na, ma) }
        let vb = b.withUnsafeBufferPointer { gsl_stats_variance_m($0.baseAddress, 1, nb, mb) }
        let ea = va / Double(na), eb = vb / Double(nb)
        let se = (ea + eb).squareRoot()
        if se > 0 {
            let t = (mb - ma) / se
            let df = (ea + eb) * (ea + eb) / (ea * ea / Double(na - 1) + eb * eb / Double(nb - 1))
            r.t = finite(t); r.df = finite(df)
            r.p = twoSidedP(t: t, df: df)
            if let q = tCritical(df: df) { r.ci95 = Interval(low: mb - ma - q * se, high: mb - ma + q * se) }
        }
        let pooled = ((Double(na - 1) * va + Double(nb - 1) * vb) / Double(na + nb - 2)).squareRoot()
        if pooled > 0 {
            let j = 1 - 3 / (4 * Double(na + nb) - 9)
            r.hedgesG = finite((mb - ma) / pooled * j)
        }
        return r
    }

    /// A paired t test on differences b - a (one per pair).
    public struct PairedTest: Sendable, Equatable {
        /// Pairs.
        public var nPairs: Int
        /// Mean of the differences.
        public var meanDiff: Double?
        /// Sample standard deviation of the differences.
        public var sdDiff: Double?
        /// t = meanDiff / (sdDiff / √n).
        public var t: Double?
        /// n - 1.
        public var df: Double?
        /// Two-sided p.
        public var p: Double?
        /// 95% interval of the mean difference.
        public var ci95: Interval?
        /// Cohen's d_z: mean_diff / sd_diff.
        public var dz: Double?
        /// Fewer than 5 pairs: read the test with care (with fewer than 3,
        /// no test is given).
        public var fewPairs: Bool { nPairs < 5 }
    }

    /// Pairs below which `paired` gives no test (t, df, p, interval, d_z):
    /// with 2 pairs one degree of freedom makes any p meaningless.
    public static let minimumPairs = 3

    /// The paired test of differences `d` (b - a per pair).
    public static func paired(differences d: [Double]) -> PairedTest {
        GSL.prepare()
        let n = d.count
        var r = PairedTest(nPairs: n)
        guard n > 0 else { return r }
        let mean = d.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, n) }
        r.meanDiff = mean
        guard n >= 2 else { return r }
        let sd = d.withUnsafeBufferPointer { gsl_stats_sd_m($0.baseAddress, 1, n, mean) }
        r.sdDiff = sd
        guard n >= minimumPairs else { return r }
        r.df = Double(n - 1)
        guard sd > 0 else { return r }
        let se = sd / Double(n).squareRoot()
        r.t = finite(mean / se)
        r.p = twoSidedP(t: mean / se, df: Double(n - 1))
        if let q = tCritical(df: Double(n - 1)) { r.ci95 = Interval(low: mean - q * se, high: mean + q * se) }
        r.dz = finite(mean / sd)
        return r
    }

    // MARK: Correlation

    /// Pearson's r on values, or Spearman's on ranks.
    public enum CorrelationMethod: String, CaseIterable, Sendable {
        case pearson, spearman
    }

    /// A correlation coefficient with its n and p.
    public struct Correlation: Sendable, Equatable {
        /// Pairs used.
        public var n: Int
        /// The coefficient; nil where undefined (too few pairs, a constant variable).
        public var r: Double?
        /// Two-sided p of r = 0 (t with n - 2 degrees of freedom).
        public var p: Double?
    }

    /// r by `gsl_stats_correlation` or `gsl_stats_spearman`; p from
    /// t = r·√((n-2)/(1-r²)) with n - 2 degrees of freedom (0 when |r| = 1).
    public static func correlation(_ x: [Double], _ y: [Double], method: CorrelationMethod) -> Correlation {
        GSL.prepare()
        let n = min(x.count, y.count)
        var result = Correlation(n: n)
        guard n >= 2, let x0 = x.first, let y0 = y.first,
              x.contains(where: { $0 != x0 }), y.contains(where: { $0 != y0 }) else { return result }
        let r: Double = x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                switch method {
                case .pearson:
                    return gsl_stats_correlation(xp.baseAddress, 1, yp.baseAddress, 1, n)
                case .spearman:
                    var work = [Double](repeating: 0, count: 2 * n)
                    return work.withUnsafeMutableBufferPointer { w in
                        gsl_stats_spearman(xp.baseAddress, 1, yp.baseAddress, 1, n, w.baseAddress)
                    }
                }
            }
        }
        guard let r = finite(r) else { return result }
        let clamped = Swift.max(-1, Swift.min(1, r))
        result.r = clamped
        if n >= 3 {
            if abs(clamped) >= 1 {
                result.p = 0
            } else {
                let t = clamped * (Double(n - 2) / (1 - clamped * clamped)).squareRoot()
                result.p = twoSidedP(t: t, df: Double(n - 2))
            }
        }
        return result
    }

    @inline(__always)
    static func finite(_ d: Double) -> Double? { d.isFinite ? d : nil }
}

/// `Statistics.tCritical(samples:)`'s values by n, made at first use (511
/// calls, under a millisecond); immutable after, so shared by the threads
/// without a lock.
private let tCriticals: [Double] = {
    GSL.prepare()
    return (0..<512).map { n in n < 2 ? .nan : gsl_cdf_tdist_Pinv(0.975, Double(n - 1)) }
}()
