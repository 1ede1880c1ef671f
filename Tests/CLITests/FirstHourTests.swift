import Foundation
import Testing

private func temp(_ name: String, _ data: Data) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID())-\(name)").path
    try data.write(to: URL(fileURLWithPath: path))
    return path
}

private let example = #"{"id":"v-1","date":"2026-03-12","teacher":"王芳老师","subject":"chinese","grade":3,"notes":"朗读充分","segments":[{"start":"00:00","end":"12:00","kind":"read","passes":3,"notes":"全班齐读"}],"performances":[{"t":30,"student":"S1","kind":"answer"}],"homework":{"assigned":10,"completed":9}}"#

/// What stood in a new user's way: files that are not JSON Lines, messages
/// that do not lead to the fix, commands and filters that match nothing.
@Suite struct FirstHourTests {
    @Test func aJSONArrayOrAPrettyPrintedFileIsNamedOnceWithTheFix() throws {
        let lesson = try JSONSerialization.jsonObject(with: Data(example.utf8))
        let array = try temp("lessons.json", try JSONSerialization.data(withJSONObject: [lesson, lesson], options: [.prettyPrinted]))
        var r = try CLI.run(["check", array])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(array): the file is one JSON array, not JSON Lines"), "\(r.stderr)")
        #expect(r.stderr.contains("jq -c '.[]'"))
        #expect(r.stdout.isEmpty, "no message per line")
        let pretty = try temp("pretty.jsonl", try JSONSerialization.data(withJSONObject: lesson, options: [.prettyPrinted]))
        r = try CLI.run(["check", pretty])
        #expect(r.stderr.contains("pretty-printed JSON") && r.stderr.contains("jq -c ."), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        // A JSON Lines file whose first line was cut short is still read line by line.
        let cut = try temp("cut.jsonl", Data((String(example.prefix(60)) + "\n" + example + "\n").utf8))
        r = try CLI.run(["check", cut])
        #expect(r.stderr.contains("1 lesson accepted, 1 rejected"), "\(r.stderr)")
    }

    @Test func otherEncodingsAreNamedWithTheIconvCommand() throws {
        let text = Array(repeating: example, count: 5).enumerated().map { $0.element.replacingOccurrences(of: "v-1", with: "v-\($0.offset)") }.joined(separator: "\n") + "\n"
        let utf16 = try temp("u16.jsonl", text.data(using: .utf16)!)
        var r = try CLI.run(["check", utf16])
        #expect(r.status == 1 && r.stderr.contains("UTF-16") && r.stderr.contains("iconv -f UTF-16 -t UTF-8"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        // GB18030: 王芳老师 朗读充分 全班齐读 in the Chinese Windows encoding.
        let gbk: [UInt8] = [0xCD, 0xF5, 0xB7, 0xBC, 0xC0, 0xCF, 0xCA, 0xA6]
        var bytes: [UInt8] = []
        for k in 0..<5 {
            bytes += Array("{\"id\":\"g\(k)\",\"date\":\"2026-03-12\",\"teacher\":\"".utf8) + gbk
            bytes += Array("\",\"subject\":\"chinese\",\"grade\":3,\"segments\":[]}\n".utf8)
        }
        r = try CLI.run(["check", try temp("gbk.jsonl", Data(bytes))])
        #expect(r.status == 1 && r.stderr.contains("GBK/GB18030") && r.stderr.contains("iconv -f GB18030 -t UTF-8"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func aTrailingCommaIsNamedWithAnExcerpt() throws {
        let line = example.replacingOccurrences(of: "\"notes\":\"全班齐读\"}]", with: "\"notes\":\"全班齐读\"},]")
        let r = try CLI.run(["check", "-"], stdin: Data(line.utf8))
        #expect(r.stdout.contains("standard input:1: json: trailing comma before ']' (column"), "\(r.stdout)")
        #expect(r.stdout.contains("\"全班齐读\"},]"), "the excerpt shows where: \(r.stdout)")
    }

