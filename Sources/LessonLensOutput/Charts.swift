import LessonLensCore
import LessonLensStatistics

/// Draws chart data as SVG. Colors are the Okabe–Ito palette (readable with
/// color-blind eyes); every mark also has a label or a shape, so that grey
/// print and color-blind readers lose nothing.
package enum Palette {
    package static let blue = "#0072B2", orange = "#E69F00", vermillion = "#D55E00", green = "#009E73"
    package static let sky = "#56B4E9", yellow = "#F0E442", purple = "#CC79A7", grey = "#999999", ink = "#222222"

    package static func lane(_ lane: TimelineLane) -> String {
        switch lane {
        case .reading: return blue
        case .writing: return orange
        case .homework: return vermillion
        case .talk: return grey
        case .interaction: return green
        case .other: return "#CCCCCC"
        }
    }

    package static func tier(_ tier: Tier?) -> (color: String, shape: SVG.Shape) {
        switch tier {
        case .top: return (sky, .circle)
        case .middle: return (yellow, .square)
        case .bottom: return (vermillion, .triangle)
        case nil: return ("#FFFFFF", .diamond)
        }
    }
}

package enum Charts {
    // MARK: Timeline

    /// Layout of a timeline, exposed so that tests can check positions.
    package struct TimelineLayout {
        package var width: Double
        package var left: Double
        package var right: Double
        package var laneHeight: Double
        package var top: Double
        package var x: LinearScale
    }

    /// A time the chart holds in minutes, as the log wrote it (`16:05`): the
    /// division by 60 and back left `16:04.999999999999886` on the pages.
    static func clock(_ minutes: Double) -> String {
        formatTime((minutes * 60 * 1000).rounded() / 1000)
    }

    package static func timelineLayout(_ data: TimelineChartData, compact: Bool) -> TimelineLayout {
        let width = compact ? 620.0 : 900.0
        let left = compact ? 8.0 : 170.0
        let right = 16.0
        let axisEnd = (data.axisEndMin / 5).rounded(.up) * 5
        return TimelineLayout(width: width, left: left, right: right, laneHeight: compact ? 9 : 22, top: compact ? 4 : 26,
                              x: LinearScale(domain: (0, max(axisEnd, 5)), range: (left, width - right)))
    }

    /// The lesson drawn to scale: one lane per kind group, performances as
    /// ticks shaped and colored by tier, the second half shaded, the
    /// scheduled end marked and any overrun past it hatched.
    package static func timeline(_ data: TimelineChartData, labels: Labels, compact: Bool = false) -> String {
        let layout = timelineLayout(data, compact: compact)
        let x = layout.x
        let lanes = TimelineLane.allCases.filter { compact ? data.bars[$0] != nil : true }
        let tickLane = Double(lanes.count)
        let height = layout.top + (tickLane + 1) * layout.laneHeight + (compact ? 24 : 44)
        var svg = SVG(width: layout.width, height: height)
        svg.raw("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
                + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#D55E00\" stroke-width=\"2\"/></pattern></defs>")
        let plotTop = layout.top
        let plotBottom = layout.top + (tickLane + 1) * layout.laneHeight

        // Second half of the scheduled time, shaded.
        svg.rect(x: x(data.durationMin / 2), y: plotTop - 4, width: x(data.durationMin) - x(data.durationMin / 2),
                 height: plotBottom - plotTop + 8, fill: "#F1F1F1", className: "second-half")
        if !compact {
            svg.text("\(labels.secondHalf): \(Text.rounded(data.secondHalfActiveMin)) \(labels.minutes) \(labels.secondHalfActive)",
                     x: x(data.durationMin * 0.75), y: plotTop - 8, size: 10, anchor: .middle, fill: "#555")
        }
        // Overrun, hatched.
        if data.axisEndMin > data.durationMin {
            svg.rect(x: x(data.durationMin), y: plotTop - 4, width: x(data.axisEndMin) - x(data.durationMin),
                     height: plotBottom - plotTop + 8, fill: "url(#hatch)", className: "overrun")
        }
        // Lanes and segments.
        for (k, lane) in lanes.enumerated() {
            let y = plotTop + Double(k) * layout.laneHeight
            if !compact {
                svg.text(labels.lane(lane), x: layout.left - 8, y: y + layout.laneHeight * 0.68, size: 11, anchor: .end)
                svg.line(x1: layout.left, y1: y + layout.laneHeight, x2: layout.width - layout.right, y2: y + layout.laneHeight,
                         stroke: "#E4E4E4")
            }
            for bar in data.bars[lane] ?? [] {
                let title = "\(labels.kind(bar.kind)) \(clock(bar.start))–\(clock(bar.end))"
                svg.rect(x: x(bar.start), y: y + 2, width: x(bar.end) - x(bar.start), height: layout.laneHeight - 4,
                         fill: Palette.lane(lane), stroke: "#FFFFFF", className: "seg", title: title,
                         data: [("kind", bar.kind.rawValue), ("start", Text.jsonNumber(bar.start)), ("lane", String(lane.rawValue))])
            }
        }
        // Performances.
        let tickY = plotTop + tickLane * layout.laneHeight + layout.laneHeight / 2
        if !compact {
            svg.text(labels.performances, x: layout.left - 8, y: tickY + 4, size: 11, anchor: .end)
        }
        // Independent performances filled, prompted ones hollow (in the
        // tier's colour and shape); each names its student on hover.
        for tick in data.ticks {
            let style = Palette.tier(tick.tier)
            let title = "\(clock(tick.t)) \(tick.student) · \(labels.tier(tick.tier))" + (tick.independent ? "" : " · \(labels.prompted)")
            if tick.independent {
                svg.marker(style.shape, x: x(tick.t), y: tickY, size: compact ? 6 : 9, fill: style.color, className: "tick", title: title)
            } else {
                svg.marker(style.shape, x: x(tick.t), y: tickY, size: compact ? 6 : 9, fill: "#FFFFFF", stroke: style.color,
                           className: "tick prompted", title: title)
            }
        }
        // Scheduled end.
        svg.line(x1: x(data.durationMin), y1: plotTop - 6, x2: x(data.durationMin), y2: plotBottom + 4, stroke: Palette.ink,
                 width: 1.5, dash: "4 3", className: "end-line")
        // Axis.
        let axisY = plotBottom + 6
        for v in x.ticks(compact ? 4 : 8) {
            svg.line(x1: x(v), y1: axisY, x2: x(v), y2: axisY + 4, stroke: "#555")
            svg.text(Text.rounded(v, digits: 0), x: x(v), y: axisY + (compact ? 12 : 15), size: compact ? 8 : 10, anchor: .middle, fill: "#555")
        }
        if !compact {
            // Centred under the end line, or ending at it when centring would run
            // past the chart's right edge (the label was cut there on paper).
            let endX = x(data.durationMin)
            svg.text("\(labels.scheduledEnd) \(Text.rounded(data.durationMin, digits: 0)) \(labels.minutes)",
                     x: endX, y: axisY + 31, size: 10, anchor: endX > layout.width - 90 ? .end : .middle, fill: Palette.ink)
            svg.text(labels.minutes, x: layout.width - layout.right, y: axisY + 15, size: 10, anchor: .end, fill: "#555")
            // Tier legend.
            var lx = layout.left
            for tier in [Tier.top, .middle, .bottom] {
                let style = Palette.tier(tier)
                svg.marker(style.shape, x: lx + 5, y: axisY + 27, size: 9, fill: style.color)
                svg.text(labels.tier(tier), x: lx + 13, y: axisY + 31, size: 10)
                lx += 120
            }
            svg.marker(.circle, x: lx + 5, y: axisY + 27, size: 9, fill: "#FFFFFF", stroke: Palette.ink)
            svg.text(labels.prompted, x: lx + 13, y: axisY + 31, size: 10)
        }
        return svg.render(label: labels.timeline)
    }

    // MARK: Gauges

    package static func gauges(_ gauges: [Gauge], labels: Labels) -> String {
        let rowHeight = 34.0, left = 190.0, width = 900.0, right = 120.0
        var svg = SVG(width: width, height: Double(gauges.count) * rowHeight + 6)
        for (k, g) in gauges.enumerated() {
            let y = Double(k) * rowHeight + 6
            let x = LinearScale(domain: (0, g.axisMax), range: (left, width - right))
            svg.text(g.label, x: left - 10, y: y + 15, size: 12, anchor: .end)
            svg.rect(x: left, y: y + 4, width: width - right - left, height: 14, fill: "#EEEEEE", className: "track")
            // The target: a band for a range, a line for "at least".
            let upper = min(g.target.upperBound, g.axisMax)
            if g.target.upperBound.isFinite {
                svg.rect(x: x(g.target.lowerBound), y: y + 1, width: x(upper) - x(g.target.lowerBound), height: 20,
                         fill: "none", stroke: Palette.green, className: "target")
            } else {
                svg.line(x1: x(g.target.lowerBound), y1: y, x2: x(g.target.lowerBound), y2: y + 22, stroke: Palette.green, width: 2,
                         className: "target")
            }
            if let v = g.value {
                svg.rect(x: left, y: y + 6, width: x(min(v, g.axisMax)) - left, height: 10,
                         fill: g.met == false ? Palette.orange : Palette.blue, className: "gauge-value")
            }
            let valueText = g.value.map { Text.rounded($0) } ?? "–"
            let targetText = g.target.upperBound.isFinite
                ? "\(Text.rounded(g.target.lowerBound, digits: 0))–\(Text.rounded(g.target.upperBound, digits: 0))"
                : "≥ \(Text.rounded(g.target.lowerBound, digits: 0))"
            let mark = g.met.map { $0 ? "✓" : "✗" } ?? "–"
            svg.text("\(mark) \(valueText) / \(targetText) \(g.unit)", x: width - right + 8, y: y + 15, size: 11)
        }
        return svg.render(label: labels.targets)
    }

    // MARK: Trend

    package static func trend(_ data: TrendChartData, labels: Labels) -> String {
        let width = 440.0, height = 230.0, left = 44.0, right = 12.0, top = 26.0, bottom = 36.0
        var svg = SVG(width: width, height: height)
        let span = Double(max(1, data.lastDay - data.firstDay))
        let x = LinearScale(domain: (0, span), range: (left, width - right))
        var values = data.points.map(\.value)
        if let t = data.target { values.append(t) }
        var yMax = (values.max() ?? 1) * 1.1
        var yMin = min(0, values.min() ?? 0)
        if let fit = data.fit, let b0 = data.band(at: 0), let b1 = data.band(at: span), fit.n > 0 {
            yMax = max(yMax, b0.high, b1.high)
            yMin = min(yMin, b0.low, b1.low)
        }
        let y = LinearScale(domain: (yMin, max(yMax, yMin + 1)), range: (height - bottom, top))
        svg.text(labels.metric(data.metric), x: left, y: 14, size: 12, weight: "bold")
        // Axes.
        svg.line(x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, stroke: "#555")
        for v in y.ticks(4) {
            svg.line(x1: left, y1: y(v), x2: width - right, y2: y(v), stroke: "#EEEEEE")
            let tick = data.metric.isShare ? "\(Text.rounded(v * 100, digits: 0))%" : Text.rounded(v, digits: v.magnitude < 2 && v != v.rounded() ? 1 : 0)
            svg.text(tick, x: left - 4, y: y(v) + 3, size: 9, anchor: .end, fill: "#555")
        }
        let dateTicks = [0, span / 2, span]
        for d in dateTicks {
            let date = LessonDate.fromDayNumber(data.firstDay + Int(d))
            svg.text(date.description, x: x(d), y: height - bottom + 14, size: 9, anchor: d == 0 ? .start : (d == span ? .end : .middle), fill: "#555")
        }
        // Target.
        if let t = data.target {
            svg.line(x1: left, y1: y(t), x2: width - right, y2: y(t), stroke: Palette.green, width: 1.2, dash: "5 3", className: "target")
        }
        // Band and line.
        if data.fit != nil {
            let steps = 24
            var upper: [(Double, Double)] = [], lower: [(Double, Double)] = [], line: [(Double, Double)] = []
            for k in 0...steps {
                let d = span * Double(k) / Double(steps)
                guard let b = data.band(at: d) else { continue }
                upper.append((x(d), y(b.high))); lower.append((x(d), y(b.low))); line.append((x(d), y(b.fit)))
            }
            svg.path(upper + lower.reversed(), stroke: "none", fill: "#0072B233", closed: true, className: "band")
            svg.path(line, stroke: Palette.blue, width: 2, className: "fit")
        }
        // Coaching.
        if let c = data.coachingDay {
            let cx = x(Double(c - data.firstDay))
            svg.line(x1: cx, y1: top, x2: cx, y2: height - bottom, stroke: Palette.purple, width: 1.5, dash: "3 3", className: "coaching")
            // The label on the side with room for it, never cut at the edge.
            let labelWidth = Double(Text.displayWidth(labels.coaching)) * 5 + 4
            if cx + 3 + labelWidth <= width - right {
                svg.text(labels.coaching, x: cx + 3, y: top + 8, size: 9, fill: Palette.purple)
            } else {
                svg.text(labels.coaching, x: cx - 3, y: top + 8, size: 9, anchor: .end, fill: Palette.purple)
            }
        }
        // Visits: hollow circles before coaching, filled squares after.
        for p in data.points {
            let px = x(Double(p.day - data.firstDay)), py = y(p.value)
            let title = "\(LessonDate.fromDayNumber(p.day)) \(ReportPages.formatted(data.metric, p.value))"
            switch p.phase {
            case .before: svg.marker(.circle, x: px, y: py, size: 8, fill: "#FFFFFF", stroke: Palette.ink, className: "point", title: title)
            case .after: svg.marker(.square, x: px, y: py, size: 8, fill: Palette.ink, className: "point", title: title)
            case nil: svg.marker(.circle, x: px, y: py, size: 7, fill: Palette.ink, className: "point", title: title)
            }
        }
        // Legend.
        var lx = left
        let ly = height - 8
        if data.points.contains(where: { $0.phase != nil }) {
            svg.marker(.circle, x: lx + 4, y: ly - 3, size: 7, fill: "#FFFFFF")
            svg.text(labels.preCoaching, x: lx + 11, y: ly, size: 9)
            lx += 80
            svg.marker(.square, x: lx + 4, y: ly - 3, size: 7, fill: Palette.ink)
            svg.text(labels.postCoaching, x: lx + 11, y: ly, size: 9)
            lx += 80
        }
        if data.fit != nil {
            svg.line(x1: lx, y1: ly - 3, x2: lx + 14, y2: ly - 3, stroke: Palette.blue, width: 2)
            svg.text(labels.trendNote, x: lx + 18, y: ly, size: 9)
        }
        return svg.render(label: labels.metric(data.metric))
    }

    // MARK: Rates

    package static func rates(_ data: RateComparisonData, labels: Labels) -> String {
        let width = 900.0, left = 250.0, right = 60.0, rowHeight = 34.0, top = 24.0
        var svg = SVG(width: width, height: top + Double(data.rows.count) * rowHeight + 28)
        let x = LinearScale(domain: (0, 1), range: (left, width - right))
        for v in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg.line(x1: x(v), y1: top - 6, x2: x(v), y2: top + Double(data.rows.count) * rowHeight, stroke: "#E4E4E4")
            svg.text("\(Int(v * 100))%", x: x(v), y: top - 10, size: 9, anchor: .middle, fill: "#555")
        }
        for (k, row) in data.rows.enumerated() {
            let y = top + Double(k) * rowHeight
            svg.text(labels.standard(row.standard), x: left - 10, y: y + 17, size: 11, anchor: .end)
            for (offset, rate, shape, fill) in [(9.0, row.teacher, SVG.Shape.circle, Palette.blue),
                                                (23.0, row.archive, SVG.Shape.diamond, "#FFFFFF")] {
                guard let r = rate.rate else { continue }
                if let ci = rate.ci95 {
                    svg.line(x1: x(ci.low), y1: y + offset, x2: x(ci.high), y2: y + offset, stroke: Palette.ink, width: 1.2, className: "ci")
                }
                svg.marker(shape, x: x(r), y: y + offset, size: 9, fill: fill, className: "rate",
                           title: "\(Int((r * 100).rounded()))% (\(rate.met)/\(rate.judged))")
            }
            let t = row.teacher.rate.map { "\(Int(($0 * 100).rounded()))%" } ?? "–"
            svg.text(t, x: width - right + 8, y: y + 13, size: 10)
        }
        let ly = top + Double(data.rows.count) * rowHeight + 18
        svg.marker(.circle, x: left + 5, y: ly - 3, size: 9, fill: Palette.blue)
        svg.text(labels.thisTeacher, x: left + 13, y: ly, size: 10)
        svg.marker(.diamond, x: left + 125, y: ly - 3, size: 9, fill: "#FFFFFF")
        svg.text(labels.archive, x: left + 133, y: ly, size: 10)
        svg.text("— \(labels.ciWilson)", x: left + 260, y: ly, size: 10)
        return svg.render(label: labels.rates)
    }

    // MARK: Participation by tier

    package static func tierShares(_ data: TierSharesData, labels: Labels) -> String {
        let width = 900.0, left = 100.0, right = 20.0, rowHeight = 20.0, top = 8.0
        var svg = SVG(width: width, height: top + Double(data.visits.count) * rowHeight + 30)
        let x = LinearScale(domain: (0, 1), range: (left, width - right))
        let parts: [(Tier, KeyPath<TierSharesData.Visit, Double>)] = [(.bottom, \.bottom), (.middle, \.middle), (.top, \.top)]
        for (k, v) in data.visits.enumerated() {
            let y = top + Double(k) * rowHeight
            svg.text(v.date.description, x: left - 8, y: y + 13, size: 10, anchor: .end)
            var start = 0.0
            for (tier, path) in parts {
                let share = v[keyPath: path]
                guard share > 0 else { continue }
                svg.rect(x: x(start), y: y + 2, width: x(start + share) - x(start), height: rowHeight - 4,
                         fill: Palette.tier(tier).color, stroke: "#FFFFFF", className: "share",
                         title: "\(labels.tier(tier)) \(Int((share * 100).rounded()))%")
                if share >= 0.08 {
                    svg.text("\(Int((share * 100).rounded()))%", x: x(start + share / 2), y: y + 13, size: 9, anchor: .middle)
                }
                start += share
            }
        }
        let ly = top + Double(data.visits.count) * rowHeight + 20
        var lx = left
        for tier in [Tier.bottom, .middle, .top] {
            svg.rect(x: lx, y: ly - 9, width: 12, height: 10, fill: Palette.tier(tier).color, stroke: Palette.ink)
            svg.text(labels.tier(tier), x: lx + 16, y: ly, size: 10)
            lx += 140
        }
        return svg.render(label: labels.participation)
    }

    // MARK: Sparkline

    /// A small line of values over visits, the latest a dot, and the mean
    /// written after it (the number the overview sorts by), with a thin line
    /// at the mean's level.
    package static func sparkline(_ values: [Double], label: String, percent: Bool = false, labels: Labels? = nil) -> String {
        let width = 110.0, height = 26.0
        var svg = SVG(width: width, height: height)
        guard !values.isEmpty else {
            svg.text("–", x: 4, y: 17, size: 11)
            return svg.render(label: label)
        }
        let lo = min(values.min()!, 0), hi = max(values.max()!, lo + 1)
        let x = LinearScale(domain: (0, Double(max(1, values.count - 1))), range: (3, 68))
        let y = LinearScale(domain: (lo, hi), range: (height - 4, 4))
        svg.path(values.enumerated().map { (x(Double($0.offset)), y($0.element)) }, stroke: Palette.blue, width: 1.4, className: "spark")
        svg.circle(cx: x(Double(values.count - 1)), cy: y(values.last!), r: 2.2, fill: Palette.blue)
        let mean = values.reduce(0, +) / Double(values.count)
        func shown(_ v: Double) -> String { percent ? "\(Int((v * 100).rounded()))%" : Text.rounded(v) }
        svg.line(x1: 3, y1: y(mean), x2: 68, y2: y(mean), stroke: "#999999", width: 0.8, dash: "2 2", className: "mean")
        svg.text(shown(mean), x: 74, y: 17, size: 10)
        if let labels {
            return svg.render(label: "\(label): \(labels.mean) \(shown(mean)), \(labels.latest) \(shown(values.last!))")
        }
        return svg.render(label: label)
    }
}
