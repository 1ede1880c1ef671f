import Foundation
import Testing

/// `lessonlens homework` as a class teacher or a district runs it.
@Suite struct HomeworkCommandTests {
    static let dataset = Helper.root.appendingPathComponent("datasets/homework-autumn.jsonl").path

    func line(_ id: String, _ date: String, _ cls: String, grade: Int, minutes: Double, _ extra: String = "") -> String {
        #"{"id":"\#(id)","date":"\#(date)","class":"\#(cls)","subject":"语文","teacher":"王丽","grade":\#(grade),"where":"home","kind":"written","estimated_min":\#(minutes)\#(extra)}"#
    }

    @Test func theJSONHasTheDocumentedShape() throws {
        let r = try CLI.run(["homework", "--format", "json", Self.dataset])
        #expect(r.status == 0)
        let top = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(Set(top.keys) == ["by", "accepted", "rejected", "groups"])
        #expect(top["by"] as? String == "class" && top["accepted"] as? Int == 10000 && top["rejected"] as? Int == 0)
        let groups = try #require(top["groups"] as? [[String: Any]])
        #expect(groups.count == 18 && groups.first?["key"] as? String == "1A")
        let g = groups[0]
        #expect(Set(g.keys) == ["key", "assignments", "days", "daily_written_home_min", "days_over_limit", "estimate_ratio",
                                "graded_on_time", "in_class_per_week"])
        #expect(Set((g["daily_written_home_min"] as! [String: Any]).keys) == ["n", "mean", "median", "p90", "max"])
        #expect(Set((g["days_over_limit"] as! [String: Any]).keys) == ["judged", "met", "rate", "ci95"])
        #expect(Set((g["estimate_ratio"] as! [String: Any]).keys) == ["n", "geo_mean", "ci95"])
        #expect(Set((g["graded_on_time"] as! [String: Any]).keys) == ["judged", "met", "rate", "ci95"])
        #expect(Set((g["in_class_per_week"] as! [String: Any]).keys) == ["weeks", "mean", "below_target"])
        #expect(groups.map { $0["assignments"] as! Int }.reduce(0, +) == 10000)
    }

    @Test func violationsAreOneLinePerOverLimitClassDayInDateThenClassOrder() throws {
        let text = [line("a", "2026-09-08", "3B", grade: 3, minutes: 61), line("b", "2026-09-07", "3A", grade: 3, minutes: 60),
                    line("c", "2026-09-08", "1A", grade: 1, minutes: 5), line("d", "2026-09-08", "3B", grade: 3, minutes: 4)].joined(separator: "\n")
        let r = try CLI.run(["homework", "--violations", "--format", "json", "-"], stdin: Data(text.utf8))
        #expect(r.status == 0)
        #expect(r.stdout == """
        {"class":"1A","date":"2026-09-08","grade":1,"limit_min":0,"written_home_min":5,"assignments":["c"]}
        {"class":"3B","date":"2026-09-08","grade":3,"limit_min":60,"written_home_min":65,"assignments":["a","d"]}

        """)
        let csv = try CLI.run(["homework", "--violations", "--format", "csv", "-"], stdin: Data(text.utf8))
        #expect(csv.stdout.split(separator: "\n").first == "class,date,grade,limit_min,written_home_min,assignments")
        #expect(csv.stdout.contains("3B,2026-09-08,3,60,65,a d"))
    }

    /// Three parts that add up to the limit in decimals (and to
    /// 60.00000000000001 in doubles): at the limit, not over, on the board too.
    @Test func partsAddingUpToTheLimitAreAtIt() throws {
        let text = [line("f1", "2026-09-07", "3A", grade: 3, minutes: 23.7, #","published":true"#),
                    line("f2", "2026-09-07", "3A", grade: 3, minutes: 34.7, #","published":true"#),
                    line("f3", "2026-09-07", "3A", grade: 3, minutes: 1.6, #","published":true"#)].joined(separator: "\n")
        let v = try CLI.run(["homework", "--violations", "--format", "json", "-"], stdin: Data(text.utf8))
        #expect(v.status == 0 && v.stdout.isEmpty)
        let j = try CLI.run(["homework", "--format", "json", "-"], stdin: Data(text.utf8))
        #expect(j.stdout.contains(#""max":60}"#) && j.stdout.contains(#""days_over_limit":{"judged":1,"met":0,"#))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("board-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ledger = dir.appendingPathComponent("ledger.jsonl"), page = dir.appendingPathComponent("board.html")
        try Data(text.utf8).write(to: ledger)
        let b = try CLI.run(["report", "--board", "3A", "--week", "2026-W37", "--out", page.path, ledger.path])
        #expect(b.status == 0, "\(b.stderr)")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(!html.contains("60.0000") && !html.contains("▲"))
    }

    @Test func aBrokenLineIsNamedAndTheRestCounted() throws {
        let text = [line("a", "2026-09-07", "3A", grade: 3, minutes: 20), #"{"id":"b","date":"2026-09-07"}"#,
                    line("c", "2026-09-07", "3A", grade: 3, minutes: 0), line("a", "2026-09-08", "3A", grade: 3, minutes: 20),
                    "not json"].joined(separator: "\n")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hw-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("ledger.jsonl")
        try Data(text.utf8).write(to: file)
        let rejects = dir.appendingPathComponent("rejects.jsonl").path
        let r = try CLI.run(["homework", "--format", "json", "--rejects", rejects, file.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("ledger.jsonl:2: class: required field is missing"))
        #expect(r.stderr.contains("ledger.jsonl:3: estimated_min: must be a number > 0, got 0"))
        #expect(r.stderr.contains(#"ledger.jsonl:4: id: duplicate id "a""#))
        #expect(r.stderr.contains("ledger.jsonl:5: json: "))
        #expect(r.stderr.contains("1 assignment accepted, 4 rejected"))
        #expect(r.stdout.contains(#""accepted":1,"rejected":4"#))
        #expect(try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n").count == 4)
        let zh = try CLI.run(["homework", "--lang", "zh", file.path])
        #expect(zh.stderr.contains("ledger.jsonl:3: estimated_min: 必须是大于 0 的数，这里是 0"))
        #expect(zh.stderr.contains("接受1项作业，拒绝4项"))
    }

    @Test func whereSelectsAssignmentsAndAMissSaysWhatIsThere() throws {
        let r = try CLI.run(["homework", "--where", "class=3A,date>=2026-10-01", "--by", "month", "--format", "json", Self.dataset])
        #expect(r.status == 0)
        let top = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let keys = (top["groups"] as! [[String: Any]]).map { $0["key"] as! String }
        #expect(keys == ["2026-10", "2026-11", "2026-12", "2027-01"])
        #expect(r.stderr.contains("assignments matched of 10000"))
        let miss = try CLI.run(["homework", "--where", "class=3C", Self.dataset])
        #expect(miss.status == 2)
        #expect(miss.stderr.contains("matched no assignment"))
        #expect(miss.stderr.contains("3A") || miss.stderr.contains("3B"))
        let tag = try CLI.run(["homework", "--where", "tag=open", Self.dataset])
        #expect(tag.status == 2 && tag.stderr.contains("assignments have no tag"))
    }

    @Test func theStrictPolicyJudgesMoreDaysOver() throws {
        func overIn(grade: Int, _ extra: [String]) throws -> Int {
            let r = try CLI.run(["homework", "--by", "grade", "--format", "json"] + extra + [Self.dataset])
            let top = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            let g = (top["groups"] as! [[String: Any]]).first { $0["key"] as? Int == grade }!
            return (g["days_over_limit"] as! [String: Any])["met"] as! Int
        }
        let strict = Helper.root.appendingPathComponent("datasets/policy-homework-strict.json").path
        #expect(try overIn(grade: 3, ["--policy", strict]) > overIn(grade: 3, []))
        #expect(try overIn(grade: 2, ["--policy", strict]) < overIn(grade: 2, []))
    }

    @Test func gzipAndUsageErrors() throws {
        let text = line("a", "2026-09-07", "3A", grade: 3, minutes: 20) + "\n"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hwgz-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("l.jsonl")
        try Data(text.utf8).write(to: plain)
        _ = try Helper.run("/usr/bin/gzip", ["-k", plain.path])
        let r = try CLI.run(["homework", "--format", "json", plain.path + ".gz"])
        #expect(r.status == 0 && r.stdout.contains(#""accepted":1"#))
        #expect(try CLI.run(["homework", "--by", "room", plain.path]).status == 2)
        #expect(try CLI.run(["homework", dir.appendingPathComponent("missing.jsonl").path]).status == 2)
        #expect(try CLI.run(["homework"]).status == 2)
    }

    @Test func generateWritesALedgerThatReadsCleanly() throws {
        let g = try CLI.run(["generate", "--homework", "500", "--seed", "9"])
        #expect(g.status == 0 && g.stdout.split(separator: "\n").count == 500)
        let again = try CLI.run(["generate", "--homework", "500", "--seed", "9"])
        #expect(again.stdout == g.stdout)
        let r = try CLI.run(["homework", "--format", "json", "-"], stdin: Data(g.stdout.utf8))
        #expect(r.status == 0 && r.stdout.contains(#""accepted":500,"rejected":0"#))
        #expect(try CLI.run(["generate", "--homework", "5", "--lessons", "5"]).status == 2)
    }

    @Test func theAnswerDoesNotDependOnThreadsOrHowTheFileArrives() throws {
        let one = try CLI.run(["homework", "--by", "teacher", "--format", "json", "--threads", "1", Self.dataset])
        let two = try CLI.run(["homework", "--by", "teacher", "--format", "json", "--threads", "2", Self.dataset])
        let piped = try CLI.run(["homework", "--by", "teacher", "--format", "json", "-"],
                                stdin: try Data(contentsOf: URL(fileURLWithPath: Self.dataset)))
        #expect(one.status == 0 && !one.stdout.isEmpty)
        #expect(one.stdout == two.stdout && one.stdout == piped.stdout)
        let v1 = try CLI.run(["homework", "--violations", "--format", "json", "--threads", "1", Self.dataset])
        let v2 = try CLI.run(["homework", "--violations", "--format", "json", "--threads", "2", Self.dataset])
        #expect(v1.stdout == v2.stdout && v1.stdout.split(separator: "\n").count > 100)
    }
}
