import Foundation

/// The fast path for the common line: reads a well-formed lesson straight from
/// its bytes into `LessonFacts` and the lesson's identity in one pass, with no
/// JSON tape, no `Lesson` and no String for anything that is only compared
/// (student ids, field names, kinds, tasks).
///
/// It accepts only lines that `LessonDecoder` accepts, with the same values,
/// and gives up (returns nil) on anything else: any syntax or validation
/// error, an unknown field (which needs a warning), an escape in a string, a
/// negative number or an exponent. The caller then decodes the line with
/// `LessonDecoder`, which names what is wrong; so every message comes from one
/// place and this file has no message code. Tests run both over generated
/// archives with every kind of breakage and check that they agree line by line.
package struct LessonScanner {
    private var facts = LessonFacts()
    private let ids = IdentifierTable()
    /// Performers read before the roster was complete, numbered at the end:
    /// byte range (start, length) of the id and position in `facts.performances`.
    private var pendingPerformers: [(start: Int, length: Int, performance: Int)] = []
    /// The roster has been read: performers are numbered as they come.
    private var rosterDone = false
    // The shared lookup tables, copied in (they are plain pointers): reading a
    // global costs a `swift_once` check at every use.
    private let lessonTable = lessonFields, studentTable = studentFields, segmentTable = segmentFields
    private let performanceTable = performanceFields, homeworkTable = homeworkFields
    private let tiers = tierNames, segmentKindTable = segmentKinds, performanceKindTable = performanceKinds
    /// Each kind of object's keys as the lines write them (see `LearnedKeys`).
    private let learned = LearnedKeys.Storage(kinds: 5)
    private let lessonKeys, studentKeys, segmentKeys, performanceKeys, homeworkKeys: LearnedKeys
    /// The grammar's fields that `null` may stand for, by object: the
    /// member loops pass over them (their defaults stand).
    private let lessonNulls = LessonField.nullableMask, studentNulls = StudentField.nullableMask
    private let segmentNulls = SegmentField.nullableMask, performanceNulls = PerformanceField.nullableMask
    private let homeworkNulls = HomeworkField.nullableMask
    private var recentTags = RecentValues<[String]>()
    private var names = RecentNames()
    /// With rosters by class, a lesson of a listed class without `students`
    /// takes its roster from them: the decoder's job.
    var classRosters: ClassRosters?

    /// A scanner with empty buffers; reuse it for many lines.
    package init() {
        lessonKeys = LearnedKeys(learned, kind: 0)
        studentKeys = LearnedKeys(learned, kind: 1)
        segmentKeys = LearnedKeys(learned, kind: 2)
        performanceKeys = LearnedKeys(learned, kind: 3)
        homeworkKeys = LearnedKeys(learned, kind: 4)
    }

    /// The facts of the last lesson `evaluate` accepted (for the fuzz
    /// harness, which compares them with the decoder's).
    package var lastFacts: LessonFacts { facts }

    /// The evaluated lesson on `line`, or nil when the line needs the full
    /// decoder (it is invalid, has warnings, or uses a rare notation).
    package mutating func evaluate(_ line: UnsafeBufferPointer<UInt8>, policy: Policy,
                           evaluator: inout LessonEvaluator) -> EvaluatedLesson? {
        guard let base = line.baseAddress, line.count < Int(Int32.max) else { return nil }
        facts.reset()
        pendingPerformers.removeAll(keepingCapacity: true)
        rosterDone = false
        // Students are numbered by their ids' bytes as they are read (roster
        // ids in roster order, as `LessonDecoder` numbers them).
        ids.reset(bytes: line, expected: 0)
        var c = Cursor(p: base, n: line.count)
        guard let identity = lesson(&c, policy: policy) else { return nil }
        if let classRosters, !facts.hasRoster, let className = identity.className,
           classRosters.roster(ofClass: className) != nil { return nil }
        c.skipWhitespace()
        guard c.i == c.n, numberPendingPerformers() else { return nil }
        // A lesson whose counts cannot be represented goes to the decoder,
        // which rejects it with the evaluator's reason.
        guard let (metrics, standards) = try? evaluator.evaluate(facts, policy: policy) else { return nil }
        return EvaluatedLesson(identity, metrics: metrics, standards: standards)
    }

    // MARK: The lesson object

    private mutating func lesson(_ c: inout Cursor, policy: Policy) -> LessonIdentity? {
        var id: String?, date: LessonDate?, teacher: String?, subject: String?, grade: Int?
        var className: String?, school: String?, observer: String?, enrolled: Int?, period: Int?, visit: String?
        var tags: [String] = []
        var hasSegments = false
        c.skipWhitespace()
        let ok = c.members(lessonTable, lessonKeys, nulls: lessonNulls) { (c: inout Cursor, field) -> Bool in
            switch field {
            case .id:
                guard let s = c.anyString(), !s.isEmpty else { return false }
                id = s
            case .date:
                guard let s = c.string(), let d = LessonDate(ascii: c.bytes(s)) else { return false }
                date = d
            case .teacher:
                guard let s = names.name(&c) else { return false }
                teacher = s
            case .subject:
                guard let s = names.name(&c) else { return false }
                subject = s
            case .grade:
                guard let g = c.integer(), LessonRules.grades.contains(g) else { return false }
                grade = g
            case .class: return names.name(&c).map { className = $0 } != nil
            case .school: return names.name(&c).map { school = $0 } != nil
            case .observer: return names.name(&c).map { observer = $0 } != nil
            case .period: return c.integer().map { period = $0 } != nil
            case .visit: return names.name(&c).map { visit = $0 } != nil
            case .notes:
                // Kept with timelines only, which the decoder makes.
                return c.anyString() != nil
            case .duration_min:
                guard let d = c.number(), LessonRules.isValidDuration(d) else { return false }
                facts.durationMin = d
            case .enrolled: return c.integer().map { enrolled = $0 } != nil
            case .present: return c.integer().map { facts.present = $0 } != nil
            case .students:
                facts.hasRoster = true
                guard roster(&c) else { return false }
                rosterDone = true
            case .segments:
                hasSegments = true
                return segments(&c)
            case .performances:
                return performances(&c)
            case .homework:
                return homework(&c)
            case .tags:
                // An archive has few distinct tag lists: the same bytes as a
                // list read before are the same (valid) list, shared.
                if let known = recentTags.match(&c) { tags = known; return true }
                let start = c.i
                guard c.elements({ (c: inout Cursor) -> Bool in
                    guard let s = c.anyString() else { return false }
                    tags.append(s)
                    return true
                }) else { return false }
                recentTags.remember(c.bytes((start, c.i - start)), tags)
            }
            return true
        }
        guard ok, let id, let date, let teacher, let subject, let grade, hasSegments else { return nil }
        guard LessonRules.presence(present: facts.present, enrolled: enrolled) == nil else { return nil }
        // Implausible values are warned about: the decoder's path does that.
        guard policy.implausibilities(durationMin: facts.durationMin, enrolled: enrolled, present: facts.present,
                                      rosterCount: facts.hasRoster ? facts.rosterTiers.count : nil,
                                      passes: facts.segments.lazy.map(\.passes)).isEmpty else { return nil }
        let durationMin = facts.durationMin
        var last: LessonTime = 0
        for (k, s) in facts.segments.enumerated() {
            guard LessonRules.segment(start: s.start, end: s.end, durationMin: durationMin, index: k) == nil else { return nil }
            last = max(last, s.end)
        }
        for p in facts.performances {
            guard LessonRules.time(p.t, durationMin: durationMin, field: "") == nil else { return nil }
            last = max(last, p.t)
        }
        // Minutes written as seconds: the decoder warns.
        let times = 2 * facts.segments.count + facts.performances.count
        guard LessonRules.secondsForMinutes(bareTimes: times - c.stringTimes, stringTimes: c.stringTimes, last: last,
                                            durationMin: durationMin) == nil else { return nil }
        return LessonIdentity(id: id, date: date, teacher: teacher, subject: subject, grade: grade,
                              className: className, school: school, observer: observer,
                              present: facts.present, tags: tags, period: period, visit: visit)
    }

    // Each array's objects in one function, with the loop over them, and
    // the tables as locals: read from `self` in the loop, they were copied
    // onto the stack at every object.
    private mutating func roster(_ c: inout Cursor) -> Bool {
        let table = studentTable, tiers = self.tiers
        var array = ArrayElements()
        while c.nextElement(&array) {
            var idRange: (Int, Int)?, packedID: UInt64?, tier: Tier?
            var object = ObjectMembers()
            while let field = c.nextMember(&object, table, studentKeys, nulls: studentNulls) {
                switch field {
                case .id:
                    guard let id = c.studentID() else { return false }
                    (idRange, packedID) = (id.range, id.packed)
                case .tier:
                    guard let t = c.shortEnumValue(tiers) else { return false }
                    tier = t
                }
            }
            guard object.isComplete, let idRange else { return false }
            // A repeated id is an error: the decoder says which.
            let isNew = packedID.map { ids.insert(packed: $0).isNew } ?? ids.insert(start: idRange.0, length: idRange.1).isNew
            guard isNew else { return false }
            facts.rosterTiers.append(tier)
        }
        return array.isComplete
    }

    private mutating func segments(_ c: inout Cursor) -> Bool {
        let table = segmentTable, kinds = segmentKindTable
        var array = ArrayElements()
        while c.nextElement(&array) {
            var start: LessonTime?, end: LessonTime?, kind: SegmentKind?, passes = -1, copying = false
            var object = ObjectMembers()
            while let field = c.nextMember(&object, table, segmentKeys, nulls: segmentNulls) {
                switch field {
                case .start:
                    guard let t = c.time() else { return false }
                    start = t
                case .end:
                    guard let t = c.time() else { return false }
                    end = t
                case .kind:
                    guard let k = c.enumValue(kinds) else { return false }
                    kind = k
                case .passes:
                    guard let v = c.integer() else { return false }
                    passes = v
                case .task:
                    guard let s = c.string() else { return false }
                    copying = c.isCopy(s)
                case .notes:
                    guard c.anyString() != nil else { return false }
                }
            }
            guard object.isComplete, let start, let end, let kind else { return false }
            facts.segments.append(LessonFacts.SegmentFact(start: start, end: end, kind: kind, passes: passes,
                                                          isCopying: copying && kind.countsAsWriting))
        }
        return array.isComplete
    }

    private mutating func performances(_ c: inout Cursor) -> Bool {
        let table = performanceTable, kinds = performanceKindTable
        var array = ArrayElements()
        while c.nextElement(&array) {
            var t: LessonTime?, student: (Int, Int)?, packedStudent: UInt64?, kind = false, independent = true
            // The value readers inline in the loop (a closure per member, even
            // transparent, cost 6%).
            var object = ObjectMembers()
            while let field = c.nextMember(&object, table, performanceKeys, nulls: performanceNulls) {
                switch field {
                case .t:
                    guard let v = c.time() else { return false }
                    t = v
                case .student:
                    guard let id = c.studentID() else { return false }
                    (student, packedStudent) = (id.range, id.packed)
                case .kind:
                    guard c.shortEnumValue(kinds) != nil else { return false }
                    kind = true
                case .independent:
                    guard let b = c.bool() else { return false }
                    independent = b
                }
            }
            guard object.isComplete, let t, let student, kind else { return false }
            guard addPerformance(t: t, student: student, packed: packedStudent, independent: independent) else { return false }
        }
        return array.isComplete
    }

    private mutating func homework(_ c: inout Cursor) -> Bool {
        var assigned: Int?, completed: Int?, correct: Int?
        let ok = c.members(homeworkTable, homeworkKeys, nulls: homeworkNulls) { (c: inout Cursor, field) -> Bool in
            switch field {
            case .assigned:
                guard let v = c.integer() else { return false }
                assigned = v
            case .completed:
                guard let v = c.integer() else { return false }
                completed = v
            case .correct: return c.integer().map { correct = $0 } != nil
            }
            return true
        }
        guard ok, let assigned, let completed,
              LessonRules.homework(assigned: assigned, completed: completed, correct: correct) == nil else { return false }
        facts.homework = Homework(assigned: assigned, completed: completed, correct: correct)
        return true
    }

    /// After the roster, a performer must be on it and takes its number;
    /// before it (or without one), the performer waits for the end.
    private mutating func addPerformance(t: LessonTime, student: (Int, Int), packed: UInt64? = nil,
                                         independent: Bool) -> Bool {
        var number = -1
        if rosterDone {
            let found = packed.map { ids.find(packed: $0) } ?? ids.find(start: student.0, length: student.1)
            guard let i = found else { return false }
            number = i
        } else {
            pendingPerformers.append((student.0, student.1, facts.performances.count))
        }
        facts.performances.append(LessonFacts.PerformanceFact(t: t, student: number, independent: independent))
        return true
    }

    /// Numbers the performers read before the roster: on the roster when
    /// there is one, else a new number per new id, in order.
    private mutating func numberPendingPerformers() -> Bool {
        for p in pendingPerformers {
            if facts.hasRoster {
                guard let i = ids.find(start: p.start, length: p.length) else { return false }
                facts.performances[p.performance].student = i
            } else {
                facts.performances[p.performance].student = ids.insert(start: p.start, length: p.length).index
            }
        }
        facts.studentCount = ids.count
        return true
    }
}

