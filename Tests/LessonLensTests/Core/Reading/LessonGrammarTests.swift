import Foundation
import Testing
@testable import LessonLensCore

/// A JSON value written by hand, so that key order and duplicates are the
/// test's to choose (JSONSerialization would reorder and merge them).
private indirect enum J {
    case raw(String)
    case object([(String, J)])
    case array([J])

    var text: String {
        switch self {
        case .raw(let s): return s
        case .object(let members): return "{" + members.map { "\"\($0.0)\":\($0.1.text)" }.joined(separator: ",") + "}"
        case .array(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
        }
    }
}

/// One member of an object, changed.
private enum Change {
    case setNull, remove, wrongType, twice
}

/// A lesson with every field of every object of the grammar.
private func lesson(changing field: String? = nil, in object: String = "", _ change: Change = .remove) -> String {
    func apply(_ members: [(String, J)], _ name: String) -> J {
        guard name == object, let field else { return .object(members) }
        var out: [(String, J)] = []
        for (key, value) in members {
            guard key == field else { out.append((key, value)); continue }
            switch change {
            case .setNull: out.append((key, .raw("null")))
            case .remove: break
            case .wrongType:
                if case .raw = value { out.append((key, .object([]))) } else { out.append((key, .raw("\"x\""))) }
            case .twice: out.append((key, value)); out.append((key, value))
            }
        }
        return .object(out)
    }
    let student = apply([("id", .raw("\"S01\"")), ("tier", .raw("\"bottom\""))], "students[0]")
    let segment = apply([("start", .raw("\"0:00\"")), ("end", .raw("\"10:00\"")), ("kind", .raw("\"write\"")),
                         ("passes", .raw("3")), ("task", .raw("\"copy\"")), ("notes", .raw("\"n\""))], "segments[0]")
    let performance = apply([("t", .raw("\"5:00\"")), ("student", .raw("\"S01\"")), ("kind", .raw("\"answer\"")),
                             ("independent", .raw("false"))], "performances[0]")
    let homework = apply([("assigned", .raw("29")), ("completed", .raw("20")), ("correct", .raw("18"))], "homework")
    let top = apply([
        ("id", .raw("\"L1\"")), ("date", .raw("\"2026-09-03\"")), ("teacher", .raw("\"王老师\"")),
        ("subject", .raw("\"语文\"")), ("grade", .raw("3")), ("class", .raw("\"3-1\"")), ("school", .raw("\"一小\"")),
        ("observer", .raw("\"李\"")), ("period", .raw("2")), ("duration_min", .raw("40")), ("enrolled", .raw("30")),
        ("present", .raw("29")),
        ("students", .array([student, .object([("id", .raw("\"S02\"")), ("tier", .raw("\"top\""))])])),
        ("segments", .array([segment, .object([("start", .raw("\"10:00\"")), ("end", .raw("\"20:00\"")), ("kind", .raw("\"read\""))])])),
        ("performances", .array([performance])),
        ("homework", homework), ("tags", .array([.raw("\"a\"")])), ("visit", .raw("\"v1\"")), ("notes", .raw("\"x\"")),
    ], "")
    return top.text
}

/// Every field of the grammar, with the object it is in as a path prefix.
private func everyField() -> [(object: String, name: String, rule: FieldRule)] {
    LessonField.allCases.map { ("", $0.rawValue, $0.rule) }
        + StudentField.allCases.map { ("students[0]", $0.rawValue, $0.rule) }
        + SegmentField.allCases.map { ("segments[0]", $0.rawValue, $0.rule) }
        + PerformanceField.allCases.map { ("performances[0]", $0.rawValue, $0.rule) }
        + HomeworkField.allCases.map { ("homework", $0.rawValue, $0.rule) }
}

private enum Outcome: Equatable {
    case accepted(warnings: Int)
    case rejected(field: String, reason: String)
}

private func decode(_ line: String) -> Outcome {
    var decoder = LessonDecoder()
    var warnings: [FieldIssue] = []
    do {
        _ = try decoder.decode(line, warnings: &warnings)
        return .accepted(warnings: warnings.count)
    } catch {
        return .rejected(field: error.field, reason: error.reason)
    }
}

/// Whether the scanner accepts the line (on a scanner that has read the
/// full lesson before, so that its learned keys are in play).
private func scans(_ line: String) -> Bool {
    var scanner = LessonScanner()
    var evaluator = LessonEvaluator()
    for text in [lesson(), line] {
        let accepted = Array(text.utf8).withUnsafeBufferPointer {
            scanner.evaluate($0, policy: .default, evaluator: &evaluator) != nil
        }
        if text == line { return accepted }
    }
    return false
}

/// The grammar drives both readers: for every field it lists, what `null`,
/// a missing field, a value of the wrong kind and a field given twice do
/// is what its rule says, in the decoder (accepted, or rejected naming the
/// field) and in the scanner (accepted only when the decoder accepts
/// without a warning).
@Suite struct LessonGrammarTests {
    @Test func theFullLessonIsReadByBoth() {
        #expect(decode(lesson()) == .accepted(warnings: 0))
        #expect(scans(lesson()))
    }

    /// The full lesson has every field the grammar lists (a field added to
    /// the grammar needs a value here before the tests below can check it).
    @Test func theFullLessonHasEveryField() {
        for (object, name, _) in everyField() {
            let removed = lesson(changing: name, in: object, .remove)
            #expect(removed != lesson(), "add a value for \(object.isEmpty ? name : object + "." + name) to `lesson()`")
        }
    }

    @Test(arguments: everyField().indices)
    func eachFieldFollowsItsRule(_ k: Int) {
        let (object, name, rule) = everyField()[k]
        let path = object.isEmpty ? name : "\(object).\(name)"

        let null = lesson(changing: name, in: object, .setNull)
        if rule.nullable {
            #expect(decode(null) == .accepted(warnings: 0), "\(path): null")
            #expect(scans(null), "\(path): null")
        } else {
            if case .rejected(let field, let reason) = decode(null) {
                #expect(field == path && reason.hasSuffix("got null"), "\(path): \(field): \(reason)")
            } else {
                Issue.record("\(path): null was accepted")
            }
            #expect(!scans(null), "\(path): null")
        }

        let removed = lesson(changing: name, in: object, .remove)
        if rule.required {
            #expect(decode(removed) == .rejected(field: path, reason: "required field is missing"), "\(path)")
            #expect(!scans(removed), "\(path): missing")
        } else {
            #expect(decode(removed) == .accepted(warnings: 0), "\(path): missing")
            #expect(scans(removed), "\(path): missing")
        }

        let wrong = lesson(changing: name, in: object, .wrongType)
        if case .rejected(let field, let reason) = decode(wrong) {
            #expect(field == path && reason.hasPrefix("must be"), "\(path): \(field): \(reason)")
        } else {
            Issue.record("\(path): a value of the wrong kind was accepted")
        }
        #expect(!scans(wrong), "\(path): wrong kind")

        let twice = lesson(changing: name, in: object, .twice)
        #expect(decode(twice) == .rejected(field: path, reason: "appears twice"), "\(path)")
        #expect(!scans(twice), "\(path): twice")
    }

    /// What `null` is a default for: the same lesson as without the field.
    @Test func nullIsTheDefault() throws {
        var decoder = LessonDecoder()
        var warnings: [FieldIssue] = []
        let withNull = try decoder.decode(lesson(changing: "independent", in: "performances[0]", .setNull), warnings: &warnings)
        #expect(withNull.performances[0].independent == true)
        let duration = try decoder.decode(lesson(changing: "duration_min", in: "", .setNull), warnings: &warnings)
        #expect(duration.durationMin == 40)
        #expect(warnings.isEmpty)
    }

    /// The grammar's masks: a bit per field, in case order.
    @Test func nullableMasks() {
        func bit<F: GrammarField>(_ f: F) -> UInt32 {
            1 << UInt32(F.allCases.map(\.rawValue).firstIndex(of: f.rawValue)!)
        }
        for f in [LessonField.duration_min, .students, .performances, .homework, .tags, .class, .present] {
            #expect(LessonField.nullableMask & bit(f) != 0, "\(f)")
        }
        for f in [LessonField.id, .date, .teacher, .subject, .grade, .segments] {
            #expect(LessonField.nullableMask & bit(f) == 0, "\(f)")
        }
        #expect(PerformanceField.nullableMask == bit(PerformanceField.independent))
        #expect(HomeworkField.nullableMask == bit(HomeworkField.correct))
        #expect(LessonField.firstMissing(0) == .id)
        #expect(SegmentField.firstMissing(0b011) == .kind)
    }
}
