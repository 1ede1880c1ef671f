import Foundation
import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator

/// The statistics against golden values computed independently with
/// numpy/scipy by `fixtures/make_golden_stats.py` (see its header), on
/// `fixtures/stats-archive.jsonl`: 18 logs of 16 visits to 4 teachers
/// (Chinese and English names), one visited once, two on the same day, two
/// visits logged by two observers (one by `visit`, one by date, teacher,
/// class and period), constant metrics, nulls, ties. Every statistic is over
/// visits.
@Suite struct StatisticsGoldenTests {
    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: "fixtures/" + name, withExtension: nil))
        return try Data(contentsOf: url)
    }

    static let lessons: [EvaluatedLesson] = {
        let stream = LessonStream(threads: 1) { $0 }
        var source = MemorySource(Array(try! fixture("stats-archive.jsonl")))
        var out: [EvaluatedLesson] = []
        try! stream.process(&source, name: "stats") { if case .accepted(let e, _) = $0 { out.append(e) } }
        return out
    }()

    nonisolated(unsafe) static let expected: [String: Any] = {
        try! JSONSerialization.jsonObject(with: try! fixture("stats-expected.json")) as! [String: Any]
    }()

    /// Within 1e-6 relative (1e-9 absolute near zero); nil only against null.
    func check(_ actual: Double?, _ expected: Any?, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        switch expected {
        case nil, is NSNull:
            #expect(actual == nil, "\(what): expected null, got \(String(describing: actual))", sourceLocation: sourceLocation)
        case let e as NSNumber:
            guard let a = actual else {
                Issue.record("\(what): expected \(e), got null", sourceLocation: sourceLocation)
                return
            }
            let x = e.doubleValue
            #expect(abs(a - x) <= max(1e-9, 1e-6 * abs(x)), "\(what): expected \(x), got \(a)", sourceLocation: sourceLocation)
        default:
            Issue.record("\(what): unexpected golden value \(String(describing: expected))", sourceLocation: sourceLocation)
        }
    }

    func checkInterval(_ actual: Statistics.Interval?, _ expected: Any?, _ what: String) {
        if let pair = expected as? [NSNumber] {
            check(actual?.low, pair[0], what + ".low")
            check(actual?.high, pair[1], what + ".high")
        } else {
            #expect(actual == nil, Comment(rawValue: "\(what): expected null interval"))
        }
    }

    /// The logs grouped by `by`, each visit one row.
    static func visitsGrouped(by: GroupBy) -> GroupedLessons {
        var grouped = GroupedLessons(by: by, visitsJudgedBy: .default)
        for (k, e) in lessons.enumerated() { grouped.add(KeyedRow(e, by: by, policy: .default), file: "stats", line: k + 1) }
        grouped.combineVisits()
        return grouped
    }

    /// The visits, each one record.
    static var visits: [EvaluatedLesson] {
        var list = VisitList(policy: .default)
        for (k, e) in lessons.enumerated() { list.add(e, file: "stats", line: k + 1) }
        return list.visits
    }

    @Test func allLessonsAccepted() {
        #expect(Self.lessons.count == 18)
        #expect(Self.visits.count == 16)
    }

    @Test func summaryByTeacher() throws {
        let groups = Self.visitsGrouped(by: .teacher).summaries()
        let golden = try #require(Self.expected["summary_by_teacher"] as? [[String: Any]])
        #expect(groups.map(\.key.description) == golden.map { $0["key"] as! String })
        for (g, e) in zip(groups, golden) {
            #expect(g.lessons == e["lessons"] as! Int)
            #expect(g.logs == e["logs"] as! Int)
            #expect(g.visitsNeeded == e["visits_needed"] as! Int, "\(g.key) visits_needed")
            #expect(g.fewVisitsMetrics.map(\.rawValue).sorted() == e["few_visits_metrics"] as! [String], "\(g.key) few_visits_metrics")
            let metrics = e["metrics"] as! [String: [String: Any]]
            for (m, d) in g.metrics {
                let x = metrics[m.rawValue]!
                let label = "\(g.key) \(m.rawValue)"
                #expect((d?.n ?? 0) == x["n"] as! Int, "\(label).n")
                check(d?.mean, x["mean"], label + ".mean")
                check(d?.sd, x["sd"], label + ".sd")
                check(d?.median, x["median"], label + ".median")
                check(d?.p10, x["p10"], label + ".p10")
                check(d?.p90, x["p90"], label + ".p90")
                check(d?.min, x["min"], label + ".min")
                check(d?.max, x["max"], label + ".max")
                checkInterval(d?.ci95, x["ci95"], label + ".ci95")
            }
            let standards = e["standards"] as! [String: [String: Any]]
            for (s, r) in g.standards {
                let x = standards[s.rawValue]!
                #expect(r.judged == x["judged"] as! Int && r.met == x["met"] as! Int, "\(g.key) \(s.rawValue) counts")
                check(r.rate, x["rate"], "\(g.key) \(s.rawValue).rate")
                checkInterval(r.ci95, x["ci95"], "\(g.key) \(s.rawValue).ci95")
            }
        }
    }

    @Test func trendByTeacher() throws {
        let groups = Self.visitsGrouped(by: .teacher).trends()
        let golden = try #require(Self.expected["trend_by_teacher"] as? [[String: Any]])
        // 张老师 (one visit) has no trend.
        #expect(groups.map(\.key.description) == golden.map { $0["key"] as! String })
        for (g, e) in zip(groups, golden) {
            let metrics = e["metrics"] as! [String: [String: Any]]
            #expect(Set(g.metrics.map(\.0.rawValue)) == Set(metrics.keys), "\(g.key) metrics")
            for (m, t) in g.metrics {
                let x = metrics[m.rawValue]!
                let label = "\(g.key) \(m.rawValue)"
                #expect(t.n == x["n"] as! Int, "\(label).n")
                check(t.slopePer30Days, x["slope_per_30d"], label + ".slope")
                check(t.sePer30Days, x["se"], label + ".se")
                check(t.fit?.t, x["t"], label + ".t")
                check(t.fit?.p, x["p"], label + ".p")
                check(t.fit?.r2, x["r2"], label + ".r2")
                check(t.fit?.intercept, x["intercept"], label + ".intercept")
            }
        }
    }

    @Test func compareBeforeAndAfterCoaching() throws {
        let pre = try LessonFilter("tag=pre-coaching"), post = try LessonFilter("tag=post-coaching")
        let a = Self.visits.filter(pre.matches), b = Self.visits.filter(post.matches)
        let c = Comparison.compare(a: a, b: b, filterA: "tag=pre-coaching", filterB: "tag=post-coaching", pairedBy: nil)
        let golden = try #require(Self.expected["compare_pre_post"] as? [String: Any])
        let metrics = golden["metrics"] as! [String: [String: Any]]
        for mc in c.metrics {
            let w = try #require(mc.welch)
            let x = metrics[mc.metric.rawValue]!
            let label = mc.metric.rawValue
            #expect(w.nA == x["n_a"] as! Int && w.nB == x["n_b"] as! Int, "\(label) n")
            check(w.meanA, x["mean_a"], label + ".mean_a")
            check(w.meanB, x["mean_b"], label + ".mean_b")
            check(w.diff, x["diff"], label + ".diff")
            check(w.t, x["t"], label + ".t")
            check(w.df, x["df"], label + ".df")
            check(w.p, x["p"], label + ".p")
            checkInterval(w.ci95, x["ci95"], label + ".ci95")
            check(w.hedgesG, x["hedges_g"], label + ".hedges_g")
        }
        let standards = golden["standards"] as! [String: [String: Any]]
        for sc in c.standards {
            let x = standards[sc.standard.rawValue]!
            check(sc.a.rate, x["rate_a"], "\(sc.standard).rate_a")
            check(sc.b.rate, x["rate_b"], "\(sc.standard).rate_b")
            checkInterval(sc.a.ci95, x["ci95_a"], "\(sc.standard).ci95_a")
            checkInterval(sc.b.ci95, x["ci95_b"], "\(sc.standard).ci95_b")
        }
    }

    @Test func comparePairedByTeacher() throws {
        let pre = try LessonFilter("tag=pre-coaching"), post = try LessonFilter("tag=post-coaching")
        let c = Comparison.compare(a: Self.visits.filter(pre.matches), b: Self.visits.filter(post.matches),
                        filterA: "a", filterB: "b", pairedBy: .teacher)
        let golden = try #require(Self.expected["compare_pre_post_paired_by_teacher"] as? [String: [String: Any]])
        for mc in c.metrics {
            let p = try #require(mc.paired)
            let x = golden[mc.metric.rawValue]!
            let label = mc.metric.rawValue
            #expect(p.nPairs == x["n_pairs"] as! Int, "\(label).n_pairs")
            check(p.meanDiff, x["mean_diff"], label + ".mean_diff")
            check(p.sdDiff, x["sd_diff"], label + ".sd_diff")
            check(p.t, x["t"], label + ".t")
            check(p.df, x["df"], label + ".df")
            check(p.p, x["p"], label + ".p")
            checkInterval(p.ci95, x["ci95"], label + ".ci95")
            check(p.dz, x["dz"], label + ".dz")
        }
    }

    @Test(arguments: Statistics.CorrelationMethod.allCases)
    func correlate(method: Statistics.CorrelationMethod) throws {
        let columns = try #require(Self.visitsGrouped(by: .all).sorted.first?.lessons)
        let pairs = columns.correlations(method: method)
        let golden = try #require((Self.expected["correlate"] as? [String: Any])?[method.rawValue] as? [[String: Any]])
        #expect(pairs.count == golden.count)
        for (p, x) in zip(pairs, golden) {
            let label = "\(method) \(p.x.rawValue)~\(p.y.rawValue)"
            #expect(p.x.rawValue == x["x"] as! String && p.y.rawValue == x["y"] as! String, "\(label)")
            #expect(p.correlation.n == x["n"] as! Int, "\(label).n")
            check(p.correlation.r, x["r"], label + ".r")
            check(p.correlation.p, x["p"], label + ".p")
        }
    }
}

