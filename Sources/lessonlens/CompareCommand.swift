import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensGenerator
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens compare`: before/after coaching, one teacher against the school.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two sets of lessons (b − a): Welch's t test, or a paired t test with --paired-by.",
        discussion: """
        FILTER is tag=NAME or FIELD=VALUE (FIELD: teacher, subject, grade, school, \
        observer, class, month); several joined by commas must all hold. \
        Example: --a tag=pre-coaching --b tag=post-coaching --paired-by teacher
        """
    )

    @Option(name: .customLong("a"), help: "Filter for side a.")
    var filterA: String

    @Option(name: .customLong("b"), help: "Filter for side b.")
    var filterB: String

    @Option(name: .customLong("paired-by"), help: "Pair the sides by this key (the mean of each side per key value).")
    var pairedBy: GroupBy?

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
        var sideA: [EvaluatedLesson] = [], sideB: [EvaluatedLesson] = []
        // The values each filtered field takes, to name the nearest when a filter matches nothing.
        var seen: [GroupBy: Set<String>] = [:]
        let fields = (a.conditions + b.conditions).compactMap { c -> GroupBy? in if case .field(let by, _) = c { return by } else { return nil } }
        var tags = Set<String>()
        let outcome = try runArchives(archive, prepare: { _ in () }) { lesson, _ in
            if a.matches(lesson) { sideA.append(lesson) }
            if b.matches(lesson) { sideB.append(lesson) }
            for by in fields { seen[by, default: []].insert(by.key(of: lesson).description) }
            tags.formUnion(lesson.tags)
        }
        for (name, filter, side) in [("--a", a, sideA), ("--b", b, sideB)] where side.isEmpty {
            var hints: [String] = []
            for condition in filter.conditions {
                switch condition {
                case .tag(let t):
                    let near = nearestNames(to: t, among: tags.sorted())
                    if !near.isEmpty { hints.append("tag: " + near.joined(separator: ", ")) }
                case .field(let by, let value):
                    let near = nearestNames(to: value, among: (seen[by] ?? []).sorted())
                    if !near.isEmpty { hints.append("\(by.rawValue): " + near.joined(separator: ", ")) }
                }
            }
            throw UsageError(message: hints.isEmpty ? cliMessages.text(.filterMatchedNothing, name, "\(filter)")
                                                    : cliMessages.text(.filterMatchedNothingNearest, name, "\(filter)", hints.joined(separator: "; ")))
        }
        let comparison = compare(a: sideA, b: sideB, filterA: filterA, filterB: filterB, pairedBy: pairedBy)
        let out = OutputStream.standardOutput
        switch output.format {
        case .json: out.write(StatisticsFormat.compareJSON(comparison))
        case .csv: out.write(StatisticsFormat.compareCSV(comparison))
        case .table:
            let m = archive.messages
            func lessons(_ n: Int) -> String { m.text(n == 1 ? .oneLessonCount : .lessonCount, "\(n)") }
            let paired = pairedBy.map { "   " + m.text(.pairedBy, m.groupBy($0)) } ?? ""
            out.write("a: \(filterA) (\(lessons(sideA.count)))   b: \(filterB) (\(lessons(sideB.count)))\(paired)\n\n")
            let tables = StatisticsFormat.compareTables(comparison, messages: archive.messages)
            printTable(tables.metrics)
            out.write("\n")
            printTable(tables.standards)
        }
        out.flush()
        throw outcome.exitCode
    }
}
