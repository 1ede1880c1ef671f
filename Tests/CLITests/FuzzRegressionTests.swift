import Foundation
import Testing

/// The fuzz harness's checks (scanner against decoder, stream with 1 and 2
/// threads and 64-byte chunks against line-by-line decoding) replayed,
/// without libFuzzer, on the seed corpus and every input that ever crashed.
@Suite struct FuzzRegressionTests {
    @Test func corpusAndRegressionsPassTheHarness() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let runner = CLI.executable.deletingLastPathComponent().appendingPathComponent("LessonLensFuzz")
        try #require(FileManager.default.isExecutableFile(atPath: runner.path), "LessonLensFuzz is built with the package")
        let p = Process()
        p.executableURL = runner
        p.arguments = [root.appendingPathComponent("Fuzz/corpus").path, root.appendingPathComponent("Fuzz/regressions").path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("inputs checked, no difference"), "\(text)")
    }
}
