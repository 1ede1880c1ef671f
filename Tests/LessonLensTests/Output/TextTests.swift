import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator

@Suite struct TextTests {
    /// JSON strings and numbers as written by the raw writer (which every
    /// output uses), within the bounds it documents.
    @Test func jsonStringsAndNumbers() {
        let strings: [(String, String)] = [
            ("", #""""#), ("T017", #""T017""#), ("王老师", #""王老师""#), ("a\"b\\c", #""a\"b\\c""#),
            ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#), ("\u{01}\u{1F}\u{0B}x", #""\u0001\u001f\u000bx""#),
            ("🙂 /", #""🙂 /""#), (String(repeating: "\u{01}", count: 50), "\"" + String(repeating: #"\u0001"#, count: 50) + "\""),
        ]
        for (s, json) in strings { #expect(Text.jsonString(s) == json) }
        let numbers: [(Double?, String)] = [
            (nil, "null"), (.nan, "null"), (.infinity, "null"), (0, "0"), (-0.0, "0"), (1, "1"), (-7, "-7"),
            (12.5, "12.5"), (0.1, "0.1"), (1.0 / 3, "0.3333333333333333"), (2.0 / 3 * 100, "66.66666666666666"),
            (1e15 - 1, "999999999999999"), (-1e15 + 1, "-999999999999999"), (1e15, "1000000000000000.0"),
            (1e300, "1e+300"), (9007199254740993, "9007199254740992.0"), (0.000001, "1e-06"),
            (-Double.greatestFiniteMagnitude, "-1.7976931348623157e+308"),
        ]
        for (d, json) in numbers {
            #expect(Text.jsonNumber(d) == json)
            #expect(Text.jsonNumber(d).utf8.count <= RawTextWriter.jsonNumberBound)
        }
        for v in [0, 7, -7, 10, 1_000_000, 9_999_999_999_999_999, Int.max, Int.min] {
            #expect(Text.written(20) { $0.integer(v) } == String(v))
        }
        for (v, width, text) in [(7, 2, "07"), (12, 2, "12"), (2026, 4, "2026"), (33, 4, "0033"), (12345, 4, "12345"), (0, 2, "00")] {
            #expect(Text.written(20) { $0.digits(v, width: width) } == text)
        }
    }

    /// Minutes of whole seconds come from a table made once: the same text
    /// as Swift's shortest round-trip conversion, for every second of the
    /// table, and nothing from it for numbers a bit off a sixtieth.
    @Test func minutesFromTheTableAreSwiftsText() {
        for k in 0..<6100 {
            let d = Double(k) / 60
            #expect(Text.written(32) { $0.jsonNumber(d) } == (d == d.rounded() ? String(k / 60) : String(d)), "\(k)")
            for near in [d.nextUp, d.nextDown, d + 1e-9, d * (1 + 1e-12)] where near >= 0 && near != d {
                #expect(Text.written(32) { $0.jsonNumber(near) } == (near == near.rounded() ? String(Int(near)) : String(near)))
                #expect(sixtieths.text(of: near) == nil)
            }
        }
        #expect(sixtieths.text(of: -1.0 / 60) == nil)
        #expect(sixtieths.text(of: 0.5).map { String(decoding: $0, as: UTF8.self) } == "0.5")
    }

    @Test func jsonLineOfTheSpecExample() throws {
        let (m, s) = try #require(metrics(specExample))
        var decoder = LessonDecoder()
        var warnings: [FieldIssue] = []
        let lesson = try decoder.decode(specExample, warnings: &warnings)
        let line = MetricsFormat.jsonLine(EvaluatedLesson(lesson, metrics: m, standards: s))
        #expect(line.hasPrefix(#"{"id":"v-0001","date":"2026-03-12","teacher":"T017","subject":"chinese","grade":3,"metrics":{"reading_min":8.5,"writing_min":14.5,"#))
        #expect(line.hasSuffix(#""standards":{"two_tens":false,"one_eighteen":false,"homework_time":true,"four_threes":true,"on_time":true}}"#))
    }
}
