import LessonLensCore
import LessonLensStatistics

/// JSON and tables for `agree`, `reliability`, `st` and `profile`.
public enum ReliabilityFormat {
    // The JSON pieces are StatisticsFormat's: one style for every command.
    static func num(_ d: Double?) -> String { StatisticsFormat.num(d) }
    static func interval(_ i: Statistics.Interval?) -> String { StatisticsFormat.interval(i) }
    static func object(_ fields: [(String, String)]) -> String { StatisticsFormat.object(fields) }

    /// Landis & Koch (1977) words for kappa.
    public static func landisKoch(_ k: Double?) -> String {
        guard let k else { return "–" }
        switch k {
        case ..<0: return "poor 差"
        case ..<0.205: return "slight 轻微"
        case ..<0.405: return "fair 一般"
        case ..<0.605: return "moderate 中等"
        case ..<0.805: return "substantial 较强"
        default: return "almost perfect 几乎完全"
        }
    }

    /// Koo & Li (2016) words for an ICC.
    public static func kooLi(_ icc: Double?) -> String {
        guard let icc else { return "–" }
        switch icc {
        case ..<0.5: return "poor 差"
        case ..<0.75: return "moderate 中等"
        case ..<0.9: return "good 良好"
        default: return "excellent 优秀"
        }
    }

    static func kappaJSON(_ k: Reliability.Kappa) -> String {
        object([("value", num(k.value)), ("se", num(k.se)), ("ci95", interval(k.ci95))])
    }

    // MARK: agree

    /// `agree --format json`: visits, pairs, samples, agreement, kappa, per kind, per metric.
    public static func agreementJSON(_ a: ObserverAgreement) -> String {
        let byKind = object(a.byKind.map { ($0.kind.rawValue, object([("kappa", num($0.kappa.value))])) })
        let metrics = object(a.metrics.map {
            ($0.metric.rawValue, object([("n_visits", String($0.icc.groups)), ("n_logs", String($0.icc.values)),
                                         ("icc", num($0.icc.icc)), ("ci95", interval($0.icc.ci95))]))
        })
        return object([("visits", String(a.visits)), ("pairs", String(a.pairs)), ("samples", String(a.samples)),
                       ("agreement", num(a.agreement)), ("kappa", kappaJSON(a.kappa)),
                       ("by_kind", byKind), ("metrics", metrics)]) + "\n"
    }

    /// `agree`'s tables: the counts, kappa with Landis and Koch's words, per kind, per metric.
    public static func agreementTables(_ a: ObserverAgreement) -> String {
        var out = "visits 听课 \(a.visits) · pairs 配对 \(a.pairs) · samples 采样 \(a.samples) · agreement 一致率 \(a.agreement.map { Text.rounded($0) + "%" } ?? "–")\n"
        out += "kappa \(Text.rounded(a.kappa.value, digits: 2)) [\(Text.rounded(a.kappa.ci95?.low, digits: 2)), \(Text.rounded(a.kappa.ci95?.high, digits: 2))] (se \(Text.rounded(a.kappa.se, digits: 3))): \(landisKoch(a.kappa.value))\n\n"
        var kinds = TextTable(header: ["kind 类别", "kappa", "Landis-Koch"], rightAligned: [1])
        for (kind, k) in a.byKind { kinds.append([kind.rawValue, Text.rounded(k.value, digits: 2), landisKoch(k.value)]) }
        out += kinds.render() + "\n"
        var metrics = TextTable(header: ["metric 指标", "visits 听课", "logs 记录", "ICC", "95% CI 置信区间", "Koo-Li"], rightAligned: [1, 2, 3])
        for (metric, icc) in a.metrics {
            metrics.append([metric.rawValue, String(icc.groups), String(icc.values), Text.rounded(icc.icc, digits: 2),
                            icc.ci95.map { "[\(Text.rounded($0.low, digits: 2)), \(Text.rounded($0.high, digits: 2))]" } ?? "–",
                            kooLi(icc.icc)])
        }
        out += metrics.render()
        return out
    }

    // MARK: reliability

    static func targetKey(_ t: Double) -> String { Text.jsonNumber(t) }

