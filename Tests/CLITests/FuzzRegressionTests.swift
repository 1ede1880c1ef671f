import Foundation
import Testing

/// The fuzz harness's checks (scanner against decoder, stream with 1 and 2
/// threads and 64-byte chunks against line-by-line decoding) replayed,
/// without libFuzzer, on the seed corpus and every input that ever crashed.
@Suite struct FuzzRegressionTests {
    @Test func corpusAndRegressionsPassTheHarness() throws {
        let runner = CLI.executable.deletingLastPathComponent().appendingPathComponent("LessonLensFuzz")
        try #require(FileManager.default.isExecutableFile(atPath: runner.path), "LessonLensFuzz is built with the package")
        let (status, text) = try Helper.run(runner.path, [Helper.root.appendingPathComponent("Fuzz/corpus").path,
                                                          Helper.root.appendingPathComponent("Fuzz/regressions").path])
        #expect(status == 0, "\(text)")
        #expect(text.contains("inputs checked, no difference"), "\(text)")
    }
}
