import LessonLensCore
import LessonLensStatistics

/// Self-contained HTML pages (inline CSS and SVG, no network, no external
/// fonts or scripts), XHTML-compatible so that they parse as XML, good on
/// screen and on A4 paper.
public enum ReportPages {
    /// Links between the server's pages, keeping the reader's filters; nil
    /// writes pages without links (`lessonlens report` files).
    public struct PageLinks: Sendable {
        /// The query every link keeps (`?where=...&lang=zh`), empty for none.
        public var query: String
        /// The filter form's values: subject, class, from, to.
        public var subject = "", className = "", from = "", to = ""
        /// Links keeping `query`.
        public init(query: String) { self.query = query }
    }

    static func teacherHref(_ name: String, _ links: PageLinks) -> String {
        "/teacher/" + HomeworkPages.percentEncoded(name) + links.query
    }
    static func lessonHref(_ id: String, _ links: PageLinks) -> String {
        "/lesson/" + HomeworkPages.percentEncoded(id) + links.query
    }

    /// Overview › teacher › lesson, each a link but the last.
    static func crumbs(_ parts: [(String, String?)]) -> String {
        "<nav class=\"crumbs\">" + parts.map { text, href in
            href.map { "<a href=\"\(escapeXML($0))\">\(escapeXML(text))</a>" } ?? "<span>\(escapeXML(text))</span>"
        }.joined(separator: " › ") + "</nav>\n"
    }

    /// A small form limiting the pages to a subject, class and dates (the
    /// server reads them as `--where` conditions).
    static func filterForm(_ links: PageLinks, labels: Labels) -> String {
        let zh = labels.language == .zh
        func input(_ name: String, _ label: String, _ value: String, _ placeholder: String = "") -> String {
            "<label>\(escapeXML(label)) <input name=\"\(name)\" value=\"\(escapeXML(value))\" placeholder=\"\(escapeXML(placeholder))\" size=\"10\"/></label>"
        }
        var html = "<form class=\"filters\" method=\"get\">"
        html += input("subject", zh ? "学科" : "Subject", links.subject)
        html += input("class", zh ? "班级" : "Class", links.className)
        html += input("from", zh ? "起" : "From", links.from, "YYYY-MM-DD")
        html += input("to", zh ? "止" : "To", links.to, "YYYY-MM-DD")
        if labels.language == .zh { html += "<input type=\"hidden\" name=\"lang\" value=\"zh\"/>" }
        html += "<button type=\"submit\">\(zh ? "筛选" : "Filter")</button></form>\n"
        return html
    }

    /// "date · class · teacher · subject": what a lesson is called on its page.
    static func lessonName(_ e: EvaluatedLesson, labels: Labels) -> String {
        ([e.date.description] + (e.className.map { [$0] } ?? []) + [e.teacher, labels.subject(e.subject)]).joined(separator: " · ")
    }

    static let css = """
    :root { --ink: #222; --muted: #666; --line: #ddd; }
    * { box-sizing: border-box; }
    body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB",
           "Microsoft YaHei", "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif;
           color: var(--ink); margin: 0 auto; max-width: 960px; padding: 24px; line-height: 1.45; }
    h1 { font-size: 24px; margin: 0 0 4px; }
    h2 { font-size: 17px; margin: 22px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
    .meta { color: var(--muted); font-size: 13px; }
    section { break-inside: avoid; page-break-inside: avoid; }
    .badges { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
    .badge { border-radius: 4px; padding: 3px 9px; font-size: 13px; border: 1.5px solid; }
    .badge.met { border-color: #009E73; background: #E5F5EF; }
    .badge.notmet { border-color: #D55E00; background: #FBEDE3; border-style: dashed; }
    .badge.unknown { border-color: #999; background: #F3F3F3; border-style: dotted; }
    .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 12px 20px; }
    .warn { border-left: 4px solid #E69F00; background: #FFF7E6; padding: 6px 10px; font-size: 13px; }
    .summary { background: #F4F8FB; border-left: 4px solid #0072B2; padding: 8px 12px; }
    .visit { margin: 6px 0 12px; }
    .visit .head { font-size: 12px; color: var(--muted); display: flex; gap: 10px; flex-wrap: wrap; align-items: center; }
    .visit .badge { font-size: 11px; padding: 1px 6px; }
    table { border-collapse: collapse; width: 100%; font-size: 13px; }
    th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: middle; }
    th { cursor: pointer; background: #F6F6F6; position: sticky; top: 0; }
    td.num { text-align: right; }
    td svg { width: 110px; }
    footer { margin-top: 28px; color: var(--muted); font-size: 11px; }
    nav.crumbs { font-size: 13px; margin-bottom: 6px; }
    form.filters { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; font-size: 13px; margin: 6px 0 10px; }
    form.filters input { font-size: 14px; min-height: 32px; }
    form.filters button { min-height: 32px; }
    @media (max-width: 600px) {
      table.overview thead { display: none; }
      table.overview tr { display: block; border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; padding: 4px; }
      table.overview td { display: flex; justify-content: space-between; gap: 8px; border: 0; }
      table.overview td::before { content: attr(data-label); color: var(--muted); font-size: 12px; }
    }
    @page { size: A4; margin: 12mm; }
    @media print {
      form.filters, nav.crumbs { display: none; }
      body { max-width: none; padding: 0; font-size: 11px; }
      h2 { break-after: avoid; }
      th { position: static; }
      .visit, section, tr { break-inside: avoid; page-break-inside: avoid; }
      svg { max-width: 100%; height: auto; }
    }
    """