/// Names read before (teachers, subjects, classes, schools, observers), by
/// their bytes: they repeat from lesson to lesson, and making a String checks
/// its UTF-8 again, which the scanner has done. Names of up to 16 bytes, in
/// a direct-mapped table; longer ones are made each time.
private struct RecentNames {
    private struct Entry {
        var first: UInt64 = 0
        var second: UInt64 = 0
        var length = -1
        var value = ""
    }
    private var entries = [Entry](repeating: Entry(), count: 256)
    /// Names with escapes (`"\u5f20\u519b"`), by the whole token's bytes,
    /// quotes included: the same bytes are the same valid string, so a name
    /// seen before is neither checked nor decoded again. Slots by the
    /// 16 bytes after the opening quote (the length is not known before the
    /// closing quote is found, and finding it is what the cache saves).
    private var escapedEntries = [(token: [UInt8], value: String)](repeating: ([], ""), count: 256)

    /// One of 256 slots for two words of a name and its length (0 when the
    /// length is not known yet).
    @inline(__always)
    private static func slot(_ first: UInt64, _ second: UInt64, _ length: UInt64) -> Int {
        Int(truncatingIfNeeded: ((first ^ (second &* HashConstants.xxPrime2) ^ length) &* HashConstants.golden) &>> 56)
    }

