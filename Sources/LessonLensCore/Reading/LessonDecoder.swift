import Foundation

/// Turns one line of an observation log into a validated `Lesson`, or the
/// first reason it breaks the contract (`observation-log-v1.md`).
///
/// Reuse one decoder for many lines: its JSON tape is kept between calls.
/// Everything the spec checks is checked here except duplicate ids, which
/// depend on the lines before (`LessonStream` decides them in input order).
/// Not `Sendable`: a decoder keeps scratch buffers (classes) that its copies
/// share; use one per thread.
public struct LessonDecoder {
    private var tape = JSONTape()
    private let identifiers = IdentifierTable()
    /// Rosters for lessons that name a class and have no `students`.
    public var classRosters: ClassRosters?

    /// A decoder with empty buffers; reuse it for many lines.
    public init() {}

    /// Decodes `line`. Unknown fields are appended to `warnings`.
    public mutating func decode(_ line: UnsafeBufferPointer<UInt8>, warnings: inout [FieldIssue]) throws(FieldIssue) -> Lesson {
        do {
            try tape.parse(line)
        } catch {
            throw FieldIssue(field: "json", why: syntaxMessage(error, line))
        }
        let view = JSONView(tape: tape, bytes: line)
        identifiers.rosterKeys.removeAll(keepingCapacity: true)
        identifiers.performerKeys.removeAll(keepingCapacity: true)
        var reader = FieldReader(view: view, warnings: warnings, identifiers: identifiers, classRosters: classRosters)
        defer { warnings = reader.warnings }
        return try reader.lesson()
    }

    /// Convenience for tests and small inputs.
    public mutating func decode(_ line: String, warnings: inout [FieldIssue]) throws(FieldIssue) -> Lesson {
        try withLineBytes(line) { (bytes) throws(FieldIssue) in try decode(bytes, warnings: &warnings) }
    }
}

/// `body` on the UTF-8 bytes of `line` (the decoders' String conveniences).
func withLineBytes<T>(_ line: String, _ body: (UnsafeBufferPointer<UInt8>) throws(FieldIssue) -> T) throws(FieldIssue) -> T {
    let bytes = Array(line.utf8)
    let result: Result<T, FieldIssue> = bytes.withUnsafeBufferPointer { buffer in
        do throws(FieldIssue) { return .success(try body(buffer)) } catch { return .failure(error) }
    }
    return try result.get()
}

/// Levenshtein distance, for "did you mean" hints. O(a·b).
func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count), current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// A JSON syntax error as a person can act on it: a trailing comma named as
/// such, the column, and a short excerpt of the line around it.
func syntaxMessage(_ error: JSONTape.SyntaxError, _ line: UnsafeBufferPointer<UInt8>) -> Reason {
    let at = min(error.offset, line.count)
    var reason = error.reason
    if at < line.count, line[at] == UInt8(ascii: "]") || line[at] == UInt8(ascii: "}") {
        var k = at - 1
        while k >= 0, line[k] == 0x20 || line[k] == 0x09 || line[k] == 0x0D { k -= 1 }
        if k >= 0, line[k] == UInt8(ascii: ",") { reason = Reason(.trailingComma, "\(Character(UnicodeScalar(line[at])))") }
    }
    guard line.count > 0 else { return Reason(.syntaxAtColumn, .reason(reason), "\(at + 1)") }
    // About 30 bytes before and 10 after, cut on character boundaries.
    var from = max(0, at - 30), to = min(line.count, at + 10)
    while from > 0, from < line.count, line[from] & 0xC0 == 0x80 { from -= 1 }
    while to < line.count, line[to] & 0xC0 == 0x80 { to += 1 }
    let excerpt = String(decoding: UnsafeBufferPointer(rebasing: line[from..<to]), as: UTF8.self)
        .map { $0.isASCII && $0.asciiValue! < 0x20 ? "\u{FFFD}" : $0 }.map(String.init).joined()
    return Reason(.syntaxAtColumnExcerpt, .reason(reason), "\(at + 1)", "\(from > 0 ? "…" : "")\(excerpt)\(to < line.count ? "…" : "")")
}

/// Words people write for a kind or tier, and the name the format uses.
let knownSynonyms: [String: String] = [
    "reading": "read", "reading aloud": "read", "read aloud": "read", "朗读": "read", "读": "read",
    "writing": "write", "written": "write", "书写": "write", "写": "write", "写字": "write",
    "hw": "homework", "当堂作业": "homework", "作业": "homework",
    "lecturing": "lecture", "teaching": "lecture", "talk": "lecture", "讲授": "lecture", "讲解": "lecture",
    "discuss": "discussion", "q&a": "discussion", "讨论": "discussion", "问答": "discussion",
    "groups": "group", "group work": "group", "pair": "group", "pairs": "group", "小组": "group", "小组合作": "group",
    "activities": "activity", "活动": "activity", "过渡": "transition", "其他": "other",
    "low": "bottom", "weak": "bottom", "lower": "bottom", "后进": "bottom", "差": "bottom", "后三分之一": "bottom",
    "high": "top", "strong": "top", "upper": "top", "优": "top", "好": "top", "前三分之一": "top",
    "mid": "middle", "medium": "middle", "average": "middle", "中": "middle", "中间": "middle",
    "answering": "answer", "回答": "answer", "questions": "question", "提问": "question", "板演": "board", "展示": "present",
]

