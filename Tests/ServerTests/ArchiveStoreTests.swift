import Foundation
import Synchronization
import Testing
@testable import LessonLensCore
@testable import LessonLensServer
import NIOCore

/// A valid lesson line with id `id`.
func lessonLine(_ id: String, notes: String? = nil) -> String {
    #"{"id":"\#(id)","date":"2026-03-12","teacher":"王芳老师","subject":"chinese","grade":3,"segments":[{"start":"0:00","end":"12:00","kind":"read"}]\#(notes.map { #","notes":"\#($0)""# } ?? "")}"#
}

/// A fresh directory for one test's archive.
func scratch() -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID())").path
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

func contents(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

/// write(2) and fsync(2) that fail on chosen calls (counted from 1).
final class Faults: Sendable {
    let failWrite = Mutex<Set<Int>>([])
    let failFsync = Mutex<Set<Int>>([])
    let writes = Mutex(0)
    let fsyncs = Mutex(0)

    var storage: ArchiveStore.Storage {
        ArchiveStore.Storage(
            write: { fd, p, n in
                let k = self.writes.withLock { $0 += 1; return $0 }
                if self.failWrite.withLock({ $0.contains(k) }) { errno = ENOSPC; return -1 }
                return Glibc.write(fd, p, n)
            },
            fsync: { fd in
                let k = self.fsyncs.withLock { $0 += 1; return $0 }
                if self.failFsync.withLock({ $0.contains(k) }) { errno = EIO; return -1 }
                return Glibc.fsync(fd)
            })
    }
}

@Suite struct ArchiveStoreFaultTests {
    @Test func aFailedWriteLeavesTheArchiveAsItWasAndTheNextPostWorks() async throws {
        let path = scratch() + "/a.jsonl"
        let faults = Faults()
        let store = try ArchiveStore(path: path, policy: .default, storage: faults.storage)
        _ = try await store.post(Array((lessonLine("a1") + "\n").utf8))
        let before = contents(path)
        faults.failWrite.withLock { $0 = [faults.writes.withLock { $0 } + 1] }
        await #expect(throws: ArchiveStore.WriteError.self) { try await store.post(Array((lessonLine("a2") + "\n").utf8)) }
        #expect(contents(path) == before)
        // The retry is stored once, not twice.
        let retry = try await store.post(Array((lessonLine("a2") + "\n").utf8))
        #expect(retry.map(\.status) == [.stored])
        #expect(contents(path) == before + lessonLine("a2") + "\n")
    }

    @Test func aFailedFsyncIsCutBackSoTheRetryIsNotStoredTwice() async throws {
        let path = scratch() + "/a.jsonl"
        let faults = Faults()
        let store = try ArchiveStore(path: path, policy: .default, storage: faults.storage)
        _ = try await store.post(Array((lessonLine("a1") + "\n").utf8))
        let before = contents(path)
        faults.failFsync.withLock { $0 = [faults.fsyncs.withLock { $0 } + 1] }
        do {
            _ = try await store.post(Array((lessonLine("a2") + "\n").utf8))
            Issue.record("a failed fsync was acknowledged")
        } catch let error as ArchiveStore.WriteError {
            guard case .io(let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.contains("fsync failed"))
        }
        #expect(contents(path) == before)
        #expect(try await store.post(Array((lessonLine("a2") + "\n").utf8)).map(\.status) == [.stored])
        #expect(try await store.post(Array((lessonLine("a2") + "\n").utf8)).map(\.status) == [.duplicate])
        #expect(contents(path).components(separatedBy: "\"a2\"").count == 2)
    }

    @Test(arguments: ["deleted", "renamed", "replaced"])
    func anArchiveTakenAwayIsNeverWrittenElsewhere(_ how: String) async throws {
        let dir = scratch()
        let path = dir + "/a.jsonl"
        let store = try ArchiveStore(path: path, policy: .default)
        _ = try await store.post(Array((lessonLine("a1") + "\n").utf8))
        switch how {
        case "deleted": try FileManager.default.removeItem(atPath: path)
        case "renamed": try FileManager.default.moveItem(atPath: path, toPath: dir + "/moved.jsonl")
        default:
            try FileManager.default.removeItem(atPath: path)
            try Data((lessonLine("other") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        }
        do {
            _ = try await store.post(Array((lessonLine("a2") + "\n").utf8))
            Issue.record("stored into a file that is not the archive")
        } catch let error as ArchiveStore.WriteError {
            guard case .unavailable = error else { Issue.record("\(error)"); return }
        }
        #expect(await store.unavailable != nil)
        // Nothing was written anywhere: not at the path, not into the unlinked file.
        #expect(!contents(path).contains("a2"))
        #expect(!contents(dir + "/moved.jsonl").contains("a2"))
    }

    @Test func linesAppendedByAnotherProgramAreIndexedFirst() async throws {
        let path = scratch() + "/a.jsonl"
        let store = try ArchiveStore(path: path, policy: .default)
        _ = try await store.post(Array((lessonLine("a1") + "\n").utf8))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((lessonLine("outside") + "\nnot a lesson\n").utf8))
        try handle.close()
        let results = try await store.post(Array((lessonLine("outside") + "\n" + lessonLine("a3") + "\n").utf8))
        #expect(results.map(\.status) == [.duplicate, .stored])
        #expect(await store.lineCount == 4)
        #expect(contents(path).hasSuffix("not a lesson\n" + lessonLine("a3") + "\n"))
    }

    @Test func aCompleteLastLineWithoutItsNewlineIsKeptAndACutOneMovedAside() async throws {
        let dir = scratch()
        let path = dir + "/a.jsonl"
        try Data((lessonLine("a1") + "\n" + lessonLine("a2")).utf8).write(to: URL(fileURLWithPath: path))
        do {
            let store = try ArchiveStore(path: path, policy: .default)
            #expect(await store.lessons == 2)
            #expect(store.startupNotes.contains { $0.contains("was kept") })
        }
        #expect(contents(path) == lessonLine("a1") + "\n" + lessonLine("a2") + "\n")
        let cut = String(lessonLine("a3").prefix(40))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(cut.utf8))
        try handle.close()
        let store = try ArchiveStore(path: path, policy: .default)
        #expect(await store.lessons == 2)
        #expect(!contents(path).contains(cut))
        let aside = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".partial-") }
        #expect(aside.count == 1 && contents(dir + "/" + aside[0]) == cut)
    }
}

