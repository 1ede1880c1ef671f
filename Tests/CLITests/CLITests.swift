import Foundation
import Testing

/// Runs the built `lessonlens` executable and checks its output and exit status.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a helper program (a test script in Python, the fuzz harness) and
/// returns its exit status and its output and errors together.
enum Helper {
    /// The repository's root, for the scripts under Tests/ and the datasets.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    /// A Python script under the repository, with `arguments`.
    static func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try run("/usr/bin/env", ["python3", root.appendingPathComponent(script).path] + arguments)
    }

    /// GB18030 bytes of `text`, through iconv (as Excel on Chinese Windows writes them).
    static func gb18030(_ text: String) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", "UTF-8", "-t", "GB18030"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Array(data)
    }

    /// Whether `python3 -c "import MODULE"` works (for `.enabled(if:)`).
    static func pythonHas(_ module: String) -> Bool {
        (try? run("/usr/bin/env", ["python3", "-c", "import \(module)"]).status) == 0
    }
}

/// SIGPIPE ignored once for the test process (see `CLI.run`).
let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

enum CLI {
    /// The executable sits next to this test bundle's resources in the build folder.
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["LESSONLENS_BIN"] { return URL(fileURLWithPath: path) }
        var dir = Bundle.module.bundleURL.deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("lessonlens")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("lessonlens")
    }()

    static func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: "fixtures/" + name, withExtension: nil)!.path
    }

    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        // English unless a test asks for another locale: output follows LANG.
        env["LC_ALL"] = nil; env["LC_MESSAGES"] = nil; env["LANG"] = "C.UTF-8"
        env.merge(environment) { $1 }
        process.environment = env
        // Files, not pipes, for the output: nothing can block on a full pipe.
        let dir = FileManager.default.temporaryDirectory
        let outURL = dir.appendingPathComponent("lessonlens-out-\(UUID())")
        let errURL = dir.appendingPathComponent("lessonlens-err-\(UUID())")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        // A command may stop reading its input early (a file that is not JSON
        // Lines, a usage error): the write then fails with EPIPE, which must
        // not end the test process with SIGPIPE.
        _ = ignoreBrokenPipes
        try process.run()
        if let stdin { try? input.fileHandleForWriting.write(contentsOf: stdin) }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return CLIResult(status: process.terminationStatus,
                         stdout: try String(contentsOf: outURL, encoding: .utf8),
                         stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }
}

@Suite struct MetricsCommandTests {
    @Test func jsonHasEveryMetricAndStandardWithRealValues() throws {
        let r = try CLI.run(["metrics", "--format", "json", CLI.fixture("good.jsonl")])
        #expect(r.status == 0)
        let rows = try CLI.jsonLines(r.stdout)
        #expect(rows.count == 2)
        let first = rows[0]
        #expect(first["id"] as? String == "v-0001")
        #expect(first["teacher"] as? String == "T017")
        #expect(first["grade"] as? Int == 3)
        #expect(first["date"] as? String == "2026-03-12")
        let m = try #require(first["metrics"] as? [String: Any])
        #expect(m.count == 18)
        #expect(m["reading_min"] as? Double == 8.5)
        #expect(m["writing_min"] as? Double == 14.5)
        #expect(m["homework_min"] as? Double == 9)
        #expect(m["independent_performers"] as? Int == 2)
        #expect(m["bottom_share"] is NSNull)
        let s = try #require(first["standards"] as? [String: Any])
        #expect(s["two_tens"] as? Bool == false)
        #expect(s["one_eighteen"] as? Bool == false)
        #expect(s["homework_time"] as? Bool == true)
        #expect(s["four_threes"] as? Bool == true)
        #expect(s["on_time"] as? Bool == true)
        let second = try #require(rows[1]["standards"] as? [String: Bool])
        #expect(second == ["two_tens": true, "one_eighteen": true, "homework_time": true, "four_threes": true, "on_time": true])
        #expect(rows[1]["teacher"] as? String == "张老师")
        #expect(r.stderr.contains("2 lessons accepted, 0 rejected"))
    }

    @Test func csvHasOneHeaderAndTheSameColumns() throws {
        let r = try CLI.run(["metrics", "--format", "csv", CLI.fixture("good.jsonl")])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        #expect(header.count == 5 + 18 + 5)
        #expect(header.first == "id" && header.last == "on_time")
        let row = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(row.count == header.count)
        #expect(row[header.firstIndex(of: "reading_min")!] == "8.5")
        #expect(row[header.firstIndex(of: "bottom_share")!] == "")
        #expect(row[header.firstIndex(of: "two_tens")!] == "false")
    }

