/// Recognizes, from the first bytes of an input, files that are not JSON
/// Lines at all, so that one message says so and how to convert the file
/// (instead of one confusing message per line).
public enum FileShape {
    /// What is wrong with the whole file, or nil when its head looks like
    /// JSON Lines (line-level messages then tell the rest). `name` is the
    /// file's name as the user gave it, for the commands in the message.
    /// `wholeInput`: the head is all there is (else its last line may be cut).
    public static func problem(head: [UInt8], name: String, wholeInput: Bool = false) -> Reason? {
        let file = name == "standard input" ? "FILE" : shellQuoted(name)
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
            return Reason(.fileUTF16, "\(file)")
        }
        if looksLikeGB18030(head) {
            return Reason(.fileGB18030, "\(file)")
        }
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return nil }
        let lineEnd = bytes[first...].firstIndex(of: 0x0A) ?? bytes.endIndex
        // A first line longer than the head cannot be judged: the lines tell.
        guard lineEnd < bytes.endIndex || wholeInput else { return nil }
        let firstLine = bytes[first..<lineEnd]
        let rest = lineEnd < bytes.endIndex ? bytes[(lineEnd + 1)...] : bytes[bytes.endIndex...]
        let next = rest.firstIndex(where: { !isSpace($0) }).map { rest[$0] }
        // One JSON array: over many lines (the first does not close it), or
        // alone on its line. A line `[...]` among lessons is that line's error.
        if bytes[first] == UInt8(ascii: "["), !balanced(firstLine) || next == nil {
            return Reason(.fileJSONArray, "\(file)")
        }
        // Pretty-printed: the first line opens an object that it does not close.
        // ...and the next line goes on with a key or a closer (a JSON Lines
        // file whose first line was cut short goes on with `{`: not this).
        if bytes[first] == UInt8(ascii: "{"), !balanced(firstLine),
           let next, next == UInt8(ascii: "\"") || next == UInt8(ascii: "}") || next == UInt8(ascii: "]") {
            return Reason(.filePretty, "\(file)")
        }
        return nil
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    /// Whether the braces and brackets of a line (outside strings) close.
    private static func balanced(_ line: ArraySlice<UInt8>) -> Bool {
        var depth = 0, inString = false, escaped = false
        for b in line {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return depth <= 0
    }

    /// Invalid as UTF-8 in many places, and nearly every high byte is part
    /// of a GB18030 two-byte pair (lead 0x81-0xFE, trail 0x40-0xFE).
    static func looksLikeGB18030(_ head: [UInt8]) -> Bool {
        var invalid = 0, high = 0, paired = 0
        var k = 0
        while k < head.count {
            let b = head[k]
            if b < 0x80 { k += 1; continue }
            high += 1
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0
            var valid = length > 0 && k + length <= head.count
            if valid { for j in 1..<length where head[k + j] & 0xC0 != 0x80 { valid = false } }
            if valid { k += length; continue }
            if k + length > head.count && length > 0 { break }   // cut at the end of the head
            invalid += 1
            if b >= 0x81 && b <= 0xFE && k + 1 < head.count && head[k + 1] >= 0x40 && head[k + 1] <= 0xFE {
                paired += 1
                k += 2
            } else {
                k += 1
            }
        }
        return invalid >= 3 && paired * 10 >= invalid * 9 && high > 0
    }

    private static func shellQuoted(_ s: String) -> String {
        s.allSatisfy { $0.isLetter || $0.isNumber || "._-/".contains($0) } ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
