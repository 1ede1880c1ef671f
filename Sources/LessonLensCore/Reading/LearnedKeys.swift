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
/// apart (`{"t":` is a key only where an object begins). Bytes that matched
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

    /// An object's first members, then its later ones.
    private let keys: UnsafeMutablePointer<Key>

    init(_ storage: Storage, kind: Int) {
        keys = storage.keys + kind * 2 * LearnedKeys.slots
    }

    /// Owns the entries of every kind; the scanner keeps it alive.
    final class Storage: @unchecked Sendable {
        let keys: UnsafeMutablePointer<Key>
        init(kinds: Int) {
            keys = .allocate(capacity: kinds * 2 * LearnedKeys.slots)
            keys.initialize(repeating: Key(), count: kinds * 2 * LearnedKeys.slots)
        }
        deinit { keys.deallocate() }
    }

    /// The slot of a member's bytes, by its first five.
    @inline(__always)
    private static func slot(_ first: UInt64) -> Int {
        Int(truncatingIfNeeded: ((first & 0xFF_FFFF_FFFF) &* HashConstants.golden) &>> 58)
    }

    /// The field whose learned bytes begin the 16 bytes at `p` (all
    /// readable), the object's first member or a later one, and how many
    /// bytes those are; never a field in `seen` (a field twice is for the
    /// general way to reject).
    @inline(__always)
    func match(first: Bool, seen: UInt32, at p: UnsafePointer<UInt8>) -> (field: Int, count: Int)? {
        let keys = first ? self.keys : self.keys + LearnedKeys.slots
        let raw = UnsafeRawPointer(p)
        let w0 = raw.loadUnaligned(as: UInt64.self), w1 = (raw + 8).loadUnaligned(as: UInt64.self)
        @inline(__always) func matches(_ k: Key) -> Bool {
            k.field >= 0 && seen & (1 &<< UInt32(truncatingIfNeeded: k.field)) == 0
                && ((w0 ^ k.words.0) & k.masks.0) | ((w1 ^ k.words.1) & k.masks.1) == 0
        }
        let slot = LearnedKeys.slot(w0)
        let k = keys[slot]
        if matches(k) { return (k.field, k.count) }
        let other = keys[slot ^ 1]
        if matches(other) { return (other.field, other.count) }
        return nil
    }

    /// Learns that `count` bytes at `p` were a member naming `field`; 16
    /// bytes at `p` are readable. Runs of 5 to 16 bytes are learned.
    @inline(__always)
    func learn(first: Bool, at p: UnsafePointer<UInt8>, count: Int, field: Int) {
        guard count >= 5, count <= 16 else { return }
        let keys = first ? self.keys : self.keys + LearnedKeys.slots
        let raw = UnsafeRawPointer(p)
        let masks = (LearnedKeys.mask(count), LearnedKeys.mask(count - 8))
        let words = (raw.loadUnaligned(as: UInt64.self) & masks.0, (raw + 8).loadUnaligned(as: UInt64.self) & masks.1)
        // The first slot of the pair if free, else the second.
        let slot = LearnedKeys.slot(words.0)
        keys[keys[slot].field < 0 ? slot : slot ^ 1] = Key(words: words, masks: masks, count: count, field: field)
    }

    /// The mask of a word's first `count` bytes (all 8 for 8 or more, none
    /// for 0 or fewer).
    @inline(__always)
    private static func mask(_ count: Int) -> UInt64 {
        count >= 8 ? ~0 : count <= 0 ? 0 : lowBytesMask(count)
    }
}