/// Names to suggest for a misspelt one (fields, kinds, tiers, performance
/// kinds, subcommands, teachers), by one rule.
public enum Suggestions {
    /// The one suggestion rule for every misspelt name (fields, kinds, tiers,
    /// performance kinds, subcommands): a known synonym; else a name that begins
    /// the other (at least 3 letters: "reading", "perf"); else the nearest name
    /// within 1 edit (2 for names of 6 letters or more). Nothing far off.
    public static func nearestName(to name: String, among candidates: [String]) -> String? {
        nearestNames(to: name, among: candidates, limit: 1).first
    }

    /// Up to `limit` names for a value that matched nothing: those the rule
    /// above suggests, then those containing it or contained in it.
    public static func nearestNames(to name: String, among candidates: [String], limit: Int = 3) -> [String] {
        var out: [String] = []
        if let best = nearestOne(to: name, among: candidates) { out.append(best) }
        for c in candidates where out.count < limit && !out.contains(c) && !name.isEmpty && (c.contains(name) || name.contains(c)) {
            out.append(c)
        }
        return out
    }

    private static func nearestOne(to name: String, among candidates: [String]) -> String? {
        let lower = name.lowercased().trimmingCharacters(in: .whitespaces)
        if let synonym = knownSynonyms[lower], candidates.contains(synonym) { return synonym }
        var best: (String, Int)?
        for candidate in candidates {
            var d = editDistance(Array(lower.utf8), Array(candidate.utf8))
            if min(lower.utf8.count, candidate.utf8.count) >= 3, lower.hasPrefix(candidate) || candidate.hasPrefix(lower) { d = min(d, 1) }
            let limit = max(lower.utf8.count, candidate.utf8.count) >= 6 ? 2 : 1
            if d <= limit, d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best?.0
    }
}

/// Finds a field (or an enum value) by its key bytes without creating a String.
///
/// Names are at most 16 bytes, so each is packed into two words and a key is
/// compared with two integer compares. The candidates live in memory that is
/// never freed nor reference counted: the tables are shared by every worker
/// thread, and refcount traffic on shared arrays cost more than the lookups.
struct FieldTable<F: RawRepresentable & CaseIterable & Sendable>: @unchecked Sendable where F.RawValue == String {
    private struct Candidate {
        var low: UInt64
        var high: UInt64
        var index: Int
    }
    /// Candidates sorted by name length; `firstOfLength[n]..<firstOfLength[n+1]` have length n.
    private let candidates: UnsafeMutableBufferPointer<Candidate>
    private let firstOfLength: UnsafeMutableBufferPointer<Int>
    private let all: UnsafeMutableBufferPointer<F>

    /// A perfect hash of the names as `(bytes 0..<8, bytes 8..<16)` words,
    /// zero-padded (see `lookup(words:_:length:)`): one multiply, one slot,
    /// one compare, where a scan of the names of the key's length mispredicts
    /// its branches (a lesson has 5 fields of 8 bytes).
    private struct WordSlot {
        var first: UInt64 = 0
        var second: UInt64 = 0
        var length = -1
        var index = 0
    }
    private static var wordSlotBits: UInt64 { 6 }
    private let wordSlots: UnsafeMutableBufferPointer<WordSlot>
    private let wordMultiplier: UInt64

