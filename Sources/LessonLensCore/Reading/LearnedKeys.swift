/// The keys of one kind of object (lesson, student, segment, performance,
/// homework) as the lines being read write them: for each field, the exact
/// bytes of a member from the end of the value before it (or from the
/// object's `{`) to the start of its own value: `,"kind":`, `, "kind": `,
/// `{"t":`.
///
/// This is how the scanner reads any writer's layout without knowing any:
/// the bytes at a member are looked up by their first five (a separator,
/// a quote and the key's first letters: one multiply, a pair of slots for
/// keys that begin alike, such as `period` and `performances`), and if the
/// learned bytes there are the member's, it is that field after one masked
/// compare of up to 16 bytes, whatever the key order. Any other member is
/// read the general way (find the key, look it up), and its bytes are
/// learned. An object's first member and its later ones are learned
/// apart (`{"t":` is a key only where an object begins). Before the lookup,
/// the member found at the same place in the last object is tried: with
/// one key order, as most writers keep, it is the one, and its byte count
/// is known before the line's bytes are. Bytes that matched
/// were, at the same kind of place, once read the general way as that key:
/// they are read as that key again, so what is learned changes the speed,
/// never the reading.
///
/// A plain pointer into `LearnedKeys.Storage`, copied into the scanner (no
/// reference counting in the loops).
struct LearnedKeys {
    /// Slots per kind of object (a lesson has 19 fields, each learned
    /// first or later in an object; a writer uses one or two spacings).
    static var slots: Int { 64 }

    struct Key {
        /// The bytes, little-endian in two words, and which bits count.
        var words: (UInt64, UInt64) = (0, 0)
        var masks: (UInt64, UInt64) = (0, 0)
        var count = 0
        /// The field's position among its type's cases; -1: nothing learned.
        var field = -1
    }

    /// An object's first members, then its later ones, then one entry
    /// never learned (where `expected` points before anything is).
    private let keys: UnsafeMutablePointer<Key>
    /// For each place in an object (its first member, its second, ...),
    /// the entry of the member that was there last time. Tried before the
    /// lookup: its address does not depend on the line's bytes, so for a
    /// writer with one key order the cursor's next position does not wait
    /// for the lookup (the literal key runs' advantage), and for one that
    /// shuffles keys it is one compare more.
    private let expected: UnsafeMutablePointer<Int32>

    /// Places remembered in an object (a kind of object has fewer fields;
    /// any later place would share the last).
    static var places: Int { 32 }

    init(_ storage: Storage, kind: Int) {
        keys = storage.keys + kind * Storage.keysPerKind
        expected = storage.expected + kind * LearnedKeys.places
    }

    /// Owns the entries of every kind; the scanner keeps it alive.
    final class Storage: @unchecked Sendable {
        static var keysPerKind: Int { 2 * LearnedKeys.slots + 1 }
        let keys: UnsafeMutablePointer<Key>
        let expected: UnsafeMutablePointer<Int32>
        init(kinds: Int) {
            keys = .allocate(capacity: kinds * Storage.keysPerKind)
            keys.initialize(repeating: Key(), count: kinds * Storage.keysPerKind)
            expected = .allocate(capacity: kinds * LearnedKeys.places)
            expected.initialize(repeating: Int32(2 * LearnedKeys.slots), count: kinds * LearnedKeys.places)
        }
        deinit {
            keys.deallocate()
            expected.deallocate()
        }
    }

    /// The slot of a member's bytes, by its first five.
    @inline(__always)
    private static func slot(_ first: UInt64) -> Int {
        Int(truncatingIfNeeded: ((first & 0xFF_FFFF_FFFF) &* HashConstants.golden) &>> 58)
    }

    /// The field whose learned bytes begin the 16 bytes at `p` (all
    /// readable), at the object's `place`-th member, and how many bytes
    /// those are; never a field in `seen` (a field twice is for the general
    /// way to reject). The first member's bytes and the later ones' are
    /// learned apart.
    @inline(__always)
    func match(place: Int, seen: UInt32, at p: UnsafePointer<UInt8>) -> (field: Int, count: Int)? {
        let raw = UnsafeRawPointer(p)
        let w0 = raw.loadUnaligned(as: UInt64.self), w1 = (raw + 8).loadUnaligned(as: UInt64.self)
        @inline(__always) func matches(_ k: Key) -> Bool {
            k.field >= 0 && seen & (1 &<< UInt32(truncatingIfNeeded: k.field)) == 0
                && ((w0 ^ k.words.0) & k.masks.0) | ((w1 ^ k.words.1) & k.masks.1) == 0
        }
        let place = min(place, LearnedKeys.places - 1)
        let last = keys[Int(expected[place])]
        if matches(last) { return (last.field, last.count) }
        let slot = (place == 0 ? 0 : LearnedKeys.slots) + LearnedKeys.slot(w0)
        var k = keys[slot]
        if matches(k) {
            expected[place] = Int32(truncatingIfNeeded: slot)
            return (k.field, k.count)
        }
        k = keys[slot ^ 1]
        if matches(k) {
            expected[place] = Int32(truncatingIfNeeded: slot ^ 1)
            return (k.field, k.count)
        }
        return nil
    }

    /// Learns that `count` bytes at `p` were the object's `place`-th member,
    /// naming `field`; 16 bytes at `p` are readable. Runs of 5 to 16 bytes
    /// are learned.
    @inline(__always)
    func learn(place: Int, at p: UnsafePointer<UInt8>, count: Int, field: Int) {
        guard count >= 5, count <= 16 else { return }
        let raw = UnsafeRawPointer(p)
        let masks = (LearnedKeys.mask(count), LearnedKeys.mask(count - 8))
        let words = (raw.loadUnaligned(as: UInt64.self) & masks.0, (raw + 8).loadUnaligned(as: UInt64.self) & masks.1)
        // The first slot of the pair if free, else the second.
        let place = min(place, LearnedKeys.places - 1)
        var slot = (place == 0 ? 0 : LearnedKeys.slots) + LearnedKeys.slot(words.0)
        if keys[slot].field >= 0 { slot ^= 1 }
        keys[slot] = Key(words: words, masks: masks, count: count, field: field)
        expected[place] = Int32(truncatingIfNeeded: slot)
    }

    /// The mask of a word's first `count` bytes (all 8 for 8 or more, none
    /// for 0 or fewer).
    @inline(__always)
    private static func mask(_ count: Int) -> UInt64 {
        count >= 8 ? ~0 : count <= 0 ? 0 : lowBytesMask(count)
    }
}
