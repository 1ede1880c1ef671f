import ArgumentParser
import Foundation
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics
import LessonLensServer

/// `lessonlens serve`: a teaching-research group's shared archive over HTTP.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a shared archive: observers post lessons (POST /api/lessons), the group reads the reports (/, /teacher/NAME, /lesson/ID).",
        discussion: """
        The archive is an ordinary JSON Lines file; accepted lessons are appended and acknowledged only once on disk. \
        Listens on 127.0.0.1 unless given --token-file (a file holding a token of 16 or more characters): then it may \
        listen on any address, and every request but /api/health needs the token (Authorization: Bearer, or the login form).
        """
    )

    @Option(name: .long, help: ArgumentHelp("The archive (JSON Lines), created if missing.", valueName: "file.jsonl"))
    var archive: String

    @Option(name: .long, help: "Address to listen on (default 127.0.0.1).")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Port (default 8080; 0 picks a free one).")
    var port: Int = 8080

    @Option(name: .customLong("token-file"), help: ArgumentHelp("File holding the group's token.", valueName: "file"))
    var tokenFile: String?

    @Option(name: .long, help: ArgumentHelp("Policy file, for validation and the reports.", valueName: "file"))
    var policy: String?

    @Option(name: .customLong("max-body"), help: "Largest request body in bytes (default 8 MB).")
    var maxBody: Int = 8 << 20

    @Option(name: .long, help: ArgumentHelp("A homework ledger (homework-log-v1), created if missing: /homework, /board/CLASS?week=YYYY-Www and POST /api/homework.", valueName: "file.jsonl"))
    var homework: String?

    @Option(name: .long, help: ArgumentHelp("Class rosters (CSV, TSV or .xlsx with a class column, English or Chinese headers) offered on /capture and at GET /api/rosters.", valueName: "file"))
    var rosters: String?

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("Serve https: the certificate (chain) as PEM; with --tls-key.", valueName: "file.pem"))
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The certificate's private key as PEM.", valueName: "file.pem"))
    var tlsKey: String?

    @Option(name: .customLong("cache-mb"), help: "Memory for cached report pages, in megabytes (default 64).")
    var cacheMB: Int = 64

    @Flag(name: .customLong("public-board"), help: "With --homework and --token-file: the parents' boards (/board/CLASS) are readable without the token.")
    var publicBoard = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError(cliMessages.text(.optionRange, "--port", "0", "65535")) }
        guard maxBody > 0 else { throw ValidationError(cliMessages.text(.optionPositive, "--max-body")) }
        guard cacheMB >= 0 && cacheMB <= 65536 else { throw ValidationError(cliMessages.text(.optionRange, "--cache-mb", "0", "65536")) }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError(cliMessages.text(.tlsNeedsBoth)) }
        if publicBoard && homework == nil { throw ValidationError(cliMessages.text(.publicBoardNeedsHomework)) }
    }

    func run() throws {
        var settings = LessonLensServer.Settings(archive: archive)
        settings.host = host
        settings.port = port
        settings.policy = try loadPolicyFile(policy)
        settings.maxBodyBytes = maxBody
        settings.homework = homework
        settings.cacheMegabytes = cacheMB
        if let tlsCert, let tlsKey {
            for file in [tlsCert, tlsKey] where FileManager.default.contents(atPath: file) == nil {
                throw UsageError(message: cliMessages.text(.cannotOpen, file, "cannot read"))
            }
            settings.tlsFiles = (tlsCert, tlsKey)
        }
        if let rosters {
            let roster = try loadRosterFile(rosters)
            guard roster.hasClassColumn else { throw UsageError(message: cliMessages.text(.rosterFileError, rosters, "1", cliMessages(Reason(.rosterNeedsClass)))) }
            settings.rosters = roster
        }
        settings.publicBoard = publicBoard
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else { throw UsageError(message: cliMessages.text(.cannotReadToken, tokenFile)) }
            settings.token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            // The token is the group's key: a file others can read gives it away.
            var st = stat()
            if stat(tokenFile, &st) == 0, st.st_mode & 0o077 != 0 {
                OutputStream.standardError.write("lessonlens: warning: \(tokenFile) can be read by other users of this machine; chmod 600 \(tokenFile)\n")
            }
        }
        let server: LessonLensServer
        do {
            server = try LessonLensServer(settings)
        } catch {
            throw UsageError(message: "\(error)")
        }
        for note in server.store.startupNotes + (server.homeworkStore?.startupNotes ?? []) { OutputStream.standardError.write("lessonlens: warning: \(note)\n") }
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        let host = self.host
        let scheme = settings.tls ? "https" : "http"
        Task {
            do {
                try await server.run { port in
                    OutputStream.standardError.write("lessonlens: serving \(server.store.path) on \(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)/\n")
                    OutputStream.standardError.flush()
                }
            } catch {
                failure.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = failure.error { throw UsageError(message: "serve: \(error)") }
    }
}

/// The server task's error, read after it has ended.
private final class FailureBox: @unchecked Sendable {
    // Written by the server task before it signals, read after the wait.
    var error: Error?
}
