import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Reads homework ledgers in input order: each line decoded
/// (`HomeworkDecoder`), a repeated id rejected, a class given a second grade
/// warned about (the first is kept for its limit). Nothing is dropped
/// silently: every line is accepted, rejected or blank.
///
/// `read` decodes chunks of lines on worker threads, as `LessonStream` does
/// for lessons, and decides duplicates and grades on the caller's thread in
/// input order; `process` reads one line on the caller's thread.
///
/// A struct, not a class: its tables change for every line, and a class's
/// stored properties pay a dynamic exclusivity check on each change.
public struct HomeworkStream {
    /// What became of a line.
    public enum Event {
        /// The assignment, with the class's grade (the first line's for the class).
        case accepted(HomeworkAssignment, classGrade: Int)
        /// The line's error.
        case rejected(Diagnostic)
        /// A warning; the line may still be accepted.
        case warning(Diagnostic)
    }

    /// Lines accepted, rejected and warnings given so far.
    public private(set) var counts = StreamCounts()
    private var decoder = HomeworkDecoder()
    private var ids = AcceptedIDs()
    /// Class → the grade of its first accepted assignment.
    private var classGrades: [String: Int] = [:]
    /// (class, grade) pairs already warned about.
    private var warnedGrades: Set<String> = []
    private var warnings: [FieldIssue] = []
    /// The last line's class and its grade (ledgers come class by class).
    private var lastClass: (name: String, grade: Int)?

    /// A stream with nothing read.
    public init() {}

    /// Makes room for about `expected` assignments up front: growing the
    /// duplicate-id table while reading holds the old and the new table at
    /// once (most of a large ledger's peak memory).
    public mutating func reserve(_ expected: Int) { ids.reserve(expected) }

    /// Reads one line (without its newline) of `file`. A carriage return
    /// before the newline and a byte order mark on line 1 are ignored;
    /// blank lines are skipped.
    public mutating func process(_ line: UnsafeBufferPointer<UInt8>, file: String, line number: Int,
                                 _ emit: (Event) throws -> Void) rethrows {
        guard let bytes = HomeworkStream.content(of: line, first: number == 1) else { return }
        warnings.removeAll(keepingCapacity: true)
        let decoded: Result<HomeworkAssignment, FieldIssue>
        do throws(FieldIssue) { decoded = .success(try decoder.decode(bytes, warnings: &warnings)) }
        catch { decoded = .failure(error) }
        try accept(decoded, warnings: warnings, file: file, line: number, emit)
    }

