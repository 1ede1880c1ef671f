import Foundation
import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator

/// What the full decoder and the evaluator make of a line: the reference the
/// one-pass scanner must agree with.
private enum Reference {
    case accepted(EvaluatedLesson)
    case acceptedWithWarnings
    case rejected
}

private func reference(_ line: UnsafeBufferPointer<UInt8>, policy: Policy = .default) -> Reference {
    var decoder = LessonDecoder()
    var evaluator = LessonEvaluator()
    var warnings: [FieldIssue] = []
    guard let lesson = try? decoder.decode(line, warnings: &warnings) else { return .rejected }
    guard warnings.isEmpty else { return .acceptedWithWarnings }
    let (m, s) = try! evaluator.evaluate(lesson, policy: policy)
    return .accepted(EvaluatedLesson(lesson, metrics: m, standards: s))
}

/// Every printed number equal to the last bit, and the same identity.
private func same(_ a: EvaluatedLesson, _ b: EvaluatedLesson) -> Bool {
    guard a.id == b.id, a.date == b.date, a.teacher == b.teacher, a.subject == b.subject, a.grade == b.grade,
          a.className == b.className, a.school == b.school, a.observer == b.observer, a.present == b.present,
          a.tags == b.tags, a.standards == b.standards else { return false }
    return Metric.allCases.allSatisfy { a.metrics[$0]?.bitPattern == b.metrics[$0]?.bitPattern }
}

/// Tallies of one comparison run.
private struct Agreement {
    var scanned = 0          // the scanner accepted the line
    var fellBack = 0         // the scanner gave up; the decoder decided
    var cleanReference = 0   // the decoder accepted without warnings
    var disagreements: [String] = []
    /// One scanner for every line, as a stream's worker uses it (what it
    /// remembers from line to line must never change an answer).
    var scanner = LessonScanner()
    var evaluator = LessonEvaluator()

    mutating func check(_ text: String, policy: Policy = .default) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { check(UnsafeBufferPointer($0), policy: policy) }
    }

    mutating func check(_ line: UnsafeBufferPointer<UInt8>, policy: Policy = .default) {
        let fast = scanner.evaluate(line, policy: policy, evaluator: &evaluator)
        let slow = reference(line, policy: policy)
        if case .accepted = slow { cleanReference += 1 }
        guard let fast else { fellBack += 1; return }
        scanned += 1
        if case .accepted(let e) = slow, same(fast, e) { return }
        disagreements.append(String(decoding: line, as: UTF8.self))
    }
}

private func lines(_ config: GeneratorConfig) -> [[UInt8]] {
    let generator = ArchiveGenerator(config)
    var out: [UInt8] = []
    while !generator.isFinished { generator.fill(&out, bytes: 1 << 16) }
    return out.split(separator: 0x0A).map(Array.init)
}

@Suite struct LessonScannerTests {
    /// Generated archives with every kind of breakage: whatever the scanner
    /// accepts, the decoder accepts with the same values; and it accepts
    /// nearly all clean lines (else the fast path would be dead code).
    @Test func agreesWithTheDecoderOnGeneratedArchives() {
        var tally = Agreement()
        for line in lines(GeneratorConfig(lessons: 3000, seed: 11, badPerMille: 60)) {
            line.withUnsafeBufferPointer { tally.check($0) }
        }
        #expect(tally.disagreements.isEmpty, "\(tally.disagreements.prefix(3))")
        #expect(tally.scanned == tally.cleanReference)
        #expect(tally.cleanReference > 2000)
        #expect(tally.fellBack >= 3000 - tally.cleanReference)
    }

