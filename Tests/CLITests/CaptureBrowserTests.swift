import Foundation
import Testing

/// The capture page in a real browser (Playwright for Python driving
/// Debian's chromium; `scripts/ensure-deps` installs both): a whole lesson
/// with Playwright's clock, reloads, viewports, bad set-up input, and the
/// page served by `lessonlens serve` sending and queueing lessons.
@Suite struct CaptureBrowserTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") && Helper.pythonHas("playwright.sync_api"),
                   "needs /usr/bin/chromium and Python's playwright (scripts/ensure-deps installs them)"),
          .timeLimit(.minutes(5)))
    func capturePageInChromium() throws {
        let (status, text) = try Helper.python("Tests/Browser/capture_test.py", [CLI.executable.path])
        #expect(status == 0, "\(text)")
        #expect(text.contains("14 passed, 0 failed"), "\(text)")
    }
}

/// The report pages on A4 paper and on a 390 px phone (Tests/Browser/print_test.py):
/// nothing cut at the right edge, navigation and filters hidden on paper.
@Suite struct PrintedPagesTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") && Helper.pythonHas("playwright.sync_api"),
                   "needs /usr/bin/chromium and Python's playwright (scripts/ensure-deps installs them)"),
          .timeLimit(.minutes(5)))
    func reportPagesFitA4AndAPhone() throws {
        let (status, text) = try Helper.python("Tests/Browser/print_test.py", [CLI.executable.path])
        #expect(status == 0, "\(text)")
        #expect(text.contains("16 passed, 0 failed"), "\(text)")
    }
}
