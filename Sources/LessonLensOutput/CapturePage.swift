import LessonLensCore
import LessonLensStatistics

/// The observer's page: one self-contained HTML file (inline CSS and
/// JavaScript, no network) that records a lesson live on a phone and writes
/// observation-log-v1 lines. The live panel uses the definitions of the
/// core (unions of intervals) and the policy's thresholds, handed to the
/// page from `Policy`, so that it shows what `lessonlens metrics` will show.
///
/// Stable attributes for tests and tools (documented in the README):
/// `data-kind`, `data-student`, `data-action`, `name` on inputs, and
/// `window.lessonlens.lessons()`.
public enum CapturePage {
    /// A roster student on the page: `name` is shown on the seat only.
    public struct Seat: Sendable {
        /// The id the page writes into the log.
        public var id: String
        /// The tier, shown on the seat and written to the roster.
        public var tier: Tier?
        /// A name shown on the seat only (never in the log).
        public var name: String?
        /// Where the seat is in the room: row from the front and column, from 1.
        public var row: Int?
        /// (column, from 1)
        public var col: Int?
        /// A seat.
        public init(id: String, tier: Tier?, name: String?, row: Int? = nil, col: Int? = nil) {
            self.id = id; self.tier = tier; self.name = name; self.row = row; self.col = col
        }
    }

