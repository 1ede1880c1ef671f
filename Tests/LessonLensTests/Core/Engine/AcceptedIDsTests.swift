import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator

@Suite struct AcceptedIDsTests {
    @Test func duplicatesAreFoundAndCollisionsAreNot() {
        var ids = AcceptedIDs()
        var firstTimes = 0, againTimes = 0
        for k in 0..<5000 where ids.insert(HashedID("v-\(k)")) { firstTimes += 1 }
        for k in stride(from: 0, to: 5000, by: 7) where ids.insert(HashedID("v-\(k)")) { againTimes += 1 }
        #expect(firstTimes == 5000 && againTimes == 0 && ids.count == 5000)
        // Equal hashes, different ids: both kept; each still found again.
        let x = ids.insert(HashedID("x", hash: 42)), y = ids.insert(HashedID("y", hash: 42))
        let xAgain = ids.insert(HashedID("x", hash: 42)), yAgain = ids.insert(HashedID("y", hash: 42))
        #expect(x && y && !xAgain && !yAgain)
        #expect(HashedID("王老师-1").hash == HashedID("王老师-1").hash && HashedID("a").hash != HashedID("b").hash)
    }

    /// Entries keep their places through growth, from a reserved size or not.
    @Test(arguments: [0, 100, 20_000])
    func growthKeepsEveryID(reserved: Int) {
        var ids = AcceptedIDs()
        ids.reserve(reserved)
        let early = ids.insert(HashedID("x", hash: 7)) && ids.insert(HashedID("y", hash: 7))
        var fresh = 0
        for k in 0..<10_000 where ids.insert(HashedID("id-\(k)")) { fresh += 1 }
        let again = [ids.insert(HashedID("x", hash: 7)), ids.insert(HashedID("y", hash: 7)),
                     ids.insert(HashedID("id-0")), ids.insert(HashedID("id-9999"))]
        #expect(early && fresh == 10_000 && again == [false, false, false, false] && ids.count == 10_002)
    }
}
