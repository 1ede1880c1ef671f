/// The per-lesson output of `lessonlens metrics`: the identity of the lesson,
/// every metric and every standard, in JSON Lines, CSV or a table.
public enum MetricsFormat {
    /// Identity columns, before the metrics and standards.
    public static let identityColumns = ["id", "date", "teacher", "subject", "grade"]

    /// One JSON object (no newline): identity fields at the top level, then
    /// `metrics` and `standards` objects keyed by the spec's names.
    public static func jsonLine(_ e: EvaluatedLesson) -> String {
        var out: [UInt8] = []
        appendJSONLine(e, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `jsonLine` appended as bytes (no String per value: this runs once per
    /// lesson of an archive).
    public static func appendJSONLine(_ e: EvaluatedLesson, to out: inout [UInt8]) {
        Text.appendLiteral(#"{"id":"#, to: &out)
        Text.appendJSONString(e.id, to: &out)
        Text.appendLiteral(#","date":""#, to: &out)
        Text.appendDigits(e.date.year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Text.appendDigits(e.date.month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        Text.appendDigits(e.date.day, width: 2, to: &out)
        Text.appendLiteral(#"","teacher":"#, to: &out)
        Text.appendJSONString(e.teacher, to: &out)
        Text.appendLiteral(#","subject":"#, to: &out)
        Text.appendJSONString(e.subject, to: &out)
        Text.appendLiteral(#","grade":"#, to: &out)
        Text.appendInteger(e.grade, to: &out)
        Text.appendLiteral(#","metrics":{"#, to: &out)
        for k in 0..<Metric.count {
            let m = Metric.at(k)
            if k > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            Text.appendUTF8(m.rawValue, to: &out)
            Text.appendLiteral("\":", to: &out)
            Text.appendJSONNumber(e.metrics[m], to: &out)
        }
        Text.appendLiteral(#"},"standards":{"#, to: &out)
        for k in 0..<Standard.count {
            let s = Standard.at(k)
            if k > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            Text.appendUTF8(s.rawValue, to: &out)
            Text.appendLiteral("\":", to: &out)
            switch e.standards[s] {
            case nil: Text.appendLiteral("null", to: &out)
            case true?: Text.appendLiteral("true", to: &out)
            case false?: Text.appendLiteral("false", to: &out)
            }
        }
        Text.appendLiteral("}}", to: &out)
    }

    public static var csvHeader: String {
        (identityColumns + Metric.allCases.map(\.rawValue) + Standard.allCases.map(\.rawValue)).joined(separator: ",")
    }

    /// One CSV row (no newline); null is an empty field.
    public static func csvRow(_ e: EvaluatedLesson) -> String {
        var cells = [Text.csvField(e.id), e.date.description, Text.csvField(e.teacher), Text.csvField(e.subject), String(e.grade)]
        for m in Metric.allCases {
            let v = e.metrics[m]
            cells.append(v == nil ? "" : Text.jsonNumber(v))
        }
        for s in Standard.allCases {
            let v = e.standards[s]
            cells.append(v == nil ? "" : (v! ? "true" : "false"))
        }
        return cells.joined(separator: ",")
    }

    /// The metrics shown in the table (all of them are in JSON and CSV).
    public static let tableMetrics: [Metric] = [
        .reading_min, .writing_min, .homework_min, .independent_performers, .bottom_reached,
        .homework_completion, .overrun_min,
    ]

    public static var tableHeader: [String] {
        ["id", "date", "teacher"] + tableMetrics.map(\.shortLabel) + Standard.allCases.map(\.tableLabel)
    }

    /// Cells of one table row; standards as ✓, ✗ or – (cannot tell).
    public static func tableRow(_ e: EvaluatedLesson) -> [String] {
        var cells = [e.id, e.date.description, e.teacher]
        for m in tableMetrics {
            let v = e.metrics[m]
            switch m {
            case .bottom_reached, .homework_completion:
                cells.append(v.map { Text.rounded($0 * 100, digits: 0) + "%" } ?? "–")
            default:
                cells.append(m.isCount ? Text.rounded(v, digits: 0) : Text.rounded(v))
            }
        }
        for s in Standard.allCases { cells.append(mark(e.standards[s])) }
        return cells
    }

    public static func mark(_ b: Bool?) -> String {
        guard let b else { return "–" }
        return b ? "✓" : "✗"
    }
}

extension Standard {
    /// The standard's everyday name, for table headers.
    public var tableLabel: String {
        switch self {
        case .two_tens: return "2×10"
        case .one_eighteen: return "18"
        case .homework_time: return "hw time"
        case .four_threes: return "4×3"
        case .on_time: return "on time"
        }
    }
}
