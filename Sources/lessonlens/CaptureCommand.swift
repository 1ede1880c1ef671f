import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

/// `lessonlens capture`: writes the observer's page for recording a lesson live.
struct CaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Write the observer's page: one self-contained HTML file that records a lesson live on a phone and exports observation-log lines.",
        discussion: """
        Open the file in a phone's or tablet's browser (no network needed). Every tap is stored on the device at once; \
        a reload or a dead battery loses nothing. --roster embeds a class list (CSV or tab-separated, UTF-8 or GBK, \
        or the first sheet of an .xlsx workbook, a header such as id,tier,name,row,col or 学号,层次,姓名,行,列; \
        names are shown on seats, never written to a log).
        """
    )

    @Option(name: .long, help: "Language of the page: zh or en (default: from LANG, else en).")
    var lang: ReportLanguage?

    @Option(name: .long, help: ArgumentHelp("Class roster to embed: CSV or TSV with a header id,tier[,name,row,col] (or 学号,层次,姓名,行,列).", valueName: "file.csv"))
    var roster: String?

    @Option(name: .long, help: ArgumentHelp("The HTML file to write (- for standard output).", valueName: "file.html"))
    var out: String = "observe.html"

    @Option(name: .long, help: ArgumentHelp("Policy file: the live panel's targets.", valueName: "file"))
    var policy: String?

    @Option(name: .long, help: "Seats a row when the roster has no row and col columns (default 8).")
    var columns: Int = 8

    func validate() throws {
        guard (1...20).contains(columns) else { throw ValidationError(cliMessages.text(.optionRange, "--columns", "1", "20")) }
    }

    func run() throws {
        let language = lang ?? Messages.localeLanguage
        var seats: [CapturePage.Seat] = []
        var classes: [(name: String, seats: [CapturePage.Seat])] = []
        if let roster {
            let file = try loadRosterFile(roster)
            func seat(_ e: RosterCSV.Entry) -> CapturePage.Seat { CapturePage.Seat(id: e.id, tier: e.tier, name: e.name, row: e.row, col: e.col) }
            if file.hasClassColumn {
                // Rosters by class: the page offers the classes (never one room of all of them).
                for e in file.entries {
                    let name = e.className ?? ""
                    if let k = classes.firstIndex(where: { $0.name == name }) { classes[k].seats.append(seat(e)) } else { classes.append((name, [seat(e)])) }
                }
            } else {
                seats = file.entries.map(seat)
            }
        }
        let html = CapturePage.html(language: language, roster: seats, policy: try loadPolicyFile(policy), columns: columns, classes: classes)
        try writeOutput(html, to: out)
    }
}

/// Writes a generated page to a file, or to standard output for `-`.
func writeOutput(_ text: String, to path: String) throws {
    if path == "-" {
        OutputStream.standardOutput.write(text)
        OutputStream.standardOutput.flush()
        return
    }
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
        throw UsageError(message: cliMessages.text(.cannotWrite, path))
    }
    OutputStream.standardError.write("lessonlens: \(cliMessages.text(.wrote, path, "\(text.utf8.count / 1024)"))\n")
}
