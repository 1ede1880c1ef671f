/// Turns one line of a homework ledger (`docs/homework-log-v1.md`) into a
/// checked `HomeworkAssignment`, or the first reason it breaks the format.
/// The same JSON reader and messages as lessons; duplicate ids and a class
/// given two grades depend on the lines before (`HomeworkStream`).
public struct HomeworkDecoder {
    private var tape = JSONTape()

    /// A decoder with empty buffers; reuse it for many lines.
    public init() {}

    /// Decodes `line`. Unknown fields are appended to `warnings`.
    public mutating func decode(_ line: UnsafeBufferPointer<UInt8>, warnings: inout [FieldIssue]) throws(FieldIssue) -> HomeworkAssignment {
        do {
            try tape.parse(line)
        } catch {
            throw FieldIssue(field: "json", why: syntaxMessage(error, line))
        }
        var reader = AssignmentReader(view: JSONView(tape: tape, bytes: line), warnings: warnings)
        defer { warnings = reader.warnings }
        return try reader.assignment()
    }

    /// Convenience for tests and small inputs.
    public mutating func decode(_ line: String, warnings: inout [FieldIssue]) throws(FieldIssue) -> HomeworkAssignment {
        try withLineBytes(line) { (bytes) throws(FieldIssue) in try decode(bytes, warnings: &warnings) }
    }
}

/// Field names of an assignment, spelled as in the ledger.
enum AssignmentField: String, CaseIterable, Sendable {
    case id, date, `class`, subject, teacher, school, grade, `where`, kind
    case estimated_min, reported_min, tiered, exempt, graded_on, essay, published, notes
}

let assignmentFields = FieldTable<AssignmentField>()
let homeworkPlaces = FieldTable<HomeworkPlace>()
let homeworkKinds = FieldTable<HomeworkKind>()

private struct AssignmentReader: JSONFieldReading {
    let view: JSONView
    var warnings: [FieldIssue]

    mutating func assignment() throws(FieldIssue) -> HomeworkAssignment {
        guard view.kind(0) == .object else {
            throw FieldIssue(field: "json", .assignmentNotObject, .word(typeName(0)))
        }
        var id: String?, date: LessonDate?, className: String?, subject: String?, teacher: String?
        var school: String?, grade: Int?, place: HomeworkPlace?, kind: HomeworkKind?, estimated: Double?
        var reported: [Double] = [], tiered = false, exempt: Int?, gradedOn: LessonDate?
        var essay = false, published = false, notes: String?
        var seen: UInt64 = 0

        try view.forEachMember(ofObject: 0) { (k: Int, v: Int) throws(FieldIssue) in
            guard let (field, bit) = assignmentFields.indexedLookup(view, k) else {
                warnUnknown(k, path: FieldPath(), known: assignmentFields)
                return
            }
            try once(&seen, bit, field, FieldPath())
            let name = FieldPath.top(field.rawValue)
            let isNull = view.kind(v) == .null
            switch field {
            case .id:
                id = try string(v, name)
                if id!.isEmpty { throw FieldIssue(field: "id", .mustNotBeEmpty) }
            case .date: date = try day(v, name)
            case .class:
                className = try string(v, name)
                if className!.isEmpty { throw FieldIssue(field: "class", .mustNotBeEmpty) }
            case .subject: subject = try string(v, name)
            case .teacher: teacher = try string(v, name)
            case .school: school = isNull ? nil : try string(v, name)
            case .grade: grade = try integer(v, name, in: LessonRules.grades)
            case .where: place = try enumValue(v, name, homeworkPlaces).value
            case .kind: kind = try enumValue(v, name, homeworkKinds).value
            case .estimated_min:
                let d = try number(v, name)
                guard d > 0, d.isFinite else { throw FieldIssue(field: "estimated_min", .durationNotPositive, "\(literal(v))") }
                estimated = d
            case .reported_min: reported = isNull ? [] : try minutes(v, name)
            case .tiered: tiered = isNull ? false : try boolean(v, name)
            case .exempt: exempt = isNull ? nil : try integer(v, name, in: 0...Int.max)
            case .graded_on: gradedOn = isNull ? nil : try day(v, name)
            case .essay: essay = isNull ? false : try boolean(v, name)
            case .published: published = isNull ? false : try boolean(v, name)
            case .notes: notes = isNull ? nil : try string(v, name)
            }
        }
        guard let id else { throw missing(.top("id")) }
        guard let date else { throw missing(.top("date")) }
        guard let className else { throw missing(.top("class")) }
        guard let subject else { throw missing(.top("subject")) }
        guard let teacher else { throw missing(.top("teacher")) }
        guard let grade else { throw missing(.top("grade")) }
        guard let place else { throw missing(.top("where")) }
        guard let kind else { throw missing(.top("kind")) }
        guard let estimated else { throw missing(.top("estimated_min")) }
        if let gradedOn, gradedOn < date {
            throw FieldIssue(field: "graded_on", .gradedBeforeSet, "\(gradedOn)", "\(date)")
        }
        return HomeworkAssignment(id: id, date: date, className: className, subject: subject, teacher: teacher,
                                  school: school, grade: grade, place: place, kind: kind, estimatedMin: estimated,
                                  reportedMin: reported, tiered: tiered, exempt: exempt, gradedOn: gradedOn,
                                  essay: essay, published: published, notes: notes)
    }

    func day(_ v: Int, _ field: FieldPath) throws(FieldIssue) -> LessonDate {
        guard view.kind(v) == .string else { throw wrongType(v, field, .aDateString) }
        guard !view.entries[v].escaped, let d = LessonDate(ascii: view.rawBytes(v)) else {
            throw FieldIssue(field: field.description, .notADate, "\(view.string(v))")
        }
        return d
    }

    func boolean(_ v: Int, _ field: FieldPath) throws(FieldIssue) -> Bool {
        switch view.kind(v) {
        case .true: return true
        case .false: return false
        default: throw wrongType(v, field, .trueOrFalse)
        }
    }

    func minutes(_ v: Int, _ field: FieldPath) throws(FieldIssue) -> [Double] {
        guard view.kind(v) == .array else { throw wrongType(v, field, .arrayOfNumbers) }
        var out: [Double] = []
        out.reserveCapacity(view.count(v))
        try view.forEachElement(ofArray: v) { (pos: Int, e: Int) throws(FieldIssue) in
            let path = FieldPath(list: "reported_min", index: pos)
            let d = try number(e, path)
            guard d >= 0, d.isFinite else { throw FieldIssue(field: path.description, .numberNotNegative, "\(literal(e))") }
            out.append(d)
        }
        return out
    }
}