/// Edge cases of the statistics themselves (values worked by hand).
@Suite struct StatisticsEdgeTests {
    @Test func describeEdgeCases() throws {
        #expect(Statistics.describe([]) == nil)
        let one = try #require(Statistics.describe([7]))
        #expect(one.n == 1 && one.mean == 7 && one.sd == nil && one.ci95 == nil && one.median == 7 && one.p10 == 7)
        let same = try #require(Statistics.describe([3, 3, 3]))
        #expect(same.sd == 0 && same.ci95 == Statistics.Interval(low: 3, high: 3))
        let two = try #require(Statistics.describe([1, 3]))
        #expect(two.median == 2 && abs(two.p10 - 1.2) < 1e-12 && abs(two.p90 - 2.8) < 1e-12)
    }

    @Test func wilsonEdgeCases() throws {
        #expect(Statistics.wilson(met: 0, judged: 0) == nil)
        let none = try #require(Statistics.wilson(met: 0, judged: 10))
        #expect(abs(none.low) < 1e-12 && abs(none.high - 0.27753279) < 1e-6) // scipy: binomtest(0, 10) Wilson
        let all = try #require(Statistics.wilson(met: 10, judged: 10))
        #expect(abs(all.high - 1) < 1e-12 && abs(all.low - (1 - none.high)) < 1e-12)
    }