    init() {
        let cases = Array(F.allCases)
        all = .allocate(capacity: cases.count)
        _ = all.initialize(from: cases)
        // The first odd multiplier of a fixed sequence that gives every name
        // a slot of its own (with at most 18 names in 64 slots, one of the
        // first few does).
        let words = cases.map { packedWords($0.rawValue.utf8) }
        wordSlots = .allocate(capacity: 1 << Int(FieldTable.wordSlotBits))
        var state: UInt64 = HashConstants.golden
        var chosen: UInt64 = 0
        search: for _ in 0..<100_000 {
            state = state &* HashConstants.lcgMultiplier &+ HashConstants.lcgIncrement
            let multiplier = state | 1
            var used = Set<Int>()
            for w in words where !used.insert(FieldTable.slot(w.0, w.1, multiplier)).inserted { continue search }
            chosen = multiplier
            break
        }
        precondition(chosen != 0, "no perfect hash for \(F.self)")
        wordMultiplier = chosen
        _ = wordSlots.initialize(from: repeatElement(WordSlot(), count: wordSlots.count))
        for (k, f) in cases.enumerated() {
            let (first, second) = words[k]
            wordSlots[FieldTable.slot(first, second, chosen)] = WordSlot(first: first, second: second,
                                                                         length: f.rawValue.utf8.count, index: k)
        }
        let byLength = cases.enumerated().sorted { $0.element.rawValue.utf8.count < $1.element.rawValue.utf8.count }
        candidates = .allocate(capacity: cases.count)
        firstOfLength = .allocate(capacity: 18)
        var next = 0
        for length in 0...17 {
            firstOfLength[length] = next
            while next < byLength.count && byLength[next].element.rawValue.utf8.count == length {
                let (k, f) = byLength[next]
                let bytes = Array(f.rawValue.utf8)
                let (low, high) = bytes.withUnsafeBufferPointer { FieldTable.pack($0) }
                candidates[next] = Candidate(low: low, high: high, index: k)
                next += 1
            }
        }
        precondition(next == cases.count, "field names are at most 16 bytes")
    }

    @inline(__always)
    private static func slot(_ first: UInt64, _ second: UInt64, _ multiplier: UInt64) -> Int {
        Int(truncatingIfNeeded: ((first ^ (second &* HashConstants.xxPrime2)) &* multiplier) &>> (64 - wordSlotBits))
    }

    /// The value named by `length` bytes (at most 16) given as two
    /// zero-padded words, bytes 0..<8 and 8..<16, and its position among
    /// the cases.
    @inline(__always)
    func lookup(words first: UInt64, _ second: UInt64, length: Int) -> (F, Int)? {
        let s = wordSlots[FieldTable.slot(first, second, wordMultiplier)]
        guard s.first == first && s.second == second && s.length == length else { return nil }
        return (all[s.index], s.index)
    }

    /// Two words that identify up to 16 bytes of a given length: the first 8
    /// bytes (fewer, zero-padded) and, past 8, the last 8 (overlapping loads).
    /// `readable`: how many bytes from the start may be read; with 8 or more,
    /// a short name is one load and a mask instead of a byte loop.
    @inline(__always)
    private static func pack(_ raw: UnsafeBufferPointer<UInt8>, readable: Int = 0) -> (UInt64, UInt64) {
        let n = raw.count
        let p = UnsafeRawPointer(raw.baseAddress!)
        if n < 8 && readable >= 8 {
            // Little-endian: the name's bytes are the low n bytes of the word.
            return (p.loadUnaligned(as: UInt64.self) & lowBytesMask(n), 0)
        }
        if n >= 8 {
            let low = p.loadUnaligned(as: UInt64.self)
            return (low, n > 8 ? (p + n - 8).loadUnaligned(as: UInt64.self) : 0)
        }
        return (packedWords(raw).0, 0)
    }

    func lookup(_ view: JSONView, _ key: Int) -> F? { indexedLookup(view, key)?.0 }

    /// The case at `index` among the cases (what the lookups return beside it).
    @inline(__always)
    func field(at index: Int) -> F { all[index] }

    /// The known name closest to a misspelt one (at most 2 edits, or one
    /// beginning the other), if any.
    func suggestion(for name: String) -> String? {
        Suggestions.nearestName(to: name, among: all.map(\.rawValue))
    }

    /// The value and its position among the cases (for "seen" bit sets).
    @inline(__always)
    func indexedLookup(_ view: JSONView, _ key: Int) -> (F, Int)? {
        if view.entries[key].escaped {
            let s = view.string(key)
            guard let k = all.firstIndex(where: { $0.rawValue == s }) else { return nil }
            return (all[k], k)
        }
        return indexedLookup(raw: view.rawBytes(key))
    }

    /// The value named by a name of `length` < 8 bytes packed in a word
    /// (little-endian, zero above): what `Cursor.shortString` reads.
    @inline(__always)
    func lookup(packed word: UInt64, length: Int) -> F? {
        lookup(words: word, 0, length: length)?.0
    }

