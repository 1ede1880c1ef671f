import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens compare`: before/after coaching, one teacher against the school.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two sets of lessons (b − a): Welch's t test, or a paired t test with --paired-by.",
        discussion: """
        FILTER is tag=NAME or FIELD=VALUE (FIELD: teacher, subject, grade, school, \
        observer, class, month), FIELD!=VALUE, or a comparison of date or grade \
        (date>=2026-11-01, grade<3); several joined by commas must all hold. \
        Lessons are visits (the logs of a visit observed by several combined; \
        --per-log: logs). Paired with fewer than 3 pairs, or a side with fewer \
        than 2 lessons, no test is given; fewer than 5 is marked ⚠. \
        Example: --a tag=pre-coaching --b tag=post-coaching --paired-by teacher
        """
    )

    @Option(name: .customLong("a"), help: "Filter for side a.")
    var filterA: String

    @Option(name: .customLong("b"), help: "Filter for side b.")
    var filterB: String

    @Option(name: .customLong("paired-by"), help: "Pair the sides by this key (the mean of each side per key value).")
    var pairedBy: GroupBy?

    @OptionGroup var visits: VisitOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        do {
            _ = try LessonFilter(filterA)
            _ = try LessonFilter(filterB)
        } catch {
            throw ValidationError(cliMessages(error.why))
        }
    }

    func run() throws {
        let a = try LessonFilter(filterA), b = try LessonFilter(filterB)
        // Observers are a property of each log, not of a visit: sides by
        // observer (or pairs by observer) compare the observers' own logs.
        let byObserver = pairedBy == .observer || (a.conditions + b.conditions).contains { $0.fieldName == "observer" }
        let (lessons, outcome) = try gatherVisits(archive, perLog: visits.perLog || byObserver)
        let sideA = lessons.filter(a.matches), sideB = lessons.filter(b.matches)
        for (name, filter, side) in [("--a", a, sideA), ("--b", b, sideB)] where side.isEmpty {
            var seen: [String: Set<String>] = [:]
            for e in lessons { noteFilteredValues(filter, of: e, in: &seen) }
            throw UsageError(message: filterMatchedNothing(filter, name: name, seen: seen))
        }
        let comparison = Comparison.compare(a: sideA, b: sideB, filterA: filterA, filterB: filterB, pairedBy: pairedBy)
        let out = OutputStream.standardOutput
        switch output.format {
        case .json: out.write(StatisticsFormat.compareJSON(comparison))
        case .csv: out.write(StatisticsFormat.compareCSV(comparison))
        case .table:
            let m = archive.messages
            func lessons(_ side: [EvaluatedLesson]) -> String {
                let logs = side.reduce(0) { $0 + $1.logs }
                return logs == side.count ? m.text(side.count == 1 ? .oneLessonCount : .lessonCount, "\(side.count)")
                                          : m.visitsAndLogs(side.count, logs)
            }
            let paired = pairedBy.map { "   " + m.text(.pairedBy, m.groupBy($0)) } ?? ""
            out.write("a: \(filterA) (\(lessons(sideA)))   b: \(filterB) (\(lessons(sideB)))\(paired)\n\n")
            let tables = StatisticsFormat.compareTables(comparison, messages: archive.messages)
            printTable(tables.metrics)
            if pairedBy != nil, comparison.metrics.contains(where: { $0.paired?.fewPairs ?? false }) {
                out.write(m(.fewPairs) + "\n")
            } else if pairedBy == nil, comparison.metrics.contains(where: { $0.welch?.fewLessons ?? false }) {
                out.write(m(.fewLessonsSide) + "\n")
            }
            out.write("\n")
            printTable(tables.standards)
        }
        out.flush()
        throw outcome.exitCode
    }
}
