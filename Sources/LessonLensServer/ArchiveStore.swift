import Foundation
import LessonLensCore
import LessonLensGenerator
import LessonLensOutput
import LessonLensStatistics
#if canImport(Glibc)
import Glibc
#endif

/// The archive file as the server's store: an observation-log-v1 JSON Lines
/// file that every other command reads. Accepted lessons are appended one
/// line each and acknowledged only once their bytes are on disk (`fsync`).
/// The file is locked (`flock`, exclusive) for the life of the store, so a
/// second server on the same archive refuses to start.
public actor ArchiveStore {
    /// Why the store could not be opened.
    public struct OpenError: Error, CustomStringConvertible {
        public var description: String
    }

    /// One line of a POST body and what became of it.
    public struct LineResult: Sendable {
        public enum Status: String, Sendable { case stored, duplicate, conflict, rejected }
        public var line: Int
        public var id: String?
        public var status: Status
        public var errors: [String]
        public var warnings: [String]
    }

    /// What the file holds.
    public enum Kind: Sendable {
        /// observation-log-v1 lessons (`POST /api/lessons`).
        case lessons
        /// homework-log-v1 assignments (`POST /api/homework`, `serve --homework`).
        case homework
    }

    public nonisolated let path: String
    /// Lessons or assignments.
    public nonisolated let kind: Kind
    private let fd: Int32
    private let policy: Policy
    /// Stored lessons by id: where their line is, to compare bytes exactly.
    private var stored: [ScalarIdentity: (offset: Int, length: Int, hash: UInt64)] = [:]
    /// Lines in the file (every line, valid or not), and its size.
    public private(set) var lineCount = 0
    public private(set) var size = 0
    /// Messages about the archive found on opening (a partial last line moved aside, rejected lines).
    public nonisolated let startupNotes: [String]

    /// Opens (or creates) the archive, locks it, moves a partial last line
    /// aside to `FILE.partial-YYYYMMDDTHHMMSS`, and indexes the ids.
    public init(path: String, policy: Policy, kind: Kind = .lessons) throws {
        self.path = path
        self.policy = policy
        self.kind = kind
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OpenError(description: "\(path): cannot open: \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK ? "another lessonlens serve is using this archive (it is locked)" : String(cString: strerror(errno))
            Glibc.close(fd)
            throw OpenError(description: "\(path): \(reason)")
        }
        self.fd = fd
        var notes: [String] = []
        var size = try Self.fileSize(fd: fd, path: path)
        // A last line without its newline was cut short by a crash: it was
        // never acknowledged. Keep it beside the archive, never drop it.
        let tail = try Self.read(fd: fd, path: path, offset: max(0, size - (1 << 20)), count: min(size, 1 << 20))
        if let last = tail.last, last != 0x0A {
            var cut = size - tail.count + ((tail.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0)
            if tail.lastIndex(of: 0x0A) == nil && size > tail.count {
                // A partial line longer than 1 MB: find its start.
                cut = try Self.lastNewlineEnd(fd: fd, path: path, before: size - tail.count)
            }
            let partial = try Self.read(fd: fd, path: path, offset: cut, count: size - cut)
            let aside = path + ".partial-" + Self.timestamp()
            guard FileManager.default.createFile(atPath: aside, contents: Data(partial)) else {
                Glibc.close(fd)
                throw OpenError(description: "\(aside): cannot write the partial last line aside")
            }
            guard ftruncate(fd, off_t(cut)) == 0, fsync(fd) == 0 else {
                Glibc.close(fd)
                throw OpenError(description: "\(path): cannot truncate the partial last line: \(String(cString: strerror(errno)))")
            }
            notes.append("\(path): the last line (\(partial.count) bytes) was cut short, probably by a crash; moved aside to \(aside)")
            size = cut
        }
        // Index every valid line's id, as `check` (or `homework`) reads the file, a chunk at a time.
        var checker = LineChecker(kind: kind, policy: policy)
        var line = 0, rejected = 0
        var index: [ScalarIdentity: (offset: Int, length: Int, hash: UInt64)] = [:]
        try Self.forEachLine(fd: fd, path: path, size: size) { raw, offset in
            line += 1
            guard !Self.isBlank(raw) else { return }
            if case .success(let checked) = checker.check(raw), index[ScalarIdentity(checked.id)] == nil {
                index[ScalarIdentity(checked.id)] = (offset, raw.count, Self.hash(raw))
            } else {
                rejected += 1
            }
        }
        if rejected > 0 {
            let what = kind == .lessons ? "lessons (run lessonlens check on it)" : "assignments (run lessonlens homework on it)"
            notes.append("\(path): \(rejected) line\(rejected == 1 ? "" : "s") of the file are not valid \(what) or repeat an id; they are kept as they are")
        }
        stored = index
        lineCount = line
        self.size = size
        startupNotes = notes
    }

    deinit { Glibc.close(fd) }

    /// Lessons stored (valid, distinct ids).
    public var lessons: Int { stored.count }

    /// Validates each line of `body` as `lessonlens check` does and appends
    /// the new valid ones in one write, made durable with `fsync` before
    /// this returns.
    public func post(_ body: [UInt8]) throws -> [LineResult] {
        var results: [LineResult] = []
        var checker = LineChecker(kind: kind, policy: policy)
        var append: [UInt8] = []
        var pending: [ScalarIdentity: (start: Int, length: Int, hash: UInt64)] = [:]  // within this body, offsets into `append`
        var lineNumber = 0
        var start = 0
        body.withUnsafeBufferPointer { all in
            while start < all.count {
                var end = all[start...].firstIndex(of: 0x0A) ?? all.count
                let next = end + 1
                if end > start && all[end - 1] == 0x0D { end -= 1 }
                lineNumber += 1
                let raw = UnsafeBufferPointer(rebasing: all[start..<end])
                start = next
                if Self.isBlank(raw) { continue }
                let lesson: (id: String, warnings: [FieldIssue])
                switch checker.check(raw) {
                case .failure(let error):
                    results.append(LineResult(line: lineNumber, id: Self.idGuess(raw), status: .rejected,
                                              errors: ["\(error.field): \(error.reason)"], warnings: []))
                    continue
                case .success(let checked):
                    lesson = checked
                }
                let warningTexts = lesson.warnings.map { "\($0.field): \($0.reason)" }
                let key = ScalarIdentity(lesson.id)
                let h = Self.hash(raw)
                if let known = stored[key] {
                    let same = known.hash == h && known.length == raw.count && Self.equal(fd: fd, offset: known.offset, raw)
                    results.append(LineResult(line: lineNumber, id: lesson.id, status: same ? .duplicate : .conflict,
                                              errors: same ? [] : ["id: \(kind == .lessons ? "a lesson" : "an assignment") with id \"\(lesson.id)\" is already stored with other content"],
                                              warnings: warningTexts))
                } else if let earlier = pending[key] {
                    let same = earlier.hash == h && earlier.length == raw.count
                        && append[earlier.start..<(earlier.start + earlier.length)].elementsEqual(raw)
                    results.append(LineResult(line: lineNumber, id: lesson.id, status: same ? .duplicate : .conflict,
                                              errors: same ? [] : ["id: duplicate id \"\(lesson.id)\" in this request with other content"],
                                              warnings: warningTexts))
                } else {
                    pending[key] = (append.count, raw.count, h)
                    append.append(contentsOf: raw)
                    append.append(0x0A)
                    results.append(LineResult(line: lineNumber, id: lesson.id, status: .stored, errors: [], warnings: warningTexts))
                }
            }
        }
        if !append.isEmpty {
            // One write of whole lines, then fsync: acknowledged only on disk.
            try writeAll(append)
            guard fsync(fd) == 0 else { throw OpenError(description: "\(path): fsync failed: \(String(cString: strerror(errno)))") }
            for (key, p) in pending { stored[key] = (size + p.start, p.length, p.hash) }
            size += append.count
            lineCount += pending.count
        }
        return results
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var done = 0
        try bytes.withUnsafeBytes { raw in
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    let reason = String(cString: strerror(errno))
                    // Leave no partial line behind for the next append.
                    _ = ftruncate(fd, off_t(size))
                    throw OpenError(description: "\(path): write failed: \(reason)")
                }
                done += n
            }
        }
    }

    /// Where the archive's lines after its first `since` start, and the
    /// size it has now: a consistent view while appends go on.
    public func range(afterLines since: Int) throws -> (offset: Int, end: Int) {
        var offset = 0, seen = 0
        if since > 0 {
            try Self.forEachLine(fd: fd, path: path, size: size) { raw, start in
                if seen < since { seen += 1; offset = start + raw.count + 1 }
            }
        }
        return (min(offset, size), size)
    }

    /// Reads `[offset, end)` of the archive in pieces of at most `chunk` bytes.
    public nonisolated func read(from offset: Int, to end: Int, chunk: Int = 1 << 20,
                                 _ body: ([UInt8]) async throws -> Void) async throws {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OpenError(description: "\(path): cannot open: \(String(cString: strerror(errno)))") }
        defer { Glibc.close(fd) }
        var at = offset
        while at < end {
            let piece = try Self.read(fd: fd, path: path, offset: at, count: min(chunk, end - at))
            at += piece.count
            try await body(piece)
        }
    }

    // MARK: Helpers

    static func fileSize(fd: Int32, path: String) throws -> Int {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw OpenError(description: "\(path): cannot stat: \(String(cString: strerror(errno)))") }
        return Int(st.st_size)
    }

    static func read(fd: Int32, path: String, offset: Int, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        try bytes.withUnsafeMutableBytes { raw in
            while done < count {
                let n = pread(fd, raw.baseAddress! + done, count - done, off_t(offset + done))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw OpenError(description: "\(path): read failed: \(n < 0 ? String(cString: strerror(errno)) : "the file shrank")") }
                done += n
            }
        }
        return bytes
    }

    /// Calls `body` with each line (without its newline) of the first `size`
    /// bytes and the line's offset, reading 4 MB at a time.
    static func forEachLine(fd: Int32, path: String, size: Int,
                            _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        var carry: [UInt8] = [], carryOffset = 0, at = 0
        while at < size {
            let chunk = try read(fd: fd, path: path, offset: at, count: min(4 << 20, size - at))
            var start = 0
            while let nl = chunk[start...].firstIndex(of: 0x0A) {
                if carry.isEmpty {
                    try chunk.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<nl]), at + start) }
                } else {
                    carry.append(contentsOf: chunk[start..<nl])
                    try carry.withUnsafeBufferPointer { try body($0, carryOffset) }
                    carry.removeAll(keepingCapacity: true)
                }
                start = nl + 1
            }
            if start < chunk.count {
                if carry.isEmpty { carryOffset = at + start }
                carry.append(contentsOf: chunk[start...])
            }
            at += chunk.count
        }
        if !carry.isEmpty { try carry.withUnsafeBufferPointer { try body($0, carryOffset) } }
    }

    /// The offset just after the last newline before `end` (0 when none).
    static func lastNewlineEnd(fd: Int32, path: String, before end: Int) throws -> Int {
        var at = end
        while at > 0 {
            let from = max(0, at - (1 << 20))
            let piece = try read(fd: fd, path: path, offset: from, count: at - from)
            if let nl = piece.lastIndex(of: 0x0A) { return from + nl + 1 }
            at = from
        }
        return 0
    }

    static func equal(fd: Int32, offset: Int, _ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        var bytes = [UInt8](repeating: 0, count: raw.count)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, raw.count, off_t(offset)) }
        return n == raw.count && bytes.elementsEqual(raw)
    }

    static func hash(_ raw: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = HashConstants.fnvOffsetBasis
        for b in raw { h = (h ^ UInt64(b)) &* HashConstants.fnvPrime }
        return h
    }

    static func isBlank(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        raw.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// The id of a rejected line when it can still be read, for the response.
    static func idGuess(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any] else { return nil }
        return object["id"] as? String
    }

    static func timestamp() -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))"
    }
}

