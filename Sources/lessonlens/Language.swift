import LessonLensOutput

/// The strings of this run's language: `--lang zh|en` wherever it stands on
/// the command line (every command that prints messages takes it), else the
/// locale (LC_ALL, LC_MESSAGES, LANG). A global, so that a message made deep
/// in reading (a damaged gzip stream) speaks the same language as the rest.
let cliMessages: Messages = {
    let arguments = CommandLine.arguments
    for (k, argument) in arguments.enumerated() {
        if argument == "--lang", k + 1 < arguments.count, let language = ReportLanguage(rawValue: arguments[k + 1]) {
            return Messages(language)
        }
        if argument.hasPrefix("--lang="), let language = ReportLanguage(rawValue: String(argument.dropFirst(7))) {
            return Messages(language)
        }
    }
    return Messages(Messages.localeLanguage)
}()