    /// `reliability --format json`: per metric, the ICC and the visits needed for each target.
    public static func reliabilityJSON(_ r: VisitReliability) -> String {
        let metrics = object(r.metrics.map { row in
            (row.metric.rawValue, object([
                ("n_groups", String(row.icc.groups)), ("n_lessons", String(row.icc.values)),
                ("icc", num(row.icc.icc)), ("ci95", interval(row.icc.ci95)),
                ("stable", row.stable ? "true" : "false"),
                ("visits_needed", object(zip(r.targets, row.needed).map { (targetKey($0), $1.map(String.init) ?? "null") })),
            ]))
        })
        return object([("by", Text.jsonString(r.by.rawValue)), ("metrics", metrics)]) + "\n"
    }

    /// `reliability`'s table.
    public static func reliabilityTable(_ r: VisitReliability) -> String {
        var table = TextTable(header: ["metric 指标", "groups 组", "lessons 课", "ICC", "95% CI 置信区间", "Koo-Li"]
                                + r.targets.map { "visits for \(targetKey($0)) 所需听课" },
                              rightAligned: Set([1, 2, 3] + r.targets.indices.map { 6 + $0 }))
        for row in r.metrics {
            table.append([row.metric.rawValue, String(row.icc.groups), String(row.icc.values), Text.rounded(row.icc.icc, digits: 2),
                          row.icc.ci95.map { "[\(Text.rounded($0.low, digits: 2)), \(Text.rounded($0.high, digits: 2))]" } ?? "–",
                          kooLi(row.icc.icc)]
                          + (row.stable ? row.needed.map { $0.map(String.init) ?? "–" }
                                        : r.targets.indices.map { $0 == 0 ? "不稳定：逐节评价 / not stable: judge lesson by lesson" : "" }))
        }
        return table.render()
    }

    // MARK: st

    /// `st --format json`: one lesson's samples, Rt, Ch and type.
    public static func stJSON(id: String, _ s: STAnalysis) -> String {
        object([("id", Text.jsonString(id)), ("n", String(s.n)), ("n_t", String(s.nT)), ("n_s", String(s.nS)),
                ("n_d", String(s.nD)), ("n_unclassified", String(s.unclassified)),
                ("rt", num(s.rt)), ("ch", num(s.ch)), ("type", s.type.map { Text.jsonString($0.rawValue) } ?? "null")]) + "\n"
    }

    /// `st --format csv`'s header.
    public static let stCSVHeader = "id,n,n_t,n_s,n_d,n_unclassified,rt,ch,type\n"

    /// One lesson's `st` CSV row.
    public static func stCSV(id: String, _ s: STAnalysis) -> String {
        [Text.csvField(id), String(s.n), String(s.nT), String(s.nS), String(s.nD), String(s.unclassified),
         s.rt.map { num($0) } ?? "", s.ch.map { num($0) } ?? "", s.type?.rawValue ?? ""].joined(separator: ",") + "\n"
    }

    /// Per group: lessons, mean Rt and Ch with 95% CIs, and the count of each type.
    public struct STGroup: Sendable {
        /// The group's key.
        public var key: GroupKey
        /// Lessons in the group.
        public var lessons: Int
        /// Rt over the group's lessons.
        public var rt: Statistics.Description?
        /// Ch over the group's lessons.
        public var ch: Statistics.Description?
        /// Lessons of each type.
        public var types: [STAnalysis.LessonType: Int]

        /// The group `key` of `analyses`.
        public init(key: GroupKey, analyses: [STAnalysis]) {
            self.key = key
            lessons = analyses.count
            rt = Statistics.describe(analyses.compactMap(\.rt))
            ch = Statistics.describe(analyses.compactMap(\.ch))
            types = [:]
            for a in analyses { if let t = a.type { types[t, default: 0] += 1 } }
        }
    }

