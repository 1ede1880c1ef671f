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
    private var slots: [Int32] = Array(repeating: -1, count: 256)
    private var starts: [Int32] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    private var mask = 255
    private var base: UnsafePointer<UInt8>?

    var count: Int { starts.count }

    /// Empties the table for ids in `bytes`, about `expected` of them.
    func reset(bytes: UnsafeBufferPointer<UInt8>, expected: Int) {
        base = bytes.baseAddress
        limit = bytes.count
        var size = 256
        while size < expected * 2 { size <<= 1 }
        if size != slots.count {
            slots = Array(repeating: -1, count: size)
        } else {
            for k in starts.indices { clearSlot(of: k) }
        }
        mask = size - 1
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
    }

    private func clearSlot(of entry: Int) {
        var slot = Int(truncatingIfNeeded: hashes[entry]) & mask
        while slots[slot] != Int32(entry) { slot = (slot + 1) & mask }
        // The entry is in the table, so probing past slots emptied before
        // it still ends at it.
        slots[slot] = -1
    }

    /// Bytes readable from `base` (the line's length).
    private var limit = 0

    /// A word at a time: ids are short, and a byte loop was a visible cost.
    @inline(__always)
    private func hash(_ start: Int, _ n: Int) -> UInt64 {
        let p = UnsafeRawPointer(base! + start)
        var h = UInt64(truncatingIfNeeded: n) &* 0x9E3779B97F4A7C15
        var k = 0
        while k + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* 0xBF58476D1CE4E5B9
            h ^= h >> 31
            k += 8
        }
        if k < n {
            var tail: UInt64 = 0
            if start + k + 8 <= limit {
                tail = p.loadUnaligned(fromByteOffset: k, as: UInt64.self) & ((1 << (8 * UInt64(n - k))) &- 1)
            } else {
                for j in k..<n { tail |= UInt64(p.load(fromByteOffset: j, as: UInt8.self)) << (8 * UInt64(j - k)) }
            }
            h = (h ^ tail) &* 0xBF58476D1CE4E5B9
        }
        return h ^ (h >> 29)
    }

    /// The number of the id at `start..<start+length`; a new one if unseen.
    func insert(start: Int, length: Int) -> (index: Int, isNew: Bool) {
        let p = base! + start
        let h = hash(start, length)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[slot])
            if e < 0 { break }
            if hashes[e] == h, Int(lengths[e]) == length, memcmp(base! + Int(starts[e]), p, length) == 0 {
                return (e, false)
            }
            slot = (slot + 1) & mask
        }
        if starts.count * 2 >= slots.count { grow() ; return insert(start: start, length: length) }
        slots[slot] = Int32(starts.count)
        starts.append(Int32(start)); lengths.append(Int32(length)); hashes.append(h)
        return (starts.count - 1, true)
    }

    /// The number of the id, or nil.
    func find(start: Int, length: Int) -> Int? {
        let p = base! + start
        let h = hash(start, length)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[slot])
            if e < 0 { return nil }
            if hashes[e] == h, Int(lengths[e]) == length, memcmp(base! + Int(starts[e]), p, length) == 0 { return e }
            slot = (slot + 1) & mask
        }
    }

    private func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for e in starts.indices {
            var slot = Int(truncatingIfNeeded: hashes[e]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(e)
        }
    }
}
