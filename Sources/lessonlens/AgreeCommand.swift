import ArgumentParser
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens agree`: do the observers of one lesson record the same lesson?
struct AgreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agree",
        abstract: "Observer agreement over visits logged by two or more observers: Cohen's kappa on time samples, ICC(1,1) per metric.",
        discussion: """
        Logs of one visit share `visit`, or else all of date, teacher, class and period. Each pair of logs of a visit \
        is sampled at t = (k + 0.5) * interval; a sample's code is the kind of the covering segment that started last, \
        or none. Kappa (Cohen's, with its large-sample standard error) is pooled over every pair; by_kind is each kind \
        against all others; ICC(1,1) takes visits as groups and logs as ratings. See docs/reliability.md.
        """
    )

    @Option(name: .long, help: "Seconds between samples (default 30).")
    var interval: Double = 30

    @OptionGroup var output: FormatOptions
    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        guard interval > 0, interval.isFinite else { throw ValidationError(cliMessages.text(.optionPositiveSeconds, "--interval")) }
        if output.format == .csv { throw ValidationError(cliMessages.text(.tableOrJSONOnly, "agree")) }
    }

    func run() throws {
        let (lessons, outcome) = try readLessonsWithTimelines(archive)
        let result = ObserverAgreement(lessons, interval: interval)
        if !archive.quiet {
            for w in result.warnings { OutputStream.standardError.write("lessonlens: warning: \(w)\n") }
        }
        let out = OutputStream.standardOutput
        out.write(output.format == .json ? ReliabilityFormat.agreementJSON(result) : ReliabilityFormat.agreementTables(result))
        out.flush()
        throw outcome.exitCode
    }
}
