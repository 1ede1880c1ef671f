import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens merge`: the summary of everything from the parts that
/// `summary --partial` wrote, as one run over all the files would print it.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine summary partials (lessonlens summary --partial) into the summary of all their lessons.",
        discussion: """
        The parts' lessons are taken in the order the partials are given, as if \
        their archives were read one after another: visits are combined, an id \
        given in an earlier part makes a later one a duplicate (reported, the \
        first part's kept), and every statistic is computed from the lessons. \
        The parts must be made with the same --by, --per-log and policy. A \
        visit whose logs are in two parts is an error (exit 1). See docs/scale-out.md.
        """
    )

    @Argument(help: ArgumentHelp("Partials written by `lessonlens summary --partial` (.gz is decompressed; - is standard input).", valueName: "partial"))
    var partials: [String] = []

    @OptionGroup var output: FormatOptions

    @Option(name: .long, help: "Worker threads for the statistics (default: every core).")
    var threads: Int?

    @Flag(name: .shortAndLong, help: "No notes or counts on stderr (errors still print).")
    var quiet = false

    @Option(name: .long, help: "Language of counts, table headers and legends: zh or en (default: from LANG).")
    var lang: ReportLanguage?

    func validate() throws {
        if partials.isEmpty { throw ValidationError(cliMessages.text(.noInputFiles)) }
        if let threads, threads < 1 { throw ValidationError(cliMessages.text(.optionAtLeast, "--threads", "1")) }
    }

    func run() throws {
        let messages = Messages(lang ?? Messages.localeLanguage)
        let err = OutputStream.standardError
        var header: (SummaryPartial.Header, String)?
        var grouped: GroupedLessons?
        // By the part (its number) that gave them first: 4 bytes, not a name.
        var ids: [ScalarIdentity: Int32] = [:]
        var visits: [VisitID: Int32] = [:]
        let names = partials.map(Input.displayName)
        var accepted = 0, rejected = 0, warnings = 0, duplicates = 0, split = 0
        /// Rows with an `order` (a driver's split of one archive) wait to be taken in that order.
        var ordered: [(order: Int, row: SummaryPartial.Row, name: String, number: Int)] = []
        let inputs = try Input.openAll(partials)
        // One part given twice would count its lessons twice.
        for (k, path) in partials.enumerated() where path != "-" && partials[..<k].contains(path) {
            throw UsageError(message: cliMessages.text(.partialTwice, Input.displayName(path)))
        }
        var saidNoIDs = false
        for (part, path) in partials.enumerated() {
            let name = names[part]
            let here = Int32(part)
            var mine: SummaryPartial.Header?
            var trailer: SummaryPartial.Trailer?
            var rows = 0
            var lines = 0
            /// Where a row's log came from, for messages: "(school-3.jsonl:17)".
            func source(_ r: SummaryPartial.Row) -> String {
                guard let line = r.line else { return "" }
                let files = mine?.files ?? []
                let file = r.file.flatMap { files.indices.contains($0) ? files[$0] : nil } ?? files.first
                return " (" + (file.map { $0 + ":" } ?? "line ") + "\(line))"
            }
            try forEachLine(inputs[part]) { line, number in
                lines += 1
                let parsed: SummaryPartial.Line
                do throws(SummaryPartial.ReadError) { parsed = try SummaryPartial.parse(line) } catch {
                    throw UsageError(message: cliMessages.text(.partialError, name, "\(number)", partialReason(error)))
                }
                switch parsed {
                case .header(let h):
                    guard mine == nil, number == 1 else {
                        throw UsageError(message: cliMessages.text(.partialError, name, "\(number)", "a second header"))
                    }
                    if let (first, firstName) = header {
                        func onOff(_ b: Bool) -> String { b ? "on" : "off" }
                        for (what, a, b) in [("--by", h.by.rawValue, first.by.rawValue),
                                             ("--per-log", onOff(h.perLog), onOff(first.perLog))] where a != b {
                            throw UsageError(message: cliMessages.text(.partialMismatch, name, what, a, firstName, b))
                        }
                        if h.policy != first.policy {
                            let (key, a, b) = firstDifference(h.policy, first.policy)
                            throw UsageError(message: cliMessages.text(.partialMismatch, name, "--policy " + key, a, firstName, b))
                        }
                    } else {
                        header = (h, name)
                        grouped = GroupedLessons(by: h.by, visitsJudgedBy: h.perLog ? nil : try Policy(json: Array(h.policy.utf8)))
                        // About 390 bytes a row: room up front, where doubling a large
                        // table of rows would hold the old and the new at once.
                        grouped!.reserveCapacity(min((Input.totalSize(inputs) ?? 0) / 360, 1 << 24))
                    }
                    if !h.ids && !quiet && !saidNoIDs {
                        err.write("lessonlens: " + messages.text(.partialNoIDs, name) + "\n")
                        saidNoIDs = true
                    }
                    mine = h
                case .row(let r):
                    guard mine != nil, trailer == nil else {
                        throw UsageError(message: cliMessages.text(.partialError, name, "\(number)", "a row outside the header and the closing line"))
                    }
                    rows += 1
                    if let order = r.order {
                        ordered.append((order, r, name, number))
                        return
                    }
                    if let id = r.id {
                        if let first = ids[ScalarIdentity(id)] {
                            duplicates += 1
                            err.write("lessonlens: " + messages.text(.partialDuplicate, name, "\(number)\(source(r))", id, names[Int(first)]) + "\n")
                            return
                        }
                        ids[ScalarIdentity(id)] = here
                    }
                    if let v = r.visit {
                        if let other = visits[v] {
                            if other != here {
                                split += 1
                                err.write("lessonlens: " + messages.text(.partialVisitSplit, name, "\(number)\(source(r))", r.visitKey ?? v.hex, names[Int(other)]) + "\n")
                            }
                        } else {
                            visits[v] = here
                        }
                    }
                    var keyed = KeyedRow(key: r.key, row: r.row)
                    keyed.log = VisitLog(visit: r.visit)
                    grouped!.add(keyed, file: name, line: number)
                case .trailer(let t):
                    trailer = t
                }
            }
            guard lines > 0 else { throw UsageError(message: cliMessages.text(.partialEmpty, name)) }
            guard let trailer, trailer.rows == rows else { throw UsageError(message: cliMessages.text(.partialCut, name)) }
            accepted += trailer.accepted
            rejected += trailer.rejected
            warnings += trailer.warnings
        }
        guard var grouped, let (first, _) = header else { throw UsageError(message: cliMessages.text(.noInputFiles)) }
        // Rows placed by a driver: in the archive's order, so that the first
        // of two lessons with one id is kept whichever part it went to.
        ordered.sort { $0.order < $1.order }
        for (_, r, name, number) in ordered {
            if let id = r.id {
                if let firstPart = ids[ScalarIdentity(id)] {
                    duplicates += 1
                    err.write("lessonlens: " + messages.text(.partialDuplicate, name, "\(number)", id, names[Int(firstPart)]) + "\n")
                    continue
                }
                ids[ScalarIdentity(id)] = Int32(names.firstIndex(of: name) ?? 0)
            }
            var keyed = KeyedRow(key: r.key, row: r.row)
            keyed.log = VisitLog(visit: r.visit)
            grouped.add(keyed, file: name, line: number)
        }
        // As in one run: a later lesson with an id seen before is rejected.
        accepted -= duplicates
        rejected += duplicates
        grouped.combineVisits()
        let groups = grouped.summaries(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        writeSummary(groups, by: first.by, format: output.format, accepted: accepted, rejected: rejected, messages: messages)
        if !quiet {
            err.write("lessonlens: " + messages.text(.merged, "\(partials.count)") + (messages.language == .zh ? "：" : ": ")
                      + messages.counts(accepted: accepted, rejected: rejected, warnings: warnings, failedInputs: 0) + "\n")
        }
        err.flush()
        throw rejected > 0 || split > 0 ? ExitCode(1) : .success
    }
}

/// A partial's line that cannot be read, in the run's language.
func partialReason(_ error: SummaryPartial.ReadError) -> String {
    switch error.kind {
    case .notJSON(let why): return cliMessages.text(.partialNotJSON, why)
    case .notPartial: return cliMessages.text(.partialNotPartial)
    case .noVersion: return cliMessages.text(.partialNoVersion)
    case .otherVersion(let v): return cliMessages.text(.partialOtherVersion, "\(v)", "\(SummaryPartial.version)")
    case .incomplete(let what): return what
    }
}

/// The first key whose value differs between two compact policies, with both values.
func firstDifference(_ a: String, _ b: String) -> (key: String, a: String, b: String) {
    guard let x = try? JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any],
          let y = try? JSONSerialization.jsonObject(with: Data(b.utf8)) as? [String: Any] else { return ("", a, b) }
    func text(_ v: Any?) -> String {
        guard let v, !(v is NSNull) else { return "null" }
        if let data = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed]) {
            return String(decoding: data, as: UTF8.self)
        }
        return "\(v)"
    }
    for key in Set(x.keys).union(y.keys).sorted() {
        let u = x[key] as? [String: Any], v = y[key] as? [String: Any]
        if let u, let v {
            for sub in Set(u.keys).union(v.keys).sorted() where text(u[sub]) != text(v[sub]) {
                return ("\(key).\(sub)", text(u[sub]), text(v[sub]))
            }
        } else if text(x[key]) != text(y[key]) {
            return (key, text(x[key]), text(y[key]))
        }
    }
    return ("", a, b)
}

/// Calls `body` with each line of an input (without its newline or a CR
/// before it; blank lines skipped) and its number from 1.
func forEachLine(_ opened: OpenedInput, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
    var input = try opened.take()
    defer { _ = Glibc.close(input.file.fd) }
    var pending: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    var number = 0
    func emit(_ line: ArraySlice<UInt8>) throws {
        number += 1
        var line = line
        if line.last == 0x0D { line = line.dropLast() }
        guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { return }
        try line.withUnsafeBufferPointer { try body($0, number) }
    }
    while true {
        let n = try chunk.withUnsafeMutableBytes { try input.read(into: $0) }
        if n == 0 { break }
        pending.append(contentsOf: chunk[0..<n])
        var start = pending.startIndex
        while let newline = pending[start...].firstIndex(of: 0x0A) {
            try emit(pending[start..<newline])
            start = newline + 1
        }
        pending.removeSubrange(pending.startIndex..<start)
    }
    if !pending.isEmpty { try emit(pending[...]) }
    if let failure = input.failure { throw UsageError(message: "\(failure)") }
}
