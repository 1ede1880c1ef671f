/// Codes of a lesson's timeline at sample times, for observer agreement.
public enum TimeSampling {
    /// The code at `t`: the kind of the segment covering t (start <= t < end)
    /// that started last (ties: the one later in the list), or nil (`none`).
    public static func code(at t: LessonTime, in segments: [Segment]) -> SegmentKind? {
        var best: Segment?
        for s in segments where s.start <= t && t < s.end {
            if best == nil || s.start >= best!.start { best = s }
        }
        return best?.kind
    }

    /// Sample times t = (k + 0.5) * interval, k = 0 ..< floor(60 * durationMin / interval).
    public static func sampleTimes(durationMin: Double, interval: Double) -> [LessonTime] {
        guard interval > 0, durationMin > 0 else { return [] }
        let count = (60 * durationMin / interval).rounded(.down)
        guard count >= 1, count < 1e7 else { return [] }
        return (0..<Int(count)).map { (Double($0) + 0.5) * interval }
    }
}

/// S-T analysis (S-T分析法): each sample of the lesson is the students' (S)
/// or the teacher's (T) behaviour, or a dialogue (D, half each).
public struct STAnalysis: Sendable, Equatable {
    /// The lesson type on the classic Rt-Ch diagram.
    public enum LessonType: String, Sendable, CaseIterable {
        case practice, lecture, dialogue, mixed

        /// The type's name in Chinese (练习型, 讲授型, 对话型, 混合型).
        public var chinese: String {
            switch self {
            case .practice: return "练习型"
            case .lecture: return "讲授型"
            case .dialogue: return "对话型"
            case .mixed: return "混合型"
            }
        }
    }

    /// The thresholds and the interval, policy settings.
    public struct Settings: Sendable, Equatable {
        /// Seconds between samples.
        public var intervalSeconds: Double = 30
        /// Practice type when Rt <= this.
        public var practiceMaxRt: Double = 0.3
        /// Lecture type when Rt >= this.
        public var lectureMinRt: Double = 0.7
        /// Otherwise dialogue type when Ch >= this, else mixed.
        public var dialogueMinCh: Double = 0.4
        /// The literature's settings (30 s, Rt and Ch thresholds).
        public init() {}
    }

    /// A sample's code: teacher behaviour, student behaviour, or a dialogue turn.
    public enum Code: UInt8, Sendable { case t, s, d }

    /// Samples in all, by code, and those no segment covers.
    public var n = 0, nT = 0, nS = 0, nD = 0, unclassified = 0
    /// Rt, the share of teacher samples; nil without samples.
    public var rt: Double?
    /// Ch, the rate of changes between T and S; nil with fewer than two samples.
    public var ch: Double?
    /// The lesson type the thresholds give.
    public var type: LessonType?
    /// The classified samples in order (for the S-T curve).
    public var codes: [Code] = []

    /// Samples at t = k * interval over [0, max(duration_min, end_min)):
    /// S when a student segment (read, write, homework, group, activity)
    /// covers t; else D when a discussion does; else T when a lecture does;
    /// else unclassified (left out of N).
    public init(segments: [Segment], durationMin: Double, endMin: Double, settings: Settings) {
        let span = Swift.max(durationMin, endMin) * 60
        let step = settings.intervalSeconds
        guard step > 0, span > 0, span / step < 1e7 else { return }
        var k = 0
        while Double(k) * step < span {
            let t = Double(k) * step
            var student = false, discussion = false, lecture = false
            for s in segments where s.start <= t && t < s.end {
                switch s.kind {
                case .read, .write, .homework, .group, .activity: student = true
                case .discussion: discussion = true
                case .lecture: lecture = true
                case .transition, .other: break
                }
            }
            if student { codes.append(.s) } else if discussion { codes.append(.d) } else if lecture { codes.append(.t) } else { unclassified += 1 }
            k += 1
        }
        n = codes.count
        for c in codes {
            switch c {
            case .t: nT += 1
            case .s: nS += 1
            case .d: nD += 1
            }
        }
        guard n > 0 else { return }
        var runs = 1
        for i in 1..<n where codes[i] != codes[i - 1] { runs += 1 }
        let rt = (Double(nT) + Double(nD) / 2) / Double(n)
        let ch = Double(runs - 1) / Double(n)
        self.rt = rt
        self.ch = ch
        if rt <= settings.practiceMaxRt {
            type = .practice
        } else if rt >= settings.lectureMinRt {
            type = .lecture
        } else if ch >= settings.dialogueMinCh {
            type = .dialogue
        } else {
            type = .mixed
        }
    }
}

/// The COPUS-style profile: per kind, the share of fixed intervals of the
/// scheduled lesson in which that kind went on for at least one second.
public struct ActivityProfile: Sendable, Equatable {
    /// Intervals in the profile.
    public var intervals = 0
    /// Share of intervals per kind, in `SegmentKind.allCases` order.
    public var share: [SegmentKind: Double] = [:]

    /// Intervals [k w, min((k + 1) w, D)), k = 0 ..< ceil(D / w), D the
    /// scheduled duration in seconds; a kind counts in an interval when the
    /// union of its segments covers at least one second of it.
    public init(segments: [Segment], durationMin: Double, width: Double) {
        let d = durationMin * 60
        guard width > 0, d > 0, d / width < 1e7 else { return }
        intervals = Int((d / width).rounded(.up))
        for kind in SegmentKind.allCases {
            let union = IntervalUnionOf(segments.filter { $0.kind == kind }.map { ($0.start, $0.end) })
            var hit = 0
            for k in 0..<intervals {
                let lo = Double(k) * width, hi = Swift.min(Double(k + 1) * width, d)
                if union.covered(from: lo, to: hi) >= 1 { hit += 1 }
            }
            share[kind] = Double(hit) / Double(intervals)
        }
    }
}

/// A union of intervals as sorted, disjoint pieces, made by the metrics'
/// sweep (`UnionSweep`).
struct IntervalUnionOf {
    var pieces: [(LessonTime, LessonTime)] = []

    init(_ intervals: [(LessonTime, LessonTime)]) {
        var sweep = UnionSweep()
        for (s, e) in intervals.sorted(by: { $0.0 < $1.0 }) where e > s {
            if let piece = sweep.add(Interval(s, e)) { pieces.append((piece.start, piece.end)) }
        }
        if let last = sweep.openRun { pieces.append((last.start, last.end)) }
    }

    /// Seconds of [lo, hi) covered.
    func covered(from lo: LessonTime, to hi: LessonTime) -> LessonTime {
        var total = 0.0
        for (s, e) in pieces {
            let a = Swift.max(s, lo), b = Swift.min(e, hi)
            if b > a { total += b - a }
        }
        return total
    }
}
