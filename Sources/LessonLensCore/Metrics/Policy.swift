import Foundation

/// The thresholds behind the standards. The defaults are the spec's; a school
/// may change any of them (a policy file, `lessonlens policy`).
public struct Policy: Sendable, Equatable {
    /// two_tens: minutes of reading aloud at least...
    public var readingMin: Double = 10
    /// ...and minutes of writing at least.
    public var writingMin: Double = 10
    /// one_eighteen: independent performers at least...
    public var performers: Int = 18
    /// ...or, when set and `present` is known, this share of the students
    /// present if that is fewer (for small classes): the lesson needs
    /// `min(performers, ceil(share × present))` performers.
    public var performerShareOfPresent: Double?
    /// homework_time: in-class homework minutes within [min, max].
    public var homeworkMinMin: Double = 8
    /// (upper end of the range, minutes)
    public var homeworkMaxMin: Double = 10
    /// four_threes: read-throughs and copies of each new character at least.
    public var readPasses: Int = 3
    /// (copies of each new character)
    public var copyPasses: Int = 3
    /// on_time: overrun allowed, in minutes (the spec's default is none).
    public var overrunToleranceMin: Double = 0
    /// The share of the class that should finish the in-class homework,
    /// the target the reports draw on their completion gauge.
    public var homeworkCompletionTarget: Double = 0.8
    /// Plausibility: values the contract allows but a person would hardly
    /// mean are accepted with a warning past these limits.
    public var plausibleMaxDurationMin: Double = 240
    /// (students enrolled, present or on the roster)
    public var plausibleMaxStudents: Int = 200
    /// (passes of one segment)
    public var plausibleMaxPasses: Int = 100
    /// S-T analysis: the sampling interval and the lesson-type thresholds.
    public var st = STAnalysis.Settings()
    /// Standards that do not apply (`"applies": false`): judged nil, "does
    /// not apply", for the lessons this policy judges.
    public var notApplying: Set<Standard> = []
    /// Tags that mark a lesson before coaching (the teacher report's
    /// before/after comparison).
    public var coachingBefore: [String] = ["pre-coaching", "指导前"]
    /// Tags that mark a lesson after coaching.
    public var coachingAfter: [String] = ["post-coaching", "指导后"]
    /// The homework ledger's limits (`homework_load`; docs/homework-log-v1.md).
    public var homeworkLoad = HomeworkLoad()
    /// `attention.met_below`: a teacher needs help with a standard met in
    /// less than this share of enough visits (the overview's list).
    public var attentionMetBelow: Double = 0.5

    /// Limits on homework set to a class (`homework_load`): the defaults are
    /// 双减's (2021): no written homework taken home in grades 1-2, at most 60
    /// minutes a day in grades 3-6 and 90 in grades 7-9.
    public struct HomeworkLoad: Sendable, Equatable {
        /// Grade → minutes of written homework taken home a day, at most;
        /// a grade without one is not judged.
        public var writtenHomeLimitMin: [Int: Double] = [1: 0, 2: 0, 3: 60, 4: 60, 5: 60, 6: 60, 7: 90, 8: 90, 9: 90]
        /// Days from setting to marking allowed (0 = the same day).
        public var gradingDays = 1
        /// The same for essays.
        public var essayGradingDays = 7
        /// Canonical subject → in-class assignments a week at least.
        public var inClassPerWeek: [String: Int] = ["math": 5]

        /// The defaults.
        public init() {}

        /// The grade's daily limit; nil when it has none.
        public func limit(grade: Int) -> Double? { writtenHomeLimitMin[grade] }
    }

    /// A policy's changes for one subject or grade, as the file wrote them
    /// (compact JSON of the object), in file order.
    public struct Override: Sendable, Equatable {
        /// The subject's canonical name (`Subjects.canonical`) or the grade.
        public var key: String
        /// The partial policy, as compact JSON.
        public var json: String
    }
    /// `"subjects": {NAME: PARTIAL_POLICY}` of the file.
    public private(set) var subjectOverrides: [Override] = []
    /// `"grades": {"N": PARTIAL_POLICY}` of the file.
    public private(set) var gradeOverrides: [Override] = []
    /// The policies that overrides make, indexed by `variantIndex`; the
    /// first is this policy without overrides.
    private var variants: [PolicyVariant] = []
    /// "subject\u{1}grade" (either may be empty) → index in `variants`.
    private var variantTable: [String: Int] = [:]
    private var overriddenSubjects: Set<String> = []
    private var overriddenGrades: Set<Int> = []

