import Foundation
import Testing

/// Rosters as schools keep them, through `capture --roster` and `--roster` on
/// the archive commands: one reader for every format and header language.
@Suite struct RosterFormatsTests {
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rosters-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// The roster the capture page got, from its embedded configuration.
    func embedded(_ html: String, key: String = "roster") throws -> [[String: Any]] {
        let start = try #require(html.range(of: "window.LESSONLENS_CONFIG = "))
        let rest = html[start.upperBound...]
        let end = try #require(rest.range(of: ";\n</script>"))
        let config = try JSONSerialization.jsonObject(with: Data(rest[..<end.lowerBound].utf8)) as! [String: Any]
        return config[key] as! [[String: Any]]
    }

    func gbk(_ text: String) throws -> [UInt8] { try Helper.gb18030(text) }

    @Test func excelsCSVInGBKIsReadAndTheGuessIsSaid() throws {
        let path = try file("名单.csv", try gbk("学号,姓名,层次\r\nS01,张三,上\r\nS02,李四,中\r\nS03,王五,下\r\n"))
        let r = try CLI.run(["capture", "--roster", path, "--out", "-"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("GB18030"))
        let roster = try embedded(r.stdout)
        #expect(roster.map { $0["name"] as? String } == ["张三", "李四", "王五"])
        #expect(roster.map { $0["tier"] as? String } == ["top", "middle", "bottom"])
    }

    @Test func utf8WithBOMTabsAndEveryTierSpelling() throws {
        let bom = try file("bom.csv", [0xEF, 0xBB, 0xBF] + Array("id,tier,name\nS1,top,A\nS2,B,Bo\nS3,后,C\n".utf8))
        let a = try CLI.run(["capture", "--roster", bom, "--out", "-"])
        #expect(a.status == 0 && !a.stderr.contains("\u{FEFF}"))
        #expect(try embedded(a.stdout).map { $0["tier"] as? String } == ["top", "middle", "bottom"])
        let tsv = try file("pasted.txt", Array("编号\t姓名\t分层\t排\t列\nS1\t甲\t优\t1\t1\nS2\t乙\tc\t2\t3\n".utf8))
        let b = try CLI.run(["capture", "--roster", tsv, "--out", "-"])
        #expect(b.status == 0)
        let roster = try embedded(b.stdout)
        #expect(roster.map { $0["tier"] as? String } == ["top", "bottom"])
        #expect(roster.map { $0["row"] as? Int } == [1, 2] && roster.map { $0["col"] as? Int } == [1, 3])
    }

    @Test func aBadTierOrHeaderIsNamedWithItsLineInTheChosenLanguage() throws {
        let path = try file("bad.csv", Array("学号,姓名,层次\nS1,甲,上\nS2,乙,差生\n".utf8))
        let zh = try CLI.run(["capture", "--lang", "zh", "--roster", path, "--out", "-"], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(zh.status == 2)
        #expect(zh.stderr.contains("第 3 行") && zh.stderr.contains("差生"), "\(zh.stderr)")
        let en = try CLI.run(["capture", "--roster", path, "--out", "-"])
        #expect(en.stderr.contains("3") && en.stderr.contains("unknown tier \"差生\""), "\(en.stderr)")
        let header = try file("header.csv", Array("学号,年龄\nS1,9\n".utf8))
        let h = try CLI.run(["capture", "--roster", header, "--out", "-"])
        #expect(h.status == 2 && h.stderr.contains("unknown column \"年龄\""), "\(h.stderr)")
    }

    @Test func classRostersInChineseServeTheArchiveCommands() throws {
        let rosters = try file("classes.csv", try gbk("班级,学号,层次\n3A,S1,下\n3A,S2,上\n"))
        let lesson = #"{"id":"r1","date":"2026-03-12","teacher":"T","subject":"chinese","grade":3,"class":"3A","segments":[],"performances":[{"t":30,"student":"S1","kind":"answer"}]}"#
        let r = try CLI.run(["metrics", "--format", "json", "--roster", rosters, "-"], stdin: Data((lesson + "\n").utf8))
        #expect(r.status == 0, "\(r.stderr)")
        let row = try #require(try CLI.jsonLines(r.stdout).first)
        #expect((row["metrics"] as! [String: Any])["bottom_reached"] as? Double == 1)
    }

    @Test(.enabled(if: Helper.pythonHas("openpyxl"), "needs Python's openpyxl to write the workbook (scripts/ensure-deps installs it)"))
    func theFirstSheetOfAnExcelWorkbook() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/名单.xlsx"
        let script = """
        import openpyxl, sys
        wb = openpyxl.Workbook(); ws = wb.active; ws.title = "三年级"
        ws.append(["班级", "学号", "姓名", "层次", "行", "列"])
        ws.append(["3A", "S01", "张三", "上", 1, 1]); ws.append(["3A", "S02", "李四", None, 1, 2]); ws.append(["3A", 103, "王五", "C", 2, 1])
        wb.create_sheet("其他").append(["not", "a", "roster"])
        wb.save(sys.argv[1])
        """
        let (status, output) = try Helper.run("/usr/bin/env", ["python3", "-c", script, path])
        #expect(status == 0, "\(output)")
        let r = try CLI.run(["capture", "--roster", path, "--out", "-"])
        #expect(r.status == 0, "\(r.stderr)")
        // A class column: the page offers the class.
        let classes = try embedded(r.stdout, key: "rosterClasses")
        #expect(classes.map { $0["class"] as? String } == ["3A"])
        let roster = try #require(classes.first?["students"] as? [[String: Any]])
        #expect(roster.map { $0["id"] as? String } == ["S01", "S02", "103"])
        #expect(roster.map { $0["tier"] as? String } == ["top", nil, "bottom"])
        #expect(roster.map { $0["col"] as? Int } == [1, 2, 1])
        // The same workbook serves the archive commands as rosters by class.
        let lesson = #"{"id":"x1","date":"2026-03-12","teacher":"T","subject":"chinese","grade":3,"class":"3A","segments":[],"performances":[{"t":30,"student":"103","kind":"answer"}]}"#
        let m = try CLI.run(["metrics", "--format", "json", "--roster", path, "-"], stdin: Data((lesson + "\n").utf8))
        #expect(m.status == 0, "\(m.stderr)")
        #expect((try CLI.jsonLines(m.stdout).first?["metrics"] as? [String: Any])?["bottom_reached"] as? Double == 1)
        // A cell or row far past Excel's bounds: refused with a message, no trap, no huge allocation.
        let hostile = dir + "/hostile.xlsx"
        let rewrite = """
        import sys, zipfile
        src, dst, old, new = sys.argv[1:5]
        with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w") as b:
            for item in a.infolist():
                data = a.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml": data = data.replace(old.encode(), new.encode(), 1)
                b.writestr(item, data)
        """
        for (old, new) in [(#"r="A2""#, #"r="ZZZZZZZZZZZZZZZZZZZZZZZZZ2""#), (#"<row r="2""#, #"<row r="9000000000000000000""#)] {
            let (s2, o2) = try Helper.run("/usr/bin/env", ["python3", "-c", rewrite, path, hostile, old, new])
            #expect(s2 == 0, "\(o2)")
            let h = try CLI.run(["capture", "--roster", hostile, "--out", "-"])
            #expect(h.status == 2 && h.stderr.contains("hostile.xlsx") && h.stderr.contains("past Excel"), "\(h.stderr)")
        }
        // Not a workbook after all: a clear message, not a crash.
        let broken = dir + "/broken.xlsx"
        try Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]).write(to: URL(fileURLWithPath: broken))
        let b = try CLI.run(["capture", "--roster", broken, "--out", "-"])
        #expect(b.status == 2 && b.stderr.contains("broken.xlsx"), "\(b.stderr)")
    }

    @Test func aRosterByClassIsOfferedByClassAndASeatIsGivenOnce() throws {
        let path = try file("classes.csv", Array("班级,学号,姓名,行,列\n3A,S1,甲,1,1\n3B,S1,乙,1,1\n".utf8))
        let r = try CLI.run(["capture", "--roster", path, "--out", "-"])
        #expect(r.status == 0)
        #expect(try embedded(r.stdout).isEmpty)
        #expect(r.stdout.contains(#""rosterClasses":[{"class":"3A","students":[{"id":"S1""#))
        #expect(r.stdout.contains(#"{"class":"3B","students":[{"id":"S1""#))
        let taken = try file("taken.csv", Array("学号,行,列\nS1,1,1\nS2,1,1\n".utf8))
        let t = try CLI.run(["capture", "--roster", taken, "--out", "-"])
        #expect(t.status == 2 && t.stderr.contains("row 1, col 1 is already the seat of \"S1\""), "\(t.stderr)")
    }
}
