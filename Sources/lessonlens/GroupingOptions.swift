import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensGenerator
import LessonLensOutput
import LessonLensStatistics

extension GroupBy: ExpressibleByArgument {}
extension Statistics.CorrelationMethod: ExpressibleByArgument {}

/// `--by`, shared by the commands that group lessons.
struct GroupingOptions: ParsableArguments {
    @Option(name: .long, help: "Group by: teacher, subject, grade, school, observer, class, month or all.")
    var by: GroupBy = .teacher
}

/// `--per-log`, shared by the commands that describe groups of lessons.
struct VisitOptions: ParsableArguments {
    @Flag(name: .customLong("per-log"), help: "Count each observer's log as a lesson. By default the logs of one visit (same `visit`, or date, teacher, class and period) count once, as the mean of their metrics.")
    var perLog = false
}

/// Reads the archives into groups: one row per visit (the logs of a visit
/// combined), or per log with `perLog` or by observer.
func gather(_ archive: ArchiveOptions, by: GroupBy, perLog: Bool = false) throws -> (GroupedLessons, RunOutcome) {
    let combine = !perLog && by != .observer
    let policy: Policy? = combine ? try archive.loadPolicy() : nil
    var grouped = GroupedLessons(by: by, visitsJudgedBy: policy)
    grouped.reserveCapacity(min(archive.expectedLessons, 1 << 24))
    // Keys, rows and visit hashes are made on the worker threads; the merge only files them.
    let outcome = try runArchives(archive, prepare: { KeyedRow($0, by: by, policy: policy) }) { row, at in
        grouped.add(row, file: at.file, line: at.line)
    }
    grouped.combineVisits()
    printVisitWarnings(grouped.warnings, archive)
    return (grouped, outcome)
}

/// Reads the archives into visits (each visit one record, its logs
/// combined), or logs with `perLog`.
func gatherVisits(_ archive: ArchiveOptions, perLog: Bool = false, keepTimelines: Bool = false) throws -> ([EvaluatedLesson], RunOutcome) {
    var list = VisitList(policy: try archive.loadPolicy(), combine: !perLog)
    let outcome = try runArchives(archive, keepTimelines: keepTimelines, prepare: { _ in () }) { e, _, at in
        list.add(e, file: at.file, line: at.line)
    }
    printVisitWarnings(list.warnings, archive)
    return (list.visits, outcome)
}

/// Later logs of a visit that name another teacher, date or subject than its first.
func printVisitWarnings(_ warnings: [Diagnostic], _ archive: ArchiveOptions) {
    guard !archive.quiet, !warnings.isEmpty else { return }
    let err = OutputStream.standardError
    for w in warnings { err.write(archive.messages(w) + "\n") }
    err.flush()
}

/// Writes a table for people (✓/✗ colored at a terminal).
func printTable(_ table: TextTable) {
    let terminal = Terminal.stdoutStyle
    OutputStream.standardOutput.write(table.render { _, _, cell in terminal.colorMarks(cell) })
}