    /// The string at `s` (start, length) of the cursor's line.
    mutating func text(_ c: Cursor, _ s: (Int, Int)) -> String {
        let (start, length) = s
        guard length <= 16, start + 16 <= c.n else { return c.text(s) }
        let raw = UnsafeRawPointer(c.p + start)
        var first = raw.loadUnaligned(as: UInt64.self), second = (raw + 8).loadUnaligned(as: UInt64.self)
        if length < 8 {
            first &= lowBytesMask(length)
            second = 0
        } else if length < 16 {
            second &= lowBytesMask(length - 8)
        }
        let slot = RecentNames.slot(first, second, UInt64(length))
        if entries[slot].first == first && entries[slot].second == second && entries[slot].length == length {
            return entries[slot].value
        }
        let value = c.text(s)
        entries[slot] = Entry(first: first, second: second, length: length, value: value)
        return value
    }

    /// A name: kept by its bytes, with or without escapes.
    mutating func name(_ c: inout Cursor) -> String? {
        let mark = c.i
        if let s = c.string() { return text(c, s) }
        c.i = mark
        guard mark + 17 <= c.n else { return c.escapedString() }
        let raw = UnsafeRawPointer(c.p + mark + 1)
        let first = raw.loadUnaligned(as: UInt64.self), second = (raw + 8).loadUnaligned(as: UInt64.self)
        let slot = RecentNames.slot(first, second, 0)
        let known = escapedEntries[slot].token
        if !known.isEmpty, known.count <= c.n - mark,
           known.withUnsafeBufferPointer({ memcmp($0.baseAddress!, c.p + mark, $0.count) }) == 0 {
            c.i = mark + known.count
            return escapedEntries[slot].value
        }
        guard let value = c.escapedString() else { return nil }
        if c.i - mark <= 256 { escapedEntries[slot] = (Array(c.bytes((mark, c.i - mark))), value) }
        return value
    }
}