    /// The teaching group's rules (`Policy.default`).
    public init() {}

    /// Two 10s, one 18, homework 8-10 minutes, four 3s, no overrun.
    public static let `default` = Policy()

    /// Judges every standard for one lesson's metrics by this policy's
    /// top-level rules (no subject or grade overrides).
    public func judge(_ m: LessonMetrics, present: Int?) -> StandardResults {
        var r = StandardResults()
        r.two_tens = m.reading_min >= readingMin && m.writing_min >= writingMin
        var needed = performers
        if let share = performerShareOfPresent, let present {
            needed = min(performers, Int((share * Double(present)).rounded(.up)))
        }
        r.one_eighteen = m.independent_performers >= Double(needed)
        r.homework_time = m.homework_min >= homeworkMinMin && m.homework_min <= homeworkMaxMin
        if let rp = m.read_passes, let cp = m.copy_passes {
            r.four_threes = rp >= Double(readPasses) && cp >= Double(copyPasses)
        }
        r.on_time = m.overrun_min <= overrunToleranceMin
        for s in notApplying { r.setInapplicable(s) }
        return r
    }

    /// Judges a lesson of `subject` and `grade` by the rules that apply to
    /// it: the subject's overrides win over the grade's, the grade's over
    /// the top level.
    public func judge(_ m: LessonMetrics, present: Int?, subject: String, grade: Int) -> StandardResults {
        resolved(variantIndex(subject: subject, grade: grade)).judge(m, present: present)
    }

    /// Whether the file gave subject or grade overrides.
    public var hasOverrides: Bool { !subjectOverrides.isEmpty || !gradeOverrides.isEmpty }

    /// Which rules judge a lesson of `subject` and `grade`: 0 for the top
    /// level; pass it to `resolved(_:)`.
    public func variantIndex(subject: String, grade: Int) -> Int {
        guard hasOverrides else { return 0 }
        let s = Subjects.canonical(subject)
        let sk = overriddenSubjects.contains(s) ? s : ""
        let gk = overriddenGrades.contains(grade) ? String(grade) : ""
        if sk.isEmpty && gk.isEmpty { return 0 }
        return variantTable[sk + "\u{1}" + gk] ?? 0
    }

    /// What `variantIndex` looks up, for a page that judges as the core
    /// does (the capture page): the subjects (canonical) and grades with
    /// rules of their own, and "subject\u{1}grade" (either may be empty)
    /// to the index of their rules.
    package var variantLookup: (subjects: [String], grades: [Int], table: [String: Int]) {
        (overriddenSubjects.sorted(), overriddenGrades.sorted(), variantTable)
    }

    /// The rules of a `variantIndex`.
    public func resolved(_ index: Int) -> Policy {
        index == 0 || index >= variants.count ? self.withoutOverrides : variants[index].policy
    }

    /// The rules of the lessons of `subject` and `grade`.
    public func resolved(subject: String, grade: Int) -> Policy { resolved(variantIndex(subject: subject, grade: grade)) }

    private var withoutOverrides: Policy {
        guard hasOverrides else { return self }
        var p = self
        p.subjectOverrides = []; p.gradeOverrides = []; p.variants = []; p.variantTable = [:]
        p.overriddenSubjects = []; p.overriddenGrades = []
        return p
    }

    /// Whether `standard` applies to any lesson this policy judges (at the
    /// top level, or for some subject or grade).
    public func mayApply(_ standard: Standard) -> Bool {
        !notApplying.contains(standard) || variants.contains { !$0.policy.notApplying.contains(standard) }
    }