    /// The value named by `raw` (unescaped bytes) and its position among the cases.
    @inline(__always)
    func indexedLookup(raw: UnsafeBufferPointer<UInt8>, readable: Int = 0) -> (F, Int)? {
        guard raw.count <= 16, raw.count > 0 else { return nil }
        let (low, high) = FieldTable.pack(raw, readable: readable)
        var k = firstOfLength[raw.count]
        let end = firstOfLength[raw.count + 1]
        while k < end {
            let c = candidates[k]
            if c.low == low && c.high == high { return (all[c.index], c.index) }
            k += 1
        }
        return nil
    }
}

let lessonFields = FieldTable<LessonField>()
let studentFields = FieldTable<StudentField>()
let segmentFields = FieldTable<SegmentField>()
let performanceFields = FieldTable<PerformanceField>()
let homeworkFields = FieldTable<HomeworkField>()
let tierNames = FieldTable<Tier>()
let segmentKinds = FieldTable<SegmentKind>()
let performanceKinds = FieldTable<PerformanceKind>()

/// Where a value sits in the lesson (`segments[2].end`). Cheap to make: it
/// becomes a String only when a message needs it.
struct FieldPath: CustomStringConvertible {
    var list: String = ""
    var index: Int = -1
    var field: String?

    static func top(_ field: String) -> FieldPath { FieldPath(field: field) }
    static func item(_ list: String, _ index: Int) -> FieldPath { FieldPath(list: list, index: index) }
    static func member(_ list: String, _ field: String) -> FieldPath { FieldPath(list: list, field: field) }
    func callAsFunction(_ field: String) -> FieldPath { FieldPath(list: list, index: index, field: field) }

    var description: String {
        var s = list
        if index >= 0 { s += "[\(index)]" }
        if let field { s += s.isEmpty ? field : "." + field }
        return s
    }
}

/// A value the walker checked against its field's kind (`ValueKind`).
/// The accessors give nil for `null` (a field that allows it), so a visitor
/// only stores.
enum FieldValue {
    case null
    /// A string and its position on the tape (ids are numbered by their bytes there).
    case text(String, at: Int)
    case date(LessonDate)
    case integer(Int)
    /// A duration or a time (seconds).
    case number(Double)
    /// An enumerated name, by its position among the cases.
    case choice(Int)
    case flag(Bool)
    case texts([String])
    /// An array or object of the right kind, by its position on the tape.
    case container(Int)

    var text: String? { if case .text(let s, _) = self { s } else { nil } }
    var position: Int { if case .text(_, let at) = self { at } else { 0 } }
    var date: LessonDate? { if case .date(let d) = self { d } else { nil } }
    var integer: Int? { if case .integer(let i) = self { i } else { nil } }
    var number: Double? { if case .number(let d) = self { d } else { nil } }
    var flag: Bool? { if case .flag(let b) = self { b } else { nil } }
    var texts: [String]? { if case .texts(let t) = self { t } else { nil } }
    var container: Int? { if case .container(let v) = self { v } else { nil } }
    func choice<E>(_ table: FieldTable<E>) -> E? { if case .choice(let k) = self { table.field(at: k) } else { nil } }
}

/// The walk over one parsed lesson object.
private struct FieldReader: JSONFieldReading {
    let view: JSONView
    var warnings: [FieldIssue]
    /// Numbers student ids by their bytes; also holds the tape positions of
    /// the roster's ids and the performances' students, in order.
    let identifiers: IdentifierTable
    /// Times written as bare numbers (seconds) and as "M:SS" strings.
    var bareTimes = 0, stringTimes = 0
    let classRosters: ClassRosters?

    init(view: JSONView, warnings: [FieldIssue], identifiers: IdentifierTable, classRosters: ClassRosters?) {
        self.view = view
        self.warnings = warnings
        self.identifiers = identifiers
        self.classRosters = classRosters
    }

    // MARK: The lesson

