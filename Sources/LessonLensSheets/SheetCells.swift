import Foundation
import LessonLensCore
import LessonLensOutput

/// A problem with one cell (or row) of an imported file: where, and why, in
/// English and Chinese. `lesson` names the lesson it keeps out, if any.
public struct SheetIssue: Error, Sendable, Equatable, CustomStringConvertible {
    /// The sheet (or CSV file) name.
    public var sheet: String
    /// The row as the spreadsheet numbers it (from 1); 0 for the whole sheet.
    public var row: Int
    /// The column letter and its header (`D (kind)`), or nil for a whole row.
    public var column: String?
    /// Why, in English.
    public var en: String
    /// Why, in Chinese.
    public var zh: String
    /// Whether it is only a warning (nothing kept out).
    public var isWarning = false

    /// An issue at `sheet`, `row`, `column`.
    public init(sheet: String, row: Int, column: String?, en: String, zh: String, isWarning: Bool = false) {
        self.sheet = sheet; self.row = row; self.column = column; self.en = en; self.zh = zh; self.isWarning = isWarning
    }

    /// `sheet 环节, row 7, column D (kind): unknown kind "x"` in `language`.
    public func text(_ language: ReportLanguage) -> String {
        if language == .zh {
            var at = "工作表「\(sheet)」"
            if row > 0 { at += "第 \(row) 行" }
            if let column {
                // "D (kind)" → "D 列（kind）"
                if let open = column.range(of: " (") {
                    at += " \(column[..<open.lowerBound]) 列（\(column[open.upperBound...].dropLast())）"
                } else { at += " \(column) 列" }
            }
            return at + "：" + zh
        }
        var at = "sheet \"\(sheet)\""
        if row > 0 { at += ", row \(row)" }
        if let column { at += ", column \(column)" }
        return at + ": " + en
    }

    /// The English text.
    public var description: String { text(.en) }
}

/// A cell that could not be read: the reason in both languages (the place is
/// added by whoever knows it).
struct CellProblem: Error {
    var en: String
    var zh: String
    init(_ en: String, _ zh: String) { self.en = en; self.zh = zh }
}

