import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics
import LessonLensSheets

/// Options every command that reads archives shares.
struct ArchiveOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Policy file (JSON) changing the standards' thresholds; see `lessonlens policy`.", valueName: "file"))
    var policy: String?

    @Option(name: .long, help: ArgumentHelp("Rosters by class (CSV, tab-separated text or .xlsx with class, id and tier columns, headers in English or Chinese): the roster of every lesson that names its class and has no students of its own (a lesson's own students win).", valueName: "file"))
    var roster: String?

    @Option(name: .long, help: ArgumentHelp("Write every rejected line, byte for byte, to this file.", valueName: "file"))
    var rejects: String?

    @Option(name: .long, help: "Worker threads (default: every core).")
    var threads: Int?

    @Flag(name: .shortAndLong, help: "No warnings, progress or counts on stderr (errors still print).")
    var quiet = false

    @Option(name: .long, help: "Language of counts, table headers and legends: zh or en (default: from LANG).")
    var lang: ReportLanguage?

    @Option(name: .customLong("where"), help: ArgumentHelp("Only lessons where EXPR holds (repeatable; all must hold): FIELD=VALUE, FIELD!=VALUE, tag=NAME, date>=YYYY-MM-DD, grade<N, ...; parts joined by commas must all hold.", valueName: "EXPR"))
    var filters: [String] = []

    /// A `--where` that matches no lesson is a usage error, except where an
    /// empty answer is an answer (a part of a district's summary).
    var emptyMatchAllowed = false

    /// `--where`, all of them; nil without any.
    var filter: LessonFilter? {
        guard !filters.isEmpty else { return nil }
        return LessonFilter(all: filters.compactMap { try? LessonFilter($0) })
    }

    /// The strings of `--lang`, else of the locale (LC_ALL, LC_MESSAGES, LANG).
    var messages: Messages { Messages(lang ?? Messages.localeLanguage) }

    @Argument(help: ArgumentHelp("Observation logs (JSON Lines; .gz is decompressed; - is standard input).", valueName: "file"))
    var files: [String] = []

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError(cliMessages.text(.optionAtLeast, "--threads", "1")) }
        if files.isEmpty { throw ValidationError(cliMessages.text(.noInputFiles)) }
        for text in filters {
            do { _ = try LessonFilter(text) } catch { throw ValidationError("--where: " + cliMessages(error.why)) }
        }
    }

    func loadPolicy() throws -> Policy {
        try loadPolicyFile(policy)
    }

    /// The rosters of `--roster`, if given; a file that cannot be used is a
    /// usage error naming its line.
    func loadClassRosters() throws -> ClassRosters? {
        guard let roster else { return nil }
        do { return try ClassRosters(loadRosterFile(roster), source: roster) } catch let error as RosterCSV.RowError {
            throw UsageError(message: cliMessages.text(.rosterFileError, roster, "\(error.line)", cliMessages(error.why)))
        }
    }

    /// About how many lessons the inputs hold, from their sizes (0 for
    /// standard input, pipes and gzip): room for them is made up front,
    /// where growing a large table while the workers wait would stall them.
    /// The size of a line is sampled at the start of the first file (a
    /// writer's spaces make lines larger: a fixed guess made the
    /// duplicate-id table twice the size it needed on such archives, 8 MiB
    /// of memory more); without a sample, 2 KB a lesson, which real logs
    /// take or more. Guessing low only means some growth.
    static func expectedLessons(_ inputs: [OpenedInput]) -> Int {
        Input.expectedLines(inputs) ?? min(Input.totalSize(inputs) ?? 0, 1 << 40) / 2048
    }
}

/// The policy: the default, or the file's changes to it.
func loadPolicyFile(_ path: String?) throws -> Policy {
    guard let path else { return .default }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw UsageError(message: cliMessages.text(.cannotReadPolicy, path))
    }
    do {
        return try Policy(json: Array(data))
    } catch {
        throw UsageError(message: error.key.isEmpty ? cliMessages.text(.policyError, path, cliMessages(error.why))
                                                     : cliMessages.text(.policyKeyError, path, error.key, cliMessages(error.why)))
    }
}