/// Checks one line of the store's kind as the command line does: a lesson
/// decoded and evaluated (with the policy's plausibility warnings), an
/// assignment decoded. Gives its id and warnings, or the first error.
private struct LineChecker {
    let kind: ArchiveStore.Kind
    let policy: Policy
    private var lessons = LessonDecoder()
    private var evaluator = LessonEvaluator()
    private var assignments = HomeworkDecoder()

    init(kind: ArchiveStore.Kind, policy: Policy) {
        self.kind = kind
        self.policy = policy
    }

    mutating func check(_ raw: UnsafeBufferPointer<UInt8>) -> Result<(id: String, warnings: [FieldIssue]), FieldIssue> {
        var warnings: [FieldIssue] = []
        do throws(FieldIssue) {
            switch kind {
            case .homework:
                let a = try assignments.decode(raw, warnings: &warnings)
                return .success((a.id, warnings))
            case .lessons:
                let lesson = try lessons.decode(raw, warnings: &warnings)
                _ = try evaluator.evaluate(lesson, policy: policy)
                warnings += policy.implausibilities(durationMin: lesson.durationMin, enrolled: lesson.enrolled, present: lesson.present,
                                                    rosterCount: lesson.students?.count, passes: lesson.segments.lazy.map { $0.passes ?? -1 })
                return .success((lesson.id, warnings))
            }
        } catch {
            return .failure(error)
        }
    }
}
