/// A lesson id with a 64-bit hash of its bytes, made on a worker thread so
/// that the one thread deciding duplicates does not hash.
struct HashedID: Sendable {
    let id: String
    let hash: UInt64

    init(_ id: String) {
        self.id = id
        var copy = id
        hash = copy.withUTF8 { b in b.baseAddress.map { hashBytes($0, count: b.count, readable: b.count) } ?? 0 }
    }

    /// With a given hash (tests force collisions with it).
    init(_ id: String, hash: UInt64) {
        self.id = id
        self.hash = hash
    }

}

/// The ids of the lessons accepted so far, to decide duplicates in input
/// order. Open addressing on the ids' precomputed hashes: a slot is one word,
/// 32 bits of the hash and the entry's number, so a new id costs one cache
/// miss and ids are compared as Strings only when those bits are equal.
/// Grows by doubling (O(1) amortized per id); `reserve` avoids the rehashing,
/// which on a large archive is mostly cache misses. About 45 bytes per id.
struct AcceptedIDs {
    /// The high 32 bits of a hash, kept in a slot.
    private static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000
    /// `hash & tagMask | entry + 1`; 0 is an empty slot.
    private var slots = [UInt64](repeating: 0, count: 1024)
    private var ids: [String] = []
    /// Full hashes by entry, read in order when the table grows.
    private var hashes: [UInt64] = []

    var count: Int { ids.count }

    /// Makes room for `expected` ids without growing.
    mutating func reserve(_ expected: Int) {
        var size = slots.count
        while size < expected * 2 { size <<= 1 }
        if size > slots.count { rehash(to: size) }
        ids.reserveCapacity(expected)
        hashes.reserveCapacity(expected)
    }

    /// Reads the slots where these ids' probes will start. The table is
    /// large and read at random: inserting one id after another waits for
    /// one cache miss at a time, while these independent reads overlap, and
    /// the inserts that follow find the slots in cache.
    mutating func warm(_ hashes: [UInt64]) {
        let mask = slots.count - 1
        var sink: UInt64 = 0
        slots.withUnsafeBufferPointer { s in
            for h in hashes { sink ^= s[Int(truncatingIfNeeded: h) & mask] }
        }
        warmSink = sink  // kept, so that the reads are not optimized away
    }
    private var warmSink: UInt64 = 0

    /// Adds `id`; false when it was there already.
    mutating func insert(_ id: HashedID) -> Bool {
        if (ids.count + 1) * 2 > slots.count { rehash(to: slots.count * 2) }
        let mask = slots.count - 1
        let tag = id.hash & AcceptedIDs.tagMask
        var k = Int(truncatingIfNeeded: id.hash) & mask
        while slots[k] != 0 {
            if slots[k] & AcceptedIDs.tagMask == tag && ScalarIdentity(ids[Int(slots[k] & 0xFFFF_FFFF) - 1]) == ScalarIdentity(id.id) { return false }
            k = (k + 1) & mask
        }
        ids.append(id.id)
        hashes.append(id.hash)
        slots[k] = tag | UInt64(ids.count)
        return true
    }

    private mutating func rehash(to size: Int) {
        slots = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        for (e, h) in hashes.enumerated() {
            var k = Int(truncatingIfNeeded: h) & mask
            while slots[k] != 0 { k = (k + 1) & mask }
            slots[k] = h & AcceptedIDs.tagMask | UInt64(e + 1)
        }
    }
}