    static func page(title: String, language: ReportLanguage, body: String, script: String? = nil, extraCSS: String = "") -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"\(language == .zh ? "zh-CN" : "en")\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        html += "<title>\(escapeXML(title))</title>\n<style>\n\(css)\n\(extraCSS)</style>\n</head>\n<body>\n\(body)\n"
        if let script { html += "<script>\n\(script)\n</script>\n" }
        html += "</body>\n</html>\n"
        return html
    }

    static func badge(_ standard: Standard, _ value: Bool?, labels: Labels, short: Bool = false, metrics: LessonMetrics? = nil) -> String {
        let (cls, mark, word) = value.map { $0 ? ("met", "✓", labels.met) : ("notmet", "✗", labels.notMet) }
            ?? ("unknown", "–", labels.cannotTell)
        let name = short ? labels.standardShort(standard) : labels.standard(standard)
        // Four 3s not met: say which part fell short.
        var detail = ""
        if standard == .four_threes, value == false, let m = metrics, let part = labels.fourThreesShortfall(m) {
            detail = labels.language == .zh ? "（\(part)）" : " (\(part))"
        }
        return "<span class=\"badge \(cls)\" data-standard=\"\(standard.rawValue)\">\(mark) \(escapeXML(name)): \(word)\(escapeXML(detail))</span>"
    }

    static func badges(_ s: StandardResults, labels: Labels, short: Bool = false, metrics: LessonMetrics? = nil) -> String {
        "<div class=\"badges\">" + Standard.allCases.map { badge($0, s[$0], labels: labels, short: short, metrics: metrics) }.joined() + "</div>"
    }

    static func meta(_ e: EvaluatedLesson, labels: Labels) -> String {
        var parts = [e.date.description, e.teacher, labels.subject(e.subject), labels.grade(e.grade)]
        if let c = e.className { parts.append(c) }
        if let o = e.observer { parts.append(o) }
        if !e.tags.isEmpty { parts.append(e.tags.map(labels.tag).joined(separator: labels.language == .zh ? "、" : ", ")) }
        return escapeXML(parts.joined(separator: " · "))
    }

    /// One format per metric in every report: shares and rates (0 to 1 by
    /// definition) as percentages, counts whole, the rest to 2 decimals. The
    /// Gini coefficient is a coefficient, not a share: 2 decimals.
    static func formatted(_ metric: Metric, _ v: Double) -> String {
        if metric.isCount { return Text.rounded(v, digits: 0) }
        if metric.isShare { return "\(Text.rounded(v * 100, digits: 0))%" }
        return Text.rounded(v, digits: 2)
    }

    // MARK: One lesson

    /// The page of one lesson: timeline, metrics, standards, notes.
    public static func lesson(_ e: EvaluatedLesson, policy: Policy, labels: Labels, links: PageLinks? = nil) -> String {
        let m = e.metrics
        let name = lessonName(e, labels: labels)
        var body = ""
        if let links {
            body += crumbs([(labels.overviewTitle, "/" + links.query), (e.teacher, teacherHref(e.teacher, links)), (name, nil)])
        }
        body += "<header><h1>\(escapeXML(name))</h1><div class=\"meta\">\(escapeXML(e.id)) · \(meta(e, labels: labels))</div></header>\n"
        body += "<section><h2>\(labels.standards)</h2>\(badges(e.standards, labels: labels, metrics: e.metrics))</section>\n"
        if let timeline = e.timeline {
            body += "<section><h2>\(labels.timeline)</h2>\(Charts.timeline(TimelineChartData(timeline, metrics: m), labels: labels))</section>\n"
            let st = STAnalysis(segments: timeline.segments, durationMin: timeline.durationMin, endMin: m.end_min, settings: policy.st)
            body += "<section><h2>\(escapeXML(labels.stAnalysis))</h2>\(ViewCharts.st(st, settings: policy.st, labels: labels))</section>\n"
        }
        // The observer's comments (the `notes` extension): shown, never counted.
        let segmentNotes = (e.timeline?.segments ?? []).filter { $0.notes != nil }
        if e.notes != nil || !segmentNotes.isEmpty {
            body += "<section><h2>\(escapeXML(labels.notes))</h2>"
            if let notes = e.notes { body += "<p class=\"summary\">\(escapeXML(notes))</p>" }
            if !segmentNotes.isEmpty {
                body += "<ul>" + segmentNotes.map { s in
                    "<li><strong>\(formatTime(s.start))-\(formatTime(s.end)) \(escapeXML(labels.kind(s.kind)))</strong>: \(escapeXML(s.notes ?? ""))</li>"
                }.joined() + "</ul>"
            }
            body += "</section>\n"
        }
        let gauges = [
            Gauge(label: labels.metric(.reading_min), value: m.reading_min, target: policy.readingMin...Double.infinity,
                  axisMax: max(20, m.reading_min), unit: labels.minutes, met: m.reading_min >= policy.readingMin),
            Gauge(label: labels.metric(.writing_min), value: m.writing_min, target: policy.writingMin...Double.infinity,
                  axisMax: max(20, m.writing_min), unit: labels.minutes, met: m.writing_min >= policy.writingMin),
            Gauge(label: labels.metric(.independent_performers), value: Double(m.independent_performers),
                  target: Double(policy.performers)...Double.infinity, axisMax: max(36, Double(m.independent_performers)),
                  unit: "", met: e.standards.one_eighteen),
            Gauge(label: labels.metric(.homework_min), value: m.homework_min, target: policy.homeworkMinMin...policy.homeworkMaxMin,
                  axisMax: max(15, m.homework_min), unit: labels.minutes, met: e.standards.homework_time),
            Gauge(label: labels.completion, value: m.homework_completion.map { $0 * 100 }, target: (policy.homeworkCompletionTarget * 100)...Double.infinity,
                  axisMax: 100, unit: "%", met: nil),
        ]
        body += "<section><h2>\(labels.targets)</h2>\(Charts.gauges(gauges, labels: labels))</section>\n"
        body += "<section><h2>\(escapeXML(labels.allMetrics))</h2><table><tbody>"
        for metric in Metric.allCases {
            let v = m[metric]
            body += "<tr><td>\(escapeXML(labels.metric(metric)))</td><td class=\"num\">\(v.map { formatted(metric, $0) } ?? "–")</td></tr>"
        }
        body += "</tbody></table><p class=\"meta\">\(escapeXML(labels.giniExplained))</p></section>\n<footer>\(escapeXML(labels.generatedBy))</footer>"
        return page(title: name, language: labels.language, body: body)
    }

    // MARK: One teacher

    /// The page of one teacher: every visit's timeline, trends, standards over time,
    /// against the archive (`archive`: every lesson's row).
    /// `needs`: the visits the teacher's metrics need (`Reliability.StandardMetrics.needs`);
    /// `others`: the other teachers' visits, for the coaching comparison.
    public static func teacher(name: String, lessons unsorted: [EvaluatedLesson], archive: LessonColumns, policy: Policy,
                               labels: Labels, needs: (visits: Int, short: [Metric]) = (fewVisitsThreshold, []),
                               others: [EvaluatedLesson] = [], links: PageLinks? = nil) -> String {
        let lessons = unsorted.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        var columns = LessonColumns()
        lessons.forEach { columns.append($0) }
        var body = ""
        if let links { body += crumbs([(labels.overviewTitle, "/" + links.query), (name, nil)]) + filterForm(links, labels: labels) }
        body += "<header><h1>\(escapeXML(labels.teacherTitle)): \(escapeXML(name))</h1>"
        body += "<div class=\"meta\">\(lessons.count) \(labels.visitsLong)"
        let logs = lessons.reduce(0) { $0 + $1.logs }
        if logs != lessons.count { body += " · \(escapeXML(labels.logsCount(logs)))" }
        if let first = lessons.first, let last = lessons.last { body += " · \(first.date) – \(last.date)" }
        body += "</div></header>\n"
        if !needs.short.isEmpty {
            body += "<p class=\"warn\">⚠ \(escapeXML(labels.fewVisits(have: lessons.count, needed: needs.visits, metrics: needs.short)))</p>\n"
        }
        body += "<section class=\"summary\"><h2>\(labels.summary)</h2><p>\(escapeXML(plainSummary(lessons, policy: policy, labels: labels, needs: needs, others: others)))</p></section>\n"

        let rows = Standard.allCases.map { s -> (standard: Standard, teacher: StandardRate, archive: StandardRate) in
            let t = columns.tally(s), a = archive.tally(s)
            return (s, StandardRate(met: t.met, judged: t.judged), StandardRate(met: a.met, judged: a.judged))
        }
        body += "<section><h2>\(escapeXML(labels.rates))</h2>\(Charts.rates(RateComparisonData(rows: rows), labels: labels))</section>\n"

        body += "<section><h2>\(labels.trends)</h2><div class=\"grid\">"
        let trendMetrics: [(Metric, Double?)] = [(.reading_min, policy.readingMin), (.writing_min, policy.writingMin),
                                                  (.independent_performers, Double(policy.performers)), (.homework_completion, nil)]
        for (metric, target) in trendMetrics {
            body += "<div>\(Charts.trend(TrendChartData(metric: metric, lessons: lessons, target: target, policy: policy), labels: labels))</div>"
        }
        body += "</div></section>\n"

        let profiles = lessons.compactMap { e in e.timeline.map { ActivityProfile(segments: $0.segments, durationMin: $0.durationMin, width: 120) } }
        if !profiles.isEmpty {
            body += "<section><h2>\(escapeXML(labels.activityProfile))</h2>\(ViewCharts.profile(profiles, labels: labels))</section>\n"
        }

        let shares = TierSharesData(lessons)
        if !shares.visits.isEmpty {
            body += "<section><h2>\(escapeXML(labels.participation))</h2>\(Charts.tierShares(shares, labels: labels))</section>\n"
        }

        body += "<section><h2>\(labels.visitList)</h2>" + laneLegend(labels)
        for e in lessons {
            // A visit logged by several: named by its key, its badges the combined record's.
            let name = e.logs > 1 ? "\(e.visitKey ?? e.id) · \(labels.logsCount(e.logs))" : e.id
            // Date, class, subject and observers; on the server a link to the lesson's page.
            let what = ([e.className, labels.subject(e.subject)].compactMap { $0 } + [(e.observers.isEmpty ? (e.observer.map { [$0] } ?? []) : e.observers).joined(separator: "、")])
                .filter { !$0.isEmpty }.joined(separator: " · ")
            let date = links.map { "<a href=\"\(escapeXML(lessonHref(e.id, $0)))\"><strong>\(e.date)</strong></a>" } ?? "<strong>\(e.date)</strong>"
            body += "<div class=\"visit\" data-lesson=\"\(escapeXML(e.id))\"><div class=\"head\">\(date) <span>\(escapeXML(what))</span> <span class=\"meta\">\(escapeXML(name))</span>"
            body += badges(e.standards, labels: labels, short: true, metrics: e.metrics) + "</div>"
            if let t = e.timeline {
                body += Charts.timeline(TimelineChartData(t, metrics: e.metrics), labels: labels, compact: true)
            }
            body += "</div>"
        }
        body += "</section>\n<footer>\(escapeXML(labels.generatedBy))</footer>"
        return page(title: "\(labels.teacherTitle): \(name)", language: labels.language, body: body)
    }

    /// Lane colors with their names, for the small timelines.
    static func laneLegend(_ labels: Labels) -> String {
        var html = "<div class=\"meta\">"
        for lane in TimelineLane.allCases {
            html += "<span style=\"display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;background:\(Palette.lane(lane))\"></span>\(escapeXML(labels.lane(lane)))"
        }
        html += " · \(escapeXML(labels.performances)): ● \(escapeXML(labels.tier(.top))) ■ \(escapeXML(labels.tier(.middle))) ▲ \(escapeXML(labels.tier(.bottom))), \(escapeXML(labels.hollowIsPrompted))</div>"
        return html
    }

    /// A few sentences a mentor can read in ten seconds.
    public static func plainSummary(_ lessons: [EvaluatedLesson], policy: Policy, labels: Labels,
                                    needs: (visits: Int, short: [Metric]) = (fewVisitsThreshold, []),
                                    others: [EvaluatedLesson] = []) -> String {
        let n = lessons.count
        guard n > 0 else { return "" }
        let zh = labels.language == .zh
        var sentences: [String] = []
        func count(_ test: (EvaluatedLesson) -> Bool) -> Int { lessons.filter(test).count }
        let reading = count { $0.metrics.reading_min >= policy.readingMin }
        let writing = count { $0.metrics.writing_min >= policy.writingMin }
        let eighteen = count { $0.standards.one_eighteen == true }
        let homework = count { $0.standards.homework_time == true }
        let r = Text.rounded(policy.readingMin, digits: 0)
        sentences.append(labels.reached(zh ? "朗读达到\(r)分钟" : "Reading reached \(r) minutes", reading, n))
        sentences.append(labels.reached(zh ? "书写达到\(Text.rounded(policy.writingMin, digits: 0))分钟" : "writing reached \(Text.rounded(policy.writingMin, digits: 0)) minutes", writing, n))
        sentences.append(labels.reached(zh ? "至少\(policy.performers)名学生独立展示" : "at least \(policy.performers) students performed on their own", eighteen, n))
        sentences.append(labels.reached(zh ? "当堂作业时间达标" : "in-class homework took the planned time", homework, n))
        var text = zh ? sentences.joined(separator: "；") + "。" : sentences.joined(separator: "; ") + "."

        // Before and after coaching, when the tags say so: every significant
        // change, either way, largest effect first, with what came before and
        // what the other teachers did meanwhile.
        if let coaching = CoachingChanges(lessons, others: others, policy: policy) {
            text += " " + coachingSentence(coaching, labels: labels)
        } else if n >= 3, let trend = TrendChartData(metric: .reading_min, lessons: lessons, target: nil).fit {
            let per30 = trend.slope * 30
            let sign = per30 >= 0 ? "+" : ""
            text += zh
                ? " 朗读时间每30天变化 \(sign)\(Text.rounded(per30)) 分钟（p \(pText(trend.p))）。"
                : " Reading changed by \(sign)\(Text.rounded(per30)) minutes per 30 days (p \(pText(trend.p)))."
        }
        if !needs.short.isEmpty { text += " " + labels.fewVisits(have: n, needed: needs.visits, metrics: needs.short) + (zh ? "。" : ".") }
        return text
    }

    /// The teacher report's before/after paragraph.
    static func coachingSentence(_ c: CoachingChanges, labels: Labels, limit: Int? = nil) -> String {
        let zh = labels.language == .zh
        let text = zh ? "指导前后（\(c.before) 次 / \(c.after) 次听课；括号内为 p 值、效应量与其他教师同期的变化）："
                      : "Before → after coaching (\(c.before) and \(c.after) visits; in brackets p, the effect size and the other teachers' change over the same dates): "
        guard !c.changes.isEmpty else {
            return text + (zh ? "没有指标或标准有显著变化（p < 0.05）。" : "no metric or standard changed significantly (p < 0.05).")
        }
        // Many measures tested on few visits: say what chance alone gives.
        let tested = Metric.count + Standard.count
        let caveat = zh
            ? "共检验 \(tested) 项，p < 0.05 时约每 20 项就可能有 1 项纯属偶然" + (min(c.before, c.after) < 5 ? "；一侧少于 5 次听课，结论需谨慎" : "") + "。"
            : "\(tested) measures were tested: at p < 0.05 about 1 in 20 can differ by chance alone" + (min(c.before, c.after) < 5 ? "; fewer than 5 visits on a side, read with care" : "") + "."
        var parts: [String] = []
        for change in c.changes.prefix(limit ?? c.changes.count) {
            let name: String, from: String, to: String, effect: String, others: String
            switch change.measure {
            case .metric(let m):
                name = labels.metric(m)
                let percent = m.isShare
                func v(_ x: Double) -> String {
                    percent ? Text.rounded(x * 100, digits: 0) + "%" : Text.rounded(x, digits: m.bounds.upperBound == 1 ? 2 : 1)
                }
                from = v(change.before); to = v(change.after)
                effect = "g = " + Text.rounded(change.effect, digits: 1)
                others = change.othersChange.map { d in
                    (d >= 0 ? "+" : "") + (percent ? Text.rounded(d * 100, digits: 0) + (zh ? "个百分点" : " pts") : Text.rounded(d, digits: m.bounds.upperBound == 1 ? 2 : 1))
                } ?? "–"
            case .standard(let st):
                name = labels.standardShort(st)
                from = Text.rounded(change.before * 100, digits: 0) + "%"; to = Text.rounded(change.after * 100, digits: 0) + "%"
                effect = "h = " + Text.rounded(change.effect, digits: 1)
                others = change.othersChange.map { d in (d >= 0 ? "+" : "") + Text.rounded(d * 100, digits: 0) + (zh ? "个百分点" : " pts") } ?? "–"
            }
            let rising = change.after > change.before
            var notes = ["p \(pText(change.p))", effect]
            if change.alreadyTrending {
                notes.append(rising ? (zh ? "指导前已在上升" : "already rising before coaching")
                                    : (zh ? "指导前已在下降" : "already falling before coaching"))
            }
            notes.append(zh ? "其他教师 \(others)" : "others \(others)")
            let joined = notes.joined(separator: zh ? "，" : ", ")
            parts.append(zh ? "\(name) \(from) → \(to)（\(joined)）" : "\(name) \(from) → \(to) (\(joined))")
        }
        let more = c.changes.count - parts.count
        let rest = more > 0 ? (zh ? "；另有 \(more) 项" : "; \(more) more") : ""
        return text + parts.joined(separator: zh ? "；" : "; ") + rest + (zh ? "。" : ". ") + caveat
    }

    /// The brief: one A4 page for a principal or a group meeting: period and
    /// filters, visits and teachers, who needs help with what, coaching
    /// results with their caveats, observers' agreement (kappa) and the
    /// metrics that are not stable.
    public static func brief(_ rows: [TeacherRow], policy: Policy, labels: Labels, filters: String,
                             agreement: ObserverAgreement, unstable: [Metric], links: PageLinks? = nil) -> String {
        let zh = labels.language == .zh
        func t(_ en: String, _ cn: String) -> String { zh ? cn : en }
        let visits = rows.flatMap(\.lessons)
        var body = ""
        if let links { body += crumbs([(labels.overviewTitle, "/" + links.query), (t("Brief", "简报"), nil)]) }
        body += "<header><h1>\(t("Lesson observation brief", "听课简报"))</h1><div class=\"meta\">"
        if let first = visits.map(\.date).min(), let last = visits.map(\.date).max() { body += "\(first) – \(last) · " }
        body += t("\(visits.count) visits, \(rows.count) teachers", "\(visits.count) 次听课，\(rows.count) 位教师")
        body += " · " + (filters.isEmpty ? t("all lessons", "全部课") : t("filters: ", "筛选：") + escapeXML(filters)) + "</div></header>\n"
        // Who needs help with what, compact.
        let share = Int((policy.attentionMetBelow * 100).rounded())
        var help: [String] = []
        for row in rows {
            let items = needsHelp(row, policy: policy).map { h in
                "\(labels.standardShort(h.standard)) \(h.met)/\(h.judged)"
            }
            if !items.isEmpty { help.append("<li><strong>\(escapeXML(row.teacher))</strong>：".replacingOccurrences(of: "：", with: zh ? "：" : ": ") + escapeXML(items.joined(separator: zh ? "，" : ", ")) + "</li>") }
        }
        body += "<section><h2>\(t("Who needs help with what", "谁需要哪方面的帮助"))</h2>"
        body += "<p class=\"meta\">\(t("Standards met in less than \(share)% of enough visits (met/judged), the largest gap first.", "在足够的听课中达标率低于 \(share)% 的标准（达标/评价次数），差距大的在前。"))</p>"
        body += help.isEmpty ? "<p>\(t("None.", "无。"))</p>" : "<ul class=\"tight\">" + help.joined() + "</ul>"
        body += "</section>\n"
        // Coaching.
        var coaching: [String] = []
        let coached = rows.filter { CoachingChanges.isCoached($0.lessons, policy: policy) }
        let compareOthers = coached.count * visits.count <= coachingComparisonBudget
        for row in coached {
            // The other teachers' visits are gathered only for a coached teacher, and
            // only while that stays within the budget (see helpSection).
            if let c = CoachingChanges(row.lessons, others: compareOthers ? visits.filter { $0.teacher != row.teacher } : [], policy: policy) {
                coaching.append("<li><strong>\(escapeXML(row.teacher))</strong>: " + escapeXML(coachingSentence(c, labels: labels, limit: 3)) + "</li>")
            }
        }
        if !coaching.isEmpty {
            body += "<section><h2>\(t("Coaching", "指导效果"))</h2><ul class=\"tight\">" + coaching.joined() + "</ul></section>\n"
        }
        // Agreement and stability.
        body += "<section><h2>\(t("Can the observations be trusted?", "观察是否可信"))</h2><p>"
        if agreement.pairs > 0, let k = agreement.kappa.value {
            let ci = agreement.kappa.ci95.map { " [\(Text.rounded($0.low, digits: 2)), \(Text.rounded($0.high, digits: 2))]" } ?? ""
            body += t("Observers' agreement: kappa \(Text.rounded(k, digits: 2))\(ci) over \(agreement.pairs) pairs of logs of \(agreement.visits) co-observed visits. ",
                      "听课人之间的一致性：kappa \(Text.rounded(k, digits: 2))\(ci)，基于 \(agreement.visits) 次多人同听的 \(agreement.pairs) 对记录。")
        } else {
            body += t("No visit was observed by two observers: agreement cannot be measured. ", "没有两人同听的课，无法计算听课人之间的一致性。")
        }
        body += unstable.isEmpty ? t("Every metric of the standards is stable across visits.", "标准涉及的各项指标在不同听课之间都稳定。")
            : t("Not stable across visits, judge lesson by lesson: ", "在不同听课之间不稳定、需逐节评价的指标：") + escapeXML(unstable.map(labels.metric).joined(separator: zh ? "、" : ", ")) + (zh ? "。" : ".")
        body += "</p></section>\n<footer>\(escapeXML(labels.generatedBy))</footer>"
        let css = """
        @page { size: A4; margin: 12mm; }
        body { max-width: 186mm; font-size: 12px; padding: 12px; }
        h1 { font-size: 20px; } h2 { font-size: 14px; margin: 12px 0 4px; }
        ul.tight { margin: 4px 0; padding-left: 18px; } ul.tight li { margin: 2px 0; }
        @media print { body { padding: 0; font-size: 10.5px; } }
        """
        return page(title: t("Lesson observation brief", "听课简报"), language: labels.language, body: body, extraCSS: css)
    }

    /// "= 0.04" or "< 0.001", for a sentence.
    static func pText(_ p: Double?) -> String {
        let v = Text.pValue(p)
        return v.hasPrefix("<") ? v : "= " + v
    }

    // MARK: Overview

    /// One teacher's row of the overview.
    public struct TeacherRow: Sendable {
        /// The teacher as the logs name them.
        public var teacher: String
        /// Their lessons (visits), by date.
        public var lessons: [EvaluatedLesson]
        /// The visits their metrics need, and the metrics that need more than they have.
        public var needs: (visits: Int, short: [Metric])
        /// A row; the lessons are sorted by date and id.
        public init(teacher: String, lessons: [EvaluatedLesson], needs: (visits: Int, short: [Metric]) = (fewVisitsThreshold, [])) {
            self.teacher = teacher
            self.lessons = lessons.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
            self.needs = needs
        }
    }

    static let sortScript = """
    // Sorts the table by the clicked column; the page reads the same without it.
    document.querySelectorAll("th").forEach(function (th, column) {
      th.addEventListener("click", function () {
        var body = th.closest("table").querySelector("tbody");
        var rows = Array.prototype.slice.call(body.querySelectorAll("tr"));
        var down = th.getAttribute("data-dir") !== "down";
        th.setAttribute("data-dir", down ? "down" : "up");
        rows.sort(function (a, b) {
          var x = a.children[column].getAttribute("data-sort"), y = b.children[column].getAttribute("data-sort");
          var nx = parseFloat(x), ny = parseFloat(y);
          var order = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
          return down ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    """

    /// Coached teachers × visits above which an overview or brief leaves out
    /// the other teachers' change (each comparison reads every other visit).
    static let coachingComparisonBudget = 20_000_000

    /// One teacher's standards met in less than `attention.met_below` of
    /// enough visits, largest gap first: (standard, met, judged).
    public static func needsHelp(_ row: TeacherRow, policy: Policy) -> [(standard: Standard, met: Int, judged: Int)] {
        var columns = LessonColumns()
        row.lessons.forEach { columns.append($0) }
        var out: [(standard: Standard, met: Int, judged: Int)] = []
        for s in Standard.allCases {
            let tally = columns.tally(s)
            // Enough visits: as many as the standard's stable metrics need, none of them short.
            guard tally.judged > 0, tally.judged >= row.needs.visits, !s.metrics.contains(where: row.needs.short.contains) else { continue }
            if Double(tally.met) / Double(tally.judged) < policy.attentionMetBelow { out.append((s, tally.met, tally.judged)) }
        }
        return out.sorted { Double($0.met) / Double($0.judged) < Double($1.met) / Double($1.judged) }
    }

    /// "Who needs help with what": per teacher, the standards met in less
    /// than the policy's share of enough visits, and each coached teacher's
    /// before/after outcome with its caveats, in words.
    static func helpSection(_ rows: [TeacherRow], policy: Policy, labels: Labels, links: PageLinks?) -> String {
        let zh = labels.language == .zh
        let share = Int((policy.attentionMetBelow * 100).rounded())
        var items: [String] = []
        // Each coached teacher's comparison reads every other visit: on a large
        // archive with many coached teachers that is left out of this page
        // (the teacher's own page has it), and the page says so.
        let coached = rows.filter { CoachingChanges.isCoached($0.lessons, policy: policy) }.count
        let visits = rows.reduce(0) { $0 + $1.lessons.count }
        let compareOthers = coached * visits <= coachingComparisonBudget
        for row in rows {
            let help = needsHelp(row, policy: policy)
            let name = links.map { "<a href=\"\(escapeXML(teacherHref(row.teacher, $0)))\">\(escapeXML(row.teacher))</a>" } ?? escapeXML(row.teacher)
            var sentences: [String] = help.map { h in
                let pct = Int((Double(h.met) / Double(h.judged) * 100).rounded())
                return zh ? "\(labels.standard(h.standard))：\(h.judged) 次中达标 \(h.met) 次（\(pct)%），低于 \(share)%"
                          : "\(labels.standard(h.standard)): met in \(h.met) of \(h.judged) visits (\(pct)%), below \(share)%"
            }
            // The other teachers' visits are gathered only for a coached teacher
            // (an archive has thousands of teachers; filtering for each was quadratic).
            if CoachingChanges.isCoached(row.lessons, policy: policy),
               let coaching = CoachingChanges(row.lessons, others: compareOthers ? rows.filter { $0.teacher != row.teacher }.flatMap(\.lessons) : [], policy: policy) {
                sentences.append(coachingSentence(coaching, labels: labels))
            }
            guard !sentences.isEmpty else { continue }
            items.append("<li data-teacher=\"\(escapeXML(row.teacher))\"><strong>\(name)</strong>：" .replacingOccurrences(of: "：", with: zh ? "：" : ": ")
                         + sentences.map(escapeXML).joined(separator: zh ? "；" : "; ") + "</li>")
        }
        let title = zh ? "谁需要哪方面的帮助" : "Who needs help with what"
        var note = zh ? "只列出听课次数足以评价的标准（见 lessonlens reliability），差距最大的在前。"
                      : "Only standards judged on enough visits (see lessonlens reliability) are listed, the largest gap first."
        if !compareOthers {
            note += zh ? "档案较大：指导前后与其他教师同期变化的比较见各教师页面。" : " A large archive: the other teachers' change over the same dates is on each teacher's page."
        }
        guard !items.isEmpty else {
            return "<section id=\"needs-help\"><h2>\(title)</h2><p>\(zh ? "没有教师的任何标准在足够的听课中达标率低于 \(share)%。" : "No teacher meets a standard in less than \(share)% of enough visits.")</p></section>\n"
        }
        return "<section id=\"needs-help\"><h2>\(title)</h2><p class=\"meta\">\(note)</p><ul>" + items.joined() + "</ul></section>\n"
    }

    /// The overview page: one sortable row per teacher; with `policy`, who
    /// needs help with what; with `links`, the server's links and filters.
    public static func overview(_ rows: [TeacherRow], labels: Labels, links: PageLinks? = nil, policy: Policy? = nil) -> String {
        let sparkMetrics: [Metric] = [.reading_min, .writing_min, .independent_performers, .homework_completion]
        var body = links.map { filterForm($0, labels: labels) } ?? ""
        body += "<header><h1>\(escapeXML(labels.overviewTitle))</h1>"
        let total = rows.reduce(0) { $0 + $1.lessons.count }
        let logs = rows.reduce(0) { $0 + $1.lessons.reduce(0) { $0 + $1.logs } }
        let logsText = logs != total ? " · " + escapeXML(labels.logsCount(logs)) : ""
        body += "<div class=\"meta\">\(rows.count) \(escapeXML(labels.teachersCount)) · \(total) \(labels.visitsShort)\(logsText) · \(escapeXML(labels.sortHint)) \(escapeXML(labels.sparklineLegend))</div></header>\n"
        body += "<section><table class=\"overview\"><thead><tr><th>\(escapeXML(labels.teacherColumn))</th><th>\(escapeXML(labels.visits))</th>"
        for m in sparkMetrics { body += "<th>\(escapeXML(labels.metric(m)))</th>" }
        for s in Standard.allCases { body += "<th>\(escapeXML(labels.standardShort(s)))</th>" }
        body += "</tr></thead><tbody>"
        for row in rows {
            var columns = LessonColumns()
            row.lessons.forEach { columns.append($0) }
            let teacherCell = links.map { "<a href=\"\(escapeXML(teacherHref(row.teacher, $0)))\">\(escapeXML(row.teacher))</a>" } ?? escapeXML(row.teacher)
            body += "<tr><td data-sort=\"\(escapeXML(row.teacher))\" data-label=\"\(escapeXML(labels.teacherColumn))\">\(teacherCell)</td>"
            body += "<td class=\"num\" data-sort=\"\(row.lessons.count)\" data-label=\"\(escapeXML(labels.visits))\">\(row.lessons.count)</td>"
            // ⚠ on the cells whose metric needs more visits than the teacher has.
            func flag(_ short: Bool, _ needed: Int) -> String {
                short ? " <span class=\"warn\" title=\"\(escapeXML(labels.fewVisits(have: row.lessons.count, needed: needed, metrics: row.needs.short)))\">⚠</span>" : ""
            }
            for m in sparkMetrics {
                let values = row.lessons.compactMap { $0.metrics[m] }
                let mean = values.isEmpty ? "" : Text.jsonNumber(values.reduce(0, +) / Double(values.count))
                body += "<td data-sort=\"\(mean)\" data-label=\"\(escapeXML(labels.metric(m)))\">\(Charts.sparkline(values, label: labels.metric(m), percent: m == .homework_completion, labels: labels))\(flag(row.needs.short.contains(m), row.needs.visits))</td>"
            }
            for s in Standard.allCases {
                let tally = columns.tally(s)
                let rate = tally.judged > 0 ? Double(tally.met) / Double(tally.judged) : nil
                let text = rate.map { "\(Int(($0 * 100).rounded()))% (\(tally.met)/\(tally.judged))" } ?? "–"
                let short = s.metrics.contains { !sparkMetrics.contains($0) && row.needs.short.contains($0) }
                body += "<td class=\"num\" data-sort=\"\(rate.map { Text.jsonNumber($0) } ?? "-1")\" data-label=\"\(escapeXML(labels.standardShort(s)))\">\(text)\(flag(short, row.needs.visits))</td>"
            }
            body += "</tr>"
        }
        body += "</tbody></table></section>\n"
        if let policy {
            // Not every visit copied into one list: on 100,000 lessons that was a third of the page's memory.
            body += helpSection(rows, policy: policy, labels: labels, links: links)
        }
        if rows.contains(where: { !$0.needs.short.isEmpty }) {
            body += "<p class=\"warn\">⚠ \(escapeXML(labels.fewVisitsLegend))</p>\n"
        }
        body += "<footer>\(escapeXML(labels.generatedBy))</footer>"
        return page(title: labels.overviewTitle, language: labels.language, body: body, script: sortScript)
    }
}
