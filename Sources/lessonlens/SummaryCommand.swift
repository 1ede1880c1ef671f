import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens summary`: per group, every metric described and every standard's rate.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Per group: n, mean, sd, median, p10, p90, min, max and 95% CI of every metric; standards met with Wilson intervals.",
        discussion: "Lessons are visits: the logs of a visit observed by several count once (the mean of their metrics; --per-log counts logs). A metric of the standards whose ICC is stable (lower end of its 95% interval above 0) needs visits_needed visits for reliability 0.7; a group with fewer has that metric's cells marked ⚠ in tables, and \"few_visits_metrics\" names them in JSON. --partial writes a part that `lessonlens merge` combines with others into exactly this summary (docs/scale-out.md)."
    )

    @OptionGroup var grouping: GroupingOptions
    @OptionGroup var visits: VisitOptions
    @OptionGroup var output: FormatOptions

    @Flag(name: .long, help: "Write a partial summary (JSON Lines, docs/scale-out.md) for `lessonlens merge` instead of the summary.")
    var partial = false

    @Flag(name: .customLong("no-ids"), help: "With --partial: leave lesson ids out (a merge then cannot find an id given in two parts).")
    var noIDs = false

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        if noIDs && !partial { throw ValidationError(cliMessages.text(.noIDsNeedsPartial)) }
        if partial && output.format != .table { throw ValidationError(cliMessages.text(.partialNoFormat)) }
    }

    func run() throws {
        let by = grouping.by
        if partial { return try writePartial(by: by) }
        let (grouped, outcome) = try gather(archive, by: by, perLog: visits.perLog)
        let groups = grouped.summaries(threads: archive.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        writeSummary(groups, by: by, format: output.format, accepted: outcome.counts.accepted,
                     rejected: outcome.counts.rejected, messages: archive.messages)
        throw outcome.exitCode
    }

    /// One row per accepted log, made on the worker threads; the counts last.
    private func writePartial(by: GroupBy) throws {
        // A school with no lesson that a district's filter selects sends an empty part.
        var archive = self.archive
        archive.emptyMatchAllowed = true
        let policy = try archive.loadPolicy()
        let out = OutputStream.standardOutput
        let ids = !noIDs
        if noIDs && !archive.quiet {
            OutputStream.standardError.write("lessonlens: " + archive.messages.text(.partialNoIDsMade) + "\n")
        }
        let files = archive.files.map(Input.displayName)
        out.write(SummaryPartial.headerLine(.init(by: by, perLog: visits.perLog || by == .observer, ids: ids,
                                                  policy: policy.compactJSONText, files: files)))
        var rows = 0
        let outcome = try runArchives(archive, prepare: { SummaryPartial.rowLine($0, by: by, policy: policy, ids: ids) }) { row, at in
            // Where the log came from: its line, and its file when the part read several.
            let file = files.count > 1 ? files.firstIndex(of: at.file) : nil
            out.write(SummaryPartial.withPlace(row, line: at.line, file: file))
            rows += 1
        }
        out.write(SummaryPartial.trailerLine(.init(accepted: outcome.counts.accepted, rejected: outcome.counts.rejected,
                                                   warnings: outcome.counts.warnings, rows: rows)))
        out.flush()
        throw outcome.exitCode
    }
}

/// What `summary` prints, in `format` (also `merge`'s answer).
func writeSummary(_ groups: [GroupSummary], by: GroupBy, format: OutputFormat, accepted: Int, rejected: Int, messages: Messages) {
    let out = OutputStream.standardOutput
    switch format {
    case .json:
        StatisticsFormat.summaryJSON(by: by, accepted: accepted, rejected: rejected, groups: groups) { out.write($0) }
    case .csv:
        out.write(StatisticsFormat.summaryCSV(by: by, groups: groups))
    case .table:
        printTable(StatisticsFormat.summaryTable(by: by, groups: groups, messages: messages))
        out.write(messages(.summaryLegend) + "\n")
        if groups.contains(where: \.fewVisits) { out.write(messages(.fewVisitsCells) + "\n") }
    }
    out.flush()
}