/// The last few values read, keyed by their exact bytes in the log, so that
/// a repeated value is shared instead of read and allocated again.
private struct RecentValues<Value> {
    private var entries: [(bytes: [UInt8], value: Value)] = []
    private var next = 0
    private let capacity = 8

    /// The value whose bytes come next in the line, consumed; nil if none.
    func match(_ c: inout Cursor) -> Value? {
        for e in entries where e.bytes.count <= c.n - c.i {
            let same = e.bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, c.p + c.i, $0.count) == 0 }
            if same {
                c.i += e.bytes.count
                return e.value
            }
        }
        return nil
    }

    mutating func remember(_ bytes: UnsafeBufferPointer<UInt8>, _ value: Value) {
        guard bytes.count > 0, bytes.count <= 256 else { return }
        if entries.count < capacity {
            entries.append((Array(bytes), value))
        } else {
            entries[next] = (Array(bytes), value)
            next = (next + 1) % capacity
        }
    }
}

/// Where `Cursor.nextElement` is in an array: past its `[`, and whether its
/// `]` was reached.
private struct ArrayElements {
    var started = false
    var isComplete = false
}

/// Where `Cursor.nextMember` is in an object: the members read (a bit per
/// field, at most 32 fields, and how many) and whether its `}` was reached.
private struct ObjectMembers {
    var seen: UInt32 = 0
    var count = 0
    var isComplete = false
}

