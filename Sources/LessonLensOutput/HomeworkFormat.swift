import LessonLensCore
import LessonLensStatistics

/// `lessonlens homework` as JSON, CSV and text tables (docs/homework-log-v1.md
/// has the shapes).
public enum HomeworkFormat {
    /// `{"by", "accepted", "rejected", "groups": [...]}`, the documented shape.
    public static func json(by: HomeworkGroupBy, accepted: Int, rejected: Int, groups: [HomeworkLedger.Group]) -> String {
        let items = groups.map { g -> String in
            let d = g.dailyWrittenHomeMin
            var s = "{\"key\":\(g.key.json),\"assignments\":\(g.assignments),\"days\":\(g.days),"
            s += "\"daily_written_home_min\":{\"n\":\(d.n),\"mean\":\(n(d.mean)),\"median\":\(n(d.median)),\"p90\":\(n(d.p90)),\"max\":\(n(d.max))},"
            s += "\"days_over_limit\":\(share(g.daysOverLimit)),"
            let r = g.estimateRatio
            s += "\"estimate_ratio\":{\"n\":\(r.n),\"geo_mean\":\(n(r.geoMean)),\"ci95\":\(interval(r.ci95))},"
            s += "\"graded_on_time\":\(share(g.gradedOnTime)),"
            if let w = g.inClassPerWeek {
                s += "\"in_class_per_week\":{\"weeks\":\(w.weeks),\"mean\":\(n(w.mean)),\"below_target\":\(w.belowTarget)}}"
            } else {
                s += "\"in_class_per_week\":null}"
            }
            return s
        }
        return "{\"by\":\"\(by.rawValue)\",\"accepted\":\(accepted),\"rejected\":\(rejected),\"groups\":[" + items.joined(separator: ",") + "]}\n"
    }

    /// One JSON line per over-limit class-day.
    public static func violationJSON(_ v: HomeworkLedger.Violation) -> String {
        let ids = v.day.writtenHomeIDs.map(Text.jsonString).joined(separator: ",")
        return "{\"class\":\(Text.jsonString(v.day.className)),\"date\":\"\(v.day.date)\",\"grade\":\(v.day.grade),"
            + "\"limit_min\":\(n(v.limitMin)),\"written_home_min\":\(n(v.day.writtenHomeMin)),\"assignments\":[\(ids)]}\n"
    }

    /// The CSV columns of the groups.
    public static let csvHeader = "key,assignments,days,daily_n,daily_mean,daily_median,daily_p90,daily_max,"
        + "over_judged,over_met,over_rate,over_ci_low,over_ci_high,ratio_n,ratio_geo_mean,ratio_ci_low,ratio_ci_high,"
        + "graded_judged,graded_met,graded_rate,graded_ci_low,graded_ci_high,in_class_weeks,in_class_mean,in_class_below_target\n"

    /// One CSV row per group, the columns of `csvHeader`.
    public static func csvRow(_ g: HomeworkLedger.Group) -> String {
        let d = g.dailyWrittenHomeMin, o = g.daysOverLimit, r = g.estimateRatio, m = g.gradedOnTime
        // A group without the field (no school) is an empty cell, as null is.
        var cells = [g.key == .none ? "" : Text.csvField(g.key.description), "\(g.assignments)", "\(g.days)",
                     "\(d.n)", c(d.mean), c(d.median), c(d.p90), c(d.max),
                     "\(o.judged)", "\(o.met)", c(o.rate), c(o.ci95?.low), c(o.ci95?.high),
                     "\(r.n)", c(r.geoMean), c(r.ci95?.low), c(r.ci95?.high),
                     "\(m.judged)", "\(m.met)", c(m.rate), c(m.ci95?.low), c(m.ci95?.high)]
        if let w = g.inClassPerWeek { cells += ["\(w.weeks)", c(w.mean), "\(w.belowTarget)"] } else { cells += ["", "", ""] }
        return cells.joined(separator: ",") + "\n"
    }

    /// The violations' CSV header.
    public static let violationCSVHeader = "class,date,grade,limit_min,written_home_min,assignments\n"

    /// One violation as CSV (ids joined by spaces).
    public static func violationCSV(_ v: HomeworkLedger.Violation) -> String {
        [Text.csvField(v.day.className), "\(v.day.date)", "\(v.day.grade)", c(v.limitMin), c(v.day.writtenHomeMin),
         Text.csvField(v.day.writtenHomeIDs.joined(separator: " "))].joined(separator: ",") + "\n"
    }

