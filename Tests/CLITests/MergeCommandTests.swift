import Foundation
import Testing

/// Partial summaries merged: exactly `summary` on the whole.
@Suite struct MergeCommandTests {
    /// A scratch folder, removed at the end.
    final class Scratch {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ll-merge-\(UUID())")
        init() throws { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        func write(_ name: String, _ text: String) throws -> String {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
            return path(name)
        }
    }

    func object(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    /// Means and sds within 1e-12 (relative), everything else equal.
    func expectSame(_ a: Any?, _ b: Any?, _ path: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            #expect(Set(x.keys) == Set(y.keys), "\(path) keys", sourceLocation: sourceLocation)
            for k in x.keys { expectSame(x[k], y[k], path + "." + k, sourceLocation: sourceLocation) }
        case let (x as [Any], y as [Any]):
            #expect(x.count == y.count, "\(path) count", sourceLocation: sourceLocation)
            for (k, (u, v)) in zip(x, y).enumerated() { expectSame(u, v, path + "[\(k)]", sourceLocation: sourceLocation) }
        case let (x as NSNumber, y as NSNumber):
            if path.hasSuffix(".mean") || path.hasSuffix(".sd") || path.contains(".ci95") {
                #expect(abs(x.doubleValue - y.doubleValue) <= 1e-12 * max(1, abs(y.doubleValue)), "\(path)", sourceLocation: sourceLocation)
            } else {
                #expect(x == y, "\(path): \(x) vs \(y)", sourceLocation: sourceLocation)
            }
        default:
            #expect(String(describing: a) == String(describing: b), "\(path)", sourceLocation: sourceLocation)
        }
    }

    /// Lines of a generated archive with two observers a visit and broken
    /// lines (duplicate ids among them), split into three parts at visit
    /// boundaries; a lesson of part 1 repeated in part 3 (a duplicate
    /// across parts, as a school that sent one file twice).
    @Test(arguments: ["teacher", "grade", "all"])
    func mergedPartsAreTheSummaryOfTheWhole(by: String) throws {
        let s = try Scratch()
        let gen = try CLI.run(["generate", "--lessons", "300", "--seed", "5", "--teachers", "12", "--observers", "2", "--bad-per-mille", "40"])
        var lines = gen.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 600)
        lines.append(lines[3].replacingOccurrences(of: "\"observer\":", with: "\"notes\":\"again\",\"observer\":"))
        // Cut between visits: the generator writes a visit's logs one after the other.
        let cuts = [0, 200, 400, lines.count]
        var parts: [String] = []
        for k in 0..<3 {
            parts.append(try s.write("part\(k).jsonl", lines[cuts[k]..<cuts[k + 1]].joined(separator: "\n") + "\n"))
        }
        let whole = try CLI.run(["summary", "--by", by, "--format", "json"] + parts)
        #expect(whole.status == 1)   // broken lines
        var partials: [String] = []
        for (k, part) in parts.enumerated() {
            let p = try CLI.run(["summary", "--partial", "--by", by, part])
            partials.append(try s.write("p\(k).jsonl", p.stdout))
        }
        let merged = try CLI.run(["merge", "--format", "json"] + partials)
        #expect(merged.status == 1)
        expectSame(try object(merged.stdout), try object(whole.stdout))
        #expect(merged.stderr.contains("duplicate id"), "\(merged.stderr)")
        // The table and the CSV print the same (means rounded alike).
        #expect(try CLI.run(["merge"] + partials).stdout == CLI.run(["summary", "--by", by] + parts).stdout)
        #expect(try CLI.run(["merge", "--format", "csv"] + partials).stdout.split(separator: "\n").count
                == CLI.run(["summary", "--by", by, "--format", "csv"] + parts).stdout.split(separator: "\n").count)
    }

    @Test func aVisitSplitAcrossPartsIsAnError() throws {
        let s = try Scratch()
        let lines = try CLI.run(["generate", "--lessons", "4", "--seed", "5", "--observers", "2"]).stdout.split(separator: "\n").map(String.init)
        let a = try s.write("a.jsonl", lines[0...2].joined(separator: "\n") + "\n")   // visit 1's second log goes to b
        let b = try s.write("b.jsonl", lines[3...].joined(separator: "\n") + "\n")
        let pa = try s.write("pa", try CLI.run(["summary", "--partial", a]).stdout)
        let pb = try s.write("pb", try CLI.run(["summary", "--partial", b]).stdout)
        let r = try CLI.run(["merge", pa, pb])
        #expect(r.status == 1)
        #expect(r.stderr.contains("visit \"v5-1\" is also in"), "\(r.stderr)")
    }

    @Test func partialsThatCannotBeMergedAreRefused() throws {
        let s = try Scratch()
        let archive = CLI.fixture("stats-archive.jsonl")
        let good = try CLI.run(["summary", "--partial", archive]).stdout
        // Another format version.
        let old = try s.write("old", good.replacingOccurrences(of: "\"version\":1", with: "\"version\":0"))
        let r = try CLI.run(["merge", old])
        #expect(r.status == 2 && r.stderr.contains("a partial of format version 0; this lessonlens reads version 1"), "\(r.stderr)")
        // Cut short (no closing line).
        let cut = try s.write("cut", good.split(separator: "\n").dropLast().joined(separator: "\n") + "\n")
        let c = try CLI.run(["merge", cut])
        #expect(c.status == 2 && c.stderr.contains("cut short"), "\(c.stderr)")
        // Made another way.
        let byGrade = try s.write("grade", try CLI.run(["summary", "--partial", "--by", "grade", archive]).stdout)
        let first = try s.write("first", good)
        let m = try CLI.run(["merge", first, byGrade])
        #expect(m.status == 2 && m.stderr.contains("made with --by \"grade\""), "\(m.stderr)")
        // --no-ids: said, and a repeated id is then not found.
        let made = try CLI.run(["summary", "--partial", "--no-ids", archive])
        #expect(made.stderr.contains("a merge cannot find an id given in two parts"))
        let noIDs = try s.write("noids", made.stdout)
        let text = try String(contentsOfFile: noIDs, encoding: .utf8)
        // No ids, and no visit keys (they name the teacher and the class); the visit's hash stays.
        #expect(!text.contains("\"id\":") && !text.contains("\"visit_key\":") && text.contains("\"visit\":"))
        #expect(good.contains("\"visit_key\":\"wf-1130\""))
        let twice = try CLI.run(["merge", "--format", "json", noIDs, noIDs])
        #expect(twice.stderr.contains("made with --no-ids"))
        #expect(try object(twice.stdout)["accepted"] as? Int == 36)
        #expect(try CLI.run(["summary", "--no-ids", archive]).status == 2)
    }
}
