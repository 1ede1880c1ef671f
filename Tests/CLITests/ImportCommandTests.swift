import Foundation
import Testing

/// `template`, `import sheet|copus|boris` and `export sheet` with files as
/// schools, COPUS coders and BORIS users have them, written here (workbooks
/// by Python's openpyxl, text by hand).
@Suite struct ImportCommandTests {
    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("imports-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func write(_ dir: URL, _ name: String, _ bytes: [UInt8]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Runs a Python script with arguments; fails the test on a non-zero exit.
    func python(_ script: String, _ arguments: [String]) throws -> String {
        let (status, output) = try Helper.run("/usr/bin/env", ["python3", "-c", script] + arguments)
        #expect(status == 0, "\(output)")
        return output
    }

    static let openpyxl = Helper.pythonHas("openpyxl")

    @Test(.enabled(if: openpyxl, "needs Python's openpyxl to read the workbook (scripts/ensure-deps installs it)"))
    func theTemplateHasFourSheetsWithNotesListsAndTextTimesInBothLanguages() throws {
        let dir = try folder()
        for (lang, names, kinds) in [("zh", "课堂,环节,展示,学生", "朗读,书写,当堂作业"), ("en", "lessons,segments,performances,students", "read,write,homework")] {
            let path = dir.appendingPathComponent("t-\(lang).xlsx").path
            let r = try CLI.run(["template", "--lang", lang, "--out", path])
            #expect(r.status == 0, "\(r.stderr)")
            let out = try python("""
                import openpyxl, sys, json
                wb = openpyxl.load_workbook(sys.argv[1])
                seg = wb.worksheets[1]
                print(json.dumps({"names": ",".join(wb.sheetnames), "note": wb.worksheets[0]["A1"].value,
                  "header": [c.value for c in wb.worksheets[0][2]], "kinds": [v.formula1 for v in seg.data_validations.dataValidation if "D" in str(v.sqref)],
                  "timeFormat": seg.column_dimensions["B"].number_format, "frozen": seg.freeze_panes}))
                """, [path])
            let info = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
            #expect(info["names"] as? String == names)
            #expect((info["note"] as? String ?? "").count > 40)
            #expect((info["header"] as? [String])?.count == 20)
            #expect(((info["kinds"] as? [String])?.first ?? "").hasPrefix("\"" + kinds))
            #expect(info["timeFormat"] as? String == "@" && info["frozen"] as? String == "A3")
        }
    }

    @Test(.enabled(if: openpyxl, "needs Python's openpyxl to write the workbook (scripts/ensure-deps installs it)"))
    func aWorkbookFilledInExcelWithSerialDatesExcelTimesAndBooleansIsRead() throws {
        let dir = try folder()
        let path = dir.appendingPathComponent("记录.xlsx").path
        _ = try python("""
            import openpyxl, sys, datetime
            wb = openpyxl.Workbook()
            l = wb.active; l.title = "课堂"
            l.append(["听课记录（学校自制）"])
            l.append(["编号", "日期", "执教教师", "学科", "年级", "班级", "时长", "应到", "实到", "作业人数", "当堂完成", "读课文遍数", "标签", "评课意见"])
            l.append(["L1", datetime.date(2026, 9, 3), "王老师", "chinese", 3, "3A", 40, 42, 41, 41, 37, 3, "new-teacher，pre-coaching", "朗读充分"])
            l.append(["L2", "2026/9/10", "王老师", "chinese", 3.0, "3A", None, None, None, None, None, None, None, None])
            g = wb.create_sheet("环节")
            g.append(["课堂编号", "开始", "结束", "类型", "任务", "遍数"])
            g.append(["L1", "0:00", "4:00", "讲授", None, None])
            # 4:00 and 12:30 typed into cells Excel formats as h:mm; 0:30:00 as h:mm:ss; 39:00 as [h]:mm
            g.append(["L1", datetime.time(4, 0), datetime.time(12, 30), "朗读", None, None])
            g["B3"].number_format = "h:mm"; g["C3"].number_format = "h:mm"
            g.append(["L1", "12:30", "18:00", "书写", "copy", 3])
            g.append(["L1", datetime.time(0, 30, 0), datetime.timedelta(hours=39), "当堂作业", None, None])
            g["B5"].number_format = "h:mm:ss"; g["C5"].number_format = "[h]:mm"
            g.append(["L2", "0:00", "40:00", "lecture", None, None])
            p = wb.create_sheet("展示")
            p.append(["课堂编号", "时间", "学号", "方式", "独立"])
            p.append(["L1", "5:10", "S07", "朗读", None])
            p.append(["L1", "19:30", "S12", "回答", False])
            s = wb.create_sheet("学生")
            s.append(["班级", "学号", "层次", "姓名"])
            s.append(["3A", "S07", "下", "张三"])
            s.append(["3A", "S12", "上", "李四"])
            wb.save(sys.argv[1])
            """, [path])
        let r = try CLI.run(["import", "sheet", path])
        #expect(r.status == 0, "\(r.stderr)")
        let lessons = try CLI.jsonLines(r.stdout)
        #expect(lessons.count == 2)
        let l1 = lessons[0]
        #expect(l1["date"] as? String == "2026-09-03" && l1["teacher"] as? String == "王老师" && l1["grade"] as? Int == 3)
        #expect(l1["tags"] as? [String] == ["new-teacher", "pre-coaching"] && l1["notes"] as? String == "朗读充分")
        #expect((l1["homework"] as? [String: Int]) == ["assigned": 41, "completed": 37])
        let segments = l1["segments"] as! [[String: Any]]
        #expect(segments.map { $0["kind"] as? String } == ["lecture", "read", "write", "homework"])
        #expect(segments.map { $0["start"] as? String } == ["0:00", "4:00", "12:30", "30:00"])  // typed as Excel times
        #expect(segments.map { $0["end"] as? String } == ["4:00", "12:30", "18:00", "39:00"])
        #expect(segments[1]["passes"] as? Int == 3 && segments[2]["passes"] as? Int == 3 && segments[2]["task"] as? String == "copy")
        let performances = l1["performances"] as! [[String: Any]]
        #expect(performances.map { $0["independent"] as? Bool } == [nil, false])
        #expect((l1["students"] as? [[String: String]]) == [["id": "S07", "tier": "bottom"], ["id": "S12", "tier": "top"]])
        #expect(lessons[1]["date"] as? String == "2026-09-10" && lessons[1]["students"] != nil)
        // The metrics of the imported lesson are the hand count's.
        let m = try CLI.run(["metrics", "--format", "json", "-"], stdin: Data(r.stdout.utf8))
        let row = try #require(try CLI.jsonLines(m.stdout).first)
        let metrics = row["metrics"] as! [String: Any]
        #expect(metrics["reading_min"] as? Double == 8.5 && metrics["writing_min"] as? Double == 14.5 && metrics["read_passes"] as? Int == 3)
    }

    @Test(.enabled(if: openpyxl, "needs Python's openpyxl to write the workbook (scripts/ensure-deps installs it)"))
    func everyBadCellIsNamedAndKeepsOnlyItsLessonOut() throws {
        let dir = try folder()
        let path = dir.appendingPathComponent("bad.xlsx").path
        _ = try python("""
            import openpyxl, sys
            wb = openpyxl.Workbook()
            l = wb.active; l.title = "lessons"
            l.append(["id", "date", "teacher", "subject", "grade", "class"])
            for k in range(1, 6): l.append(["L%d" % k, "2026-09-0%d" % k, "T", "chinese", 3, "3A"])
            g = wb.create_sheet("segments")
            g.append(["lesson", "start", "end", "kind"])
            g.append(["L1", "0:00", "10:00", "read"])
            g.append(["L2", "0:00", "10:00", "reading time"])
            g.append(["L3", "10:00", "5:00", "write"])
            g.append(["L4", "five", "10:00", "write"])
            p = wb.create_sheet("performances")
            p.append(["lesson", "time", "student", "kind", "independent"])
            p.append(["L5", "1:00", "S99", "answer", "yes"])
            p.append(["L9", "1:00", "S01", "answer", "yes"])
            for k in range(6, 8): l.append(["L%d" % k, "2026-09-0%d" % k, "T", "chinese", 3, "3B"])
            p.append(["L6", "2:00", "S01", "answer", ""])
            s = wb.create_sheet("students")
            s.append(["class", "id", "tier"])
            s.append(["3A", "S01", "top"])
            s.append(["3B", "S01", "top"])
            s.append(["3B", "S02", "上等"])
            wb.save(sys.argv[1])
            """, [path])
        let r = try CLI.run(["import", "sheet", path])
        #expect(r.status == 1)
        #expect(try CLI.jsonLines(r.stdout).map { $0["id"] as? String } == ["L1"])
        #expect(r.stderr.contains("sheet \"segments\", row 3, column D (kind): unknown kind \"reading time\""), "\(r.stderr)")
        #expect(r.stderr.contains("sheet \"segments\", row 4, column C (end): ends at 5:00, not after its start 10:00"), "\(r.stderr)")
        #expect(r.stderr.contains("sheet \"segments\", row 5, column B (start): \"five\" is not a time"), "\(r.stderr)")
        #expect(r.stderr.contains("sheet \"performances\", row 2, column C (student): student \"S99\" is not on the roster of class 3A"), "\(r.stderr)")
        #expect(r.stderr.contains("sheet \"performances\", row 3, column A (lesson): no lesson \"L9\""), "\(r.stderr)")
        // A roster row that cannot be read keeps its class's lessons out (not a shorter roster).
        #expect(r.stderr.contains("sheet \"students\", row 4, column C (tier): unknown tier \"上等\""), "\(r.stderr)")
        #expect(r.stderr.contains("the roster of class 3B on sheet \"students\" has a row that cannot be read"), "\(r.stderr)")
        #expect(r.stderr.contains("1 lesson(s) written, 6 kept out"), "\(r.stderr)")
        let zh = try CLI.run(["import", "sheet", "--lang", "zh", path])
        #expect(zh.stderr.contains("工作表「segments」第 3 行 D 列（kind）：未知的类型「reading time」"), "\(zh.stderr)")
    }

    @Test func aFolderOfGBKCSVFilesFromExcelIsRead() throws {
        let dir = try folder()
        func gbk(_ name: String, _ text: String) throws {
            _ = try write(dir, name, try Helper.gb18030(text))
        }
        try gbk("课堂.csv", "编号,日期,教师,学科,年级,班级,评课意见\r\nK1,2026/10/9,张老师,语文,2,2B,\"朗读好，\"\"书写\"\"少\"\r\n")
        try gbk("环节.csv", "课堂编号,开始,结束,类型\r\nK1,0:00,12:00,朗读\r\nK1,12:00,20:00,书写\r\n")
        try gbk("展示.csv", "课堂编号,时间,学生,独立\r\nK1,3:00,S1,是\r\nK1,4:00,S2,否\r\n")
        try gbk("学生.csv", "班级,学号,层次,姓名\r\n2B,S1,中,王一\r\n2B,S2,下,王二\r\n")
        let r = try CLI.run(["import", "sheet", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("GB18030"))
        let lesson = try #require(try CLI.jsonLines(r.stdout).first)
        #expect(lesson["teacher"] as? String == "张老师" && lesson["subject"] as? String == "语文" && lesson["notes"] as? String == "朗读好，\"书写\"少")
        #expect((lesson["segments"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["read", "write"])
        #expect((lesson["performances"] as? [[String: Any]])?.map { $0["independent"] as? Bool } == [nil, false])
    }

    @Test func exportThenImportGivesTheSameMetrics() throws {
        let dir = try folder()
        let book = dir.appendingPathComponent("archive.xlsx").path
        let archive = Helper.root.appendingPathComponent("datasets/semester-2026-autumn.jsonl").path
        let e = try CLI.run(["export", "sheet", "--out", book, archive])
        #expect(e.status == 0, "\(e.stderr)")
        let i = try CLI.run(["import", "sheet", book])
        #expect(i.status == 0, "\(i.stderr)")
        let before = try CLI.run(["metrics", "--format", "json", archive]), after = try CLI.run(["metrics", "--format", "json", "-"], stdin: Data(i.stdout.utf8))
        #expect(before.stdout == after.stdout && before.stdout.split(separator: "\n").count == 120)
        // A line that cannot be read is named and left out of the workbook.
        let broken = try write(dir, "broken.jsonl", Array("{\"id\":\"x\"}\n".utf8))
        let b = try CLI.run(["export", "sheet", "--out", dir.appendingPathComponent("b.xlsx").path, broken])
        #expect(b.status == 1 && b.stderr.contains("broken.jsonl:1"), "\(b.stderr)")
    }

    @Test(.enabled(if: openpyxl, "needs Python's openpyxl to write the workbook (scripts/ensure-deps installs it)"))
    func aCOPUSSheetWithMergedGroupHeadersAndOtherSpellings() throws {
        let dir = try folder()
        let path = dir.appendingPathComponent("copus-obs.xlsx").path
        // Students: L Ind CG WG OG SAnQ SQ WC Prd SP T/Q W Other; instructor: Lec RtW Fup PQ CQ TAnQ MG OoO DV Adm W O.
        _ = try python("""
            import openpyxl, sys
            wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Sheet1"
            ws.append(["COPUS observation", "", "Instructor: Smith"])
            ws.append(["", "Students are Doing"] + [""] * 12 + ["Instructor is Doing"] + [""] * 11 + ["Comments"])
            ws.merge_cells("B2:N2"); ws.merge_cells("O2:Z2")
            ws.append(["min", "L", "Ind", "CG", "WG", "OG", "AnQ", "SQ", "WC", "Prd", "SP", "T/Q", "W", "Other",
                       "Lec", "RtW", "Fup", "PQ", "CQ", "AnQ", "MG", "OoO", "DV", "Adm", "W", "O", "Comments"])
            marks = {0: ["L", "Lec", "Adm"], 1: ["L", "Lec"], 2: ["CG", "MG"], 3: ["CG", "SAnQ", "Fup"], 4: ["T/Q"], 5: [], 6: ["W", "TW"]}
            header = [c.value for c in ws[3]]
            for k in range(7):
                row = ["%d-%d" % (2 * k, 2 * k + 2)] + [""] * 26
                for code in marks[k]:
                    if code == "SAnQ": row[6] = "x"
                    elif code == "TW": row[24] = 1
                    elif code == "W": row[12] = "x"
                    else: row[header.index(code)] = "x"
                ws.append(row)
            ws.append(["Total"] + [3] * 26)
            wb.save(sys.argv[1])
            """, [path])
        let r = try CLI.run(["import", "copus", path, "--set", "teacher=T1,date=2026-10-09,subject=physics,grade=10", "--set", "class=10B"])
        #expect(r.status == 0, "\(r.stderr)")
        let lesson = try #require(try CLI.jsonLines(r.stdout).first)
        #expect(lesson["id"] as? String == "copus-obs" && lesson["duration_min"] as? Int == 14 && lesson["class"] as? String == "10B")
        let segments = (lesson["segments"] as! [[String: Any]]).map { "\($0["kind"]!) \($0["start"]!)-\($0["end"]!) \($0["notes"]!)" }
        #expect(segments == ["lecture 0:00-4:00 COPUS instructor Lec", "transition 0:00-2:00 COPUS instructor Adm",
                             "group 4:00-8:00 COPUS student CG", "discussion 6:00-8:00 COPUS student AnQ",
                             "discussion 6:00-8:00 COPUS instructor FUp", "homework 8:00-10:00 COPUS student TQ",
                             "transition 12:00-14:00 COPUS student W", "transition 12:00-14:00 COPUS instructor W"], "\(segments)")
        // profile gives back each code group's share of the 7 intervals.
        let p = try CLI.run(["profile", "--format", "json", "-"], stdin: Data(r.stdout.utf8))
        let share = try #require(try CLI.jsonLines(p.stdout).first?["share"] as? [String: Double])
        #expect(share["lecture"] == 2.0 / 7 && share["group"] == 2.0 / 7 && share["discussion"] == 1.0 / 7)
        #expect(share["homework"] == 1.0 / 7 && share["transition"] == 2.0 / 7 && share["read"] == 0)
        // Without the lesson's fields it is a usage error; a sheet of no codes is named.
        #expect(try CLI.run(["import", "copus", path, "--set", "teacher=T1"]).status == 2)
        let empty = try write(dir, "empty.csv", Array("a,b\n1,2\n".utf8))
        let e = try CLI.run(["import", "copus", empty, "--set", "teacher=T1,date=2026-10-09,subject=physics,grade=10"])
        #expect(e.status == 1 && e.stderr.contains("no row of COPUS codes"), "\(e.stderr)")
    }

