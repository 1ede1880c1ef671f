import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensSheets

/// `lessonlens template`: the empty record sheet a school fills in by hand.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Write the empty record sheet (.xlsx) a school fills in by hand; read it back with `lessonlens import sheet`.",
        discussion: """
        Sheets 课堂/lessons (one row a lesson), 环节/segments, 展示/performances and 学生/students (rosters by class), \
        each with a note above its header, drop-down lists for kinds, tiers and yes/no, and time columns kept as text.
        """
    )

    @Option(name: .long, help: "Language of the sheets' names, headers, notes and lists: zh or en (default: from LANG).")
    var lang: ReportLanguage?

    @Option(name: .shortAndLong, help: ArgumentHelp("The workbook to write.", valueName: "file.xlsx"))
    var out: String

    func run() throws {
        let bytes = try LessonSheets.template(lang ?? Messages.localeLanguage).data()
        try writeWorkbook(bytes, to: out)
    }
}

/// `lessonlens export`: an archive in another tool's format.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an archive in another format: `export sheet` fills the record sheet (.xlsx).",
        subcommands: [ExportSheet.self]
    )
}

/// `lessonlens export sheet`.
struct ExportSheet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sheet",
        abstract: "The archive as the record sheet (.xlsx, the template's sheets filled), for a school that works in Excel.",
        discussion: """
        Every field the sheets have; `import sheet` reads the workbook back to the same lessons. A class's roster is \
        written once when all its lessons share it, else per lesson. Lines that cannot be read are named (exit 1) and left out.
        """
    )

    @Argument(help: ArgumentHelp("Observation logs (JSON Lines; .gz is decompressed; - is standard input).", valueName: "file"))
    var files: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("The workbook to write.", valueName: "file.xlsx"))
    var out: String

    @Option(name: .long, help: "Language of the sheets: zh or en (default: from LANG).")
    var lang: ReportLanguage?

    @Flag(name: .shortAndLong, help: "No warnings or counts on stderr (errors still print).")
    var quiet = false

    func validate() throws {
        if files.isEmpty { throw ValidationError(cliMessages.text(.noInputFiles)) }
    }

    func run() throws {
        let language = lang ?? Messages.localeLanguage
        let messages = Messages(language)
        let inputs = try Input.openAll(files)
        var lessons: [Lesson] = [], seen = Set<ScalarIdentity>(), rejected = 0, warnings = 0
        let err = OutputStream.standardError
        for opened in inputs {
            let name = opened.name
            try forEachLine(opened) { line, number in
                var body = line
                if number == 1, body.count >= 3, body[0] == 0xEF, body[1] == 0xBB, body[2] == 0xBF { body = UnsafeBufferPointer(rebasing: body[3...]) }
                var decoder = LessonDecoder(), found: [FieldIssue] = []
                do throws(FieldIssue) {
                    let lesson = try decoder.decode(body, warnings: &found)
                    for w in found where !quiet { err.write(messages(Diagnostic(severity: .warning, file: name, line: number, issue: w)) + "\n") }
                    warnings += found.count
                    guard seen.insert(ScalarIdentity(lesson.id)).inserted else {
                        err.write(messages(Diagnostic(severity: .error, file: name, line: number, issue: FieldIssue(field: "id", .duplicateID, "\(lesson.id)"))) + "\n")
                        rejected += 1
                        return
                    }
                    lessons.append(lesson)
                } catch {
                    err.write(messages(Diagnostic(severity: .error, file: name, line: number, issue: error)) + "\n")
                    rejected += 1
                }
            }
        }
        let bytes = try LessonSheets.workbook(lessons: lessons, language: language).data()
        try writeWorkbook(bytes, to: out)
        if !quiet {
            err.write("lessonlens: " + messages.counts(accepted: lessons.count, rejected: rejected, warnings: warnings, failedInputs: 0) + "\n")
        }
        err.flush()
        if rejected > 0 { throw ExitCode(1) }
    }
}

/// Writes a workbook's bytes; a place that cannot be written is a usage error.
func writeWorkbook(_ bytes: Data, to path: String) throws {
    do { try bytes.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
        throw UsageError(message: "\(path): cannot write: \(error.localizedDescription)")
    }
}
