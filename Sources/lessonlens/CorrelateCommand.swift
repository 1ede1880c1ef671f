import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensGenerator
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens correlate`: which metrics move together?
struct CorrelateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correlate",
        abstract: "Correlation (r and p) of every pair of metrics over lessons where both are given."
    )

    @Option(name: .long, help: "pearson or spearman.")
    var method: Statistics.CorrelationMethod = .pearson

    @OptionGroup var output: FormatOptions
    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        var columns = LessonColumns()
        let outcome = try runArchives(archive, prepare: { LessonRow($0) }) { row in columns.append(row) }
        let pairs = correlations(columns, method: method)
        let out = OutputStream.standardOutput
        switch output.format {
        case .json: out.write(StatisticsFormat.correlateJSON(method: method, pairs: pairs))
        case .csv: out.write(StatisticsFormat.correlateCSV(pairs: pairs))
        case .table: printTable(StatisticsFormat.correlateTable(pairs: pairs, messages: archive.messages))
        }
        out.flush()
        throw outcome.exitCode
    }
}