/// Reading the cells people type: numbers as Excel stores them, dates as
/// serial days or text, times as `M:SS` text or Excel times, the kinds and
/// tiers by their English or Chinese names.
enum Cells {
    static func trimmed(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A whole number: `30`, `30.0` (how a spreadsheet stores it), `3e1`.
    static func integer(_ s: String) throws(CellProblem) -> Int {
        let t = trimmed(s)
        if let v = Int(t) { return v }
        guard let d = Double(t), d.isFinite, d == d.rounded(), abs(d) < 9e15 else {
            throw CellProblem("\"\(t)\" is not a whole number", "「\(t)」不是整数")
        }
        return Int(d)
    }

    /// A number (`.` as the decimal point).
    static func number(_ s: String) throws(CellProblem) -> Double {
        let t = trimmed(s)
        guard let d = Double(t), d.isFinite else { throw CellProblem("\"\(t)\" is not a number", "「\(t)」不是数字") }
        return d
    }

    /// A day: an Excel serial day (1900 date system), `YYYY-MM-DD`,
    /// `YYYY/M/D`, `YYYY.M.D`, `YYYY年M月D日`, with or without a time after it.
    static func date(_ s: String) throws(CellProblem) -> LessonDate {
        var t = trimmed(s)
        let problem = CellProblem("\"\(t)\" is not a date (write 2026-09-03)", "「\(t)」不是日期（请写成 2026-09-03）")
        if let serial = Double(t) {
            // Excel counts days from 1899-12-30 (its 1900 leap-day bug makes
            // every serial number from March 1900 on land there).
            guard serial >= 61, serial < 2_958_466 else { throw problem }
            return LessonDate.fromDayNumber(Int(serial.rounded(.down)) - 25569)
        }
        if let cut = t.firstIndex(where: { $0 == " " || $0 == "T" }) { t = String(t[..<cut]) }
        if t.hasSuffix("日") { t.removeLast() }
        let parts = t.split(whereSeparator: { "-/.年月".contains($0) }).map(String.init)
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              parts[1].count <= 2, parts[2].count <= 2, let day = LessonDate(year: y, month: m, day: d) else { throw problem }
        return day
    }

    /// A time from the lesson's start, in seconds: `M:SS` (minutes, seconds
    /// 00-59), `H:MM:SS`, a number of seconds, or an Excel time (a number
    /// below 1, a fraction of a day): what Excel makes of `5:12` typed into a
    /// cell not formatted as text is 5 h 12 min, read back as 5 min 12 s.
    static func time(_ s: String) throws(CellProblem) -> LessonTime {
        let t = trimmed(s)
        let problem = CellProblem("\"\(t)\" is not a time (write minutes:seconds, 5:12)", "「\(t)」不是时间（请写成 分:秒，如 5:12）")
        if let d = Double(t) {
            guard d.isFinite, d >= 0 else { throw problem }
            return d < 1 && d > 0 ? (d * 1440 * 1000).rounded() / 1000 : d
        }
        let parts = t.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }) else { throw problem }
        guard let last = Double(parts.last!), last >= 0, last < 60, parts.last!.count >= 2 else { throw problem }
        let whole = parts.dropLast().map { Int($0) }
        guard whole.allSatisfy({ $0 != nil && $0! >= 0 }) else { throw problem }
        if parts.count == 3 {
            guard whole[1]! < 60 else { throw problem }
            return Double(whole[0]! * 3600 + whole[1]! * 60) + last
        }
        return Double(whole[0]! * 60) + last
    }

    /// Yes or no; empty is `empty`.
    static func boolean(_ s: String, empty: Bool) throws(CellProblem) -> Bool {
        let t = trimmed(s).lowercased()
        if t.isEmpty { return empty }
        if ["true", "yes", "y", "1", "是", "对", "独立", "✓", "√", "t"].contains(t) { return true }
        if ["false", "no", "n", "0", "否", "不", "不是", "提示", "齐答", "×", "✗", "f"].contains(t) { return false }
        throw CellProblem("\"\(t)\" is neither yes nor no (TRUE/FALSE, 是/否)", "「\(t)」不是“是”或“否”（TRUE/FALSE，是/否）")
    }

    /// A segment kind by its format name, its English or Chinese label, or a
    /// word people use for it.
    static func segmentKind(_ s: String) throws(CellProblem) -> SegmentKind {
        let t = trimmed(s)
        if let k = segmentKinds[t.lowercased()] { return k }
        let names = SegmentKind.allCases.map(\.rawValue)
        let hint = Suggestions.nearestName(to: t, among: names + segmentKinds.keys.filter { !$0.allSatisfy(\.isASCII) }.sorted())
        let zhNames = SegmentKind.allCases.map { zhLabels.kind($0) }.joined(separator: "、")
        throw CellProblem("unknown kind \"\(t)\"" + (hint.map { " (did you mean \"\($0)\"?)" } ?? "") + "; kinds: " + names.joined(separator: ", "),
                          "未知的类型「\(t)」" + (hint.map { "（是不是「\($0)」？）" } ?? "") + "；可用：" + zhNames)
    }

    /// A performance kind (empty: `answer`).
    static func performanceKind(_ s: String) throws(CellProblem) -> PerformanceKind {
        let t = trimmed(s)
        if t.isEmpty { return .answer }
        if let k = performanceKinds[t.lowercased()] { return k }
        let names = PerformanceKind.allCases.map(\.rawValue)
        throw CellProblem("unknown performance kind \"\(t)\"; kinds: " + names.joined(separator: ", "),
                          "未知的展示方式「\(t)」；可用：" + PerformanceKind.allCases.map { performanceZH[$0]! }.joined(separator: "、"))
    }

    /// A tier (empty: none).
    static func tier(_ s: String) throws(CellProblem) -> Tier? {
        let t = trimmed(s)
        if t.isEmpty { return nil }
        if let tier = RosterCSV.tierSpellings[t.lowercased()] ?? Tier(rawValue: t.lowercased()) { return tier }
        throw CellProblem("unknown tier \"\(t)\" (top/middle/bottom, 上/中/下, A/B/C)", "未知的层次「\(t)」（上/中/下、优/中/后、A/B/C）")
    }

    /// Free labels separated by commas (either width), 、 or semicolons.
    static func tags(_ s: String) -> [String] {
        s.split(whereSeparator: { ",，、;；".contains($0) }).map { trimmed(String($0)) }.filter { !$0.isEmpty }
    }

    static let zhLabels = Labels(.zh), enLabels = Labels(.en)

    /// Performance kinds in Chinese, as the sheet's list offers them.
    static let performanceZH: [PerformanceKind: String] = [
        .answer: "回答", .read: "朗读", .board: "板演", .present: "展示", .question: "提问", .demo: "演示", .other: "其他",
    ]

    static let segmentKinds: [String: SegmentKind] = {
        var out: [String: SegmentKind] = [:]
        for k in SegmentKind.allCases {
            out[k.rawValue] = k
            out[zhLabels.kind(k).lowercased()] = k
            out[enLabels.kind(k).lowercased()] = k
        }
        for (word, name) in segmentSynonyms { out[word] = SegmentKind(rawValue: name) }
        return out
    }()

    /// More words for kinds (the decoder's hints use the same ones).
    static let segmentSynonyms: [String: String] = [
        "reading": "read", "reading aloud": "read", "朗读": "read", "读": "read", "读书": "read",
        "writing": "write", "书写": "write", "写": "write", "写字": "write", "书面练习": "write", "练习": "write",
        "当堂作业": "homework", "作业": "homework", "讲授": "lecture", "讲解": "lecture", "讨论": "discussion",
        "问答": "discussion", "小组": "group", "活动": "activity", "过渡": "transition", "其他": "other", "其它": "other",
    ]

    static let performanceKinds: [String: PerformanceKind] = {
        var out: [String: PerformanceKind] = [:]
        for k in PerformanceKind.allCases { out[k.rawValue] = k; out[performanceZH[k]!] = k }
        out["回答问题"] = .answer; out["答"] = .answer; out["读"] = .read; out["演示"] = .demo; out["其它"] = .other
        return out
    }()
}

extension String {
    /// Spreadsheet column letters for a column from 0: 0 → A, 26 → AA.
    static func columnLetters(_ column: Int) -> String {
        var n = column + 1, s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }
}