    mutating func lesson() throws(FieldIssue) -> Lesson {
        guard view.kind(0) == .object else {
            throw FieldIssue(field: "json", .lessonNotObject, .word(typeName(0)))
        }
        var id: String?, date: LessonDate?, teacher: String?, subject: String?, grade: Int?
        var className: String?, school: String?, observer: String?, period: Int?
        var duration: Double?, enrolled: Int?, present: Int?
        var students: [Student]?, segments: [Segment]?, performances: [Performance]?
        var homework: Homework?, tags: [String]?, visit: String?, notes: String?

        // Every value below is of its field's kind (the walker checked it);
        // `null` arrives only for fields that allow it, and means absent.
        try members(of: 0, LessonField.self, lessonFields, path: FieldPath()) { (reader: inout FieldReader, field, value) throws(FieldIssue) in
            switch field {
            case .id: id = value.text
            case .date: date = value.date
            case .teacher: teacher = value.text
            case .subject: subject = value.text
            case .grade: grade = value.integer
            case .class: className = value.text
            case .school: school = value.text
            case .observer: observer = value.text
            case .period: period = value.integer
            case .duration_min: duration = value.number
            case .enrolled: enrolled = value.integer
            case .present: present = value.integer
            case .students: if let v = value.container { students = try reader.roster(v) }
            case .segments: if let v = value.container { segments = try reader.segmentList(v) }
            case .performances: if let v = value.container { performances = try reader.performanceList(v) }
            case .homework: if let v = value.container { homework = try reader.homeworkObject(v) }
            case .tags: tags = value.texts
            case .visit: visit = value.text
            case .notes: notes = value.text
            }
        }
        // Required fields were checked by the walker.
        guard let id, let date, let teacher, let subject, let grade, let segments else {
            throw FieldIssue(field: "json", .missingField)
        }
        let durationMin = duration ?? Lesson.defaultDurationMin

        if let issue = LessonRules.presence(present: present, enrolled: enrolled) { throw issue }

        // Times (checked here, since duration_min may come after the
        // segments in the object).
        for (k, s) in segments.enumerated() {
            if let issue = LessonRules.segment(start: s.start, end: s.end, durationMin: durationMin, index: k) { throw issue }
        }
        let performanceItems = performances ?? []
        for (k, p) in performanceItems.enumerated() {
            if let issue = LessonRules.time(p.t, durationMin: durationMin, field: "performances[\(k)].t") { throw issue }
        }
        var last: LessonTime = 0
        for s in segments { last = max(last, s.end) }
        for p in performanceItems { last = max(last, p.t) }
        if let warning = LessonRules.secondsForMinutes(bareTimes: bareTimes, stringTimes: stringTimes, last: last,
                                                       durationMin: durationMin) {
            warnings.append(warning)
        }

        var indexed = performanceItems
        let studentCount: Int
        if students == nil, let className, let rosters = classRosters, let roster = rosters.roster(ofClass: className) {
            // The class's roster from the roster file: the same numbering
            // rule, and a performer must be on it as on a roster of the line.
            let numbering = StudentNumbering(roster: roster.map(\.id), performers: indexed.map(\.student))
            if case .notOnRoster(let k)? = numbering.problem {
                throw FieldIssue(field: "performances[\(k)].student", .notOnClassRoster,
                                 "\(indexed[k].student)", "\(className)", "\(rosters.source)")
            }
            for k in indexed.indices { indexed[k].studentIndex = numbering.performers[k] }
            studentCount = numbering.count
            students = roster
        } else {
            studentCount = try numberStudents(roster: students, performances: &indexed)
        }
        return Lesson(id: id, date: date, teacher: teacher, subject: subject, grade: grade,
                      className: className, school: school, observer: observer, period: period,
                      durationMin: durationMin, enrolled: enrolled, present: present,
                      students: students, segments: segments, indexedPerformances: indexed,
                      studentCount: studentCount, homework: homework, tags: tags ?? [],
                      visit: visit, notes: notes)
    }

    /// Checks that roster ids are unique and that every performer is on the
    /// roster (when there is one), and numbers the performers' students
    /// (`Performance.studentIndex`). Returns how many students are numbered.
    func numberStudents(roster: [Student]?, performances: inout [Performance]) throws(FieldIssue) -> Int {
        let table = identifiers
        let entries = view.entries
        guard !table.rosterKeys.contains(where: { entries[$0].escaped }),
              !table.performerKeys.contains(where: { entries[$0].escaped }) else {
            // Escaped ids: compare the decoded ids (their Unicode scalars, as
            // the raw bytes are compared when nothing is escaped).
            let numbering = StudentNumbering(roster: roster?.map(\.id), performers: performances.map(\.student))
            switch numbering.problem {
            case .repeatedOnRoster(let k)?: throw repeatedOnRoster(k, roster![k].id)
            case .notOnRoster(let k)?: throw notOnRoster(k, performances[k].student)
            case nil: break
            }
            for k in performances.indices { performances[k].studentIndex = numbering.performers[k] }
            return numbering.count
        }
        table.reset(bytes: view.bytes, expected: table.rosterKeys.count + table.performerKeys.count)
        if let roster {
            for (k, key) in table.rosterKeys.enumerated() {
                let e = entries[key]
                guard table.insert(start: Int(e.start), length: Int(e.end - e.start)).isNew else {
                    throw repeatedOnRoster(k, roster[k].id)
                }
            }
        }
        for (k, key) in table.performerKeys.enumerated() {
            let e = entries[key]
            if roster != nil {
                guard let i = table.find(start: Int(e.start), length: Int(e.end - e.start)) else {
                    throw notOnRoster(k, performances[k].student)
                }
                performances[k].studentIndex = i
            } else {
                performances[k].studentIndex = table.insert(start: Int(e.start), length: Int(e.end - e.start)).index
            }
        }
        return table.count
    }

    // MARK: Parts