    /// The line without a byte order mark (line 1), a final carriage return
    /// and, when nothing but spaces and tabs is left, nil.
    static func content(of line: UnsafeBufferPointer<UInt8>, first: Bool) -> UnsafeBufferPointer<UInt8>? {
        var bytes = line
        if first, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            bytes = UnsafeBufferPointer(rebasing: bytes[3...])
        }
        if let last = bytes.last, last == 0x0D { bytes = UnsafeBufferPointer(rebasing: bytes.dropLast()) }
        return bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) ? bytes : nil
    }

    /// What follows a decoded line, in input order: its warnings, then the
    /// duplicate-id and class-grade decisions.
    private mutating func accept(_ decoded: Result<HomeworkAssignment, FieldIssue>, warnings: [FieldIssue],
                                 file: String, line number: Int, _ emit: (Event) throws -> Void) rethrows {
        for w in warnings {
            counts.warnings += 1
            try emit(.warning(Diagnostic(severity: .warning, file: file, line: number, issue: w)))
        }
        switch decoded {
        case .failure(let issue):
            counts.rejected += 1
            try emit(.rejected(Diagnostic(severity: .error, file: file, line: number, issue: issue)))
        case .success(let a):
            guard ids.insert(HashedID(a.id)) else {
                counts.rejected += 1
                try emit(.rejected(Diagnostic(severity: .error, file: file, line: number,
                                              issue: FieldIssue(field: "id", .duplicateAssignmentID, "\(a.id)"))))
                return
            }
            counts.accepted += 1
            let grade: Int
            if let last = lastClass, last.name == a.className { grade = last.grade } else {
                grade = classGrades[a.className] ?? a.grade
                if classGrades[a.className] == nil { classGrades[a.className] = grade }
                lastClass = (a.className, grade)
            }
            if grade != a.grade, warnedGrades.insert(a.className + "\u{1}" + String(a.grade)).inserted {
                counts.warnings += 1
                try emit(.warning(Diagnostic(severity: .warning, file: file, line: number,
                                             issue: FieldIssue(field: "grade", .classTwoGrades, "\(a.className)", "\(a.grade)", "\(grade)"))))
            }
            try emit(.accepted(a, classGrade: grade))
        }
    }

    /// Reads every line of `source` (named `file` in messages), decoding
    /// chunks of about 1 MiB on up to `threads` worker threads while the
    /// chunk before is handed to `emit` in order; `emit` also gets the raw
    /// line (valid during the call), for a rejects file.
    public mutating func read<S: ByteSource>(_ source: inout S, file: String, threads: Int,
                                             _ emit: (Event, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let slots = (0..<max(2, threads + 1)).map { _ in HomeworkChunk() }
        var free = slots
        var inFlight: [(chunk: HomeworkChunk, done: DispatchGroup)] = []
        var carry: [UInt8] = []
        var nextLine = 1
        var atEnd = false
        var firstChunk = true
        let workers = DispatchQueue(label: "lessonlens.homework", attributes: .concurrent)
        let permits = DispatchSemaphore(value: max(1, threads))

        func mergeOldest() throws {
            let (chunk, done) = inFlight.removeFirst()
            done.wait()
            defer { free.append(chunk) }
            let all = chunk.bytes
            for item in chunk.items {
                let raw = UnsafeBufferPointer(rebasing: all[item.start..<item.end])
                try accept(item.result, warnings: item.warnings, file: file, line: nextLine + item.line) { try emit($0, raw) }
            }
            nextLine += chunk.lineCount
        }

        do {
            while !atEnd {
                if free.isEmpty { try mergeOldest() }
                let chunk = free.removeLast()
                atEnd = try chunk.fill(from: &source, carry: &carry, first: firstChunk)
                firstChunk = false
                let done = DispatchGroup()
                if threads <= 1 {
                    chunk.decode()
                } else {
                    done.enter()
                    workers.async {
                        permits.wait()
                        chunk.decode()
                        permits.signal()
                        done.leave()
                    }
                }
                inFlight.append((chunk, done))
            }
            while !inFlight.isEmpty { try mergeOldest() }
        } catch {
            // The workers finish with their chunks before the chunks go.
            for (_, done) in inFlight { done.wait() }
            throw error
        }
    }
}

/// Whole lines of a ledger and what decoding them gave.
/// `@unchecked Sendable`: filled by the reading thread, decoded by one worker,
/// then merged, each step handed on through a `DispatchGroup`; never two
/// threads at once.
final class HomeworkChunk: @unchecked Sendable {
    struct Item {
        /// Line within the chunk, from 0.
        var line: Int
        var start: Int
        var end: Int
        var result: Result<HomeworkAssignment, FieldIssue>
        var warnings: [FieldIssue]
    }

    static let size = 1 << 20
    /// The chunk's lines.
    private var chunk = LineChunk(capacity: 2 * HomeworkChunk.size)
    /// Lines in the chunk, blank ones included.
    var lineCount = 0
    var first = false
    var items: [Item] = []
    private var decoder = HomeworkDecoder()

    /// The chunk's bytes (valid until the next `fill`).
    var bytes: UnsafeBufferPointer<UInt8> { chunk.bytes }

    /// Takes `carry`, then source bytes up to a newline after about `size`
    /// bytes; what follows that newline becomes the new carry. True at the end.
    func fill<S: ByteSource>(from source: inout S, carry: inout [UInt8], first: Bool) throws -> Bool {
        self.first = first
        return try chunk.fill(read: { try source.read(into: $0) }, carry: &carry, chunkSize: HomeworkChunk.size)
    }

    /// Decodes every line.
    func decode() {
        items.removeAll(keepingCapacity: true)
        lineCount = 0
        do {
            let all = bytes
            var start = 0
            var warnings: [FieldIssue] = []
            while start < all.count {
                var end = all.count
                if let hit = memchr(all.baseAddress! + start, 0x0A, all.count - start) {
                    end = UnsafeRawPointer(hit) - UnsafeRawPointer(all.baseAddress!)
                }
                let line = UnsafeBufferPointer(rebasing: all[start..<end])
                if let content = HomeworkStream.content(of: line, first: first && lineCount == 0) {
                    warnings.removeAll(keepingCapacity: true)
                    let result: Result<HomeworkAssignment, FieldIssue>
                    do throws(FieldIssue) { result = .success(try decoder.decode(content, warnings: &warnings)) }
                    catch { result = .failure(error) }
                    items.append(Item(line: lineCount, start: start, end: end, result: result, warnings: warnings))
                }
                lineCount += 1
                start = end + 1
            }
        }
    }
}
