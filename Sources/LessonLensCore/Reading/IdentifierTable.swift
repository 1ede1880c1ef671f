import Foundation

/// Numbers the student ids of one lesson by their bytes: a small open-
/// addressing hash table, reused from lesson to lesson, that never makes a
/// String or hashes with SipHash. Ids are byte ranges of the line.
///
/// Cost: O(1) expected per id; memory for the largest lesson seen.
///
/// `@unchecked Sendable`: each reader (a scanner or decoder) owns its own
/// table and uses it from one thread at a time; tables are never shared.
final class IdentifierTable: @unchecked Sendable {
    /// Tape positions of the roster's ids and of the performances' students.
    var rosterKeys: [Int] = []
    var performerKeys: [Int] = []

    /// A slot: `key` is a short id's bytes (8 or fewer, packed in a word)
    /// or a long id's hash; `tag` is `epoch << 32 | long << 31 | number`, and
    /// the slot is empty unless its epoch is the current one, so emptying
    /// the table for the next lesson is one increment, not a pass.
    ///
    /// Ids come from raw JSON strings, which hold no NUL byte: a packed short
    /// id therefore names exactly one id, and is compared as one word. Long
    /// ids are compared byte for byte when their hashes are equal.
    private struct Slot {
        var key: UInt64
        var tag: UInt64
    }
    /// Where each long id lies in the line, by number.
    private struct LongID {
        var start: Int32
        var length: Int32
    }
    private var slots: UnsafeMutablePointer<Slot>
    private var slotCount = 256
    /// log2(slotCount), for the multiplicative hash's shift.
    private var slotBits = 8
    private var epoch: UInt64 = 1
    /// By number; numbers of short ids hold a placeholder.
    private var longIDs = GrowableBuffer<LongID>(capacity: 128)
    private(set) var count = 0
    private var base: UnsafePointer<UInt8>?
    /// Bytes readable from `base` (the line's length).
    private var limit = 0

    init() {
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: Slot(key: 0, tag: 0), count: slotCount)
    }

    deinit {
        slots.deallocate()
    }

    /// Empties the table for ids in `bytes`, about `expected` of them.
    func reset(bytes: UnsafeBufferPointer<UInt8>, expected: Int) {
        base = bytes.baseAddress
        limit = bytes.count
        count = 0
        longIDs.removeAll()
        epoch += 1
        if epoch == 1 << 31 { epoch = 1; slots.update(repeating: Slot(key: 0, tag: 0), count: slotCount) }
        if expected * 2 > slotCount { resizeSlots(minimum: expected * 2) }
    }

    /// A bigger table, with the current lesson's ids moved over (when it
    /// grows during a lesson).
    private func resizeSlots(minimum: Int) {
        var bits = slotBits
        while 1 << bits < minimum { bits += 1 }
        let old = slots, oldCount = slotCount
        slots = .allocate(capacity: 1 << bits)
        slots.initialize(repeating: Slot(key: 0, tag: 0), count: 1 << bits)
        slotCount = 1 << bits
        slotBits = bits
        for k in 0..<oldCount where old[k].tag >> 32 == epoch {
            var slot = home(old[k].key)
            while slots[slot].tag >> 32 == epoch { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = old[k]
        }
        old.deallocate()
    }

    /// The first slot to probe for a key (multiplicative hashing: the high
    /// bits of the product mix every byte of a packed id).
    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* HashConstants.golden) &>> UInt64(64 - slotBits))
    }

    /// The number of the id at `start..<start+length`; a new one if unseen.
    func insert(start: Int, length: Int) -> (index: Int, isNew: Bool) {
        if length <= 8 { return insert(packed: packedShort(start, length)) }
        return insert(key: longHash(start, length), kind: 1 << 31, start: start, length: length)
    }

    /// The same for a short id (8 bytes or fewer) given packed in a word.
    func insert(packed word: UInt64) -> (index: Int, isNew: Bool) {
        insert(key: word, kind: 0, start: 0, length: 0)
    }

    @inline(__always)
    private func insert(key: UInt64, kind: UInt64, start: Int, length: Int) -> (index: Int, isNew: Bool) {
        if (count + 1) * 2 > slotCount { resizeSlots(minimum: (count + 1) * 2) }
        var slot = home(key)
        while slots[slot].tag >> 32 == epoch {
            let s = slots[slot]
            if s.key == key && s.tag & (1 << 31) == kind && (kind == 0 || sameLong(s.tag, start, length)) {
                return (Int(truncatingIfNeeded: s.tag & 0x7FFF_FFFF), false)
            }
            slot = (slot + 1) & (slotCount - 1)
        }
        if kind != 0 { rememberLong(start, length) }
        slots[slot] = Slot(key: key, tag: epoch << 32 | kind | UInt64(count))
        count += 1
        return (count - 1, true)
    }

    /// The number of the id, or nil.
    func find(start: Int, length: Int) -> Int? {
        if length <= 8 { return find(packed: packedShort(start, length)) }
        return find(key: longHash(start, length), kind: 1 << 31, start: start, length: length)
    }

    /// The same for a short id given packed in a word.
    func find(packed word: UInt64) -> Int? {
        find(key: word, kind: 0, start: 0, length: 0)
    }

    @inline(__always)
    private func find(key: UInt64, kind: UInt64, start: Int, length: Int) -> Int? {
        var slot = home(key)
        while slots[slot].tag >> 32 == epoch {
            let s = slots[slot]
            if s.key == key && s.tag & (1 << 31) == kind && (kind == 0 || sameLong(s.tag, start, length)) {
                return Int(truncatingIfNeeded: s.tag & 0x7FFF_FFFF)
            }
            slot = (slot + 1) & (slotCount - 1)
        }
        return nil
    }

    @inline(__always)
    private func longHash(_ start: Int, _ length: Int) -> UInt64 {
        hashBytes(UnsafeRawPointer(base! + start), count: length, readable: limit - start)
    }

    /// Whether the long id numbered in `tag` has these bytes.
    private func sameLong(_ tag: UInt64, _ start: Int, _ length: Int) -> Bool {
        let e = longIDs[Int(truncatingIfNeeded: tag & 0x7FFF_FFFF)]
        return Int(e.length) == length && memcmp(base! + Int(e.start), base! + start, length) == 0
    }

    /// Records where long id number `count` lies (numbers are shared with
    /// short ids, so the array has a gap for each of those).
    private func rememberLong(_ start: Int, _ length: Int) {
        longIDs.resize(to: count + 1, fill: LongID(start: 0, length: 0))
        longIDs[count] = LongID(start: Int32(start), length: Int32(length))
    }

    /// The bytes of a short id (8 or fewer) in one word, zero above.
    @inline(__always)
    private func packedShort(_ start: Int, _ length: Int) -> UInt64 {
        let p = UnsafeRawPointer(base! + start)
        if start + 8 <= limit {
            let word = p.loadUnaligned(as: UInt64.self)
            return length == 8 ? word : word & lowBytesMask(length)
        }
        return packedWords(UnsafeRawBufferPointer(start: p, count: length)).0
    }
}