    /// `st --by ... --format json`.
    public static func stGroupsJSON(by: GroupBy, _ groups: [STGroup]) -> String {
        let rows = groups.map { g in
            object([("key", g.key.json), ("lessons", String(g.lessons)),
                    ("rt", object([("mean", num(g.rt?.mean)), ("ci95", interval(g.rt?.ci95))])),
                    ("ch", object([("mean", num(g.ch?.mean)), ("ci95", interval(g.ch?.ci95))])),
                    ("types", object(STAnalysis.LessonType.allCases.map { ($0.rawValue, String(g.types[$0] ?? 0)) }))])
        }
        return object([("by", Text.jsonString(by.rawValue)), ("groups", "[" + rows.joined(separator: ", ") + "]")]) + "\n"
    }

    /// `st`'s table, one lesson a row.
    public static func stTable(rows: [(String, STAnalysis)]) -> String {
        var table = TextTable(header: ["id", "N", "T", "S", "D", "unclassified 未归类", "Rt", "Ch", "type 类型"], rightAligned: [1, 2, 3, 4, 5, 6, 7])
        for (id, s) in rows {
            table.append([id, String(s.n), String(s.nT), String(s.nS), String(s.nD), String(s.unclassified),
                          Text.rounded(s.rt, digits: 2), Text.rounded(s.ch, digits: 2),
                          s.type.map { "\($0.rawValue) \($0.chinese)" } ?? "–"])
        }
        return table.render()
    }

    /// `st --by ...`'s table, one group a row.
    public static func stGroupsTable(by: GroupBy, _ groups: [STGroup]) -> String {
        var table = TextTable(header: [by.rawValue, "lessons 课", "Rt [95% CI]", "Ch [95% CI]"]
                                + STAnalysis.LessonType.allCases.map { "\($0.rawValue) \($0.chinese)" },
                              rightAligned: Set(1...7))
        func cell(_ d: Statistics.Description?) -> String {
            guard let d else { return "–" }
            return Text.rounded(d.mean, digits: 2) + (d.ci95.map { " [\(Text.rounded($0.low, digits: 2)), \(Text.rounded($0.high, digits: 2))]" } ?? "")
        }
        for g in groups {
            table.append([g.key.description, String(g.lessons), cell(g.rt), cell(g.ch)]
                         + STAnalysis.LessonType.allCases.map { String(g.types[$0] ?? 0) })
        }
        return table.render()
    }

    // MARK: profile

    /// `profile --format json`: one lesson's share of intervals per kind.
    public static func profileJSON(id: String, _ p: ActivityProfile) -> String {
        object([("id", Text.jsonString(id)), ("intervals", String(p.intervals)),
                ("share", object(SegmentKind.allCases.map { ($0.rawValue, num(p.share[$0] ?? 0)) }))]) + "\n"
    }

    /// `profile --format csv`'s header: id, intervals, one column per kind.
    public static var profileCSVHeader: String {
        "id,intervals," + SegmentKind.allCases.map(\.rawValue).joined(separator: ",") + "\n"
    }

    /// One lesson's `profile` CSV row.
    public static func profileCSV(id: String, _ p: ActivityProfile) -> String {
        ([Text.csvField(id), String(p.intervals)] + SegmentKind.allCases.map { num(p.share[$0] ?? 0) }).joined(separator: ",") + "\n"
    }

    /// Mean shares per group.
    public static func profileGroupsJSON(by: GroupBy, _ groups: [(GroupKey, [ActivityProfile])]) -> String {
        let rows = groups.map { key, profiles in
            object([("key", key.json), ("lessons", String(profiles.count)),
                    ("share", object(SegmentKind.allCases.map { kind in
                        (kind.rawValue, num(profiles.isEmpty ? nil : profiles.map { $0.share[kind] ?? 0 }.reduce(0, +) / Double(profiles.count)))
                    }))])
        }
        return object([("by", Text.jsonString(by.rawValue)), ("groups", "[" + rows.joined(separator: ", ") + "]")]) + "\n"
    }

    /// `profile`'s table: a row per lesson or group, a column per kind.
    public static func profileTable(rows: [(String, Int, [SegmentKind: Double])]) -> String {
        var table = TextTable(header: ["id / group 组", "n"] + SegmentKind.allCases.map(\.rawValue), rightAligned: Set(1...10))
        for (name, n, share) in rows {
            table.append([name, String(n)] + SegmentKind.allCases.map { Text.rounded((share[$0] ?? 0) * 100, digits: 0) + "%" })
        }
        return table.render()
    }
}
