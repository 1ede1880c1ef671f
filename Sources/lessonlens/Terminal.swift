import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether output goes to a person at a terminal: color only then, and never
/// when NO_COLOR is set (https://no-color.org).
struct Terminal {
    var color: Bool

    static var stdoutStyle: Terminal {
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return Terminal(color: isatty(STDOUT_FILENO) == 1 && !noColor)
    }

    /// Colors ✓ green and ✗ red (keeping the marks, so color is never the only cue).
    func colorMarks(_ cell: String) -> String {
        guard color else { return cell }
        if cell.contains("✓") { return "\u{1B}[32m\(cell)\u{1B}[0m" }
        if cell.contains("✗") { return "\u{1B}[31m\(cell)\u{1B}[0m" }
        return cell
    }
}
