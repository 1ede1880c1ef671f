import ArgumentParser
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens st`: S-T analysis (S-T分析法) of each lesson, or per group.
struct STCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "st",
        abstract: "S-T analysis: Rt, Ch and the lesson type (practice 练习型, lecture 讲授型, dialogue 对话型, mixed 混合型) per lesson or per group.",
        discussion: """
        Samples at t = k * interval over [0, max(duration_min, end_min)): S when a student segment (read, write, \
        homework, group, activity) covers t, else D for discussion, else T for lecture; others are left out. \
        Rt = (N_T + N_D / 2) / N, Ch = (runs - 1) / N. Thresholds and interval: the policy's "st" section.
        """
    )

    @Option(name: .long, help: "Seconds between samples (default: the policy's st.interval_s, 30).")
    var interval: Double?

    @Option(name: .long, help: "Group by: teacher, subject, grade, school, observer, class, month or all (default: per lesson).")
    var by: GroupBy?

    @OptionGroup var output: FormatOptions
    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        if let interval, !(interval > 0 && interval.isFinite) { throw ValidationError(cliMessages.text(.optionPositiveSeconds, "--interval")) }
    }

    func run() throws {
        var settings = try archive.loadPolicy().st
        if let interval { settings.intervalSeconds = interval }
        let (lessons, outcome) = try readLessonsWithTimelines(archive)
        let rows = lessons.map { e in
            (e, STAnalysis(segments: e.timeline?.segments ?? [], durationMin: e.timeline?.durationMin ?? Lesson.defaultDurationMin,
                           endMin: e.metrics.end_min, settings: settings))
        }
        let out = OutputStream.standardOutput
        if let by {
            let summaries = grouped(rows, by: by).map { ReliabilityFormat.STGroup(key: $0.0, analyses: $0.1) }
            switch output.format {
            case .json: out.write(ReliabilityFormat.stGroupsJSON(by: by, summaries))
            case .csv, .table: out.write(ReliabilityFormat.stGroupsTable(by: by, summaries))
            }
        } else {
            switch output.format {
            case .json: for (e, s) in rows { out.write(ReliabilityFormat.stJSON(id: e.id, s)) }
            case .csv:
                out.write(ReliabilityFormat.stCSVHeader)
                for (e, s) in rows { out.write(ReliabilityFormat.stCSV(id: e.id, s)) }
            case .table: out.write(ReliabilityFormat.stTable(rows: rows.map { ($0.0.id, $0.1) }))
            }
        }
        out.flush()
        throw outcome.exitCode
    }
}
