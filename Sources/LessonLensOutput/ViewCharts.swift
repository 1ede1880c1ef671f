import LessonLensCore
import LessonLensStatistics

/// The literature's views drawn for people: the S-T curve with the Rt-Ch
/// diagram (lesson report) and the COPUS-style profile bars (teacher report).
/// Inline SVG, no colour needed to read them (labels and shapes carry it).
package enum ViewCharts {
    static func f(_ d: Double) -> String { Text.rounded(d, digits: 1) }

    /// The S-T curve (each T sample one step right, S one step up, D half a
    /// step each) beside the lesson's point on the Rt-Ch type diagram.
    package static func st(_ s: STAnalysis, settings: STAnalysis.Settings, labels: Labels) -> String {
        let zh = labels.language == .zh
        guard s.n > 0, let rt = s.rt, let ch = s.ch, let type = s.type else {
            return "<p class=\"meta\">\(zh ? "无可归类的采样（无讲授、讨论或学生活动片段）" : "No classified samples (no lecture, discussion or student segments).")</p>"
        }
        let size = 220.0, pad = 30.0
        let scale = size / Double(max(s.n, 1))
        var x = 0.0, y = 0.0
        var points = ["\(f(pad)),\(f(pad + size))"]
        for c in s.codes {
            switch c {
            case .t: x += 1
            case .s: y += 1
            case .d: x += 0.5; y += 0.5
            }
            points.append("\(f(pad + x * scale)),\(f(pad + size - y * scale))")
        }
        var svg = "<svg viewBox=\"0 0 \(f(2 * size + 4 * pad)) \(f(size + 2 * pad + 10))\" role=\"img\" aria-label=\"\(escapeXML(zh ? "S-T曲线与Rt-Ch图" : "S-T curve and Rt-Ch diagram"))\" style=\"max-width:640px;width:100%\">"
        // The S-T curve, T to the right and S up.
        svg += "<rect x=\"\(f(pad))\" y=\"\(f(pad))\" width=\"\(f(size))\" height=\"\(f(size))\" fill=\"none\" stroke=\"#999\"/>"
        svg += "<line x1=\"\(f(pad))\" y1=\"\(f(pad + size))\" x2=\"\(f(pad + size))\" y2=\"\(f(pad))\" stroke=\"#ccc\" stroke-dasharray=\"4 3\"/>"
        svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#1f4e8c\" stroke-width=\"2\"/>"
        svg += "<text x=\"\(f(pad + size / 2))\" y=\"\(f(pad + size + 22))\" text-anchor=\"middle\" font-size=\"12\">T (\(zh ? "教师" : "teacher")) →</text>"
        svg += "<text x=\"12\" y=\"\(f(pad + size / 2))\" font-size=\"12\" transform=\"rotate(-90 12 \(f(pad + size / 2)))\" text-anchor=\"middle\">S (\(zh ? "学生" : "students")) →</text>"
        // The Rt-Ch diagram with the type regions.
        let ox = 3 * pad + size
        func px(_ r: Double) -> Double { ox + r * size }
        func py(_ c: Double) -> Double { pad + size - min(c, 1) * size }
        svg += "<rect x=\"\(f(ox))\" y=\"\(f(pad))\" width=\"\(f(size))\" height=\"\(f(size))\" fill=\"none\" stroke=\"#999\"/>"
        for r in [settings.practiceMaxRt, settings.lectureMinRt] {
            svg += "<line x1=\"\(f(px(r)))\" y1=\"\(f(pad))\" x2=\"\(f(px(r)))\" y2=\"\(f(pad + size))\" stroke=\"#bbb\"/>"
        }
        svg += "<line x1=\"\(f(px(settings.practiceMaxRt)))\" y1=\"\(f(py(settings.dialogueMinCh)))\" x2=\"\(f(px(settings.lectureMinRt)))\" y2=\"\(f(py(settings.dialogueMinCh)))\" stroke=\"#bbb\"/>"
        func label(_ t: STAnalysis.LessonType, _ r: Double, _ c: Double) -> String {
            "<text x=\"\(f(px(r)))\" y=\"\(f(py(c)))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555\">\(escapeXML(zh ? t.chinese : t.rawValue))</text>"
        }
        svg += label(.practice, settings.practiceMaxRt / 2, 0.5)
        svg += label(.lecture, (1 + settings.lectureMinRt) / 2, 0.5)
        svg += label(.dialogue, (settings.practiceMaxRt + settings.lectureMinRt) / 2, (1 + settings.dialogueMinCh) / 2)
        svg += label(.mixed, (settings.practiceMaxRt + settings.lectureMinRt) / 2, settings.dialogueMinCh / 2)
        svg += "<circle cx=\"\(f(px(rt)))\" cy=\"\(f(py(ch)))\" r=\"6\" fill=\"#c0392b\" stroke=\"#000\"><title>Rt \(Text.rounded(rt, digits: 2)), Ch \(Text.rounded(ch, digits: 2))</title></circle>"
        svg += "<text x=\"\(f(ox + size / 2))\" y=\"\(f(pad + size + 22))\" text-anchor=\"middle\" font-size=\"12\">Rt →</text>"
        svg += "<text x=\"\(f(ox - 10))\" y=\"\(f(pad + size / 2))\" font-size=\"12\" text-anchor=\"end\">Ch</text>"
        svg += "</svg>"
        let caption = zh
            ? "Rt = \(Text.rounded(rt, digits: 2))（教师行为占有率），Ch = \(Text.rounded(ch, digits: 2))（师生行为转换率），N = \(s.n)：\(type.chinese)。每\(Text.rounded(settings.intervalSeconds, digits: 0))秒采样一次。"
            : "Rt = \(Text.rounded(rt, digits: 2)) (teacher's share), Ch = \(Text.rounded(ch, digits: 2)) (rate of change), N = \(s.n): \(type.rawValue) lesson (\(type.chinese)). One sample every \(Text.rounded(settings.intervalSeconds, digits: 0)) s."
        return svg + "<p class=\"meta\">\(escapeXML(caption))</p>"
    }

    /// One bar per kind: the mean share of 2-minute intervals in which it went on.
    package static func profile(_ profiles: [ActivityProfile], labels: Labels) -> String {
        guard !profiles.isEmpty else { return "" }
        let zh = labels.language == .zh
        var html = "<table class=\"profile\"><thead><tr><th>\(zh ? "活动" : "kind")</th><th>\(zh ? "出现的时段占比" : "share of intervals")</th></tr></thead><tbody>"
        for kind in SegmentKind.allCases {
            let mean = profiles.map { $0.share[kind] ?? 0 }.reduce(0, +) / Double(profiles.count)
            let pct = Int((mean * 100).rounded())
            html += "<tr><td>\(escapeXML(labels.kind(kind)))</td><td><svg viewBox=\"0 0 200 12\" width=\"200\" height=\"12\" role=\"img\" aria-label=\"\(pct)%\">"
            html += "<rect width=\"200\" height=\"12\" fill=\"#eee\"/><rect width=\"\(f(mean * 200))\" height=\"12\" fill=\"#1f4e8c\"/></svg> \(pct)%</td></tr>"
        }
        return html + "</tbody></table>"
    }
}
