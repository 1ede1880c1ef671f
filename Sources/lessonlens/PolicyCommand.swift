import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens policy`: the default policy, as a file to start from.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Print the default policy (JSON); edit it and pass it with --policy.",
        discussion: "With --check FILE, reads a policy file and prints it in full, or says what is wrong with it."
    )

    @Option(name: .long, help: ArgumentHelp("A policy file to read and print in full.", valueName: "file"))
    var check: String?

    func run() throws {
        let policy = try loadPolicyFile(check)
        OutputStream.standardOutput.write(policy.json())
        OutputStream.standardOutput.flush()
    }
}
