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

    /// The teaching group's rules (`Policy.default`).
    public init() {}

    /// Two 10s, one 18, homework 8-10 minutes, four 3s, no overrun.
    public static let `default` = Policy()

    /// Judges every standard for one lesson's metrics.
    public func judge(_ m: LessonMetrics, present: Int?) -> StandardResults {
        var r = StandardResults()
        r.two_tens = m.reading_min >= readingMin && m.writing_min >= writingMin
        var needed = performers
        if let share = performerShareOfPresent, let present {
            needed = min(performers, Int((share * Double(present)).rounded(.up)))
        }
        r.one_eighteen = m.independent_performers >= needed
        r.homework_time = m.homework_min >= homeworkMinMin && m.homework_min <= homeworkMaxMin
        if let rp = m.read_passes, let cp = m.copy_passes {
            r.four_threes = rp >= readPasses && cp >= copyPasses
        }
        r.on_time = m.overrun_min <= overrunToleranceMin
        return r
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
        return """
        {
          "two_tens": { "reading_min": \(n(readingMin)), "writing_min": \(n(writingMin)) },
          "one_eighteen": { "performers": \(performers), "share_of_present": \(performerShareOfPresent.map(n) ?? "null") },
          "homework_time": { "min_minutes": \(n(homeworkMinMin)), "max_minutes": \(n(homeworkMaxMin)), "completion_target": \(n(homeworkCompletionTarget)) },
          "four_threes": { "read_passes": \(readPasses), "copy_passes": \(copyPasses) },
          "on_time": { "overrun_tolerance_min": \(n(overrunToleranceMin)) },
          "plausible": { "max_duration_min": \(n(plausibleMaxDurationMin)), "max_students": \(plausibleMaxStudents), "max_passes": \(plausibleMaxPasses) },
          "st": { "interval_s": \(n(st.intervalSeconds)), "practice_max_rt": \(n(st.practiceMaxRt)), "lecture_min_rt": \(n(st.lectureMinRt)), "dialogue_min_ch": \(n(st.dialogueMinCh)) }
        }

        """
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
        try view.forEachMember(ofObject: 0) { (k: Int, v: Int) throws(FileError) in
            let section = view.string(k)
            guard view.kind(v) == .object else { throw FileError(key: section, .mustBeObject) }
            try view.forEachMember(ofObject: v) { (k2: Int, x: Int) throws(FileError) in
                let key = view.string(k2)
                let path = "\(section).\(key)"
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
                switch path {
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
                default: throw FileError(key: path, .unknownPolicyKey)
                }
            }
        }
        guard homeworkMinMin <= homeworkMaxMin else {
            throw FileError(key: "homework_time", .homeworkMinOverMax)
        }
    }
}
