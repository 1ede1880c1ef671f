// Issue 28's item 2, measured before building it into the reader: what a
// stage-1 structural index (simdjson's first stage) costs in Swift on one
// core. For each 64-byte block: quotes and backslashes as bitmaps from Swift's
// SIMD types, escaped quotes removed (odd runs of backslashes), the inside of
// strings by a prefix XOR, the structural characters outside strings, and
// their positions written to an index, as simdjson's stage 1 writes them.
// The index would replace the scanner's own finding of string ends and
// separators; it can pay only if it costs less than that finding does.
//
// Build and run (see docs/performance.md, "What was tried and lost"):
//   swiftc -Ounchecked Benchmarks/stage1-index.swift -o /tmp/stage1-index
//   /tmp/stage1-index FILE
import Foundation

@inline(__always)
func bits(_ m: SIMDMask<SIMD64<Int8>>) -> UInt64 {
    // No movemask in Swift: each byte's 0/1 weighted by its place, summed by
    // a multiply per 8 bytes (the lanes' bits never collide).
    let ones = unsafeBitCast(m, to: SIMD64<UInt8>.self) & SIMD64<UInt8>(repeating: 1)
    let words = unsafeBitCast(ones, to: SIMD8<UInt64>.self)
    let packed = (words &* SIMD8<UInt64>(repeating: 0x0102_0408_1020_4080)) &>> SIMD8<UInt64>(repeating: 56)
    let placed = packed &<< SIMD8<UInt64>(0, 8, 16, 24, 32, 40, 48, 56)
    return placed.wrappedSum()
}

/// The same bitmaps a word at a time (SWAR, as the scanner finds quotes):
/// the bytes of `w` equal to `c` as 8 bits.
@inline(__always)
func swarEqual(_ w: UInt64, _ c: UInt8) -> UInt64 {
    let x = w ^ (UInt64(c) &* 0x0101_0101_0101_0101)
    let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    let zero = ~(((x & low7) &+ low7) | x) & 0x8080_8080_8080_8080  // high bit of each zero byte
    return ((zero >> 7) &* 0x0102_0408_1020_4080) >> 56
}

@inline(__always)
func swarBits(_ p: UnsafeRawPointer, _ classify: (UInt64) -> UInt64) -> UInt64 {
    var result: UInt64 = 0
    for k in 0..<8 { result |= classify(p.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)) << (8 * k) }
    return result
}

@inline(__always)
func prefixXor(_ x: UInt64) -> UInt64 {
    var x = x
    x ^= x << 1; x ^= x << 2; x ^= x << 4; x ^= x << 8; x ^= x << 16; x ^= x << 32
    return x
}

struct Stage1 {
    var previousEscaped: UInt64 = 0
    var previousInString: UInt64 = 0
    /// Positions within the chunk (a plain buffer: an array's append checked uniqueness each time).
    let index = UnsafeMutablePointer<UInt32>.allocate(capacity: (4 << 20) + 64)
    var count = 0

    /// The same block by SWAR (`swar` as the second argument).
    @inline(__always)
    mutating func swarBlock(_ p: UnsafeRawPointer, offset: UInt32) {
        let quote = swarBits(p) { swarEqual($0, UInt8(ascii: "\"")) }
        let backslash = swarBits(p) { swarEqual($0, UInt8(ascii: "\\")) }
        let ops = swarBits(p) {
            swarEqual($0, UInt8(ascii: "{")) | swarEqual($0, UInt8(ascii: "}")) | swarEqual($0, UInt8(ascii: "["))
                | swarEqual($0, UInt8(ascii: "]")) | swarEqual($0, UInt8(ascii: ":")) | swarEqual($0, UInt8(ascii: ","))
        }
        finish(quote: quote, backslash: backslash, ops: ops, offset: offset)
    }

    /// The structural positions of one 64-byte block at `offset`.
    @inline(__always)
    mutating func block(_ p: UnsafeRawPointer, offset: UInt32) {
        let v = p.loadUnaligned(as: SIMD64<UInt8>.self)
        let quote = bits(v .== SIMD64(repeating: UInt8(ascii: "\"")))
        let backslash = bits(v .== SIMD64(repeating: UInt8(ascii: "\\")))
        // {}[]:, : the low nibble of `{` `}` `[` `]` `:` `,` as in simdjson's table,
        // here by compares (6 of them).
        let ops = bits((v .== SIMD64(repeating: UInt8(ascii: "{"))) .| (v .== SIMD64(repeating: UInt8(ascii: "}")))
            .| (v .== SIMD64(repeating: UInt8(ascii: "["))) .| (v .== SIMD64(repeating: UInt8(ascii: "]")))
            .| (v .== SIMD64(repeating: UInt8(ascii: ":"))) .| (v .== SIMD64(repeating: UInt8(ascii: ","))))
        finish(quote: quote, backslash: backslash, ops: ops, offset: offset)
    }

    @inline(__always)
    mutating func finish(quote: UInt64, backslash: UInt64, ops: UInt64, offset: UInt32) {
        var backslash = backslash
        // simdjson's find_escaped: characters after an odd run of backslashes.
        backslash &= ~previousEscaped
        let followsEscape = backslash << 1 | previousEscaped
        let evenBits: UInt64 = 0x5555_5555_5555_5555
        let oddStarts = backslash & ~evenBits & ~followsEscape
        let (sum, carry) = oddStarts.addingReportingOverflow(backslash)
        previousEscaped = carry ? 1 : 0
        let escaped = (evenBits ^ (sum << 1)) & followsEscape
        let realQuote = quote & ~escaped
        let inString = prefixXor(realQuote) ^ previousInString
        previousInString = UInt64(bitPattern: Int64(bitPattern: inString) >> 63)
        var structural = (ops & ~inString) | realQuote
        // Flatten, as simdjson does, into positions.
        while structural != 0 {
            index[count] = offset &+ UInt32(structural.trailingZeroBitCount)
            count &+= 1
            structural &= structural &- 1
        }
    }
}

func main() throws {
    let path = CommandLine.arguments[1]
    let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    let chunk = 4 << 20
    let swar = CommandLine.arguments.count > 2 && CommandLine.arguments[2] == "swar"
    var stage = Stage1()
    var structurals = 0, checksum: UInt64 = 0
    let started = DispatchTime.now().uptimeNanoseconds
    data.withUnsafeBytes { (all: UnsafeRawBufferPointer) in
        var start = 0
        var block = [UInt8](repeating: 0x20, count: 64)
        while start < all.count {
            let end = min(start + chunk, all.count)
            stage.count = 0
            var k = start
            while k + 64 <= end {
                if swar { stage.swarBlock(all.baseAddress! + k, offset: UInt32(k - start)) } else { stage.block(all.baseAddress! + k, offset: UInt32(k - start)) }
                k += 64
            }
            if k < end {  // the last bytes, padded with spaces
                for j in 0..<64 { block[j] = k + j < end ? all[k + j] : 0x20 }
                block.withUnsafeBytes { stage.block($0.baseAddress!, offset: UInt32(k - start)) }
            }
            structurals += stage.count
            checksum &+= stage.count > 0 ? UInt64(stage.index[stage.count - 1]) : 0
            start = end
        }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    print(String(format: "bytes=%d structurals=%d secs=%.3f MB/s=%.0f checksum=%llu",
                 data.count, structurals, seconds, Double(data.count) / seconds / 1e6, checksum))
}

try main()
