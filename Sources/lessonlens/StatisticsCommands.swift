import ArgumentParser
import Foundation
import LessonLens

extension GroupBy: ExpressibleByArgument {}
extension Statistics.CorrelationMethod: ExpressibleByArgument {}

/// `--by`, shared by the commands that group lessons.
struct GroupingOptions: ParsableArguments {
    @Option(name: .long, help: "Group by: teacher, subject, grade, school, observer, class, month or all.")
    var by: GroupBy = .teacher
}

/// Reads the archives into groups.
private func gather(_ archive: ArchiveOptions, by: GroupBy) throws -> (GroupedLessons, RunOutcome) {
    var grouped = GroupedLessons(by: by)
    grouped.reserveCapacity(min(archive.expectedLessons, 1 << 24))
    // Keys and rows are made on the worker threads; the merge only files them.
    let outcome = try runArchives(archive, prepare: { KeyedRow($0, by: by) }) { grouped.add($0) }
    return (grouped, outcome)
}

/// Writes a table for people (✓/✗ colored at a terminal).
private func printTable(_ table: TextTable) {
    let terminal = Terminal.stdoutStyle
    OutputStream.standardOutput.write(table.render { _, _, cell in terminal.colorMarks(cell) })
}

/// `lessonlens summary`: per group, every metric described and every standard's rate.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Per group: n, mean, sd, median, p10, p90, min, max and 95% CI of every metric; standards met with Wilson intervals.",
        discussion: "Groups with fewer lessons than the archive's own reliability needs (visits for ICC-based reliability 0.7 on the standards' metrics; 4 when it cannot tell) are flagged: ⚠ in tables, \"few_visits\": true and \"visits_needed\" in JSON."
    )

    @OptionGroup var grouping: GroupingOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        let by = grouping.by
        let (grouped, outcome) = try gather(archive, by: by)
        let groups = summarize(grouped, threads: archive.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let out = OutputStream.standardOutput
        switch output.format {
        case .json:
            StatisticsFormat.summaryJSON(by: by, accepted: outcome.counts.accepted, rejected: outcome.counts.rejected,
                                         groups: groups) { out.write($0) }
        case .csv:
            out.write(StatisticsFormat.summaryCSV(by: by, groups: groups))
        case .table:
            printTable(StatisticsFormat.summaryTable(by: by, groups: groups))
            out.write(StatisticsFormat.summaryLegend + "\n")
            if let few = groups.first(where: \.fewVisits) {
                if let needed = few.visitsNeeded {
                    out.write("⚠ fewer visits than the \(needed) needed for reliability 0.7 on the standards' metrics (lessonlens reliability) · 听课次数不足以可靠评价（需 \(needed) 次）\n")
                } else {
                    out.write("⚠ fewer than \(fewVisitsThreshold) lessons: too few visits to judge by · 听课少于\(fewVisitsThreshold)次，不足以评价\n")
                }
            }
        }
        out.flush()
        throw outcome.exitCode
    }
}

/// `lessonlens trend`: is a teacher improving over the semester?
struct TrendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "Per group, the least-squares trend of every metric over the days since the group's first lesson.",
        discussion: "Groups need at least 3 lessons on at least 2 dates; a metric needs at least 3 lessons that give it."
    )

    @OptionGroup var grouping: GroupingOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        let by = grouping.by
        let (grouped, outcome) = try gather(archive, by: by)
        let groups = trends(grouped)
        let out = OutputStream.standardOutput
        switch output.format {
        case .json: out.write(StatisticsFormat.trendJSON(by: by, groups: groups))
        case .csv: out.write(StatisticsFormat.trendCSV(by: by, groups: groups))
        case .table:
            printTable(StatisticsFormat.trendTable(by: by, groups: groups))
            out.write(StatisticsFormat.trendLegend + "\n")
        }
        out.flush()
        throw outcome.exitCode
    }
}

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
            throw ValidationError(error.description)
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
            throw UsageError(message: "\(name) \(filter) matched no lesson\(hints.isEmpty ? "" : " (nearest: " + hints.joined(separator: "; ") + ")") · 筛选条件没有匹配任何课")
        }
        let comparison = compare(a: sideA, b: sideB, filterA: filterA, filterB: filterB, pairedBy: pairedBy)
        let out = OutputStream.standardOutput
        switch output.format {
        case .json: out.write(StatisticsFormat.compareJSON(comparison))
        case .csv: out.write(StatisticsFormat.compareCSV(comparison))
        case .table:
            func lessons(_ n: Int) -> String { "\(n) lesson\(n == 1 ? "" : "s")" }
            out.write("a: \(filterA) (\(lessons(sideA.count)))   b: \(filterB) (\(lessons(sideB.count)))\(pairedBy.map { "   paired by \($0.rawValue)" } ?? "")\n\n")
            let tables = StatisticsFormat.compareTables(comparison)
            printTable(tables.metrics)
            out.write("\n")
            printTable(tables.standards)
        }
        out.flush()
        throw outcome.exitCode
    }
}

/// `lessonlens correlate`: which metrics move together?
struct CorrelateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correlate",
        abstract: "Correlation (r and p) of every pair of metrics over lessons where both are given."
    )

    @Option(name: .long, help: "pearson or spearman.")
    var method: Statistics.CorrelationMethod = .pearson

    @OptionGroup var output: FormatOptions
    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        var columns = LessonColumns()
        let outcome = try runArchives(archive, prepare: { LessonRow($0) }) { row in columns.append(row) }
        let pairs = correlations(columns, method: method)
        let out = OutputStream.standardOutput
        switch output.format {
        case .json: out.write(StatisticsFormat.correlateJSON(method: method, pairs: pairs))
        case .csv: out.write(StatisticsFormat.correlateCSV(pairs: pairs))
        case .table: printTable(StatisticsFormat.correlateTable(pairs: pairs))
        }
        out.flush()
        throw outcome.exitCode
    }
}
