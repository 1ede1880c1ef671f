import Testing
@testable import LessonLensCore
@testable import LessonLensOutput

/// One table of strings per language, complete and consistent.
@Suite struct MessagesTests {
    @Test(arguments: [ReportLanguage.en, .zh])
    func everyKeyHasATextInEveryLanguage(_ language: ReportLanguage) {
        let table = language == .zh ? Messages.chinese : Messages.english
        for key in Messages.Key.allCases {
            let text = table[key]
            #expect(text != nil && !(text ?? "").isEmpty, "\(language) has no text for \(key)")
            // The same placeholders in every language.
            #expect((text ?? "").contains("{n}") == (Messages.english[key] ?? "").contains("{n}"), "\(language) \(key)")
        }
        #expect(table.count == Messages.Key.allCases.count)
        // Every metric, standard and grouping has its key.
        let m = Messages(language)
        for metric in Metric.allCases { #expect(!m.metric(metric).isEmpty) }
        for standard in Standard.allCases { #expect(!m.standard(standard).isEmpty) }
        for by in GroupBy.allCases { #expect(!m.groupBy(by).isEmpty) }
    }

    @Test func chineseUsesTheSchoolsWords() {
        let zh = Messages(.zh)
        #expect(Standard.allCases.map(zh.standard) == ["两个10", "一个18", "当堂作业", "四个3", "不拖堂"])
        #expect(zh.counts(accepted: 118, rejected: 2, warnings: 1, failedInputs: 0) == "接受118节课，拒绝2节，警告1条")
        // No two table headers of the metrics table say the same.
        let header = MetricsFormat.tableHeader(zh)
        #expect(Set(header).count == header.count, "\(header)")
    }

    @Test func englishIsWhatTheCommandsAlwaysPrinted() {
        let en = Messages(.en)
        #expect(en.counts(accepted: 1, rejected: 0, warnings: 2, failedInputs: 1) == "1 lesson accepted, 0 rejected, 2 warnings, 1 input failed")
        #expect(MetricsFormat.tableHeader == ["id", "date", "teacher", "read", "write", "hw", "performers", "bottom reached",
                                              "hw done", "overrun", "2×10", "18", "hw time", "4×3", "on time"])
    }
}
