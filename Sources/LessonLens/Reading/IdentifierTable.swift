import Foundation

/// Numbers the student ids of one lesson by their bytes: a small open-
/// addressing hash table, reused from lesson to lesson, that never makes a
/// String or hashes with SipHash. Ids are byte ranges of the line.
///
/// Cost: O(1) expected per id; memory for the largest lesson seen.
final class IdentifierTable: @unchecked Sendable {
    /// Tape positions of the roster's ids and of the performances' students.
    var rosterKeys: [Int] = []
    var performerKeys: [Int] = []

    private struct Entry {
        var hash: UInt64
        var start: Int32
        var length: Int32
        /// An id of 8 bytes or fewer, packed: then equal words mean equal ids.
        var word: UInt64
    }
    /// Open addressing, linear probing. A slot holds `epoch << 32 | entry`
    /// and is empty unless its epoch is the current one: emptying the table
    /// for the next lesson is one increment, not a pass over the slots.
    private var slots: UnsafeMutablePointer<UInt64>
    private var slotCount = 256
    private var epoch: UInt64 = 1
    private var entries: UnsafeMutablePointer<Entry>
    private var entryCapacity = 128
    private(set) var count = 0
    private var base: UnsafePointer<UInt8>?

    init() {
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        entries = .allocate(capacity: entryCapacity)
    }

    deinit {
        slots.deallocate()
        entries.deallocate()
    }

    /// Empties the table for ids in `bytes`, about `expected` of them.
    func reset(bytes: UnsafeBufferPointer<UInt8>, expected: Int) {
        base = bytes.baseAddress
        limit = bytes.count
        count = 0
        epoch += 1
        if epoch == 1 << 31 { epoch = 1; slots.update(repeating: 0, count: slotCount) }
        if expected * 2 > slotCount { resizeSlots(minimum: expected * 2) }
    }

    private func resizeSlots(minimum: Int) {
        var size = slotCount
        while size < minimum { size <<= 1 }
        slots.deallocate()
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        slotCount = size
        epoch = 1
        // Re-enter the entries already made (when growing during a lesson).
        for e in 0..<count {
            var slot = Int(truncatingIfNeeded: entries[e].hash) & (slotCount - 1)
            while slots[slot] >> 32 == epoch { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = epoch << 32 | UInt64(e)
        }
    }

    /// Bytes readable from `base` (the line's length).
    private var limit = 0

    @inline(__always)
    private func hash(_ start: Int, _ n: Int) -> UInt64 {
        hashBytes(UnsafeRawPointer(base! + start), count: n, readable: limit - start)
    }

    /// The number of the id at `start..<start+length`; a new one if unseen.
    func insert(start: Int, length: Int) -> (index: Int, isNew: Bool) {
        if (count + 1) * 2 > slotCount { resizeSlots(minimum: (count + 1) * 2) }
        let h = hash(start, length)
        let mask = slotCount - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot] >> 32 == epoch {
            let e = Int(truncatingIfNeeded: slots[slot] & 0xFFFF_FFFF)
            if matches(e, h, start, length) { return (e, false) }
            slot = (slot + 1) & mask
        }
        if count == entryCapacity {
            let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: entryCapacity * 2)
            bigger.moveInitialize(from: entries, count: count)
            entries.deallocate()
            entries = bigger
            entryCapacity *= 2
        }
        entries[count] = Entry(hash: h, start: Int32(start), length: Int32(length), word: length <= 8 ? packedShort(start, length) : 0)
        slots[slot] = epoch << 32 | UInt64(count)
        count += 1
        return (count - 1, true)
    }

    /// The number of the id, or nil.
    func find(start: Int, length: Int) -> Int? {
        let h = hash(start, length)
        let mask = slotCount - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot] >> 32 == epoch {
            let e = Int(truncatingIfNeeded: slots[slot] & 0xFFFF_FFFF)
            if matches(e, h, start, length) { return e }
            slot = (slot + 1) & mask
        }
        return nil
    }

    @inline(__always)
    private func matches(_ e: Int, _ h: UInt64, _ start: Int, _ length: Int) -> Bool {
        let entry = entries[e]
        guard entry.hash == h && Int(entry.length) == length else { return false }
        if length <= 8 { return entry.word == packedShort(start, length) }
        return memcmp(base! + Int(entry.start), base! + start, length) == 0
    }

    /// The bytes of a short id (8 or fewer) in one word, zero above.
    @inline(__always)
    private func packedShort(_ start: Int, _ length: Int) -> UInt64 {
        let p = UnsafeRawPointer(base! + start)
        if start + 8 <= limit {
            return length == 8 ? p.loadUnaligned(as: UInt64.self) : p.loadUnaligned(as: UInt64.self) & ((1 << (8 * UInt64(length))) &- 1)
        }
        var w: UInt64 = 0
        for j in 0..<length { w |= UInt64(p.load(fromByteOffset: j, as: UInt8.self)) << (8 * UInt64(j)) }
        return w
    }
}

/// A 64-bit hash of `count` bytes, a word at a time (ids are short, and a byte
/// loop was a visible cost). `readable`: how many bytes from `p` may be read;
/// with 8 more than the last word, the tail is one masked load.
@inline(__always)
func hashBytes(_ p: UnsafeRawPointer, count n: Int, readable: Int) -> UInt64 {
    var h = UInt64(truncatingIfNeeded: n) &* 0x9E3779B97F4A7C15
    var k = 0
    while k + 8 <= n {
        h = (h ^ p.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* 0xBF58476D1CE4E5B9
        h ^= h >> 31
        k += 8
    }
    if k < n {
        var tail: UInt64 = 0
        if k + 8 <= readable {
            tail = p.loadUnaligned(fromByteOffset: k, as: UInt64.self) & ((1 << (8 * UInt64(n - k))) &- 1)
        } else {
            for j in k..<n { tail |= UInt64(p.load(fromByteOffset: j, as: UInt8.self)) << (8 * UInt64(j - k)) }
        }
        h = (h ^ tail) &* 0xBF58476D1CE4E5B9
    }
    return h ^ (h >> 29)
}
