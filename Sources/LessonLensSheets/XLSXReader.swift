import Foundation
import XMLCoder
import ZIPFoundation

/// The cells of an Excel workbook (.xlsx: a zip of XML parts), read with
/// ZIPFoundation and XMLCoder: what a school's roster or record sheet holds.
public enum XLSX {
    /// Why a workbook could not be read.
    public struct ReadError: Error, CustomStringConvertible {
        /// What is wrong, in English.
        public var description: String
    }

    /// The first sheet's rows, each cell as text ("" for an empty cell),
    /// rows and columns where the sheet puts them.
    public static func firstSheetRows(_ data: Data) throws -> [[String]] {
        guard let first = try sheets(data, limit: 1).first else { throw ReadError(description: "the workbook has no sheet") }
        return first.rows
    }

    /// Every sheet of the workbook in its tab order, with its name and rows
    /// (as `firstSheetRows`): numbers as Excel stores them (a date is its
    /// serial day number unless it was typed as text), booleans `TRUE`/`FALSE`,
    /// a merged cell's text in its first cell only.
    public static func sheets(_ data: Data, limit: Int = .max) throws -> [(name: String, rows: [[String]])] {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw ReadError(description: "not an Excel workbook (.xlsx): \(error)")
        }
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            var out = Data()
            _ = try archive.extract(entry, skipCRC32: false) { out.append($0) }
            return out
        }
        let decoder = XMLDecoder()
        decoder.shouldProcessNamespaces = true
        // A cell's text as written: line ends inside it are part of it.
        decoder.trimValueWhitespaces = false
        // The sheets by their relationships; a workbook without them is read
        // as one sheet at the usual place.
        var parts: [(name: String, path: String)] = []
        if let workbook = try part("xl/workbook.xml"), let rels = try part("xl/_rels/workbook.xml.rels"),
           let book = try? decoder.decode(Workbook.self, from: workbook),
           let links = try? decoder.decode(Relationships.self, from: rels) {
            // The relationship id is the attribute `r:id`, which namespace
            // processing drops: read it from the unprocessed part.
            let ids = (try? XMLDecoder().decode(SheetIDs.self, from: workbook))?.sheets.sheet.map(\.relationshipID) ?? []
            for (k, sheet) in book.sheets.sheet.enumerated() {
                let id = k < ids.count ? ids[k] : nil
                guard let target = links.relationship.first(where: { $0.id == id })?.target ?? (id == nil ? "worksheets/sheet\(k + 1).xml" : nil) else { continue }
                parts.append((sheet.name ?? "Sheet\(k + 1)", target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target))
            }
        }
        if parts.isEmpty { parts = [("Sheet1", "xl/worksheets/sheet1.xml")] }
        let shared = try part("xl/sharedStrings.xml").flatMap { try? decoder.decode(SharedStrings.self, from: $0) }?.items.map(\.text) ?? []
        let timeStyles = try part("xl/styles.xml").flatMap { try? decoder.decode(Styles.self, from: $0) }.map(Self.timeStyles) ?? [:]
        var out: [(name: String, rows: [[String]])] = []
        for (name, path) in parts.prefix(limit) {
            guard let sheetData = try part(path) else { throw ReadError(description: "the workbook has no sheet (\(path))") }
            let sheet: Worksheet
            do { sheet = try decoder.decode(Worksheet.self, from: sheetData) } catch {
                throw ReadError(description: "cannot read \(path): \(error)")
            }
            out.append((name, try rows(of: sheet, shared: shared, timeStyles: timeStyles)))
        }
        return out
    }

    private static func rows(of sheet: Worksheet, shared: [String], timeStyles: [Int: Bool]) throws -> [[String]] {
        var rows: [[String]] = []
        for (k, row) in (sheet.sheetData.row ?? []).enumerated() {
            let index = (row.r ?? (k + 1)) - 1
            // Excel's own bounds (1,048,576 rows, 16,384 columns): a reference past
            // them is a damaged or hostile file, refused rather than allocated.
            guard index >= 0, index < maxRows else { throw ReadError(description: "row \(index + 1) is past Excel's last row") }
            while rows.count <= index { rows.append([]) }
            var cells: [String] = []
            for (j, c) in (row.c ?? []).enumerated() {
                let column = c.r.map(columnIndex) ?? j
                guard column < maxColumns else { throw ReadError(description: "cell \(c.r ?? "") is past Excel's last column") }
                while cells.count <= column { cells.append("") }
                switch c.t {
                case "s": cells[column] = Int(c.v ?? "").flatMap { $0 >= 0 && $0 < shared.count ? shared[$0] : nil } ?? ""
                case "inlineStr": cells[column] = c.inline?.text ?? ""
                case "b": cells[column] = c.v == "1" ? "TRUE" : c.v == "0" ? "FALSE" : c.v ?? ""
                default:
                    // A number shown as a time: the text shown, which is what was typed.
                    if let style = c.s.flatMap(Int.init), let seconds = timeStyles[style], let v = c.v.flatMap(Double.init), v >= 0, v < 1e6 {
                        cells[column] = Self.clock(days: v, seconds: seconds)
                    } else {
                        cells[column] = c.v ?? ""
                    }
                }
            }
            rows[index] = cells
        }
        return rows
    }

    /// The rows as tab-separated text (cells with tabs, quotes or line ends
    /// quoted), for readers of text.
    public static func tabSeparated(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { cell in
                cell.contains(where: { $0 == "\t" || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                    ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
            }.joined(separator: "\t")
        }.joined(separator: "\n") + "\n"
    }

    static let maxRows = 1 << 20, maxColumns = 1 << 14

    /// A time of `days` as a time format shows it: total hours, minutes and,
    /// when the format shows them, seconds (`5:12`, `0:05:12`, `40:00`).
    static func clock(days: Double, seconds: Bool) -> String {
        let total = Int((days * 86400).rounded())
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if seconds { return "\(total / 3600):\(two(total / 60 % 60)):\(two(total % 60))" }
        let minutes = Int((days * 1440).rounded())
        return "\(minutes / 60):\(two(minutes % 60))"
    }

    /// Style index → whether its number format is a time without a date, and
    /// whether it shows seconds. Excel gives `5:12` typed into a cell the
    /// format `h:mm`, `0:05:12` the format `h:mm:ss`, `40:00` `[h]:mm`.
    private static func timeStyles(_ styles: Styles) -> [Int: Bool] {
        var codes: [Int: String] = [18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0"]
        for f in styles.numFmts?.numFmt ?? [] { if let id = Int(f.numFmtId) { codes[id] = f.formatCode } }
        var out: [Int: Bool] = [:]
        for (k, xf) in (styles.cellXfs?.xf ?? []).enumerated() {
            guard let id = xf.numFmtId.flatMap(Int.init), let code = codes[id] else { continue }
            // Quoted text and bracketed colours aside, a time has h or s and no y or d.
            var plain = "", quoted = false
            for ch in code.lowercased() {
                if ch == "\"" { quoted.toggle(); continue }
                if !quoted { plain.append(ch) }
            }
            plain = plain.replacingOccurrences(of: "[h]", with: "h").replacingOccurrences(of: "[m]", with: "m").replacingOccurrences(of: "[s]", with: "s")
            if plain.contains("[") { plain = plain.replacingOccurrences(of: #"\[[^\]]*\]"#, with: "", options: .regularExpression) }
            guard plain.contains("h") || plain.contains("s"), !plain.contains("y"), !plain.contains("d") else { continue }
            out[k] = plain.contains("s")
        }
        return out
    }

    private struct Styles: Decodable {
        struct NumFmts: Decodable { var numFmt: [NumFmt]? }
        struct NumFmt: Decodable { var numFmtId: String; var formatCode: String }
        struct CellXfs: Decodable { var xf: [Xf]? }
        struct Xf: Decodable { var numFmtId: String? }
        var numFmts: NumFmts?
        var cellXfs: CellXfs?
    }

    /// `C5` → 2 (column C, from 0); `maxColumns` or more for a reference
    /// past Excel's last column (never an overflow).
    static func columnIndex(_ reference: String) -> Int {
        var n = 0
        for u in reference.unicodeScalars {
            guard u.value >= 65 && u.value <= 90 else { break }
            n = n * 26 + Int(u.value - 64)
            if n > maxColumns { return maxColumns }
        }
        return max(0, n - 1)
    }

    private struct Workbook: Decodable {
        struct Sheets: Decodable { var sheet: [Sheet] }
        struct Sheet: Decodable { var name: String? }
        var sheets: Sheets
    }

    /// `r:id` of each sheet, as written (no namespace processing).
    private struct SheetIDs: Decodable {
        struct Sheets: Decodable { var sheet: [Sheet] }
        struct Sheet: Decodable {
            var relationshipID: String?
            enum CodingKeys: String, CodingKey { case relationshipID = "r:id" }
        }
        var sheets: Sheets
    }

    private struct Relationships: Decodable {
        struct Relationship: Decodable {
            var id: String
            var target: String
            enum CodingKeys: String, CodingKey { case id = "Id", target = "Target" }
        }
        var relationship: [Relationship]
        enum CodingKeys: String, CodingKey { case relationship = "Relationship" }
    }

    private struct SharedStrings: Decodable {
        struct Item: Decodable {
            var t: String?
            var r: [Run]?
            struct Run: Decodable { var t: String? }
            var text: String { t ?? (r ?? []).compactMap(\.t).joined() }
        }
        var items: [Item]
        enum CodingKeys: String, CodingKey { case items = "si" }
    }

    private struct Worksheet: Decodable {
        struct SheetData: Decodable { var row: [Row]? }
        struct Row: Decodable {
            var r: Int?
            var c: [Cell]?
        }
        struct Cell: Decodable {
            var r: String?
            var t: String?
            var v: String?
            var inline: Inline?
            struct Inline: Decodable {
                var t: String?
                var r: [SharedStrings.Item.Run]?
                var text: String { t ?? (r ?? []).compactMap(\.t).joined() }
            }
            var s: String?
            enum CodingKeys: String, CodingKey { case r, t, v, s, inline = "is" }
        }
        var sheetData: SheetData
    }
}
