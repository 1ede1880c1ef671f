import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens trend`: is a teacher improving over the semester?
struct TrendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "Per group, the least-squares trend of every metric over the days since the group's first lesson.",
        discussion: "Lessons are visits (--per-log: logs). Groups need at least 3 lessons on at least 2 dates; a metric needs at least 3 lessons that give it."
    )

    @OptionGroup var grouping: GroupingOptions
    @OptionGroup var visits: VisitOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        let by = grouping.by
        let (grouped, outcome) = try gather(archive, by: by, perLog: visits.perLog)
        let groups = grouped.trends()
        let out = OutputStream.standardOutput
        switch output.format {
        case .json: out.write(StatisticsFormat.trendJSON(by: by, groups: groups))
        case .csv: out.write(StatisticsFormat.trendCSV(by: by, groups: groups))
        case .table:
            printTable(StatisticsFormat.trendTable(by: by, groups: groups, messages: archive.messages))
            out.write(archive.messages(.trendLegend) + "\n")
        }
        out.flush()
        throw outcome.exitCode
    }
}
