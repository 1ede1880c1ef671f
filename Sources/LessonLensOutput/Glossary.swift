import LessonLensCore

/// One name per metric and language, used by every surface: tables, reports,
/// the capture page (docs/glossary.md lists them, with what each means).
public enum Glossary {
    /// English and Chinese names of `metric`.
    public static func names(_ metric: Metric) -> (en: String, zh: String) {
        switch metric {
        case .reading_min: return ("Reading aloud (min)", "朗读时间（分钟）")
        case .writing_min: return ("Writing (min)", "书写时间（分钟）")
        case .homework_min: return ("In-class homework (min)", "当堂作业时间（分钟）")
        case .lecture_min: return ("Teacher talk (min)", "讲授时间（分钟）")
        case .end_min: return ("Ended at (min)", "下课时间（分钟）")
        case .overrun_min: return ("Overrun (min)", "拖堂时间（分钟）")
        case .independent_performances: return ("Independent performances", "独立表现次数")
        case .independent_performers: return ("Independent performers", "独立表现人数")
        case .performer_ratio: return ("Performers / present", "独立表现人数占到课人数比")
        case .bottom_share: return ("Bottom third's share of performances", "后1/3学生表现占比")
        case .top_share: return ("Top third's share of performances", "前1/3学生表现占比")
        case .bottom_reached: return ("Bottom third reached", "后1/3学生覆盖率")
        case .participation_gini: return ("Participation Gini", "参与基尼系数")
        case .second_half_active_min: return ("Second-half student activity (min)", "后半节学生活动时间（分钟）")
        case .read_passes: return ("Read-throughs of the text", "课文朗读遍数")
        case .copy_passes: return ("Copies of each new character", "生字抄写遍数")
        case .homework_completion: return ("Homework completed", "作业完成率")
        case .homework_accuracy: return ("Homework correct", "作业正确率")
        }
    }

    /// The name of `metric` in `language`.
    public static func name(_ metric: Metric, _ language: ReportLanguage) -> String {
        language == .zh ? names(metric).zh : names(metric).en
    }
}
