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
        // Named by its place in the part's own input.
        #expect(merged.stderr.contains("part2.jsonl:201)"), "\(merged.stderr)")
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
        #expect(m.status == 2 && m.stderr.contains("made with --by grade, but ") && m.stderr.contains("/first with teacher"), "\(m.stderr)")
        // Another policy: the key that differs is named.
        let strict = try s.write("strict.json", #"{"two_tens": {"reading_min": 12}}"#)
        let other = try s.write("other", try CLI.run(["summary", "--partial", "--policy", strict, archive]).stdout)
        let o = try CLI.run(["merge", first, other])
        #expect(o.status == 2 && o.stderr.contains("made with --policy two_tens.reading_min 12, but ") && o.stderr.contains("/first with 10"), "\(o.stderr)")
        // Not a partial: an observation log, an empty file; one partial given twice.
        let log = try CLI.run(["merge", archive])
        #expect(log.status == 2 && log.stderr.contains("not a summary partial (an observation log?)"), "\(log.stderr)")
        let empty = try CLI.run(["merge", try s.write("empty", "")])
        #expect(empty.status == 2 && empty.stderr.contains("empty: not a summary partial"), "\(empty.stderr)")
        let same = try CLI.run(["merge", first, first])
        #expect(same.status == 2 && same.stderr.contains("is given twice"), "\(same.stderr)")
        // In Chinese too.
        let zh = try CLI.run(["merge", "--lang", "zh", old])
        #expect(zh.stderr.contains("格式版本为 0 的部分汇总"), "\(zh.stderr)")
        // --no-ids: said, and a repeated id is then not found.
        let made = try CLI.run(["summary", "--partial", "--no-ids", archive])
        #expect(made.stderr.contains("a merge cannot find an id given in two parts"))
        let noIDs = try s.write("noids", made.stdout)
        let text = try String(contentsOfFile: noIDs, encoding: .utf8)
        // No ids, and no visit keys (they name the teacher and the class); the visit's hash stays.
        #expect(!text.contains("\"id\":") && !text.contains("\"visit_key\":") && text.contains("\"visit\":"))
        #expect(good.contains("\"visit_key\":\"wf-1130\""))
        let copy = try s.write("noids-copy", try String(contentsOfFile: noIDs, encoding: .utf8))
        let twice = try CLI.run(["merge", "--format", "json", noIDs, copy])
        #expect(twice.stderr.components(separatedBy: "made with --no-ids").count == 2, "said once: \(twice.stderr)")
        #expect(try object(twice.stdout)["accepted"] as? Int == 36)
        // A filter that selects nothing in a school: an empty part, not an error; it merges.
        let none = try CLI.run(["summary", "--partial", "--where", "teacher=nobody", archive])
        #expect(none.status == 0, "\(none.stderr)")
        let merged = try CLI.run(["merge", "--format", "json", first, try s.write("none", none.stdout)])
        let mergedAccepted = try object(merged.stdout)["accepted"] as? Int
        #expect(merged.status == 0 && mergedAccepted == 36)
        #expect(try CLI.run(["summary", "--partial", "--format", "csv", archive]).status == 2)
        #expect(try CLI.run(["summary", "--no-ids", archive]).status == 2)
    }
}