    @Test(arguments: [("reading", "read"), ("writing", "write"), ("lecturing", "lecture"), ("discus", "discussion"), ("banana", nil)])
    func oneSuggestionRuleForKinds(_ written: String, _ meant: String?) throws {
        let line = example.replacingOccurrences(of: "\"kind\":\"read\"", with: "\"kind\":\"\(written)\"")
        let r = try CLI.run(["check", "-"], stdin: Data(line.utf8))
        if let meant {
            #expect(r.stdout.contains("unknown value \"\(written)\" (did you mean \"\(meant)\"?)"), "\(r.stdout)")
        } else {
            #expect(r.stdout.contains("unknown value \"\(written)\", expected"), "\(r.stdout)")
        }
    }

    @Test(arguments: [("low", "bottom"), ("weak", "bottom"), ("high", "top"), ("strong", "top"), ("mid", "middle"), ("xyz", nil)])
    func oneSuggestionRuleForTiers(_ written: String, _ meant: String?) throws {
        let line = example.replacingOccurrences(of: "\"segments\"", with: "\"students\":[{\"id\":\"S1\",\"tier\":\"\(written)\"}],\"segments\"")
        let r = try CLI.run(["check", "-"], stdin: Data(line.utf8))
        if let meant {
            #expect(r.stdout.contains("unknown value \"\(written)\" (did you mean \"\(meant)\"?)"), "\(r.stdout)")
        } else {
            #expect(!r.stdout.contains("did you mean"), "never a far-off suggestion: \(r.stdout)")
        }
    }

    @Test func bareNumbersAreSecondsAndAShortLessonIsWarnedAbout() throws {
        let line = #"{"id":"s","date":"2026-03-12","teacher":"T","subject":"s","grade":3,"segments":[{"start":0,"end":10,"kind":"read"},{"start":10,"end":40,"kind":"write"}]}"#
        let r = try CLI.run(["check", "-"], stdin: Data(line.utf8))
        #expect(r.status == 0)
        #expect(r.stdout.contains("warning: segments: every time is a bare number, so seconds") && r.stdout.contains("did you mean \"40:00\"?"), "\(r.stdout)")
        // Strings, or a long enough lesson, are not warned about.
        let strings = line.replacingOccurrences(of: "\"end\":40", with: "\"end\":\"0:40\"")
        #expect(!(try CLI.run(["check", "-"], stdin: Data(strings.utf8))).stdout.contains("warning"))
        let metrics = try CLI.run(["metrics", "--format", "json", "-"], stdin: Data(line.utf8))
        #expect(metrics.stdout.contains("\"reading_min\":0.16666666666666666"), "ten seconds of reading: \(metrics.stdout)")
    }

    @Test func unknownCommandsAndFiltersNameTheNearest() throws {
        var r = try CLI.run(["metric", "x"])
        #expect(r.status == 2 && r.stderr.contains("unknown command \"metric\" (did you mean \"metrics\"?)"), "\(r.stderr)")
        let archive = try temp("a.jsonl", Data((example + "\n").utf8))
        r = try CLI.run(["compare", "--a", "teacher=王芳", "--b", "teacher=王芳老师", archive])
        #expect(r.status == 2 && r.stderr.contains("--a teacher=王芳 matched no lesson (nearest: teacher: 王芳老师)"), "\(r.stderr)")
        r = try CLI.run(["report", "--teacher", "王芳", "--out", "-", archive])
        #expect(r.status == 2 && r.stderr.contains("(nearest: 王芳老师)"), "\(r.stderr)")
        r = try CLI.run(["compare", "--a", "teacher=王芳老师", "--b", "grade=3", archive])
        #expect(r.stdout.contains("(1 lesson)") && !r.stdout.contains("1 lessons"), "\(r.stdout)")
    }

