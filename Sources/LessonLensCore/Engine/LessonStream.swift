import Dispatch
import Foundation

/// Where the bytes of an archive come from (a file, a decompressor, standard
/// input). The core reads through this and never touches the file system.
public protocol ByteSource {
    /// Fills up to `buffer.count` bytes; returns how many, 0 at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Bytes already in memory (tests, benchmarks).
public struct MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    /// The bytes to read, copied.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    /// The UTF-8 bytes of `text`.
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    /// Copies the next bytes into `buffer`; 0 once every byte was read.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}

/// What the stream hands its consumer, in input order.
public enum StreamEvent<Prepared> {
    /// An accepted lesson with what `prepare` made of it on a worker thread.
    case accepted(EvaluatedLesson, Prepared)
    /// An accepted lesson from a stream made with `deliverLessons: false`:
    /// only what `prepare` made of it (the lesson itself stays on the worker).
    case prepared(Prepared)
    /// A rejected line: the message and the raw line (valid during the call).
    case rejected(Diagnostic, UnsafeBufferPointer<UInt8>)
    case warning(Diagnostic)
}

/// Counts over a run of the stream.
public struct StreamCounts: Sendable, Equatable {
    /// Lessons accepted (valid, and the first with their id).
    public var accepted = 0
    /// Lines rejected, each with one error message.
    public var rejected = 0
    /// Warnings given (a warned lesson is still accepted).
    public var warnings = 0
    /// No lines counted yet.
    public init() {}
}

/// How the lines were read: by the one-pass scanner, or by the full decoder
/// (errors, warnings, timelines wanted, and anything the scanner declines).
/// For benchmarks: on valid lines of any layout, `declinedValid` should be 0.
public struct ReadingPaths: Sendable, Equatable {
    /// Lines the scanner read and evaluated.
    public var scanned = 0
    /// Lines the scanner was asked to read and declined (the decoder read them).
    public var declined = 0
    /// Of those, lines the decoder accepted without a warning: valid lines
    /// the scanner should have read.
    public var declinedValid = 0
    /// No lines read yet.
    public init() {}
}

/// Reads JSON Lines archives in large chunks, decodes, validates and
/// evaluates lessons on every core, and hands the results to one consumer in
/// input order (line numbers stay right; duplicate ids are decided in order:
/// the first valid lesson with an id is kept).
///
/// Memory is bounded by `6 × threads + 1` chunks (1 MB each by default) plus
/// what the consumer keeps, whatever the size of the input. A line longer
/// than a chunk grows that chunk's buffer to hold it.
public final class LessonStream<Prepared> {
    /// The rule book's numbers every lesson is judged by.
    public let policy: Policy
    /// Worker threads that read, validate and evaluate chunks.
    public let threads: Int
    /// Bytes read at a time (a longer line grows its chunk).
    public let chunkSize: Int
    /// Accepted, rejected and warned, over every archive processed so far.
    public private(set) var counts = StreamCounts()
    /// How the lines were read, over every archive processed so far.
    public private(set) var paths = ReadingPaths()
    /// The line (from 1, in the archive being processed) of the accepted
    /// lesson being handed to the consumer: valid during that call.
    public private(set) var acceptedLine = 0
    /// Rosters by class for lessons that name a class and have no
    /// `students` (`--roster`); set before `process`.
    public var classRosters: ClassRosters? {
        didSet { for slot in slots { slot.classRosters = classRosters } }
    }

    private let prepare: @Sendable (EvaluatedLesson) -> Prepared
    private var seenIDs = AcceptedIDs()
    private let slots: [ChunkSlot<Prepared>]

    /// Whether accepted lessons keep their `Timeline` (every line then goes
    /// through the full decoder).
    public let keepTimelines: Bool
    /// false: accepted lessons come as `.prepared` events, and the consuming
    /// thread never copies nor frees the lessons (when `prepare` makes all
    /// that the consumer needs, this is much less work on that one thread).
    public let deliverLessons: Bool

