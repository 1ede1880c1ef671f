import Foundation
import LessonLensCore
import SwiftCSV

/// The tables of a file people bring: the sheets of an .xlsx workbook, a CSV
/// or tab-separated file (one table named after the file), or a folder of
/// such files (one table each). Text files may be in any encoding the roster
/// reader takes (UTF-8 with or without a byte order mark, UTF-16 with one,
/// GB18030/GBK).
public struct SheetTables: Sendable {
    /// One table: its name (the sheet's, or the file's without extension) and
    /// its rows of cells as text, the first row being row 1.
    public struct Table: Sendable {
        /// The sheet's name or the file's name without its extension.
        public var name: String
        /// The cells, row by row.
        public var rows: [[String]]
        /// The encoding a text file was read in, when it was not UTF-8.
        public var encoding: String?
    }

    /// The tables, in the workbook's tab order or the folder's name order.
    public var tables: [Table]

    /// Reads `path`; throws `XLSX.ReadError` for an unreadable workbook or file.
    public init(path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw XLSX.ReadError(description: "no such file or folder")
        }
        if isFolder.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            tables = try names.filter { ["csv", "tsv", "txt"].contains(($0 as NSString).pathExtension.lowercased()) }
                .map { try SheetTables.textTable(path: (path as NSString).appendingPathComponent($0)) }
            return
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) || ["xlsx", "xlsm"].contains((path as NSString).pathExtension.lowercased()) {
            tables = try XLSX.sheets(data).map { Table(name: $0.name, rows: $0.rows) }
        } else {
            tables = [try SheetTables.textTable(path: path, bytes: Array(data))]
        }
    }

    /// The rows of CSV or tab-separated text (quoted cells may hold commas,
    /// quotes and line ends).
    public static func rows(text: String) throws -> [[String]] {
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let delimiter: CSVDelimiter = firstLine.contains("\t") ? .tab : firstLine.contains(";") && !firstLine.contains(",") ? .semicolon : .comma
        do {
            let csv = try CSV<Enumerated>(string: text, delimiter: delimiter, loadColumns: false)
            return ([csv.header] + csv.rows).map { $0.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 } }
        } catch {
            throw XLSX.ReadError(description: "cannot read the text as CSV (a quote inside a quoted cell must be doubled: \"\"): \(error)")
        }
    }

    static func textTable(path: String, bytes: [UInt8]? = nil) throws -> Table {
        let bytes = try bytes ?? Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let (text, encoding) = RosterCSV.decode(bytes)
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return Table(name: name, rows: try rows(text: text), encoding: encoding)
    }
}
