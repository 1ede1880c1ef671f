import LessonLensCore

/// What a coding sheet does not say about its lesson, given as
/// `--set teacher=…,date=…,subject=…,grade=…`: the lesson object's own
/// field names (`id`, `date`, `teacher`, `subject`, `grade`, `class`,
/// `school`, `observer`, `period`, `duration_min`, `enrolled`, `present`,
/// `tags` separated by `;`, `visit`, `notes`).
public struct ImportMetadata: Sendable {
    /// The values by field name, as given.
    public private(set) var values: [String: String] = [:]

    /// The fields `--set` may give.
    public static let fields = ["id", "date", "teacher", "subject", "grade", "class", "school", "observer", "period",
                                "duration_min", "enrolled", "present", "tags", "visit", "notes"]

    /// Why a `--set` could not be read.
    public struct Problem: Error, CustomStringConvertible {
        /// What is wrong, in English.
        public var description: String
    }

    /// Reads `key=value` pairs separated by commas (several `--set` add up;
    /// a later value for a key replaces an earlier one).
    public init(_ settings: [String]) throws(Problem) {
        for setting in settings {
            for pair in setting.split(separator: ",", omittingEmptySubsequences: true) {
                guard let eq = pair.firstIndex(of: "=") else { throw Problem(description: "\"\(pair)\" is not key=value") }
                let key = Cells.trimmed(String(pair[..<eq])), value = Cells.trimmed(String(pair[pair.index(after: eq)...]))
                guard Self.fields.contains(key) else {
                    throw Problem(description: "unknown field \"\(key)\"" + (Suggestions.nearestName(to: key, among: Self.fields).map { " (did you mean \"\($0)\"?)" } ?? "")
                                  + "; fields: " + Self.fields.joined(separator: ", "))
                }
                values[key] = value
            }
        }
        do {
            if let v = values["date"] { _ = try Cells.date(v) }
            for key in ["grade", "period", "enrolled", "present"] { if let v = values[key] { _ = try Cells.integer(v) } }
            if let v = values["duration_min"] { _ = try Cells.number(v) }
        } catch { throw Problem(description: error.en) }
    }

    /// Sets (or, with nil, removes) one field.
    public mutating func setValue(_ value: String?, for key: String) { values[key] = value }

    /// The fields among `required` that are not given.
    public func missing(_ required: [String]) -> [String] { required.filter { values[$0] == nil } }

    /// A lesson with these fields (and `fallbackDate` when no date is set);
    /// nil when a required field is missing.
    func lesson(id: String, date fallbackDate: LessonDate?, durationMin: Double?, segments: [Segment], performances: [Performance],
                tags extraTags: [String]) -> Lesson? {
        guard let teacher = values["teacher"], let subject = values["subject"], let grade = values["grade"].flatMap({ try? Cells.integer($0) }),
              let date = values["date"].flatMap({ try? Cells.date($0) }) ?? fallbackDate else { return nil }
        let tags = (values["tags"].map { $0.split(separator: ";").map { Cells.trimmed(String($0)) }.filter { !$0.isEmpty } } ?? []) + extraTags
        return Lesson(id: values["id"] ?? id, date: date, teacher: teacher, subject: subject, grade: grade,
                      className: values["class"], school: values["school"], observer: values["observer"],
                      period: values["period"].flatMap { try? Cells.integer($0) },
                      durationMin: values["duration_min"].flatMap { try? Cells.number($0) } ?? durationMin ?? Lesson.defaultDurationMin,
                      enrolled: values["enrolled"].flatMap { try? Cells.integer($0) }, present: values["present"].flatMap { try? Cells.integer($0) },
                      segments: segments, performances: performances, tags: tags, visit: values["visit"], notes: values["notes"])
    }

    /// The lesson checked by the format's reader: nil and the reason when it
    /// breaks a rule of the format.
    static func check(_ lesson: Lesson) -> FieldIssue? {
        var decoder = LessonDecoder(), warnings: [FieldIssue] = []
        do { _ = try decoder.decode(LessonJSON.line(lesson), warnings: &warnings); return nil } catch { return error }
    }
}
