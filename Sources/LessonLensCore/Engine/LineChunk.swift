import Foundation

/// Whole lines of an input, read straight from its source into memory the
/// chunk owns (a `GrowableBuffer`, 16-byte aligned for wide loads): the
/// chunk of the lessons' stream and of the homework ledger's. A line longer
/// than the chunk makes it grow.
struct LineChunk: ~Copyable {
    private var buffer: GrowableBuffer<UInt8>
    /// Bytes of whole lines at the start of the buffer; what was read past
    /// them went to the carry.
    private(set) var length = 0

    /// An empty chunk with room for `capacity` bytes.
    init(capacity: Int) {
        buffer = GrowableBuffer(capacity: capacity, alignment: 16)
    }

    /// The chunk's whole lines (valid until the next `fill`).
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: buffer.elements[..<length]) }

    /// Fills the chunk with `carry` then source bytes, up to the last
    /// newline once at least `chunkSize` bytes are in; what follows that
    /// newline becomes the new `carry`. Returns true at the end of input.
    mutating func fill(read: (UnsafeMutableRawBufferPointer) throws -> Int, carry: inout [UInt8], chunkSize: Int) throws -> Bool {
        length = 0
        buffer.removeAll()
        if carry.count > buffer.capacity / 2 { buffer.reserveCapacity(carry.count * 2) }
        carry.withUnsafeBufferPointer { c in
            _ = buffer.append(upTo: c.count) { room in _ = room.initialize(fromContentsOf: c); return c.count }
        }
        carry.removeAll(keepingCapacity: true)
        while true {
            if buffer.count == buffer.capacity { buffer.reserveCapacity(buffer.capacity * 2) }
            let n = try buffer.append(upTo: buffer.capacity - buffer.count) { room in try read(UnsafeMutableRawBufferPointer(room)) }
            if n == 0 { break }
            let used = buffer.count
            if used >= min(chunkSize, buffer.capacity) {
                // Cut after the last newline, if there is one; a line longer
                // than the buffer makes the buffer grow.
                if let cut = lastNewline(before: used) {
                    carry.append(contentsOf: UnsafeBufferPointer(rebasing: buffer.elements[(cut + 1)..<used]))
                    length = cut + 1
                    return false
                }
            }
        }
        length = buffer.count
        return true
    }

    private func lastNewline(before end: Int) -> Int? {
        let all = buffer.elements
        var k = end - 1
        while k >= 0 {
            if all[k] == 0x0A { return k }
            k -= 1
        }
        return nil
    }
}
