import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensSheets

/// `lessonlens import`: records kept elsewhere (the school's record sheet,
/// COPUS coding sheets, BORIS exports) as observation-log-v1 lines on stdout.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a record sheet, a COPUS sheet or a BORIS export into observation-log-v1 lines on stdout.",
        discussion: """
        Every cell or row that cannot be read is named on stderr (sheet, row, column, reason) and keeps its lesson \
        out (exit 1); the other lessons are written. See docs/imports.md.
        """,
        subcommands: [ImportSheet.self, ImportCOPUS.self, ImportBORIS.self]
    )
}

/// Options every import shares.
struct ImportOptions: ParsableArguments {
    @Option(name: .long, help: "Language of messages: zh or en (default: from LANG).")
    var lang: ReportLanguage?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the lines to this file instead of stdout.", valueName: "file"))
    var out: String?

    @Flag(name: .shortAndLong, help: "No warnings or counts on stderr (errors still print).")
    var quiet = false

    var language: ReportLanguage { lang ?? Messages.localeLanguage }

    /// Reads a workbook, a text table or a folder of them; a file that cannot
    /// be read at all is a usage error naming it.
    func tables(_ path: String) throws -> [SheetTables.Table] {
        do {
            let tables = try SheetTables(path: path).tables
            if !quiet {
                for t in tables where t.encoding != nil {
                    let note = language == .zh ? "按 \(t.encoding!) 编码读取" : "read as \(t.encoding!)"
                    FileHandle.standardError.write(Data("lessonlens: \(path): \(t.name): \(note)\n".utf8))
                }
            }
            return tables
        } catch {
            throw UsageError(message: "\(path): \(error)")
        }
    }

    /// Writes `lessons`, prints `issues`, and ends with the exit status: 1 when
    /// anything was kept out.
    func finish(_ path: String, lessons: [Lesson], issues: [SheetIssue], rejected: Int) throws {
        let err = OutputStream.standardError
        for issue in issues where !issue.isWarning || !quiet {
            let word = issue.isWarning ? (language == .zh ? "警告" : "warning") : (language == .zh ? "错误" : "error")
            err.write("\(path): \(word): \(issue.text(language))\n")
        }
        let sink = try out.map(OutputStream.create) ?? .standardOutput
        for lesson in lessons { sink.write(LessonJSON.line(lesson) + "\n") }
        sink.flush()
        if out != nil { sink.close() }
        let errors = issues.filter { !$0.isWarning }.count
        if !quiet {
            err.write(language == .zh
                ? "lessonlens: 写出 \(lessons.count) 节课，\(rejected) 节因错误未写出，\(errors) 个错误，\(issues.count - errors) 个警告\n"
                : "lessonlens: \(lessons.count) lesson(s) written, \(rejected) kept out, \(errors) error(s), \(issues.count - errors) warning(s)\n")
        }
        err.flush()
        if errors > 0 || rejected > 0 { throw ExitCode(1) }
    }
}

/// `lessonlens import sheet`.
struct ImportSheet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sheet",
        abstract: "The school's record sheet (lessonlens template): an .xlsx workbook or a folder of its sheets as CSV.",
        discussion: """
        Sheets 课堂/lessons, 环节/segments, 展示/performances and 学生/students, found by name; headers in Chinese or \
        English, found in the first 10 rows. Text files may be UTF-8 (with or without BOM), UTF-16 or GBK.
        """
    )

    @Argument(help: ArgumentHelp("The workbook (.xlsx) or a folder of lessons.csv, segments.csv, performances.csv, students.csv (or 课堂.csv, …).", valueName: "file"))
    var file: String

    @OptionGroup var options: ImportOptions

    func run() throws {
        let result = LessonSheets.read(try options.tables(file))
        try options.finish(file, lessons: result.lessons, issues: result.issues, rejected: result.rejected)
    }
}

