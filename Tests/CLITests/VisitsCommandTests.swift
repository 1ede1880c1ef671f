import Foundation
import Testing

/// The group-level commands as a teaching-research group uses them: visits
/// counted once, flags that mean something, few data said plainly,
/// standards per subject, filters.
@Suite struct VisitsCommandTests {
    static let twoObservers = Helper.root.appendingPathComponent("datasets/two-observers.jsonl").path
    static let semester = Helper.root.appendingPathComponent("datasets/semester-2026-autumn.jsonl").path
    static let schoolPolicy = Helper.root.appendingPathComponent("datasets/policy-school.json").path

    func object(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    /// 80 logs of 40 visits: 40 lessons, each teacher's visits once.
    @Test func twoObserversAreFortyVisits() throws {
        let r = try CLI.run(["summary", "--format", "json", Self.twoObservers])
        #expect(r.status == 0)
        let groups = try #require(try object(r.stdout)["groups"] as? [[String: Any]])
        #expect(groups.reduce(0) { $0 + ($1["lessons"] as! Int) } == 40)
        #expect(groups.reduce(0) { $0 + ($1["logs"] as! Int) } == 80)
        let xu = try #require(groups.first { $0["key"] as? String == "徐静老师" })
        #expect(xu["lessons"] as? Int == 15 && xu["logs"] as? Int == 30)
        // The table says both.
        let zh = try CLI.run(["summary", "--lang", "zh", Self.twoObservers])
        #expect(zh.stdout.contains("15 次听课 · 30 份记录"))
        // --per-log and --by observer keep each log.
        let perLog = try object(try CLI.run(["summary", "--per-log", "--format", "json", Self.twoObservers]).stdout)
        #expect((perLog["groups"] as! [[String: Any]]).reduce(0) { $0 + ($1["lessons"] as! Int) } == 80)
        let observers = try object(try CLI.run(["summary", "--by", "observer", "--format", "json", Self.twoObservers]).stdout)
        #expect((observers["groups"] as! [[String: Any]]).reduce(0) { $0 + ($1["lessons"] as! Int) } == 80)
        // trend, correlate and reliability count visits too.
        let correlate = try object(try CLI.run(["correlate", "--format", "json", Self.twoObservers]).stdout)
        let first = try #require((correlate["pairs"] as? [[String: Any]])?.first)
        #expect(first["n"] as? Int == 40)
        let reliability = try object(try CLI.run(["reliability", "--format", "json", Self.twoObservers]).stdout)
        let reading = try #require((reliability["metrics"] as? [String: [String: Any]])?["reading_min"])
        #expect(reading["n_lessons"] as? Int == 40)
    }

    /// One combined record per visit: id the visit's key, its logs and observers.
    @Test func metricsVisits() throws {
        let r = try CLI.run(["metrics", "--visits", "--format", "json", Self.twoObservers])
        #expect(r.status == 0)
        let rows = try CLI.jsonLines(r.stdout)
        #expect(rows.count == 40)
        let row = rows[0]
        #expect(row["id"] as? String == "v12-0")
        #expect(row["logs"] as? Int == 2)
        #expect((row["observers"] as? [String])?.count == 2)
        // The mean of the two logs' metrics.
        let logs = try CLI.jsonLines(try CLI.run(["metrics", "--format", "json", Self.twoObservers]).stdout)
        let both = logs.filter { ($0["id"] as? String)?.hasPrefix("v12-0-") == true }
        #expect(both.count == 2)
        let mean = both.map { ($0["metrics"] as! [String: Any])["reading_min"] as! Double }.reduce(0, +) / 2
        #expect(abs(((row["metrics"] as! [String: Any])["reading_min"] as! Double) - mean) < 1e-12)
        // metrics alone stays one row per log.
        #expect(logs.count == 80)
    }

    /// No teacher is flagged for a metric that is not stable, nor for one
    /// they never have (Mr. Novak records no passes).
    @Test func semesterFlagsOnlyStableMetricsATeacherHas() throws {
        let reliability = try object(try CLI.run(["reliability", "--format", "json", Self.semester]).stdout)
        let metrics = try #require(reliability["metrics"] as? [String: [String: Any]])
        let stable = Set(metrics.filter { $0.value["stable"] as? Bool == true }.keys)
        #expect(!stable.contains("read_passes") && !stable.contains("overrun_min"))
        let summary = try object(try CLI.run(["summary", "--format", "json", Self.semester]).stdout)
        let groups = try #require(summary["groups"] as? [[String: Any]])
        for g in groups {
            let few = try #require(g["few_visits_metrics"] as? [String])
            #expect(Set(few).isSubset(of: stable), "\(g["key"] ?? "")")
            #expect((g["visits_needed"] as? Int ?? 99) < 10, "\(g["key"] ?? "")")
        }
        let novak = try #require(groups.first { $0["key"] as? String == "Mr. Novak" })
        let passes = try #require((novak["metrics"] as? [String: [String: Any]])?["read_passes"])
        #expect(passes["n"] as? Int == 0)
        #expect(!(novak["few_visits_metrics"] as! [String]).contains("read_passes"))
        // The table names no "not stable" metric as the reason for ⚠.
        let table = try CLI.run(["reliability", "--lang", "zh", Self.semester])
        #expect(table.stdout.contains("不稳定：逐节评价 / not stable: judge lesson by lesson"))
    }

    /// p below 0.001 is printed as such, never 0.000.
    @Test func tablesNeverPrintAZeroP() throws {
        let r = try CLI.run(["compare", "--a", "tag=pre-coaching", "--b", "tag=post-coaching", Self.semester])
        #expect(r.status == 0)
        #expect(r.stdout.contains("< 0.001"))
        #expect(!r.stdout.contains(" 0.000") && !r.stdout.contains(" 0.00 "))
        let trend = try CLI.run(["trend", Self.semester])
        #expect(!trend.stdout.contains("(0.000)"))
    }

    /// The school's policy: 两个10 and 四个3 for Chinese only; maths and
    /// English lessons are "does not apply", never "not met".
    @Test func standardsPerSubject() throws {
        let plain = try object(try CLI.run(["summary", "--format", "json", Self.semester]).stdout)
        let brown = { (doc: [String: Any]) throws -> [String: Any] in
            let g = try #require((doc["groups"] as? [[String: Any]])?.first { $0["key"] as? String == "Mr. Brown" })
            return try #require((g["standards"] as? [String: Any])?["two_tens"] as? [String: Any])
        }
        #expect(try brown(plain)["judged"] as? Int == 12 && brown(plain)["met"] as? Int == 0)   // today's reading: Mr. Brown 0/12
        let school = try object(try CLI.run(["summary", "--policy", Self.schoolPolicy, "--format", "json", Self.semester]).stdout)
        #expect(try brown(school)["judged"] as? Int == 0)
        let metrics = try CLI.jsonLines(try CLI.run(["metrics", "--policy", Self.schoolPolicy, "--format", "json", Self.semester]).stdout)
        let maths = try #require(metrics.first { $0["teacher"] as? String == "Mr. Brown" })
        #expect((maths["standards"] as! [String: Any])["two_tens"] is NSNull)
        #expect((maths["not_applicable"] as? [String])?.contains("two_tens") == true)
        let chinese = try #require(metrics.first { $0["subject"] as? String == "chinese" })
        #expect((chinese["standards"] as! [String: Any])["two_tens"] is Bool)
        // `lessonlens policy` prints the default, `--check` the file's.
        let printed = try CLI.run(["policy", "--check", Self.schoolPolicy])
        #expect(printed.status == 0 && printed.stdout.contains(#""math": {"two_tens":{"applies":false}"#))
    }

    /// Subjects written 语文 and Chinese are one group under `--by subject`.
    @Test func subjectAliasesGroupTogether() throws {
        let lines = [
            #"{"id":"a","date":"2026-10-01","teacher":"T","subject":"语文","grade":3,"segments":[]}"#,
            #"{"id":"b","date":"2026-10-02","teacher":"T","subject":"Chinese","grade":3,"segments":[]}"#,
            #"{"id":"c","date":"2026-10-03","teacher":"T","subject":"数学","grade":3,"segments":[]}"#,
        ].joined(separator: "\n") + "\n"
        let r = try CLI.run(["summary", "--by", "subject", "--format", "json", "-"], stdin: Data(lines.utf8))
        let groups = try #require(try object(r.stdout)["groups"] as? [[String: Any]])
        #expect(groups.map { $0["key"] as? String } == ["chinese", "math"])
        #expect(groups.map { $0["lessons"] as? Int } == [2, 1])
    }

    /// `--where` on every command that reads archives: left out lessons are
    /// neither accepted nor rejected; no match is a usage error naming the nearest.
    @Test func whereFilters() throws {
        let r = try CLI.run(["summary", "--where", "subject=语文", "--where", "date>=2026-11-01", "--format", "json", Self.semester])
        #expect(r.status == 0)
        #expect(r.stderr.contains("lessons matched of 120"))
        let groups = try #require(try object(r.stdout)["groups"] as? [[String: Any]])
        #expect(!groups.contains { $0["key"] as? String == "Mr. Brown" })
        let none = try CLI.run(["summary", "--where", "teacher=徐静", Self.semester])
        #expect(none.status == 2 && none.stderr.contains("nearest: teacher: 徐静老师"), "\(none.stderr)")
        let bad = try CLI.run(["metrics", "--where", "teacher>x", Self.semester])
        #expect(bad.status == 2)
        for command in ["metrics", "check", "trend", "correlate", "reliability", "st", "profile"] {
            let c = try CLI.run([command, "--where", "grade<=2", Self.semester])
            #expect(c.status == 0, "\(command): \(c.stderr)")
            #expect(c.stderr.contains("lessons matched of 120"), "\(command)")
        }
    }

    /// A later log of a visit naming another teacher: a warning naming both lines.
    @Test func disagreeingLogsAreWarnedAbout() throws {
        let lines = [
            #"{"id":"a","date":"2026-10-01","teacher":"王老师","subject":"chinese","grade":3,"visit":"v1","segments":[]}"#,
            #"{"id":"b","date":"2026-10-01","teacher":"李老师","subject":"chinese","grade":3,"visit":"v1","segments":[]}"#,
        ].joined(separator: "\n") + "\n"
        let r = try CLI.run(["summary", "-"], stdin: Data(lines.utf8))
        #expect(r.status == 0)
        #expect(r.stderr.contains("standard input:2: warning: teacher: \"李老师\" differs from the first log of the same visit (standard input:1)"), "\(r.stderr)")
        // Printed among the reader's messages and counted with them, before the counts.
        let counts = try #require(r.stderr.range(of: "lessonlens: 2 lessons accepted, 0 rejected, 2 warnings"), "\(r.stderr)")
        #expect(r.stderr.range(of: "warning: teacher")!.lowerBound < counts.lowerBound)
    }

    /// Sides chosen by observer compare each observer's own logs, not visits.
    @Test func compareByObserverUsesTheirOwnLogs() throws {
        let r = try CLI.run(["compare", "--a", "observer=教研员 何", "--b", "observer=Mentor Ruiz", "--format", "json", Self.twoObservers])
        #expect(r.status == 0)
        let doc = try object(r.stdout)
        let expected = try CLI.jsonLines(try CLI.run(["metrics", "--where", "observer=教研员 何", "--format", "json", Self.twoObservers]).stdout).count
        #expect(doc["lessons_a"] as? Int == expected && doc["logs_a"] as? Int == expected)
    }

    /// A subject written twice in a policy (语文 and chinese) is refused, naming both.
    @Test func aSubjectTwiceInAPolicyIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ll-policy-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("p.json")
        try Data(#"{"subjects":{"语文":{"one_eighteen":{"performers":10}},"Chinese":{"one_eighteen":{"performers":30}}}}"#.utf8).write(to: file)
        let r = try CLI.run(["policy", "--check", file.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains(#"subjects.Chinese: the same as "语文" (chinese), given already"#), "\(r.stderr)")
        // The summary table says n/a where the school's policy does not apply.
        let t = try CLI.run(["summary", "--policy", Self.schoolPolicy, Self.semester])
        let brown = try #require(t.stdout.split(separator: "\n").first { $0.hasPrefix("Mr. Brown") })
        #expect(brown.contains("n/a"))
    }
}
