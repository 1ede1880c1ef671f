import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics
#if canImport(Glibc)
import Glibc
#endif

extension HomeworkGroupBy: ExpressibleByArgument {}

/// `lessonlens homework`: the homework ledger (作业统筹) against the grade's limits.
struct HomeworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homework",
        abstract: "Homework ledgers (homework-log-v1): daily written homework per class against the grade's limit, estimates against students' reports, marking on time.",
        discussion: """
        A class-day is a class and a date with at least one assignment; its \
        written home minutes are the estimated minutes of its written work \
        taken home, over the limit of the class's grade when above it (a \
        grade without a limit is not judged). --violations lists the class-days \
        over the limit. docs/homework-log-v1.md has the format and every figure.
        """
    )

    @Option(name: .long, help: "Group by class, grade, school, week, month, all, teacher or subject.")
    var by: HomeworkGroupBy = .class

    @Flag(name: .long, help: "List each class-day over its limit instead of the groups.")
    var violations = false

    @OptionGroup var output: FormatOptions

    @Option(name: .long, help: ArgumentHelp("Policy file (JSON): its homework_load section sets the limits; see `lessonlens policy`.", valueName: "file"))
    var policy: String?

    @Option(name: .long, help: ArgumentHelp("Write every rejected line, byte for byte, to this file.", valueName: "file"))
    var rejects: String?

    @Option(name: .customLong("where"), help: ArgumentHelp("Only assignments where EXPR holds (repeatable): teacher=, subject=, class=, school=, month=, grade and date comparisons.", valueName: "EXPR"))
    var filters: [String] = []

    @Option(name: .long, help: "Worker threads (default: every core).")
    var threads: Int?

    @Flag(name: .shortAndLong, help: "No warnings or counts on stderr (errors still print).")
    var quiet = false

    @Option(name: .long, help: "Language of counts, messages and tables: zh or en (default: from LANG).")
    var lang: ReportLanguage?

    @Argument(help: ArgumentHelp("Homework ledgers (JSON Lines; .gz is decompressed; - is standard input).", valueName: "file"))
    var files: [String] = []

    func validate() throws {
        if files.isEmpty { throw ValidationError(cliMessages.text(.noInputFiles)) }
        if let threads, threads < 1 { throw ValidationError(cliMessages.text(.optionAtLeast, "--threads", "1")) }
        for text in filters {
            let filter: LessonFilter
            do { filter = try LessonFilter(text) } catch { throw ValidationError("--where: " + cliMessages(error.why)) }
            if let field = filter.fieldNotInHomework { throw ValidationError(cliMessages.text(.filterNotForHomework, field)) }
        }
    }

    func run() throws {
        let messages = Messages(lang ?? Messages.localeLanguage)
        let load = try loadPolicyFile(policy).homeworkLoad
        var ledger = HomeworkLedger(by: by, load: load, keepViolations: violations)
        let run = try readLedgers(files, filters: filters, threads: threads, quiet: quiet, rejects: rejects, messages: messages) {
            ledger.add($0, classGrade: $1, selected: $2)
        }
        write(ledger: ledger, accepted: run.accepted, rejected: run.rejected, language: messages.language)
        if run.failed { throw ExitCode(1) }
    }

    private func write(ledger: HomeworkLedger, accepted: Int, rejected: Int, language: ReportLanguage) {
        let out = OutputStream.standardOutput
        defer { out.flush() }
        if violations {
            let list = ledger.violations
            switch output.format {
            case .json: for v in list { out.write(HomeworkFormat.violationJSON(v)) }
            case .csv:
                out.write(HomeworkFormat.violationCSVHeader)
                for v in list { out.write(HomeworkFormat.violationCSV(v)) }
            case .table: out.write(HomeworkFormat.violationTable(list, language: language))
            }
            return
        }
        let groups = ledger.groups
        switch output.format {
        case .json: out.write(HomeworkFormat.json(by: by, accepted: accepted, rejected: rejected, groups: groups))
        case .csv:
            out.write(HomeworkFormat.csvHeader)
            for g in groups { out.write(HomeworkFormat.csvRow(g)) }
        case .table: out.write(HomeworkFormat.table(by: by, groups: groups, language: language))
        }
    }
}

/// What reading ledgers did: lines accepted and rejected, and whether
/// anything was rejected or an input failed (exit status 1).
struct LedgerRun {
    var accepted = 0
    var rejected = 0
    var failed = false
}