    /// Warnings for values within the contract that a person would hardly
    /// mean (a lesson of 1e308 minutes, 5,000 students, 900 read-throughs).
    /// `passes` are the segments' passes in order, -1 where not given. The
    /// one rule for both reading paths: the scanner declines a lesson when
    /// this is not empty, and the decoder's path reports it.
    public func implausibilities(durationMin: Double, enrolled: Int?, present: Int?, rosterCount: Int?,
                                 passes: some Sequence<Int>) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if durationMin > plausibleMaxDurationMin {
            issues.append(FieldIssue(field: "duration_min", .implausibleDuration, "\(formatMinutes(durationMin))", "\(formatMinutes(plausibleMaxDurationMin))"))
        }
        for (field, count) in [("enrolled", enrolled), ("present", present), ("students", rosterCount)] {
            if let count, count > plausibleMaxStudents {
                issues.append(FieldIssue(field: field, .implausibleStudents, "\(count)", "\(plausibleMaxStudents)"))
            }
        }
        // One warning for the first such segment, naming how many more there are.
        var first: (index: Int, passes: Int)?, more = 0
        for (k, p) in passes.enumerated() where p > plausibleMaxPasses {
            if first == nil { first = (k, p) } else { more += 1 }
        }
        if let first {
            let template: Reason.Template = more == 0 ? .implausiblePasses : more == 1 ? .implausiblePassesOneMore : .implausiblePassesMore
            issues.append(FieldIssue(field: "segments[\(first.index)].passes", template, "\(first.passes)", "\(plausibleMaxPasses)", "\(more)"))
        }
        return issues
    }
}

// MARK: - Policy files (JSON)

extension Policy {
    /// A policy file could not be used: which key and why.
    public struct FileError: Error, Sendable, CustomStringConvertible {
        /// The key path in the file (`homework_time.min_minutes`); empty for the whole file.
        public var key: String
        /// Why, as a template and its values.
        public var why: Reason
        /// A problem with `key` that `template` says.
        public init(key: String, _ template: Reason.Template, _ values: Reason.Value...) {
            self.key = key
            self.why = Reason(template: template, values: values)
        }
        /// Why, in English.
        public var reason: String { why.description }
        /// `key: reason` in English.
        public var description: String { key.isEmpty ? reason : "\(key): \(reason)" }
    }

    /// The policy as the JSON file format, every key with its value.
    public func json() -> String {
        func n(_ d: Double) -> String { formatMinutes(d) }
        func applies(_ s: Standard) -> String { notApplying.contains(s) ? "false" : "true" }
        func strings(_ a: [String]) -> String { "[" + a.map { jsonQuoted($0) }.joined(separator: ", ") + "]" }
        func overrides(_ o: [Override]) -> String {
            o.isEmpty ? "{}" : "{ " + o.map { "\(jsonQuoted($0.key)): \($0.json)" }.joined(separator: ", ") + " }"
        }
        return """
        {
          "two_tens": { "reading_min": \(n(readingMin)), "writing_min": \(n(writingMin)), "applies": \(applies(.two_tens)) },
          "one_eighteen": { "performers": \(performers), "share_of_present": \(performerShareOfPresent.map(n) ?? "null"), "applies": \(applies(.one_eighteen)) },
          "homework_time": { "min_minutes": \(n(homeworkMinMin)), "max_minutes": \(n(homeworkMaxMin)), "completion_target": \(n(homeworkCompletionTarget)), "applies": \(applies(.homework_time)) },
          "four_threes": { "read_passes": \(readPasses), "copy_passes": \(copyPasses), "applies": \(applies(.four_threes)) },
          "on_time": { "overrun_tolerance_min": \(n(overrunToleranceMin)), "applies": \(applies(.on_time)) },
          "plausible": { "max_duration_min": \(n(plausibleMaxDurationMin)), "max_students": \(plausibleMaxStudents), "max_passes": \(plausibleMaxPasses) },
          "st": { "interval_s": \(n(st.intervalSeconds)), "practice_max_rt": \(n(st.practiceMaxRt)), "lecture_min_rt": \(n(st.lectureMinRt)), "dialogue_min_ch": \(n(st.dialogueMinCh)) },
          "coaching": { "before": \(strings(coachingBefore)), "after": \(strings(coachingAfter)) },
          "homework_load": \(homeworkLoadJSON()),
          "attention": { "met_below": \(n(attentionMetBelow)) },
          "grades": \(overrides(gradeOverrides)),
          "subjects": \(overrides(subjectOverrides))
        }

        """
    }

