/// The constants of every hash in LessonLens, in one place. None of the
/// hashes is exposed or stored: they only place keys in tables, so changing
/// a constant changes speed, never an answer.
@usableFromInline package enum HashConstants {
    /// 2^64 / φ, odd: Fibonacci (multiplicative) hashing's multiplier; the
    /// high bits of `key &* golden` mix every bit of the key (Knuth, TAOCP 6.4).
    @inlinable @usableFromInline package static var golden: UInt64 { 0x9E37_79B9_7F4A_7C15 }
    /// SplitMix64's second multiplier (Steele, Lea & Flood 2014): mixes each
    /// word of a long id into the running hash.
    @inlinable @usableFromInline package static var splitMix: UInt64 { 0xBF58_476D_1CE4_E5B9 }
    /// xxHash64's PRIME64_2: spreads the second word of a field name before
    /// it is combined with the first.
    @inlinable @usableFromInline package static var xxPrime2: UInt64 { 0xC2B2_AE3D_27D4_EB4F }
    /// PCG's 64-bit LCG multiplier and increment: the sequence of candidate
    /// multipliers a `FieldTable` tries for its perfect hash.
    @inlinable @usableFromInline package static var lcgMultiplier: UInt64 { 6_364_136_223_846_793_005 }
    @inlinable @usableFromInline package static var lcgIncrement: UInt64 { 1_442_695_040_888_963_407 }
    /// FNV-1a 64-bit offset basis and prime: the server's hash of a posted
    /// line, to find a line already on disk.
    @inlinable @usableFromInline package static var fnvOffsetBasis: UInt64 { 0xCBF2_9CE4_8422_2325 }
    @inlinable @usableFromInline package static var fnvPrime: UInt64 { 0x0000_0100_0000_01B3 }
}
