import ArgumentParser
import LessonLensCore
import LessonLensGenerator
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens generate`: a synthetic archive on stdout, the same for the
/// same arguments on any machine.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic synthetic observation archive (JSON Lines) to stdout.",
        discussion: """
        Teachers keep their habits across visits, new teachers improve after \
        coaching (tags), classes of 12-55 with tiered rosters, overlaps, \
        overruns, both time notations, Chinese and English names. With \
        --bad-per-mille K, about K lines in 1000 break a rule of the spec.
        """
    )

    @Option(name: .long, help: "Number of lessons.")
    var lessons: Int?

    @Option(name: .long, help: "Write a homework ledger (homework-log-v1) of this many assignments instead of lessons.")
    var homework: Int?

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Number of teachers (default: one per 12 lessons, at least 6).")
    var teachers: Int?

    @Option(name: .customLong("bad-per-mille"), help: "Broken lines per 1000 (0-1000).")
    var badPerMille: Int = 0

    @Flag(name: .customLong("no-overlaps"), help: "Never let segments overlap (union = plain sum).")
    var noOverlaps = false

    @Option(name: .long, help: "Observers logging each visit (default 1); with 2 or more every visit is written once per observer, with a shared `visit`.")
    var observers: Int = 1

    @Option(name: .long, help: "With --observers: standard deviation, in seconds, of the later observers' segment boundaries (default 20).")
    var disagreement: Double = 20

    func validate() throws {
        guard (1...5).contains(observers) else { throw ValidationError(cliMessages.text(.optionRange, "--observers", "1", "5")) }
        guard disagreement >= 0, disagreement.isFinite else { throw ValidationError(cliMessages.text(.optionNonNegativeSeconds, "--disagreement")) }
        guard (lessons == nil) != (homework == nil) else { throw ValidationError(cliMessages.text(.lessonsOrHomework)) }
        guard (lessons ?? 0) >= 0 else { throw ValidationError(cliMessages.text(.optionNonNegative, "--lessons")) }
        guard (homework ?? 0) >= 0 else { throw ValidationError(cliMessages.text(.optionNonNegative, "--homework")) }
        guard (0...1000).contains(badPerMille) else { throw ValidationError(cliMessages.text(.optionRange, "--bad-per-mille", "0", "1000")) }
        if let teachers, teachers < 1 { throw ValidationError(cliMessages.text(.optionAtLeast, "--teachers", "1")) }
    }

    func run() throws {
        let out = OutputStream.standardOutput
        if let homework {
            let ledger = HomeworkGenerator(assignments: homework, seed: seed)
            while let line = ledger.nextLine() { out.write(line + "\n") }
            out.flush()
            return
        }
        let generator = ArchiveGenerator(GeneratorConfig(lessons: lessons ?? 0, seed: seed, teachers: teachers,
                                                         badPerMille: badPerMille, overlaps: !noOverlaps,
                                                         observers: observers, disagreementSeconds: disagreement))
        while !generator.isFinished {
            generator.fill(bytes: 4 << 20) { out.write($0) }
        }
        out.flush()
    }
}
