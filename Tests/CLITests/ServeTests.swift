import Foundation
import Testing

private func pythonAvailable() -> Bool {
    FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/python3")
        || ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") } == true
}

/// `lessonlens serve` on 127.0.0.1, ephemeral ports: storing, idempotent
/// retry, 409, 422 with check's messages, 413, 401/403, a second server
/// refused, reports served, and a SIGKILL fault test (Tests/Server/serve_test.py).
@Suite struct ServeTests {
    @Test(.enabled(if: pythonAvailable(), "needs python3"), .timeLimit(.minutes(5)))
    func serverOnLoopback() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", root.appendingPathComponent("Tests/Server/serve_test.py").path, CLI.executable.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("4 passed, 0 failed"), "\(text)")
    }
}