    mutating func roster(_ v: Int) throws(FieldIssue) -> [Student] {
        var out: [Student] = []
        out.reserveCapacity(view.count(v))
        try objects(v, LessonField.students) { (reader: inout FieldReader, path: FieldPath, e: Int) throws(FieldIssue) in
            var id: String?, tier: Tier?, idKey = 0
            try reader.members(of: e, StudentField.self, studentFields, path: path) { (_: inout FieldReader, field, value) throws(FieldIssue) in
                switch field {
                case .id: id = value.text; idKey = value.position
                case .tier: tier = value.choice(tierNames)
                }
            }
            reader.identifiers.rosterKeys.append(idKey)
            out.append(Student(id: id!, tier: tier))
        }
        return out
    }

    mutating func segmentList(_ v: Int) throws(FieldIssue) -> [Segment] {
        var out: [Segment] = []
        out.reserveCapacity(view.count(v))
        try objects(v, LessonField.segments) { (reader: inout FieldReader, path: FieldPath, e: Int) throws(FieldIssue) in
            var start: Double?, end: Double?, kind: SegmentKind?, passes: Int?, task: String?, notes: String?
            try reader.members(of: e, SegmentField.self, segmentFields, path: path) { (_: inout FieldReader, field, value) throws(FieldIssue) in
                switch field {
                case .start: start = value.number
                case .end: end = value.number
                case .kind: kind = value.choice(segmentKinds)
                case .passes: passes = value.integer
                case .task: task = value.text
                case .notes: notes = value.text
                }
            }
            out.append(Segment(start: start!, end: end!, kind: kind!, passes: passes, task: task, notes: notes))
        }
        return out
    }

    mutating func performanceList(_ v: Int) throws(FieldIssue) -> [Performance] {
        var out: [Performance] = []
        out.reserveCapacity(view.count(v))
        try objects(v, LessonField.performances) { (reader: inout FieldReader, path: FieldPath, e: Int) throws(FieldIssue) in
            var t: Double?, student: String?, kind: PerformanceKind?, independent = true, studentKey = 0
            try reader.members(of: e, PerformanceField.self, performanceFields, path: path) { (_: inout FieldReader, field, value) throws(FieldIssue) in
                switch field {
                case .t: t = value.number
                case .student: student = value.text; studentKey = value.position
                case .kind: kind = value.choice(performanceKinds)
                case .independent: independent = value.flag ?? true
                }
            }
            reader.identifiers.performerKeys.append(studentKey)
            out.append(Performance(t: t!, student: student!, kind: kind!, independent: independent))
        }
        return out
    }

    mutating func homeworkObject(_ v: Int) throws(FieldIssue) -> Homework {
        var assigned = 0, completed = 0, correct: Int?
        try members(of: v, HomeworkField.self, homeworkFields, path: FieldPath(list: "homework")) { (_: inout FieldReader, field, value) throws(FieldIssue) in
            switch field {
            case .assigned: assigned = value.integer!
            case .completed: completed = value.integer!
            case .correct: correct = value.integer
            }
        }
        if let issue = LessonRules.homework(assigned: assigned, completed: completed, correct: correct) { throw issue }
        return Homework(assigned: assigned, completed: completed, correct: correct)
    }

    // MARK: The walker

    /// Walks the object at `v` by its grammar: warns about unknown fields,
    /// rejects a field twice, reads each value as its field's kind (or
    /// rejects it, naming the field at `path`), and after the last member
    /// rejects a missing required field. Calls `visit` with each checked
    /// value, in the object's order; a container's elements are the
    /// visitor's to walk. That `v` is an object is the caller's to check.
    mutating func members<F: GrammarField>(of v: Int, _: F.Type, _ table: FieldTable<F>, path: FieldPath,
                                           _ visit: (inout FieldReader, F, FieldValue) throws(FieldIssue) -> Void) throws(FieldIssue) {
        var seen: UInt64 = 0
        try view.forEachMember(ofObject: v) { (k: Int, x: Int) throws(FieldIssue) in
            guard let (field, bit) = table.indexedLookup(view, k) else {
                warnUnknown(k, path: path, known: table)
                return
            }
            try once(&seen, bit, field, path)
            let rule = field.rule
            if rule.nullable && view.kind(x) == .null {
                try visit(&self, field, .null)
            } else {
                let checked = try value(x, rule.kind, path(field.rawValue))
                try visit(&self, field, checked)
            }
        }
        if let field = F.firstMissing(seen) { throw missing(path(field.rawValue)) }
    }

