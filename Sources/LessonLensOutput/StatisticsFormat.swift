import LessonLensCore
import LessonLensStatistics

/// JSON, CSV and table renderings of the analyses. JSON numbers are full
/// precision; tables round for people.
public enum StatisticsFormat {
    static func num(_ d: Double?) -> String { Text.jsonNumber(d) }

    static func interval(_ i: Statistics.Interval?) -> String {
        guard let i, i.low.isFinite, i.high.isFinite else { return "null" }
        return "[\(num(i.low)),\(num(i.high))]"
    }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    static func csvNumber(_ d: Double?) -> String { d == nil ? "" : num(d) }

    /// Percent for tables: "42%".
    static func percent(_ d: Double?) -> String {
        guard let d else { return "–" }
        return Text.rounded(d * 100, digits: 0) + "%"
    }

    /// The metrics a summary table shows (JSON and CSV have all of them).
    public static let keyMetrics: [Metric] = [
        .reading_min, .writing_min, .homework_min, .independent_performers, .bottom_reached, .homework_completion, .overrun_min,
    ]

    // MARK: Summary

    static func descriptionJSON(_ d: Statistics.Description?) -> String {
        guard let d else {
            return object([("n", "0"), ("mean", "null"), ("sd", "null"), ("median", "null"), ("p10", "null"),
                           ("p90", "null"), ("min", "null"), ("max", "null"), ("ci95", "null")])
        }
        var fields = [("n", String(d.n)), ("mean", num(d.mean)), ("sd", num(d.sd)), ("median", num(d.median)),
                      ("p10", num(d.p10)), ("p90", num(d.p90)), ("min", num(d.min)), ("max", num(d.max)),
                      ("ci95", interval(d.ci95))]
        // The t interval was cut to the metric's possible range (docs: README, summary).
        if d.ci95Clipped { fields.append(("ci95_clipped", "true")) }
        return object(fields)
    }

    static func rateJSON(_ r: StandardRate) -> String {
        var fields = [("judged", String(r.judged)), ("met", String(r.met)), ("rate", num(r.rate)), ("ci95", interval(r.ci95))]
        // The policy says the standard does not apply to any of the group's lessons.
        if !r.applies { fields.append(("applies", "false")) }
        return object(fields)
    }

