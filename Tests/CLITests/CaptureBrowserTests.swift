import Foundation
import Testing

private func browserAvailable() -> Bool {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") else { return false }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import playwright.sync_api"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
}

/// The capture page in a real browser (Playwright for Python driving
/// Debian's chromium; `scripts/ensure-deps` installs both): a whole lesson
/// with Playwright's clock, reloads, viewports, bad set-up input.
@Suite struct CaptureBrowserTests {
    @Test(.enabled(if: browserAvailable(), "needs /usr/bin/chromium and Python's playwright (scripts/ensure-deps installs them)"),
          .timeLimit(.minutes(5)))
    func capturePageInChromium() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", root.appendingPathComponent("Tests/Browser/capture_test.py").path, CLI.executable.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("5 passed, 0 failed"), "\(text)")
    }
}
