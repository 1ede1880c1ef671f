import LessonLensCore
import LessonLensStatistics

/// A small drawing layer: SVG elements, linear scales and axes. It knows
/// nothing about lessons; the charts (Charts.swift) turn chart data into
/// calls here, so the same data could go to another renderer.
package struct SVG {
    package let width: Double
    package let height: Double
    private var body = ""

    package init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// The finished element, XML-valid, scaled to its container's width. No
    /// xmlns: inline SVG in HTML needs none, and the page holds no URL at all.
    package func render(label: String) -> String {
        "<svg viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"100%\" role=\"img\" aria-label=\"\(escapeXML(label))\">"
            + "<title>\(escapeXML(label))</title>" + body + "</svg>"
    }

    package mutating func raw(_ markup: String) { body += markup }

    package mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
                              className: String? = nil, title: String? = nil, data: [(String, String)] = []) {
        body += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, width)))\" height=\"\(n(max(0, height)))\" fill=\"\(fill)\""
        if let stroke { body += " stroke=\"\(stroke)\" stroke-width=\"0.8\"" }
        if let className { body += " class=\"\(className)\"" }
        for (k, v) in data { body += " data-\(k)=\"\(escapeXML(v))\"" }
        if let title { body += "><title>\(escapeXML(title))</title></rect>" } else { body += "/>" }
    }

    package mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
                              dash: String? = nil, className: String? = nil) {
        body += "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
        if let dash { body += " stroke-dasharray=\"\(dash)\"" }
        if let className { body += " class=\"\(className)\"" }
        body += "/>"
    }

    package enum Anchor: String { case start, middle, end }

    package mutating func text(_ s: String, x: Double, y: Double, size: Double = 11, anchor: Anchor = .start,
                              fill: String = "#222", weight: String? = nil) {
        body += "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(fill)\""
        if let weight { body += " font-weight=\"\(weight)\"" }
        body += ">\(escapeXML(s))</text>"
    }

    package mutating func circle(cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil, className: String? = nil,
                                title: String? = nil) {
        body += "<circle cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"\(n(r))\" fill=\"\(fill)\""
        if let stroke { body += " stroke=\"\(stroke)\" stroke-width=\"1.2\"" }
        if let className { body += " class=\"\(className)\"" }
        if let title { body += "><title>\(escapeXML(title))</title></circle>" } else { body += "/>" }
    }

    /// A polyline or polygon through points.
    package mutating func path(_ points: [(Double, Double)], stroke: String, fill: String = "none", width: Double = 1.5,
                              closed: Bool = false, className: String? = nil, dash: String? = nil) {
        guard let first = points.first else { return }
        var d = "M\(n(first.0)),\(n(first.1))"
        for p in points.dropFirst() { d += " L\(n(p.0)),\(n(p.1))" }
        if closed { d += " Z" }
        body += "<path d=\"\(d)\" stroke=\"\(stroke)\" fill=\"\(fill)\" stroke-width=\"\(n(width))\""
        if let dash { body += " stroke-dasharray=\"\(dash)\"" }
        if let className { body += " class=\"\(className)\"" }
        body += "/>"
    }

    /// A marker shape, so that tiers or groups differ in grey print too.
    package enum Shape { case circle, square, triangle, diamond }

    package mutating func marker(_ shape: Shape, x: Double, y: Double, size: Double, fill: String, stroke: String = "#222",
                                className: String? = nil, title: String? = nil) {
        let h = size / 2
        let tag: String
        switch shape {
        case .circle:
            tag = "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(h))\""
        case .square:
            tag = "<rect x=\"\(n(x - h))\" y=\"\(n(y - h))\" width=\"\(n(size))\" height=\"\(n(size))\""
        case .triangle:
            tag = "<polygon points=\"\(n(x)),\(n(y - h)) \(n(x + h)),\(n(y + h)) \(n(x - h)),\(n(y + h))\""
        case .diamond:
            tag = "<polygon points=\"\(n(x)),\(n(y - h)) \(n(x + h)),\(n(y)) \(n(x)),\(n(y + h)) \(n(x - h)),\(n(y))\""
        }
        body += tag + " fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"0.8\""
        if let className { body += " class=\"\(className)\"" }
        let close: String
        switch shape {
        case .circle: close = "circle"
        case .square: close = "rect"
        case .triangle, .diamond: close = "polygon"
        }
        if let title { body += "><title>\(escapeXML(title))</title></\(close)>" } else { body += "/>" }
    }

    /// Numbers in SVG: two decimals at most, no exponent.
    func n(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 100).rounded() / 100
        if r == r.rounded() && abs(r) < 1e12 { return String(Int(r)) }
        return Text.rounded(r, digits: 2)
    }
}

/// Maps a domain of values onto a range of pixels.
package struct LinearScale: Sendable {
    package var domain: (Double, Double)
    package var range: (Double, Double)

    package init(domain: (Double, Double), range: (Double, Double)) {
        self.domain = domain.0 == domain.1 ? (domain.0 - 1, domain.1 + 1) : domain
        self.range = range
    }

    package func callAsFunction(_ v: Double) -> Double {
        range.0 + (v - domain.0) / (domain.1 - domain.0) * (range.1 - range.0)
    }

    /// About `count` round tick values inside the domain.
    package func ticks(_ count: Int = 5) -> [Double] {
        let span = domain.1 - domain.0
        guard span > 0, count > 0 else { return [domain.0] }
        let raw = span / Double(count)
        var step = 1.0
        while step * 10 <= raw { step *= 10 }
        while step > raw { step /= 10 }
        for m in [1.0, 2, 5, 10] where step * m >= raw { step *= m; break }
        var out: [Double] = []
        var v = (domain.0 / step).rounded(.up) * step
        while v <= domain.1 + step * 1e-9 {
            out.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return out
    }
}

/// Text for XML: & < > " ' escaped, and characters XML 1.0 forbids dropped.
package func escapeXML(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for c in s.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default:
            let v = c.value
            if v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000 {
                out.unicodeScalars.append(c)
            }
        }
    }
    return out
}
