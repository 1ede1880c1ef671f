import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens check`: validation only.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate observation logs: errors, warnings and counts.",
        discussion: "Prints one FILE:LINE: FIELD: reason message per rejected lesson and per warning on stdout."
    )

    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        let outcome = try runArchives(archive, diagnostics: .standardOutput, prepare: { _ in () }) { _ in }
        OutputStream.standardOutput.flush()
        throw outcome.exitCode
    }
}