    private func homeworkLoadJSON() -> String {
        let h = homeworkLoad
        let limits = h.writtenHomeLimitMin.keys.sorted().map { "\"\($0)\": \(formatMinutes(h.writtenHomeLimitMin[$0]!))" }
        let perWeek = h.inClassPerWeek.keys.sorted().map { "\(jsonQuoted($0)): \(h.inClassPerWeek[$0]!)" }
        return "{ \"written_home_limit_min\": {" + limits.joined(separator: ", ") + "}, \"grading_days\": \(h.gradingDays), "
            + "\"essay_grading_days\": \(h.essayGradingDays), \"in_class_per_week\": {" + perWeek.joined(separator: ", ") + "} }"
    }

    /// `json()` on one line, without spaces (the header of a summary partial).
    package var compactJSONText: String {
        let bytes = Array(json().utf8)
        let tape = JSONTape()
        return bytes.withUnsafeBufferPointer { buffer in
            guard (try? tape.parse(buffer)) != nil else { return "{}" }
            return compactJSON(JSONView(tape: tape, bytes: buffer), 0)
        }
    }

    /// Reads a policy file: the default policy with the keys the file gives
    /// changed. Unknown keys are errors, so a misspelt key cannot pass unseen.
    public init(json bytes: [UInt8]) throws(FileError) {
        self.init()
        let tape = JSONTape()
        do {
            try bytes.withUnsafeBufferPointer { (buffer) throws(JSONTape.SyntaxError) in try tape.parse(buffer) }
        } catch {
            throw FileError(key: "", .policyNotJSON, .reason(error.reason), "\(error.offset + 1)")
        }
        var policy = self
        let outcome: FileError? = bytes.withUnsafeBufferPointer { buffer -> FileError? in
            let view = JSONView(tape: tape, bytes: buffer)
            do throws(FileError) {
                try policy.apply(view)
                return nil
            } catch {
                return error
            }
        }
        if let outcome { throw outcome }
        self = policy
    }

    private mutating func apply(_ view: JSONView) throws(FileError) {
        guard view.kind(0) == .object else { throw FileError(key: "", .policyNotObject) }
        // The top level first, whatever the order of the file, then each
        // override on top of it (a grade's, then a subject's on that).
        var subjects: [(key: String, written: String, node: Int)] = [], grades: [(key: Int, written: String, node: Int)] = []
        try view.forEachMember(ofObject: 0) { (k: Int, v: Int) throws(FileError) in
            let section = view.string(k)
            switch section {
            case "subjects", "grades":
                guard view.kind(v) == .object else { throw FileError(key: section, .mustBeObject) }
                try view.forEachMember(ofObject: v) { (k2: Int, x: Int) throws(FileError) in
                    let name = view.string(k2)
                    let path = "\(section).\(name)"
                    guard view.kind(x) == .object else { throw FileError(key: path, .mustBeObject) }
                    // One subject or grade written twice (语文 and chinese, 3 and 03):
                    // which one wins would depend on the order of the file.
                    if section == "grades" {
                        guard let g = Int(name), (1...12).contains(g) else { throw FileError(key: path, .policyGradeKey) }
                        if let other = grades.first(where: { $0.key == g }) {
                            throw FileError(key: path, .policyGivenTwice, "\(other.written)", "\(g)")
                        }
                        grades.append((g, name, x))
                    } else {
                        let canonical = Subjects.canonical(name)
                        if let other = subjects.first(where: { $0.key == canonical }) {
                            throw FileError(key: path, .policyGivenTwice, "\(other.written)", "\(canonical)")
                        }
                        subjects.append((canonical, name, x))
                    }
                }
            default:
                try applySection(view, section: section, node: v, prefix: "")
            }
        }
        try checkRanges(prefix: "")
        guard !subjects.isEmpty || !grades.isEmpty else { return }
        let base = self
        func variant(_ nodes: [(String, Int)]) throws(FileError) -> Policy {
            var p = base
            for (path, node) in nodes {
                try view.forEachMember(ofObject: node) { (k: Int, v: Int) throws(FileError) in
                    let section = view.string(k)
                    guard !["subjects", "grades", "plausible", "st", "homework_load", "attention"].contains(section) else {
                        throw FileError(key: "\(path).\(section)", .policyNotInOverride)
                    }
                    try p.applySection(view, section: section, node: v, prefix: path + ".")
                }
                try p.checkRanges(prefix: path + ".")
            }
            return p
        }
        func compact(_ node: Int) -> String { compactJSON(view, node) }
        subjectOverrides = subjects.map { Override(key: $0.key, json: compact($0.node)) }
        gradeOverrides = grades.map { Override(key: String($0.key), json: compact($0.node)) }
        overriddenSubjects = Set(subjects.map(\.key))
        overriddenGrades = Set(grades.map(\.key))
        var table: [String: Int] = [:]
        var made: [PolicyVariant] = [PolicyVariant(policy: base)]
        for g in [nil] + grades.map({ Optional($0.key) }) {
            for s in [nil] + subjects.map({ Optional($0.key) }) where g != nil || s != nil {
                var nodes: [(String, Int)] = []
                if let g { nodes += grades.filter { $0.key == g }.map { ("grades.\($0.written)", $0.node) } }
                if let s { nodes += subjects.filter { $0.key == s }.map { ("subjects.\($0.written)", $0.node) } }
                table[(s ?? "") + "\u{1}" + (g.map(String.init) ?? "")] = made.count
                made.append(PolicyVariant(policy: try variant(nodes)))
            }
        }
        variants = made
        variantTable = table
    }