    /// `expectedLessons`: about how many lessons the run will accept, when
    /// known (from file sizes); room for their ids is made up front.
    public init(policy: Policy = .default, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                chunkSize: Int = 1 << 20, keepTimelines: Bool = false, deliverLessons: Bool = true,
                expectedLessons: Int = 0,
                prepare: @escaping @Sendable (EvaluatedLesson) -> Prepared) {
        seenIDs.reserve(expectedLessons)
        self.keepTimelines = keepTimelines
        self.deliverLessons = deliverLessons
        self.policy = policy
        self.threads = max(1, threads)
        self.chunkSize = max(64, chunkSize)
        self.prepare = prepare
        // Enough chunks for every worker to have one while this thread reads
        // the next and merges the oldest, and then some: results are merged
        // in order, so a worker that the machine holds up holds up the
        // merge, and the other workers go on only while free chunks last.
        // Small chunks, many of them: less memory than 4 MB × (2 × threads
        // + 1), and the worst of 10 runs of a 1 GB summary 1.40–1.43 s
        // against 1.53–1.56 s (medians 1.17–1.18 against 1.20).
        let slotCount = self.threads == 1 ? 1 : self.threads * 6 + 1
        self.slots = (0..<slotCount).map { _ in ChunkSlot(capacity: max(64, chunkSize)) }
    }

    /// Called on the calling thread with the bytes read so far in this
    /// archive, after each chunk (for progress bars).
    public var onProgress: ((Int) -> Void)?

    /// Processes one archive. `name` is the file name used in messages.
    /// Errors thrown by `source` or `consume` end this archive and are rethrown.
    ///
    /// A pipeline: this thread reads chunk after chunk while up to `threads`
    /// workers decode and evaluate earlier ones; results are merged here in
    /// input order as soon as the oldest chunk is done.
    public func process<S: ByteSource>(_ source: inout S, name: String,
                                       consume: (StreamEvent<Prepared>) throws -> Void) throws {
        try process(name: name, prepared: { try consume(.prepared($0)) }, consume: consume) { try source.read(into: $0) }
    }

    /// The same, with what `prepare` made of each accepted lesson of a stream
    /// that does not deliver lessons handed to `prepared` directly rather
    /// than wrapped in a `.prepared` event (each wrapping and unwrapping
    /// copies the value, on the one merging thread); `consume` gets the rest.
    public func process<S: ByteSource>(_ source: inout S, name: String, prepared: (Prepared) throws -> Void,
                                       consume: (StreamEvent<Prepared>) throws -> Void) throws {
        try process(name: name, prepared: prepared, consume: consume) { try source.read(into: $0) }
    }

    // The payloads of summary/trend, metrics and check: the CLI's calls reach
    // this generic code with type metadata, and without these copies every
    // item's payload was moved through value witnesses (a few % of the run).


    @_specialize(where Prepared == [UInt8])
    @_specialize(where Prepared == ())
    private func process(name: String, prepared: (Prepared) throws -> Void,
                         consume: (StreamEvent<Prepared>) throws -> Void,
                         read: (UnsafeMutableRawBufferPointer) throws -> Int) throws {
        var carry: [UInt8] = []      // a partial line left over from the last chunk
        var nextLine = 1
        var atEnd = false
        var firstChunk = true
        var bytesRead = 0
        var free = slots
        var inFlight: [(slot: ChunkSlot<Prepared>, done: DispatchGroup)] = []
        let policy = self.policy, prepare = self.prepare, keep = keepTimelines, deliver = deliverLessons
        let workers = DispatchQueue(label: "lessonlens.workers", attributes: .concurrent)
        let permits = DispatchSemaphore(value: threads)

        func mergeOldest() throws {
            let (slot, done) = inFlight.removeFirst()
            done.wait()
            defer { free.append(slot) }
            try merge(slot, firstLine: nextLine, name: name, prepared: prepared, consume: consume)
            nextLine += slot.lineCount
        }

        do {
            while !atEnd {
                if free.isEmpty { try mergeOldest() }
                let slot = free.removeLast()
                atEnd = try slot.fill(read: read, carry: &carry, chunkSize: chunkSize)
                if firstChunk { slot.skipByteOrderMark(); firstChunk = false }
                bytesRead += slot.length
                onProgress?(bytesRead)
                guard slot.length > 0 else { free.append(slot); continue }
                let done = DispatchGroup()
                if threads == 1 {
                    slot.evaluate(policy: policy, keepTimeline: keep, keepLesson: deliver, prepare: prepare)
                } else {
                    done.enter()
                    workers.async {
                        permits.wait()
                        slot.evaluate(policy: policy, keepTimeline: keep, keepLesson: deliver, prepare: prepare)
                        permits.signal()
                        done.leave()
                    }
                }
                inFlight.append((slot, done))
            }
            while !inFlight.isEmpty { try mergeOldest() }
        } catch {
            // Let the workers finish with their chunks before the slots are reused.
            for (_, done) in inFlight { done.wait() }
            throw error
        }
    }

