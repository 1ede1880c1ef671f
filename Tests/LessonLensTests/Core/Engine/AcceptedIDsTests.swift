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

@Suite struct AcceptedIDsTests {
    @Test func duplicatesAreFoundAndCollisionsAreNot() {
        var ids = AcceptedIDs()
        var firstTimes = 0, againTimes = 0
        for k in 0..<5000 where ids.insert(HashedID("v-\(k)")) { firstTimes += 1 }
        for k in stride(from: 0, to: 5000, by: 7) where ids.insert(HashedID("v-\(k)")) { againTimes += 1 }
        #expect(firstTimes == 5000 && againTimes == 0 && ids.count == 5000)
        // Equal hashes, different ids: both kept; each still found again.
        let x = ids.insert(HashedID("x", hash: 42)), y = ids.insert(HashedID("y", hash: 42))
        let xAgain = ids.insert(HashedID("x", hash: 42)), yAgain = ids.insert(HashedID("y", hash: 42))
        #expect(x && y && !xAgain && !yAgain)
        #expect(HashedID("王老师-1").hash == HashedID("王老师-1").hash && HashedID("a").hash != HashedID("b").hash)
    }

    /// Entries keep their places through growth, from a reserved size or not.
    @Test(arguments: [0, 100, 20_000])
    func growthKeepsEveryID(reserved: Int) {
        var ids = AcceptedIDs()
        ids.reserve(reserved)
        let early = ids.insert(HashedID("x", hash: 7)) && ids.insert(HashedID("y", hash: 7))
        var fresh = 0
        for k in 0..<10_000 where ids.insert(HashedID("id-\(k)")) { fresh += 1 }
        let again = [ids.insert(HashedID("x", hash: 7)), ids.insert(HashedID("y", hash: 7)),
                     ids.insert(HashedID("id-0")), ids.insert(HashedID("id-9999"))]
        #expect(early && fresh == 10_000 && again == [false, false, false, false] && ids.count == 10_002)
    }
}
