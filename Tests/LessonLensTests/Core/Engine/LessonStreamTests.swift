import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator

/// What a run of the stream delivered, in order.
private struct Delivered: Equatable {
    var accepted: [String] = []
    var errors: [String] = []
    var rejectedLines: [String] = []
    var warnings: [String] = []
}

/// `directly`: prepared values through `process(_:name:prepared:consume:)`.
private func run(_ files: [(String, String)], threads: Int, chunkSize: Int,
                 deliverLessons: Bool = true, directly: Bool = false) throws -> (Delivered, StreamCounts) {
    let stream = LessonStream(threads: threads, chunkSize: chunkSize, deliverLessons: deliverLessons) { $0.id }
    var out = Delivered()
    for (name, text) in files {
        var source = MemorySource(text)
        let prepared: (String) -> Void = { id in
            #expect(!deliverLessons)
            out.accepted.append(id)
        }
        let consume: (StreamEvent<String>) -> Void = { event in
            switch event {
            case .accepted(let lesson, let id):
                #expect(deliverLessons && lesson.id == id)
                out.accepted.append(id)
            case .prepared(let id):
                #expect(!deliverLessons && !directly)
                out.accepted.append(id)
            case .rejected(let d, let raw):
                out.errors.append(d.description)
                out.rejectedLines.append(String(decoding: raw, as: UTF8.self))
            case .warning(let d): out.warnings.append(d.description)
            }
        }
        if directly {
            try stream.process(&source, name: name, prepared: prepared, consume: consume)
        } else {
            try stream.process(&source, name: name, consume: consume)
        }
    }
    return (out, stream.counts)
}

private func lesson(_ id: String, extra: String = "") -> String {
    #"{"id":"\#(id)","date":"2026-04-01","teacher":"T","subject":"math","grade":1,"segments":[]\#(extra)}"#
}

