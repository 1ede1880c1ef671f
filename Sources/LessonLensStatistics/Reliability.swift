import CGSL
import LessonLensCore

/// Agreement between observers and the reliability of averages over visits:
/// Cohen's kappa on time-sampled codes, the one-way random-effects ICC(1,1)
/// with its F-based interval, and Spearman-Brown's visits needed.
public enum Reliability {
    /// Cohen's kappa with its large-sample standard error (Fleiss, Cohen &
    /// Everitt 1969, as statsmodels' `cohens_kappa` computes it) and a normal
    /// 95% interval. Nil fields where undefined (chance agreement of 1).
    public struct Kappa: Sendable, Equatable {
        /// Kappa; nil when chance agreement is 1.
        public var value: Double?
        /// Its large-sample standard error.
        public var se: Double?
        /// value ± 1.96 se.
        public var ci95: Statistics.Interval?
    }

    /// Kappa from a square table of counts: `table[a][b]` samples coded `a`
    /// by the first observer and `b` by the second.
    public static func kappa(_ table: [[Int]]) -> Kappa {
        let k = table.count
        var n = 0
        for row in table { for c in row { n += c } }
        guard n > 0 else { return Kappa() }
        let total = Double(n)
        var rowShare = [Double](repeating: 0, count: k), colShare = [Double](repeating: 0, count: k)
        var observed = 0.0
        for a in 0..<k {
            for b in 0..<k {
                let p = Double(table[a][b]) / total
                rowShare[a] += p
                colShare[b] += p
                if a == b { observed += p }
            }
        }
        var expected = 0.0
        for a in 0..<k { expected += rowShare[a] * colShare[a] }
        guard expected < 1 else { return Kappa() }
        let kappa = (observed - expected) / (1 - expected)
        var termA = 0.0, termB = 0.0
        for a in 0..<k {
            for b in 0..<k {
                let p = Double(table[a][b]) / total
                if a == b {
                    let d = 1 - (rowShare[a] + colShare[a]) * (1 - kappa)
                    termA += p * d * d
                } else {
                    let s = colShare[a] + rowShare[b]
                    termB += p * s * s
                }
            }
        }
        termB *= (1 - kappa) * (1 - kappa)
        let termC = (kappa - expected * (1 - kappa)) * (kappa - expected * (1 - kappa))
        let variance = (termA + termB - termC) / ((1 - expected) * (1 - expected)) / total
        guard variance >= 0, variance.isFinite else { return Kappa(value: kappa) }
        let se = variance.squareRoot()
        GSL.prepare()
        let z = gsl_cdf_ugaussian_Pinv(0.975)
        return Kappa(value: kappa, se: se, ci95: Statistics.Interval(low: kappa - z * se, high: kappa + z * se))
    }

    /// ICC(1,1), one-way random effects (Shrout & Fleiss 1979, case 1), for
    /// groups of unequal size, with its 95% interval from the F distribution.
    public struct ICC: Sendable, Equatable {
        /// Groups and values used (groups with at least 2 values).
        public var groups: Int
        /// (values in those groups)
        public var values: Int
        /// The ICC; nil where undefined.
        public var icc: Double?
        /// The F-based 95% interval.
        public var ci95: Statistics.Interval?
    }