    static let borisV8Header = "Observation id\tObservation date\tDescription\tObservation type\tSource\tTime offset (s)\tMedia duration (s)\tFPS\tSubject\tObservation duration by subject by observation\tBehavior\tBehavioral category\tBehavior type\tStart (s)\tStop (s)\tDuration (s)\tMedia file name\tImage index start\tImage index stop\tImage file path start\tImage file path stop\tComment start\tComment stop\n"

    func borisV8Row(_ obs: String, _ subject: String, _ behavior: String, _ type: String, _ start: String, _ stop: String) -> String {
        "\(obs)\t2026-10-09 09:05:00\t\tMEDIA\tv.mp4\t0\t2400\t25\t\(subject)\t2400\t\(behavior)\t\t\(type)\t\(start)\t\(stop)\t0\tv.mp4\tNA\tNA\tNA\tNA\t\t\n"
    }

    @Test func borisExportsOfBothHeaderVintages() throws {
        let dir = try folder()
        let map = try write(dir, "map.csv", Array("behavior,kind,prompted\nLecture,lecture\nReading,read\nAnswer,answer\nChoral,answer,prompted\nRead alone,read\n".utf8))
        var v8 = Self.borisV8Header
        v8 += borisV8Row("obs1", "No focal subject", "Lecture", "STATE", "0", "300.5")
        v8 += borisV8Row("obs1", "No focal subject", "Reading", "STATE", "300.5", "900")
        v8 += borisV8Row("obs1", "S07", "Answer", "POINT", "412.2", "412.2")
        v8 += borisV8Row("obs1", "S08", "Choral", "POINT", "500", "500")
        v8 += borisV8Row("obs1", "S08", "Yawn", "POINT", "510", "510")
        v8 += borisV8Row("obs1", "S09", "Yawn", "POINT", "520", "520")
        v8 += borisV8Row("obs1", "S09", "Read alone", "POINT", "530", "530")
        let a = try CLI.run(["import", "boris", try write(dir, "v8.tsv", Array(v8.utf8)), "--map", map, "--set", "teacher=T1,subject=chinese,grade=3"])
        #expect(a.status == 0, "\(a.stderr)")
        let lesson = try #require(try CLI.jsonLines(a.stdout).first)
        #expect(lesson["id"] as? String == "obs1" && lesson["date"] as? String == "2026-10-09")
        #expect((lesson["segments"] as! [[String: Any]]).map { "\($0["kind"]!) \($0["start"]!) \($0["end"]!)" } == ["lecture 0:00 300.5", "read 300.5 15:00"])
        #expect((lesson["performances"] as! [[String: Any]]).map { "\($0["student"]!) \($0["kind"]!) \(($0["independent"] as? Bool) ?? true)" }
                == ["S07 answer true", "S08 answer false", "S09 read true"])
        #expect(a.stderr.contains("behavior \"Yawn\" is not in the map: 2 event(s) not imported"), "\(a.stderr)")
        // BORIS 7: other columns, CSV, two observations; a point event without a student keeps its lesson out.
        let v7 = """
            Observation id,Observation date,Description,Media file,Total length,FPS,Subject,Behavior,Modifiers,Behavior type,Start (s),Stop (s),Duration (s),Comment start,Comment stop
            A-1,2026-03-02,,a.mp4,2400,25,No focal subject,Lecture,,STATE,0,600,600,,
            A-1,2026-03-02,,a.mp4,2400,25,S01,Answer,,POINT,61,NA,NA,,
            B-2,2026-03-03,,b.mp4,2400,25,,Answer,,POINT,70,NA,NA,,
            B-2,2026-03-03,,b.mp4,2400,25,No focal subject,Reading,,STATE,600,NA,NA,,

            """
        let b = try CLI.run(["import", "boris", try write(dir, "v7.csv", Array(v7.utf8)), "--map", map, "--set", "teacher=T2,subject=chinese,grade=4,class=4A"])
        #expect(b.status == 1)
        #expect(try CLI.jsonLines(b.stdout).map { $0["id"] as? String } == ["A-1"])
        #expect(b.stderr.contains("row 4, column G (Subject): a performance needs a student"), "\(b.stderr)")
        #expect(b.stderr.contains("row 5, column L (Stop (s)): \"NA\" is not a time in seconds"), "\(b.stderr)")
        // A map word that is no kind is named with its row.
        let badMap = try write(dir, "bad-map.csv", Array("Lecture,lectur\n".utf8))
        let c = try CLI.run(["import", "boris", try write(dir, "v7b.csv", Array(v7.utf8)), "--map", badMap, "--set", "teacher=T2,subject=chinese,grade=4"])
        #expect(c.status == 2 && c.stderr.contains("row 1") && c.stderr.contains("\"lectur\""), "\(c.stderr)")
    }
}

