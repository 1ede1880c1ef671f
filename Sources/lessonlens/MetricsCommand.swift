import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

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

    @Flag(name: .long, help: "One combined record per visit (the logs of a visit observed by several: the mean of each metric, standards judged on the means); id is the visit's key, with logs and observers.")
    var visits = false

    @OptionGroup var output: FormatOptions
    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        let out = OutputStream.standardOutput
        if visits {
            let (records, outcome) = try gatherVisits(archive)
            switch output.format {
            case .json:
                for v in records { out.write(MetricsFormat.visitJSONLine(v) + "\n") }
            case .csv:
                out.write(MetricsFormat.csvHeader + ",logs,observers\n")
                for v in records {
                    var e = v
                    e.id = v.visitKey ?? v.id
                    let observers = v.observers.isEmpty ? v.observer.map { [$0] } ?? [] : v.observers
                    out.write(MetricsFormat.csvRow(e) + ",\(v.logs),\(Text.csvField(observers.joined(separator: ";")))\n")
                }
            case .table:
                var table = TextTable(header: MetricsFormat.tableHeader(archive.messages), rightAligned: Set(3..<(3 + MetricsFormat.tableMetrics.count)))
                for v in records {
                    var e = v
                    e.id = v.visitKey ?? v.id
                    table.append(MetricsFormat.tableRow(e))
                }
                let terminal = Terminal.stdoutStyle
                out.write(table.render { _, _, cell in terminal.colorMarks(cell) })
            }
            out.flush()
            throw outcome.exitCode
        }
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
            var table = TextTable(header: MetricsFormat.tableHeader(archive.messages), rightAligned: Set(3..<(3 + MetricsFormat.tableMetrics.count)))
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