    /// `groups` hold each group's non-null values; groups with fewer than 2
    /// are left out. k0 = (N - sum n_i^2 / N) / (g - 1);
    /// ICC = (MSB - MSW) / (MSB + (k0 - 1) MSW); with F = MSB / MSW,
    /// FL = F / F(0.975; g-1, N-g) and FU = F * F(0.975; N-g, g-1), the
    /// bounds are (FL - 1) / (FL + k0 - 1) and (FU - 1) / (FU + k0 - 1).
    public static func icc(_ groups: [[Double]]) -> ICC {
        let used = groups.filter { $0.count >= 2 }
        let g = used.count
        let total = used.reduce(0) { $0 + $1.count }
        var result = ICC(groups: g, values: total)
        guard g >= 2, total > g else { return result }
        let big = Double(total)
        var grand = 0.0
        for group in used { for x in group { grand += x } }
        grand /= big
        var ssb = 0.0, ssw = 0.0, squares = 0.0
        for group in used {
            let n = Double(group.count)
            let mean = group.reduce(0, +) / n
            ssb += n * (mean - grand) * (mean - grand)
            for x in group { ssw += (x - mean) * (x - mean) }
            squares += n * n
        }
        let dfB = Double(g - 1), dfW = Double(total - g)
        let msb = ssb / dfB, msw = ssw / dfW
        let k0 = (big - squares / big) / dfB
        let denominator = msb + (k0 - 1) * msw
        guard denominator > 0 else { return result }
        result.icc = (msb - msw) / denominator
        guard msw > 0 else { return result }
        GSL.prepare()
        let f = msb / msw
        let fl = f / gsl_cdf_fdist_Pinv(0.975, dfB, dfW)
        let fu = f * gsl_cdf_fdist_Pinv(0.975, dfW, dfB)
        let low = (fl - 1) / (fl + k0 - 1), high = (fu - 1) / (fu + k0 - 1)
        if low.isFinite && high.isFinite { result.ci95 = Statistics.Interval(low: low, high: high) }
        return result
    }

    /// The metrics the standards judge a lesson by.
    public static let standardMetrics: [Metric] = [.reading_min, .writing_min, .independent_performers, .homework_min,
                                                   .read_passes, .copy_passes, .overrun_min]

    /// Whether an ICC says anything: stable when the lower end of its 95%
    /// interval is above 0 (a group average then tells groups apart).
    public static func isStable(_ icc: ICC) -> Bool {
        guard let low = icc.ci95?.low else { return false }
        return low > 0
    }

    /// The reliability of each metric of the standards over an archive's
    /// groups, to say how many visits each group needs.
    public struct StandardMetrics: Sendable {
        /// Per metric of `standardMetrics`: its ICC, whether it is stable
        /// and, when it is, the visits needed for reliability `target`.
        public var metrics: [(metric: Metric, icc: ICC, stable: Bool, visitsNeeded: Int?)]

        /// The visits a group needs (the most `visitsNeeded` among the stable
        /// metrics whose standard applies to some of its lessons and that it
        /// has values of; `fewVisitsThreshold` when there is none) and those
        /// metrics that need more visits than it has.
        public func needs(of group: LessonColumns) -> (visits: Int, short: [Metric]) {
            var most: Int?
            var short: [Metric] = []
            for row in metrics {
                guard row.stable, let k = row.visitsNeeded,
                      let standard = Standard.allCases.first(where: { $0.metrics.contains(row.metric) }),
                      group.applies(standard), !group.values(row.metric).isEmpty else { continue }
                most = Swift.max(most ?? 0, k)
                if k > group.count { short.append(row.metric) }
            }
            return (most ?? fewVisitsThreshold, short)
        }

        /// The visits needed of the groups `needs` would name, most of all; nil when no metric is stable.
        public var mostVisitsNeeded: Int? { metrics.compactMap { $0.stable ? $0.visitsNeeded : nil }.max() }
    }

    /// The ICC of each metric of the standards over groups, `values(m)`
    /// giving each group's values of metric m.
    public static func standardMetricReliability(target: Double = 0.7, values: (Metric) -> [[Double]]) -> StandardMetrics {
        StandardMetrics(metrics: standardMetrics.map { m in
            let icc = icc(values(m))
            let stable = isStable(icc)
            return (m, icc, stable, stable ? visitsNeeded(rho: icc.icc, target: target) : nil)
        })
    }

    /// Spearman-Brown: visits needed for an average over visits to reach
    /// reliability `target`, ceil(R (1 - rho) / (rho (1 - R))); nil when
    /// rho <= 0 (no number of visits is enough) or unknown.
    public static func visitsNeeded(rho: Double?, target: Double) -> Int? {
        guard let rho, rho > 0, target > 0, target < 1 else { return nil }
        if rho >= 1 { return 1 }
        let k = (target * (1 - rho) / (rho * (1 - target)))
        // A hair of rounding must not add a visit (0.7 * 0.3 / (0.3 * 0.3) is 2.333..., but 1.0000000002 is 1).
        let rounded = (k * 1e9).rounded() / 1e9
        return Swift.max(1, Int(rounded.rounded(.up)))
    }
}