extension ImportCommandTests {
    @Test(.enabled(if: openpyxl, "needs Python's openpyxl to write the workbook (scripts/ensure-deps installs it)"))
    func aBorisExportSavedAsAWorkbook() throws {
        let dir = try folder()
        let map = try write(dir, "map.csv", Array("Behavior,Kind\nLecture,讲授\nAnswer,回答\n".utf8))
        let tsv = Self.borisV8Header + borisV8Row("w1", "No focal subject", "Lecture", "STATE", "0", "120") + borisV8Row("w1", "S3", "Answer", "POINT", "90", "90")
        let path = dir.appendingPathComponent("export.xlsx").path
        _ = try python("""
            import openpyxl, sys
            wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Aggregated events"
            for line in sys.argv[2].splitlines():
                ws.append([float(c) if c.replace(".", "").isdigit() else c for c in line.split("\\t")])
            wb.save(sys.argv[1])
            """, [path, tsv])
        let r = try CLI.run(["import", "boris", path, "--map", map, "--set", "teacher=T,subject=math,grade=5,date=2026-11-02"])
        #expect(r.status == 0, "\(r.stderr)")
        let lesson = try #require(try CLI.jsonLines(r.stdout).first)
        // --set's date wins over the export's.
        #expect(lesson["date"] as? String == "2026-11-02" && lesson["tags"] as? [String] == ["boris"])
        #expect((lesson["segments"] as! [[String: Any]]).map { "\($0["kind"]!) \($0["start"]!) \($0["end"]!)" } == ["lecture 0:00 2:00"])
        #expect((lesson["performances"] as! [[String: Any]]).map { "\($0["student"]!) \($0["t"]!)" } == ["S3 1:30"])
    }
}