    /// Key order is learned from the lines: a member whose bytes match the
    /// ones learned at its place is read as that key, and that must never
    /// change a reading. Lines whose orders and spacing change from object
    /// to object and line to line, and a key given twice in the place an
    /// earlier object taught (declined: the decoder rejects it).
    @Test func learnedKeysNeverChangeTheReading() {
        func line(_ id: Int, _ performances: String) -> String {
            #"{"id":"L"# + String(id) + #"","date":"2026-09-01","teacher":"t","subject":"s","grade":3,"#
                + #""segments":[{"start":0,"end":600,"kind":"read"}],"performances":["# + performances + "]}"
        }
        let lines = [
            line(1, #"{"student":"S1","t":60,"kind":"answer"},{"student":"S2","t":70,"kind":"answer"}"#),
            line(2, #"{"t":60,"student":"S1","kind":"answer"},{"student":"S2","t":70,"kind":"answer"}"#),
            // `,"t":` is learned at the second place: here it is the key twice.
            line(3, #"{"student":"S1","t":60,"kind":"answer"},{"t":61,"t":62,"student":"S2","kind":"answer"}"#),
            line(4, #"{"t" : 60 , "student":"S1","kind":"answer"},{"t":60,"student":"S1" ,"kind":"answer","independent":false}"#),
            line(5, #"{"t":60,"student":"S1","kind":"answer","independent":null},{"t":60,"student":"S1","kind":"answer","independent":nul}"#),
            line(6, #"{"t":60,"student":"S1","kind":"answer","independent":true}"#),
            // `{"student":` begins an object in line 1; here it follows a value.
            line(7, #"{"t":60{"student":"S1","kind":"answer"}"#),
            // Each place's member last time is tried first: here the second
            // object's order reverses the first's, and the third begins as
            // the second did, then changes.
            line(8, #"{"t":60,"student":"S1","kind":"answer"},{"kind":"answer","student":"S2","t":70},{"kind":"answer","t":80,"student":"S1"}"#),
        ]
        var tally = Agreement()
        for l in lines { tally.check(l) }
        #expect(tally.disagreements.isEmpty, "\(tally.disagreements)")
        // Lines 1, 2, 4, 6 and 8 are clean; 3, 5 and 7 are rejected by the decoder.
        #expect(tally.cleanReference == 5)
        #expect(tally.scanned == 5)
    }

    /// The same archives as Python's `json.dumps` spaces them (`, ` and `: `
    /// outside strings, keys in the writer's order): the spaced key runs
    /// agree with the decoder as the compact ones do, broken lines included.
    @Test func agreesOnSpacedArchives() {
        var tally = Agreement()
        var spacedLines = 0
        for line in lines(GeneratorConfig(lessons: 3000, seed: 17, badPerMille: 60)) {
            let spaced = spacedAsJSONDumps(line)
            if spaced.count > line.count { spacedLines += 1 }
            spaced.withUnsafeBufferPointer { tally.check($0) }
        }
        #expect(spacedLines > 2900)
        #expect(tally.disagreements.isEmpty, "\(tally.disagreements.prefix(3))")
        #expect(tally.scanned == tally.cleanReference)
        #expect(tally.cleanReference > 2000)
    }

    /// The same archives with every object's keys sorted (another writer's
    /// order: `independent` first in a performance, `end` first in a
    /// segment), compact and spaced: the any-order readers agree too.
    @Test func agreesWithKeysInAnotherOrder() throws {
        var tally = Agreement()
        var rewritten = 0
        for line in lines(GeneratorConfig(lessons: 1500, seed: 23, badPerMille: 60)) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)), object is [String: Any] else {
                line.withUnsafeBufferPointer { tally.check($0) }
                continue
            }
            let sorted = try [UInt8](JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            rewritten += 1
            sorted.withUnsafeBufferPointer { tally.check($0) }
            spacedAsJSONDumps(sorted).withUnsafeBufferPointer { tally.check($0) }
        }
        #expect(rewritten > 1400)
        #expect(tally.disagreements.count == 0, "\(tally.disagreements.prefix(1))")
        #expect(tally.scanned == tally.cleanReference)
        #expect(tally.cleanReference > 2000)
    }

    @Test func agreesUnderAnotherPolicy() {
        var policy = Policy()
        policy.readingMin = 8; policy.writingMin = 12; policy.performers = 20; policy.performerShareOfPresent = 0.5
        var tally = Agreement()
        for line in lines(GeneratorConfig(lessons: 500, seed: 5)) { line.withUnsafeBufferPointer { tally.check($0, policy: policy) } }
        #expect(tally.disagreements.isEmpty)
        #expect(tally.scanned == 500)
    }

    /// Valid notations the scanner reads itself: whitespace, nulls, decimals,
    /// fields in any order, a roster after the performances, empty lists.
    @Test func readsCommonNotations() {
        let cases = [
            specExample,
            minimalLesson(),
            " \t" + specExample + " \r",
            #"{ "id" : "w1" , "date" : "2026-04-01" , "teacher" : "T" , "subject" : "math" , "grade" : 12 , "segments" : [ { "start" : 0 , "end" : 60.5 , "kind" : "read" , "passes" : null } ] , "tags" : [ ] }"#,
            minimalLesson(#""class":null,"school":null,"observer":null,"period":null,"duration_min":null,"enrolled":null,"present":null,"students":null,"performances":null,"homework":null,"tags":null"#),
            minimalLesson(#""performances":[{"t":5,"student":"S2","kind":"answer","independent":null},{"t":"0:07","student":"S1","kind":"read","independent":false}],"students":[{"id":"S1","tier":"bottom"},{"id":"S2","tier":null},{"id":"S3"}]"#),
            minimalLesson(#""duration_min":45.5,"homework":{"completed":3,"assigned":4,"correct":null},"performances":[{"kind":"demo","student":"学生甲","t":"100:00"}]"#),
            // duration_min after the segments still sets the latest time (41 + 60 min).
            minimalLesson(#""duration_min":41"#, segments: #"[{"start":"1:00","end":"101:00","kind":"read"}]"#),
            // The usual layouts with their optional parts, and the same objects with keys reordered.
            // (30-minute lessons: a 40-minute one ending within a minute, in bare seconds, is warned about.)
            minimalLesson(#""duration_min":30,"students":[{"id":"S1","tier":null},{"id":"S2"},{"tier":"top","id":"S3"}],"performances":[{"t":1,"student":"S1","kind":"read","independent":null},{"student":"S3","t":2,"kind":"read"}]"#,
                          segments: #"[{"start":1,"end":2,"kind":"read","passes":null},{"start":1,"end":2,"kind":"write","task":"copy","passes":2},{"kind":"write","start":1,"end":3,"passes":1,"task":"copy"},{"start":1,"end":2,"kind":"homework","task":null}]"#),
            minimalLesson(#""performances":[]"#, segments: #"[{"start":"0:00","end":"5:00","kind":"write","task":"copy","passes":3},{"start":"4:00","end":"9:00","kind":"homework","task":"copy"},{"start":"1:00","end":"2:00","kind":"read","task":"copy","passes":0}]"#),
            // Tasks near "copy" are not copying; booleans of both values.
            minimalLesson(#""performances":[{"t":1,"student":"S1","kind":"read","independent":false},{"t":2,"student":"S1","kind":"read","independent":true}]"#,
                          segments: #"[{"start":0,"end":60,"kind":"write","task":"cop","passes":1},{"start":60,"end":120,"kind":"write","task":"copying","passes":2},{"start":120,"end":180,"kind":"write","task":"Copy","passes":4},{"start":180,"end":240,"kind":"write","task":"copy","passes":8}]"#),
            // Student ids of every length around the 7 bytes read as one word,
            // non-ASCII ones, and performers before and after the roster.
            minimalLesson(#""duration_min":30,"performances":[{"t":1,"student":"a","kind":"read"},{"t":2,"student":"S000007","kind":"demo"}],"students":[{"id":"a","tier":"top"},{"id":"S000007","tier":"middle"},{"id":"S0000008","tier":"bottom"},{"id":"S00000009","tier":"top"},{"id":"学生","tier":"bottom"},{"id":"","tier":"top"}]"#),
            minimalLesson(#""duration_min":30,"students":[{"id":"a","tier":"top"},{"id":"S000007","tier":"middle"},{"id":"S0000008","tier":"bottom"},{"id":"S00000009","tier":"top"},{"id":"学生","tier":"bottom"}],"performances":[{"t":1,"student":"S0000008","kind":"read"},{"t":2,"student":"S00000009","kind":"answer"},{"t":3,"student":"学生","kind":"board"},{"t":4,"student":"a","kind":"present","independent":false}]"#),
            // Times in every width: the in-place forms (M:SS, MM:SS) and the rest.
            minimalLesson(#""duration_min":200"#, segments: #"[{"start":"0:59","end":"09:05","kind":"read"},{"start":"10:00","end":"100:00","kind":"write"},{"start":"100:01","end":"0100:02","kind":"lecture"}]"#),
            minimalLesson(#""performances":[{"t":"1:02","student":"S1","kind":"read"},{"t":"12:34","student":"S2","kind":"answer"}]"#,
                          segments: #"[{"start":"0:00","end":"39:59","kind":"read"}]"#),
            // Fractional seconds: up to 15 digits read in place (as the tape
            // computes them, same bits), more through the tape's rule.
            minimalLesson(#""duration_min":41.25,"performances":[{"t":0.1,"student":"S1","kind":"read"},{"t":599.99,"student":"S2","kind":"read"},{"t":12.345678901234,"student":"S1","kind":"read"},{"t":1.0000000000000002,"student":"S2","kind":"read"},{"t":2345.6789012345,"student":"S1","kind":"read"}]"#,
                          segments: #"[{"start":0.3,"end":2399.70,"kind":"read"}]"#),
            // Whitespace of every kind and width between tokens.
            "{  \"id\":\t\"w2\" ,\r\n\"date\":  \"2026-04-01\",\"teacher\": \"T\",\"subject\":\"math\",\"grade\":3,\"segments\":[ {\"start\": 0, \"end\":  60 ,\"kind\" :\"read\"} ] }",
        ]
        for text in cases {
            var tally = Agreement()
            tally.check(text)
            #expect(tally.disagreements.isEmpty, "\(text)")
            #expect(tally.scanned == 1, "the scanner should read: \(text)")
        }
    }

    /// Names are remembered by their bytes from line to line: names that
    /// differ in one byte, in length only, or at the 8th and 16th byte (the
    /// ends of the words compared), read by one scanner, each stay their own.
    @Test func remembersNamesByTheirExactBytes() {
        let names = ["A", "AB", "ABCDEFG", "ABCDEFGH", "ABCDEFGI", "ABCDEFGHI", "ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOQ",
                     "ABCDEFGHIJKLMNOPQ", "ABCDEFGHIJKLMNOPR", "王老师", "王老帅", "王老师 ", "Mr. Brown", "Mr. Brow"]
        var tally = Agreement()
        for round in 0..<3 {
            for (k, name) in names.enumerated() {
                let other = names[(k + round) % names.count]
                tally.check(#"{"id":"n\#(round)-\#(k)","date":"2026-04-01","teacher":"\#(name)","subject":"\#(other)","grade":2,"class":"\#(name)","school":"\#(other)","observer":"\#(name)","segments":[]}"#)
            }
        }
        #expect(tally.disagreements.isEmpty, "\(tally.disagreements)")
        #expect(tally.scanned == 3 * names.count)
    }

    /// Lines the scanner must leave to the decoder: errors, warnings, and rare
    /// but valid notations. Either way the answer must be the decoder's.
    @Test func leavesTheRestToTheDecoder() {
        let cases = [
            "", "{}", "[]", "null", specExample + "x", specExample + "{}", String(specExample.dropLast()),
            minimalLesson(#""extra":1"#),                        // unknown field: a warning
            minimalLesson(#""grade":3"#),                        // repeated key
            minimalLesson(#""teacher2":"\u738b""#),
            #"{"id":"x","date":"2026-04-01","te\u0061cher":"T","subject":"s","grade":2,"segments":[]}"#,  // valid: escaped key
            minimalLesson(#""a_very_long_unknown_field_name":1"#),
            minimalLesson(#""duration_minutes":40"#),
            minimalLesson(#""课":1"#),
            #"{"id":"","date":"2026-04-01","teacher":"T","subject":"s","grade":2,"segments":[]}"#,
            #"{"id":"x","date":"2026-02-30","teacher":"T","subject":"s","grade":2,"segments":[]}"#,
            #"{"id":"x","date":"2026-04-01","teacher":"T","subject":"s","grade":2.0,"segments":[]}"#,   // valid: 2.0
            #"{"id":"x","date":"2026-04-01","teacher":"T","subject":"s","grade":2e0,"segments":[]}"#,   // valid: 2e0
            #"{"id":"x","date":"2026-04-01","teacher":"T","subject":"s","grade":02,"segments":[]}"#,
            #"{"id":"x","date":"2026-04-01","teacher":"T","subject":"s","grade":13,"segments":[]}"#,
            #"{"id":"x","date":"2026-04-01","teacher":"T","subject":"s","grade":0,"segments":[]}"#,
            #"{"id":"x","date":"2026-04-01","teacher":"T","subject":"s","grade":2,"segments":null}"#,
            #"{"id":"x","date":"2026-04-01","teacher":"T","subject":"s","grade":2}"#,
            minimalLesson(#""period":-1"#),                      // valid: negative period
            minimalLesson(#""enrolled":3,"present":4"#),
            minimalLesson(#""duration_min":0"#),
            minimalLesson(#""duration_min":1e400"#),
            minimalLesson(segments: #"[{"start":"1:00","end":"1:00","kind":"read"}]"#),
            minimalLesson(segments: #"[{"start":"1:00","end":"101:00","kind":"read"}]"#),
            minimalLesson(segments: #"[{"start":"1:60","end":"2:00","kind":"read"}]"#),
            minimalLesson(segments: #"[{"start":"12:60","end":"13:00","kind":"read"}]"#),
            minimalLesson(segments: #"[{"start":"1:0","end":"2:00","kind":"read"}]"#),
            minimalLesson(segments: #"[{"start":"1:5a","end":"2:00","kind":"read"}]"#),
            minimalLesson(segments: #"[{"start":":05","end":"2:00","kind":"read"}]"#),
            minimalLesson(segments: #"[{"start":"1:05 ","end":"2:00","kind":"read"}]"#),
            minimalLesson(segments: #"[{"start":"1:05","end":"1:04","kind":"read"}]"#),
            minimalLesson(segments: #"[{"start":-1,"end":2,"kind":"read"}]"#),
            minimalLesson(segments: #"[{"start":1.,"end":2,"kind":"read"}]"#),
            minimalLesson(segments: #"[{"start":1,"end":2,"kind":"reading"}]"#),
            minimalLesson(segments: #"[{"start":1,"end":2,"kind":"read","passes":-1}]"#),
            minimalLesson(segments: #"[{"start":1,"end":2}]"#),
            minimalLesson(segments: #"[{"start":1,"end":2,"kind":"read"},]"#),
            minimalLesson(#""students":[{"id":"S1"},{"id":"S1"}]"#),
            minimalLesson(#""performances":[{"t":1,"student":"S2","kind":"read"}],"students":[{"id":"S1"}]"#),
            minimalLesson(#""students":[{"id":"S1"},{"tier":"top","id":"S1"}]"#),
            minimalLesson(#""students":[{"id":"S1","tier":"top","tier":"top"}]"#),
            minimalLesson(#""students":[{"id":"S1","tier":"top","note":1}]"#),
            minimalLesson(segments: #"[{"start":1,"end":2,"kind":"read","passes":1,"passes":1}]"#),
            minimalLesson(segments: #"[{"start":1,"end":2,"kind":"write","task":"copy","task":"copy"}]"#),
            minimalLesson(segments: #"[{"start":1,"end":2,"kind":"read","passes":1.5}]"#),
            minimalLesson(segments: #"[{"start":1,"end":2,"kind":"read","task":3}]"#),
            minimalLesson(segments: #"[{"start":2,"end":1,"kind":"read"}]"#),
            minimalLesson(segments: #"[{"start":1,"end":2,"kind":"read","passes":1,"kind":"read"}]"#),
            minimalLesson(#""performances":[{"t":1,"student":"S1","kind":"read","independent":true,"independent":true}]"#),
            minimalLesson(#""performances":[{"t":1,"student":"S1","kind":"read","x":1}]"#),
            minimalLesson(#""performances":[{"t":1,"student":"S1","kind":"sing"}]"#),
            minimalLesson(#""students":[{"id":"S1"}],"performances":[{"t":1,"student":"S2","kind":"read"}]"#),
            minimalLesson(#""students":[{"id":"S1","tier":"low"}]"#),
            minimalLesson(#""students":[{"id":"S1","tier":"Top"}]"#),
            minimalLesson(#""students":[{"id":"S1","tier":"topp"}]"#),
            minimalLesson(#""students":[{"id":"S\u0031","tier":"top"}]"#),      // valid: escaped id
            minimalLesson(#""students":[{"id":"S\#u{1}","tier":"top"}]"#),
            minimalLesson(#""students":[{"id":"S1","tier":"top"},{"id":"S1","tier":"top"}]"#),
            minimalLesson(#""students":[{"id":"S1","tier":"top"}],"performances":[{"t":1,"student":"S2","kind":"read"}]"#),
            minimalLesson(#""students":[{"id":"S1","tier":"top"}],"performances":[{"t":1,"student":"S1","kind":"Read"}]"#),
            minimalLesson(#""students":[{"id":"S1","tier":"top"}],"performances":[{"t":1,"student":"S1","kind":"reads"}]"#),
            minimalLesson(#""students":[{"tier":"top"}]"#),
            minimalLesson(#""performances":[{"t":1,"student":"S2","kind":"read","independent":"yes"}]"#),
            minimalLesson(#""performances":[{"t":1,"student":"S2","kind":"read","independent":tru}]"#),
            minimalLesson(#""performances":[{"t":1,"student":"S2","kind":"read","independent":fals}]"#),
            minimalLesson(#""performances":[{"t":1,"student":"S2","kind":"read","independent":falsey}]"#),
            minimalLesson(#""performances":[{"t":1,"student":"S2","kind":"read","independent":trueish}]"#),
            minimalLesson(#""homework":{"assigned":3,"completed":4}"#),
            minimalLesson(#""homework":{"assigned":4,"completed":3,"correct":4}"#),
            minimalLesson(#""homework":{"assigned":4}"#),
            minimalLesson(#""tags":["a",1]"#),
            #"{"id":"x","date":"2026-04-01","teacher":"T\#u{01}","subject":"s","grade":2,"segments":[]}"#,
        ]
        for text in cases {
            var tally = Agreement()
            tally.check(text)
            #expect(tally.disagreements.isEmpty, "\(text)")
            #expect(tally.fellBack == 1, "the decoder should decide: \(text) (\(tally.fellBack))")
        }
    }

    /// Escapes in names (Python's json.dumps writes `\u5f20` for 张 by
    /// default) are read by the scanner, decoded as the tape decodes them.
    @Test func escapedNamesAreScanned() {
        let cases = [
            minimalLesson(#""class":"3\u0041""#),
            #"{"id":"v\u002d1","date":"2026-04-01","teacher":"\u5f20\u519b\u8001\u5e08","subject":"s","grade":2,"segments":[]}"#,
            minimalLesson(#""school":"\ud83c\udf4e \"A\" \\ \/ \b\f\n\r\t","observer":"\u6797","visit":"\u0076-1""#),
            minimalLesson(#""tags":["\u65b0\u6559\u5e08","plain"],"notes":"\u597d""#),
            minimalLesson(segments: #"[{"start":0,"end":60,"kind":"read","notes":"\u8bfb"}]"#),
            #"{"id":"a\"b","date":"2026-04-01","teacher":"T","subject":"s","grade":2,"segments":[]}"#,  // escape
        ]
        for text in cases {
            var tally = Agreement()
            tally.check(text)
            #expect(tally.disagreements.isEmpty, "\(text)")
            #expect(tally.fellBack == 0, "the scanner should read: \(text)")
        }
        // Bad escapes stay the decoder's: it names them.
        for text in [minimalLesson(#""class":"\u12""#), minimalLesson(#""class":"\ud83c""#),
                     minimalLesson(#""class":"\udf4e""#), minimalLesson(#""class":"\x""#)] {
            var tally = Agreement()
            tally.check(text)
            #expect(tally.disagreements.isEmpty && tally.fellBack == 1, "\(text)")
        }
    }

    /// Escaped names are remembered by their bytes from line to line: names
    /// that share their first 16 bytes and differ after, one name that
    /// begins with another, and repeats, each read as the decoder reads it
    /// by one scanner (it fails when a remembered name is matched by its
    /// first bytes only).
    @Test func escapedNamesRememberedAcrossLines() {
        let names = [#"\u526f\u6821\u957f \u6797"#, #"\u526f\u6821\u957f \u738b"#, #"\u526f\u6821\u957f \u6797\u6797"#,
                     #"\u5f20\u519b\u8001\u5e08"#, #"\u5f20\u519b"#, #"\u5f20\u519b\u8001\u5e08\"x\""#, #"\u0041"#]
        var tally = Agreement()
        var teachers = Set<String>()
        for round in 0..<3 {
            for (k, name) in names.enumerated() {
                let other = names[(k + round + 1) % names.count]
                let text = #"{"id":"e\#(round)-\#(k)","date":"2026-04-01","teacher":"\#(name)","subject":"s","grade":2,"#
                    + #""school":"\#(other)","observer":"\#(name)","segments":[]}"#
                tally.check(text)
                var decoder = LessonDecoder()
                var warnings: [FieldIssue] = []
                if let lesson = try? Array(text.utf8).withUnsafeBufferPointer({ try decoder.decode($0, warnings: &warnings) }) {
                    teachers.insert(lesson.teacher)
                }
            }
        }
        #expect(tally.disagreements.isEmpty, "\(tally.disagreements.prefix(2))")
        #expect(tally.scanned == 3 * names.count)
        #expect(teachers.count == names.count)
        #expect(teachers.contains("副校长 林林") && teachers.contains("张军老师\"x\""))
    }

    @Test func invalidUTF8IsLeftToTheDecoder() {
        let good = Array(minimalLesson().utf8)
        let at = good.firstIndex(of: 0xE7)!   // inside 王
        for bad: [UInt8] in [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE7, 0x8E], [0xF4, 0x90, 0x80, 0x80]] {
            var line = good
            line.replaceSubrange(at..<(at + 3), with: bad)
            var tally = Agreement()
            line.withUnsafeBufferPointer { tally.check($0) }
            #expect(tally.disagreements.isEmpty && tally.fellBack == 1)
        }
    }

    /// Random edits of valid lines (bytes deleted, duplicated, replaced by
    /// JSON punctuation, digits, quotes...): whatever the scanner accepts, the
    /// decoder accepts with the same values.
    /// Times as numbers of every width: 1-9 digits, 0-10 after a point,
    /// leading zeros, exponents, and the end of the number at every byte of
    /// the words the scanner reads digits in. Whatever the scanner reads, the
    /// decoder reads to the same bits (the metrics are compared bit for bit).
    @Test func numbersOfEveryWidthAgree() {
        var random = SplitMix64(seed: 7)
        func digits(_ count: Int) -> String { String((0..<count).map { _ in Character(String(below(&random, 10))) }) }
        func number() -> String {
            var text = below(&random, 30) == 0 ? "0" + digits(below(&random, 3)) : String(1 + below(&random, 9)) + digits(below(&random, 7))
            if below(&random, 3) > 0 { text += "." + digits(below(&random, 11)) }
            if below(&random, 40) == 0 { text += ["e2", "E-1", "e+0"][below(&random, 3)] }
            return text
        }
        // Lessons of 10^6 minutes, so that 8-digit times are in range.
        var policy = Policy()
        policy.plausibleMaxDurationMin = 1e9
        var tally = Agreement()
        for _ in 0..<3000 {
            let segments = (0..<3).map { _ -> String in
                let ends = [number(), number()].sorted { (Double($0) ?? 0) < (Double($1) ?? 0) }
                return #"{"start":\#(ends[0]),"end":\#(ends[1]),"kind":"read"}"#
            }
            let performances = (0..<3).map { _ in #"{"t":\#(number()),"student":"S1","kind":"read"}"# }
            tally.check(minimalLesson(#""duration_min":1000000,"performances":[\#(performances.joined(separator: ","))]"#,
                                      segments: "[" + segments.joined(separator: ",") + "]"), policy: policy)
        }
        #expect(tally.disagreements.count == 0, "\(tally.disagreements.prefix(2))")
        #expect(tally.scanned > 1000)
    }

    @Test func randomEditsNeverMakeThemDisagree() {
        let valid = lines(GeneratorConfig(lessons: 200, seed: 21))
        let alphabet = Array(#"{}[]:,"\ 0123456789.-eEtrufalsn:/"#.utf8) + [0x00, 0x1F, 0x80, 0xE7, 0xFF]
        var random = SplitMix64(seed: 42)
        var tally = Agreement()
        for round in 0..<6000 {
            var line = valid[round % valid.count]
            for _ in 0...below(&random, 3) {
                let at = below(&random, line.count)
                switch below(&random, 4) {
                case 0: line.remove(at: at)
                case 1: line.insert(line[at], at: at)
                case 2: line[at] = alphabet[below(&random, alphabet.count)]
                default: line.insert(alphabet[below(&random, alphabet.count)], at: at)
                }
            }
            line.withUnsafeBufferPointer { tally.check($0) }
        }
        #expect(tally.disagreements.isEmpty, "\(tally.disagreements.prefix(2))")
        // Some edits keep the line valid (a digit for a digit): the scanner reads those.
        #expect(tally.scanned > 100)
    }
}

/// A space after every `,` and `:` outside strings, as `json.dumps` writes.
private func spacedAsJSONDumps(_ line: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var inString = false, escaped = false
    for b in line {
        out.append(b)
        if inString {
            if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
        } else if b == UInt8(ascii: "\"") {
            inString = true
        } else if b == UInt8(ascii: ",") || b == UInt8(ascii: ":") {
            out.append(0x20)
        }
    }
    return out
}

private func below(_ random: inout SplitMix64, _ n: Int) -> Int { Int(random.next() % UInt64(n)) }