/// `lessonlens import copus`.
struct ImportCOPUS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copus",
        abstract: "A COPUS coding sheet (the official template or one like it) as one lesson.",
        discussion: """
        The row of codes is found by its cells; each row below is an interval; a non-empty cell means the code happened. \
        Each code's run of intervals becomes a segment: Lec, RtW, D/V → lecture; FUp, PQ, CQ, AnQ, SQ, WC → discussion; \
        CG, WG, OG → group; Ind, Prd, SP → activity; TQ → homework; Adm, W → transition; O → other; L, MG, 1o1 add none. \
        Lossy: COPUS has no reading aloud or copying. `lessonlens profile --width SECONDS` on the lesson gives back each \
        code group's share of intervals.
        """
    )

    @Argument(help: ArgumentHelp("The COPUS sheet (.xlsx, .csv or .tsv).", valueName: "file"))
    var file: String

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("The lesson's fields: teacher=…,date=…,subject=…,grade=… (required), and id, class, school, observer, period, duration_min, enrolled, present, tags (a;b), visit, notes.", valueName: "key=value,…"))
    var set: [String] = []

    @Option(name: .long, help: "Minutes per interval (default 2, COPUS's).")
    var intervalMin: Double = 2

    @OptionGroup var options: ImportOptions

    func validate() throws {
        guard intervalMin > 0, intervalMin.isFinite else { throw ValidationError("--interval-min must be a positive number of minutes") }
        let metadata: ImportMetadata
        do { metadata = try ImportMetadata(set) } catch { throw ValidationError("--set: \(error)") }
        let missing = metadata.missing(["teacher", "date", "subject", "grade"])
        if !missing.isEmpty { throw ValidationError("--set must give " + missing.joined(separator: ", ")) }
    }

    func run() throws {
        let metadata = try ImportMetadata(set)
        let tables = try options.tables(file)
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        do {
            let coding = try COPUS.read(tables, intervalMin: intervalMin)
            let lesson = try COPUS.lesson(coding, intervalMin: intervalMin, metadata: metadata, defaultID: stem)
            try options.finish(file, lessons: [lesson], issues: [], rejected: 0)
        } catch let issue as SheetIssue {
            try options.finish(file, lessons: [], issues: [issue], rejected: 1)
        }
    }
}

/// `lessonlens import boris`.
struct ImportBORIS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boris",
        abstract: "BORIS's aggregated events export as lessons, one per observation id.",
        discussion: """
        MAP.csv says what each behavior is: `behavior,kind` for state events (segments), \
        `behavior,performance-kind[,prompted]` for point events (performances by the event's Subject, the student). \
        Unmapped behaviors are warned about once each, with their counts. The date comes from the export unless --set gives one.
        """
    )

    @Argument(help: ArgumentHelp("The export (.tsv, .csv or .xlsx).", valueName: "file"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("What each behavior is (CSV: behavior,kind[,prompted]).", valueName: "MAP.csv"))
    var map: String

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("The lessons' fields: teacher=…,subject=…,grade=… (required), date when the export has none, and class, school, observer, … .", valueName: "key=value,…"))
    var set: [String] = []

    @OptionGroup var options: ImportOptions

    func validate() throws {
        let metadata: ImportMetadata
        do { metadata = try ImportMetadata(set) } catch { throw ValidationError("--set: \(error)") }
        let missing = metadata.missing(["teacher", "subject", "grade"])
        if !missing.isEmpty { throw ValidationError("--set must give " + missing.joined(separator: ", ")) }
    }

    func run() throws {
        let metadata = try ImportMetadata(set)
        let mapTables = try options.tables(map)
        let parsed: BORIS.Map
        do { parsed = try BORIS.Map(rows: mapTables.first?.rows ?? [], name: (map as NSString).lastPathComponent) } catch {
            throw UsageError(message: "\(map): \(error.text(options.language))")
        }
        let result = BORIS.read(try options.tables(file), map: parsed, metadata: metadata)
        try options.finish(file, lessons: result.lessons, issues: result.issues, rejected: result.rejected)
    }
}
