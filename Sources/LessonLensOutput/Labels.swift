import LessonLensCore
import LessonLensStatistics

/// The language of a report's labels and of the command line's messages.
public enum ReportLanguage: String, CaseIterable, Sendable {
    /// English.
    case en
    /// Chinese (simplified), with the school's own words for the standards.
    case zh

    /// From a locale like `zh_CN.UTF-8`; English otherwise.
    public static func fromLocale(_ value: String?) -> ReportLanguage {
        (value ?? "").lowercased().hasPrefix("zh") ? .zh : .en
    }
}

/// Every word a report shows, in English and Chinese. Outside this package
/// a program makes one and hands it to `ReportBuilder`; the words themselves
/// are the pages' business (`package`).
public struct Labels: Sendable {
    /// The language of every word.
    public let language: ReportLanguage
    /// The thresholds the labels of the standards name (a school's policy).
    public let policy: Policy

    /// The words of `language`, the standards' labels naming `policy`'s numbers.
    public init(_ language: ReportLanguage, policy: Policy = .default) {
        self.language = language
        self.policy = policy
    }

    private func n(_ d: Double) -> String { formatMinutes(d) }

    private func t(_ en: String, _ zh: String) -> String { language == .zh ? zh : en }

    package var lessonTitle: String { t("Lesson", "课堂观察") }
    package var teacherTitle: String { t("Teacher", "教师") }
    package var overviewTitle: String { t("Overview of observed lessons", "听课总览") }
    package var timeline: String { t("Timeline", "课堂时间线") }
    package var minutes: String { t("minutes", "分钟") }
    package var scheduledEnd: String { t("scheduled end", "下课时间") }
    package var secondHalf: String { t("second half", "后半节") }
    package var performances: String { t("Performances", "学生展示") }
    package var standards: String { t("Standards", "达标情况") }
    package var allMetrics: String { t("Every metric", "全部指标") }
    package var met: String { t("met", "达标") }
    package var notMet: String { t("not met", "未达标") }
    package var cannotTell: String { t("cannot tell", "无法判断") }
    package var targets: String { t("Against the targets", "对照目标") }
    package var visits: String { t("Visits", "听课次数") }
    /// Over the per-visit timelines of a teacher.
    package var visitList: String { t("Visit by visit", "历次听课") }
    package var prompted: String { t("prompted", "提示下展示") }
    package var hollowIsPrompted: String { t("hollow: prompted", "空心：提示下展示") }
    package var ciWilson: String { t("95% CI (Wilson)", "95%置信区间（Wilson法）") }
    package var mean: String { t("mean", "平均") }
    package var latest: String { t("latest visit", "最近一次") }
    package var sparklineLegend: String {
        t("Small lines: one point per visit, the dot the latest; the number is the mean.",
          "小折线：每次听课一个点，圆点为最近一次；数字为平均值。")
    }
    package var giniExplained: String {
        t("Participation Gini: 0 when every student on the roster performed equally often; the nearer 1, the more the performances went to a few students.",
          "参与基尼系数：名单上每位学生展示次数相同时为0；越接近1，展示越集中在少数学生身上。")
    }

    /// The grade as the reader says it.
    package func grade(_ g: Int) -> String { t("grade \(g)", "\(g)年级") }

    /// A subject's name in the reader's language (others as written).
    package func subject(_ s: String) -> String {
        // The alias table's first name is the Chinese one (语文, 数学, ...);
        // in English a known subject is its canonical name, capitalised.
        let canonical = Subjects.canonical(s)
        guard let entry = Subjects.aliases.first(where: { $0.canonical == canonical }) else { return s }
        if language == .zh { return entry.names.first ?? s }
        return canonical.count <= 2 ? canonical.uppercased() : canonical.prefix(1).uppercased() + canonical.dropFirst()
    }

    /// A tag in the reader's language (the ones LessonLens knows; others as written).
    package func tag(_ tag: String) -> String {
        guard language == .zh else { return tag }
        switch tag {
        case "new-teacher": return "新教师"
        case "pre-coaching": return "指导前"
        case "post-coaching": return "指导后"
        case "open-lesson": return "公开课"
        default: return tag
        }
    }

