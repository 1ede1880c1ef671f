/// A lesson id with a 64-bit hash of its bytes, made on a worker thread so
/// that the one thread deciding duplicates does not hash.
struct HashedID: Sendable {
    let id: String
    let hash: UInt64

    init(_ id: String) {
        self.id = id
        var copy = id
        hash = copy.withUTF8 { HashedID.hash($0) }
    }

    /// With a given hash (tests force collisions with it).
    init(_ id: String, hash: UInt64) {
        self.id = id
        self.hash = hash
    }

    /// FNV-1a over the bytes, 8 at a time, then a final mix.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325 ^ UInt64(bytes.count)
        var k = 0
        let n = bytes.count
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while k + 8 <= n {
                h = (h ^ raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* 0x100000001b3
                h ^= h >> 32
                k += 8
            }
            while k < n {
                h = (h ^ UInt64(base[k])) &* 0x100000001b3
                k += 1
            }
        }
        h ^= h >> 33
        h &*= 0xff51afd7ed558ccd
        return h ^ (h >> 33)
    }
}

/// The ids of the lessons accepted so far, to decide duplicates in input
/// order. Open addressing on the ids' precomputed hashes, kept in the slots
/// themselves: a new id costs one cache miss, and ids are compared as Strings
/// only when hashes are equal. Grows by doubling: O(1) amortized per id,
/// about 50 bytes per id.
struct AcceptedIDs {
    private struct Slot {
        var hash: UInt64
        /// Index + 1 into `ids`; 0 is an empty slot.
        var entry: UInt32
    }
    private var slots = [Slot](repeating: Slot(hash: 0, entry: 0), count: 1024)
    private var ids: [String] = []

    var count: Int { ids.count }

    /// Adds `id`; false when it was there already.
    mutating func insert(_ id: HashedID) -> Bool {
        if (ids.count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var k = Int(truncatingIfNeeded: id.hash) & mask
        while slots[k].entry != 0 {
            if slots[k].hash == id.hash && ids[Int(slots[k].entry) - 1] == id.id { return false }
            k = (k + 1) & mask
        }
        ids.append(id.id)
        slots[k] = Slot(hash: id.hash, entry: UInt32(ids.count))
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(hash: 0, entry: 0), count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot.entry != 0 {
            var k = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[k].entry != 0 { k = (k + 1) & mask }
            slots[k] = slot
        }
    }
}