    @Test func tableShowsMarksWithoutColorWhenPiped() throws {
        let r = try CLI.run(["metrics", CLI.fixture("good.jsonl")])
        #expect(r.status == 0)
        #expect(r.stdout.contains("✓") && r.stdout.contains("✗"))
        #expect(!r.stdout.contains("\u{1B}["))
        #expect(r.stdout.contains("张老师"))
    }

    @Test func badLinesAreReportedAndTheRestProcessed() throws {
        let path = CLI.fixture("mixed.jsonl")
        let rejects = FileManager.default.temporaryDirectory.appendingPathComponent("rejects-\(UUID()).jsonl").path
        let r = try CLI.run(["metrics", "--format", "json", "--rejects", rejects, path])
        #expect(r.status == 1)
        #expect(try CLI.jsonLines(r.stdout).map { $0["id"] as? String } == ["v-0001", "b-4"])
        #expect(r.stderr.contains("\(path):2: date: \"2026-13-01\" is not a date YYYY-MM-DD"))
        #expect(r.stderr.contains("\(path):3: segments[0].end: end 9:00 is not after start 10:00"))
        #expect(r.stderr.contains("\(path):4: json: "))
        #expect(r.stderr.contains("\(path):5: id: duplicate id \"v-0001\""))
        #expect(r.stderr.contains("\(path):6: warning: colour: unknown field, ignored"))
        #expect(r.stderr.contains("2 lessons accepted, 4 rejected, 1 warning"))
        let original = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let expected = [original[1], original[2], original[3], original[4]].joined(separator: "\n") + "\n"
        #expect(try String(contentsOfFile: rejects, encoding: .utf8) == expected)
    }

    @Test func standardInputAndGzipGiveTheSameOutput() throws {
        let plain = try CLI.run(["metrics", "--format", "json", CLI.fixture("good.jsonl")])
        let gz = try CLI.run(["metrics", "--format", "json", CLI.fixture("good.jsonl.gz")])
        let data = try Data(contentsOf: URL(fileURLWithPath: CLI.fixture("good.jsonl")))
        let stdin = try CLI.run(["metrics", "--format", "json", "-"], stdin: data)
        let gzData = try Data(contentsOf: URL(fileURLWithPath: CLI.fixture("good.jsonl.gz")))
        let gzStdin = try CLI.run(["metrics", "--format", "json", "-"], stdin: gzData)
        #expect(gz.status == 0 && stdin.status == 0 && gzStdin.status == 0)
        #expect(gz.stdout == plain.stdout)
        #expect(stdin.stdout == plain.stdout)
        #expect(gzStdin.stdout == plain.stdout)
        #expect(!plain.stdout.isEmpty)
    }

    /// A pipe named as a file (`/dev/stdin`, `<(zcat …)`) before a regular
    /// file is read whole: sizing the run from a sample of the first file's
    /// lines must not take the pipe's first bytes (it did, for one commit).
    @Test func aPipeBeforeAFileLosesNothing() throws {
        let files = try CLI.run(["metrics", "--format", "json", CLI.fixture("good.jsonl"), CLI.fixture("mixed.jsonl")])
        let data = try Data(contentsOf: URL(fileURLWithPath: CLI.fixture("good.jsonl")))
        let piped = try CLI.run(["metrics", "--format", "json", "/dev/stdin", CLI.fixture("mixed.jsonl")], stdin: data)
        #expect(piped.status == files.status)
        #expect(piped.stdout == files.stdout)
        #expect(!files.stdout.isEmpty)
    }

    @Test func oneThreadAndTwoThreadsAgree() throws {
        let one = try CLI.run(["metrics", "--format", "csv", "--threads", "1", CLI.fixture("mixed.jsonl"), CLI.fixture("good.jsonl")])
        let two = try CLI.run(["metrics", "--format", "csv", "--threads", "2", CLI.fixture("mixed.jsonl"), CLI.fixture("good.jsonl")])
        #expect(one.stdout == two.stdout && one.stderr == two.stderr && one.status == 1)
        // v-0001 appears in both files: the second one is a duplicate.
        #expect(one.stderr.contains("good.jsonl:1: id: duplicate id \"v-0001\""))
    }

