import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator

@Suite struct IdentifierTableTests {
    /// Numbers ids written one after another in `line`, as the scanner
    /// does, and checks them against a dictionary of Strings.
    private func check(_ ids: [String], in table: IdentifierTable, finding probes: [String] = []) {
        let line = ids.joined(separator: ",")
        var ranges: [(Int, Int)] = []
        var offset = 0
        for id in ids {
            ranges.append((offset, id.utf8.count))
            offset += id.utf8.count + 1
        }
        var expected: [String: Int] = [:]
        Array(line.utf8).withUnsafeBufferPointer { bytes in
            table.reset(bytes: bytes, expected: 0)
            for (id, (start, length)) in zip(ids, ranges) {
                let (index, isNew) = table.insert(start: start, length: length)
                if let known = expected[id] {
                    #expect(!isNew && index == known, "\(id) again")
                } else {
                    #expect(isNew && index == expected.count, "\(id) new")
                    expected[id] = index
                }
            }
            #expect(table.count == expected.count)
            for (id, (start, length)) in zip(ids, ranges) {
                #expect(table.find(start: start, length: length) == expected[id], "find \(id)")
            }
        }
        // Ids not in the table are not found (read from a line of their own).
        for probe in probes where expected[probe] == nil {
            let all = ids + [probe]
            let line = all.joined(separator: ",")
            let start = line.utf8.count - probe.utf8.count
            Array(line.utf8).withUnsafeBufferPointer { bytes in
                table.reset(bytes: bytes, expected: 0)
                var offset = 0
                for id in ids {
                    _ = table.insert(start: offset, length: id.utf8.count)
                    offset += id.utf8.count + 1
                }
                #expect(table.find(start: start, length: probe.utf8.count) == nil, "\(probe) absent")
            }
        }
    }

    @Test func shortAndLongIdsOfEveryLength() {
        let table = IdentifierTable()
        // 1 to 16 bytes: packed words up to 8, hashed beyond; prefixes of
        // one another must stay apart, as must ids that share 8 bytes.
        let ids = (1...16).map { String(repeating: "s", count: $0) } + ["S01", "S1", "S10", "student-0001", "student-0002",
                                                                       "student-", "student-0", "学生一", "学生一号同学", "S01"]
        check(ids, in: table, finding: ["S0", "S011", "student-0003", "student-000", "学生二", String(repeating: "s", count: 17)])
    }

    @Test func growsWithinALessonAndEmptiesBetweenLessons() {
        let table = IdentifierTable()
        // 1,000 ids (short and long) in one lesson: the table grows past
        // its 256 slots with the lesson's ids still in it.
        let many = (0..<1000).map { $0 % 3 == 0 ? "long-student-\($0)" : "S\($0)" }
        check(many + many.prefix(50), in: table, finding: ["S1000", "long-student-1"])
        // The next lessons start empty, whatever came before.
        for lesson in 0..<300 {
            let ids = (0..<(lesson % 40)).map { "S\(($0 * 7 + lesson) % 50)" }
            check(ids, in: table, finding: ["S50", "S99"])
        }
    }

    /// Ids at the very end of the line, where a word cannot be read whole.
    @Test func idsAtTheEndOfTheLine() {
        for length in 1...12 {
            let id = String(repeating: "x", count: length)
            check(["a", id], in: IdentifierTable(), finding: [String(repeating: "x", count: length + 1)])
            check([id], in: IdentifierTable())
        }
    }
}
