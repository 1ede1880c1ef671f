import ArgumentParser
import Foundation
import LessonLensCore
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
    // Keys, rows and visit hashes are made on the worker threads; the merge only files them.
    let late = LateWarnings(archive)
    let outcome = try runArchives(archive, late: late, expecting: { grouped.reserveCapacity($0) }, prepare: { KeyedRow($0, by: by, policy: policy) }) { row, at in
        grouped.add(row, file: at.file, line: at.line)
        if row.log?.visit != nil { late.report(grouped.takeWarnings()) }
    }
    grouped.combineVisits()
    return (grouped, outcome)
}

/// Reads the archives into visits (each visit one record, its logs
/// combined), or logs with `perLog`.
func gatherVisits(_ archive: ArchiveOptions, perLog: Bool = false, keepTimelines: Bool = false) throws -> ([EvaluatedLesson], RunOutcome) {
    var list = VisitList(policy: try archive.loadPolicy(), combine: !perLog)
    let late = LateWarnings(archive)
    let outcome = try runArchives(archive, keepTimelines: keepTimelines, late: late, prepare: { _ in () }) { e, _, at in
        list.add(e, file: at.file, line: at.line)
        late.report(list.takeWarnings())
    }
    return (list.visits, outcome)
}

/// Writes a table for people (✓/✗ colored at a terminal).
func printTable(_ table: TextTable) {
    let terminal = Terminal.stdoutStyle
    OutputStream.standardOutput.write(table.render { _, _, cell in terminal.colorMarks(cell) })
}