@Suite struct LessonStreamTests {
    let archive = [
        "\u{FEFF}" + lesson("a"),
        "",
        lesson("b", extra: #","oops":1"#),
        "   ",
        "{not json",
        lesson("a"),                       // duplicate of line 1
        lesson("c") + "\r",
        lesson("d"),
    ].joined(separator: "\n")              // no newline after the last line

    @Test func deliversInOrderWithLineNumbersAndCounts() throws {
        let (out, counts) = try run([("f.jsonl", archive)], threads: 1, chunkSize: 1 << 20)
        #expect(out.accepted == ["a", "b", "c", "d"])
        #expect(out.errors.count == 2)
        #expect(out.errors[0].hasPrefix("f.jsonl:5: json: "))
        #expect(out.errors[1] == #"f.jsonl:6: id: duplicate id "a": a lesson with this id was already accepted"#)
        #expect(out.rejectedLines == ["{not json", lesson("a")])
        #expect(out.warnings == ["f.jsonl:3: warning: oops: unknown field, ignored"])
        #expect(counts.accepted == 4 && counts.rejected == 2 && counts.warnings == 1)
    }

    @Test(arguments: [(1, 64, true), (2, 64, true), (2, 100, true), (2, 1 << 20, true), (3, 257, true),
                      (1, 64, false), (2, 64, false), (2, 1 << 20, false), (3, 257, false)])
    func sameResultForAnyChunkingThreadsAndDelivery(threads: Int, chunkSize: Int, deliverLessons: Bool) throws {
        let reference = try run([("f.jsonl", archive)], threads: 1, chunkSize: 1 << 20)
        let other = try run([("f.jsonl", archive)], threads: threads, chunkSize: chunkSize, deliverLessons: deliverLessons)
        #expect(other.0 == reference.0)
        #expect(other.1 == reference.1)
        if !deliverLessons {
            // Prepared values handed over directly: the same, in the same order.
            let direct = try run([("f.jsonl", archive)], threads: threads, chunkSize: chunkSize, deliverLessons: false, directly: true)
            #expect(direct.0 == reference.0)
            #expect(direct.1 == reference.1)
        }
    }

    @Test func manyLinesAcrossManyChunks() throws {
        let text = (0..<2000).map { lesson("L\($0)") }.joined(separator: "\n") + "\n"
        let (out, counts) = try run([("big", text)], threads: 2, chunkSize: 1000)
        #expect(out.accepted == (0..<2000).map { "L\($0)" })
        #expect(counts.accepted == 2000 && counts.rejected == 0)
    }

    @Test func lineLongerThanAChunk() throws {
        let long = lesson("long", extra: #","school":""# + String(repeating: "学", count: 5000) + "\"")
        let (out, _) = try run([("f", lesson("x") + "\n" + long + "\n" + lesson("y") + "\n")], threads: 2, chunkSize: 64)
        #expect(out.accepted == ["x", "long", "y"])
    }

    @Test func duplicatesAcrossFilesOfOneRun() throws {
        let (out, counts) = try run([("one", lesson("a") + "\n"), ("two", lesson("b") + "\n" + lesson("a") + "\n")], threads: 2, chunkSize: 64)
        #expect(out.accepted == ["a", "b"])
        #expect(out.errors == [#"two:2: id: duplicate id "a": a lesson with this id was already accepted"#])
        #expect(counts.rejected == 1)
    }

    @Test func aRejectedLineDoesNotReserveItsID() throws {
        // The first *valid* lesson with an id is kept.
        let text = lesson("a", extra: #","grade":99"#) + "\n" + lesson("a") + "\n"
        let (out, _) = try run([("f", text)], threads: 1, chunkSize: 1 << 20)
        #expect(out.accepted == ["a"])
        #expect(out.errors.count == 1 && out.errors[0].hasPrefix("f:1: grade"))
    }

    @Test func emptyAndBlankInputs() throws {
        let (out, counts) = try run([("e", ""), ("b", "\n\n  \n")], threads: 2, chunkSize: 64)
        #expect(out == Delivered())
        #expect(counts == StreamCounts())
    }

    @Test func nulBytesAndInvalidUTF8AreRejectedNotFatal() throws {
        var bytes = Array(lesson("a").utf8) + [0x0A]
        bytes += Array("{\"id\":\"\u{0}\"}".utf8) + [0x0A]
        bytes += [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D, 0x0A]
        bytes += Array(lesson("b").utf8)
        let stream = LessonStream(threads: 2, chunkSize: 64) { $0.id }
        var source = MemorySource(bytes)
        var ids: [String] = []
        try stream.process(&source, name: "bin") { if case .accepted(_, let id) = $0 { ids.append(id) } }
        #expect(ids == ["a", "b"])
        #expect(stream.counts.rejected == 2)
    }
}

@Suite struct MovingBufferTests {
    /// Counts live instances, to see that each element is destroyed once.
    final class Tracked {
        nonisolated(unsafe) static var live = 0
        let value: Int
        init(_ value: Int) { self.value = value; Tracked.live += 1 }
        deinit { Tracked.live -= 1 }
    }

    @Test func movesEachElementOutOnceAndDropsTheUnread() {
        let before = Tracked.live
        do {
            let buffer = MovingBuffer<Tracked>(capacity: 2)
            for k in 0..<10 { buffer.append(Tracked(k)) }          // grows from 2 to 16
            #expect(Tracked.live == before + 10)
            #expect((0..<4).map { _ in buffer.next().value } == [0, 1, 2, 3])
            #expect(Tracked.live == before + 6, "the read ones are gone with their last use")
            for k in 10..<30 { buffer.append(Tracked(k)) }         // grows with a read prefix
            #expect(buffer.next().value == 4)
            buffer.removeAll()
            #expect(Tracked.live == before, "the unread ones are dropped")
            buffer.append(Tracked(99))
            #expect(buffer.next().value == 99)
            buffer.append(Tracked(100))
        }
        #expect(Tracked.live == before, "deinit drops what was never read")
    }
}

@Suite struct StreamErrorTests {
    struct Stop: Error {}

    /// A consumer that throws part way through a chunk ends that archive;
    /// the stream's next archive starts clean (nothing left of the first).
    @Test func aThrowingConsumerLeavesTheStreamUsable() throws {
        let stream = LessonStream(threads: 2, chunkSize: 64) { $0.id }
        let first = (0..<200).map { lesson("a\($0)") }.joined(separator: "\n")
        var seen = 0
        var source = MemorySource(first)
        #expect(throws: Stop.self) {
            try stream.process(&source, name: "first") { _ in
                seen += 1
                if seen == 50 { throw Stop() }
            }
        }
        var ids: [String] = []
        var second = MemorySource((0..<30).map { lesson("b\($0)") }.joined(separator: "\n") + "\n{bad\n" + lesson("b0"))
        try stream.process(&second, name: "second") { event in
            switch event {
            case .accepted(_, let id): ids.append(id)
            case .rejected(let d, _): ids.append("line \(d.line)")
            default: break
            }
        }
        #expect(ids == (0..<30).map { "b\($0)" } + ["line 31", "line 32"])
    }
}
