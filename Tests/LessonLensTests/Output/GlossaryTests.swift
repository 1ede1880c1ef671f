import Foundation
import Testing
@testable import LessonLensCore
@testable import LessonLensOutput

/// One name per metric and language, everywhere.
@Suite struct GlossaryTests {
    @Test func tablesReportsAndThePageUseTheGlossary() {
        for language in ReportLanguage.allCases {
            let page = CapturePage.html(language: language)
            for m in Metric.allCases {
                let name = Glossary.name(m, language)
                #expect(Messages(language).metric(m) == name)
                #expect(Labels(language).metric(m) == name)
                #expect(page.contains(Text.jsonString(m.rawValue) + ":" + CapturePage.scriptSafe(Text.jsonString(name))), "\(m) \(language)")
            }
        }
        #expect(Set(Metric.allCases.map { Glossary.names($0).zh }).count == Metric.allCases.count)
    }

    @Test func theGlossaryDocumentSaysTheSameNames() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/glossary.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        for m in Metric.allCases {
            let (en, zh) = Glossary.names(m)
            #expect(text.contains("| `\(m.rawValue)` | \(en) | \(zh) |"), "\(m)")
        }
    }
}