    @Test func reportToStandardOutputWithPolicyTargetsAndNotes() throws {
        let archive = try temp("a.jsonl", Data((example + "\n").utf8))
        let policy = try temp("p.json", Data(#"{"homework_time": {"min_minutes": 5}}"#.utf8))
        let r = try CLI.run(["report", "--lesson", "v-1", "--lang", "en", "--policy", policy, "--out", "-", archive])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(!FileManager.default.fileExists(atPath: "-"))
        #expect(r.stdout.contains("In-class homework 5-10 min") && !r.stdout.contains("8-10"), "badges show the policy's numbers")
        #expect(r.stdout.contains("朗读充分") && r.stdout.contains("全班齐读"), "the observer's notes are shown")
    }

    @Test func intervalsStayInsideWhatAMetricCanBeAndFewLessonsAreFlagged() throws {
        // Completion 0.5 and 1.0: the t interval on 1 df is about [-3.7, 5.2]; it is cut to [0, 1].
        let two = [example, example.replacingOccurrences(of: "v-1", with: "v-2").replacingOccurrences(of: "\"completed\":9", with: "\"completed\":5")]
            .joined(separator: "\n") + "\n"
        let archive = try temp("two.jsonl", Data(two.utf8))
        let r = try CLI.run(["summary", "--format", "json", archive])
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let group = (doc["groups"] as! [[String: Any]])[0]
        let completion = (group["metrics"] as! [String: Any])["homework_completion"] as! [String: Any]
        #expect(completion["ci95"] as? [Double] == [0, 1], "\(completion)")
        #expect(completion["ci95_clipped"] as? Bool == true)
        let reading = (group["metrics"] as! [String: Any])["reading_min"] as! [String: Any]
        #expect(reading["ci95_clipped"] == nil, "a constant metric's interval is not clipped")
        // trend and correlate mark what few lessons say.
        let three = (1...3).map { k in
            example.replacingOccurrences(of: "v-1", with: "t-\(k)").replacingOccurrences(of: "2026-03-12", with: "2026-03-1\(k)")
                .replacingOccurrences(of: "\"end\":\"12:00\"", with: "\"end\":\"1\(k):00\"").replacingOccurrences(of: "\"completed\":9", with: "\"completed\":\(4 + k)")
        }
            .joined(separator: "\n") + "\n"
        let small = try temp("three.jsonl", Data(three.utf8))
        let trend = try CLI.run(["trend", "--format", "json", small])
        #expect(trend.stdout.contains("\"few_visits\":true"), "\(trend.stdout)")
        let correlate = try CLI.run(["correlate", "--format", "json", small])
        #expect(correlate.stdout.contains("\"few_lessons\":true"), "\(correlate.stdout)")
        let table = try CLI.run(["correlate", small])
        #expect(table.stdout.contains("(n 3)⚠"), "\(table.stdout)")
    }

    /// `--roster FILE.csv` (class,id,tier): the roster of every lesson that
    /// names a listed class and has no students of its own.
    @Test func rostersByClassSupplyTheRosterAndALessonsOwnStudentsWin() throws {
        let roster = try temp("roster.csv", Data("class,id,tier\n3A,S1,top\n3A,S2,bottom\n3A,S3,middle\n3B,S1,bottom\n".utf8))
        func lesson(_ id: String, _ cls: String, _ extra: String = "", _ student: String = "S2") -> String {
            #"{"id":"\#(id)","date":"2026-03-02","teacher":"T","subject":"chinese","grade":3,"class":"\#(cls)"\#(extra),"segments":[],"performances":[{"t":"1:00","student":"\#(student)","kind":"read"},{"t":"2:00","student":"S1","kind":"read"}]}"#
        }
        let lines = [lesson("a1", "3A"), lesson("a2", "3A", #","students":[{"id":"S1","tier":"top"},{"id":"S2","tier":"top"}]"#),
                     lesson("a3", "3A", "", "S7"), lesson("a4", "3C")].joined(separator: "\n") + "\n"
        let r = try CLI.run(["metrics", "--roster", roster, "--format", "json", "-"], stdin: Data(lines.utf8))
        #expect(r.status == 1)
        let rows = r.stdout.split(separator: "\n").map(String.init)
        #expect(rows.count == 3, "\(r.stdout)")
        // a1 takes 3A's roster: S2 bottom and S1 top performed, of 3 students (Gini of 1,1,0 is 1/3).
        #expect(rows[0].contains("\"bottom_share\":0.5,\"top_share\":0.5,\"bottom_reached\":1,\"participation_gini\":0.3333333333333333"), "\(rows[0])")
        // a2's own students win: both top.
        #expect(rows[1].contains("\"id\":\"a2\"") && rows[1].contains("\"bottom_share\":0,\"top_share\":1"), "\(rows[1])")
        // a3 names a student who is not on 3A's roster; a4's class has no roster: no tiers.
        #expect(r.stderr.contains("performances[0].student: student \"S7\" is not on class \"3A\"'s roster in \(roster)"), "\(r.stderr)")
        #expect(rows[2].contains("\"id\":\"a4\"") && rows[2].contains("\"bottom_share\":null"), "\(rows[2])")
        // Without --roster nothing changes: a1 has no tiers.
        let plain = try CLI.run(["metrics", "--format", "json", "-"], stdin: Data(lines.utf8))
        #expect(plain.status == 0 && plain.stdout.contains("\"bottom_share\":null"))
        // A roster without a class column is a usage error naming the file.
        let flat = try temp("flat.csv", Data("id,tier\nS1,top\n".utf8))
        let bad = try CLI.run(["summary", "--roster", flat, "-"], stdin: Data(lines.utf8))
        #expect(bad.status == 2 && bad.stderr == "lessonlens: \(flat): line 1: rosters by class need a class column (class or 班级) beside id and tier (roster file)\n", "\(bad.stderr)")
        let badZh = try CLI.run(["summary", "--lang", "zh", "--roster", flat, "-"], stdin: Data(lines.utf8))
        #expect(badZh.status == 2 && badZh.stderr.contains("\(flat)：第 1 行：按班级的名单需要班级列"), "\(badZh.stderr)")
        // An English run says it in English only.
        let tier = try temp("tier.csv", Data("class,id,tier\n3A,S1,excellent\n".utf8))
        let badTier = try CLI.run(["summary", "--roster", tier, "-"], stdin: Data(lines.utf8))
        #expect(badTier.status == 2 && badTier.stderr.contains("line 2: ") && !badTier.stderr.contains("名单"), "\(badTier.stderr)")
    }

    /// Counts, table headers and legends follow LANG, or `--lang` on any command.
    @Test func messagesAndHeadersFollowTheLocale() throws {
        let archive = Helper.root.appendingPathComponent("datasets/worked-examples.jsonl").path
        let zh = try CLI.run(["summary", archive], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(zh.stderr.contains("lessonlens: 接受3节课，拒绝0节"), "\(zh.stderr)")
        #expect(zh.stdout.contains("两个10") && zh.stdout.contains("一个18") && zh.stdout.contains("四个3") && zh.stdout.contains("不拖堂"))
        #expect(zh.stdout.contains("单元格：平均值"))
        let en = try CLI.run(["summary", "--lang", "en", archive], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(en.stderr.contains("3 lessons accepted, 0 rejected") && en.stdout.contains("2×10"))
        let flag = try CLI.run(["metrics", "--lang", "zh", archive])
        #expect(flag.stdout.hasPrefix("编号") && flag.stdout.contains("当堂作业"), "\(flag.stdout)")
        let compare = try CLI.run(["compare", "--lang", "zh", "--a", "teacher=T017", "--b", "teacher=T1", archive])
        #expect(compare.stdout.contains("指标") && compare.stdout.contains("a达标"), "\(compare.stdout)")
        // JSON and CSV keep the format's names in every language.
        let json = try CLI.run(["metrics", "--lang", "zh", "--format", "json", archive])
        #expect(json.stdout.contains("\"two_tens\""))
    }

    /// Line messages, file messages and usage errors follow the language too;
    /// field names and the log's own values stay as written.
    @Test func messagesOfEveryKindInChinese() throws {
        let good = #"{"id":"g","date":"2025-10-01","teacher":"t","subject":"chinese","grade":3,"segments":[{"kind":"read","start":0,"end":"10:00"}]}"#
        let lines = [good,
                     #"{"id":"a","date":"2025-10-01","teacher":"t","subject":"chinese","grade":"3","segments":[]}"#,
                     #"{"id":"b","date":"2025-10-01","teacher":"t","subject":"chinese","grade":3,"segments":[{"kind":"read","start":0,"end":60},]}"#,
                     #"{"id":"c","date":"2025-10-01","teacher":"t","subject":"chinese","grade":3,"segments":[],"bogus":1}"#,
                     good].joined(separator: "\n") + "\n"
        let zh = try CLI.run(["check", "-"], stdin: Data(lines.utf8), environment: ["LANG": "zh_CN.UTF-8"])
        #expect(zh.status == 1)
        #expect(zh.stdout.contains("standard input:2: grade: 必须是整数，这里是字符串 \"3\""), "\(zh.stdout)")
        #expect(zh.stdout.contains("standard input:3: json: ']' 前面多了一个逗号（第 "), "\(zh.stdout)")
        #expect(zh.stdout.contains("standard input:4: 警告: bogus: 未知字段，已忽略"), "\(zh.stdout)")
        #expect(zh.stdout.contains("standard input:5: id: 编号 \"g\" 重复"), "\(zh.stdout)")
        #expect(zh.stderr.contains("接受2节课，拒绝3节，警告1条"), "\(zh.stderr)")
        // The same run in English is what it always was.
        let en = try CLI.run(["check", "-"], stdin: Data(lines.utf8))
        #expect(en.stdout.contains("standard input:2: grade: must be an integer, got a string \"3\""), "\(en.stdout)")
        #expect(en.stdout.contains("standard input:4: warning: bogus: unknown field, ignored"), "\(en.stdout)")
        // Usage errors: an unknown command, a bad option, a missing file, a filter that matches nothing.
        let command = try CLI.run(["metric", "x"], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(command.status == 2 && command.stderr.contains("未知命令 \"metric\"（是不是 \"metrics\"？）"), "\(command.stderr)")
        let threads = try CLI.run(["summary", "--lang", "zh", "--threads", "0", "x"])
        #expect(threads.status == 2 && threads.stderr.hasPrefix("错误：--threads 至少为 1"), "\(threads.stderr)")
        let interval = try CLI.run(["st", "--lang", "zh", "--interval", "0", "x"])
        #expect(interval.status == 2 && interval.stderr.hasPrefix("错误：--interval 必须是大于 0 的秒数"), "\(interval.stderr)")
        let badFilter = try CLI.run(["compare", "--lang", "zh", "--a", "teacher", "--b", "tag=x", "x"])
        #expect(badFilter.status == 2 && badFilter.stderr.hasPrefix("错误：筛选条件 \"teacher\" 不是 FIELD=VALUE、FIELD!=VALUE、tag=NAME"), "\(badFilter.stderr)")
        let missing = try CLI.run(["summary", "--lang=zh", "no-such-file.jsonl"])
        #expect(missing.status == 2 && missing.stderr.contains("no-such-file.jsonl：无法打开"), "\(missing.stderr)")
        let archive = Helper.root.appendingPathComponent("datasets/worked-examples.jsonl").path
        let filter = try CLI.run(["compare", "--a", "teacher=T0", "--b", "teacher=T1", archive], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(filter.status == 2 && filter.stderr.contains("--a teacher=T0 没有匹配任何课（最接近的：teacher: T017）"), "\(filter.stderr)")
        let compare = try CLI.run(["compare", "--lang", "zh", "--a", "teacher=T017", "--b", "teacher=T1", archive])
        #expect(compare.stdout.hasPrefix("a: teacher=T017 (2节课)   b: teacher=T1 (1节课)"), "\(compare.stdout)")
        // A whole-file message.
        let array = try CLI.run(["summary", "--lang", "zh", "-"], stdin: Data("[\(good)]\n".utf8))
        #expect(array.status == 1 && array.stderr.contains("文件是一个 JSON 数组，不是每行一节课的 JSON Lines"), "\(array.stderr)")
    }
}
