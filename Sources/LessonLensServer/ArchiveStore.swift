import Foundation
import NIOCore
import Synchronization
import LessonLensCore
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

    /// Why a write was not done. The archive is left as it was.
    public enum WriteError: Error, CustomStringConvertible {
        /// A write or fsync failed (500): the archive was cut back to what
        /// was acknowledged; the next request may work.
        case io(String)
        /// The archive is not this store's file any more (deleted, renamed,
        /// replaced, cut short by another program) (503): nothing is written
        /// until the server is restarted on the right file.
        case unavailable(String)

        public var description: String {
            switch self {
            case .io(let s), .unavailable(let s): return s
            }
        }
    }

    /// The system calls that make data durable, replaceable in tests to
    /// inject faults (a failing `write` or `fsync`).
    public struct Storage: Sendable {
        /// `write(2)`: bytes written, or -1 with `errno` set.
        public var write: @Sendable (Int32, UnsafeRawPointer, Int) -> Int
        /// `fsync(2)`: 0, or -1 with `errno` set.
        public var fsync: @Sendable (Int32) -> Int32
        /// The system's.
        public static let system = Storage(write: { Glibc.write($0, $1, $2) }, fsync: { Glibc.fsync($0) })
        /// Calls of one's own.
        public init(write: @escaping @Sendable (Int32, UnsafeRawPointer, Int) -> Int, fsync: @escaping @Sendable (Int32) -> Int32) {
            self.write = write
            self.fsync = fsync
        }
    }

    /// What a correction did (`PUT /api/lessons/ID`).
    public enum Revision: Sendable, Equatable {
        /// Stored as revision N (2 for the first correction).
        case revised(Int)
        /// The same bytes as the stored revision N.
        case unchanged(Int)
        /// No stored line has the id.
        case notFound
        /// The body's line breaks the format (its messages).
        case rejected([String])
        /// The body is not one line whose id is the one in the URL (why).
        case badBody(String)
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
    /// The open archive (replaced by a correction's rewrite).
    private var fd: Int32
    /// The device and inode `fd` is: the file at `path` must still be it.
    private var identity: (device: UInt64, inode: UInt64) { didSet { publishHealth() } }
    private let storage: Storage
    /// Set once the archive is found not to be this store's file any more.
    public private(set) var unavailable: String? { didSet { publishHealth() } }

    /// What `/api/health` says: the lessons stored and why the store is
    /// unavailable, if it is.
    public struct Health: Sendable {
        /// Lessons (or assignments) stored.
        public var lessons: Int
        /// Why nothing can be written, when the archive is not this store's file any more.
        public var unavailable: String?
    }

    /// Read without waiting for the store (a long post or an fsync must not
    /// hold up a health check), and checked against the file on disk: an
    /// archive deleted, renamed, replaced or cut short is said at once, not
    /// only when a write finds it.
    public nonisolated var health: Health {
        let (known, file) = healthState.withLock { ($0.health, $0.file) }
        guard known.unavailable == nil, let problem = Self.fileProblem(path: path, identity: file.identity, size: file.size) else { return known }
        return Health(lessons: known.lessons, unavailable: problem)
    }
    private nonisolated let healthState = Mutex((health: Health(lessons: 0, unavailable: nil),
                                                 file: (identity: (device: UInt64(0), inode: UInt64(0)), size: 0)))
    private func publishHealth() {
        let now = Health(lessons: stored.count, unavailable: unavailable)
        let file = (identity: identity, size: size)
        healthState.withLock { $0 = (now, file) }
    }

    /// Why the file at `path` is no longer the archive this store wrote
    /// (gone, another file, shorter than acknowledged), or nil.
    nonisolated static func fileProblem(path: String, identity: (device: UInt64, inode: UInt64), size: Int) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else {
            return "\(path) is gone (deleted or renamed while the server ran); move it back, or restart the server on the archive where it is now"
        }
        guard UInt64(st.st_dev) == identity.device, UInt64(st.st_ino) == identity.inode else {
            return "\(path) was replaced by another file while the server ran; restart the server on the archive"
        }
        if Int(st.st_size) < size {
            return "\(path) was cut short by another program (\(size) → \(st.st_size) bytes); restart the server on the archive"
        }
        return nil
    }
    /// Earlier versions of corrected lines: `FILE.history`, oldest first.
    public nonisolated var historyPath: String { path + ".history" }
    /// Id → its earlier versions' lines in the history file (offset, length).
    private var history: [ScalarIdentity: [(offset: Int, length: Int)]] = [:]
    /// Lessons: the teachers named (pages for others are answered without a scan).
    private var teachers: Set<String> = []
    /// Homework: each class's first grade, as `lessonlens homework` judges it.
    private var classGrades: [String: Int] = [:]
    /// Changes so far (appends and corrections), for caches keyed by content.
    public private(set) var generation = 0 { didSet { publishHealth() } }
    private let policy: Policy
    /// Stored lessons by id: where their line is, to compare bytes exactly.
    private var stored: [ScalarIdentity: (offset: Int, length: Int, hash: UInt64)] = [:]
    /// Lines in the file (every line, valid or not), and its size.
    public private(set) var lineCount = 0
    public private(set) var size = 0 { didSet { publishHealth() } }
    /// Messages about the archive found on opening (a partial last line moved aside, rejected lines).
    public nonisolated let startupNotes: [String]

    /// Opens (or creates) the archive, locks it, moves a partial last line
    /// aside to `FILE.partial-YYYYMMDDTHHMMSS`, and indexes the ids.
    public init(path: String, policy: Policy, kind: Kind = .lessons, storage: Storage = .system) throws {
        self.path = path
        self.policy = policy
        self.kind = kind
        self.storage = storage
        let existed = access(path, F_OK) == 0
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OpenError(description: "\(path): cannot open: \(String(cString: strerror(errno)))") }
        // A new file's name is durable only once its directory is.
        if !existed { Self.syncDirectory(of: path) }
        // A correction interrupted before its rename left its copy behind.
        unlink(path + ".revising")
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK ? "another lessonlens serve is using this archive (it is locked)" : String(cString: strerror(errno))
            Glibc.close(fd)
            throw OpenError(description: "\(path): \(reason)")
        }
        self.fd = fd
        identity = try Self.identity(fd: fd, path: path)
        var notes: [String] = existed ? [] : ["\(path) did not exist: a new, empty archive was created (if the group's archive was moved, stop and start the server on its new path)"]
        var size = try Self.fileSize(fd: fd, path: path)
        // A last line without its newline: a complete, valid line (written
        // by an editor or another program) gets its newline; anything else
        // was cut short by a crash and never acknowledged: it is kept beside
        // the archive, never dropped.
        let tail = try Self.read(fd: fd, path: path, offset: max(0, size - (1 << 20)), count: min(size, 1 << 20))
        var checker = LineChecker(kind: kind, policy: policy)
        if let last = tail.last, last != 0x0A {
            var cut = size - tail.count + ((tail.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0)
            if tail.lastIndex(of: 0x0A) == nil && size > tail.count {
                // A partial line longer than 1 MB: find its start.
                cut = try Self.lastNewlineEnd(fd: fd, path: path, before: size - tail.count)
            }
            let partial = try Self.read(fd: fd, path: path, offset: cut, count: size - cut)
            let complete = partial.withUnsafeBufferPointer { raw -> Bool in
                if case .success = checker.check(raw) { return true }
                return false
            }
            if complete {
                let newline: [UInt8] = [0x0A]
                guard newline.withUnsafeBytes({ storage.write(fd, $0.baseAddress!, 1) }) == 1, storage.fsync(fd) == 0 else {
                    Glibc.close(fd)
                    throw OpenError(description: "\(path): cannot add the newline after the last line: \(String(cString: strerror(errno)))")
                }
                notes.append("\(path): the last line had no newline; it is a complete line and was kept (the newline added)")
                size += 1
            } else {
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
        }
        // Index every valid line's id, as `check` (or `homework`) reads the file, a chunk at a time.
        var line = 0, rejected = 0
        var index: [ScalarIdentity: (offset: Int, length: Int, hash: UInt64)] = [:]
        var grades: [String: Int] = [:]
        var names: Set<String> = []
        try Self.forEachLine(fd: fd, path: path, size: size) { raw, offset in
            line += 1
            guard !Self.isBlank(raw) else { return }
            if case .success(let checked) = checker.check(raw), index[ScalarIdentity(checked.id)] == nil {
                index[ScalarIdentity(checked.id)] = (offset, raw.count, Self.hash(raw))
                if let c = checker.lastClass, grades[c.name] == nil { grades[c.name] = c.grade }
                if let t = checker.lastTeacher { names.insert(t) }
            } else {
                rejected += 1
            }
        }
        if rejected > 0 {
            let what = kind == .lessons ? "lessons (run lessonlens check on it)" : "assignments (run lessonlens homework on it)"
            notes.append("\(path): \(rejected) line\(rejected == 1 ? "" : "s") of the file are not valid \(what) or repeat an id; they are kept as they are")
        }
        stored = index
        classGrades = grades
        teachers = names
        lineCount = line
        self.size = size
        // Earlier versions of corrected lines. A correction interrupted after
        // saving the old version but before replacing the archive left that
        // version last in the history while the archive still holds it: it
        // is not an earlier version, and is not counted.
        if let hfd = Optional(Glibc.open(path + ".history", O_RDONLY | O_CLOEXEC)), hfd >= 0 {
            defer { Glibc.close(hfd) }
            var versions: [ScalarIdentity: [(offset: Int, length: Int)]] = [:]
            var lineChecker = LineChecker(kind: kind, policy: policy)
            try Self.forEachLine(fd: hfd, path: path + ".history", size: try Self.fileSize(fd: hfd, path: path + ".history")) { raw, offset in
                if case .success(let checked) = lineChecker.check(raw) {
                    versions[ScalarIdentity(checked.id), default: []].append((offset, raw.count))
                }
            }
            for (key, list) in versions {
                guard let current = stored[key], let last = list.last else { continue }
                let lastBytes = try Self.read(fd: hfd, path: path + ".history", offset: last.offset, count: last.length)
                let same = lastBytes.withUnsafeBufferPointer { Self.equal(fd: fd, offset: current.offset, $0) && current.length == $0.count }
                versions[key] = same ? Array(list.dropLast()) : list
            }
            history = versions.filter { !$0.value.isEmpty }
        }
        startupNotes = notes
        let count = stored.count, file = (identity: identity, size: size)
        healthState.withLock { $0 = (Health(lessons: count, unavailable: nil), file) }
    }

    deinit { Glibc.close(fd) }

    /// Lessons stored (valid, distinct ids).
    public var lessons: Int { stored.count }

    /// Checks the file is still the archive (else it is unavailable from
    /// now on, and this throws): for answers that do not read it.
    public func verify() throws { try checkFile() }

    /// Whether a stored line has the id.
    public func has(id: String) -> Bool { stored[ScalarIdentity(id)] != nil }

    /// Whether a stored lesson names the teacher.
    public func has(teacher: String) -> Bool { teachers.contains(teacher) }

    /// Validates each line of `body` as `lessonlens check` does and appends
    /// the new valid ones in one write, made durable with `fsync` before
    /// this returns.
    public func post(_ body: [UInt8]) throws -> [LineResult] {
        try store(Self.check(body, kind: kind, policy: policy))
    }

    /// A body's lines checked against the format, without the store: the
    /// costly part of a post, done before waiting for the store (so that a
    /// large post holds the store only to compare ids and write).
    public struct CheckedBody: Sendable {
        let bytes: ByteBuffer
        var lines: [CheckedLine] = []
    }

    struct CheckedLine: Sendable {
        var line: Int
        var range: Range<Int>
        var outcome: Outcome
        enum Outcome: Sendable {
            case rejected(id: String?, error: String)
            case valid(id: String, warnings: [String], hash: UInt64, teacher: String?, className: (name: String, grade: Int)?)
        }
    }

    /// Checks each line of `body` (any thread).
    public nonisolated static func check(_ body: [UInt8], kind: Kind, policy: Policy) -> CheckedBody {
        check(ByteBuffer(bytes: body), kind: kind, policy: policy)
    }

    /// Checks each line of a request's body as received (no copy).
    public nonisolated static func check(_ body: ByteBuffer, kind: Kind, policy: Policy) -> CheckedBody {
        var checked = CheckedBody(bytes: body)
        var checker = LineChecker(kind: kind, policy: policy)
        var lineNumber = 0
        var start = 0
        body.withUnsafeReadableBytes { raw in
            let all = UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count)
            // A byte order mark (a file saved by Excel or Notepad) is not part of the first line.
            if all.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
            while start < all.count {
                var end = all[start...].firstIndex(of: 0x0A) ?? all.count
                let next = end + 1
                if end > start && all[end - 1] == 0x0D { end -= 1 }
                lineNumber += 1
                let raw = UnsafeBufferPointer(rebasing: all[start..<end])
                defer { start = next }
                if isBlank(raw) { continue }
                switch checker.check(raw) {
                case .failure(let error):
                    checked.lines.append(CheckedLine(line: lineNumber, range: start..<end,
                                                     outcome: .rejected(id: idGuess(raw), error: "\(error.field): \(error.reason)")))
                case .success(let lesson):
                    checked.lines.append(CheckedLine(line: lineNumber, range: start..<end, outcome: .valid(
                        id: lesson.id, warnings: lesson.warnings.map { "\($0.field): \($0.reason)" }, hash: hash(raw),
                        teacher: checker.lastTeacher, className: checker.lastClass)))
                }
            }
        }
        return checked
    }

    /// Stores the valid lines of a checked body: new ids appended in one
    /// write, made durable with `fsync` before this returns; the same line
    /// again is a duplicate, other content under a stored id a conflict.
    public func store(_ checked: CheckedBody) throws -> [LineResult] {
        try checkFile()
        var results: [LineResult] = []
        var append: [UInt8] = []
        var pending: [ScalarIdentity: (start: Int, length: Int, hash: UInt64)] = [:]  // within this body, offsets into `append`
        checked.bytes.withUnsafeReadableBytes { bytes in
            let all = UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
            for line in checked.lines {
                let raw = UnsafeBufferPointer(rebasing: all[line.range])
                switch line.outcome {
                case .rejected(let id, let error):
                    results.append(LineResult(line: line.line, id: id, status: .rejected, errors: [error], warnings: []))
                case .valid(let id, let warnings, let h, let teacher, let className):
                    var warningTexts = warnings
                    if let c = className {
                        // A class given a second grade: the first one's limit applies (as the CLI warns).
                        if let first = classGrades[c.name], first != c.grade {
                            warningTexts.append("grade: " + Reason(.classTwoGrades, "\(c.name)", "\(c.grade)", "\(first)").description)
                        } else if classGrades[c.name] == nil, stored[ScalarIdentity(id)] == nil {
                            classGrades[c.name] = c.grade
                        }
                    }
                    let key = ScalarIdentity(id)
                    if let known = stored[key] {
                        let same = known.hash == h && known.length == raw.count && Self.equal(fd: fd, offset: known.offset, raw)
                        results.append(LineResult(line: line.line, id: id, status: same ? .duplicate : .conflict,
                                                  errors: same ? [] : ["id: \(kind == .lessons ? "a lesson" : "an assignment") with id \"\(id)\" is already stored with other content"],
                                                  warnings: warningTexts))
                    } else if let earlier = pending[key] {
                        let same = earlier.hash == h && earlier.length == raw.count
                            && append[earlier.start..<(earlier.start + earlier.length)].elementsEqual(raw)
                        results.append(LineResult(line: line.line, id: id, status: same ? .duplicate : .conflict,
                                                  errors: same ? [] : ["id: duplicate id \"\(id)\" in this request with other content"],
                                                  warnings: warningTexts))
                    } else {
                        pending[key] = (append.count, raw.count, h)
                        if let teacher { teachers.insert(teacher) }
                        append.append(contentsOf: raw)
                        append.append(0x0A)
                        results.append(LineResult(line: line.line, id: id, status: .stored, errors: [], warnings: warningTexts))
                    }
                }
            }
        }
        if !append.isEmpty {
            // One write of whole lines, then fsync: acknowledged only on disk.
            try writeDurably(append)
            for (key, p) in pending { stored[key] = (size + p.start, p.length, p.hash) }
            size += append.count
            lineCount += pending.count
            generation += 1
        }
        return results
    }

    /// Appends `bytes` and makes them durable; on any failure the archive is
    /// cut back to its acknowledged size, byte for byte as it was, and the
    /// error says why (a 500 for the client, who may retry).
    private func writeDurably(_ bytes: [UInt8]) throws {
        var done = 0
        func fail(_ what: String) -> WriteError {
            let reason = String(cString: strerror(errno))
            // Leave nothing unacknowledged behind for the next append.
            _ = ftruncate(fd, off_t(size))
            _ = storage.fsync(fd)
            return .io("\(path): \(what) failed (\(reason)); nothing was stored, the archive is as it was")
        }
        try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
            while done < raw.count {
                let n = storage.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw fail("write")
                }
                if n == 0 { errno = EIO; throw fail("write") }
                done += n
            }
        }
        guard storage.fsync(fd) == 0 else { throw fail("fsync") }
    }

    /// Before a write: the file at `path` must still be the one this store
    /// opened (else 503 from now on, and nothing is written anywhere), and
    /// lines another program appended are indexed first, as on start.
    private func checkFile() throws {
        if let unavailable { throw WriteError.unavailable(unavailable) }
        if let problem = Self.fileProblem(path: path, identity: identity, size: size) { try markUnavailable(problem) }
        var st = stat()
        guard stat(path, &st) == 0 else { try markUnavailable("\(path) is gone") }
        let now = Int(st.st_size)
        guard now > size else { return }
        // Appended by another program: complete lines are indexed like the
        // server's own (valid ones by id, others counted as lines); an
        // incomplete last line means the other program is still writing.
        let added = try Self.read(fd: fd, path: path, offset: size, count: now - size)
        guard added.last == 0x0A else {
            throw WriteError.io("\(path): another program is appending to the archive (its last line has no newline yet); try again")
        }
        var checker = LineChecker(kind: kind, policy: policy)
        var offset = size
        for line in added.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            let bytes = Array(line)
            lineCount += 1
            let result = bytes.withUnsafeBufferPointer { checker.check($0) }
            if case .success(let checked) = result, stored[ScalarIdentity(checked.id)] == nil {
                stored[ScalarIdentity(checked.id)] = (offset, bytes.count, bytes.withUnsafeBufferPointer { Self.hash($0) })
                if let t = checker.lastTeacher { teachers.insert(t) }
            }
            offset += line.count + 1
        }
        size = now
        generation += 1
        FileHandle.standardError.write(Data("lessonlens: \(path): \(added.count) bytes appended by another program were indexed\n".utf8))
    }

    private func markUnavailable(_ reason: String) throws -> Never {
        unavailable = reason
        FileHandle.standardError.write(Data("lessonlens: error: \(reason)\n".utf8))
        throw WriteError.unavailable(reason)
    }

    /// A descriptor of the archive as it is now and its size: a consistent
    /// view for a reader while appends and corrections go on (the caller
    /// closes it).
    public func snapshot() throws -> (fd: Int32, size: Int) {
        // Readers too see only the archive as it is: gone or cut short is a
        // 503, another program's appended lines are indexed first.
        try checkFile()
        let copy = dup(fd)
        guard copy >= 0 else { throw WriteError.io("\(path): cannot read: \(String(cString: strerror(errno)))") }
        return (copy, size)
    }

    // MARK: Corrections

    /// Replaces the stored line with id `id` by `body` (one line with that
    /// id): the old version is appended to `FILE.history` and made durable,
    /// then the archive is rewritten beside itself with the new line in the
    /// old one's place, made durable and renamed over the archive, so that a
    /// crash at any moment leaves the old or the new version, never neither
    /// or both. Every reader of the archive sees the corrected line only.
    public func revise(id: String, body: [UInt8]) throws -> Revision {
        try checkFile()
        let key = ScalarIdentity(id)
        guard let old = stored[key] else { return .notFound }
        let body = body.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(body.dropFirst(3)) : body
        var lines = body.split(separator: 0x0A, omittingEmptySubsequences: true).map { line -> ArraySlice<UInt8> in
            line.last == 0x0D ? line.dropLast() : line
        }
        lines.removeAll { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
        guard lines.count == 1, let line = lines.first.map(Array.init) else {
            return .badBody("the body must be one line, the corrected lesson, got \(lines.count)")
        }
        var checker = LineChecker(kind: kind, policy: policy)
        let checked: (id: String, warnings: [FieldIssue])
        switch line.withUnsafeBufferPointer({ checker.check($0) }) {
        case .failure(let error): return .rejected(["\(error.field): \(error.reason)"])
        case .success(let c): checked = c
        }
        guard checked.id == id else { return .badBody("the body's id \"\(checked.id)\" is not the id in the URL \"\(id)\"") }
        let revision = (history[key]?.count ?? 0) + 1
        let h = line.withUnsafeBufferPointer { Self.hash($0) }
        if h == old.hash, line.count == old.length, line.withUnsafeBufferPointer({ Self.equal(fd: fd, offset: old.offset, $0) }) {
            return .unchanged(revision)
        }
        let oldBytes = try Self.read(fd: fd, path: path, offset: old.offset, count: old.length)
        // 1. The old version, durable in the history before anything changes.
        let hfd = Glibc.open(historyPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard hfd >= 0 else { throw WriteError.io("\(historyPath): cannot open: \(String(cString: strerror(errno)))") }
        defer { Glibc.close(hfd) }
        let historySize = try Self.fileSize(fd: hfd, path: historyPath)
        let entry = oldBytes + [0x0A]
        let wrote = entry.withUnsafeBytes { storage.write(hfd, $0.baseAddress!, $0.count) }
        guard wrote == entry.count, storage.fsync(hfd) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = ftruncate(hfd, off_t(historySize))
            throw WriteError.io("\(historyPath): saving the earlier version failed (\(reason)); nothing was changed")
        }
        if historySize == 0 { Self.syncDirectory(of: historyPath) }
        // 2. The archive rewritten beside itself, durable, then renamed over it.
        let copyPath = path + ".revising"
        let cfd = Glibc.open(copyPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard cfd >= 0 else { throw WriteError.io("\(copyPath): cannot create: \(String(cString: strerror(errno)))") }
        var ok = true
        func put(_ bytes: [UInt8]) {
            guard ok, !bytes.isEmpty else { return }
            ok = bytes.withUnsafeBytes { storage.write(cfd, $0.baseAddress!, $0.count) } == bytes.count
        }
        var at = 0
        while ok && at < old.offset {
            put(try Self.read(fd: fd, path: path, offset: at, count: min(4 << 20, old.offset - at)))
            at += min(4 << 20, old.offset - at)
        }
        put(line)
        at = old.offset + old.length
        while ok && at < size {
            put(try Self.read(fd: fd, path: path, offset: at, count: min(4 << 20, size - at)))
            at += min(4 << 20, size - at)
        }
        ok = ok && storage.fsync(cfd) == 0
        let reason = String(cString: strerror(errno))
        Glibc.close(cfd)
        guard ok else {
            unlink(copyPath)
            _ = ftruncate(hfd, off_t(historySize))
            throw WriteError.io("\(path): writing the corrected archive failed (\(reason)); nothing was changed")
        }
        let nfd = Glibc.open(copyPath, O_RDWR | O_APPEND | O_CLOEXEC)
        guard nfd >= 0, flock(nfd, LOCK_EX | LOCK_NB) == 0 else {
            if nfd >= 0 { Glibc.close(nfd) }
            unlink(copyPath)
            _ = ftruncate(hfd, off_t(historySize))
            throw WriteError.io("\(path): cannot lock the corrected archive; nothing was changed")
        }
        guard rename(copyPath, path) == 0 else {
            let why = String(cString: strerror(errno))
            Glibc.close(nfd)
            unlink(copyPath)
            _ = ftruncate(hfd, off_t(historySize))
            throw WriteError.io("\(path): replacing the archive failed (\(why)); nothing was changed")
        }
        Self.syncDirectory(of: path)
        // The store now holds the new file.
        Glibc.close(fd)
        fd = nfd
        identity = try Self.identity(fd: nfd, path: path)
        let delta = line.count - old.length
        for (k, v) in stored where v.offset > old.offset { stored[k] = (v.offset + delta, v.length, v.hash) }
        stored[key] = (old.offset, line.count, h)
        if let t = checker.lastTeacher { teachers.insert(t) }
        history[key, default: []].append((historySize, oldBytes.count))
        size += delta
        generation += 1
        return .revised(revision + 1)
    }

    /// Every version of the line with id `id`, oldest first, the current one
    /// last, as JSON Lines; nil when no stored line has the id.
    public func versions(of id: String) throws -> [UInt8]? {
        let key = ScalarIdentity(id)
        guard let current = stored[key] else { return nil }
        var out: [UInt8] = []
        if let earlier = history[key], !earlier.isEmpty {
            let hfd = Glibc.open(historyPath, O_RDONLY | O_CLOEXEC)
            guard hfd >= 0 else { throw WriteError.io("\(historyPath): cannot open: \(String(cString: strerror(errno)))") }
            defer { Glibc.close(hfd) }
            for v in earlier { out += try Self.read(fd: hfd, path: historyPath, offset: v.offset, count: v.length) + [0x0A] }
        }
        out += try Self.read(fd: fd, path: path, offset: current.offset, count: current.length) + [0x0A]
        return out
    }

    static func identity(fd: Int32, path: String) throws -> (device: UInt64, inode: UInt64) {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw OpenError(description: "\(path): cannot stat: \(String(cString: strerror(errno)))") }
        return (UInt64(st.st_dev), UInt64(st.st_ino))
    }

    /// fsync of the directory holding `path`: a created or renamed name is
    /// durable only then.
    static func syncDirectory(of path: String) {
        let dir = (path as NSString).deletingLastPathComponent
        let dfd = Glibc.open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { return }
        _ = Glibc.fsync(dfd)
        Glibc.close(dfd)
    }

    /// Where the archive's lines after its first `since` start, and the
    /// size it has now: a consistent view while appends go on.
    /// With a descriptor of the file it is in (the caller closes it): a
    /// correction may replace the archive's file meanwhile.
    public func range(afterLines since: Int) throws -> (fd: Int32, offset: Int, end: Int) {
        try checkFile()
        var offset = 0, seen = 0
        if since > 0 {
            try Self.forEachLine(fd: fd, path: path, size: size) { raw, start in
                if seen < since { seen += 1; offset = start + raw.count + 1 }
            }
        }
        let (copy, end) = try snapshot()
        return (copy, min(offset, end), end)
    }

    /// Reads `[offset, end)` of `fd` (from `range`, closed here) in pieces
    /// of at most `chunk` bytes.
    public nonisolated func read(_ fd: Int32, from offset: Int, to end: Int, chunk: Int = 1 << 20,
                                 _ body: ([UInt8]) async throws -> Void) async throws {
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

    /// The class and grade of the last assignment checked (homework only).
    private(set) var lastClass: (name: String, grade: Int)?
    /// The teacher of the last line checked.
    private(set) var lastTeacher: String?

    mutating func check(_ raw: UnsafeBufferPointer<UInt8>) -> Result<(id: String, warnings: [FieldIssue]), FieldIssue> {
        var warnings: [FieldIssue] = []
        do throws(FieldIssue) {
            switch kind {
            case .homework:
                let a = try assignments.decode(raw, warnings: &warnings)
                lastClass = (a.className, a.grade)
                lastTeacher = a.teacher
                return .success((a.id, warnings))
            case .lessons:
                let lesson = try lessons.decode(raw, warnings: &warnings)
                _ = try evaluator.evaluate(lesson, policy: policy)
                lastTeacher = lesson.teacher
                warnings += policy.implausibilities(durationMin: lesson.durationMin, enrolled: lesson.enrolled, present: lesson.present,
                                                    rosterCount: lesson.students?.count, passes: lesson.segments.lazy.map { $0.passes ?? -1 })
                return .success((lesson.id, warnings))
            }
        } catch {
            return .failure(error)
        }
    }
}
