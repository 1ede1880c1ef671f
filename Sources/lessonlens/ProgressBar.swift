import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display on stderr for long runs: bytes read, lessons
/// per second and, when the total size is known, percent and time left.
/// Only when stderr is a terminal and --quiet is not given.
final class ProgressBar {
    private let total: Int?
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var visible = false

    private init(total: Int?) { self.total = total }

    /// nil unless a person is watching stderr.
    static func make(quiet: Bool, total: Int?) -> ProgressBar? {
        guard !quiet, isatty(STDERR_FILENO) == 1 else { return nil }
        return ProgressBar(total: total)
    }

    func update(bytes: Int, lessons: Int) {
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(0.001, now.timeIntervalSince(started))
        var line = "  \(Self.size(bytes))"
        if let total, total > 0 {
            let fraction = min(1, Double(bytes) / Double(total))
            let width = 24
            let filled = Int(fraction * Double(width))
            line = "  [" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "] "
                + "\(Int(fraction * 100))%  \(Self.size(bytes)) / \(Self.size(total))"
            if fraction > 0.01 {
                let left = elapsed / fraction - elapsed
                line += "  ETA \(Int(left.rounded()))s"
            }
        }
        line += "  \(Int(Double(lessons) / elapsed)) lessons/s"
        OutputStream.standardError.write("\r\u{1B}[K" + line)
        OutputStream.standardError.flush()
        visible = true
    }

    /// Clears the line before other output goes to stderr.
    func clear() {
        guard visible else { return }
        OutputStream.standardError.write("\r\u{1B}[K")
        visible = false
    }

    static func size(_ bytes: Int) -> String {
        let mb = Double(bytes) / 1_000_000
        return mb >= 1000 ? Text.rounded(mb / 1000, digits: 2) + " GB" : Text.rounded(mb, digits: 0) + " MB"
    }
}

