import ArgumentParser
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens reliability`: how many visits does a fair judgement need?
struct ReliabilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reliability",
        abstract: "Per metric: ICC(1,1) of lessons within groups (teachers), its 95% CI, and the visits needed for each target reliability (Spearman-Brown).",
        discussion: "Over visits (the logs of a visit observed by several combined; --per-log: logs). A metric is stable when the lower end of its ICC's 95% interval is above 0; visits needed = ceil(R (1 - rho) / (rho (1 - R))) for stable metrics, null otherwise. See docs/reliability.md."
    )

    @OptionGroup var grouping: GroupingOptions
    @OptionGroup var visits: VisitOptions

    @Option(name: .long, help: "Target reliabilities, comma-separated, each between 0 and 1 (default 0.7,0.8).")
    var target: String = "0.7,0.8"

    @OptionGroup var output: FormatOptions
    @OptionGroup var archive: ArchiveOptions

    var targets: [Double] { target.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        let parts = target.split(separator: ",")
        guard !parts.isEmpty, targets.count == parts.count, targets.allSatisfy({ $0 > 0 && $0 < 1 }) else {
            throw ValidationError(cliMessages.text(.reliabilityTargets))
        }
        if output.format == .csv { throw ValidationError(cliMessages.text(.tableOrJSONOnly, "reliability")) }
    }

    func run() throws {
        let (lessons, outcome) = try gatherVisits(archive, perLog: visits.perLog || grouping.by == .observer)
        let result = VisitReliability(lessons, by: grouping.by, targets: targets)
        let out = OutputStream.standardOutput
        out.write(output.format == .json ? ReliabilityFormat.reliabilityJSON(result) : ReliabilityFormat.reliabilityTable(result))
        out.flush()
        throw outcome.exitCode
    }
}
