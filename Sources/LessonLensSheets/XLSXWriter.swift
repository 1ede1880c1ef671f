import Foundation
import LessonLensOutput
import ZIPFoundation

/// A workbook to write as .xlsx: sheets of text and numbers, each with an
/// optional note above its header, columns kept as text where times are
/// typed, and drop-down lists where a column takes a few words.
public struct XLSXWorkbook: Sendable {
    /// One cell's value.
    public enum Cell: Sendable, Equatable {
        /// Nothing.
        case empty
        /// Text, kept as typed.
        case text(String)
        /// A number.
        case number(Double)
    }

    /// One sheet.
    public struct Sheet: Sendable {
        /// The tab's name (at most 31 characters, none of `\ / ? * [ ] :`).
        public var name: String
        /// A line above the header explaining the sheet (merged across it), or nil.
        public var note: String?
        /// The header, bold and frozen in place when scrolling.
        public var header: [String]
        /// The rows below the header.
        public var rows: [[Cell]] = []
        /// Columns (from 0) formatted as text, so that `5:12` typed there stays text.
        public var textColumns: Set<Int> = []
        /// Columns (from 0) offering a list of values (Excel's data validation).
        public var lists: [Int: [String]] = [:]
        /// Columns among `lists` whose list only suggests: other values are allowed.
        public var suggestions: Set<Int> = []

        /// A sheet with `header` and no rows.
        public init(name: String, note: String?, header: [String]) {
            self.name = name; self.note = note; self.header = header
        }
    }

    /// The sheets in tab order.
    public var sheets: [Sheet]

    /// A workbook of `sheets`.
    public init(sheets: [Sheet]) { self.sheets = sheets }

    /// The .xlsx file's bytes.
    public func data() throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let bytes = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count),
                                 modificationDate: Date(timeIntervalSince1970: 1_767_225_600), compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        var types = head + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
            + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        for k in sheets.indices {
            types += "<Override PartName=\"/xl/worksheets/sheet\(k + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        try add("[Content_Types].xml", types + "</Types>")
        try add("_rels/.rels", head + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")
        var book = head + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets>"
        var links = head + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for (k, sheet) in sheets.enumerated() {
            book += "<sheet name=\"\(Self.escaped(sheet.name))\" sheetId=\"\(k + 1)\" r:id=\"rId\(k + 1)\"/>"
            links += "<Relationship Id=\"rId\(k + 1)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet\(k + 1).xml\"/>"
        }
        try add("xl/workbook.xml", book + "</sheets></workbook>")
        try add("xl/_rels/workbook.xml.rels", links + "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"\(rel)/styles\" Target=\"styles.xml\"/></Relationships>")
        // Styles: 0 plain, 1 text (number format "@"), 2 bold header, 3 wrapped note.
        try add("xl/styles.xml", head + "<styleSheet xmlns=\"\(main)\">"
                + "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
                + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
                + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
                + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
                + "<cellXfs count=\"4\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
                + "<xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
                + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
                + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><alignment wrapText=\"1\" vertical=\"top\"/></xf></cellXfs>"
                + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>")
        for (k, sheet) in sheets.enumerated() { try add("xl/worksheets/sheet\(k + 1).xml", Self.sheetXML(sheet, main: main, rel: rel, head: head)) }
        guard let bytes = archive.data else { throw XLSX.ReadError(description: "the workbook could not be assembled in memory") }
        return bytes
    }

    private static func sheetXML(_ sheet: Sheet, main: String, rel: String, head: String) -> String {
        let headerRow = sheet.note == nil ? 1 : 2
        let width = max(sheet.header.count, 1)
        var x = head + "<worksheet xmlns=\"\(main)\" xmlns:r=\"\(rel)\">"
        x += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"\(headerRow)\" topLeftCell=\"A\(headerRow + 1)\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        x += "<cols>"
        for c in 0..<width {
            let longest = ([sheet.header[safe: c] ?? ""] + sheet.rows.prefix(200).map { row -> String in
                if case .text(let t) = row[safe: c] ?? .empty { return t } else { return "0000000" }
            }).map { $0.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? 2 : 1) } }.max() ?? 8
            x += "<col min=\"\(c + 1)\" max=\"\(c + 1)\" width=\"\(min(max(longest + 2, 9), 60))\" customWidth=\"1\""
                + (sheet.textColumns.contains(c) ? " style=\"1\"" : "") + "/>"
        }
        x += "</cols><sheetData>"
        func cell(_ ref: String, _ value: Cell, style: Int) -> String {
            let s = style == 0 ? "" : " s=\"\(style)\""
            switch value {
            case .empty: return ""
            case .text(let t):
                return "<c r=\"\(ref)\" t=\"inlineStr\"\(s)><is><t xml:space=\"preserve\">\(escaped(t))</t></is></c>"
            case .number(let d):
                let text = d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
                return "<c r=\"\(ref)\"\(s)><v>\(text)</v></c>"
            }
        }
        if let note = sheet.note {
            x += "<row r=\"1\" ht=\"\(15 * (note.split(separator: "\n").count + 1))\" customHeight=\"1\">" + cell("A1", .text(note), style: 3) + "</row>"
        }
        x += "<row r=\"\(headerRow)\">" + sheet.header.enumerated().map { cell(String.columnLetters($0) + "\(headerRow)", .text($1), style: 2) }.joined() + "</row>"
        for (k, row) in sheet.rows.enumerated() {
            let r = headerRow + 1 + k
            x += "<row r=\"\(r)\">" + row.enumerated().map { c, value in
                cell(String.columnLetters(c) + "\(r)", value, style: sheet.textColumns.contains(c) ? 1 : 0)
            }.joined() + "</row>"
        }
        x += "</sheetData>"
        if sheet.note != nil { x += "<mergeCells count=\"1\"><mergeCell ref=\"A1:\(String.columnLetters(width - 1))1\"/></mergeCells>" }
        let lists = sheet.lists.sorted { $0.key < $1.key }
        if !lists.isEmpty {
            x += "<dataValidations count=\"\(lists.count)\">"
            for (c, values) in lists {
                let column = String.columnLetters(c)
                x += "<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"\(sheet.suggestions.contains(c) ? 0 : 1)\" sqref=\"\(column)\(headerRow + 1):\(column)10000\">"
                    + "<formula1>\"\(escaped(values.joined(separator: ",")))\"</formula1></dataValidation>"
            }
            x += "</dataValidations>"
        }
        return x + "</worksheet>"
    }

    /// Text for the workbook's XML (the pages' escaping: XML 1.0 cannot hold
    /// control characters, which are dropped).
    static func escaped(_ s: String) -> String { escapeXML(s) }
}

extension Array {
    subscript(safe k: Int) -> Element? { k >= 0 && k < count ? self[k] : nil }
}