    /// One section of a policy (`two_tens`, `coaching`, ...).
    private mutating func applySection(_ view: JSONView, section: String, node v: Int, prefix: String) throws(FileError) {
        guard view.kind(v) == .object else { throw FileError(key: prefix + section, .mustBeObject) }
        try view.forEachMember(ofObject: v) { (k2: Int, x: Int) throws(FileError) in
            let key = view.string(k2)
            let path = "\(prefix)\(section).\(key)"
            func number() throws(FileError) -> Double {
                guard view.kind(x) == .number else { throw FileError(key: path, .mustBeNumber) }
                let d = view.double(x)
                guard d.isFinite, d >= 0 else { throw FileError(key: path, .mustBeNonNegative) }
                return d
            }
            func integer() throws(FileError) -> Int {
                let d = try number()
                guard d == d.rounded(), d < 1e9 else { throw FileError(key: path, .integerBelowBillion) }
                return Int(d)
            }
            func strings() throws(FileError) -> [String] {
                guard view.kind(x) == .array else { throw FileError(key: path, .mustBeStringArray) }
                var out: [String] = []
                try view.forEachElement(ofArray: x) { (_: Int, e: Int) throws(FileError) in
                    guard view.kind(e) == .string else { throw FileError(key: path, .mustBeStringArray) }
                    out.append(view.string(e))
                }
                return out
            }
            if key == "applies", let standard = Standard(rawValue: section) {
                switch view.kind(x) {
                case .true: notApplying.remove(standard)
                case .false: notApplying.insert(standard)
                default: throw FileError(key: path, .mustBeBoolean)
                }
                return
            }
            switch "\(section).\(key)" {
            case "two_tens.reading_min": readingMin = try number()
            case "two_tens.writing_min": writingMin = try number()
            case "one_eighteen.performers": performers = try integer()
            case "one_eighteen.share_of_present":
                if view.kind(x) == .null { performerShareOfPresent = nil } else {
                    let s = try number()
                    guard s <= 1 else { throw FileError(key: path, .mustBeShare) }
                    performerShareOfPresent = s
                }
            case "homework_time.min_minutes": homeworkMinMin = try number()
            case "homework_time.max_minutes": homeworkMaxMin = try number()
            case "homework_time.completion_target":
                homeworkCompletionTarget = try number()
                guard homeworkCompletionTarget <= 1 else { throw FileError(key: path, .mustBeShare) }
            case "four_threes.read_passes": readPasses = try integer()
            case "four_threes.copy_passes": copyPasses = try integer()
            case "on_time.overrun_tolerance_min": overrunToleranceMin = try number()
            case "plausible.max_duration_min": plausibleMaxDurationMin = try number()
            case "plausible.max_students": plausibleMaxStudents = try integer()
            case "plausible.max_passes": plausibleMaxPasses = try integer()
            case "st.interval_s":
                st.intervalSeconds = try number()
                guard st.intervalSeconds > 0 else { throw FileError(key: path, .mustBePositive) }
            case "st.practice_max_rt": st.practiceMaxRt = try number()
            case "st.lecture_min_rt": st.lectureMinRt = try number()
            case "st.dialogue_min_ch": st.dialogueMinCh = try number()
            case "coaching.before": coachingBefore = try strings()
            case "coaching.after": coachingAfter = try strings()
            case "attention.met_below":
                attentionMetBelow = try number()
                guard attentionMetBelow <= 1 else { throw FileError(key: path, .mustBeShare) }
            case "homework_load.grading_days": homeworkLoad.gradingDays = try integer()
            case "homework_load.essay_grading_days": homeworkLoad.essayGradingDays = try integer()
            case "homework_load.written_home_limit_min":
                // Grades given replace the default's; null removes a grade's limit.
                guard view.kind(x) == .object else { throw FileError(key: path, .mustBeObject) }
                try view.forEachMember(ofObject: x) { (gk: Int, gv: Int) throws(FileError) in
                    let gradePath = "\(path).\(view.string(gk))"
                    guard let g = Int(view.string(gk)), (1...12).contains(g) else { throw FileError(key: gradePath, .policyLimitKey) }
                    if view.kind(gv) == .null { homeworkLoad.writtenHomeLimitMin[g] = nil; return }
                    guard view.kind(gv) == .number, view.double(gv).isFinite, view.double(gv) >= 0 else {
                        throw FileError(key: gradePath, .policyLimitKey)
                    }
                    homeworkLoad.writtenHomeLimitMin[g] = view.double(gv)
                }
            case "homework_load.in_class_per_week":
                // Subjects given replace the default's; null removes a target.
                guard view.kind(x) == .object else { throw FileError(key: path, .mustBeObject) }
                var targets = homeworkLoad.inClassPerWeek
                try view.forEachMember(ofObject: x) { (sk: Int, sv: Int) throws(FileError) in
                    let subjectPath = "\(path).\(view.string(sk))"
                    if view.kind(sv) == .null { targets[Subjects.canonical(view.string(sk))] = nil; return }
                    guard view.kind(sv) == .number else { throw FileError(key: subjectPath, .mustBeNumber) }
                    let d = view.double(sv)
                    guard d.isFinite, d >= 0, d == d.rounded(), d < 1e9 else { throw FileError(key: subjectPath, .integerBelowBillion) }
                    targets[Subjects.canonical(view.string(sk))] = Int(d)
                }
                homeworkLoad.inClassPerWeek = targets
            default: throw FileError(key: path, .unknownPolicyKey)
            }
        }
    }

