import LessonLensCore
import LessonLensStatistics

/// The assignments a homework page shows, with each class's grade (its
/// first line's, as the ledger judges it).
public struct HomeworkBook: Sendable {
    /// Accepted assignments in input order (those a filter kept).
    public private(set) var assignments: [HomeworkAssignment] = []
    /// Written work taken home per (class, day), of every accepted
    /// assignment, also those a filter left out: a day's total is the class's.
    /// Summed exactly, so that a day at its limit is at it.
    public private(set) var dayMinutes: [String: [Int: MinuteTotal]] = [:]
    /// Class → the grade its limit comes from.
    public private(set) var classGrades: [String: Int] = [:]

    /// An empty book.
    public init() {}

    /// Adds an accepted assignment (`HomeworkStream`'s event).
    public mutating func add(_ a: HomeworkAssignment, classGrade: Int, selected: Bool = true) {
        if a.isWrittenHome { dayMinutes[a.className, default: [:]][a.date.dayNumber, default: MinuteTotal()].add(a.estimatedMin) }
        guard selected else { return }
        assignments.append(a)
        if classGrades[a.className] == nil { classGrades[a.className] = classGrade }
    }

    /// The classes, sorted.
    public var classes: [String] { classGrades.keys.sorted() }
}

/// HTML pages of the homework ledger: per class a calendar of daily minutes
/// against the limit and the subjects' shares, per teacher estimates
/// against students' reports and marking delays (`report --homework`, the
/// server's `/homework`); and the parents' weekly board (`/board/CLASS`).
/// Self-contained like the lesson reports: inline CSS and SVG, no script.
public enum HomeworkPages {
    /// Where a page's links go; nil writes a page without links (a file).
    public struct Links: Sendable {
        /// The query to keep on every link (`?where=...`), empty for none.
        public var query: String
        /// Links for a server's pages.
        public init(query: String = "") { self.query = query }
    }

    static let css = """
    .cal td, .cal th { text-align: center; width: 12%; }
    .cal td.week { text-align: left; width: auto; color: var(--muted); font-size: 12px; }
    .cal td.ok { background: #E5F5EF; }
    .cal td.over { background: #FBEDE3; outline: 2px dashed #D55E00; outline-offset: -3px; font-weight: bold; }
    .cal td.none { color: #999; }
    .legend { font-size: 12px; color: var(--muted); margin: 4px 0 10px; }
    .bar { display: inline-block; height: 10px; background: #0072B2; vertical-align: middle; }
    .board td.total.over { font-weight: bold; color: #A33C00; }
    nav.crumbs { font-size: 13px; margin-bottom: 8px; }
    td svg { width: 170px; }
    """

    /// The whole ledger (or the classes `only` names): calendars, subjects'
    /// shares, teachers' estimates and marking.
    public static func report(_ book: HomeworkBook, load: Policy.HomeworkLoad, language: ReportLanguage,
                              links: Links? = nil) -> String {
        let zh = language == .zh
        func t(_ en: String, _ cn: String) -> String { zh ? cn : en }
        let labels = Labels(language)
        var body = ""
        if links != nil { body += "<nav class=\"crumbs\"><a href=\"/\(links!.query)\">\(t("Overview", "总览"))</a> › \(t("Homework", "作业"))</nav>" }
        body += "<h1>\(t("Homework load", "作业统筹"))</h1>"
        let dates = book.assignments.map(\.date)
        if let first = dates.min(), let last = dates.max() {
            body += "<p class=\"meta\">\(first) – \(last) · \(t("\(book.assignments.count) assignments, \(book.classes.count) classes", "\(book.assignments.count) 项作业，\(book.classes.count) 个班级"))</p>"
        }
        body += "<p class=\"legend\">" + t("Each cell: the day's written homework to take home, in minutes, against the grade's limit. ✓ within the limit, ▲ over it (dashed outline), · homework but none written to take home.",
                                          "每格：当天书面家庭作业的预估分钟数，与年级限额相比。✓ 未超限，▲ 超限（虚线框），· 有作业但无书面家庭作业。") + "</p>"
        for className in book.classes {
            body += classSection(className, book: book, load: load, labels: labels, links: links)
        }
        body += teacherSection(book, load: load, labels: labels)
        body += "<footer>LessonLens · homework-log-v1</footer>"
        return page(title: t("Homework load", "作业统筹"), language: language, body: body)
    }

    static func page(title: String, language: ReportLanguage, body: String) -> String {
        ReportPages.page(title: title, language: language, body: body, extraCSS: css)
    }

