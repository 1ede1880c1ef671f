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
