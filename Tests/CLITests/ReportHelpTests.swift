import Foundation
import Testing

/// The overview says who needs help with what, by the policy's share.
@Suite struct ReportHelpTests {
    static let semester = Helper.root.appendingPathComponent("datasets/semester-2026-autumn.jsonl").path

    /// The list items of the overview's "who needs help" section, as text.
    func helpItems(_ html: String) throws -> [String] {
        let start = try #require(html.range(of: "<section id=\"needs-help\">"))
        let section = html[start.upperBound...].prefix { _ in true }
        let end = try #require(section.range(of: "</section>"))
        return section[..<end.lowerBound].components(separatedBy: "<li").dropFirst().map {
            $0.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
        }
    }

    @Test func standardsMetInLessThanTheShareOfEnoughVisitsLargestGapFirst() throws {
        let r = try CLI.run(["report", "--all", "--lang", "en", "--out", "-", Self.semester])
        #expect(r.status == 0)
        let items = try helpItems(r.stdout)
        let brown = try #require(items.first { $0.contains("Mr. Brown") })
        // 0 of 12 (0%) before 2 of 12 (17%): the largest gap first.
        let twoTens = try #require(brown.range(of: "met in 0 of 12 visits (0%), below 50%"))
        let homework = try #require(brown.range(of: "met in 2 of 12 visits (17%), below 50%"))
        #expect(twoTens.lowerBound < homework.lowerBound)
        // A coached teacher's before/after outcome, with its caveat.
        #expect(items.contains { $0.contains("吴军老师") && $0.contains("coaching") })
    }

    @Test func thePolicysShareDecides() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("help-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let policy = dir.appendingPathComponent("p.json")
        try Data(#"{"attention":{"met_below":0.1}}"#.utf8).write(to: policy)
        let r = try CLI.run(["report", "--all", "--lang", "en", "--policy", policy.path, "--out", "-", Self.semester])
        let brown = try #require(try helpItems(r.stdout).first { $0.contains("Mr. Brown") })
        #expect(brown.contains("(0%), below 10%") && !brown.contains("(17%)"))
        try Data(#"{"attention":{"met_below":2}}"#.utf8).write(to: policy)
        let refused = try CLI.run(["report", "--all", "--policy", policy.path, "--out", "-", Self.semester])
        #expect(refused.status == 2 && refused.stderr.contains("attention.met_below"))
    }
}

/// The brief for a principal: one A4 page, printed by Chromium.
@Suite struct BriefTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "needs /usr/bin/chromium (scripts/ensure-deps installs it)"),
          arguments: ["zh", "en"])
    func theBriefIsOneA4PageWithNothingCut(_ lang: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("brief-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let html = dir.appendingPathComponent("brief.html").path, pdf = dir.appendingPathComponent("brief.pdf").path
        let archives = ["datasets/semester-2026-autumn.jsonl", "datasets/two-observers.jsonl"].map { Helper.root.appendingPathComponent($0).path }
        let r = try CLI.run(["report", "--brief", "--lang", lang, "--where", "date>=2026-09-01", "--out", html] + archives)
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: html, encoding: .utf8)
        // Period and filters, who needs help, coaching, agreement, stability.
        #expect(text.contains("date&gt;=2026-09-01"))
        #expect(text.contains(lang == "zh" ? "谁需要哪方面的帮助" : "Who needs help with what"))
        #expect(text.contains(lang == "zh" ? "指导效果" : "Coaching"))
        #expect(text.contains("kappa 0."))
        #expect(text.contains(lang == "zh" ? "需逐节评价" : "judge lesson by lesson"))
        let (status, output) = try Helper.run("/usr/bin/chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                                                    "--print-to-pdf=\(pdf)", "file://\(html)"])
        #expect(status == 0, "\(output)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
        let pdfText = String(decoding: bytes, as: UTF8.self)
        let pages = pdfText.components(separatedBy: "/Type /Page").count - 1 - (pdfText.components(separatedBy: "/Type /Pages").count - 1)
        #expect(pages == 1, "the brief printed on \(pages) pages")
    }
}