/// A roster file (`--roster FILE.csv`); one that cannot be used is a usage
/// error naming its line.
func loadRosterFile(_ path: String) throws -> RosterCSV {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw UsageError(message: cliMessages.text(.cannotReadRoster, path))
    }
    do {
        // An Excel workbook (a zip: "PK"): its first sheet's cells.
        let roster: RosterCSV
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            let rows: [[String]]
            do { rows = try XLSX.firstSheetRows(data) } catch {
                throw UsageError(message: cliMessages.text(.rosterFileError, path, "1", "\(error)"))
            }
            roster = try RosterCSV(XLSX.tabSeparated(rows))
        } else {
            roster = try RosterCSV(bytes: Array(data))
        }
        // A guess should be visible: say which encoding the file was read in
        // (UTF-16 is known by its byte order mark, not guessed).
        if let encoding = roster.encoding, !encoding.hasPrefix("UTF-16") {
            OutputStream.standardError.write("lessonlens: " + cliMessages.text(.rosterEncoding, path, encoding) + "\n")
        }
        return roster
    } catch let error as RosterCSV.RowError {
        throw UsageError(message: cliMessages.text(.rosterFileError, path, "\(error.line)", cliMessages(error.why)))
    }
}

/// Where an accepted lesson was read.
/// What a run over the archives did, for the final counts and exit status.
struct RunOutcome {
    var counts = StreamCounts()
    var failedInputs = 0
    /// Accepted lessons that `--where` kept (all of them without it).
    var matched = 0

    /// 0 when every line was accepted, 1 when something was rejected or an
    /// input failed part way.
    var exitCode: ExitCode { counts.rejected > 0 || failedInputs > 0 ? ExitCode(1) : .success }

    func summaryLine(_ messages: Messages) -> String {
        "lessonlens: " + messages.counts(accepted: counts.accepted, rejected: counts.rejected, warnings: counts.warnings,
                                         failedInputs: failedInputs)
    }
}

/// Streams every input through the core and hands accepted lessons to
/// `onLesson` in input order; prints diagnostics, writes rejects and counts.
/// Lessons that `--where` leaves out are neither accepted nor rejected: they
/// are not handed on, and stderr says how many matched.
func runArchives<Prepared>(
    _ options: ArchiveOptions,
    diagnostics: OutputStream = .standardError,
    keepTimelines: Bool = false,
    prepare: @escaping @Sendable (EvaluatedLesson) -> Prepared,
    onLesson: (EvaluatedLesson, Prepared) throws -> Void
) throws -> RunOutcome {
    try runArchives(options, diagnostics: diagnostics, keepTimelines: keepTimelines, deliverLessons: true,
                    prepare: prepare) { lesson, prepared, _ in try onLesson(lesson!, prepared) }
}

/// The same, with where each lesson was read; warnings the consumer finds
/// (`late`) are counted with the reader's.
func runArchives<Prepared>(
    _ options: ArchiveOptions,
    diagnostics: OutputStream = .standardError,
    keepTimelines: Bool = false,
    late: LateWarnings? = nil,
    prepare: @escaping @Sendable (EvaluatedLesson) -> Prepared,
    onLocatedLesson: (EvaluatedLesson, Prepared, LogLocation) throws -> Void
) throws -> RunOutcome {
    try runArchives(options, diagnostics: diagnostics, keepTimelines: keepTimelines, deliverLessons: true, late: late,
                    prepare: prepare) { lesson, prepared, at in try onLocatedLesson(lesson!, prepared, at) }
}

/// The same, for commands that need only what `prepare` makes of each
/// lesson (made on the worker threads): the merging thread then never touches
/// the lessons themselves.
func runArchives<Prepared>(
    _ options: ArchiveOptions,
    diagnostics: OutputStream = .standardError,
    prepare: @escaping @Sendable (EvaluatedLesson) -> Prepared,
    onPrepared: (Prepared) throws -> Void
) throws -> RunOutcome {
    try runArchives(options, diagnostics: diagnostics, keepTimelines: false, deliverLessons: false,
                    prepare: prepare) { _, prepared, _ in try onPrepared(prepared) }
}

/// The same, with where each lesson was read; warnings the consumer finds
/// (`late`) are counted with the reader's.
func runArchives<Prepared>(
    _ options: ArchiveOptions,
    diagnostics: OutputStream = .standardError,
    late: LateWarnings? = nil,
    expecting: (Int) -> Void = { _ in },
    prepare: @escaping @Sendable (EvaluatedLesson) -> Prepared,
    onLocatedPrepared: (Prepared, LogLocation) throws -> Void
) throws -> RunOutcome {
    try runArchives(options, diagnostics: diagnostics, keepTimelines: false, deliverLessons: false, late: late,
                    expecting: expecting, prepare: prepare) { _, prepared, at in try onLocatedPrepared(prepared, at) }
}