    @Test func undefinedStatisticsAreNil() {
        #expect(Statistics.linearFit(x: [1, 2], y: [1, 2]) == nil)        // n < 3
        #expect(Statistics.linearFit(x: [5, 5, 5], y: [1, 2, 3]) == nil)  // one date
        let exact = Statistics.linearFit(x: [0, 1, 2], y: [1, 3, 5])
        #expect(exact?.slope == 2 && exact?.slopeSE == nil && exact?.p == nil && exact?.r2 == 1)
        let w = Statistics.welch(a: [1], b: [2, 3])
        #expect(w.diff == 1.5 && w.t == nil && w.p == nil && w.hedgesG == nil)
        let flat = Statistics.welch(a: [2, 2], b: [2, 2])
        #expect(flat.diff == 0 && flat.t == nil && flat.p == nil)
        let c = Statistics.correlation([1, 2, 3], [4, 4, 4], method: .pearson)
        #expect(c.n == 3 && c.r == nil && c.p == nil)
        let perfect = Statistics.correlation([1, 2, 3], [2, 4, 6], method: .spearman)
        #expect(abs(perfect.r! - 1) < 1e-12 && perfect.p! < 1e-6)
        let paired = Statistics.paired(differences: [])
        #expect(paired.nPairs == 0 && paired.meanDiff == nil)
    }

    @Test func filters() throws {
        let f = try LessonFilter("teacher=王芳, tag=post-coaching")
        #expect(f.conditions.count == 2)
        #expect(throws: LessonFilter.ParseError.self) { try LessonFilter("colour=red") }
        #expect(throws: LessonFilter.ParseError.self) { try LessonFilter("teacher") }
    }