    @Test func policyFileChangesStandards() throws {
        let r = try CLI.run(["metrics", "--format", "json", "--policy", CLI.fixture("policy.json"), CLI.fixture("good.jsonl")])
        #expect(r.status == 0)
        let s = try #require(try CLI.jsonLines(r.stdout)[0]["standards"] as? [String: Any])
        #expect(s["one_eighteen"] as? Bool == true) // 2 performers, 2 required
    }
}

@Suite struct UsageTests {
    @Test(arguments: [
        (["metrics", "--format", "xml", "x"], "xml"),
        (["metrics", "--bogus", "x"], "--bogus"),
        (["metrics"], "no input files"),
        (["metrics", "/nonexistent/file.jsonl"], "/nonexistent/file.jsonl"),
        (["metrics", "--threads", "0", "x"], "--threads"),
        (["frobnicate"], "frobnicate"),
    ])
    func usageErrorsExitTwo(arguments: [String], mention: String) throws {
        let r = try CLI.run(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.contains(mention), "stderr: \(r.stderr)")
    }

    @Test func badPolicyFileIsAUsageError() throws {
        let r = try CLI.run(["metrics", "--policy", CLI.fixture("bad-policy.json"), CLI.fixture("good.jsonl")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("one_eighteen.performer: unknown policy key"))
    }

    @Test func checkPrintsDiagnosticsAndCounts() throws {
        let ok = try CLI.run(["check", CLI.fixture("good.jsonl")])
        #expect(ok.status == 0 && ok.stdout.isEmpty)
        #expect(ok.stderr.contains("2 lessons accepted, 0 rejected"))
        let bad = try CLI.run(["check", CLI.fixture("mixed.jsonl")])
        #expect(bad.status == 1)
        #expect(bad.stdout.split(separator: "\n").count == 5) // 4 errors, 1 warning
    }

    @Test func policyPrintsTheDefault() throws {
        let r = try CLI.run(["policy"])
        #expect(r.status == 0)
        let policy = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: [String: Any]]
        #expect(policy["two_tens"]?["reading_min"] as? Int == 10)
        #expect(policy["one_eighteen"]?["performers"] as? Int == 18)
        #expect(policy["homework_time"]?["min_minutes"] as? Int == 8)
        #expect(policy["homework_time"]?["max_minutes"] as? Int == 10)
    }

    @Test func helpExitsZero() throws {
        let r = try CLI.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("metrics"))
    }
}

@Suite struct StatisticsCommandTests {
    func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    @Test func summaryJSONHasTheDocumentedShape() throws {
        let r = try CLI.run(["summary", "--by", "teacher", "--format", "json", CLI.fixture("stats-archive.jsonl")])
        #expect(r.status == 0)
        let doc = try json(r.stdout)
        #expect(doc["by"] as? String == "teacher")
        #expect(doc["accepted"] as? Int == 18 && doc["rejected"] as? Int == 0)
        let groups = try #require(doc["groups"] as? [[String: Any]])
        #expect(groups.map { $0["key"] as? String } == ["Ms. Carter", "张老师", "李明", "王芳"])
        let once = groups[1]
        #expect(once["lessons"] as? Int == 1 && once["logs"] as? Int == 1 && once["few_visits"] as? Bool == true)
        #expect(once["few_visits_metrics"] as? [String] == ["reading_min", "independent_performers"])
        #expect(groups[3]["lessons"] as? Int == 6 && groups[3]["logs"] as? Int == 7)
        let reading = try #require((once["metrics"] as? [String: Any])?["reading_min"] as? [String: Any])
        #expect(reading["n"] as? Int == 1 && reading["mean"] as? Double == 9 && reading["sd"] is NSNull && reading["ci95"] is NSNull)
        let twoTens = try #require((groups[3]["standards"] as? [String: Any])?["two_tens"] as? [String: Any])
        #expect(twoTens["judged"] as? Int == 6 && twoTens["met"] as? Int == 2)
        #expect((twoTens["ci95"] as? [Double])?.count == 2)
        #expect(groups[3]["few_visits"] as? Bool == false && groups[3]["few_visits_metrics"] as? [String] == [])
        // --per-log counts every log, as before visits were combined.
        let perLog = try json(try CLI.run(["summary", "--per-log", "--format", "json", CLI.fixture("stats-archive.jsonl")]).stdout)
        let logGroups = try #require(perLog["groups"] as? [[String: Any]])
        #expect(logGroups[3]["lessons"] as? Int == 7 && logGroups[3]["logs"] as? Int == 7)
    }

