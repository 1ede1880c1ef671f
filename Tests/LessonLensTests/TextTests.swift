import Testing
@testable import LessonLens

@Suite struct TextTests {
    /// The byte writers used for large outputs give the same text as the
    /// String ones used elsewhere.
    @Test func byteWritersMatchTheStringForms() {
        for s in ["", "T017", "王老师", "a\"b\\c", "line\nbreak\r\ttab", "\u{01}\u{1F}x", "🙂 emoji", "/slash"] {
            var out: [UInt8] = []
            Text.appendJSONString(s, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == Text.jsonString(s))
        }
        let numbers: [Double?] = [nil, 0, -0.0, 1, -1, 12.5, 0.1, 1.0 / 3, 2.0 / 3 * 100, 1e15, 1e15 - 1, -1e15 + 1,
                                  123456789012345, 1e300, .nan, .infinity, 9007199254740993, 0.000001]
        for d in numbers {
            var out: [UInt8] = []
            Text.appendJSONNumber(d, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == Text.jsonNumber(d), "\(String(describing: d))")
        }
        for v in [0, 7, -7, 10, 1_000_000, 9_999_999_999_999_999, Int.max, Int.min] {
            var out: [UInt8] = []
            Text.appendInteger(v, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(v))
        }
    }

    @Test func paddedDigits() {
        for (v, width, text) in [(7, 2, "07"), (12, 2, "12"), (2026, 4, "2026"), (33, 4, "0033"), (12345, 4, "12345"), (0, 2, "00")] {
            var out: [UInt8] = []
            Text.appendDigits(v, width: width, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == text)
        }
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