    /// Rows of interleaved groups, kept in one store: each group sees its own
    /// rows in input order, and appending to a group's columns copies only them.
    @Test func groupsKeepInputOrderInASharedStore() throws {
        var grouped = GroupedLessons(by: .teacher)
        var expected: [String: [Int]] = [:]
        for (k, e) in StatisticsGoldenTests.lessons.enumerated() {
            var row = LessonRow(e)
            row.day = k  // marks the input position
            grouped.add(KeyedRow(key: .text(e.teacher), row: row))
            expected[e.teacher, default: []].append(k)
        }
        let groups = grouped.sorted
        #expect(groups.map(\.key) == expected.keys.sorted().map(GroupKey.text))
        for (key, columns) in groups {
            #expect(columns.days == expected[key.description], "\(key)")
            #expect(columns.count == expected[key.description]?.count)
        }
        var first = try #require(groups.first?.lessons)
        let before = first.count
        var extra = LessonRow(StatisticsGoldenTests.lessons[0])
        extra.day = -1
        first.append(extra)
        #expect(first.days == expected[groups[0].key.description]! + [-1])
        #expect(first.count == before + 1)
        #expect(groups[0].lessons.count == before, "the group itself is unchanged")
        #expect(groups[1].lessons.days == expected[groups[1].key.description], "the others too")
    }

    /// Keys are filed by a hash of their bytes, but grouped by String
    /// equality: two spellings of one name in Unicode (é as one code point,
    /// or e and a combining accent) are one group, as before; and hundreds of
    /// keys (the table grows) each keep their own rows.
    @Test func keysGroupByStringEqualityAcrossManyKeys() {
        var grouped = GroupedLessons(by: .teacher)
        let row = LessonRow(StatisticsGoldenTests.lessons[0])
        let composed = "Jos\u{E9}", decomposed = "Jose\u{301}"
        #expect(composed == decomposed && Array(composed.utf8) != Array(decomposed.utf8))
        for k in 0..<1000 {
            var r = row
            r.day = k
            let key: GroupKey = k % 10 == 0 ? .text(composed) : k % 10 == 1 ? .text(decomposed) : .text("T\(k % 300)")
            grouped.add(KeyedRow(key: key, row: r))
        }
        for k in 0..<3 { grouped.add(KeyedRow(key: .number(k), row: row)) }
        grouped.add(KeyedRow(key: .none, row: row))
        let groups = grouped.sorted
        #expect(groups.count == 300 - 60 + 1 + 3 + 1)   // T2..T299 but multiples of 10 and 10+1; one José; 3 numbers; none
        let jose = groups.filter { $0.key == .text(composed) }
        #expect(jose.count == 1)
        #expect(jose.first?.lessons.days == (0..<1000).filter { $0 % 10 < 2 })
        #expect(groups.first { $0.key == .text("T7") }?.lessons.days == [7, 307, 607, 907])
    }

    @Test func groupKeysSortNumbersNumericallyAndNoneLast() {
        let keys: [GroupKey] = [.none, .text("王"), .number(10), .number(9), .text("A")]
        #expect(keys.sorted() == [.number(9), .number(10), .text("A"), .text("王"), .none])
    }
}

@Suite struct SummaryThreadsTests {
    /// The per-group statistics are spread over threads, each taking the
    /// next group: the answer, to the last printed digit, does not depend on
    /// how many threads there are.
    @Test func sameSummaryForAnyThreadCount() throws {
        var config = GeneratorConfig(lessons: 1500, seed: 21)
        config.teachers = 60
        let generator = ArchiveGenerator(config)
        var bytes: [UInt8] = []
        while !generator.isFinished { generator.fill(&bytes, bytes: 1 << 16) }
        var grouped = GroupedLessons(by: .teacher)
        let stream = LessonStream(threads: 2, deliverLessons: false) { KeyedRow($0, by: .teacher) }
        var source = MemorySource(bytes)
        try stream.process(&source, name: "g", prepared: { grouped.add($0) }, consume: { _ in })
        #expect(stream.counts.accepted == 1500)
        func json(_ threads: Int) -> String {
            var out = ""
            StatisticsFormat.summaryJSON(by: .teacher, accepted: 0, rejected: 0,
                                         groups: grouped.summaries(threads: threads)) { out += $0 }
            return out
        }
        let one = json(1)
        #expect(one.contains("\"groups\":[{"))
        for threads in [2, 3, 8] { #expect(json(threads) == one, "threads \(threads)") }
    }
}
