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

/// Reads the archives into groups.
func gather(_ archive: ArchiveOptions, by: GroupBy) throws -> (GroupedLessons, RunOutcome) {
    var grouped = GroupedLessons(by: by)
    grouped.reserveCapacity(min(archive.expectedLessons, 1 << 24))
    // Keys and rows are made on the worker threads; the merge only files them.
    let outcome = try runArchives(archive, prepare: { KeyedRow($0, by: by) }) { grouped.add($0) }
    return (grouped, outcome)
}

/// Writes a table for people (✓/✗ colored at a terminal).
func printTable(_ table: TextTable) {
    let terminal = Terminal.stdoutStyle
    OutputStream.standardOutput.write(table.render { _, _, cell in terminal.colorMarks(cell) })
}
