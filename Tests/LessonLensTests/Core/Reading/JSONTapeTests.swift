import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator

/// Parses `text` and returns the tape, or the syntax error.
private func parse(_ bytes: [UInt8]) -> Result<JSONTape, JSONTape.SyntaxError> {
    let tape = JSONTape()
    return bytes.withUnsafeBufferPointer { buffer in
        do throws(JSONTape.SyntaxError) {
            try tape.parse(buffer)
            return .success(tape)
        } catch {
            return .failure(error)
        }
    }
}

private func accepts(_ text: String) -> Bool {
    if case .success = parse(Array(text.utf8)) { return true }
    return false
}

/// The decoded string or number of the first value of `[value]`.
private func firstElement<T>(_ text: String, _ read: (JSONView, Int) -> T) -> T? {
    let bytes = Array(text.utf8)
    guard case .success(let tape) = parse(bytes) else { return nil }
    return bytes.withUnsafeBufferPointer { read(JSONView(tape: tape, bytes: $0), 1) }
}

@Suite struct JSONTapeTests {
    @Test(arguments: [
        "{}", "[]", "0", "-0", "1.5e10", "-12.25E-3", "\"\"", "true", "false", "null",
        " { \"a\" : [1, 2, {\"b\": null}] , \"c\":\"d\" } ", "[[[[[]]]]]", "{\"a\":{}}",
        "\"\\u00e9\\ud83d\\ude00\\\\\\/\\b\\f\\n\\r\\t\\\"\"", "\"中文 ünï 😀\"", "[1,\r\n\t2]", "1E+2",
    ])
    func acceptsValidJSON(_ text: String) {
        #expect(accepts(text), "should accept \(text)")
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\"}", "{\"a\" 1}", "{a:1}", "{'a':1}", "[01]", "[1.]",
        "[.5]", "[+1]", "[1e]", "[-]", "[0x10]", "[NaN]", "[Infinity]", "[tru]", "[nul]", "\"abc", "\"\\x\"",
        "\"\\u12G4\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\tb\"", "\"a\nb\"", "[1] [2]",
        "{} x", "[1 2]", "{\"a\":1 \"b\":2}", "[,1]", "//c\n1", "\u{0}",
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(!accepts(text), "should reject \(text.debugDescription)")
    }

    @Test func rejectsInvalidUTF8() {
        let cases: [[UInt8]] = [
            [0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xE0, 0x80, 0xAF, 0x22],
            [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE4, 0xB8, 0x22],
            [0x22, 0x80, 0x22], [0x22, 0x00, 0x22], [0x7B, 0x00, 0x7D],
        ]
        for bytes in cases {
            guard case .failure = parse(bytes) else {
                Issue.record("accepted invalid bytes \(bytes)")
                continue
            }
        }
    }

    @Test func decodesEscapesAndUnicode() {
        #expect(firstElement(#"["a\"b\\c\/d\n\t\u00e9\ud83d\ude00"]"#) { $0.string($1) } == "a\"b\\c/d\n\té😀")
        #expect(firstElement(#"["中文"]"#) { $0.string($1) } == "中文")
        #expect(firstElement(#"["\u4e2d"]"#) { $0.stringEquals($1, "x") } == false)
    }

    @Test func convertsNumbers() {
        #expect(firstElement("[312.5]") { $0.double($1) } == 312.5)
        #expect(firstElement("[-0.1]") { $0.double($1) } == -0.1)
        #expect(firstElement("[1e2]") { $0.double($1) } == 100)
        #expect(firstElement("[123456789012345678901234567890]") { $0.double($1) } == 1.2345678901234568e29)
        #expect(firstElement("[0.1234567890123456789]") { $0.double($1) } == 0.12345678901234568)
        #expect(firstElement("[1e999999]") { $0.double($1) } == .infinity)
        #expect(firstElement("[1e-999999]") { $0.double($1) } == 0)
    }

    @Test func countsAndSkipsContainers() {
        let bytes = Array(#"{"a":[1,[2,3],{"x":4}],"b":5}"#.utf8)
        guard case .success(let tape) = parse(bytes) else { Issue.record("parse failed"); return }
        #expect(tape.entries[0].kind == .object)
        #expect(tape.entries[0].start == 2)             // two members
        #expect(tape.entries[2].kind == .array)
        #expect(tape.entries[2].start == 3)             // three elements
        let afterArray = tape.next(after: 2)
        #expect(tape.entries[afterArray].kind == .string) // the key "b"
        #expect(Int(tape.entries[0].end) == tape.entries.count)
    }

    @Test func survivesDeepNesting() {
        let depth = 100_000
        let open = [UInt8](repeating: UInt8(ascii: "["), count: depth)
        let close = [UInt8](repeating: UInt8(ascii: "]"), count: depth)
        #expect(accepts(String(decoding: open + close, as: UTF8.self)))
        #expect(!accepts(String(decoding: open, as: UTF8.self)))
        let objects = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
        #expect(accepts(objects))
    }

    @Test func handlesAThirtyMegabyteLine() {
        var bytes = Array("{\"id\":\"".utf8)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "x"), count: 30 << 20))
        bytes.append(contentsOf: Array("\"}".utf8))
        guard case .success(let tape) = parse(bytes) else { Issue.record("parse failed"); return }
        #expect(tape.entries[2].end - tape.entries[2].start == 30 << 20)
    }

    @Test func reportsWhereAndWhy() {
        guard case .failure(let error) = parse(Array("{\"a\":1,}".utf8)) else { Issue.record("accepted"); return }
        #expect(error.offset == 7)
        #expect(error.reason.description == "unexpected '}', expected a string key")
    }
}
