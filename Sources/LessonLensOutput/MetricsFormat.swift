import LessonLensCore
import LessonLensStatistics

/// The per-lesson output of `lessonlens metrics`: the identity of the lesson,
/// every metric and every standard, in JSON Lines, CSV or a table.
public enum MetricsFormat {
    /// Identity columns, before the metrics and standards.
    public static let identityColumns = ["id", "date", "teacher", "subject", "grade"]

    /// One JSON object (no newline): identity fields at the top level, then
    /// `metrics` and `standards` objects keyed by the spec's names.
    public static func jsonLine(_ e: EvaluatedLesson) -> String {
        String(decoding: jsonLineBytes(e, newline: false), as: UTF8.self)
    }

    /// `jsonLine` as bytes, written in one buffer of its largest possible
    /// size (this runs once per lesson of an archive).
    public static func jsonLineBytes(_ e: EvaluatedLesson, newline: Bool) -> [UInt8] {
        // Fixed text and keys < 700 bytes; 23 numbers and booleans <= 32 bytes each.
        let bound = 700 + 23 * 32 + RawTextWriter.jsonStringBound(e.id) + RawTextWriter.jsonStringBound(e.teacher)
            + RawTextWriter.jsonStringBound(e.subject)
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            var out = RawTextWriter(buffer.baseAddress!, capacity: buffer.count)
            out.literal(#"{"id":"#)
            out.jsonString(e.id)
            out.literal(#","date":""#)
            out.digits(e.date.year, width: 4)
            out.byte(UInt8(ascii: "-"))
            out.digits(e.date.month, width: 2)
            out.byte(UInt8(ascii: "-"))
            out.digits(e.date.day, width: 2)
            out.literal(#"","teacher":"#)
            out.jsonString(e.teacher)
            out.literal(#","subject":"#)
            out.jsonString(e.subject)
            out.literal(#","grade":"#)
            out.integer(e.grade)
            out.literal(#","metrics":{"#)
            for k in 0..<Metric.count {
                let m = Metric.at(k)
                if k > 0 { out.byte(UInt8(ascii: ",")) }
                out.byte(UInt8(ascii: "\""))
                out.utf8(m.rawValue)
                out.literal("\":")
                out.jsonNumber(e.metrics[m])
            }
            out.literal(#"},"standards":{"#)
            for k in 0..<Standard.count {
                let s = Standard.at(k)
                if k > 0 { out.byte(UInt8(ascii: ",")) }
                out.byte(UInt8(ascii: "\""))
                out.utf8(s.rawValue)
                out.literal("\":")
                switch e.standards[s] {
                case nil: out.literal("null")
                case true?: out.literal("true")
                case false?: out.literal("false")
                }
            }
            out.literal("}")
            // Standards the policy says do not apply to the lesson's subject or grade (null above).
            if e.standards.inapplicable != 0 {
                out.literal(#","not_applicable":["#)
                var first = true
                for k in 0..<Standard.count where !e.standards.applies(Standard.at(k)) {
                    if !first { out.byte(UInt8(ascii: ",")) }
                    first = false
                    out.byte(UInt8(ascii: "\""))
                    out.utf8(Standard.at(k).rawValue)
                    out.byte(UInt8(ascii: "\""))
                }
                out.literal("]")
            }
            out.literal("}")
            if newline { out.byte(0x0A) }
            precondition(out.count <= bound)
            count = out.count
        }
    }

    /// One combined visit (`metrics --visits`): `id` is the visit's key, then
    /// `logs` and `observers` after the identity fields.
    public static func visitJSONLine(_ visit: EvaluatedLesson) -> String {
        var e = visit
        e.id = visit.visitKey ?? visit.id
        let line = jsonLine(e)
        let observers = visit.observers.isEmpty ? visit.observer.map { [$0] } ?? [] : visit.observers
        let extra = ",\"logs\":\(visit.logs),\"observers\":[" + observers.map(Text.jsonString).joined(separator: ",") + "]"
        guard let cut = line.range(of: #","metrics":{"#) else { return line }
        return line[..<cut.lowerBound] + extra + line[cut.lowerBound...]
    }

    /// The CSV header: id, date, teacher, every metric and standard.
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

    /// The table's header in English.
    public static var tableHeader: [String] { tableHeader(Messages(.en)) }

    /// The table's header in `messages`' language.
    public static func tableHeader(_ messages: Messages) -> [String] {
        [messages(.id), messages(.date), messages(.teacher)] + tableMetrics.map(messages.metric) + Standard.allCases.map(messages.standard)
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
                // A visit's mean count may be a half.
                cells.append(m.isCount && v.map { $0 == $0.rounded() } ?? true ? Text.rounded(v, digits: 0) : Text.rounded(v))
            }
        }
        for s in Standard.allCases { cells.append(e.standards.applies(s) ? mark(e.standards[s]) : "n/a") }
        return cells
    }

    /// ✓ met, ✗ not met, – cannot tell.
    public static func mark(_ b: Bool?) -> String {
        guard let b else { return "–" }
        return b ? "✓" : "✗"
    }
}
