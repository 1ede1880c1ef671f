/// Bytes as little-endian words: the helpers the scanner, the field tables
/// and the id tables share to compare and hash short runs of bytes a word at
/// a time instead of a byte at a time.

/// A word with its low `count` bytes set, `count` in 0..<8 (a masked shift:
/// no branch).
@inlinable @inline(__always)
package func lowBytesMask(_ count: Int) -> UInt64 {
    (1 &<< (8 &* UInt64(count))) &- 1
}

/// Up to 16 bytes as two words, bytes 0..<8 and 8..<16, zero-padded: the
/// form in which names and key runs are compared.
@inlinable
package func packedWords<C: Collection>(_ bytes: C) -> (UInt64, UInt64) where C.Element == UInt8 {
    var first: UInt64 = 0, second: UInt64 = 0
    for (k, b) in bytes.enumerated() {
        if k < 8 { first |= UInt64(b) << (8 * UInt64(k)) } else { second |= UInt64(b) << (8 * UInt64(k - 8)) }
    }
    return (first, second)
}

/// A 64-bit hash of `count` bytes, a word at a time (ids are short, and a byte
/// loop was a visible cost). `readable`: how many bytes from `p` may be read;
/// with 8 more than the last word, the tail is one masked load.
@inlinable @inline(__always)
package func hashBytes(_ p: UnsafeRawPointer, count n: Int, readable: Int) -> UInt64 {
    var h = UInt64(truncatingIfNeeded: n) &* HashConstants.golden
    var k = 0
    while k + 8 <= n {
        h = (h ^ (p + k).loadUnaligned(as: UInt64.self)) &* HashConstants.splitMix
        h ^= h >> 31
        k += 8
    }
    if k < n {
        let tail: UInt64
        if k + 8 <= readable {
            tail = (p + k).loadUnaligned(as: UInt64.self) & lowBytesMask(n - k)
        } else {
            tail = packedWords(UnsafeRawBufferPointer(start: p + k, count: n - k)).0
        }
        h = (h ^ tail) &* HashConstants.splitMix
    }
    return h ^ (h >> 29)
}
