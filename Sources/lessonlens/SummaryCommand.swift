import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensGenerator
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens summary`: per group, every metric described and every standard's rate.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Per group: n, mean, sd, median, p10, p90, min, max and 95% CI of every metric; standards met with Wilson intervals.",
        discussion: "Lessons are visits: the logs of a visit observed by several count once (the mean of their metrics; --per-log counts logs). A metric of the standards whose ICC is stable (lower end of its 95% interval above 0) needs visits_needed visits for reliability 0.7; a group with fewer has that metric's cells marked ⚠ in tables, and \"few_visits_metrics\" names them in JSON."
    )

    @OptionGroup var grouping: GroupingOptions
    @OptionGroup var visits: VisitOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        let by = grouping.by
        let (grouped, outcome) = try gather(archive, by: by, perLog: visits.perLog)
        let groups = summarize(grouped, threads: archive.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let out = OutputStream.standardOutput
        switch output.format {
        case .json:
            StatisticsFormat.summaryJSON(by: by, accepted: outcome.counts.accepted, rejected: outcome.counts.rejected,
                                         groups: groups) { out.write($0) }
        case .csv:
            out.write(StatisticsFormat.summaryCSV(by: by, groups: groups))
        case .table:
            printTable(StatisticsFormat.summaryTable(by: by, groups: groups, messages: archive.messages))
            out.write(archive.messages(.summaryLegend) + "\n")
            if groups.contains(where: \.fewVisits) { out.write(archive.messages(.fewVisitsCells) + "\n") }
        }
        out.flush()
        throw outcome.exitCode
    }
}