    /// Hands one evaluated chunk to the consumer, deciding duplicates in order.
    private func merge(_ slot: ChunkSlot<Prepared>, firstLine: Int, name: String,
                       prepared onPrepared: (Prepared) throws -> Void,
                       consume: (StreamEvent<Prepared>) throws -> Void) throws {
        seenIDs.warm(slot.acceptedHashes)
        paths.scanned += slot.paths.scanned
        paths.declined += slot.paths.declined
        paths.declinedValid += slot.paths.declinedValid
        // What each accepted line made is moved out of the slot's columns in
        // order, never copied (a copy is a retain of every reference in it).
        defer { slot.clearResults() }
        var warnings = slot.warnings.makeIterator()
        var nextWarning = warnings.next()
        var rejection = 0
        try slot.withBytes { bytes in
            for item in slot.items {
                let line = firstLine + Int(item.line)
                while let w = nextWarning, w.item == item.line {
                    counts.warnings += 1
                    try consume(.warning(Diagnostic(severity: .warning, file: name, line: line, issue: w.issue)))
                    nextWarning = warnings.next()
                }
                let raw = UnsafeBufferPointer(rebasing: bytes[item.start..<item.end])
                guard item.accepted else {
                    counts.rejected += 1
                    let issue = slot.rejections[rejection]
                    rejection += 1
                    try consume(.rejected(Diagnostic(severity: .error, file: name, line: line, issue: issue), raw))
                    continue
                }
                let id = slot.acceptedIDs.next()
                let prepared = slot.prepared.next()
                let lesson = deliverLessons ? slot.lessons.next() : nil
                if seenIDs.insert(id) {
                    counts.accepted += 1
                    acceptedLine = line
                    if let lesson { try consume(.accepted(lesson, prepared)) } else { try onPrepared(prepared) }
                } else {
                    counts.rejected += 1
                    let issue = FieldIssue(field: "id", .duplicateID, "\(id.id)")
                    try consume(.rejected(Diagnostic(severity: .error, file: name, line: line, issue: issue), raw))
                }
            }
        }
    }
}

/// One chunk of whole lines and the results computed from it.
/// `@unchecked Sendable`: a slot is filled by the reading thread, evaluated by
/// one worker, then merged, each step handed on through a `DispatchGroup`
/// (which orders the memory); never two threads at once.
private final class ChunkSlot<Prepared>: @unchecked Sendable {
    /// A non-blank line of the chunk. Plain values only: what the line made
    /// is in the columns below (accepted lines in order: `acceptedIDs`,
    /// `prepared`, `lessons`; rejected ones: `rejections`).
    struct Item {
        /// Line number within the chunk, from 0.
        var line: Int32
        var accepted: Bool
        var start: Int
        var end: Int
    }

    /// The chunk's lines.
    private var chunk: LineChunk
    private var start = 0
    var length: Int { chunk.length }
    private(set) var lineCount = 0
    private(set) var items: [Item] = []
    private(set) var rejections: [FieldIssue] = []
    /// Warnings by item line number, in order (rare).
    private(set) var warnings: [(item: Int32, issue: FieldIssue)] = []
    let acceptedIDs = MovingBuffer<HashedID>()
    let prepared = MovingBuffer<Prepared>()
    /// Only when the stream delivers lessons.
    let lessons = MovingBuffer<EvaluatedLesson>()
    /// The id hashes of the accepted items, for `AcceptedIDs.warm`.
    private(set) var acceptedHashes: [UInt64] = []
    private(set) var paths = ReadingPaths()
    private var decoder = LessonDecoder()
    private var scanner = LessonScanner()
    var classRosters: ClassRosters? {
        didSet { decoder.classRosters = classRosters; scanner.classRosters = classRosters }
    }
    private var evaluator = LessonEvaluator()

    init(capacity: Int) {
        chunk = LineChunk(capacity: capacity)
    }

    /// Fills the chunk with `carry` then source bytes, up to the last newline;
    /// what follows it becomes the new `carry`. Returns true at the end of input.
    func fill(read: (UnsafeMutableRawBufferPointer) throws -> Int, carry: inout [UInt8], chunkSize: Int) throws -> Bool {
        start = 0
        return try chunk.fill(read: read, carry: &carry, chunkSize: chunkSize)
    }

    func skipByteOrderMark() {
        let bytes = chunk.bytes
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
    }

    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(chunk.bytes)
    }

