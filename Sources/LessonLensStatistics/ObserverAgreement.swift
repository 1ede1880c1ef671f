import LessonLensCore

/// Do two observers of one lesson record the same lesson? Logs are grouped
/// into visits, every pair of logs of a visit is compared on time samples
/// (Cohen's kappa pooled over all pairs), and each metric's ICC(1,1) is
/// taken over visits.
public struct ObserverAgreement: Sendable {
    /// Visits with at least two logs by different observers.
    public var visits = 0
    /// Pairs of logs compared.
    public var pairs = 0
    /// Time samples compared over every pair.
    public var samples = 0
    /// Percentage of samples (0-100) where the two logs give the same code.
    public var agreement: Double?
    /// Cohen's kappa over every sample of every pair.
    public var kappa = Reliability.Kappa()
    /// Each kind against all other codes (`none` included among the others).
    public var byKind: [(kind: SegmentKind, kappa: Reliability.Kappa)] = []
    /// Per metric, ICC(1,1) over visits.
    public var metrics: [(metric: Metric, icc: Reliability.ICC)] = []
    /// Second logs of a visit by the same observer (or both without one):
    /// left out, and reported.
    public var warnings: [String] = []

    /// The visit a log belongs to: its `visit`, else date, teacher, class and
    /// period when all are present; nil when it can be matched with no other.
    public static func visitKey(_ e: EvaluatedLesson) -> String? { e.visitIdentity }

    /// `lessons` need their timelines. `interval` in seconds.
    public init(_ lessons: [EvaluatedLesson], interval: Double) {
        // Visits in order of their first log; logs in input order.
        var order: [String] = []
        var logs: [String: [EvaluatedLesson]] = [:]
        for e in lessons {
            guard let key = Self.visitKey(e) else { continue }
            if logs[key] == nil { order.append(key) }
            let observer = e.observer
            if let same = logs[key]?.first(where: { $0.observer == observer }) {
                let who = observer.map { "observer \"\($0)\"" } ?? "no observer"
                warnings.append("lesson \"\(e.id)\": a second log of the visit of lesson \"\(same.id)\" with \(who); left out of agreement")
                continue
            }
            logs[key, default: []].append(e)
        }
        let codes = SegmentKind.allCases.count + 1   // the kinds, then none
        let none = codes - 1
        var table = [[Int]](repeating: [Int](repeating: 0, count: codes), count: codes)
        var groups: [[EvaluatedLesson]] = []
        for key in order {
            let visit = logs[key]!
            guard visit.count >= 2 else { continue }
            groups.append(visit)
            for i in 0..<visit.count {
                for j in (i + 1)..<visit.count {
                    pairs += 1
                    let a = visit[i].timeline?.segments ?? [], b = visit[j].timeline?.segments ?? []
                    let times = TimeSampling.sampleTimes(durationMin: visit[i].timeline?.durationMin ?? Lesson.defaultDurationMin,
                                                         interval: interval)
                    for t in times {
                        let x = TimeSampling.code(at: t, in: a).map(Self.index) ?? none
                        let y = TimeSampling.code(at: t, in: b).map(Self.index) ?? none
                        table[x][y] += 1
                    }
                    samples += times.count
                }
            }
        }
        visits = groups.count
        if samples > 0 {
            var same = 0
            for c in 0..<codes { same += table[c][c] }
            agreement = 100 * Double(same) / Double(samples)
        }
        kappa = Reliability.kappa(table)
        for kind in SegmentKind.allCases {
            let k = Self.index(kind)
            var binary = [[0, 0], [0, 0]]
            for x in 0..<codes { for y in 0..<codes { binary[x == k ? 0 : 1][y == k ? 0 : 1] += table[x][y] } }
            byKind.append((kind, Reliability.kappa(binary)))
        }
        for metric in Metric.allCases {
            let values = groups.map { visit in visit.compactMap { $0.metrics[metric] } }
            metrics.append((metric, Reliability.icc(values)))
        }
    }

    static func index(_ kind: SegmentKind) -> Int { SegmentKind.allCases.firstIndex(of: kind)! }
}

/// How many visits does a fair judgement of a teacher need? Per metric, the
/// ICC(1,1) of lessons within groups (teachers) and Spearman-Brown's visits
/// needed for each target reliability.
public struct VisitReliability: Sendable {
    /// The key lessons are grouped by (a teacher, usually).
    public var by: GroupBy
    /// The target reliabilities (0.7, 0.8, ...).
    public var targets: [Double]
    /// Per metric: the ICC, whether it is stable (`Reliability.isStable`)
    /// and the visits needed for each target (nil where it is not stable).
    public var metrics: [(metric: Metric, icc: Reliability.ICC, stable: Bool, needed: [Int?])] = []

    /// The reliability of `lessons` grouped `by`, for each target.
    public init(_ lessons: [EvaluatedLesson], by: GroupBy, targets: [Double]) {
        self.by = by
        self.targets = targets
        var order: [GroupKey] = []
        var groups: [GroupKey: [LessonMetrics]] = [:]
        for e in lessons {
            let key = by.key(of: e)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(e.metrics)
        }
        for metric in Metric.allCases {
            let values = order.map { key in groups[key]!.compactMap { $0[metric] } }
            let icc = Reliability.icc(values)
            let stable = Reliability.isStable(icc)
            metrics.append((metric, icc, stable, targets.map { stable ? Reliability.visitsNeeded(rho: icc.icc, target: $0) : nil }))
        }
    }

    /// Visits needed for `target` on `metric`, when known.
    public func needed(_ metric: Metric, target: Double) -> Int? {
        guard let t = targets.firstIndex(of: target), let row = metrics.first(where: { $0.metric == metric }) else { return nil }
        return row.needed[t]
    }
}