    /// The page. `roster` is embedded (the observer may replace it);
    /// `server` makes the page send saved lessons to `POST /api/lessons`
    /// (when served by `lessonlens serve`), queueing them while offline.
    /// `columns`: seats a row when the roster does not place them (`row`, `col`).
    /// `classes`: rosters by class (a roster file with a class column), offered
    /// on the set-up screen instead of one embedded roster.
    public static func html(language: ReportLanguage, roster: [Seat] = [], policy: Policy = .default, server: Bool = false,
                            columns: Int = 8, classes: [(name: String, seats: [Seat])] = []) -> String {
        func seats(_ list: [Seat]) -> String {
            "[" + list.map { s in
                "{\"id\":\(Text.jsonString(s.id)),\"tier\":\(s.tier.map { Text.jsonString($0.rawValue) } ?? "null"),\"name\":\(s.name.map(Text.jsonString) ?? "null"),"
                    + "\"row\":\(s.row.map(String.init) ?? "null"),\"col\":\(s.col.map(String.init) ?? "null")}"
            }.joined(separator: ",") + "]"
        }
        let rosterJSON = seats(roster)
        let classesJSON = "[" + classes.map { "{\"class\":\(Text.jsonString($0.name)),\"students\":\(seats($0.seats))}" }.joined(separator: ",") + "]"
        let headers = RosterCSV.headerNames.sorted { $0.key < $1.key }.map { "\(Text.jsonString($0.key)):\(Text.jsonString($0.value))" }
        let tiers = RosterCSV.tierSpellings.sorted { $0.key < $1.key }.map { "\(Text.jsonString($0.key)):\(Text.jsonString($0.value.rawValue))" }
        func list(_ names: [String]) -> String { "[" + names.map(Text.jsonString).joined(separator: ",") + "]" }
        func rules(_ p: Policy) -> String {
            let share = p.performerShareOfPresent.map { Text.jsonNumber($0) } ?? "null"
            return "{\"readingMin\":\(Text.jsonNumber(p.readingMin)),\"writingMin\":\(Text.jsonNumber(p.writingMin)),"
                + "\"performers\":\(p.performers),\"shareOfPresent\":\(share),"
                + "\"homeworkMin\":\(Text.jsonNumber(p.homeworkMinMin)),\"homeworkMax\":\(Text.jsonNumber(p.homeworkMaxMin)),"
                + "\"readPasses\":\(p.readPasses),\"copyPasses\":\(p.copyPasses),\"overrunTolerance\":\(Text.jsonNumber(p.overrunToleranceMin)),"
                + "\"notApplying\":\(list(p.notApplying.map(\.rawValue).sorted()))}"
        }
        // The subjects' and grades' own rules, looked up as Policy.variantIndex does.
        let lookup = policy.variantLookup
        let variants = "{\"subjects\":\(list(lookup.subjects)),\"grades\":[\(lookup.grades.map(String.init).joined(separator: ","))],"
            + "\"table\":{\(lookup.table.sorted { $0.key < $1.key }.map { "\(Text.jsonString($0.key)):\($0.value)" }.joined(separator: ","))},"
            + "\"policies\":{\(Set(lookup.table.values).sorted().map { "\"\($0)\":\(rules(policy.resolved($0)))" }.joined(separator: ","))}}"
        // The core's lists, so that the page and `lessonlens metrics` agree.
        let kinds = SegmentKind.allCases
        let subjects = Subjects.aliases.map { "[\(Text.jsonString($0.canonical)),\(Text.jsonString($0.names.first ?? $0.canonical))]" }
        let config = """
        {"lang":"\(language.rawValue)","server":\(server),"roster":\(rosterJSON),"rosterClasses":\(classesJSON),"columns":\(max(1, columns)),
         "metricNames":{\(Metric.allCases.map { "\(Text.jsonString($0.rawValue)):\(Text.jsonString(Glossary.name($0, language)))" }.joined(separator: ","))},
         "rosterHeaders":{\(headers.joined(separator: ","))},"tierSpellings":{\(tiers.joined(separator: ","))},
         "kinds":\(list(kinds.map(\.rawValue))),"writingKinds":\(list(kinds.filter(\.countsAsWriting).map(\.rawValue))),
         "activeKinds":\(list(kinds.filter(\.isStudentActive).map(\.rawValue))),
         "grades":[\(LessonRules.grades.lowerBound),\(LessonRules.grades.upperBound)],
         "subjects":[\(subjects.joined(separator: ","))],
         "subjectAliases":{\(Subjects.aliases.flatMap { a in a.names.map { "\(Text.jsonString($0.lowercased())):\(Text.jsonString(a.canonical))" } }.joined(separator: ","))},
         "policy":\(rules(policy.resolved(0))),"variants":\(variants)}
        """
        let title = language == .zh ? "听课记录 · LessonLens" : "Lesson observation · LessonLens"
        return """
        <!DOCTYPE html>
        <html lang="\(language == .zh ? "zh-CN" : "en")" data-server="\(server ? "1" : "0")">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        \(server ? "<link rel=\"manifest\" href=\"/manifest.webmanifest\"/>" : "")
        <title>\(title)</title>
        <style>
        \(css)
        </style>
        </head>
        <body>
        <main id="app"><noscript>This page needs JavaScript. 本页需要启用 JavaScript。</noscript></main>
        <script>
        window.LESSONLENS_CONFIG = \(scriptSafe(config));
        </script>
        <script>
        \(script)
        </script>
        </body>
        </html>

        """
    }

    /// JSON that may stand inside a `<script>` element: `<`, `>` and `&` as
    /// `\u003c`-style escapes (a roster name `</script>` cannot end the
    /// element), and U+2028 and U+2029, which old JavaScript engines took for
    /// line ends inside strings.
    static func scriptSafe(_ json: String) -> String {
        var out = ""
        out.reserveCapacity(json.utf8.count)
        for u in json.unicodeScalars {
            switch u {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// The page's style sheet and script: `Capture/capture.css` and
    /// `Capture/capture.js` in the repository, embedded in the library at
    /// build time (SwiftPM's `embedInCode`): a page needs no files at run time.
    static let css = String(decoding: PackageResources.capture_css, as: UTF8.self)
    /// The service worker `lessonlens serve` gives the page (`/sw.js`).
    public static let serviceWorker = String(decoding: PackageResources.sw_js, as: UTF8.self)

    /// The web app manifest (`/manifest.webmanifest`): the page installable on a home screen.
    public static func manifest(language: ReportLanguage) -> String {
        let name = language == .zh ? "听课记录 · LessonLens" : "Lesson observation · LessonLens"
        return "{\"name\":\(Text.jsonString(name)),\"short_name\":\"LessonLens\",\"start_url\":\"/capture\",\"scope\":\"/\","
            + "\"display\":\"standalone\",\"background_color\":\"#fafafa\",\"theme_color\":\"#0b5cad\","
            + "\"icons\":[{\"src\":\"/icon.svg\",\"sizes\":\"any\",\"type\":\"image/svg+xml\"}]}\n"
    }

    /// The app's icon (`/icon.svg`).
    public static let icon = """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" rx="18" fill="#0b5cad"/>\
    <circle cx="48" cy="52" r="26" fill="none" stroke="#fff" stroke-width="7"/><path d="M48 52V36M48 52l12 8" stroke="#fff" stroke-width="7" stroke-linecap="round"/></svg>
    """
    static let script = String(decoding: PackageResources.capture_js, as: UTF8.self)
}
