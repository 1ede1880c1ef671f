import LessonLensCore

/// Writes realistic synthetic observation archives: the same bytes for the
/// same configuration on any machine (GSL's mt19937 and distributions,
/// integer seconds only, no locale or floating-point formatting).
///
/// Realistic means: teachers with persistent habits (some usually meet the
/// two 10s, some never reach 18 performers), new teachers who improve after
/// coaching (`new-teacher`, `pre-coaching`, `post-coaching` tags), classes of
/// 12 to 55 with tiered rosters, occasional overlapping segments and overruns,
/// both time notations, Chinese and English names, and on request about
/// `badPerMille` broken lines in 1000, of every kind the spec rejects.
public struct GeneratorConfig: Sendable {
    /// Lessons (visits) to write.
    public var lessons: Int
    /// The seed of GSL's Mersenne Twister: the same seed, the same archive.
    public var seed: UInt64
    /// Teachers; nil picks one per 12 lessons (at least 6).
    public var teachers: Int?
    /// Broken lines per 1000 (0 to 1000), of every kind the format rejects.
    public var badPerMille: Int = 0
    /// Overlapping segments (off: every category's union equals its plain sum,
    /// which lets a SQL engine that only sums be checked against us).
    public var overlaps: Bool = true
    /// Observers logging each visit: with 2 or more, every visit is written
    /// once per observer (a `visit` field in common), each later log with its
    /// segment boundaries moved by a Gaussian of `disagreementSeconds` and
    /// as many performances missed in 100 as that many seconds in 10
    /// (at most half). `lessons` counts visits. One observer writes the same
    /// bytes as before the option existed.
    public var observers: Int = 1
    /// (standard deviation of the moved boundaries, seconds)
    public var disagreementSeconds: Double = 20

    /// A configuration; out-of-range observers and disagreement are clamped.
    public init(lessons: Int, seed: UInt64, teachers: Int? = nil, badPerMille: Int = 0, overlaps: Bool = true,
                observers: Int = 1, disagreementSeconds: Double = 20) {
        self.lessons = lessons; self.seed = seed; self.teachers = teachers
        self.badPerMille = badPerMille; self.overlaps = overlaps
        self.observers = max(1, observers); self.disagreementSeconds = max(0, disagreementSeconds)
    }
}

/// Every way the generator breaks a line, one per rule of the spec's Validation.
public enum Breakage: CaseIterable, Sendable {
    case truncatedJSON, missingRequired, wrongType, badDate, malformedTime, timeOutOfRange
    case endNotAfterStart, unknownSegmentKind, unknownTier, duplicateRosterID, unknownStudent
    case presentOverEnrolled, homeworkInconsistent, duplicateLessonID
}

private struct Teacher {
    var name: String
    var subject: String
    var grade: Int
    var className: String
    var school: String
    var enrolled: Int
    var durationMin: Int
    var readingMean: Double
    var writingMean: Double
    var homeworkMean: Double
    var performersMean: Double
    var bottomWeight: Double
    var overrunChance: Double
    var isNew: Bool
    /// Day of the semester when a new teacher is coached.
    var coachingDay: Int
}

/// Writes the archive `config` describes, a chunk of lines at a time.
public final class ArchiveGenerator {
    /// What is written.
    public let config: GeneratorConfig
    private let random: RandomSource
    private var teachers: [Teacher] = []
    private var produced = 0
    private let out = ByteWriter()
    private var lastID = ""

    /// Monday 2026-08-31: the week the autumn semester starts.
    private static let semesterStart = LessonDate(year: 2026, month: 8, day: 31)!.dayNumber
    private static let semesterWeeks = 19

