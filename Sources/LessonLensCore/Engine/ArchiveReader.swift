/// Where an accepted lesson was read: the archive's name and the line.
public struct LogLocation: Sendable, Equatable {
    /// The archive as messages name it.
    public var file: String
    /// The line, from 1.
    public var line: Int

    /// A place in an archive.
    public init(file: String, line: Int) { self.file = file; self.line = line }
}

/// Reading archives the one way every reader in LessonLens does (the
/// command line's commands and the server's pages): the lines of each
/// archive through one `LessonStream`, in input order, across archives (an
/// id accepted in one makes it a duplicate in the next); the lessons a
/// filter leaves out dropped on the worker threads, neither accepted nor
/// rejected for the caller; each lesson handed on with where it was read.
public final class ArchiveReader<Prepared> {
    /// The stream every archive goes through (counts, rosters, progress).
    public let stream: LessonStream<Prepared?>
    /// Accepted lessons the filter kept, over every archive read so far.
    public private(set) var matched = 0

    /// A reader judging lessons by `policy`, reading `chunkSize` bytes at a
    /// time. `matches`: the filter (nil keeps every lesson); `prepare` runs on
    /// the worker threads for each lesson kept.
    public init(policy: Policy, threads: Int, chunkSize: Int = 1 << 20, keepTimelines: Bool = false, deliverLessons: Bool = true,
                expectedLessons: Int = 0, matches: (@Sendable (EvaluatedLesson) -> Bool)? = nil,
                prepare: @escaping @Sendable (EvaluatedLesson) -> Prepared) {
        let kept: @Sendable (EvaluatedLesson) -> Prepared?
        if let matches { kept = { e in matches(e) ? prepare(e) : nil } } else { kept = { e in prepare(e) } }
        stream = LessonStream(policy: policy, threads: threads, chunkSize: chunkSize, keepTimelines: keepTimelines, deliverLessons: deliverLessons,
                              expectedLessons: expectedLessons, prepare: kept)
    }

    /// Reads one archive named `name`. Kept lessons go to `onLesson` (the
    /// lesson itself is nil when the stream does not deliver lessons), rejected
    /// lines with their bytes to `onRejected`, warnings to `onWarning`.
    /// Errors thrown by `source` or a handler end this archive and are rethrown.
    public func read<S: ByteSource>(_ source: inout S, name: String,
                                    onLesson: (EvaluatedLesson?, Prepared, LogLocation) throws -> Void,
                                    onRejected: (Diagnostic, UnsafeBufferPointer<UInt8>) throws -> Void = { _, _ in },
                                    onWarning: (Diagnostic) throws -> Void = { _ in }) throws {
        let stream = self.stream
        func kept(_ lesson: EvaluatedLesson?, _ prepared: Prepared?) throws {
            guard let prepared else { return }
            matched += 1
            try onLesson(lesson, prepared, LogLocation(file: name, line: stream.acceptedLine))
        }
        try stream.process(&source, name: name, prepared: { try kept(nil, $0) }) { event in
            switch event {
            case .accepted(let lesson, let prepared): try kept(lesson, prepared)
            case .prepared(let prepared): try kept(nil, prepared)
            case .rejected(let diagnostic, let raw): try onRejected(diagnostic, raw)
            case .warning(let diagnostic): try onWarning(diagnostic)
            }
        }
    }
}
