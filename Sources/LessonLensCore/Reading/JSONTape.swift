import Foundation

/// A strict RFC 8259 JSON parser that records a document as a flat *tape* of
/// entries (in the manner of simdjson) instead of a tree of values.
///
/// Why a tape: an archive is millions of small documents. Parsing one into a
/// tree allocates per value; the tape is one array that is reused from line to
/// line, strings and numbers are byte ranges into the line that are decoded
/// only when the reader asks for them, and containers know where they end so
/// that a reader can skip them in O(1).
///
/// Safety on hostile input: the parser is iterative (an explicit stack, no
/// recursion), so nesting 100,000 deep costs memory, not the call stack; it
/// validates UTF-8 and escapes; numbers are checked against the grammar and
/// converted only on demand, where overflow becomes infinity, never a trap.
///
/// Cost: O(n) time in the bytes of the document, O(values) memory for the
/// tape, reused across calls.
///
/// `@unchecked Sendable`: a tape belongs to one decoder, which a worker
/// thread owns; it may move between threads, never be used by two at once.
package final class JSONTape: @unchecked Sendable {
    package enum Kind: UInt8, Sendable, BitwiseCopyable {
        case object, array, string, number, `true`, `false`, null
    }

    /// One value. For strings and numbers `start..<end` is the byte range in
    /// the document (strings without their quotes). For containers `end` is
    /// the tape index just past the container's last entry and `start` is its
    /// element count (members for objects). Object members are stored as a key
    /// string entry followed by the value's entries.
    package struct Entry: Sendable, BitwiseCopyable {
        /// What the entry is.
        package var kind: Kind
        /// Strings only: the string holds at least one backslash escape.
        package var escaped: Bool
        /// See above: a byte offset, or an element count for containers.
        package var start: Int32
        /// See above: a byte offset, or the tape index past a container.
        package var end: Int32
    }

    package struct SyntaxError: Error, Sendable, Equatable {
        /// Byte offset in the document, from 0.
        package var offset: Int
        /// What is wrong there.
        package var reason: Reason
    }

    // Reused from document to document (see `GrowableBuffer` for why not Array).
    // Unchecked exclusivity: a tape is used by one thread at a time (above),
    // and the dynamic check on every append was a fifth of a ledger's run.
    @exclusivity(unchecked) private var storage = GrowableBuffer<Entry>(capacity: 1024)
    /// The open containers' tape indices, innermost last.
    @exclusivity(unchecked) private var stack = GrowableBuffer<Int32>(capacity: 64)

    package init() {}

    /// The entries of the last parsed document; valid until the next parse.
    package var entries: UnsafeBufferPointer<Entry> { storage.elements }

    /// Index of the entry after value `i` and everything inside it.
    @inline(__always)
    package func next(after i: Int) -> Int {
        let e = storage[i]
        return e.kind == .object || e.kind == .array ? Int(e.end) : i + 1
    }

    @inline(__always)
    private func append(_ e: Entry) { storage.append(e) }

    @inline(__always)
    private func push(_ index: Int32) { stack.append(index) }

    // MARK: Parsing

    /// Parses `bytes` as one JSON text (surrounding whitespace allowed).
    package func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(SyntaxError) {
        storage.removeAll()
        stack.removeAll()
        guard bytes.count < Int(Int32.max) else {
            throw SyntaxError(offset: 0, reason: Reason(.documentTooLarge))
        }
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw SyntaxError(offset: 0, reason: Reason(.emptyDocument))
        }
        let n = bytes.count
        var i = 0

        // `i` as a parameter, not a capture: a captured variable that is also
        // passed inout is checked for exclusive access at run time.
        @inline(__always) func skipWhitespace(_ i: inout Int) {
            while i < n {
                let b = base[i]
                if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 } else { break }
            }
        }

        // Each pass of the outer loop reads one value, then closes containers
        // and consumes separators until the next value position.
        valueLoop: while true {
            skipWhitespace(&i)
            guard i < n else {
                throw SyntaxError(offset: i, reason: Reason(storage.count == 0 ? .emptyDocument : .endExpectingValue))
            }
            let b = base[i]
            switch b {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = b == UInt8(ascii: "{")
                push(Int32(storage.count))
                append(Entry(kind: isObject ? .object : .array, escaped: false, start: 0, end: 0))
                i += 1
                skipWhitespace(&i)
                if i < n && base[i] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    i += 1
                    closeTop()
                } else {
                    if isObject { try parseKey(base, n, &i) }
                    continue valueLoop
                }
            case UInt8(ascii: "\""):
                try parseString(base, n, &i)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try parseNumber(base, n, &i)
            case UInt8(ascii: "t"):
                try literal(base, n, &i, "true", .true)
            case UInt8(ascii: "f"):
                try literal(base, n, &i, "false", .false)
            case UInt8(ascii: "n"):
                try literal(base, n, &i, "null", .null)
            default:
                throw SyntaxError(offset: i, reason: Reason(.unexpectedExpectingValue, describe(b)))
            }

            // After a value: separators and closers.
            while true {
                skipWhitespace(&i)
                guard stack.count > 0 else {
                    guard i == n else {
                        throw SyntaxError(offset: i, reason: Reason(.afterValue, describe(base[i])))
                    }
                    return
                }
                let top = Int(stack[stack.count - 1])
                let isObject = storage[top].kind == .object
                guard i < n else {
                    throw SyntaxError(offset: i, reason: Reason(isObject ? .endInsideObject : .endInsideArray))
                }
                let c = base[i]
                storage[top].start += 1
                if c == UInt8(ascii: ",") {
                    i += 1
                    if isObject {
                        skipWhitespace(&i)
                        try parseKey(base, n, &i)
                    }
                    continue valueLoop
                } else if c == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    i += 1
                    closeTop()
                } else {
                    throw SyntaxError(offset: i, reason: Reason(.expectingCommaOrClose, describe(c), isObject ? "}" : "]"))
                }
            }
        }
    }

    @inline(__always)
    private func closeTop() {
        let top = Int(stack[stack.count - 1])
        stack.removeLast()
        storage[top].end = Int32(storage.count)
    }

    /// Reads `"key"` and the `:` after it; leaves `i` at the value.
    @inline(__always)
    private func parseKey(_ base: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws(SyntaxError) {
        guard i < n, base[i] == UInt8(ascii: "\"") else {
            throw SyntaxError(offset: i, reason: i < n ? Reason(.expectingKey, describe(base[i])) : Reason(.endExpectingKey))
        }
        try parseString(base, n, &i)
        while i < n, base[i] == 0x20 || base[i] == 0x09 || base[i] == 0x0A || base[i] == 0x0D { i += 1 }
        guard i < n, base[i] == UInt8(ascii: ":") else {
            throw SyntaxError(offset: i, reason: Reason(.expectingColon))
        }
        i += 1
    }

    private func literal(_ base: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, _ word: StaticString, _ kind: Kind) throws(SyntaxError) {
        let len = word.utf8CodeUnitCount
        guard n - i >= len, memcmp(base + i, word.utf8Start, len) == 0 else {
            throw SyntaxError(offset: i, reason: Reason(.invalidLiteral, "\(word)"))
        }
        append(Entry(kind: kind, escaped: false, start: Int32(i), end: Int32(i + len)))
        i += len
    }

    private func parseNumber(_ base: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws(SyntaxError) {
        let start = i
        @inline(__always) func isDigit(_ j: Int) -> Bool { j < n && base[j] &- 0x30 < 10 }
        if base[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { throw SyntaxError(offset: i, reason: Reason(.numberDigit)) }
        if base[i] == UInt8(ascii: "0") {
            i += 1
            if isDigit(i) { throw SyntaxError(offset: i, reason: Reason(.numberLeadingZero)) }
        } else {
            while isDigit(i) { i += 1 }
        }
        if i < n && base[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { throw SyntaxError(offset: i, reason: Reason(.numberDigitAfterDot)) }
            while isDigit(i) { i += 1 }
        }
        if i < n && (base[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            if i < n && (base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-")) { i += 1 }
            guard isDigit(i) else { throw SyntaxError(offset: i, reason: Reason(.numberDigitInExponent)) }
            while isDigit(i) { i += 1 }
        }
        append(Entry(kind: .number, escaped: false, start: Int32(start), end: Int32(i)))
    }

    /// `i` at the opening quote; leaves `i` after the closing quote.
    private func parseString(_ base: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws(SyntaxError) {
        i += 1
        let start = i
        var escaped = false
        while true {
            i = JSONTape.endOfPlainRun(base, n, from: i)
            guard i < n else { throw SyntaxError(offset: i, reason: Reason(.unterminatedString)) }
            let b = base[i]
            if b == UInt8(ascii: "\"") {
                append(Entry(kind: .string, escaped: escaped, start: Int32(start), end: Int32(i)))
                i += 1
                return
            } else if b == UInt8(ascii: "\\") {
                escaped = true
                try skipEscape(base, n, &i)
            } else if b < 0x20 {
                throw SyntaxError(offset: i, reason: Reason(.controlCharacter, describe(b)))
            } else {
                try skipUTF8Sequence(base, n, &i)
            }
        }
    }

    private func skipEscape(_ base: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws(SyntaxError) {
        switch JSONTape.escape(base, n, i) {
        case .valid(let length): i += length
        case .unterminated: throw SyntaxError(offset: i, reason: Reason(.unterminatedEscape))
        case .badHex: throw SyntaxError(offset: i, reason: Reason(.badHexEscape))
        case .unpairedHigh: throw SyntaxError(offset: i, reason: Reason(.unpairedHighSurrogate))
        case .loneLow: throw SyntaxError(offset: i, reason: Reason(.loneLowSurrogate))
        case .unknown: throw SyntaxError(offset: i, reason: Reason(.unknownEscape, "\(describeRaw(base[i + 1]))"))
        }
    }

    /// What the escape at `i` (a backslash) is: the one rule for escapes,
    /// used by the tape and by `LessonScanner`.
    enum Escape { case valid(length: Int), unterminated, badHex, unpairedHigh, loneLow, unknown }

    @inline(__always)
    static func escape(_ base: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> Escape {
        guard i + 1 < n else { return .unterminated }
        switch base[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return .valid(length: 2)
        case UInt8(ascii: "u"):
            guard let unit = JSONTape.hex4(base, n, i + 2) else { return .badHex }
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard i + 7 < n, base[i + 6] == UInt8(ascii: "\\"), base[i + 7] == UInt8(ascii: "u"),
                      let low = JSONTape.hex4(base, n, i + 8), low >= 0xDC00 && low <= 0xDFFF else { return .unpairedHigh }
                return .valid(length: 12)
            }
            if unit >= 0xDC00 && unit <= 0xDFFF { return .loneLow }
            return .valid(length: 6)
        default:
            return .unknown
        }
    }

    @inline(__always)
    static func hex4(_ base: UnsafePointer<UInt8>, _ n: Int, _ j: Int) -> UInt32? {
        guard j + 4 <= n else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = base[j + k]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no
    /// surrogates, nothing above U+10FFFF).
    @inline(__always)
    private func skipUTF8Sequence(_ base: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws(SyntaxError) {
        let len = JSONTape.utf8SequenceLength(base, n, i)
        guard len > 0 else {
            let b0 = base[i]
            if b0 < 0xC2 || b0 > 0xF4 {
                throw SyntaxError(offset: i, reason: Reason(.invalidUTF8Byte, "\(String(b0, radix: 16, uppercase: true))"))
            }
            throw SyntaxError(offset: i, reason: Reason(.invalidUTF8))
        }
        i += len
    }

    /// The high bit of each byte of `w` (little-endian) that is a quote, a
    /// backslash, a control character or non-ASCII: exact for the lowest
    /// flagged byte (borrows only run upwards), maybe not above it.
    @inline(__always)
    static func specialBytes(_ w: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080808080808080, ones: UInt64 = 0x0101010101010101
        let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
        let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
            | ((w &- ones &* 0x20) & ~w) | w
        return special & high
    }

    /// The first position at or after `i` holding a quote, a backslash, a
    /// control character or a non-ASCII byte (`n` if none): where a run of
    /// plain string content ends. 8 bytes at a time (SWAR); the lowest flagged
    /// byte of a word is exact, since borrows only run upwards. Shared with
    /// `LessonScanner`.
    @inline(__always)
    static func endOfPlainRun(_ base: UnsafePointer<UInt8>, _ n: Int, from start: Int) -> Int {
        var i = start
        while i + 8 <= n {
            let mask = specialBytes(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            if mask != 0 { return i + mask.trailingZeroBitCount >> 3 }
            i += 8
        }
        // Near the end of the line: byte by byte.
        while i < n {
            let b = base[i]
            if b >= 0x20 && b < 0x80 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") { i += 1 } else { break }
        }
        return i
    }

    /// The length of the valid multi-byte UTF-8 sequence at `i` (RFC 3629:
    /// no overlongs, no surrogates, nothing above U+10FFFF), or 0.
    @inline(__always)
    static func utf8SequenceLength(_ base: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> Int {
        let b0 = base[i]
        let len: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: len = 2
        case 0xE0: len = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: len = 3
        case 0xED: len = 3; hi = 0x9F
        case 0xF0: len = 4; lo = 0x90
        case 0xF1...0xF3: len = 4
        case 0xF4: len = 4; hi = 0x8F
        default: return 0
        }
        guard i + len <= n, base[i + 1] >= lo, base[i + 1] <= hi else { return 0 }
        for k in 2..<len where base[i + k] & 0xC0 != 0x80 { return 0 }
        return len
    }

    private func describe(_ b: UInt8) -> Reason.Value {
        if b >= 0x20 && b < 0x7F { return .reason(Reason(.character, "\(Character(Unicode.Scalar(b)))")) }
        return .reason(Reason(.byte, "\(b < 16 ? "0" : "")\(String(b, radix: 16, uppercase: true))"))
    }

    private func describeRaw(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? String(Character(Unicode.Scalar(b))) : "\\x" + String(b, radix: 16)
    }
}
