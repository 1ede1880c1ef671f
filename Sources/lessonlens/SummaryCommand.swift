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
        discussion: "Groups with fewer lessons than the archive's own reliability needs (visits for ICC-based reliability 0.7 on the standards' metrics; 4 when it cannot tell) are flagged: ⚠ in tables, \"few_visits\": true and \"visits_needed\" in JSON."
    )

    @OptionGroup var grouping: GroupingOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        let by = grouping.by
        let (grouped, outcome) = try gather(archive, by: by)
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
            if let few = groups.first(where: \.fewVisits) {
                if let needed = few.visitsNeeded {
                    out.write(archive.messages.text(.fewVisitsNeeded, "\(needed)") + "\n")
                } else {
                    out.write(archive.messages.text(.fewLessons, "\(fewVisitsThreshold)") + "\n")
                }
            }
        }
        out.flush()
        throw outcome.exitCode
    }
}