    /// The value at `x` as `kind`, or the issue with it.
    mutating func value(_ x: Int, _ kind: ValueKind, _ name: FieldPath) throws(FieldIssue) -> FieldValue {
        switch kind {
        case .text: return .text(try string(x, name), at: x)
        case .nonEmptyText:
            let s = try string(x, name)
            if s.isEmpty { throw FieldIssue(field: name.description, .mustNotBeEmpty) }
            return .text(s, at: x)
        case .date:
            guard view.kind(x) == .string else { throw wrongType(x, name, .aDateString) }
            guard !view.entries[x].escaped, let d = LessonDate(ascii: view.rawBytes(x)) else {
                throw FieldIssue(field: name.description, .notADate, "\(view.string(x))")
            }
            return .date(d)
        case .integer(let range): return .integer(try integer(x, name, in: range))
        case .duration:
            let d = try number(x, name)
            guard LessonRules.isValidDuration(d) else { throw FieldIssue(field: name.description, .durationNotPositive, "\(literal(x))") }
            return .number(d)
        case .time: return .number(try time(x, name))
        case .segmentKind: return .choice(try enumValue(x, name, segmentKinds).index)
        case .performanceKind: return .choice(try enumValue(x, name, performanceKinds).index)
        case .tier: return .choice(try enumValue(x, name, tierNames).index)
        case .flag:
            switch view.kind(x) {
            case .true: return .flag(true)
            case .false: return .flag(false)
            default: throw wrongType(x, name, .trueOrFalse)
            }
        case .texts:
            guard view.kind(x) == .array else { throw wrongType(x, name, .arrayOfStrings) }
            var out: [String] = []
            out.reserveCapacity(view.count(x))
            try view.forEachElement(ofArray: x) { (pos: Int, e: Int) throws(FieldIssue) in
                out.append(try string(e, FieldPath(list: name.field ?? "", index: pos)))
            }
            return .texts(out)
        case .objects(let array, _):
            guard view.kind(x) == .array else { throw wrongType(x, name, array) }
            return .container(x)
        case .object(let word):
            guard view.kind(x) == .object else { throw wrongType(x, name, word) }
            return .container(x)
        }
    }

    /// Each element of the array at `v`, the value of `field` (a list of
    /// objects), with its path (`segments[2]`); an element that is not an
    /// object is rejected, named as the grammar names it.
    mutating func objects(_ v: Int, _ field: LessonField, _ body: (inout FieldReader, FieldPath, Int) throws(FieldIssue) -> Void) throws(FieldIssue) {
        guard case .objects(_, let element) = field.rule.kind else { return }
        try view.forEachElement(ofArray: v) { (pos: Int, e: Int) throws(FieldIssue) in
            let path = FieldPath.item(field.rawValue, pos)
            guard view.kind(e) == .object else { throw wrongType(e, path, element) }
            try body(&self, path, e)
        }
    }

    /// A time: seconds (a number >= 0) or `"M:SS"` with any number of minute
    /// digits and seconds 00-59.
    mutating func time(_ v: Int, _ field: FieldPath) throws(FieldIssue) -> LessonTime {
        switch view.kind(v) {
        case .number:
            bareTimes += 1
            let d = view.double(v)
            guard d >= 0, d.isFinite else {
                throw FieldIssue(field: field.description, .negativeTime, "\(literal(v))")
            }
            return d
        case .string:
            let raw = view.rawBytes(v)
            if !view.entries[v].escaped, let t = parseMinutesSeconds(raw) { stringTimes += 1; return t }
            throw FieldIssue(field: field.description, .notMinutesSeconds, "\(view.string(v))")
        default:
            throw wrongType(v, field, .aTime)
        }
    }

    // MARK: Messages

    func repeatedOnRoster(_ k: Int, _ id: String) -> FieldIssue {
        FieldIssue(field: "students[\(k)].id", .repeatedOnRoster, "\(id)")
    }

    func notOnRoster(_ k: Int, _ id: String) -> FieldIssue {
        FieldIssue(field: "performances[\(k)].student", .notOnRoster, "\(id)")
    }
}

/// Reading a field's value and explaining what is wrong with it, shared by
/// the decoders of lessons and of homework assignments.
protocol JSONFieldReading {
    var view: JSONView { get }
    var warnings: [FieldIssue] { get set }
}

extension JSONFieldReading {
    func string(_ v: Int, _ field: FieldPath) throws(FieldIssue) -> String {
        guard view.kind(v) == .string else { throw wrongType(v, field, .aString) }
        return view.string(v)
    }

    func number(_ v: Int, _ field: FieldPath) throws(FieldIssue) -> Double {
        guard view.kind(v) == .number else { throw wrongType(v, field, .aNumber) }
        return view.double(v)
    }

    /// Integers may be written `3`, `3.0` or `3e0`: JSON has one number type.
    func integer(_ v: Int, _ field: FieldPath, in range: ClosedRange<Int>) throws(FieldIssue) -> Int {
        guard view.kind(v) == .number else { throw wrongType(v, field, .anInteger) }
        let d = view.double(v)
        guard d.isFinite, d.rounded() == d else {
            throw FieldIssue(field: field.description, .notAnInteger, "\(literal(v))")
        }
        // Beyond 9e15 a double no longer holds every integer exactly.
        guard abs(d) < 9.0e15 else {
            throw FieldIssue(field: field.description, .integerOutOfRange, "\(literal(v))")
        }
        let i = Int(d)
        guard range.contains(i) else {
            if range.upperBound == Int.max {
                throw FieldIssue(field: field.description, .integerAtLeast, "\(range.lowerBound)", "\(literal(v))")
            }
            throw FieldIssue(field: field.description, .integerBetween, "\(range.lowerBound)", "\(range.upperBound)", "\(literal(v))")
        }
        return i
    }

