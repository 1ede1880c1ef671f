import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// `--format`, shared by every command that prints results.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table, json or csv.")
    var format: OutputFormat = .table
}