extension ImportCommandTests {
    @Test func aMissingColumnIsNamedOnceAtTheHeaderAndTheFormatsOwnChecksPointAtTheirRow() throws {
        let dir = try folder()
        let sheets = dir.appendingPathComponent("sheets")
        try FileManager.default.createDirectory(at: sheets, withIntermediateDirectories: true)
        _ = try write(sheets, "lessons.csv", Array("id,date,subject,grade\nA,2026-09-01,chinese,3\nB,2026-09-02,chinese,3\n".utf8))
        let a = try CLI.run(["import", "sheet", sheets.path])
        #expect(a.status == 1 && a.stderr.contains("sheet \"lessons\", row 1: the header has no column 教师/teacher (required)"), "\(a.stderr)")
        #expect(a.stderr.components(separatedBy: "teacher").count == 2 && a.stderr.contains("0 lesson(s) written, 2 kept out"), "\(a.stderr)")
        // A time past the lesson: the decoder's rule, named at the segment's row, in Chinese too.
        _ = try write(sheets, "lessons.csv", Array("id,date,teacher,subject,grade,enrolled,present\nA,2026-09-01,T,chinese,3,30,29\n".utf8))
        _ = try write(sheets, "segments.csv", Array("lesson,start,end,kind\nA,0:00,10:00,read\nA,10:00,120:00,write\n".utf8))
        let b = try CLI.run(["import", "sheet", sheets.path])
        #expect(b.status == 1 && b.stderr.contains("sheet \"segments\", row 3: lesson \"A\": end: time 120:00"), "\(b.stderr)")
        let zh = try CLI.run(["import", "sheet", "--lang", "zh", sheets.path])
        #expect(zh.stderr.contains("工作表「segments」第 3 行：课堂「A」：end：") && !zh.stderr.contains("is past"), "\(zh.stderr)")
    }

