import Testing
@testable import LessonLensCore

/// `GrowableBuffer`'s invariants: elements survive growth in order, `count`
/// never passes `capacity`, emptying keeps the memory, alignment is kept.
@Suite struct GrowableBufferTests {
    @Test func appendsGrowAndKeepEveryElementInOrder() {
        var buffer = GrowableBuffer<Int32>(capacity: 1)
        for k in 0..<1000 { buffer.append(Int32(k)) }
        #expect(buffer.count == 1000)
        #expect(buffer.capacity >= 1000 && buffer.capacity == 1024)
        #expect(Array(buffer.elements) == (0..<1000).map(Int32.init))
        buffer[999] = -1
        #expect(buffer[999] == -1 && buffer[998] == 998)
        buffer.removeLast()
        #expect(buffer.count == 999 && buffer.elements.last == 998)
    }

    @Test func emptyingKeepsTheMemoryForTheNextUse() {
        var buffer = GrowableBuffer<UInt8>(capacity: 4)
        for b in 0..<100 { buffer.append(UInt8(b)) }
        let capacity = buffer.capacity
        buffer.removeAll()
        #expect(buffer.count == 0 && buffer.elements.isEmpty && buffer.capacity == capacity)
        buffer.append(7)
        #expect(Array(buffer.elements) == [7])
    }

    @Test func resizeFillsAndTruncates() {
        var buffer = GrowableBuffer<Int>(capacity: 2)
        buffer.append(1)
        buffer.resize(to: 5, fill: 9)
        #expect(Array(buffer.elements) == [1, 9, 9, 9, 9])
        buffer.resize(to: 2, fill: 0)
        #expect(Array(buffer.elements) == [1, 9])
        buffer.reserveCapacity(100)
        #expect(buffer.capacity >= 100 && Array(buffer.elements) == [1, 9])
    }

    @Test func appendUpToTakesWhatTheWriterWroteAndNoMore() {
        var buffer = GrowableBuffer<UInt8>(capacity: 1, alignment: 16)
        let written = buffer.append(upTo: 10) { room in
            #expect(room.count == 10)
            for k in 0..<3 { room[k] = UInt8(k + 1) }
            return 3
        }
        #expect(written == 3 && Array(buffer.elements) == [1, 2, 3])
        // The memory keeps the asked alignment through growth (chunks are read 16 bytes at a time).
        #expect(Int(bitPattern: buffer.baseAddress) % 16 == 0)
        _ = buffer.append(upTo: 5000) { _ in 0 }
        #expect(Int(bitPattern: buffer.baseAddress) % 16 == 0 && buffer.count == 3)
    }
}