    /// Which part of four 3s fell short: "read 2 of 3" or "读2遍（少于3遍）".
    package func fourThreesShortfall(_ m: LessonMetrics) -> String? {
        var parts: [String] = []
        if let r = m.read_passes.map(countText), m.read_passes! < Double(policy.readPasses) { parts.append(t("read \(r) of \(policy.readPasses)", "读\(r)遍，少于\(policy.readPasses)遍")) }
        if let c = m.copy_passes.map(countText), m.copy_passes! < Double(policy.copyPasses) { parts.append(t("copied \(c) of \(policy.copyPasses)", "抄\(c)遍，少于\(policy.copyPasses)遍")) }
        return parts.isEmpty ? nil : parts.joined(separator: t("; ", "；"))
    }
    /// A count as people write it: 3, or 2.5 for a visit's mean over observers.
    package func countText(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
    package var visitsShort: String { t("visits", "次") }
    /// "visits" / "次听课": a count of visits standing alone.
    package var visitsLong: String { t("visits", "次听课") }
    /// What ⚠ means beside a value in the overview.
    package var fewVisitsLegend: String {
        t("⚠ beside a value: fewer visits than that metric needs for reliability 0.7 in this archive; the other values can be judged",
          "数值旁的⚠：听课次数少于该指标在本档案中信度达0.7所需，其余数值可以评价")
    }
    /// The flag of a teacher with `have` visits where `metrics` need `needed`.
    package func fewVisits(have: Int, needed: Int, metrics: [Metric]) -> String {
        let names = metrics.map { metric($0) }.joined(separator: t(", ", "、"))
        return t("\(have) visit\(have == 1 ? "" : "s"); \(names) need \(needed) for reliability 0.7: judge those by more visits",
                 "已听\(have)次；\(names)需听\(needed)次才能可靠评价（信度0.7）")
    }
    /// "80 logs" / "80 份记录": the observers' logs behind the visits.
    package func logsCount(_ n: Int) -> String { t("\(n) logs", "\(n) 份记录") }
    package var trends: String { t("Over the semester", "学期趋势") }
    package var trendNote: String { t("least-squares line with its 95% band", "最小二乘趋势线及95%置信带") }
    package var preCoaching: String { t("before coaching", "指导前") }
    package var postCoaching: String { t("after coaching", "指导后") }
    package var coaching: String { t("coaching", "指导") }
    package var rates: String { t("Standards met: this teacher and the whole archive", "达标率：本教师与全部课堂") }
    package var thisTeacher: String { t("this teacher", "本教师") }
    package var archive: String { t("all lessons", "全部课堂") }
    package var participation: String { t("Who performs: share of performances by tier", "学生展示的分层占比") }
    package var summary: String { t("In short", "概要") }
    package var teacherColumn: String { t("Teacher", "教师") }
    package var teachersCount: String { t("teachers", "位教师") }
    package var sortHint: String { t("Click a column header to sort.", "点击列标题排序。") }
    package var secondHalfActive: String { t("of student activity", "学生活动") }
    package var completion: String { t("Homework completed (%)", "作业完成率（%）") }
    package var date: String { t("Date", "日期") }
    package var generatedBy: String { t("Made by LessonLens from drop-in observation logs.", "由 LessonLens 根据推门听课记录生成。") }

    package func tier(_ tier: Tier?) -> String {
        switch tier {
        case .top: return t("top third", "前三分之一")
        case .middle: return t("middle third", "中间三分之一")
        case .bottom: return t("bottom third", "后三分之一")
        case nil: return t("no tier", "未分层")
        }
    }

    package func lane(_ lane: TimelineLane) -> String {
        switch lane {
        case .reading: return t("Reading aloud", "朗读")
        case .writing: return t("Writing", "书面练习")
        case .homework: return t("In-class homework", "当堂作业")
        case .talk: return t("Teacher talk", "教师讲授")
        case .interaction: return t("Discussion and group work", "讨论与小组")
        case .other: return t("Other", "其他")
        }
    }

    /// A segment kind in the reader's language.
    package func kind(_ k: SegmentKind) -> String {
        switch k {
        case .read: return t("read aloud", "朗读")
        case .write: return t("writing", "书写")
        case .homework: return t("in-class homework", "当堂作业")
        case .lecture: return t("lecture", "讲授")
        case .discussion: return t("discussion", "问答讨论")
        case .group: return t("group work", "小组合作")
        case .activity: return t("activity", "学生活动")
        case .transition: return t("transition", "过渡")
        case .other: return t("other", "其他")
        }
    }
    package var notes: String { t("Observer's notes (评课意见)", "评课意见") }
    package var stAnalysis: String { t("S-T analysis", "S-T分析") }
    package var activityProfile: String { t("Activity profile (COPUS-style, 2-minute intervals)", "课堂活动剖面（COPUS式，每2分钟）") }

    /// The glossary's name (docs/glossary.md): one name everywhere.
    package func metric(_ m: Metric) -> String { Glossary.name(m, language) }

    package func standard(_ s: Standard) -> String {
        switch s {
        case .two_tens: return t("Two 10s (read \(n(policy.readingMin)), write \(n(policy.writingMin)))", "两个10（读\(n(policy.readingMin))分钟、写\(n(policy.writingMin))分钟）")
        case .one_eighteen: return t("One 18 (\(policy.performers) perform alone)", "一个18（\(policy.performers)人独立展示）")
        case .homework_time: return t("In-class homework \(n(policy.homeworkMinMin))-\(n(policy.homeworkMaxMin)) min", "当堂作业\(n(policy.homeworkMinMin))-\(n(policy.homeworkMaxMin))分钟")
        case .four_threes: return t("Four 3s (copy \(policy.copyPasses), read \(policy.readPasses))", "四个3（抄\(policy.copyPasses)遍、读\(policy.readPasses)遍）")
        case .on_time: return policy.overrunToleranceMin > 0
            ? t("Ends on time (within \(n(policy.overrunToleranceMin)) min)", "不拖堂（\(n(policy.overrunToleranceMin))分钟内）")
            : t("Ends on time", "不拖堂")
        }
    }

    package func standardShort(_ s: Standard) -> String {
        switch s {
        case .two_tens: return t("2×10", "两个10")
        case .one_eighteen: return t("18", "一个18")
        case .homework_time: return t("hw \(n(policy.homeworkMinMin))-\(n(policy.homeworkMaxMin))", "当堂作业")
        case .four_threes: return t("4×3", "四个3")
        case .on_time: return t("on time", "不拖堂")
        }
    }

    /// "reading reached 10 minutes in 3 of 9 visits"
    package func reached(_ what: String, _ k: Int, _ n: Int) -> String {
        t("\(what) in \(k) of \(n) visits", "\(n) 次听课中有 \(k) 次\(what)")
    }
}