    private func checkRanges(prefix: String) throws(FileError) {
        guard homeworkMinMin <= homeworkMaxMin else {
            throw FileError(key: prefix + "homework_time", .homeworkMinOverMax)
        }
    }
}

/// The rules for some subject or grade (a class, so that `Policy` may hold
/// policies of its own).
private final class PolicyVariant: Sendable, Equatable {
    let policy: Policy
    init(policy: Policy) { self.policy = policy }
    static func == (a: PolicyVariant, b: PolicyVariant) -> Bool { a.policy == b.policy }
}

/// `s` as a JSON string literal.
package func jsonQuoted(_ s: String) -> String {
    String(unsafeUninitializedCapacity: RawTextWriter.jsonStringBound(s)) { buffer in
        var w = RawTextWriter(buffer.baseAddress!, capacity: buffer.count)
        w.jsonString(s)
        return w.count
    }
}

/// The value at tape index `i` as compact JSON.
package func compactJSON(_ view: JSONView, _ i: Int) -> String {
    switch view.kind(i) {
    case .object:
        var parts: [String] = []
        view.forEachMember(ofObject: i) { k, v in parts.append(jsonQuoted(view.string(k)) + ":" + compactJSON(view, v)) }
        return "{" + parts.joined(separator: ",") + "}"
    case .array:
        var parts: [String] = []
        view.forEachElement(ofArray: i) { _, e in parts.append(compactJSON(view, e)) }
        return "[" + parts.joined(separator: ",") + "]"
    case .string: return jsonQuoted(view.string(i))
    case .number:
        let e = view.entries[i]
        return String(decoding: UnsafeBufferPointer(rebasing: view.bytes[Int(e.start)..<Int(e.end)]), as: UTF8.self)
    case .true: return "true"
    case .false: return "false"
    case .null: return "null"
    }
}