    private static let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林"]
    private static let givenNames = ["芳", "伟", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明"]
    private static let englishNames = ["Ms. Carter", "Mr. Evans", "Ms. Lopez", "Mr. Novak", "Ms. Okafor", "Mr. Tanaka", "Ms. Young", "Mr. Brown"]
    private static let schools = ["实验小学", "Riverside Primary", "城南小学", "Hillview School"]
    private static let observers = ["教研组长 陈", "Mentor Ruiz", "副校长 林", "Mentor Shah", "教研员 何"]

    /// A generator at the first lesson of `config`'s archive.
    public init(_ config: GeneratorConfig) {
        self.config = config
        self.random = RandomSource(seed: config.seed)
        let count = max(1, config.teachers ?? max(6, config.lessons / 12))
        teachers = (0..<count).map(makeTeacher)
    }

    /// True when every lesson has been written.
    public var isFinished: Bool { produced >= config.lessons }

    /// Appends about `bytes` more bytes of whole lines to `buffer` (at least
    /// one line unless finished).
    public func fill(_ buffer: inout [UInt8], bytes: Int) {
        out.clear()
        while out.count < bytes && !isFinished {
            writeLesson(index: produced)
            produced += 1
        }
        out.withBytes { buffer.append(contentsOf: $0) }
    }

    /// Writes about `bytes` bytes of whole lines and hands them to `body`
    /// (valid during the call): no copy on the way out.
    public func fill(bytes: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        out.clear()
        while out.count < bytes && !isFinished {
            writeLesson(index: produced)
            produced += 1
        }
        try out.withBytes(body)
    }

    // MARK: Teachers

    private func makeTeacher(_ k: Int) -> Teacher {
        let subject = ["chinese", "chinese", "math", "english"][k % 4]
        let name: String
        if subject == "english" && random.chance(0.6) {
            name = Self.englishNames[k % Self.englishNames.count] + (k >= Self.englishNames.count * 4 ? " \(k)" : "")
        } else {
            let combos = Self.surnames.count * Self.givenNames.count
            let c = (k * 37) % combos
            name = Self.surnames[c % Self.surnames.count] + Self.givenNames[c / Self.surnames.count] + "老师" + (k >= combos ? "\(k / combos)" : "")
        }
        let grade = 1 + (k * 5 + random.below(2)) % 6
        // Habits: some teachers reach the two 10s, some are far off.
        let readingHabit = subject == "chinese" ? random.pick([12.0, 10.5, 8.0, 5.0]) : random.pick([9.0, 6.0, 4.0, 2.5])
        let writingHabit = random.pick([12.0, 10.0, 7.0, 5.0])
        return Teacher(
            name: name, subject: subject, grade: grade,
            className: "\(grade)" + ["A", "B", "C", "D"][random.below(4)],
            school: Self.schools[(k / 12) % Self.schools.count], // 12 teachers a school
            enrolled: random.int(in: 12...55),
            durationMin: random.chance(0.1) ? 45 : 40,
            readingMean: readingHabit, writingMean: writingHabit,
            homeworkMean: random.pick([9.0, 8.5, 6.0, 3.0, 0.0]),
            performersMean: random.pick([24.0, 19.0, 15.0, 10.0]),
            bottomWeight: random.pick([1.8, 1.0, 0.5]),
            overrunChance: random.pick([0.05, 0.15, 0.4]),
            isNew: k % 4 == 1, // one teacher in four is new and gets coached
            coachingDay: Self.semesterWeeks * 5 / 2 + random.int(in: -10...10)
        )
    }

    // MARK: Lessons

    private struct Plan {
        var segments: [(start: Int, end: Int, kind: SegmentKind, passes: Int?, task: StaticString?)] = []
        var performances: [(t: Int, student: Int, kind: StaticString, independent: Bool)] = []
    }

    private func writeLesson(index: Int) {
        var t = teachers[random.below(teachers.count)]
        let schoolDay = random.below(Self.semesterWeeks * 5)
        let date = LessonDate.fromDayNumber(Self.semesterStart + (schoolDay / 5) * 7 + schoolDay % 5)
        var tags: [StaticString] = []
        if t.isNew {
            tags.append("new-teacher")
            if schoolDay >= t.coachingDay {
                tags.append("post-coaching")
                t.readingMean += 3; t.writingMean += 2.5; t.performersMean += 7
                t.homeworkMean = max(t.homeworkMean, 8.5); t.bottomWeight = max(t.bottomWeight, 1.5); t.overrunChance /= 3
            } else {
                tags.append("pre-coaching")
            }
        }
        let breakage: Breakage? = config.badPerMille > 0 && random.below(1000) < config.badPerMille
            ? Breakage.allCases[random.below(Breakage.allCases.count)] : nil

        let enrolled = t.enrolled
        let present = max(1, enrolled - random.poisson(0.8))
        let hasRoster = random.chance(0.9)
        let visitPlan = makePlan(t, present: present)
        let stringTimes = random.chance(0.5)
        // Drawn once per visit, in the order one log always drew them.
        let firstObserver = random.below(Self.observers.count)
        let period = 1 + random.below(7)
        var homework: (completed: Int, correct: Int)?
        if t.homeworkMean > 0 || breakage == .homeworkInconsistent {
            let completed = random.binomial(present, 0.75 + 0.2 * random.uniform())
            homework = (completed, random.binomial(completed, 0.6 + 0.35 * random.uniform()))
        }
        for log in 0..<config.observers {
        let plan = log == 0 ? visitPlan : perturbed(visitPlan)

        out.append("{\"id\":\"")
        if breakage == .duplicateLessonID && !lastID.isEmpty {
            out.append(lastID)
        } else {
            let idStart = out.count
            out.append("v")
            out.append(Int(config.seed % 100_000))
            out.append("-")
            out.append(index)
            if config.observers > 1 { out.append("-o"); out.append(log + 1) }
            lastID = out.string(from: idStart)
        }
        out.append("\",\"date\":\"")
        out.append(breakage == .badDate ? "2026-02-30" : date.description)
        if breakage != .missingRequired {
            out.append("\",\"teacher\":")
            out.appendJSONString(t.name)
        } else {
            out.append("\"")
        }
        out.append(",\"subject\":\""); out.append(t.subject)
        out.append(breakage == .wrongType ? "\",\"grade\":\"" : "\",\"grade\":")
        out.append(t.grade)
        if breakage == .wrongType { out.append("\"") }
        out.append(",\"class\":\""); out.append(t.className)
        out.append("\",\"school\":"); out.appendJSONString(t.school)
        out.append(",\"observer\":"); out.appendJSONString(Self.observers[(firstObserver + log) % Self.observers.count])
        out.append(",\"period\":"); out.append(period)
        if config.observers > 1 {
            // The visit's own number: date, class and period repeat across
            // the schools and teachers of a large archive.
            out.append(",\"visit\":\"v"); out.append(Int(config.seed % 100_000)); out.append("-"); out.append(index); out.append("\"")
        }
        out.append(",\"duration_min\":"); out.append(t.durationMin)
        out.append(",\"enrolled\":"); out.append(enrolled)
        out.append(",\"present\":"); out.append(breakage == .presentOverEnrolled ? enrolled + 3 : present)

        if hasRoster || breakage == .unknownTier || breakage == .duplicateRosterID {
            out.append(",\"students\":[")
            for s in 0..<enrolled {
                if s > 0 { out.append(",") }
                out.append("{\"id\":\"")
                appendStudentID(breakage == .duplicateRosterID && s == 1 ? 0 : s)
                out.append("\",\"tier\":\"")
                out.append(breakage == .unknownTier && s == 0 ? "best" : tierName(s, enrolled))
                out.append("\"}")
            }
            out.append("]")
        }

        out.append(",\"segments\":[")
        for (k, s) in plan.segments.enumerated() {
            if k > 0 { out.append(",") }
            var start = s.start, end = s.end
            if k == 0 && breakage == .endNotAfterStart { end = start }
            if k == 0 && breakage == .timeOutOfRange { end = (t.durationMin + 61) * 60; start = 0 }
            out.append("{\"start\":")
            if k == 0 && breakage == .malformedTime { out.append("\"7:75\"") } else { appendTime(start, stringTimes) }
            out.append(",\"end\":"); appendTime(end, stringTimes)
            out.append(",\"kind\":\"")
            if k == 0 && breakage == .unknownSegmentKind { out.append("reading") } else { out.append(s.kind.rawValue) }
            out.append("\"")
            if let task = s.task { out.append(",\"task\":\""); out.append(task); out.append("\"") }
            if let p = s.passes { out.append(",\"passes\":"); out.append(p) }
            out.append("}")
        }
        out.append("],\"performances\":[")
        for (k, p) in plan.performances.enumerated() {
            if k > 0 { out.append(",") }
            out.append("{\"t\":"); appendTime(p.t, stringTimes)
            out.append(",\"student\":\"")
            if k == 0 && breakage == .unknownStudent { out.append("S99X") } else { appendStudentID(p.student) }
            out.append("\",\"kind\":\""); out.append(p.kind); out.append("\"")
            if !p.independent { out.append(",\"independent\":false") }
            out.append("}")
        }
        out.append("]")

        if let (completed, correct) = homework {
            out.append(",\"homework\":{\"assigned\":"); out.append(present)
            out.append(",\"completed\":"); out.append(breakage == .homeworkInconsistent ? present + 2 : completed)
            out.append(",\"correct\":"); out.append(correct)
            out.append("}")
        }
        if !tags.isEmpty {
            out.append(",\"tags\":[")
            for (k, tag) in tags.enumerated() {
                if k > 0 { out.append(",") }
                out.append("\""); out.append(tag); out.append("\"")
            }
            out.append("]")
        }
        out.append("}")
        if breakage == .truncatedJSON {
            // Cut the line part way, as a crashed logger would.
            let lineStart = out.lineStart()
            out.truncate(to: lineStart + (out.count - lineStart) / 2)
        }
        out.append("\n")
        }
    }

    /// Another observer's log of the same lesson: boundaries seen a little
    /// earlier or later, some performances missed.
    private func perturbed(_ plan: Plan) -> Plan {
        var p = plan
        let sd = config.disagreementSeconds
        for k in p.segments.indices {
            let start = max(0, p.segments[k].start + Int(random.gaussian(mean: 0, sd: sd).rounded()))
            let end = max(start + 1, p.segments[k].end + Int(random.gaussian(mean: 0, sd: sd).rounded()))
            p.segments[k].start = start
            p.segments[k].end = end
        }
        let miss = min(0.5, sd / 1000)
        p.performances = p.performances.filter { _ in !random.chance(miss) }
        return p
    }

    /// Lays out the lesson's timeline in seconds and who performs when.
    private func makePlan(_ t: Teacher, present: Int) -> Plan {
        var plan = Plan()
        let duration = t.durationMin * 60
        func minutes(_ mean: Double, _ sd: Double) -> Int { max(0, Int((random.gaussian(mean: mean, sd: sd) * 60).rounded())) }
        var reading = max(60, minutes(t.readingMean, 2))
        var writing = minutes(t.writingMean * 0.5, 1.5)
        var homework = t.homeworkMean > 0 ? max(120, minutes(t.homeworkMean, 1.5)) : 0
        let intro = 60 * random.int(in: 1...4)
        // Keep at least 5 minutes for teacher talk and discussion.
        let room = duration - intro - 300
        let wanted = reading + writing + homework
        if wanted > room {
            let scale = Double(room) / Double(wanted)
            reading = Int(Double(reading) * scale); writing = Int(Double(writing) * scale); homework = Int(Double(homework) * scale)
        }
        let rest = duration - intro - reading - writing - homework
        let discussion = rest / 2, lecture = rest - discussion
        let chinese = t.subject == "chinese"

        var clock = 0
        func add(_ length: Int, _ kind: SegmentKind, passes: Int? = nil, task: StaticString? = nil) {
            guard length > 0 else { return }
            plan.segments.append((clock, clock + length, kind, passes, task))
            clock += length
        }
        add(intro, .lecture)
        let firstRead = reading * 6 / 10
        add(firstRead, .read, passes: chinese ? random.int(in: 1...2) : nil)
        add(discussion, .discussion)
        add(writing, .write, passes: chinese && t.grade <= 4 ? random.int(in: 2...3) : nil,
            task: chinese && t.grade <= 4 ? "copy" : (random.chance(0.5) ? "exercise" : "dictation"))
        add(reading - firstRead, .read, passes: chinese ? random.int(in: 1...2) : nil)
        if random.chance(0.4) {
            let groupLength = lecture / 2
            add(groupLength, .group)
            add(lecture - groupLength, .lecture)
        } else {
            add(lecture, .lecture)
        }
        add(homework, .homework, task: "exercise")
        // Overruns: the last part runs past the bell.
        if random.chance(t.overrunChance), let last = plan.segments.indices.last {
            plan.segments[last].end += 60 * random.int(in: 1...5)
        }
        // Overlaps: a group reads aloud while the class discusses.
        if config.overlaps && random.chance(0.08), let d = plan.segments.firstIndex(where: { $0.kind == .discussion }) {
            let s = plan.segments[d]
            let mid = (s.start + s.end) / 2
            plan.segments.append((mid, min(s.end + 60, mid + 180), .read, nil, nil))
        }
        if random.chance(0.03) { plan.segments.append((duration - 30, duration, .transition, nil, nil)) }

        // Performances: bottom, middle and top thirds weighted by the teacher's habit.
        let end = plan.segments.map(\.end).max() ?? duration
        let count = random.poisson(t.performersMean * 1.25)
        let third = max(1, present / 3)
        for _ in 0..<count {
            let u = random.uniform() * (t.bottomWeight + 2)
            let student: Int
            if u < 1 { student = random.below(third) }                                   // top
            else if u < 2 { student = third + random.below(max(1, present - 2 * third)) } // middle
            else { student = present - 1 - random.below(third) }                         // bottom
            let kind: StaticString = ["answer", "answer", "answer", "read", "board", "present", "question", "demo"][random.below(8)]
            plan.performances.append((intro + random.below(max(1, end - intro)), min(student, present - 1), kind, !random.chance(0.12)))
        }
        plan.performances.sort { $0.t < $1.t }
        return plan
    }

    private func tierName(_ s: Int, _ enrolled: Int) -> StaticString {
        let third = max(1, enrolled / 3)
        return s < third ? "top" : (s >= enrolled - third ? "bottom" : "middle")
    }

    private func appendStudentID(_ s: Int) {
        out.append("S")
        if s + 1 < 10 { out.append("0") }
        out.append(s + 1)
    }

    private func appendTime(_ seconds: Int, _ asString: Bool) {
        if asString {
            out.append("\"")
            out.append(seconds / 60)
            out.append(":")
            if seconds % 60 < 10 { out.append("0") }
            out.append(seconds % 60)
            out.append("\"")
        } else {
            out.append(seconds)
        }
    }
}

/// Appends text and integers to a byte buffer without going through String
/// or Array: memcpy for text, `RawTextWriter` for numbers and JSON strings.
final class ByteWriter {
    private var bytes: GrowableBuffer<UInt8>

