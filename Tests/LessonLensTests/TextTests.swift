import Testing
@testable import LessonLens

@Suite struct TextTests {
    private func written(_ bound: Int, _ body: (inout RawTextWriter) -> Void) -> String {
        let bytes = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            var w = RawTextWriter(buffer.baseAddress!)
            body(&w)
            count = w.count
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The raw writer used for large outputs gives the same text as the
    /// String forms used elsewhere, within the bounds it documents.
    @Test func rawWriterMatchesTheStringForms() {
        for s in ["", "T017", "王老师", "a\"b\\c", "line\nbreak\r\ttab", "\u{01}\u{1F}\u{0B}x", "🙂 emoji", "/slash",
                  String(repeating: "\u{01}", count: 50)] {
            #expect(written(RawTextWriter.jsonStringBound(s)) { $0.jsonString(s) } == Text.jsonString(s))
        }
        let numbers: [Double?] = [nil, 0, -0.0, 1, -1, 12.5, 0.1, 1.0 / 3, 2.0 / 3 * 100, 1e15, 1e15 - 1, -1e15 + 1,
                                  123456789012345, 1e300, -1.2345678901234567e-308, .nan, .infinity, 9007199254740993, 0.000001]
        for d in numbers {
            #expect(written(32) { $0.jsonNumber(d) } == Text.jsonNumber(d), "\(String(describing: d))")
        }
        for v in [0, 7, -7, 10, 1_000_000, 9_999_999_999_999_999, Int.max, Int.min] {
            #expect(written(20) { $0.integer(v) } == String(v))
        }
        for (v, width, text) in [(7, 2, "07"), (12, 2, "12"), (2026, 4, "2026"), (33, 4, "0033"), (12345, 4, "12345"), (0, 2, "00")] {
            #expect(written(20) { $0.digits(v, width: width) } == text)
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