/// Warnings found after reading, while lessons are filed (a later log of a
/// visit that names another teacher): printed at once, in input order among
/// the reader's, and counted with them.
final class LateWarnings {
    private let options: ArchiveOptions
    private(set) var count = 0

    init(_ options: ArchiveOptions) { self.options = options }

    func report(_ warnings: [Diagnostic]) {
        guard !warnings.isEmpty else { return }
        count += warnings.count
        guard !options.quiet else { return }
        let messages = options.messages
        for w in warnings { OutputStream.standardError.write(messages(w) + "\n") }
    }
}

private func runArchives<Prepared>(
    _ options: ArchiveOptions,
    diagnostics: OutputStream,
    keepTimelines: Bool,
    deliverLessons: Bool,
    late: LateWarnings? = nil,
    expecting: (Int) -> Void = { _ in },
    prepare: @escaping @Sendable (EvaluatedLesson) -> Prepared,
    onAccepted: (EvaluatedLesson?, Prepared, LogLocation) throws -> Void
) throws -> RunOutcome {
    let messages = options.messages
    let filter = options.filter
    let policy = try options.loadPolicy()
    let classRosters = try options.loadClassRosters()
    let inputs = try Input.openAll(options.files)
    let rejects = try options.rejects.map(OutputStream.create)
    defer { rejects?.close() }
    let expectedLessons = min(ArchiveOptions.expectedLessons(inputs), 1 << 24)
    expecting(expectedLessons)

    // The library's one way of reading archives; the filter runs on the worker threads.
    var matches: (@Sendable (EvaluatedLesson) -> Bool)?
    if let filter { matches = { @Sendable e in filter.matches(e) } }
    let reader = ArchiveReader<Prepared>(policy: policy, threads: options.threads ?? ProcessInfo.processInfo.activeProcessorCount,
                                         keepTimelines: keepTimelines, deliverLessons: deliverLessons,
                                         expectedLessons: expectedLessons, matches: matches, prepare: prepare)
    let stream = reader.stream
    stream.classRosters = classRosters
    var outcome = RunOutcome()
    let newline: [UInt8] = [0x0A]
    let progress = ProgressBar.make(quiet: options.quiet, total: Input.totalSize(inputs))
    var bytesBefore = 0 // in the files already done
    stream.onProgress = { [unowned stream] bytes in
        progress?.update(bytes: bytesBefore + bytes, lessons: stream.counts.accepted + stream.counts.rejected)
    }
    func rejected(_ diagnostic: Diagnostic, _ raw: UnsafeBufferPointer<UInt8>) {
        progress?.clear()
        diagnostics.write(messages(diagnostic) + "\n")
        if let rejects {
            rejects.write(raw)
            newline.withUnsafeBufferPointer { rejects.write($0) }
        }
    }
    func warned(_ diagnostic: Diagnostic) {
        progress?.clear()
        if !options.quiet { diagnostics.write(messages(diagnostic) + "\n") }
    }

    for opened in inputs {
        var input: InputSource
        do {
            input = try opened.take()
        } catch {
            OutputStream.standardError.write("lessonlens: \(error)\n")
            outcome.failedInputs += 1
            continue
        }
        defer { _ = Glibc.close(input.file.fd) }
        do {
            // A file that is not JSON Lines at all (an array, pretty-printed,
            // UTF-16, GBK) gets one message that says how to convert it.
            let head = try input.head(upTo: 64 << 10)
            if let problem = FileShape.problem(head: head, name: opened.name, wholeInput: head.count < 64 << 10) {
                progress?.clear()
                OutputStream.standardError.write("lessonlens: \(opened.name): \(messages(problem))\n")
                outcome.failedInputs += 1
                continue
            }
            try reader.read(&input, name: opened.name, onLesson: onAccepted, onRejected: rejected, onWarning: warned)
        } catch let error as InputError {
            progress?.clear()
            OutputStream.standardError.write("lessonlens: \(error)\n")
            outcome.failedInputs += 1
        }
        // Damage found after the lines before it were processed.
        if let failure = input.failure {
            progress?.clear()
            OutputStream.standardError.write("lessonlens: \(failure)\n")
            outcome.failedInputs += 1
        }
        bytesBefore += opened.size ?? 0
    }
    progress?.clear()
    diagnostics.flush()
    outcome.counts = stream.counts
    outcome.counts.warnings += late?.count ?? 0
    outcome.matched = reader.matched
    let matched = reader.matched
    if !options.quiet {
        OutputStream.standardError.write(outcome.summaryLine(options.messages) + "\n")
        if filter != nil {
            OutputStream.standardError.write("lessonlens: " + messages.text(.lessonsMatched, "\(matched)", "\(stream.counts.accepted)") + "\n")
        }
    }
    if let filter, matched == 0, stream.counts.accepted > 0, !options.emptyMatchAllowed {
        throw UsageError(message: filterHints(filter, options: options, policy: policy))
    }
    // For benchmarks (Benchmarks/side-by-side): how the lines were read.
    if ProcessInfo.processInfo.environment["LESSONLENS_READING_PATHS"] != nil {
        let p = stream.paths
        OutputStream.standardError.write("lessonlens: reading paths: \(p.scanned) scanned, \(p.declined) declined to the decoder, \(p.declinedValid) of them valid\n")
    }
    return outcome
}

