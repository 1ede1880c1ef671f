import Foundation
import LessonLensCore

/// A part of a `summary` that another run can merge exactly
/// (`lessonlens summary --partial`, `lessonlens merge`): JSON Lines, one
/// header line, one line per accepted log, one closing line. Per log it
/// holds what the summary keeps of it (the group key, every metric, every
/// standard, what judging a combined visit again needs), its visit and its
/// id, so that a merge combines visits, finds ids given in two parts and
/// computes every statistic as one run over everything would
/// (docs/scale-out.md gives the format).
public enum SummaryPartial {
    /// The `format` value of the header.
    public static let format = "lessonlens-summary-partial"
    /// The version this build writes and reads.
    public static let version = 1

    /// The first line: what the part was made with.
    public struct Header: Sendable, Equatable {
        /// The `--by` key.
        public var by: GroupBy
        /// Logs counted one by one (`--per-log`, or `--by observer`).
        public var perLog: Bool
        /// Whether rows carry lesson ids (`--no-ids` leaves them out).
        public var ids: Bool
        /// The policy the part judged by, as compact JSON.
        public var policy: String
        /// The part's input files as named in its messages.
        public var files: [String]

        /// A header.
        public init(by: GroupBy, perLog: Bool, ids: Bool, policy: String, files: [String] = []) {
            self.by = by; self.perLog = perLog; self.ids = ids; self.policy = policy; self.files = files
        }
    }

    /// One accepted log.
    public struct Row: Sendable {
        /// The group it belongs to.
        public var key: GroupKey
        /// Its id; nil in a partial made with `--no-ids`.
        public var id: String?
        /// Its visit (nil: a visit of its own).
        public var visit: VisitID?
        /// The visit's key as people read it.
        public var visitKey: String?
        /// Its numbers.
        public var row: LessonRow
        /// Its line in the part's input.
        public var line: Int?
        /// Its file: a place in the header's `files` (nil: the first).
        public var file: Int?
        /// Its place among every part's lessons, when a driver that split
        /// one archive says (`scripts/spark-summary`): a merge then takes
        /// the lessons in this order, as one run over the archive would.
        public var order: Int?
    }

    /// The last line: the part's counts.
    public struct Trailer: Sendable, Equatable {
        /// Lessons accepted by the part's run.
        public var accepted: Int
        /// Lines it rejected.
        public var rejected: Int
        /// Warnings it gave.
        public var warnings: Int
        /// Rows written (accepted logs that `--where` kept).
        public var rows: Int

        /// The counts of a part.
        public init(accepted: Int, rejected: Int, warnings: Int, rows: Int) {
            self.accepted = accepted; self.rejected = rejected; self.warnings = warnings; self.rows = rows
        }
    }

    /// A line of a partial.
    public enum Line: Sendable {
        case header(Header)
        case row(Row)
        case trailer(Trailer)
    }