/// Reads homework ledgers through the core's stream on every core, prints
/// each message (file:line, field, reason) and the counts, writes rejected
/// lines to `rejects`, and hands the assignments `--where` keeps to
/// `onAssignment` in input order, each with whether `--where` keeps it (the
/// others still count toward their class-day's minutes: a teacher's day is
/// judged on everything the class was set). A `--where` that matches nothing is a
/// usage error naming the values that are there.
func readLedgers(_ files: [String], filters: [String], threads: Int?, quiet: Bool, rejects: String?, messages: Messages,
             onAssignment: (HomeworkAssignment, Int, Bool) -> Void) throws -> LedgerRun {
    let filter = filters.isEmpty ? nil : LessonFilter(all: filters.compactMap { try? LessonFilter($0) })
    let inputs = try Input.openAll(files)
    let rejectsFile = try rejects.map(OutputStream.create)
    defer { rejectsFile?.close() }
    var stream = HomeworkStream()
    var matched = 0, failedInputs = 0
    var seen: [String: Set<String>] = [:]
    let diagnostics = OutputStream.standardError
    let threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
    // About how many lines the files hold, from the first one's line size.
    if let lines = Input.expectedLines(inputs) { stream.reserve(min(lines, 1 << 28)) }
    for opened in inputs {
        let name = opened.name
        var input: InputSource
        do {
            input = try opened.take()
        } catch {
            diagnostics.write("lessonlens: \(error)\n")
            failedInputs += 1
            continue
        }
        defer { _ = Glibc.close(input.file.fd) }
        do {
            // A file that is not JSON Lines at all (an array, pretty-printed,
            // UTF-16, GBK) gets one message that says how to convert it.
            let head = try input.head(upTo: 64 << 10)
            if let problem = FileShape.problem(head: head, name: name, wholeInput: head.count < 64 << 10) {
                diagnostics.write("lessonlens: \(name): \(messages(problem))\n")
                failedInputs += 1
                continue
            }
            try stream.read(&input, file: name, threads: threads) { event, line in
                switch event {
                case .accepted(let a, let grade):
                    if let filter, !filter.matches(a) {
                        noteFilteredValues(filter, of: a, in: &seen)
                        onAssignment(a, grade, false)
                        return
                    }
                    matched += 1
                    onAssignment(a, grade, true)
                case .rejected(let d):
                    diagnostics.write(messages(d) + "\n")
                    if let rejectsFile {
                        rejectsFile.write(line)
                        rejectsFile.write("\n")
                    }
                case .warning(let d):
                    if !quiet { diagnostics.write(messages(d) + "\n") }
                }
            }
        } catch let error as InputError {
            diagnostics.write("lessonlens: \(error)\n")
            failedInputs += 1
        }
        // Damage found after the lines before it were read (a cut .gz).
        if let failure = input.failure {
            diagnostics.write("lessonlens: \(failure)\n")
            failedInputs += 1
        }
    }
    let counts = stream.counts
    if !quiet {
        var line = messages.text(counts.accepted == 1 ? .oneAssignmentCounts : .assignmentCounts, "\(counts.accepted)", "\(counts.rejected)")
        if counts.warnings > 0 {
            line += (messages.language == .zh ? "，" : ", ") + messages(counts.warnings == 1 ? .oneWarning : .warnings, counts.warnings)
        }
        if failedInputs > 0 {
            line += (messages.language == .zh ? "，" : ", ") + messages(failedInputs == 1 ? .oneInputFailed : .inputsFailed, failedInputs)
        }
        diagnostics.write("lessonlens: " + line + "\n")
        if filter != nil {
            diagnostics.write("lessonlens: " + messages.text(.assignmentsMatched, "\(matched)", "\(counts.accepted)") + "\n")
        }
    }
    diagnostics.flush()
    if let filter, matched == 0, counts.accepted > 0 {
        throw UsageError(message: filterMatchedNothing(filter, name: "--where", seen: seen, assignments: true))
    }
    return LedgerRun(accepted: counts.accepted, rejected: counts.rejected, failed: counts.rejected > 0 || failedInputs > 0)
}

/// Adds the values an assignment has for the fields `filter` reads.
func noteFilteredValues(_ filter: LessonFilter, of a: HomeworkAssignment, in seen: inout [String: Set<String>]) {
    for c in filter.conditions {
        switch c {
        case .tag: break
        case .field(let by, _, _): seen[by.rawValue, default: []].insert(LessonFilter.value(of: a, by))
        case .date: seen["date", default: []].insert(a.date.description)
        case .grade: seen["grade", default: []].insert(String(a.grade))
        }
    }
}