    @Test func summaryTableWarnsAboutFewVisits() throws {
        let r = try CLI.run(["summary", "--by", "grade", CLI.fixture("mixed.jsonl")])
        #expect(r.status == 1) // mixed.jsonl has rejected lines; the summary is still printed
        // Too few lessons for any ICC to be stable: nothing is flagged as too few.
        #expect(!r.stdout.contains("⚠"))
        // 张老师's one visit: the cells of reading and performers, the stable metrics that need 2 visits, not the row.
        let t = try CLI.run(["summary", CLI.fixture("stats-archive.jsonl")])
        let row = try #require(t.stdout.split(separator: "\n").first { $0.hasPrefix("张老师") })
        #expect(row.components(separatedBy: "⚠").count - 1 == 2, "\(row)")
        #expect(t.stdout.contains("⚠ beside a value: fewer visits than that metric needs"))
    }

    @Test(arguments: ["teacher", "subject", "grade", "school", "observer", "class", "month", "all"])
    func everyGroupKeyWorks(key: String) throws {
        let r = try CLI.run(["summary", "--by", key, "--format", "csv", CLI.fixture("stats-archive.jsonl")])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("\(key),lessons,logs,few_visits,kind,name,"))
    }

    @Test func trendJSON() throws {
        let r = try CLI.run(["trend", "--format", "json", CLI.fixture("stats-archive.jsonl")])
        #expect(r.status == 0)
        let groups = try #require(try json(r.stdout)["groups"] as? [[String: Any]])
        #expect(groups.map { $0["key"] as? String } == ["Ms. Carter", "李明", "王芳"]) // 张老师: one visit
        #expect(groups[2]["first_date"] as? String == "2026-09-07" && groups[2]["last_date"] as? String == "2026-12-07")
        let overrun = try #require((groups[0]["metrics"] as? [String: Any])?["overrun_min"] as? [String: Any])
        #expect(overrun["p"] is NSNull && overrun["r2"] is NSNull) // constant metric: undefined
    }

    @Test func compareJSONPairedAndUnpaired() throws {
        let path = CLI.fixture("stats-archive.jsonl")
        let unpaired = try json(try CLI.run(["compare", "--a", "tag=pre-coaching", "--b", "tag=post-coaching", "--format", "json", path]).stdout)
        #expect(unpaired["paired_by"] is NSNull)
        let reading = try #require((unpaired["metrics"] as? [String: Any])?["reading_min"] as? [String: Any])
        // Visits: 7 before coaching, 8 after (two of them logged twice, each counted once at the mean of its logs).
        #expect(reading["n_a"] as? Int == 7 && reading["n_b"] as? Int == 8)
        #expect(unpaired["lessons_a"] as? Int == 7 && unpaired["logs_b"] as? Int == 10)
        #expect(abs((reading["diff"] as! Double) - (76.75 / 8 - 49.5 / 7)) < 1e-9)
        #expect(reading["few_lessons"] as? Bool == false)
        let paired = try json(try CLI.run(["compare", "--a", "tag=pre-coaching", "--b", "tag=post-coaching", "--paired-by", "teacher", "--format", "json", path]).stdout)
        #expect(paired["paired_by"] as? String == "teacher")
        let pr = try #require((paired["metrics"] as? [String: Any])?["reading_min"] as? [String: Any])
        #expect(pr["n_pairs"] as? Int == 3 && pr["few_pairs"] as? Bool == true && pr["p"] is Double)
        let s = try #require((paired["standards"] as? [String: Any])?["two_tens"] as? [String: Any])
        #expect(s["rate_a"] as? Double == 1.0 / 7 && s["rate_b"] as? Double == 5.0 / 8) // 1 of 7 visits before, 5 of 8 after
        // Two teachers: 2 pairs, no test.
        let two = try json(try CLI.run(["compare", "--a", "tag=pre-coaching,teacher!=Ms. Carter", "--b", "tag=post-coaching",
                                        "--paired-by", "teacher", "--format", "json", path]).stdout)
        let tr = try #require((two["metrics"] as? [String: Any])?["reading_min"] as? [String: Any])
        #expect(tr["n_pairs"] as? Int == 2 && tr["few_pairs"] as? Bool == true)
        for field in ["t", "df", "p", "ci95", "dz"] { #expect(tr[field] is NSNull, "\(field)") }
        #expect(tr["mean_diff"] is Double)
    }

    @Test func compareRejectsBadFilters() throws {
        let r = try CLI.run(["compare", "--a", "colour=red", "--b", "tag=x", CLI.fixture("stats-archive.jsonl")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("colour"))
    }

    @Test func correlateJSONHasEveryPair() throws {
        let r = try CLI.run(["correlate", "--method", "spearman", "--format", "json", CLI.fixture("stats-archive.jsonl")])
        #expect(r.status == 0)
        let doc = try json(r.stdout)
        #expect(doc["method"] as? String == "spearman")
        #expect((doc["pairs"] as? [Any])?.count == 18 * 17 / 2)
        #expect(!r.stdout.contains("nan") && !r.stdout.contains("inf"))
    }
}

@Suite struct DeterminismTests {
    /// The same numbers, to the last bit, for any thread count and for a file,
    /// the same file through standard input, and gzip.
    @Test func sameOutputForThreadsStdinAndGzip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lessonlens-det-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let archive = dir.appendingPathComponent("a.jsonl").path
        let generated = try CLI.run(["generate", "--lessons", "1500", "--seed", "11", "--bad-per-mille", "20"])
        #expect(generated.status == 0)
        try generated.stdout.write(toFile: archive, atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", archive]
        try gzip.run()
        gzip.waitUntilExit()
        let data = try Data(contentsOf: URL(fileURLWithPath: archive))

        for command in [["summary", "--by", "teacher", "--format", "json"], ["metrics", "--format", "json"], ["trend", "--format", "csv"]] {
            let one = try CLI.run(command + ["--threads", "1", archive])
            let two = try CLI.run(command + ["--threads", "2", archive])
            let gz = try CLI.run(command + ["--threads", "2", archive + ".gz"])
            let stdin = try CLI.run(command + ["--threads", "2", "-"], stdin: data)
            #expect(one.status == 1) // the generated archive has broken lines
            #expect(!one.stdout.isEmpty)
            #expect(two.stdout == one.stdout, "\(command[0]): threads")
            #expect(gz.stdout == one.stdout, "\(command[0]): gzip")
            #expect(stdin.stdout == one.stdout, "\(command[0]): stdin")
            // Messages name the input, so compare them without the name.
            #expect(two.stderr == one.stderr)
            #expect(stdin.stderr == one.stderr.replacingOccurrences(of: archive + ":", with: "standard input:"))
        }
    }
}

@Suite struct ReportCommandTests {
    @Test func writesEachPage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lessonlens-report-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let archive = CLI.fixture("stats-archive.jsonl")
        for (args, name) in [(["--lesson", "g03"], "lesson"), (["--teacher", "李明", "--lang", "zh"], "teacher"), (["--all"], "all")] {
            let out = dir.appendingPathComponent("\(name).html").path
            let r = try CLI.run(["report"] + args + ["--out", out, archive])
            #expect(r.status == 0, "\(name): \(r.stderr)")
            let html = try String(contentsOfFile: out, encoding: .utf8)
            #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<svg") && !html.contains("http"))
            if name == "teacher" { #expect(html.contains("学期趋势")) }
        }
    }

    @Test(arguments: [
        (["report", "--out", "/tmp/x.html"], "exactly one"),
        (["report", "--all", "--lesson", "g01", "--out", "/tmp/x.html"], "exactly one"),
        (["report", "--lesson", "nope", "--out", "/tmp/x.html"], "no accepted lesson with id \"nope\""),
        (["report", "--all", "--lang", "fr", "--out", "/tmp/x.html"], "fr"),
    ])
    func usageErrors(arguments: [String], mention: String) throws {
        let r = try CLI.run(arguments + [CLI.fixture("stats-archive.jsonl")])
        #expect(r.status == 2)
        #expect(r.stderr.contains(mention), "stderr: \(r.stderr)")
    }
}

@Suite struct HostileInputTests {
    /// Deep nesting, NUL bytes, invalid UTF-8, a long line and extreme numbers:
    /// rejected or accepted with a message, never a crash.
    @Test func survivesHostileLines() throws {
        var bytes = [UInt8]()
        bytes += [UInt8](repeating: UInt8(ascii: "["), count: 100_000) + [UInt8](repeating: UInt8(ascii: "]"), count: 100_000) + [0x0A]
        bytes += Array("{\"id\":\"a\u{0}b\"}\n".utf8)
        bytes += [0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D, 0x0A]
        bytes += Array("{\"id\":\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20) + Array("\"}\n".utf8)
        bytes += Array(#"{"id":"huge","date":"2026-01-01","teacher":"t","subject":"s","grade":1,"duration_min":1e300,"segments":[{"start":0,"end":1e301,"kind":"read"}],"performances":[{"t":1e300,"student":"a","kind":"answer"}]}"#.utf8) + [0x0A]
        bytes += Array(#"{"id":"n","date":"2026-01-01","teacher":"t","subject":"s","grade":1e400,"segments":[]}"#.utf8) + [0x0A]
        let data = Data(bytes)
        for command in [["metrics"], ["metrics", "--format", "json"], ["summary"], ["trend"], ["correlate"]] {
            let r = try CLI.run(command + ["-"], stdin: data)
            #expect(r.status == 1, "\(command): \(r.stderr)")
            #expect(r.stderr.contains("1 lesson accepted, 5 rejected"), "\(command): \(r.stderr)")
            #expect(r.stderr.contains("standard input:1: json: "))
            #expect(r.stderr.contains("standard input:6: grade: must be an integer"))
        }
    }
}

@Suite struct TerminalColorTests {
    /// Runs the command in a pseudo-terminal (util-linux `script`), as a person would.
    func inTerminal(_ command: String, environment: [String: String] = [:]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return "" }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qec", command, "/dev/null"]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        env.merge(environment) { $1 }
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs util-linux script"))
    func colorOnlyAtATerminalAndWithoutNO_COLOR() throws {
        let command = "'\(CLI.executable.path)' metrics -q '\(CLI.fixture("good.jsonl"))'"
        let colored = try inTerminal(command)
        #expect(colored.contains("\u{1B}[32m✓") && colored.contains("\u{1B}[31m✗"))
        let plain = try inTerminal(command, environment: ["NO_COLOR": "1"])
        #expect(plain.contains("✓") && !plain.contains("\u{1B}[3"))
        let piped = try CLI.run(["metrics", CLI.fixture("good.jsonl")])
        #expect(!piped.stdout.contains("\u{1B}["))
    }
}

/// Each input is opened and examined once: sized, sniffed for gzip by its
/// bytes (not its name) and sampled for its line size, then read.
@Suite struct InputOpeningTests {
    static let strace = "/usr/bin/strace"

    /// The system calls of a run that name `path`, from strace.
    static func callsNaming(_ path: String, _ arguments: [String]) throws -> [String] {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("strace-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let r = try Helper.run(strace, ["-f", "-qq", "-o", log, "-e", "trace=open,openat,stat,lstat,newfstatat,statx,access,faccessat,faccessat2",
                                        CLI.executable.path] + arguments)
        // The second file repeats the first's lessons: their ids are duplicates (exit 1).
        #expect(r.status == 1 && r.output.contains("duplicate id"), "\(r.output)")
        return try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init).filter { $0.contains(path) }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: strace), "needs strace"))
    func eachFileIsOpenedOnceAndNotStatedByName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opening-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("plain.jsonl").path
        try FileManager.default.copyItem(atPath: CLI.fixture("good.jsonl"), toPath: plain)
        // gzip under a name that does not say so
        let packed = dir.appendingPathComponent("packed.bin").path
        try FileManager.default.copyItem(atPath: CLI.fixture("good.jsonl.gz"), toPath: packed)
        for command in [["summary", "-q"], ["metrics", "--format", "json"], ["check", "-q"]] {
            let calls = try Self.callsNaming(dir.path, command + [plain, packed])
            #expect(calls.filter { $0.contains("plain.jsonl") }.count == 1, "\(command[0]): \(calls)")
            #expect(calls.filter { $0.contains("packed.bin") }.count == 1, "\(command[0]): \(calls)")
            #expect(calls.allSatisfy { $0.contains("openat(") }, "\(command[0]): \(calls)")
        }
        // Read as gzip by its bytes: the same lessons as the plain copy.
        let a = try CLI.run(["metrics", "--format", "json", plain]), b = try CLI.run(["metrics", "--format", "json", packed])
        #expect(a.status == 0 && b.status == 0)
        #expect(a.stdout == b.stdout && !a.stdout.isEmpty)
    }
}