/// A position in one line, with readers for the JSON values a lesson uses.
/// Every reader returns nil (or false) on anything it does not accept, and
/// then the position no longer matters: the line goes to the full decoder.
private struct Cursor {
    let p: UnsafePointer<UInt8>
    let n: Int
    var i = 0
    /// Times read as "M:SS" strings (bare numbers are seconds; see the decoder's warning).
    /// A time read again, after a key run was given up, counts twice: only
    /// whether any string time was read matters (`secondsForMinutes`).
    var stringTimes = 0

    init(p: UnsafePointer<UInt8>, n: Int) { self.p = p; self.n = n }

    /// The byte at the position, or 0 past the end (a 0 byte is never valid
    /// outside a string, and inside one it is an error too).
    @inline(__always) var current: UInt8 { i < n ? p[i] : 0 }

    @inline(__always) mutating func skipWhitespace() {
        // Most positions have none, or the one space of `, ` and `: `; every
        // whitespace byte is <= 0x20 (and so is no byte that starts a token).
        guard i < n, p[i] <= 0x20 else { return }
        if p[i] == 0x20 && (i + 1 == n || p[i + 1] > 0x20) { i += 1; return }
        while i < n {
            let b = p[i]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 } else { return }
        }
    }

    @inline(__always) func bytes(_ s: (Int, Int)) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: p + s.0, count: s.1)
    }

    @inline(__always) func text(_ s: (Int, Int)) -> String {
        String(decoding: bytes(s), as: UTF8.self)
    }

    // MARK: Containers

    /// `{ "key": value, ... }` with keys from `table`, each at most once:
    /// calls `read` at each value with the key's field. False at a key that
    /// is not a field (it needs a warning: the decoder's job) or a repeated
    /// one, or at anything that is not such an object.
    @inline(__always)
    mutating func members<F>(_ table: FieldTable<F>, _ keys: LearnedKeys, nulls: UInt32, _ read: (inout Cursor, F) -> Bool) -> Bool {
        var object = ObjectMembers()
        while let field = nextMember(&object, table, keys, nulls: nulls) {
            guard read(&self, field) else { return false }
        }
        return object.isComplete
    }

    /// The next member's field of an object with keys from `table`, the
    /// cursor at its value; nil at the end of the object (then
    /// `object.isComplete`) or at anything `members` rejects. The caller
    /// reads each value before asking for the next member: a loop with the
    /// readers written out in it, where `members` takes a closure.
    ///
    /// The member's bytes up to its value are first compared with those
    /// `keys` learned for this place in the object; only when they differ
    /// is the key found and looked up, and its bytes learned. A member of a
    /// field in `nulls` (a bit per field) whose value is `null` is passed
    /// over: the field keeps its default.
    @_transparent
    mutating func nextMember<F>(_ object: inout ObjectMembers, _ table: FieldTable<F>, _ keys: LearnedKeys, nulls: UInt32) -> F? {
        while let (field, bit) = nextMemberKey(&object, table, keys) {
            if nulls & (1 &<< UInt32(truncatingIfNeeded: bit)) != 0 && null() { continue }
            return field
        }
        return nil
    }

    /// The next member's field and its bit, the cursor at its value.
    @_transparent
    mutating func nextMemberKey<F>(_ object: inout ObjectMembers, _ table: FieldTable<F>, _ keys: LearnedKeys) -> (F, Int)? {
        if object.count == 0 {
            guard current == UInt8(ascii: "{") else { return nil }
        } else if current == UInt8(ascii: "}") {
            i += 1
            object.isComplete = true
            return nil
        }
        // Learned members inline; the general way out of line (inlined, its registers
        // slowed every member). Positions are within the line (< Int32.max):
        // no overflow to check.
        var index = -1
        if i &+ 16 <= n, let (field, count) = keys.match(place: object.count, seen: object.seen, at: p + i) {
            i &+= count
            skipWhitespace()
            index = field
        } else {
            index = otherMember(object, table, keys)
            guard index >= 0 else {
                if index == -2 { object.isComplete = true }
                return nil
            }
        }
        object.seen |= 1 &<< index
        object.count &+= 1
        return (table.field(at: index), index)
    }

    /// A member that is no field learned: the key found and looked up, and
    /// its bytes learned. The field's index, -2 at the object's end, -1 for anything
    /// `members` rejects.
    @inline(never)
    mutating func otherMember<F>(_ object: ObjectMembers, _ table: FieldTable<F>, _ keys: LearnedKeys) -> Int {
        let mark = i
        if object.count == 0 {
            i += 1
            skipWhitespace()
            if current == UInt8(ascii: "}") { i += 1; return -2 }
        } else {
            skipWhitespace()
            let b = current
            i += 1
            if b == UInt8(ascii: "}") { return -2 }
            guard b == UInt8(ascii: ",") else { return -1 }
            skipWhitespace()
        }
        guard let (_, bit) = memberKey(table), object.seen & (1 << bit) == 0 else { return -1 }
        if mark + 16 <= n { keys.learn(place: object.count, at: p + mark, count: i - mark, field: bit) }
        return bit
    }

    /// `[ value, ... ]` as an iterator: true with the cursor at the next
    /// value, false at the array's end (then `array.isComplete`) or at
    /// anything else. The object readers loop over their arrays with it, the
    /// loop inside them: a call per object, through `elements`' closure,
    /// saved and restored registers at every student and performance.
    @_transparent
    mutating func nextElement(_ array: inout ArrayElements) -> Bool {
        if array.started {
            skipWhitespace()
            let b = current
            i += 1
            guard b == UInt8(ascii: ",") else {
                array.isComplete = b == UInt8(ascii: "]")
                return false
            }
        } else {
            guard current == UInt8(ascii: "[") else { return false }
            i += 1
            array.started = true
            skipWhitespace()
            if current == UInt8(ascii: "]") { i += 1; array.isComplete = true; return false }
            return true
        }
        skipWhitespace()
        return true
    }

    /// A student's id (a roster's or a performer's): its bytes' (start,
    /// length), and a short id also as a word, numbered by one compare.
    @_transparent
    mutating func studentID() -> (range: (Int, Int), packed: UInt64?)? {
        if let id = shortString() { return ((i - 1 - id.length, id.length), id.word) }
        guard let s = string() else { return nil }
        return (s, nil)
    }

    /// `[ value, ... ]`: calls `body` at each value.
    @inline(__always)
    mutating func elements(_ body: (inout Cursor) -> Bool) -> Bool {
        var array = ArrayElements()
        while nextElement(&array) {
            guard body(&self) else { return false }
        }
        return array.isComplete
    }

    /// `"name"` and the `:` after it, as a field of `table`; nil for a name
    /// that is not one. Field names are plain ASCII of at most 16 bytes: the
    /// name is found a word at a time, and a name with an escape or a byte
    /// that is not plain ASCII is no field (the decoder reads those lines).
    /// Transparent: `@inline(__always)` left it a call per key in the loops.
    @_transparent
    private mutating func memberKey<F>(_ table: FieldTable<F>) -> (F, Int)? {
        guard current == UInt8(ascii: "\"") else { return nil }
        let start = i + 1
        let length: Int
        let found: (F, Int)?
        if start + 16 <= n {
            let raw = UnsafeRawPointer(p + start)
            let w0 = raw.loadUnaligned(as: UInt64.self)
            let first = JSONTape.specialBytes(w0)
            if first != 0 {
                length = first.trailingZeroBitCount >> 3
                found = table.lookup(words: w0 & lowBytesMask(length), 0, length: length)
            } else {
                let w1 = (raw + 8).loadUnaligned(as: UInt64.self)
                let second = JSONTape.specialBytes(w1)
                guard second != 0 else { return nil }  // longer than any field name
                let k = second.trailingZeroBitCount >> 3
                length = 8 + k
                found = table.lookup(words: w0, w1 & lowBytesMask(k), length: length)
            }
        } else {
            length = JSONTape.endOfPlainRun(p, n, from: start) - start
            found = table.indexedLookup(raw: UnsafeBufferPointer(start: p + start, count: length), readable: n - start)
        }
        guard start + length < n, p[start + length] == UInt8(ascii: "\""), let found else { return nil }
        i = start + length + 1
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { return nil }
        i += 1
        skipWhitespace()
        return found
    }

    // MARK: Values

    /// A string from its opening quote: its bytes' (start, length) and
    /// whether it holds an escape. UTF-8 and escapes are checked as the tape
    /// checks them (`JSONTape.escape`); nil on anything invalid, and on any
    /// escape unless `escapes`.
    @inline(__always)
    mutating func scanString(escapes: Bool) -> (start: Int, length: Int, escaped: Bool)? {
        guard current == UInt8(ascii: "\"") else { return nil }
        i += 1
        let start = i
        var escaped = false
        while true {
            i = JSONTape.endOfPlainRun(p, n, from: i)
            guard i < n else { return nil }
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return (start, i - 1 - start, escaped)
            } else if b >= 0x80 {
                let len = JSONTape.utf8SequenceLength(p, n, i)
                guard len > 0 else { return nil }
                i += len
            } else if escapes && b == UInt8(ascii: "\\") {
                guard case .valid(let len) = JSONTape.escape(p, n, i) else { return nil }
                escaped = true
                i += len
            } else {
                return nil  // an escape (when not wanted) or a control character
            }
        }
    }

    /// A string without escapes: its bytes' (start, length).
    @inline(__always)
    mutating func string() -> (Int, Int)? {
        scanString(escapes: false).map { ($0.start, $0.length) }
    }

    /// Any valid string, escapes decoded as the tape decodes them; nil for
    /// anything else.
    mutating func escapedString() -> String? {
        guard let s = scanString(escapes: true) else { return nil }
        let raw = UnsafeBufferPointer(start: p + s.start, count: s.length)
        return s.escaped ? JSONView.unescape(raw) : String(decoding: raw, as: UTF8.self)
    }

    /// Any valid string as a String: plain ones read in place, escaped ones decoded.
    mutating func anyString() -> String? {
        let mark = i
        if let s = string() { return text(s) }
        i = mark
        return escapedString()
    }

    /// A string of at most 7 plain ASCII bytes (no escape, no control
    /// character) and its bytes packed in a word, little-endian, zero above:
    /// one load and one mask where `string()` scans. nil (nothing consumed)
    /// for anything else, which `string()` then reads.
    @inline(__always)
    mutating func shortString() -> (word: UInt64, length: Int)? {
        guard i + 9 <= n, p[i] == UInt8(ascii: "\"") else { return nil }
        let w = UnsafeRawPointer(p + i + 1).loadUnaligned(as: UInt64.self)
        let special = JSONTape.specialBytes(w)
        guard special != 0 else { return nil }
        // The lowest flagged byte is exact: it must be the closing quote.
        let k = special.trailingZeroBitCount >> 3
        guard p[i + 1 + k] == UInt8(ascii: "\"") else { return nil }
        i += k + 2
        return (w & lowBytesMask(k), k)
    }

    /// `null`, consumed; false (nothing consumed) for anything else.
    @inline(__always)
    mutating func null() -> Bool {
        guard current == UInt8(ascii: "n") else { return false }
        guard i + 4 <= n, p[i + 1] == UInt8(ascii: "u"), p[i + 2] == UInt8(ascii: "l"), p[i + 3] == UInt8(ascii: "l") else { return false }
        i += 4
        return true
    }

    private static var trueWord: UInt32 { 0x6575_7274 }  // "true", little-endian
    private static var alseWord: UInt32 { 0x6573_6C61 }  // "alse" (of "false")
    private static var copyWord: UInt32 { 0x7970_6F63 }  // "copy"

    @inline(__always) func word32(at k: Int) -> UInt32 {
        UnsafeRawPointer(p + k).loadUnaligned(as: UInt32.self)
    }

    /// Whether the string at `s` (start, length) is `copy`.
    @inline(__always) func isCopy(_ s: (Int, Int)) -> Bool {
        s.1 == 4 && word32(at: s.0) == Cursor.copyWord
    }

    /// true or false.
    @inline(__always)
    mutating func bool() -> Bool? {
        // Compared as words: a generic `elementsEqual` with a String's UTF-8
        // view cost ~200 instructions a call.
        if current == UInt8(ascii: "t"), i + 4 <= n, word32(at: i) == Cursor.trueWord { i += 4; return true }
        if current == UInt8(ascii: "f"), i + 5 <= n, word32(at: i + 1) == Cursor.alseWord { i += 5; return false }
        return nil
    }

    /// A non-negative integer written with digits only (up to 15 of them),
    /// the way logs write counts; anything else goes to the decoder.
    @inline(__always)
    mutating func integer() -> Int? {
        let start = i
        var v = 0
        while i < n, p[i] &- 0x30 < 10 {
            v = v &* 10 &+ Int(p[i] &- 0x30)
            i += 1
        }
        let digits = i - start
        guard digits > 0, digits <= 15, !(digits > 1 && p[start] == UInt8(ascii: "0")) else { return nil }
        let b = current
        guard b != UInt8(ascii: "."), b | 0x20 != UInt8(ascii: "e") else { return nil }
        return v
    }

    /// A non-negative number, `digits[.digits]` (no exponent): the same value
    /// as the tape's (`JSONView.numberValue`).
    @inline(__always)
    mutating func number() -> Double? {
        let start = i
        var whole: UInt64 = 0
        while i < n, p[i] &- 0x30 < 10 {
            whole = whole &* 10 &+ UInt64(p[i] &- 0x30)
            i += 1
        }
        let digits = i - start
        guard digits > 0, !(digits > 1 && p[start] == UInt8(ascii: "0")) else { return nil }
        // Digits only, at most 15: exact, the value `numberValue` gives too.
        if digits <= 15 && current != UInt8(ascii: ".") && current | 0x20 != UInt8(ascii: "e") { return Double(whole) }
        if current == UInt8(ascii: ".") {
            i += 1
            let fraction = i
            var mantissa = whole
            while i < n, p[i] &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30)
                i += 1
            }
            let fractionDigits = i - fraction
            guard fractionDigits > 0, current | 0x20 != UInt8(ascii: "e") else { return nil }
            // `numberValue`'s exact case, computed the same way (same bits),
            // without reading the digits again.
            if digits + fractionDigits <= 15 { return Double(mantissa) / JSONView.powerOfTen(fractionDigits) }
        }
        guard current | 0x20 != UInt8(ascii: "e") else { return nil }
        return JSONView.numberValue(p + start, i - start)
    }

    /// A time: seconds (a number >= 0) or `"M:SS"`. Transparent, as
    /// `memberKey` is: 3-5% on layouts that take the any-order loops.
    @_transparent
    mutating func time() -> LessonTime? {
        if current == UInt8(ascii: "\"") {
            // `"M:SS"` and `"MM:SS"`, the usual forms, read in place.
            if i + 7 <= n {
                let m1 = p[i + 1] &- 0x30, m2 = p[i + 2] &- 0x30
                if m1 < 10 {
                    if m2 == UInt8(ascii: ":") &- 0x30, p[i + 5] == UInt8(ascii: "\"") {
                        let s1 = p[i + 3] &- 0x30, s0 = p[i + 4] &- 0x30
                        if s1 < 6 && s0 < 10 {
                            i += 6
                            stringTimes += 1
                            return Double(m1) * 60 + Double(s1 * 10 + s0)
                        }
                    } else if m2 < 10, p[i + 3] == UInt8(ascii: ":"), p[i + 6] == UInt8(ascii: "\"") {
                        let s1 = p[i + 4] &- 0x30, s0 = p[i + 5] &- 0x30
                        if s1 < 6 && s0 < 10 {
                            i += 7
                            stringTimes += 1
                            return (Double(m1) * 10 + Double(m2)) * 60 + Double(s1 * 10 + s0)
                        }
                    }
                }
            }
            guard let s = string() else { return nil }
            stringTimes += 1
            return parseMinutesSeconds(bytes(s))
        }
        guard let t = number(), t.isFinite else { return nil }
        return t
    }

    @inline(__always)
    mutating func enumValue<E>(_ table: FieldTable<E>) -> E? {
        // Names of values are plain ASCII of at most 16 bytes: if the bytes
        // up to the next quote are one of them, the string is valid as it is.
        if current == UInt8(ascii: "\""), i + 17 <= n {
            let raw = UnsafeRawPointer(p + i + 1)
            let w0 = raw.loadUnaligned(as: UInt64.self), w1 = (raw + 8).loadUnaligned(as: UInt64.self)
            if let k = Cursor.firstQuote(w0) {
                if let (value, _) = table.lookup(words: w0 & lowBytesMask(k), 0, length: k) {
                    i += k + 2
                    return value
                }
            } else if let k = Cursor.firstQuote(w1),
                      let (value, _) = table.lookup(words: w0, w1 & lowBytesMask(k), length: 8 + k) {
                i += 8 + k + 2
                return value
            }
        }
        guard let s = string() else { return nil }
        return table.indexedLookup(raw: bytes(s), readable: n - s.0)?.0
    }

    /// The same for names that are mostly under 8 bytes (tiers, kinds of
    /// performance): one load as a short string first, inline; the others
    /// out of line (inlined, both readers made the member loops slower).
    @_transparent
    mutating func shortEnumValue<E>(_ table: FieldTable<E>) -> E? {
        let mark = i
        if let name = shortString() {
            if let value = table.lookup(packed: name.word, length: name.length) { return value }
            i = mark
        }
        return longEnumValue(table)
    }

    @inline(never)
    mutating func longEnumValue<E>(_ table: FieldTable<E>) -> E? {
        enumValue(table)
    }

    /// Position (0-7) of the first `"` byte in a little-endian word, if any.
    @inline(__always)
    static func firstQuote(_ w: UInt64) -> Int? {
        let ones: UInt64 = 0x0101010101010101, high: UInt64 = 0x8080808080808080
        let x = w ^ (ones &* 0x22)
        // The lowest flagged byte is exact (borrows only run upwards).
        let mask = (x &- ones) & ~x & high
        return mask == 0 ? nil : mask.trailingZeroBitCount >> 3
    }
}
