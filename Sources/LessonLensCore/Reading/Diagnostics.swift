/// What is wrong with one field of one lesson: the field's path inside the
/// lesson (`segments[2].end`, or `json` for a line that is not JSON) and why.
public struct FieldIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    /// Why, as a template and its values (the output layer translates it).
    public var why: Reason

    public init(field: String, _ template: Reason.Template, _ values: Reason.Value...) {
        self.field = field
        self.why = Reason(template: template, values: values)
    }

    public init(field: String, why: Reason) {
        self.field = field
        self.why = why
    }

    /// Why, in English.
    public var reason: String { why.description }

    public var description: String { "\(field): \(reason)" }
}

/// A problem with its place in the input: `FILE:LINE: FIELD: reason`, like a
/// compiler's message. The CLI decides how to print it.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var severity: Severity
    public var file: String
    /// 1-based line number in the file.
    public var line: Int
    public var issue: FieldIssue

    public init(severity: Severity, file: String, line: Int, issue: FieldIssue) {
        self.severity = severity
        self.file = file
        self.line = line
        self.issue = issue
    }

    public var description: String {
        "\(file):\(line): \(severity == .warning ? "warning: " : "")\(issue.field): \(issue.reason)"
    }
}