    /// Minutes of written work taken home per day, and per subject.
    static func classDays(_ className: String, _ book: HomeworkBook) -> (days: [Int: Double], any: Set<Int>, subjects: [String: Double]) {
        var days: [Int: Double] = [:], any: Set<Int> = [], subjects: [String: MinuteTotal] = [:]
        let totals = book.dayMinutes[className] ?? [:]
        for a in book.assignments where a.className == className {
            let d = a.date.dayNumber
            any.insert(d)
            if a.isWrittenHome {
                days[d] = totals[d]?.minutes
                subjects[Subjects.canonical(a.subject), default: MinuteTotal()].add(a.estimatedMin)
            }
        }
        return (days, any, subjects.mapValues(\.minutes))
    }

    static func classSection(_ className: String, book: HomeworkBook, load: Policy.HomeworkLoad, labels: Labels,
                             links: Links?) -> String {
        let zh = labels.language == .zh
        func t(_ en: String, _ cn: String) -> String { zh ? cn : en }
        let grade = book.classGrades[className] ?? 0
        let limit = load.limit(grade: grade)
        let (minutes, any, subjects) = classDays(className, book)
        var s = "<section><h2 id=\"class-\(escapeXML(className))\">\(escapeXML(className)) · \(labels.grade(grade)) · "
        s += limit.map { t("limit \(formatMinutes($0)) min a day", "每日限额 \(formatMinutes($0)) 分钟") } ?? t("no limit for this grade", "本年级无限额")
        if let links {
            s += " · <a href=\"/board/\(escapeXML(percentEncoded(className)))\(links.query)\">\(t("parents' board", "家长公示"))</a>"
        }
        s += "</h2>"
        let over = limit.map { l in minutes.values.filter { $0 > l }.count } ?? 0
        s += "<p class=\"meta\">" + t("\(any.count) days with homework, \(over) over the limit", "\(any.count) 天有作业，\(over) 天超限") + "</p>"
        // Weeks as rows, Monday to Friday (and the weekend when used).
        let weekend = any.contains { LessonDate.fromDayNumber($0).isoWeekday >= 6 }
        let columns = weekend ? 7 : 5
        let names = zh ? ["一", "二", "三", "四", "五", "六", "日"] : ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        s += "<table class=\"cal\"><tr><th>\(t("week", "周"))</th>" + names.prefix(columns).map { "<th>\($0)</th>" }.joined() + "</tr>"
        let mondays = Set(any.map { LessonDate.fromDayNumber($0).mondayOfWeek.dayNumber }).sorted()
        for monday in mondays {
            let date = LessonDate.fromDayNumber(monday)
            s += "<tr><td class=\"week\">\(date.weekKey)<br/>\(date)</td>"
            for k in 0..<columns {
                let d = monday + k
                guard any.contains(d) else { s += "<td></td>"; continue }
                guard let m = minutes[d] else { s += "<td class=\"none\">·</td>"; continue }
                let isOver = limit.map { m > $0 } ?? false
                let mark = limit == nil ? "" : isOver ? " ▲" : " ✓"
                let title = "\(LessonDate.fromDayNumber(d)): \(formatMinutes(m)) " + t("min", "分钟")
                s += "<td class=\"\(isOver ? "over" : "ok")\" title=\"\(escapeXML(title))\">\(formatMinutes(m))\(mark)</td>"
            }
            s += "</tr>"
        }
        s += "</table>"
        let total = subjects.values.reduce(0, +)
        if total > 0 {
            s += "<p class=\"meta\">\(t("Subjects' shares of written home minutes", "各学科书面家庭作业时间占比"))</p><table>"
            for (subject, m) in subjects.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                let share = m / total
                s += "<tr><td>\(escapeXML(labels.subject(subject)))</td><td class=\"num\">\(Text.rounded(share * 100, digits: 0))%</td>"
                s += "<td><span class=\"bar\" style=\"width:\(Int((share * 200).rounded()))px\"></span></td></tr>"
            }
            s += "</table>"
        }
        return s + "</section>"
    }

    static func teacherSection(_ book: HomeworkBook, load: Policy.HomeworkLoad, labels: Labels) -> String {
        let zh = labels.language == .zh
        func t(_ en: String, _ cn: String) -> String { zh ? cn : en }
        var ledger = HomeworkLedger(by: .teacher, load: load)
        for a in book.assignments { ledger.add(a, classGrade: book.classGrades[a.className] ?? a.grade) }
        // (The teachers' daily figures are not shown here: only estimates and marking.)
        var s = "<section><h2>\(t("Teachers: estimates against students' reports, and marking", "教师：预估时间与学生实际用时、批改及时性"))</h2>"
        s += "<p class=\"legend\">" + t("Each mark is an assignment: the teacher's estimate (across) against the median of the minutes students reported (up). ▲ above the 1:1 line: students took longer than estimated; ● on or below it: within the estimate.",
                                       "每个标记是一项作业：横轴为教师预估时间，纵轴为学生报告用时的中位数。▲ 在 1:1 线以上：学生用时超过预估；● 在线上或线下：未超过预估。") + "</p>"
        s += "<table><tr><th>\(t("teacher", "教师"))</th><th>\(t("assignments", "作业项"))</th><th>\(t("students/estimate", "学生用时/预估"))</th><th>\(t("marked on time", "按时批改"))</th><th>\(t("median days to marking", "批改天数中位数"))</th><th></th></tr>"
        for g in ledger.groups {
            let name = g.key.description
            let mine = book.assignments.filter { $0.teacher == name }
            var ratio = "—"
            if let r = g.estimateRatio.geoMean {
                ratio = Text.rounded(r, digits: 2) + "×"
                if let ci = g.estimateRatio.ci95 { ratio += " (\(Text.rounded(ci.low, digits: 2))–\(Text.rounded(ci.high, digits: 2)))" }
            }
            let marked = g.gradedOnTime.judged > 0 ? "\(g.gradedOnTime.met)/\(g.gradedOnTime.judged)" : "—"
            let delays = mine.compactMap { a in a.gradedOn.map { Double($0.dayNumber - a.date.dayNumber) } }
            let medianDelay = Statistics.describe(delays).map { Text.rounded($0.median, digits: 1) } ?? "—"
            s += "<tr><td>\(escapeXML(name))</td><td class=\"num\">\(g.assignments)</td><td class=\"num\">\(ratio)</td>"
            s += "<td class=\"num\">\(marked)</td><td class=\"num\">\(medianDelay)</td><td>\(scatter(mine, label: name, labels: labels))</td></tr>"
        }
        return s + "</table></section>"
    }

    /// Estimate (x) against the median report (y), with the 1:1 line and
    /// both axes numbered; work that took longer than estimated is a
    /// triangle, the rest a circle (shape, not only colour); each point names
    /// its minutes. Assignments whose median report is 0 are left out, as in
    /// the ratio.
    static func scatter(_ assignments: [HomeworkAssignment], label: String, labels: Labels) -> String {
        let zh = labels.language == .zh
        let points = assignments.compactMap { a -> (Double, Double)? in
            guard let m = Statistics.describe(a.reportedMin)?.median, m > 0 else { return nil }
            return (a.estimatedMin, m)
        }
        guard !points.isEmpty else { return "" }
        let top = (max(points.map { max($0.0, $0.1) }.max() ?? 1, 1) * 1.08).rounded(.up)
        var svg = SVG(width: 170, height: 150)
        let x = LinearScale(domain: (0, top), range: (30, 160)), y = LinearScale(domain: (0, top), range: (130, 10))
        svg.rect(x: 30, y: 10, width: 130, height: 120, fill: "none", stroke: "#bbb")
        svg.line(x1: x(0), y1: y(0), x2: x(top), y2: y(top), stroke: "#666", width: 1)
        svg.text("1:1", x: x(top) - 2, y: y(top) + 12, size: 9, anchor: .end, fill: "#666")
        for v in [0, top] {
            svg.text(formatMinutes(v), x: x(v), y: 142, size: 9, anchor: .middle, fill: "#444")
            svg.text(formatMinutes(v), x: 26, y: y(v) + 3, size: 9, anchor: .end, fill: "#444")
        }
        svg.text(zh ? "预估（分）" : "estimate (min)", x: 95, y: 150, size: 9, anchor: .middle, fill: "#444")
        for (e, r) in points.prefix(400) {
            let longer = r > e
            let title = zh ? "预估 \(formatMinutes(e)) 分，学生中位数 \(formatMinutes(r)) 分" : "estimate \(formatMinutes(e)) min, students' median \(formatMinutes(r)) min"
            svg.marker(longer ? .triangle : .circle, x: x(e), y: y(r), size: 5, fill: longer ? "#D55E00" : "#0072B2", stroke: "none", title: title)
        }
        return svg.render(label: zh ? "\(label)：预估与学生用时" : "\(label): estimates against students' minutes")
    }

    /// The parents' board: the class's published assignments of one ISO week
    /// by day, subject and estimated minutes, each day's total against the
    /// limit. No student data (no reported minutes, exemptions or notes).
    public static func board(_ book: HomeworkBook, className: String, monday: LessonDate, load: Policy.HomeworkLoad,
                             language: ReportLanguage, links: Links? = nil) -> String {
        let zh = language == .zh
        func t(_ en: String, _ cn: String) -> String { zh ? cn : en }
        let labels = Labels(language)
        let grade = book.classGrades[className] ?? 0
        let limit = load.limit(grade: grade)
        let start = monday.mondayOfWeek.dayNumber
        let week = book.assignments.filter {
            $0.className == className && $0.published && $0.date.dayNumber >= start && $0.date.dayNumber < start + 7
        }
        var body = ""
        if let links {
            let previous = LessonDate.fromDayNumber(start - 7).weekKey, next = LessonDate.fromDayNumber(start + 7).weekKey
            let q = links.query.isEmpty ? "?" : links.query + "&"
            body += "<nav class=\"crumbs\"><a href=\"/board/\(escapeXML(percentEncoded(className)))\(q)week=\(previous)\">‹ \(previous)</a> · "
            body += "<a href=\"/board/\(escapeXML(percentEncoded(className)))\(q)week=\(next)\">\(next) ›</a></nav>"
        }
        body += "<h1>\(escapeXML(className)) · \(t("homework of the week", "本周作业公示"))</h1>"
        body += "<p class=\"meta\">\(monday.mondayOfWeek.weekKey) · \(LessonDate.fromDayNumber(start)) – \(LessonDate.fromDayNumber(start + 6)) · \(labels.grade(grade)) · "
        body += (limit.map { t("written homework to take home: at most \(formatMinutes($0)) minutes a day", "书面家庭作业每日不超过 \(formatMinutes($0)) 分钟") } ?? t("no daily limit for this grade", "本年级无每日限额")) + "</p>"
        guard !week.isEmpty || (book.dayMinutes[className] ?? [:]).contains(where: { $0.key >= start && $0.key < start + 7 && $0.value.minutes > 0 }) else {
            return page(title: "\(className) \(monday.weekKey)", language: language,
                        body: body + "<p>\(t("No homework published for this week.", "本周没有公示的作业。"))</p>")
        }
        body += "<table class=\"board\"><tr><th>\(t("day", "日期"))</th><th>\(t("subject", "学科"))</th><th>\(t("work", "作业"))</th><th>\(t("minutes", "预估分钟"))</th><th>\(t("day's written homework", "当日书面家庭作业"))</th></tr>"
        let byDay = Dictionary(grouping: week, by: { $0.date.dayNumber })
        let unpublishedDays = (book.dayMinutes[className] ?? [:]).filter { $0.key >= start && $0.key < start + 7 && $0.value.minutes > 0 && byDay[$0.key] == nil }
        for d in Set(byDay.keys).union(unpublishedDays.keys).sorted() {
            guard let items = byDay[d] else {
                // Written work set but none of it published: the day's total is still shown.
                let total = unpublishedDays[d]!.minutes
                let over = limit.map { total > $0 } ?? false
                let mark = limit == nil ? "" : over ? t(" ▲ over the limit", " ▲ 超限") : " ✓"
                body += "<tr><td>\(LessonDate.fromDayNumber(d))</td><td colspan=\"3\">\(t("(not published)", "（未公示）"))</td>"
                body += "<td class=\"num total\(over ? " over" : "")\">\(formatMinutes(total))\(mark)</td></tr>"
                continue
            }
            // The day's total is the class's, unpublished work included.
            let total = book.dayMinutes[className]?[d]?.minutes ?? 0
            let over = limit.map { total > $0 } ?? false
            for (k, a) in items.enumerated() {
                let kind = kindName(a.kind, zh: zh) + (a.place == .class ? t(" (in class)", "（当堂）") : "") + (a.tiered ? t(", tiered", "，分层") : "")
                body += "<tr><td>\(k == 0 ? "\(LessonDate.fromDayNumber(d))" : "")</td><td>\(escapeXML(labels.subject(a.subject)))</td>"
                body += "<td>\(escapeXML(kind))</td><td class=\"num\">\(formatMinutes(a.estimatedMin))</td>"
                if k == 0 {
                    let mark = limit == nil ? "" : over ? t(" ▲ over the limit", " ▲ 超限") : " ✓"
                    body += "<td class=\"num total\(over ? " over" : "")\" rowspan=\"\(items.count)\">\(formatMinutes(total))\(mark)</td>"
                }
                body += "</tr>"
            }
        }
        body += "</table><footer>LessonLens · \(t("published homework only; no student data", "仅公示作业，不含学生信息"))</footer>"
        return page(title: "\(className) \(monday.weekKey)", language: language, body: body)
    }

    static func kindName(_ k: HomeworkKind, zh: Bool) -> String {
        switch k {
        case .written: return zh ? "书面" : "written"
        case .oral: return zh ? "口头" : "oral"
        case .reading: return zh ? "阅读" : "reading"
        case .practical: return zh ? "实践" : "practical"
        }
    }

    /// A path segment with everything but unreserved characters %-encoded.
    static func percentEncoded(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(UnicodeScalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) { out.append(c) } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