    /// Empties the results (kept capacity) for the next chunk.
    func clearResults() {
        items.removeAll(keepingCapacity: true)
        rejections.removeAll(keepingCapacity: true)
        warnings.removeAll(keepingCapacity: true)
        acceptedHashes.removeAll(keepingCapacity: true)
        acceptedIDs.removeAll()
        prepared.removeAll()
        lessons.removeAll()
    }

    /// Decodes and evaluates every non-blank line of the chunk.
    func evaluate(policy: Policy, keepTimeline: Bool, keepLesson: Bool, prepare: (EvaluatedLesson) -> Prepared) {
        clearResults()
        lineCount = 0
        paths = ReadingPaths()
        let bytes = chunk.bytes
        let end = length
        var lineStart = start
        var lineWarnings: [FieldIssue] = []
        while lineStart < end {
            // memchr: the newline search is vectorised in libc.
            let lineEnd = memchr(bytes.baseAddress! + lineStart, 0x0A, end - lineStart)
                .map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - bytes.baseAddress! } ?? end
            // A CR before the LF is JSON whitespace: the parser skips it.
            if !isBlank(bytes, lineStart, lineEnd) {
                let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                func accept(_ e: consuming EvaluatedLesson) {
                    // Subject and grade overrides: judged again by the rules for them.
                    if policy.hasOverrides {
                        e.standards = policy.judge(e.metrics, present: e.present, subject: e.subject, grade: e.grade)
                    }
                    let id = HashedID(e.id)
                    acceptedHashes.append(id.hash)
                    acceptedIDs.append(id)
                    prepared.append(prepare(e))
                    if keepLesson { lessons.append(e) }
                }
                var accepted = true
                // Most lines take the one-pass scanner; the rest (errors,
                // warnings, rare notations, timelines wanted) the full decoder.
                if !keepTimeline, let evaluated = scanner.evaluate(line, policy: policy, evaluator: &evaluator) {
                    paths.scanned += 1
                    accept(evaluated)
                } else {
                    if !keepTimeline { paths.declined += 1 }
                    do {
                        let lesson = try decoder.decode(line, warnings: &lineWarnings)
                        let (m, s) = try evaluator.evaluate(lesson, policy: policy)
                        lineWarnings += policy.implausibilities(
                            durationMin: lesson.durationMin, enrolled: lesson.enrolled, present: lesson.present,
                            rosterCount: lesson.students?.count, passes: lesson.segments.lazy.map { $0.passes ?? -1 })
                        accept(EvaluatedLesson(lesson, metrics: m, standards: s, keepTimeline: keepTimeline))
                    } catch {
                        rejections.append(error)
                        accepted = false
                    }
                    if !keepTimeline && accepted && lineWarnings.isEmpty { paths.declinedValid += 1 }
                    for w in lineWarnings { warnings.append((Int32(truncatingIfNeeded: lineCount), w)) }
                    lineWarnings.removeAll(keepingCapacity: true)
                }
                items.append(Item(line: Int32(truncatingIfNeeded: lineCount), accepted: accepted, start: lineStart, end: lineEnd))
            }
            lineCount += 1
            lineStart = lineEnd + 1
        }
        // A chunk that ends without a newline (end of input) still holds its
        // last line; one that ends with a newline has counted it above.
    }

    private func isBlank(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        var k = from
        while k < to {
            let b = bytes[k]
            if b != 0x20 && b != 0x09 && b != 0x0D { return false }
            k += 1
        }
        return true
    }
}

/// A growable buffer that one producer fills and one consumer then reads
/// once, in order, moving each element out (no copy, no reference counting
/// beyond the element's own). The stream hands a slot from its worker to the
/// merging thread through a `DispatchGroup`, which orders the two.
final class MovingBuffer<Element>: @unchecked Sendable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private var count = 0
    /// Elements before this one were moved out by `next()`.
    private var read = 0

    init(capacity: Int = 256) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit {
        removeAll()
        base.deallocate()
    }

    func append(_ element: consuming Element) {
        if count == capacity {
            let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base + read, count: count - read)
            base.deallocate()
            base = bigger
            count -= read
            read = 0
            capacity *= 2
        }
        (base + count).initialize(to: element)
        count += 1
    }

    /// The next element not yet read, moved out.
    func next() -> Element {
        precondition(read < count, "read past the end")
        read += 1
        return (base + read - 1).move()
    }

    /// Drops the elements not read.
    func removeAll() {
        (base + read).deinitialize(count: count - read)
        count = 0
        read = 0
    }
}