    /// Why a line of a partial cannot be used.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        public enum Kind: Sendable, Equatable {
            /// The line is not JSON (the reason).
            case notJSON(String)
            /// The first line is not a partial's header (an observation log, say).
            case notPartial
            /// The header's version is missing or not a number.
            case noVersion
            /// Another version of the format.
            case otherVersion(Int)
            /// A header, row or closing line without what it needs (which).
            case incomplete(String)
        }
        /// What is wrong.
        public var kind: Kind
        /// In English.
        public var description: String {
            switch kind {
            case .notJSON(let why): return "not JSON: \(why)"
            case .notPartial: return "not a summary partial (no \"format\": \"\(format)\" header): make one with `lessonlens summary --partial`"
            case .noVersion: return "the header's version is missing or not a number"
            case .otherVersion(let v): return "a partial of format version \(v); this lessonlens reads version \(version): make it again with `lessonlens summary --partial` of this version"
            case .incomplete(let what): return what
            }
        }
        init(_ kind: Kind) { self.kind = kind }
    }

    /// The header line (with its newline).
    public static func headerLine(_ h: Header) -> String {
        let files = "[" + h.files.map { jsonQuoted($0) }.joined(separator: ",") + "]"
        return "{\"format\":\"\(format)\",\"version\":\(version),\"by\":\"\(h.by.rawValue)\",\"per_log\":\(h.perLog),\"ids\":\(h.ids),\"files\":\(files),\"policy\":\(h.policy)}\n"
    }

    /// `rowLine`'s text with the log's input line (and file, its place in
    /// the header's `files`, when the part read several) put first: the
    /// place is known only where lessons are handed on in order.
    public static func withPlace(_ row: String, line: Int, file: Int?) -> String {
        "{" + (file.map { "\"file\":\($0)," } ?? "") + "\"line\":\(line)," + row.dropFirst()
    }

    /// The row of one accepted log (with its newline); made on a worker thread.
    public static func rowLine(_ e: EvaluatedLesson, by: GroupBy, policy: Policy, ids: Bool) -> String {
        let row = LessonRow(e, policy: policy)
        var out = "{\"key\":" + keyJSON(by.key(of: e))
        if ids { out += ",\"id\":" + jsonQuoted(e.id) }
        if let key = e.visitKey, let visit = VisitID(e) {
            out += ",\"visit\":\"" + visit.hex + "\""
            // The key names the teacher and the class: left out with the ids.
            if ids { out += ",\"visit_key\":" + jsonQuoted(key) }
        }
        if row.present >= 0 { out += ",\"present\":\(row.present)" }
        if row.policyVariant != 0 { out += ",\"variant\":\(row.policyVariant)" }
        out += ",\"metrics\":["
        for k in 0..<Metric.count {
            if k > 0 { out += "," }
            let v = row.metrics[k]
            out += v.isNaN ? "null" : "\(v)"
        }
        out += "],\"standards\":["
        for k in 0..<Standard.count {
            if k > 0 { out += "," }
            out += String(row.standards[k])
        }
        return out + "]}\n"
    }

    /// The closing line (with its newline).
    public static func trailerLine(_ t: Trailer) -> String {
        "{\"end\":true,\"accepted\":\(t.accepted),\"rejected\":\(t.rejected),\"warnings\":\(t.warnings),\"rows\":\(t.rows)}\n"
    }

    /// Reads one line of a partial.
    public static func parse(_ line: UnsafeBufferPointer<UInt8>) throws(ReadError) -> Line {
        let tape = JSONTape()
        do {
            try tape.parse(line)
        } catch {
            throw ReadError(.notJSON(error.reason.description))
        }
        let view = JSONView(tape: tape, bytes: line)
        guard view.kind(0) == .object else { throw ReadError(.notPartial) }
        var fields: [String: Int] = [:]
        view.forEachMember(ofObject: 0) { k, v in fields[view.string(k)] = v }
        func string(_ name: String) -> String? { fields[name].flatMap { view.kind($0) == .string ? view.string($0) : nil } }
        func int(_ name: String) -> Int? {
            guard let i = fields[name], view.kind(i) == .number else { return nil }
            let d = view.double(i)
            return d == d.rounded() && abs(d) < 1e15 ? Int(d) : nil
        }
        func bool(_ name: String) -> Bool? { fields[name].flatMap { view.kind($0) == .true ? true : view.kind($0) == .false ? false : nil } }

        if let f = fields["format"] {
            guard view.kind(f) == .string, view.string(f) == format else { throw ReadError(.notPartial) }
            guard let v = int("version") else { throw ReadError(.noVersion) }
            guard v == version else { throw ReadError(.otherVersion(v)) }
            guard let byName = string("by"), let by = GroupBy(rawValue: byName), let perLog = bool("per_log"), let ids = bool("ids"),
                  let p = fields["policy"], view.kind(p) == .object else {
                throw ReadError(.incomplete("the header lacks by, per_log, ids or policy"))
            }
            var files: [String] = []
            if let list = fields["files"], view.kind(list) == .array {
                view.forEachElement(ofArray: list) { _, e in if view.kind(e) == .string { files.append(view.string(e)) } }
            }
            return .header(Header(by: by, perLog: perLog, ids: ids, policy: compactJSON(view, p), files: files))
        }
        if fields["end"] != nil {
            guard let a = int("accepted"), let r = int("rejected"), let w = int("warnings"), let n = int("rows") else {
                throw ReadError(.incomplete("the closing line lacks accepted, rejected, warnings or rows"))
            }
            return .trailer(Trailer(accepted: a, rejected: r, warnings: w, rows: n))
        }
        guard let k = fields["key"], let m = fields["metrics"], view.kind(m) == .array, view.count(m) == Metric.count,
              let s = fields["standards"], view.kind(s) == .array, view.count(s) == Standard.count else {
            // A line with none of a row's fields: not a partial at all (an observation log?).
            if fields["key"] == nil && fields["metrics"] == nil { throw ReadError(.notPartial) }
            throw ReadError(.incomplete("a row needs key, \(Metric.count) metrics and \(Standard.count) standards"))
        }
        let key: GroupKey
        switch view.kind(k) {
        case .string: key = view.string(k) == "all" ? .all : .text(view.string(k))
        case .number: key = .number(Int(view.double(k)))
        case .null: key = .none
        default: throw ReadError(.incomplete("a row's key must be a string, a number or null"))
        }
        var row = LessonRow(blank: ())
        var bad = false
        view.forEachElement(ofArray: m) { position, e in
            switch view.kind(e) {
            case .number: row.metrics[position] = view.double(e)
            case .null: row.metrics[position] = .nan
            default: bad = true
            }
        }
        view.forEachElement(ofArray: s) { position, e in
            let v = view.kind(e) == .number ? view.double(e) : 9
            if [-2.0, -1, 0, 1].contains(v) { row.standards[position] = Int8(v) } else { bad = true }
        }
        if bad { throw ReadError(.incomplete("a row's metrics must be numbers or null, its standards -2, -1, 0 or 1")) }
        row.present = Int32(clamping: int("present") ?? -1)
        row.policyVariant = Int16(clamping: int("variant") ?? 0)
        var visit: VisitID?
        if let hex = string("visit") {
            guard let id = VisitID(hex: hex) else { throw ReadError(.incomplete("a row's visit must be 32 hex digits")) }
            visit = id
        }
        return .row(Row(key: key, id: string("id"), visit: visit, visitKey: string("visit_key"), row: row,
                        line: int("line"), file: int("file"), order: int("order")))
    }

    static func keyJSON(_ key: GroupKey) -> String {
        switch key {
        case .all: return "\"all\""
        case .number(let n): return String(n)
        case .text(let s): return jsonQuoted(s)
        case .none: return "null"
        }
    }

}