    func enumValue<E: RawRepresentable & CaseIterable & Sendable>(_ v: Int, _ field: FieldPath, _ table: FieldTable<E>) throws(FieldIssue) -> (value: E, index: Int) where E.RawValue == String {
        if view.kind(v) == .string, let e = table.indexedLookup(view, v) { return e }
        let names = E.allCases.map(\.rawValue).joined(separator: ", ")
        guard view.kind(v) == .string else { throw wrongType(v, field, .reason(Reason(.oneOf, "\(names)"))) }
        let value = view.string(v)
        if let hint = table.suggestion(for: value) {
            throw FieldIssue(field: field.description, .unknownValueHint, "\(value)", "\(hint)", "\(names)")
        }
        throw FieldIssue(field: field.description, .unknownValue, "\(value)", "\(names)")
    }

    mutating func warnUnknown<F>(_ k: Int, path: FieldPath, known: FieldTable<F>) {
        let name = view.string(k)
        if let hint = known.suggestion(for: name) {
            warnings.append(FieldIssue(field: path(name).description, .unknownFieldHint, "\(hint)"))
        } else {
            warnings.append(FieldIssue(field: path(name).description, .unknownField))
        }
    }

    /// Rejects a field given twice in one object (JSON allows it; a log must not).
    @inline(__always)
    func once<F: RawRepresentable>(_ seen: inout UInt64, _ index: Int, _ field: F, _ path: FieldPath) throws(FieldIssue) where F.RawValue == String {
        let bit = UInt64(1) << UInt64(index)
        guard seen & bit == 0 else {
            throw FieldIssue(field: path(field.rawValue).description, .appearsTwice)
        }
        seen |= bit
    }

    func missing(_ field: FieldPath) -> FieldIssue {
        FieldIssue(field: field.description, .missingField)
    }

    func wrongType(_ v: Int, _ field: FieldPath, _ expected: Reason.Word) -> FieldIssue {
        wrongType(v, field, .word(expected))
    }

    func wrongType(_ v: Int, _ field: FieldPath, _ expected: Reason.Value) -> FieldIssue {
        guard view.kind(v) == .number || view.kind(v) == .string else {
            return FieldIssue(field: field.description, .wrongType, expected, .word(typeName(v)))
        }
        return FieldIssue(field: field.description, .wrongTypeValue, expected, .word(typeName(v)), "\(literal(v))")
    }

    func typeName(_ v: Int) -> Reason.Word {
        switch view.kind(v) {
        case .object: return .anObject
        case .array: return .anArray
        case .string: return .aString
        case .number: return .aNumber
        case .true, .false: return .aBoolean
        case .null: return .null
        }
    }

    /// The value as written, shortened for messages.
    func literal(_ v: Int) -> String {
        let text = view.kind(v) == .string ? "\"" + view.string(v) + "\"" : String(decoding: view.rawBytes(v), as: UTF8.self)
        return text.count > 40 ? String(text.prefix(37)) + "..." : text
    }
}

/// Parses `M:SS` (any number of minute digits, seconds 00-59) into seconds.
func parseMinutesSeconds(_ raw: UnsafeBufferPointer<UInt8>) -> LessonTime? {
    let n = raw.count
    guard n >= 4, raw[n - 3] == UInt8(ascii: ":") else { return nil }
    let s1 = raw[n - 2] &- 0x30, s0 = raw[n - 1] &- 0x30
    guard s1 < 6, s0 < 10 else { return nil }
    var minutes = 0.0
    for k in 0..<(n - 3) {
        let d = raw[k] &- 0x30
        guard d < 10 else { return nil }
        minutes = minutes * 10 + Double(d)
    }
    return minutes * 60 + Double(s1 * 10 + s0)
}

/// `M:SS` for messages (fractional seconds kept).
package func formatTime(_ t: LessonTime) -> String {
    guard t < 1e12 else { return "\(t) s" }
    let whole = t.rounded(.down)
    let minutes = Int(whole / 60)
    let seconds = t - Double(minutes * 60)
    let secText = seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    return "\(minutes):\(seconds < 10 ? "0" : "")\(secText)"
}

package func formatMinutes(_ m: Double) -> String {
    m == m.rounded() && abs(m) < 1e15 ? String(Int(m)) : String(m)
}
