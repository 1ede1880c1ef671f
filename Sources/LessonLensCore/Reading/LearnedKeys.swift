/// The keys of one kind of object (lesson, student, segment, performance,
/// homework) as the lines being read write them: for each field, the exact
/// bytes from the end of the member before (or the object's `{`) to the
/// start of its value (`,"kind":`, `, "kind": `, `{"t":`), and the order in
/// which the fields came in the last object.
///
/// This is how the scanner reads any writer's layout without knowing any:
/// a member whose bytes are the ones learned for a field is that field
/// after one masked compare of up to 16 bytes. The field that came at this
/// place in the last object is tried first (a writer that keeps one order
/// is read by one compare a member); then, in objects of a few fields, each
/// field not yet read (a writer that shuffles its keys). Any other member
/// is read the general way (find the key, look it up), and its bytes and
/// place are learned. Bytes that matched were, at the same kind of place
/// (first member or a later one), once read the general way as that key:
/// they are read as that key again, so what is learned changes the speed,
/// never the reading.
///
/// Plain pointers into `LearnedKeys.Storage`, copied into the scanner (no
/// reference counting in the loops).
struct LearnedKeys {
    /// Fields per object that are learned (a lesson has 19).
    static var slots: Int { 24 }
    /// Objects of at most this many fields are searched field by field
    /// when the field of the last object's order is not the one.
    static var searchedFields: Int { 8 }

    struct Key {
        /// The bytes, little-endian in two words, and which bits count.
        var words: (UInt64, UInt64) = (0, 0)
        var masks: (UInt64, UInt64) = (0, 0)
        /// 0: nothing learned here.
        var count = 0
        /// The field (in `byPlace`; -1 there when nothing was learned).
        var field = -1
    }

    /// By field: the member's bytes as the object's first member, then as a later one.
    private let forms: UnsafeMutablePointer<Key>
    /// By place: the field that came there in the last object and its bytes.
    private let byPlace: UnsafeMutablePointer<Key>
    private let fieldCount: Int

    init(_ storage: Storage, kind: Int, fields: Int) {
        precondition(fields <= LearnedKeys.slots)
        forms = storage.forms + kind * 2 * LearnedKeys.slots
        byPlace = storage.byPlace + kind * LearnedKeys.slots
        fieldCount = fields
    }

    /// Owns the entries of every kind; the scanner keeps it alive.
    final class Storage: @unchecked Sendable {
        let forms: UnsafeMutablePointer<Key>
        let byPlace: UnsafeMutablePointer<Key>
        init(kinds: Int) {
            forms = .allocate(capacity: kinds * 2 * LearnedKeys.slots)
            forms.initialize(repeating: Key(), count: kinds * 2 * LearnedKeys.slots)
            byPlace = .allocate(capacity: kinds * LearnedKeys.slots)
            byPlace.initialize(repeating: Key(), count: kinds * LearnedKeys.slots)
        }
        deinit {
            forms.deallocate()
            byPlace.deallocate()
        }
    }

    /// The field that came at member number `place` in the last object, if
    /// the 16 bytes at `p` (all readable) begin with its learned bytes, and
    /// how many bytes those are. `seen`: the fields already read (a bit
    /// each), never matched again (a field twice is for the general way to
    /// reject).
    @inline(__always)
    func expected(_ place: Int, seen: UInt32, at p: UnsafePointer<UInt8>) -> (field: Int, count: Int)? {
        guard place < LearnedKeys.slots else { return nil }
        let k = byPlace[place]
        guard k.field >= 0, seen & (1 << UInt32(k.field)) == 0, LearnedKeys.matches(k, p) else { return nil }
        return (k.field, k.count)
    }

    /// The same for any field not yet read, in an object of a few fields
    /// (then it is expected at this place next time).
    func search(_ place: Int, seen: UInt32, at p: UnsafePointer<UInt8>) -> (field: Int, count: Int)? {
        guard place < LearnedKeys.slots, fieldCount <= LearnedKeys.searchedFields else { return nil }
        let byField = forms + (place == 0 ? 0 : LearnedKeys.slots)
        let raw = UnsafeRawPointer(p)
        let w0 = raw.loadUnaligned(as: UInt64.self), w1 = (raw + 8).loadUnaligned(as: UInt64.self)
        for f in 0..<fieldCount where seen & (1 << UInt32(f)) == 0 {
            let k = byField[f]
            if k.count != 0 && ((w0 ^ k.words.0) & k.masks.0) | ((w1 ^ k.words.1) & k.masks.1) == 0 {
                byPlace[place] = k
                return (f, k.count)
            }
        }
        return nil
    }

    /// Whether the 16 bytes at `p` begin with `k`'s.
    @inline(__always)
    private static func matches(_ k: Key, _ p: UnsafePointer<UInt8>) -> Bool {
        let raw = UnsafeRawPointer(p)
        let w0 = raw.loadUnaligned(as: UInt64.self), w1 = (raw + 8).loadUnaligned(as: UInt64.self)
        return ((w0 ^ k.words.0) & k.masks.0) | ((w1 ^ k.words.1) & k.masks.1) == 0
    }

    /// Learns that member number `place` was `count` bytes at `p` naming
    /// `field`; 16 bytes at `p` are readable. Longer runs are not learned.
    @inline(__always)
    func learn(_ place: Int, at p: UnsafePointer<UInt8>, count: Int, field: Int) {
        guard place < LearnedKeys.slots, count <= 16 else { return }
        let raw = UnsafeRawPointer(p)
        let masks = (LearnedKeys.mask(count), LearnedKeys.mask(count - 8))
        let words = (raw.loadUnaligned(as: UInt64.self) & masks.0, (raw + 8).loadUnaligned(as: UInt64.self) & masks.1)
        let key = Key(words: words, masks: masks, count: count, field: field)
        forms[(place == 0 ? 0 : LearnedKeys.slots) + field] = key
        byPlace[place] = key
    }

    /// The mask of a word's first `count` bytes (all 8 for 8 or more, none
    /// for 0 or fewer).
    @inline(__always)
    private static func mask(_ count: Int) -> UInt64 {
        count >= 8 ? ~0 : count <= 0 ? 0 : lowBytesMask(count)
    }
}
