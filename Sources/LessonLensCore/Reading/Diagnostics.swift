/// What is wrong with one field of one lesson: the field's path inside the
/// lesson (`segments[2].end`, or `json` for a line that is not JSON) and why.
public struct FieldIssue: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field's path in the lesson (`segments[2].end`), or `json`.
    public var field: String
    /// Why, as a template and its values (the output layer translates it).
    public var why: Reason

    /// An issue with `field` that `template` says, with its values.
    public init(field: String, _ template: Reason.Template, _ values: Reason.Value...) {
        self.field = field
        self.why = Reason(template: template, values: values)
    }

    /// An issue with `field` for a reason made elsewhere.
    public init(field: String, why: Reason) {
        self.field = field
        self.why = why
    }

    /// Why, in English.
    public var reason: String { why.description }

    /// `field: reason` in English.
    public var description: String { "\(field): \(reason)" }
}

/// A problem with its place in the input: `FILE:LINE: FIELD: reason`, like a
/// compiler's message. The CLI decides how to print it.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    /// An error rejects the lesson; a warning keeps it.
    public enum Severity: String, Sendable { case error, warning }

    /// Error or warning.
    public var severity: Severity
    /// The input's name as the user gave it (`standard input` for `-`).
    public var file: String
    /// 1-based line number in the file.
    public var line: Int
    /// The field and why.
    public var issue: FieldIssue

    /// A message about `issue` at `file`:`line`.
    public init(severity: Severity, file: String, line: Int, issue: FieldIssue) {
        self.severity = severity
        self.file = file
        self.line = line
        self.issue = issue
    }

    /// `FILE:LINE: [warning: ]FIELD: reason` in English.
    public var description: String {
        "\(file):\(line): \(severity == .warning ? "warning: " : "")\(issue.field): \(issue.reason)"
    }
}
