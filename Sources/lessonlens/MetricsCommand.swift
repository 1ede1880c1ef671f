import ArgumentParser
import Foundation
import LessonLens

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// `--format`, shared by every command that prints results.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table, json or csv.")
    var format: OutputFormat = .table
}

/// `lessonlens metrics`: every metric and standard of every accepted lesson.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Per-lesson metrics and standards (two 10s, one 18, homework, four 3s, on time).",
        discussion: """
        json is JSON Lines, one object per accepted lesson in input order, with \
        `metrics` and `standards` objects under the spec's names. csv has one \
        header row and the same columns. table shows the key columns for people.
        """
    )

    @OptionGroup var output: FormatOptions
    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        let out = OutputStream.standardOutput
        let outcome: RunOutcome
        switch output.format {
        case .json:
            outcome = try runArchives(archive, prepare: { MetricsFormat.jsonLineBytes($0, newline: true) }) { line in
                line.withUnsafeBufferPointer { out.write($0) }
            }
        case .csv:
            out.write(MetricsFormat.csvHeader + "\n")
            outcome = try runArchives(archive, prepare: { MetricsFormat.csvRow($0) + "\n" }) { line in
                out.write(line)
            }
        case .table:
            // A table needs every row to size its columns.
            var table = TextTable(header: MetricsFormat.tableHeader, rightAligned: Set(3..<(3 + MetricsFormat.tableMetrics.count)))
            outcome = try runArchives(archive, prepare: { MetricsFormat.tableRow($0) }) { row in
                table.append(row)
            }
            let terminal = Terminal.stdoutStyle
            out.write(table.render { _, _, cell in terminal.colorMarks(cell) })
        }
        out.flush()
        throw outcome.exitCode
    }
}

/// `lessonlens check`: validation only.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate observation logs: errors, warnings and counts.",
        discussion: "Prints one FILE:LINE: FIELD: reason message per rejected lesson and per warning on stdout."
    )

    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        let outcome = try runArchives(archive, diagnostics: .standardOutput, prepare: { _ in () }) { _ in }
        OutputStream.standardOutput.flush()
        throw outcome.exitCode
    }
}

/// `lessonlens policy`: the default policy, as a file to start from.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Print the default policy (JSON); edit it and pass it with --policy.",
        discussion: "With --check FILE, reads a policy file and prints it in full, or says what is wrong with it."
    )

    @Option(name: .long, help: ArgumentHelp("A policy file to read and print in full.", valueName: "file"))
    var check: String?

    func run() throws {
        let policy = try loadPolicyFile(check)
        OutputStream.standardOutput.write(policy.json())
        OutputStream.standardOutput.flush()
    }
}