    @Test func copusCodedOneAndZeroAndABorisMapInAnotherCase() throws {
        let dir = try folder()
        let copus = "L,Ind,CG,WG,OG,AnQ,SQ,WC,Prd,SP,TQ,W,O,Lec,RtW,FUp,PQ,CQ,AnQ,MG,1o1,D/V,Adm,W,O\n"
            + "1,0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0\n"
            + "0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
        let r = try CLI.run(["import", "copus", try write(dir, "c.csv", Array(copus.utf8)), "--set", "teacher=T,date=2026-10-01,subject=math,grade=8"])
        #expect(r.status == 0, "\(r.stderr)")
        let segments = try #require(try CLI.jsonLines(r.stdout).first?["segments"] as? [[String: Any]])
        #expect(segments.map { "\($0["kind"]!) \($0["start"]!)-\($0["end"]!)" } == ["lecture 0:00-2:00", "group 2:00-4:00"])
        let map = try write(dir, "map.csv", Array("lecture,lecture\nanswer,answer\n".utf8))
        let tsv = Self.borisV8Header + borisV8Row("o1", "No focal subject", "Lecture", "STATE", "0", "60") + borisV8Row("o1", "S1", "ANSWER", "POINT", "30", "30")
        let b = try CLI.run(["import", "boris", try write(dir, "e.tsv", Array(tsv.utf8)), "--map", map, "--set", "teacher=T,subject=math,grade=8,id=renamed"])
        #expect(b.status == 0 && !b.stderr.contains("not in the map"), "\(b.stderr)")
        let lesson = try #require(try CLI.jsonLines(b.stdout).first)
        #expect(lesson["id"] as? String == "renamed" && (lesson["segments"] as? [Any])?.count == 1 && (lesson["performances"] as? [Any])?.count == 1)
    }
}
