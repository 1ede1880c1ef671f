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
    public var homeworkMaxMin: Double = 10
    /// four_threes: read-throughs and copies of each new character at least.
    public var readPasses: Int = 3
    public var copyPasses: Int = 3
    /// on_time: overrun allowed, in minutes (the spec's default is none).
    public var overrunToleranceMin: Double = 0

    public init() {}

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
}

// MARK: - Policy files (JSON)

extension Policy {
    /// A policy file could not be used: which key and why.
    public struct FileError: Error, Sendable, CustomStringConvertible {
        public var key: String
        public var reason: String
        public var description: String { key.isEmpty ? reason : "\(key): \(reason)" }
    }

    /// The policy as the JSON file format, every key with its value.
    public func json() -> String {
        func n(_ d: Double) -> String { formatMinutes(d) }
        return """
        {
          "two_tens": { "reading_min": \(n(readingMin)), "writing_min": \(n(writingMin)) },
          "one_eighteen": { "performers": \(performers), "share_of_present": \(performerShareOfPresent.map(n) ?? "null") },
          "homework_time": { "min_minutes": \(n(homeworkMinMin)), "max_minutes": \(n(homeworkMaxMin)) },
          "four_threes": { "read_passes": \(readPasses), "copy_passes": \(copyPasses) },
          "on_time": { "overrun_tolerance_min": \(n(overrunToleranceMin)) }
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
            throw FileError(key: "", reason: "not valid JSON: \(error.reason) (byte \(error.offset + 1))")
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
        guard view.kind(0) == .object else { throw FileError(key: "", reason: "a policy must be a JSON object") }
        try view.forEachMember(ofObject: 0) { (k: Int, v: Int) throws(FileError) in
            let section = view.string(k)
            guard view.kind(v) == .object else { throw FileError(key: section, reason: "must be an object") }
            try view.forEachMember(ofObject: v) { (k2: Int, x: Int) throws(FileError) in
                let key = view.string(k2)
                let path = "\(section).\(key)"
                func number() throws(FileError) -> Double {
                    guard view.kind(x) == .number else { throw FileError(key: path, reason: "must be a number") }
                    let d = view.double(x)
                    guard d.isFinite, d >= 0 else { throw FileError(key: path, reason: "must be a number >= 0") }
                    return d
                }
                func integer() throws(FileError) -> Int {
                    let d = try number()
                    guard d == d.rounded(), d < 1e9 else { throw FileError(key: path, reason: "must be an integer") }
                    return Int(d)
                }
                switch path {
                case "two_tens.reading_min": readingMin = try number()
                case "two_tens.writing_min": writingMin = try number()
                case "one_eighteen.performers": performers = try integer()
                case "one_eighteen.share_of_present":
                    if view.kind(x) == .null { performerShareOfPresent = nil } else {
                        let s = try number()
                        guard s <= 1 else { throw FileError(key: path, reason: "must be a share from 0 to 1") }
                        performerShareOfPresent = s
                    }
                case "homework_time.min_minutes": homeworkMinMin = try number()
                case "homework_time.max_minutes": homeworkMaxMin = try number()
                case "four_threes.read_passes": readPasses = try integer()
                case "four_threes.copy_passes": copyPasses = try integer()
                case "on_time.overrun_tolerance_min": overrunToleranceMin = try number()
                default: throw FileError(key: path, reason: "unknown policy key")
                }
            }
        }
        guard homeworkMinMin <= homeworkMaxMin else {
            throw FileError(key: "homework_time", reason: "min_minutes is greater than max_minutes")
        }
    }
}
