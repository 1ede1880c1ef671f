import ArgumentParser
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens profile`: the COPUS-style view of each lesson, or per group.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "COPUS-style profile: per kind, the share of fixed intervals of the scheduled lesson in which it went on for at least a second.",
        discussion: "Intervals [k w, min((k + 1) w, D)) for k = 0 ..< ceil(D / w), D the scheduled duration in seconds."
    )

    @Option(name: .long, help: "Interval width in seconds (default 120, COPUS's 2 minutes).")
    var width: Double = 120

    @Option(name: .long, help: "Group by: teacher, subject, grade, school, observer, class, month or all (default: per lesson).")
    var by: GroupBy?

    @OptionGroup var output: FormatOptions
    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        guard width > 0, width.isFinite else { throw ValidationError(cliMessages.text(.optionPositiveSeconds, "--width")) }
    }

    func run() throws {
        let (lessons, outcome) = try readLessonsWithTimelines(archive)
        let rows = lessons.map { e in
            (e, ActivityProfile(segments: e.timeline?.segments ?? [], durationMin: e.timeline?.durationMin ?? Lesson.defaultDurationMin, width: width))
        }
        let out = OutputStream.standardOutput
        if let by {
            let sorted = grouped(rows, by: by)
            switch output.format {
            case .json: out.write(ReliabilityFormat.profileGroupsJSON(by: by, sorted))
            case .csv, .table:
                out.write(ReliabilityFormat.profileTable(rows: sorted.map { key, profiles in
                    var mean: [SegmentKind: Double] = [:]
                    for kind in SegmentKind.allCases { mean[kind] = profiles.map { $0.share[kind] ?? 0 }.reduce(0, +) / Double(profiles.count) }
                    return (key.description, profiles.count, mean)
                }))
            }
        } else {
            switch output.format {
            case .json: for (e, p) in rows { out.write(ReliabilityFormat.profileJSON(id: e.id, p)) }
            case .csv:
                out.write(ReliabilityFormat.profileCSVHeader)
                for (e, p) in rows { out.write(ReliabilityFormat.profileCSV(id: e.id, p)) }
            case .table: out.write(ReliabilityFormat.profileTable(rows: rows.map { ($0.0.id, $0.1.intervals, $0.1.share) }))
            }
        }
        out.flush()
        throw outcome.exitCode
    }
}