/// The message for a `--where` that matched no lesson: the values nearest to
/// each condition's, from a second reading of the archives (standard input
/// cannot be read again: then the message names no values).
func filterHints(_ filter: LessonFilter, options: ArchiveOptions, policy: Policy) -> String {
    var seen: [String: Set<String>] = [:]
    let rereadable = !options.files.contains("-")
    if rereadable {
        var quiet = options
        quiet.quiet = true
        quiet.filters = []
        quiet.rejects = nil
        _ = try? runArchives(quiet, diagnostics: OutputStream.discard, prepare: { _ in () }) { (e: EvaluatedLesson, _: ()) in
            noteFilteredValues(filter, of: e, in: &seen)
        }
    }
    return filterMatchedNothing(filter, name: "--where", seen: seen)
}

/// Adds the values `e` has for the fields `filter` reads, by field name.
func noteFilteredValues(_ filter: LessonFilter, of e: EvaluatedLesson, in seen: inout [String: Set<String>]) {
    for c in filter.conditions {
        switch c {
        case .tag: seen["tag", default: []].formUnion(e.tags)
        case .field(let by, _, _): seen[by.rawValue, default: []].insert(by.key(of: e).description)
        case .date: seen["date", default: []].insert(e.date.description)
        case .grade: seen["grade", default: []].insert(String(e.grade))
        }
    }
}

/// "FILTER matched no lesson (nearest: ...)": per condition, the nearest
/// values the archive has (`seen`, by field name): for text the closest
/// spellings, for dates the range the archive covers, for grades all of them.
func filterMatchedNothing(_ filter: LessonFilter, name: String, seen: [String: Set<String>], assignments: Bool = false) -> String {
    var hints: [String] = []
    for c in filter.conditions {
        let wanted: String
        switch c {
        case .tag(let t, _): wanted = t
        case .field(_, let v, _): wanted = v
        case .date(_, let d): wanted = d.description
        case .grade(_, let g): wanted = String(g)
        }
        let values = (seen[c.fieldName] ?? []).sorted()
        var near = Suggestions.nearestNames(to: wanted, among: values)
        // Dates and grades: the range the archive covers says more than spelling.
        if case .date = c, let first = values.first, let last = values.last { near = ["\(first) … \(last)"] }
        if case .grade = c, !values.isEmpty { near = values.compactMap(Int.init).sorted().map(String.init) }
        if !near.isEmpty { hints.append("\(c.fieldName): " + near.joined(separator: ", ")) }
    }
    if assignments {
        return hints.isEmpty ? cliMessages.text(.filterMatchedNoAssignment, name, "\(filter)")
                             : cliMessages.text(.filterMatchedNoAssignmentNearest, name, "\(filter)", hints.joined(separator: "; "))
    }
    return hints.isEmpty ? cliMessages.text(.filterMatchedNothing, name, "\(filter)")
                         : cliMessages.text(.filterMatchedNothingNearest, name, "\(filter)", hints.joined(separator: "; "))
}
