import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens correlate`: which metrics move together?
struct CorrelateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correlate",
        abstract: "Correlation (r and p) of every pair of metrics over lessons (visits; --per-log: logs) where both are given."
    )

    @Option(name: .long, help: "pearson or spearman.")
    var method: Statistics.CorrelationMethod = .pearson

    @OptionGroup var visits: VisitOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        let (grouped, outcome) = try gather(archive, by: .all, perLog: visits.perLog)
        let columns = grouped.sorted.first?.lessons ?? LessonColumns()
        let pairs = columns.correlations(method: method)
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
