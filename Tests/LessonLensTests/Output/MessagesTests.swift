import Testing
import LessonLensStatistics
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
            #expect(placeholders(text ?? "") == placeholders(Messages.english[key] ?? ""), "\(language) \(key)")
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
        // Metrics under their glossary names (docs/glossary.md), as reports and the capture page say them.
        #expect(MetricsFormat.tableHeader == ["id", "date", "teacher", "Reading aloud (min)", "Writing (min)", "In-class homework (min)",
                                              "Independent performers", "Bottom third reached", "Homework completed", "Overrun (min)",
                                              "2×10", "18", "hw time", "4×3", "on time"])
    }

    /// `{n}`, `{0}`, `{1}`, ... in a text.
    func placeholders(_ text: String) -> Set<String> {
        Set(text.matches(of: /\{[0-9n]+\}/).map { String($0.output) })
    }

    /// Every message the library can give has a Chinese text with the same
    /// values, and so has every word put into one.
    @Test func everyReasonHasAChineseText() {
        for template in Reason.Template.allCases {
            let zh = Messages.chineseReasons[template]
            #expect(zh != nil && !(zh ?? "").isEmpty, "no Chinese for \(template)")
            #expect(placeholders(zh ?? "") == placeholders(template.rawValue), "\(template)")
            // Chinese, not English left in place (quoting a character is the same in both).
            if template != .character { #expect(zh != template.rawValue, "\(template)") }
        }
        #expect(Messages.chineseReasons.count == Reason.Template.allCases.count)
        for word in Reason.Word.allCases { #expect(Messages.chineseWords[word] != nil, "no Chinese for \(word)") }
    }

    @Test func reasonsRenderTheirValuesInTheLanguage() {
        let syntax = Reason(.syntaxAtColumnExcerpt, .reason(Reason(.trailingComma, "]")), "42", "…\"end\":60,]}")
        #expect(syntax.description == "trailing comma before ']' (column 42): …\"end\":60,]}")
        #expect(Messages(.zh)(syntax) == "']' 前面多了一个逗号（第 42 列）：…\"end\":60,]}")
        let type = FieldIssue(field: "grade", .wrongTypeValue, .word(.anInteger), .word(.aString), "\"3\"")
        #expect(type.reason == "must be an integer, got a string \"3\"")
        #expect(Messages(.zh)(type.why) == "必须是整数，这里是字符串 \"3\"")
        let d = Diagnostic(severity: .warning, file: "a.jsonl", line: 7, issue: FieldIssue(field: "bogus", .unknownField))
        #expect(Messages(.en)(d) == d.description)
        #expect(Messages(.zh)(d) == "a.jsonl:7: 警告: bogus: 未知字段，已忽略")
        // A placeholder without a value is left as written, never a crash.
        #expect(Reason(.presentOverEnrolled, "30").description == "30 students present but only {1} enrolled")
    }
}