    /// The groups as a table, with a sentence per group on estimates.
    public static func table(by: HomeworkGroupBy, groups: [HomeworkLedger.Group], language: ReportLanguage) -> String {
        let zh = language == .zh
        func t(_ en: String, _ cn: String) -> String { zh ? cn : en }
        var table = TextTable(header: [byHeader(by, language), t("assignments", "作业项"), t("days", "班级日"),
                                       t("mean min/day", "日均分钟"), t("median", "中位数"), t("p90", "p90"), t("max", "最多"),
                                       t("days over limit", "超限天数"), t("students/estimate", "学生用时/预估"),
                                       t("marked on time", "按时批改"), t("in-class/week", "每周当堂")],
                              rightAligned: Set(1...10))
        for g in groups {
            let d = g.dailyWrittenHomeMin, o = g.daysOverLimit, r = g.estimateRatio, m = g.gradedOnTime
            let over = o.judged > 0 ? "\(o.met)/\(o.judged) (\(percent(o.rate)))" : "—"
            let ratio = r.geoMean.map { Text.rounded($0, digits: 2) + "×" } ?? "—"
            let marked = m.judged > 0 ? "\(m.met)/\(m.judged) (\(percent(m.rate)))" : "—"
            var perWeek = "—"
            if let w = g.inClassPerWeek, let mean = w.mean {
                perWeek = Text.rounded(mean) + (w.belowTarget > 0 ? " ⚠ " + t("\(w.belowTarget) below", "\(w.belowTarget) 周不足") : "")
            }
            table.append([g.key.description, "\(g.assignments)", "\(g.days)", Text.rounded(d.mean), Text.rounded(d.median),
                          Text.rounded(d.p90), Text.rounded(d.max), over, ratio, marked, perWeek])
        }
        var out = table.render()
        let sentences = groups.compactMap { g -> String? in
            guard let ratio = g.estimateRatio.geoMean, g.estimateRatio.n >= 2 else { return nil }
            let ci = g.estimateRatio.ci95.map { " (95% CI \(Text.rounded($0.low, digits: 2))–\(Text.rounded($0.high, digits: 2)))" } ?? ""
            return zh ? "\(g.key.description)：学生实际用时是预估的 \(Text.rounded(ratio, digits: 2)) 倍\(ci)，依据 \(g.estimateRatio.n) 项作业。"
                      : "\(g.key.description): students need \(Text.rounded(ratio, digits: 2))× the estimate\(ci), from \(g.estimateRatio.n) assignments."
        }
        if !sentences.isEmpty { out += "\n" + sentences.joined(separator: "\n") + "\n" }
        return out
    }

    /// The violations as a table.
    public static func violationTable(_ violations: [HomeworkLedger.Violation], language: ReportLanguage) -> String {
        let zh = language == .zh
        var table = TextTable(header: zh ? ["班级", "日期", "年级", "限额(分)", "书面家庭作业(分)", "作业"]
                                         : ["class", "date", "grade", "limit min", "written home min", "assignments"],
                              rightAligned: [2, 3, 4])
        for v in violations {
            table.append([v.day.className, "\(v.day.date)", "\(v.day.grade)", c(v.limitMin), c(v.day.writtenHomeMin),
                          v.day.writtenHomeIDs.joined(separator: " ")])
        }
        return table.render()
    }

    static func byHeader(_ by: HomeworkGroupBy, _ language: ReportLanguage) -> String {
        guard language == .zh else { return by.rawValue }
        switch by {
        case .class: return "班级"
        case .grade: return "年级"
        case .school: return "学校"
        case .week: return "周"
        case .month: return "月"
        case .all: return "全部"
        case .teacher: return "教师"
        case .subject: return "学科"
        }
    }

    private static func percent(_ d: Double?) -> String { d.map { Text.rounded($0 * 100, digits: 0) + "%" } ?? "—" }
    private static func n(_ d: Double?) -> String { Text.jsonNumber(d) }
    /// A CSV cell: empty for null (and for what JSON writes as null).
    private static func c(_ d: Double?) -> String {
        guard let d, d.isFinite else { return "" }
        return Text.jsonNumber(d)
    }

    private static func share(_ s: HomeworkLedger.Share) -> String {
        "{\"judged\":\(s.judged),\"met\":\(s.met),\"rate\":\(n(s.rate)),\"ci95\":\(interval(s.ci95))}"
    }

    private static func interval(_ i: Statistics.Interval?) -> String {
        guard let i else { return "null" }
        return "[\(n(i.low)),\(n(i.high))]"
    }
}
