/// A growable run of plain values (`BitwiseCopyable`: no references, nothing
/// to release) in memory it owns: the one place the reading code allocates,
/// grows and frees raw memory for its work lists (the JSON tape and its
/// stack, the long ids of `IdentifierTable`, a chunk's bytes, the
/// generator's output).
///
/// Why not `Array`: appending here is a compare, a store and an increment,
/// with no uniqueness check or reference count on the hot path of a parser
/// that appends a few entries per byte of input.
///
/// Invariants (checked by `assert` in debug builds, relied on in release):
/// - `0 <= count <= capacity`, and `capacity >= 1`;
/// - the elements `0..<count` are initialized; nothing past `count` is read;
/// - `baseAddress` and `elements` are valid until the next call that may
///   grow the buffer (`append`, `resize`, `reserveCapacity`) or its end.
///
/// Not copyable: one owner frees the memory once, in `deinit`.
package struct GrowableBuffer<Element: BitwiseCopyable>: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<Element>
    @usableFromInline var storedCapacity: Int
    @usableFromInline var storedCount = 0
    @usableFromInline let alignment: Int

    /// Elements there is room for before the buffer must grow.
    @inlinable package var capacity: Int { storedCapacity }
    /// Initialized elements, from index 0.
    @inlinable package var count: Int { storedCount }

    /// An empty buffer with room for `capacity` elements (at least 1).
    /// `alignment`: of the memory, in bytes, when the caller loads wider
    /// words from it (a chunk's bytes are read 8 and 16 at a time).
    package init(capacity: Int, alignment: Int = MemoryLayout<Element>.alignment) {
        storedCapacity = Swift.max(1, capacity)
        self.alignment = Swift.max(alignment, MemoryLayout<Element>.alignment)
        base = UnsafeMutableRawPointer.allocate(byteCount: storedCapacity * MemoryLayout<Element>.stride, alignment: self.alignment)
            .bindMemory(to: Element.self, capacity: storedCapacity)
    }

    deinit { UnsafeMutableRawPointer(base).deallocate() }

    /// The first element's address (valid until the buffer grows).
    @inlinable package var baseAddress: UnsafeMutablePointer<Element> { base }

    /// The initialized elements (valid until the buffer grows).
    @inlinable package var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: storedCount) }

    /// Element `i`, which must be below `count`.
    @inlinable package subscript(i: Int) -> Element {
        @inline(__always) get {
            assert(i >= 0 && i < storedCount, "GrowableBuffer: index \(i) outside 0..<\(storedCount)")
            return base[i]
        }
        @inline(__always) set {
            assert(i >= 0 && i < storedCount, "GrowableBuffer: index \(i) outside 0..<\(storedCount)")
            base[i] = newValue
        }
    }

    /// Adds `element` after the last, doubling the capacity when full.
    @inlinable @inline(__always)
    package mutating func append(_ element: Element) {
        if storedCount == storedCapacity { grow(toAtLeast: storedCapacity * 2) }
        base[storedCount] = element
        storedCount += 1
    }

    /// Removes the last element, which must exist.
    @inlinable @inline(__always)
    package mutating func removeLast() {
        assert(storedCount > 0, "GrowableBuffer: removeLast on an empty buffer")
        storedCount -= 1
    }

    /// Empties the buffer, keeping its memory for the next use.
    @inlinable @inline(__always)
    package mutating func removeAll() { storedCount = 0 }

    /// `count` becomes `newCount`: shorter drops the elements past it, longer
    /// adds copies of `fill` (growing as needed).
    @inlinable
    package mutating func resize(to newCount: Int, fill: Element) {
        precondition(newCount >= 0, "GrowableBuffer: negative count")
        if newCount > storedCapacity { grow(toAtLeast: newCount) }
        if newCount > storedCount { (base + storedCount).initialize(repeating: fill, count: newCount - storedCount) }
        storedCount = newCount
    }

    /// Room for at least `minimum` elements; the elements stay.
    @inlinable
    package mutating func reserveCapacity(_ minimum: Int) {
        if minimum > storedCapacity { grow(toAtLeast: minimum) }
    }

    /// Appends `count` elements written by `body` into the room after the
    /// last one (`body` gets that room, at least `count` long, and returns
    /// how many it wrote: at most `count`).
    @inlinable @inline(__always)
    package mutating func append(upTo count: Int, _ body: (UnsafeMutableBufferPointer<Element>) throws -> Int) rethrows -> Int {
        if storedCount + count > storedCapacity { grow(toAtLeast: storedCount + count) }
        let written = try body(UnsafeMutableBufferPointer(start: base + storedCount, count: count))
        precondition(written >= 0 && written <= count, "GrowableBuffer: wrote \(written) of \(count)")
        storedCount += written
        return written
    }

    @usableFromInline
    mutating func grow(toAtLeast minimum: Int) {
        var newCapacity = storedCapacity
        while newCapacity < minimum { newCapacity *= 2 }
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: newCapacity * MemoryLayout<Element>.stride, alignment: alignment)
            .bindMemory(to: Element.self, capacity: newCapacity)
        bigger.initialize(from: base, count: storedCount)
        UnsafeMutableRawPointer(base).deallocate()
        base = bigger
        storedCapacity = newCapacity
    }
}
