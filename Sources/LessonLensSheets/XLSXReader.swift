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
        var out: [(name: String, rows: [[String]])] = []
        for (name, path) in parts.prefix(limit) {
            guard let sheetData = try part(path) else { throw ReadError(description: "the workbook has no sheet (\(path))") }
            let sheet: Worksheet
            do { sheet = try decoder.decode(Worksheet.self, from: sheetData) } catch {
                throw ReadError(description: "cannot read \(path): \(error)")
            }
            out.append((name, try rows(of: sheet, shared: shared)))
        }
        return out
    }

    private static func rows(of sheet: Worksheet, shared: [String]) throws -> [[String]] {
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
                default: cells[column] = c.v ?? ""
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
            enum CodingKeys: String, CodingKey { case r, t, v, inline = "is" }
        }
        var sheetData: SheetData
    }
}
