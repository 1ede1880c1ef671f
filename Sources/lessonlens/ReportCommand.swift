import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

extension ReportLanguage: ExpressibleByArgument {}

/// `lessonlens report`: one self-contained HTML page per question.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report: one lesson, one teacher, or an overview of all teachers.",
        discussion: """
        --lesson ID: the lesson's timeline to scale, gauges against the targets, standards. \
        --teacher T: every visit, trends with least-squares lines, standards against the archive, participation by tier. \
        --all: one row per teacher with sparklines, sortable. Inline CSS and SVG only: no network, prints on A4.
        """
    )

    @Option(name: .long, help: "Report on one teacher.")
    var teacher: String?

    @Option(name: .long, help: "Report on one lesson (its id).")
    var lesson: String?

    @Flag(name: .long, help: "Overview of every teacher.")
    var all = false

    @Flag(name: .long, help: "One A4 page for a principal or a group meeting: period and filters, who needs help with what, coaching, observers' agreement, metrics that are not stable.")
    var brief = false

    @Flag(name: .long, help: "The files are homework ledgers (homework-log-v1): per class a calendar of daily minutes against the limit and subjects' shares, per teacher estimates against reports and marking.")
    var homework = false

    @Option(name: .long, help: ArgumentHelp("The files are homework ledgers: the parents' board of this class for one week (--week).", valueName: "class"))
    var board: String?

    @Option(name: .long, help: ArgumentHelp("With --board: the ISO week, YYYY-Www (default: the ledger's last week).", valueName: "week"))
    var week: String?

    @Option(name: .long, help: ArgumentHelp("The HTML file to write.", valueName: "file.html"))
    var out: String

    @OptionGroup var visits: VisitOptions
    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        let chosen = [teacher != nil, lesson != nil, all, brief, homework, board != nil].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError(cliMessages.text(.choosePage)) }
        if let week, LessonDate(isoWeek: week) == nil { throw ValidationError(cliMessages.text(.badWeek, week)) }
        if week != nil && board == nil { throw ValidationError(cliMessages.text(.weekNeedsBoard)) }
    }

    func run() throws {
        if homework || board != nil { return try homeworkPage() }
        let policy = try archive.loadPolicy()
        let labels = Labels(archive.messages.language, policy: policy)
        let page: ReportBuilder.Page = lesson.map { .lesson(id: $0) } ?? teacher.map { .teacher($0) } ?? (brief ? .brief : .overview)
        var builder = ReportBuilder(page: page, policy: policy, labels: labels, perLog: visits.perLog)
        builder.filterText = archive.filters.joined(separator: ",")
        let late = LateWarnings(archive)
        let outcome = try runArchives(archive, keepTimelines: builder.needsTimelines, late: late, prepare: { _ in () }) { e, _, at in
            builder.add(e, file: at.file, line: at.line)
            late.report(builder.takeWarnings())
        }
        guard let html = builder.html() else {
            if let lesson { throw UsageError(message: cliMessages.text(.noLessonWithID, lesson)) }
            let near = Suggestions.nearestNames(to: teacher ?? "", among: builder.teachers)
            throw UsageError(message: near.isEmpty ? cliMessages.text(.noLessonOfTeacher, teacher ?? "")
                                                   : cliMessages.text(.noLessonOfTeacherNearest, teacher ?? "", near.joined(separator: ", ")))
        }
        // `--out -` writes the page to standard output.
        if out == "-" {
            OutputStream.standardOutput.write(html)
            OutputStream.standardOutput.flush()
        } else if archive.quiet {
            guard FileManager.default.createFile(atPath: out, contents: Data(html.utf8)) else { throw UsageError(message: cliMessages.text(.cannotWrite, out)) }
        } else {
            try writeOutput(html, to: out)
        }
        throw outcome.exitCode
    }

    /// `--homework` and `--board`: the ledger's pages.
    private func homeworkPage() throws {
        let messages = archive.messages
        let load = try archive.loadPolicy().homeworkLoad
        var book = HomeworkBook()
        let run = try readLedgers(archive.files, filters: archive.filters, threads: archive.threads, quiet: archive.quiet,
                                  rejects: archive.rejects, messages: messages) { book.add($0, classGrade: $1, selected: $2) }
        let html: String
        if let board {
            guard book.classGrades[board] != nil else {
                throw UsageError(message: cliMessages.text(.noSuchClass, board, book.classes.prefix(40).joined(separator: ", ")))
            }
            let last = book.assignments.filter { $0.className == board }.map(\.date).max()!
            let monday = week.flatMap(LessonDate.init(isoWeek:)) ?? last.mondayOfWeek
            html = HomeworkPages.board(book, className: board, monday: monday, load: load, language: messages.language)
        } else {
            html = HomeworkPages.report(book, load: load, language: messages.language)
        }
        if out == "-" {
            OutputStream.standardOutput.write(html)
            OutputStream.standardOutput.flush()
        } else {
            try writeOutput(html, to: out)
        }
        if run.failed { throw ExitCode(1) }
    }
}