    init(capacity: Int = 1 << 16) {
        bytes = GrowableBuffer(capacity: capacity)
    }

    var count: Int { bytes.count }

    func clear() { bytes.removeAll() }
    func truncate(to n: Int) { if n < bytes.count { bytes.resize(to: n, fill: 0) } }

    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(bytes.elements)
    }

    func string(from start: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes.elements[start...]), as: UTF8.self)
    }

    /// Start of the line being written (after the last newline).
    func lineStart() -> Int {
        var k = bytes.count
        while k > 0 && bytes[k - 1] != 0x0A { k -= 1 }
        return k
    }

    /// Appends what `body` writes into `bound` bytes of room (at most that).
    @inline(__always)
    private func write(bound: Int, _ body: (UnsafeMutablePointer<UInt8>, Int) -> Int) {
        _ = bytes.append(upTo: bound) { room in body(room.baseAddress!, room.count) }
    }

    @inline(__always)
    func append(_ s: StaticString) {
        write(bound: s.utf8CodeUnitCount) { p, n in p.update(from: s.utf8Start, count: n); return n }
    }

    func append(_ s: String) {
        var s = s
        s.withUTF8 { b in
            write(bound: b.count) { p, n in if n > 0 { p.update(from: b.baseAddress!, count: n) }; return n }
        }
    }

    func appendJSONString(_ s: String) {
        write(bound: RawTextWriter.jsonStringBound(s)) { p, n in
            var w = RawTextWriter(p, capacity: n)
            w.jsonString(s)
            return w.count
        }
    }

    @inline(__always)
    func append(_ value: Int) {
        write(bound: 20) { p, n in
            var w = RawTextWriter(p, capacity: n)
            w.integer(value)
            return w.count
        }
    }
}
