import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

/// The `lessonlens` command line: a thin shell over the LessonLens library.
@main
struct LessonLensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessonlens",
        abstract: "Evidence about how a lesson uses its time, from drop-in observation logs.",
        discussion: """
        Exit status: 0 all input accepted, 1 some input rejected (accepted \
        lessons are still processed), 2 usage error.
        """,
        version: "0.1.0",
        subcommands: [MetricsCommand.self, CheckCommand.self, SummaryCommand.self, TrendCommand.self, CompareCommand.self,
                      CorrelateCommand.self, MergeCommand.self, CaptureCommand.self, ServeCommand.self, AgreeCommand.self, ReliabilityCommand.self, STCommand.self, ProfileCommand.self,
                      ReportCommand.self, HomeworkCommand.self, PolicyCommand.self, GenerateCommand.self,
                      TemplateCommand.self, ImportCommand.self, ExportCommand.self]
    )

    /// Runs the command and maps every failure to the documented exit status.
    static func main() {
        // `lessonlens metric x`: name the nearest command instead of "2 unexpected arguments".
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, !first.hasPrefix("-"), first != "help" {
            let names = configuration.subcommands.compactMap { $0.configuration.commandName }
            if !names.contains(first) {
                let message = Suggestions.nearestName(to: first, among: names).map { cliMessages.text(.unknownCommandHint, first, $0, names.joined(separator: ", ")) }
                    ?? cliMessages.text(.unknownCommand, first, names.joined(separator: ", "))
                FileHandle.standardError.write(Data("lessonlens: \(message)\n".utf8))
                Foundation.exit(2)
            }
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error as UsageError {
            FileHandle.standardError.write(Data("lessonlens: \(error)\n".utf8))
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            var message = fullMessage(for: error)
            // swift-argument-parser's own prefix, in the run's language.
            if message.hasPrefix("Error: ") { message = cliMessages.text(.usageErrorPrefix) + message.dropFirst(7) }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