@Suite struct ArchiveStoreRevisionTests {
    @Test func aCorrectionReplacesTheLineInPlaceAndKeepsTheEarlierVersion() async throws {
        let path = scratch() + "/a.jsonl"
        let store = try ArchiveStore(path: path, policy: .default)
        _ = try await store.post(Array([lessonLine("a1"), lessonLine("a2"), lessonLine("a3")].joined(separator: "\n").utf8 + [0x0A]))
        #expect(try await store.revise(id: "a2", body: Array(lessonLine("a2", notes: "marked later").utf8)) == .revised(2))
        #expect(contents(path) == [lessonLine("a1"), lessonLine("a2", notes: "marked later"), lessonLine("a3")].joined(separator: "\n") + "\n")
        #expect(try await store.revise(id: "a2", body: Array(lessonLine("a2", notes: "marked later").utf8)) == .unchanged(2))
        #expect(try await store.revise(id: "a2", body: Array(lessonLine("a2", notes: "again").utf8)) == .revised(3))
        let history = String(decoding: try #require(try await store.versions(of: "a2")), as: UTF8.self)
        #expect(history == [lessonLine("a2"), lessonLine("a2", notes: "marked later"), lessonLine("a2", notes: "again")].joined(separator: "\n") + "\n")
        // Later appends land after the corrected file's end; offsets moved with the line.
        #expect(try await store.post(Array((lessonLine("a3") + "\n" + lessonLine("a4") + "\n").utf8)).map(\.status) == [.duplicate, .stored])
        #expect(contents(path).hasSuffix(lessonLine("a3") + "\n" + lessonLine("a4") + "\n"))
    }

    @Test func badCorrectionsAreRefusedAndChangeNothing() async throws {
        let path = scratch() + "/a.jsonl"
        let store = try ArchiveStore(path: path, policy: .default)
        _ = try await store.post(Array((lessonLine("a1") + "\n").utf8))
        let before = contents(path)
        #expect(try await store.revise(id: "zz", body: Array(lessonLine("zz").utf8)) == .notFound)
        guard case .badBody = try await store.revise(id: "a1", body: Array(lessonLine("a9").utf8)) else { Issue.record("id differs"); return }
        guard case .badBody = try await store.revise(id: "a1", body: Array((lessonLine("a1") + "\n" + lessonLine("a1")).utf8)) else { Issue.record("two lines"); return }
        guard case .rejected(let errors) = try await store.revise(id: "a1", body: Array(#"{"id":"a1","date":"2026-03-12"}"#.utf8)) else { Issue.record("invalid"); return }
        #expect(errors.first?.contains("required field is missing") == true)
        #expect(contents(path) == before)
        #expect(!FileManager.default.fileExists(atPath: path + ".history"))
    }

    @Test func anInterruptedCorrectionCountsNothingAndLeavesTheOldVersion() async throws {
        let dir = scratch()
        let path = dir + "/a.jsonl"
        do {
            let store = try ArchiveStore(path: path, policy: .default)
            _ = try await store.post(Array((lessonLine("a1") + "\n").utf8))
        }
        // As if killed after saving the old version and writing part of the copy.
        try Data((lessonLine("a1") + "\n").utf8).write(to: URL(fileURLWithPath: path + ".history"))
        try Data("{\"id\":\"a1\",\"da".utf8).write(to: URL(fileURLWithPath: path + ".revising"))
        let store = try ArchiveStore(path: path, policy: .default)
        #expect(!FileManager.default.fileExists(atPath: path + ".revising"))
        #expect(String(decoding: try #require(try await store.versions(of: "a1")), as: UTF8.self) == lessonLine("a1") + "\n")
        #expect(try await store.revise(id: "a1", body: Array(lessonLine("a1", notes: "n").utf8)) == .revised(2))
    }

    @Test func aFailedCorrectionChangesNothing() async throws {
        let path = scratch() + "/a.jsonl"
        let faults = Faults()
        let store = try ArchiveStore(path: path, policy: .default, storage: faults.storage)
        _ = try await store.post(Array((lessonLine("a1") + "\n" + lessonLine("a2") + "\n").utf8))
        let before = contents(path)
        // The copy's fsync fails (the history's is the first one after now).
        faults.failFsync.withLock { $0 = [faults.fsyncs.withLock { $0 } + 2] }
        await #expect(throws: ArchiveStore.WriteError.self) {
            try await store.revise(id: "a1", body: Array(lessonLine("a1", notes: "x").utf8))
        }
        #expect(contents(path) == before)
        #expect(contents(path + ".history").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: path + ".revising"))
        #expect(try await store.revise(id: "a1", body: Array(lessonLine("a1", notes: "x").utf8)) == .revised(2))
    }
}

@Suite struct PageCacheTests {
    @Test func boundedInBytesTheLeastRecentlyUsedGoFirst() async {
        let cache = PageCache(limitBytes: 100)
        await cache.put("a", generation: 1, page: ByteBuffer(string: String(repeating: "a", count: 40)))
        await cache.put("b", generation: 1, page: ByteBuffer(string: String(repeating: "b", count: 40)))
        _ = await cache.get("a", generation: 1)           // a used more recently than b
        await cache.put("c", generation: 1, page: ByteBuffer(string: String(repeating: "c", count: 40)))
        #expect(await cache.size == 80)
        #expect(await cache.get("b", generation: 1) == nil)
        let a = await cache.get("a", generation: 1), c = await cache.get("c", generation: 1)
        #expect(a != nil && c != nil)
        // Another generation of the archive: not served from the cache.
        #expect(await cache.get("a", generation: 2) == nil)
        // A page larger than the bound is not kept.
        await cache.put("big", generation: 1, page: ByteBuffer(string: String(repeating: "x", count: 200)))
        let big = await cache.get("big", generation: 1), size = await cache.size
        #expect(big == nil && size <= 100)
    }

    @Test func unknownTeachersAndIdsAreKnownFromTheIndex() async throws {
        let path = scratch() + "/a.jsonl"
        let store = try ArchiveStore(path: path, policy: .default)
        _ = try await store.post(Array((lessonLine("a1") + "\n").utf8))
        let known = await store.has(id: "a1"), unknown = await store.has(id: "zz")
        let teacher = await store.has(teacher: "王芳老师"), nobody = await store.has(teacher: "nobody")
        #expect(known && !unknown && teacher && !nobody)
    }
}

@Suite struct ArchiveStoreHealthTests {
    /// `/api/health` reads this: it must answer while a post holds the store
    /// (here, stuck in fsync), and say what the store knows once it is done.
    @Test func healthIsReadWhileAPostWaitsOnItsFsync() async throws {
        let path = scratch() + "/a.jsonl"
        let gate = DispatchSemaphore(value: 0), entered = DispatchSemaphore(value: 0)
        let held = Mutex(false)
        let storage = ArchiveStore.Storage(write: { Glibc.write($0, $1, $2) }, fsync: { fd in
            if held.withLock({ $0 }) { entered.signal(); gate.wait() }
            return Glibc.fsync(fd)
        })
        let store = try ArchiveStore(path: path, policy: .default, storage: storage)
        _ = try await store.post(Array((lessonLine("a1") + "\n").utf8))
        #expect(store.health.lessons == 1 && store.health.unavailable == nil)
        held.withLock { $0 = true }
        let post = Task { try await store.post(Array((lessonLine("a2") + "\n").utf8)) }
        // Wait (off the cooperative pool) until the post is inside fsync.
        await withCheckedContinuation { done in DispatchQueue.global().async { entered.wait(); done.resume() } }
        #expect(store.health.lessons == 1)  // answered while the store is held
        held.withLock { $0 = false }
        gate.signal()
        #expect(try await post.value.map(\.status) == [.stored])
        #expect(store.health.lessons == 2)
        // Taken away: health says so without a write being needed to find out later.
        try FileManager.default.removeItem(atPath: path)
        _ = try? await store.post(Array((lessonLine("a3") + "\n").utf8))
        #expect(store.health.unavailable?.contains("gone") == true)
    }

    /// The check of a body needs no store: the same results as a post.
    @Test func aBodyCheckedOffTheStoreStoresAsAPostDoes() async throws {
        let path = scratch() + "/a.jsonl"
        let store = try ArchiveStore(path: path, policy: .default)
        let body = Array((lessonLine("b1") + "\n{\"id\":\"x\"}\n\n" + lessonLine("b1") + "\n").utf8)
        let checked = ArchiveStore.check(body, kind: .lessons, policy: .default)
        let results = try await store.store(checked)
        #expect(results.map(\.status) == [.stored, .rejected, .duplicate])
        #expect(results.map(\.line) == [1, 2, 4])
        #expect(contents(path) == lessonLine("b1") + "\n")
    }

    /// Gone, renamed or cut short is said by health at once, and readers get
    /// no stale archive (a backup reading `since=0` gets 503, not an empty 200).
    @Test(arguments: ["renamed", "cut"])
    func healthAndReadersSeeTheArchiveTakenAwayWithoutAWrite(_ how: String) async throws {
        let dir = scratch()
        let path = dir + "/a.jsonl"
        let store = try ArchiveStore(path: path, policy: .default)
        _ = try await store.post(Array((lessonLine("h1") + "\n" + lessonLine("h2") + "\n").utf8))
        #expect(store.health.unavailable == nil)
        if how == "renamed" {
            try FileManager.default.moveItem(atPath: path, toPath: dir + "/moved.jsonl")
        } else {
            try Data((lessonLine("h1") + "\n").utf8).write(to: URL(fileURLWithPath: path + ".tmp"))
            let cut = try Data(contentsOf: URL(fileURLWithPath: path + ".tmp"))
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: cut)
            try handle.close()
        }
        #expect(store.health.unavailable?.contains(how == "renamed" ? "gone" : "cut short") == true)
        await #expect(throws: ArchiveStore.WriteError.self) { try await store.range(afterLines: 0) }
        await #expect(throws: ArchiveStore.WriteError.self) { try await store.snapshot() }
        #expect(await store.unavailable != nil)
    }

    @Test func aNewArchiveIsSaidToBeNew() throws {
        let path = scratch() + "/new.jsonl"
        let store = try ArchiveStore(path: path, policy: .default)
        #expect(store.startupNotes.contains { $0.contains("did not exist") })
        let again = scratch() + "/old.jsonl"
        try Data((lessonLine("o1") + "\n").utf8).write(to: URL(fileURLWithPath: again))
        #expect(try ArchiveStore(path: again, policy: .default).startupNotes.isEmpty)
    }
}

