import ArgumentParser
import Foundation
import LessonLens

extension ReportLanguage: ExpressibleByArgument {}

/// `lessonlens report`: one self-contained HTML page per question.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report: one lesson, one teacher, or an overview of all teachers.",
        discussion: """
        --lesson ID: the lesson's timeline to scale, gauges against the targets, standards. \
        --teacher T: every visit, trends with least-squares lines, standards against the archive, participation by tier. \
        --all: one row per teacher with sparklines, sortable. Inline CSS and SVG only: no network, prints on A4.
        """
    )

    @Option(name: .long, help: "Report on one teacher.")
    var teacher: String?

    @Option(name: .long, help: "Report on one lesson (its id).")
    var lesson: String?

    @Flag(name: .long, help: "Overview of every teacher.")
    var all = false

    @Option(name: .long, help: "Language of the labels: zh or en (default: from LANG, else en).")
    var lang: ReportLanguage?

    @Option(name: .long, help: ArgumentHelp("The HTML file to write.", valueName: "file.html"))
    var out: String

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        let chosen = [teacher != nil, lesson != nil, all].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("choose exactly one of --teacher, --lesson and --all") }
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let labels = Labels(lang ?? ReportLanguage.fromLocale(env["LC_ALL"] ?? env["LANG"]))
        let policy = try archive.loadPolicy()
        var selected: [EvaluatedLesson] = []
        var all = LessonColumns()
        var byTeacher: [String: [EvaluatedLesson]] = [:]
        // Every teacher's metrics, for the archive's own reliability (visits needed).
        var metricsByTeacher: [String: [LessonMetrics]] = [:]
        let wantTimelines = teacher != nil || lesson != nil
        let outcome = try runArchives(archive, keepTimelines: wantTimelines, prepare: { _ in () }) { e, _ in
            all.append(e)
            if let lesson, e.id == lesson { selected.append(e) }
            if let teacher, e.teacher == teacher { selected.append(e) }
            if self.all { byTeacher[e.teacher, default: []].append(stripped(e)) }
            metricsByTeacher[e.teacher, default: []].append(e.metrics)
        }
        let groups = Array(metricsByTeacher.values)
        let needed = Reliability.visitsNeededForStandards { m in groups.map { $0.compactMap { $0[m] } } }

        let html: String
        if let lesson {
            guard let e = selected.first else { throw UsageError(message: "no accepted lesson with id \"\(lesson)\" in the input") }
            html = ReportPages.lesson(e, policy: policy, labels: labels)
        } else if let teacher {
            guard !selected.isEmpty else { throw UsageError(message: "no accepted lesson of teacher \"\(teacher)\" in the input") }
            html = ReportPages.teacher(name: teacher, lessons: selected, archive: all, policy: policy, labels: labels,
                                       visitsNeeded: needed)
        } else {
            let rows = byTeacher.keys.sorted { GroupKey.text($0) < GroupKey.text($1) }
                .map { ReportPages.TeacherRow(teacher: $0, lessons: byTeacher[$0]!) }
            html = ReportPages.overview(rows, labels: labels, visitsNeeded: needed)
        }
        // `--out -` writes the page to standard output.
        if out == "-" || archive.quiet {
            if out == "-" { OutputStream.standardOutput.write(html); OutputStream.standardOutput.flush() }
            else if !FileManager.default.createFile(atPath: out, contents: Data(html.utf8)) { throw UsageError(message: "\(out): cannot write") }
        } else {
            try writeOutput(html, to: out)
        }
        throw outcome.exitCode
    }

    /// The overview keeps no timelines.
    private func stripped(_ e: EvaluatedLesson) -> EvaluatedLesson {
        var e = e
        e.timeline = nil
        return e
    }
}
