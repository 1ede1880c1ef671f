/// The one identity rule for ids: lesson ids, roster ids and the students
/// that performances name are the same id when their Unicode scalars are the
/// same, after JSON unescaping. There is no canonical equivalence: `"é"`
/// (U+00E9) and `"e\u0301"` are two ids, and `"\u00e9"` is the same id as
/// `"é"`. Equal scalars are equal UTF-8 bytes, so the fast paths compare the
/// raw bytes of ids that have no escapes.
///
/// (Swift's `String ==` applies canonical equivalence, which is why ids are
/// never compared as Strings.) Group keys (`--by teacher`) keep String
/// equality, as documented for them.
public struct ScalarIdentity: Hashable, Sendable {
    /// The id as written (after JSON unescaping).
    public let id: String

    /// The identity of `id`.
    public init(_ id: String) { self.id = id }

    /// Equal when the Unicode scalars are equal (no canonical equivalence).
    public static func == (a: ScalarIdentity, b: ScalarIdentity) -> Bool {
        a.id.utf8.elementsEqual(b.id.utf8)
    }

    /// Hashes the Unicode scalars, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        var copy = id
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