    /// The summary as JSON, handed out in pieces (one per group), so that a
    /// large answer is never one string in memory.
    public static func summaryJSON(by: GroupBy, accepted: Int, rejected: Int, groups: [GroupSummary],
                                   write: (String) -> Void) {
        write("{\"by\":\"\(by.rawValue)\",\"accepted\":\(accepted),\"rejected\":\(rejected),\"groups\":[")
        for (k, g) in groups.enumerated() {
            var fields: [(String, String)] = [("key", g.key.json), ("lessons", String(g.lessons)), ("logs", String(g.logs))]
            fields.append(("few_visits", g.fewVisits ? "true" : "false"))
            fields.append(("few_visits_metrics", "[" + g.fewVisitsMetrics.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"))
            fields.append(("visits_needed", String(g.visitsNeeded)))
            fields.append(("metrics", object(g.metrics.map { ($0.0.rawValue, descriptionJSON($0.1)) })))
            fields.append(("standards", object(g.standards.map { ($0.0.rawValue, rateJSON($0.1)) })))
            write((k > 0 ? "," : "") + object(fields))
        }
        write("]}\n")
    }

    /// Long ("tidy") CSV: one row per group and metric or standard.
    public static func summaryCSV(by: GroupBy, groups: [GroupSummary]) -> String {
        var out = "\(by.rawValue),lessons,logs,few_visits,kind,name,few_visits_metric,n,mean,sd,median,p10,p90,min,max,judged,met,rate,ci95_low,ci95_high\n"
        for g in groups {
            let head = "\(Text.csvField(g.key.description)),\(g.lessons),\(g.logs),\(g.fewVisits)"
            for (m, d) in g.metrics {
                out += "\(head),metric,\(m.rawValue),\(g.fewVisitsMetrics.contains(m)),\(d?.n ?? 0),\(csvNumber(d?.mean)),\(csvNumber(d?.sd)),\(csvNumber(d?.median)),"
                out += "\(csvNumber(d?.p10)),\(csvNumber(d?.p90)),\(csvNumber(d?.min)),\(csvNumber(d?.max)),,,,"
                out += "\(csvNumber(d?.ci95?.low)),\(csvNumber(d?.ci95?.high))\n"
            }
            for (s, r) in g.standards {
                out += "\(head),standard,\(s.rawValue),,,,,,,,,,\(r.judged),\(r.met),\(csvNumber(r.rate)),"
                out += "\(csvNumber(r.ci95?.low)),\(csvNumber(r.ci95?.high))\n"
            }
        }
        return out
    }

    /// `summary`'s table in `messages`' language.
    public static func summaryTable(by: GroupBy, groups: [GroupSummary], messages: Messages = Messages(.en)) -> TextTable {
        var table = TextTable(header: [messages.groupBy(by), messages(.lessons)] + keyMetrics.map(messages.metric)
                                + Standard.allCases.map(messages.standard), rightAligned: Set(1..<(2 + keyMetrics.count + Standard.allCases.count)))
        for g in groups {
            let count = g.logs == g.lessons ? String(g.lessons) : messages.visitsAndLogs(g.lessons, g.logs)
            var row = [g.key.description, count]
            // ⚠ on the cells whose metric needs more visits than the group has.
            for m in keyMetrics {
                let d = g.metrics.first { $0.0 == m }?.1
                row.append(meanCell(d, m) + (g.fewVisitsMetrics.contains(m) ? " ⚠" : ""))
            }
            for (s, r) in g.standards {
                let short = s.metrics.contains { !keyMetrics.contains($0) && g.fewVisitsMetrics.contains($0) }
                let cell = !r.applies ? (messages.language == .zh ? "不适用" : "n/a") : r.rate == nil ? "–" : "\(percent(r.rate)) (\(r.met)/\(r.judged))"
                row.append(cell + (short ? " ⚠" : ""))
            }
            table.append(row)
        }
        return table
    }

    static func meanCell(_ d: Statistics.Description?, _ m: Metric) -> String {
        guard let d else { return "–" }
        let ratio = m == .bottom_reached || m == .homework_completion
        let f: (Double) -> String = ratio ? { percent($0) } : { Text.rounded($0) }
        guard let ci = d.ci95 else { return f(d.mean) }
        return "\(f(d.mean)) [\(f(ci.low)), \(f(ci.high))]"
    }

    // MARK: Trend

    /// `trend --format json`.
    public static func trendJSON(by: GroupBy, groups: [GroupTrend]) -> String {
        let groupTexts = groups.map { g -> String in
            let metrics = g.metrics.map { (m, t) -> (String, String) in
                (m.rawValue, object([("n", String(t.n)), ("slope_per_30d", num(t.slopePer30Days)), ("se", num(t.sePer30Days)),
                                     ("t", num(t.fit?.t)), ("p", num(t.fit?.p)), ("r2", num(t.fit?.r2)),
                                     ("intercept", num(t.fit?.intercept))]))
            }
            var fields = [("key", g.key.json), ("lessons", String(g.lessons)), ("logs", String(g.logs))]
            // Few lessons, strong-looking slopes: flagged as summary flags them.
            if g.lessons < fewVisitsThreshold { fields.append(("few_visits", "true")) }
            fields += [("first_date", "\"\(g.firstDate)\""), ("last_date", "\"\(g.lastDate)\""), ("metrics", object(metrics))]
            return object(fields)
        }
        return object([("by", "\"\(by.rawValue)\""), ("groups", "[" + groupTexts.joined(separator: ",") + "]")]) + "\n"
    }

    /// `trend --format csv`, one row per group and metric.
    public static func trendCSV(by: GroupBy, groups: [GroupTrend]) -> String {
        var out = "\(by.rawValue),lessons,first_date,last_date,metric,n,slope_per_30d,se,t,p,r2,intercept\n"
        for g in groups {
            for (m, t) in g.metrics {
                out += "\(Text.csvField(g.key.description)),\(g.lessons),\(g.firstDate),\(g.lastDate),\(m.rawValue),\(t.n),"
                out += "\(csvNumber(t.slopePer30Days)),\(csvNumber(t.sePer30Days)),\(csvNumber(t.fit?.t)),\(csvNumber(t.fit?.p)),"
                out += "\(csvNumber(t.fit?.r2)),\(csvNumber(t.fit?.intercept))\n"
            }
        }
        return out
    }

    /// `trend`'s table in `messages`' language.
    public static func trendTable(by: GroupBy, groups: [GroupTrend], messages: Messages = Messages(.en)) -> TextTable {
        var table = TextTable(header: [messages.groupBy(by), messages(.lessons), messages(.from), messages(.to)] + keyMetrics.map(messages.metric),
                              rightAligned: Set(1..<(4 + keyMetrics.count)))
        for g in groups {
            let count = g.logs == g.lessons ? String(g.lessons) : messages.visitsAndLogs(g.lessons, g.logs)
            var row = [g.key.description, count + (g.lessons < fewVisitsThreshold ? " ⚠" : ""), g.firstDate.description, g.lastDate.description]
            for m in keyMetrics {
                guard let t = g.metrics.first(where: { $0.0 == m })?.1, let slope = t.slopePer30Days else { row.append("–"); continue }
                let scaled = m == .bottom_reached || m == .homework_completion ? slope * 100 : slope
                let sign = scaled > 0 ? "+" : ""
                row.append("\(sign)\(Text.rounded(scaled, digits: 2))\(m == .bottom_reached || m == .homework_completion ? " pts" : "") (\(Text.pValue(t.fit?.p)))")
            }
            table.append(row)
        }
        return table
    }

    // MARK: Compare

    /// `compare --format json`.
    public static func compareJSON(_ c: Comparison) -> String {
        let metrics = c.metrics.map { mc -> (String, String) in
            if let p = mc.paired {
                return (mc.metric.rawValue, object([("n_pairs", String(p.nPairs)), ("mean_diff", num(p.meanDiff)), ("sd_diff", num(p.sdDiff)),
                                                    ("t", num(p.t)), ("df", num(p.df)), ("p", num(p.p)), ("ci95", interval(p.ci95)),
                                                    ("dz", num(p.dz)), ("few_pairs", p.fewPairs ? "true" : "false")]))
            }
            let w = mc.welch!
            return (mc.metric.rawValue, object([("n_a", String(w.nA)), ("n_b", String(w.nB)), ("mean_a", num(w.meanA)),
                                                ("mean_b", num(w.meanB)), ("diff", num(w.diff)), ("t", num(w.t)), ("df", num(w.df)),
                                                ("p", num(w.p)), ("ci95", interval(w.ci95)), ("hedges_g", num(w.hedgesG)),
                                                ("few_lessons", w.fewLessons ? "true" : "false")]))
        }
        let standards = c.standards.map { sc in
            (sc.standard.rawValue, object([("rate_a", num(sc.a.rate)), ("ci95_a", interval(sc.a.ci95)),
                                           ("rate_b", num(sc.b.rate)), ("ci95_b", interval(sc.b.ci95)),
                                           ("judged_a", String(sc.a.judged)), ("judged_b", String(sc.b.judged))]))
        }
        var few: [(String, String)] = []
        if c.pairedBy != nil {
            few.append(("few_pairs", c.metrics.contains { $0.paired?.fewPairs ?? false } ? "true" : "false"))
        } else {
            few.append(("few_lessons", c.lessonsA < 5 || c.lessonsB < 5 ? "true" : "false"))
        }
        return object([("a", Text.jsonString(c.a)), ("b", Text.jsonString(c.b)),
                       ("paired_by", c.pairedBy.map { "\"\($0.rawValue)\"" } ?? "null"),
                       ("lessons_a", String(c.lessonsA)), ("lessons_b", String(c.lessonsB)),
                       ("logs_a", String(c.logsA)), ("logs_b", String(c.logsB))] + few + [
                       ("metrics", object(metrics)), ("standards", object(standards))]) + "\n"
    }

    /// `compare --format csv`, one row per metric.
    public static func compareCSV(_ c: Comparison) -> String {
        if c.pairedBy != nil {
            var out = "metric,n_pairs,mean_diff,sd_diff,t,df,p,ci95_low,ci95_high,dz\n"
            for mc in c.metrics {
                let p = mc.paired!
                out += "\(mc.metric.rawValue),\(p.nPairs),\(csvNumber(p.meanDiff)),\(csvNumber(p.sdDiff)),\(csvNumber(p.t)),"
                out += "\(csvNumber(p.df)),\(csvNumber(p.p)),\(csvNumber(p.ci95?.low)),\(csvNumber(p.ci95?.high)),\(csvNumber(p.dz))\n"
            }
            return out
        }
        var out = "metric,n_a,n_b,mean_a,mean_b,diff,t,df,p,ci95_low,ci95_high,hedges_g\n"
        for mc in c.metrics {
            let w = mc.welch!
            out += "\(mc.metric.rawValue),\(w.nA),\(w.nB),\(csvNumber(w.meanA)),\(csvNumber(w.meanB)),\(csvNumber(w.diff)),"
            out += "\(csvNumber(w.t)),\(csvNumber(w.df)),\(csvNumber(w.p)),\(csvNumber(w.ci95?.low)),\(csvNumber(w.ci95?.high)),"
            out += "\(csvNumber(w.hedgesG))\n"
        }
        return out
    }

    /// `compare`'s two tables (metrics, standards) in `messages`' language.
    public static func compareTables(_ c: Comparison, messages m: Messages = Messages(.en)) -> (metrics: TextTable, standards: TextTable) {
        var metrics: TextTable
        if c.pairedBy != nil {
            metrics = TextTable(header: [m(.metric), m(.pairs), m(.meanDiff), m(.ci95), "p", "dz"], rightAligned: [1, 2, 3, 4, 5])
            for mc in c.metrics {
                let p = mc.paired!
                metrics.append([mc.metric.rawValue, String(p.nPairs) + (p.fewPairs ? " ⚠" : ""), Text.rounded(p.meanDiff, digits: 2),
                                p.ci95.map { "[\(Text.rounded($0.low, digits: 2)), \(Text.rounded($0.high, digits: 2))]" } ?? "–",
                                Text.pValue(p.p), Text.rounded(p.dz, digits: 2)])
            }
        } else {
            metrics = TextTable(header: [m(.metric), m(.nA), m(.nB), m(.meanA), m(.meanB), m(.diff), m(.ci95), "p", "g"],
                                rightAligned: [1, 2, 3, 4, 5, 6, 7, 8])
            for mc in c.metrics {
                let w = mc.welch!
                metrics.append([mc.metric.rawValue, String(w.nA) + (w.nA < 5 ? " ⚠" : ""), String(w.nB) + (w.nB < 5 ? " ⚠" : ""),
                                Text.rounded(w.meanA, digits: 2), Text.rounded(w.meanB, digits: 2), Text.rounded(w.diff, digits: 2),
                                w.ci95.map { "[\(Text.rounded($0.low, digits: 2)), \(Text.rounded($0.high, digits: 2))]" } ?? "–",
                                Text.pValue(w.p), Text.rounded(w.hedgesG, digits: 2)])
            }
        }
        var standards = TextTable(header: [m(.standard), m(.aMet), m(.aCI), m(.bMet), m(.bCI)], rightAligned: [1, 2, 3, 4])
        for sc in c.standards {
            standards.append([sc.standard.rawValue,
                              sc.a.rate == nil ? "–" : "\(percent(sc.a.rate)) (\(sc.a.met)/\(sc.a.judged))", percentInterval(sc.a.ci95),
                              sc.b.rate == nil ? "–" : "\(percent(sc.b.rate)) (\(sc.b.met)/\(sc.b.judged))", percentInterval(sc.b.ci95)])
        }
        return (metrics, standards)
    }

    static func percentInterval(_ i: Statistics.Interval?) -> String {
        guard let i else { return "–" }
        return "[\(percent(i.low)), \(percent(i.high))]"
    }

    // MARK: Correlate

    /// `correlate --format json`, pairs from fewer than 4 lessons marked `few_lessons`.
    public static func correlateJSON(method: Statistics.CorrelationMethod, pairs: [MetricPairCorrelation]) -> String {
        let items = pairs.map { pair -> String in
            var fields = [("x", "\"\(pair.x.rawValue)\""), ("y", "\"\(pair.y.rawValue)\""), ("n", String(pair.correlation.n)),
                          ("r", num(pair.correlation.r)), ("p", num(pair.correlation.p))]
            if pair.correlation.n < fewVisitsThreshold { fields.append(("few_lessons", "true")) }
            return object(fields)
        }
        return object([("method", "\"\(method.rawValue)\""), ("pairs", "[" + items.joined(separator: ",") + "]")]) + "\n"
    }

    /// `correlate --format csv`.
    public static func correlateCSV(pairs: [MetricPairCorrelation]) -> String {
        "x,y,n,r,p\n" + pairs.map {
            "\($0.x.rawValue),\($0.y.rawValue),\($0.correlation.n),\(csvNumber($0.correlation.r)),\(csvNumber($0.correlation.p))\n"
        }.joined()
    }

    /// The matrix of r (lower triangle), metrics numbered to keep it narrow.
    public static func correlateTable(pairs: [MetricPairCorrelation], messages: Messages = Messages(.en)) -> TextTable {
        let all = Metric.allCases
        var r: [Metric: [Metric: Double?]] = [:]
        var counts: [Metric: [Metric: Int]] = [:]
        for p in pairs {
            r[p.x, default: [:]][p.y] = p.correlation.r; r[p.y, default: [:]][p.x] = p.correlation.r
            counts[p.x, default: [:]][p.y] = p.correlation.n; counts[p.y, default: [:]][p.x] = p.correlation.n
        }
        var table = TextTable(header: [messages(.metric)] + all.indices.map { String($0 + 1) }, rightAligned: Set(1...all.count))
        for (i, m) in all.enumerated() {
            var row = ["\(i + 1) \(m.rawValue)"]
            for (j, other) in all.enumerated() {
                if j == i { row.append("1") } else if j > i { row.append("") } else {
                    let v = r[m]?[other] ?? nil
                    let n = counts[m]?[other] ?? 0
                    // n beside r: r = 1.00 from 3 lessons says little (⚠ below 4).
                    row.append(v.map { Text.rounded($0, digits: 2) + " (n \(n))" + (n < fewVisitsThreshold ? "⚠" : "") } ?? "–")
                }
            }
            table.append(row)
        }
        return table
    }
}
