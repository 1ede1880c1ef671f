/// Every per-lesson metric of the spec. The raw value is the metric's name in
/// JSON keys, CSV columns and reports: this enum is the one list of them.
public enum Metric: String, CaseIterable, Sendable, Hashable {
    case reading_min, writing_min, homework_min, lecture_min, end_min, overrun_min
    case independent_performances, independent_performers, performer_ratio
    case bottom_share, top_share, bottom_reached, participation_gini
    case second_half_active_min, read_passes, copy_passes
    case homework_completion, homework_accuracy

    /// Counts print as integers.
    public var isCount: Bool {
        switch self {
        case .independent_performances, .independent_performers, .read_passes, .copy_passes: return true
        default: return false
        }
    }
}

extension Metric {
    /// A share or rate (shown as a percentage): every bounded metric but the Gini coefficient.
    public var isShare: Bool {
        switch self {
        case .performer_ratio, .bottom_share, .top_share, .bottom_reached, .homework_completion, .homework_accuracy: return true
        default: return false
        }
    }

    /// The values the metric can take by its definition: shares and rates
    /// within [0, 1], minutes and counts from 0 up.
    public var bounds: ClosedRange<Double> {
        switch self {
        case .bottom_share, .top_share, .bottom_reached, .participation_gini, .homework_completion, .homework_accuracy:
            return 0...1
        default:
            return 0...Double.infinity
        }
    }
}

/// Every standard of the spec, judged `true`, `false` or `null`.
public enum Standard: String, CaseIterable, Sendable, Hashable {
    /// 两个10: 10 minutes reading aloud and 10 minutes writing.
    case two_tens
    /// 一个18: 18 students perform on their own.
    case one_eighteen
    /// 当堂作业: 8 to 10 minutes of in-class homework.
    case homework_time
    /// 四个3 (in class): characters copied 3 times, text read 3 times.
    case four_threes
    /// 不拖堂: the lesson ends on time.
    case on_time
}

extension Metric {
    /// How many metrics there are.
    public static let count = Metric.allCases.count
    /// The metric at position `k` of `allCases` (checked: a bad `k` traps, never reinterprets memory).
    @inlinable package static func at(_ k: Int) -> Metric {
        precondition(k >= 0 && k < count, "no metric at \(k)")
        return unsafeBitCast(UInt8(k), to: Metric.self)
    }
    /// Position in `allCases`.
    @inlinable public var position: Int { Int(unsafeBitCast(self, to: UInt8.self)) }
}

extension Standard {
    /// How many standards there are.
    public static let count = Standard.allCases.count
    /// The standard at position `k` of `allCases` (checked).
    @inlinable package static func at(_ k: Int) -> Standard {
        precondition(k >= 0 && k < count, "no standard at \(k)")
        return unsafeBitCast(UInt8(k), to: Standard.self)
    }
    /// The standard's place in `Standard.allCases`.
    @inlinable public var position: Int { Int(unsafeBitCast(self, to: UInt8.self)) }
}

/// The metric values of one lesson; `nil` where the log lacks what a metric needs.
public struct LessonMetrics: Sendable, Equatable {
    /// Minutes of reading aloud (union of `read` segments).
    public var reading_min: Double = 0
    /// Minutes of writing (union of `write` and `homework` segments).
    public var writing_min: Double = 0
    /// Minutes of in-class homework (union of `homework` segments).
    public var homework_min: Double = 0
    /// Minutes of teacher lecture (union of `lecture` segments).
    public var lecture_min: Double = 0
    /// Minute of the latest segment end or performance; 0 when there are none.
    public var end_min: Double = 0
    /// Minutes past the scheduled end (0 when on time).
    public var overrun_min: Double = 0
    /// Independent performances (a whole number for one log; a visit
    /// observed by several takes their mean, which may not be).
    public var independent_performances: Double = 0
    /// Distinct students with an independent performance.
    public var independent_performers: Double = 0
    /// Independent performers per student present; nil without `present` or when it is 0.
    public var performer_ratio: Double?
    /// Share of independent performances by bottom-tier students; nil without a roster or performances.
    public var bottom_share: Double?
    /// Share of independent performances by top-tier students; nil without a roster or performances.
    public var top_share: Double?
    /// Share of the bottom tier that performed independently; nil without bottom-tier students.
    public var bottom_reached: Double?
    /// Gini coefficient of independent-performance counts over every roster student
    /// (0 when all are equal); nil without a roster.
    public var participation_gini: Double?
    /// Minutes of student activity (read, write, homework, group, activity,
    /// discussion) in the second half of the scheduled lesson.
    public var second_half_active_min: Double = 0
    /// Sum of `passes` of `read` segments; nil when none gives it.
    public var read_passes: Double?
    /// Sum of `passes` of copying segments; nil when none gives it.
    public var copy_passes: Double?
    /// completed / assigned of the in-class homework; nil without homework or when assigned is 0.
    public var homework_completion: Double?
    /// correct / completed; nil without `correct` or when nothing was completed.
    public var homework_accuracy: Double?

    /// Every metric zero or nil.
    public init() {}

    /// Sets a metric (nil where it is undefined; the metrics that are always
    /// defined take 0 for nil).
    public mutating func set(_ metric: Metric, _ v: Double?) {
        switch metric {
        case .reading_min: reading_min = v ?? 0
        case .writing_min: writing_min = v ?? 0
        case .homework_min: homework_min = v ?? 0
        case .lecture_min: lecture_min = v ?? 0
        case .end_min: end_min = v ?? 0
        case .overrun_min: overrun_min = v ?? 0
        case .independent_performances: independent_performances = v ?? 0
        case .independent_performers: independent_performers = v ?? 0
        case .performer_ratio: performer_ratio = v
        case .bottom_share: bottom_share = v
        case .top_share: top_share = v
        case .bottom_reached: bottom_reached = v
        case .participation_gini: participation_gini = v
        case .second_half_active_min: second_half_active_min = v ?? 0
        case .read_passes: read_passes = v
        case .copy_passes: copy_passes = v
        case .homework_completion: homework_completion = v
        case .homework_accuracy: homework_accuracy = v
        }
    }

    /// The metric's value as a number (counts as doubles); nil where undefined.
    @inlinable public subscript(metric: Metric) -> Double? {
        switch metric {
        case .reading_min: return reading_min
        case .writing_min: return writing_min
        case .homework_min: return homework_min
        case .lecture_min: return lecture_min
        case .end_min: return end_min
        case .overrun_min: return overrun_min
        case .independent_performances: return independent_performances
        case .independent_performers: return independent_performers
        case .performer_ratio: return performer_ratio
        case .bottom_share: return bottom_share
        case .top_share: return top_share
        case .bottom_reached: return bottom_reached
        case .participation_gini: return participation_gini
        case .second_half_active_min: return second_half_active_min
        case .read_passes: return read_passes
        case .copy_passes: return copy_passes
        case .homework_completion: return homework_completion
        case .homework_accuracy: return homework_accuracy
        }
    }
}

/// The judgement of each standard for one lesson.
public struct StandardResults: Sendable, Equatable {
    /// 两个10: reading and writing minutes both reach the policy's.
    public var two_tens: Bool?
    /// 一个18: enough independent performers.
    public var one_eighteen: Bool?
    /// 当堂作业: in-class homework minutes within the policy's range.
    public var homework_time: Bool?
    /// 四个3: enough read-throughs and copies; nil when passes are not recorded.
    public var four_threes: Bool?
    /// 不拖堂: the lesson ends within the tolerance.
    public var on_time: Bool?
    /// Standards the policy says do not apply to the lesson (`"applies":
    /// false` for its subject or grade), one bit per `Standard.position`:
    /// those are nil, and "does not apply" rather than "cannot tell".
    public var inapplicable: UInt8 = 0

    /// Whether `standard` applies to the lesson (its value may still be nil
    /// when the log does not say enough).
    @inlinable public func applies(_ standard: Standard) -> Bool { inapplicable & (1 << UInt8(standard.position)) == 0 }

    /// Sets whether `standard` is met (nil: cannot tell).
    public mutating func set(_ standard: Standard, _ value: Bool?) {
        switch standard {
        case .two_tens: two_tens = value
        case .one_eighteen: one_eighteen = value
        case .homework_time: homework_time = value
        case .four_threes: four_threes = value
        case .on_time: on_time = value
        }
    }

    /// Marks `standard` as not applying: its value becomes nil.
    public mutating func setInapplicable(_ standard: Standard) {
        inapplicable |= 1 << UInt8(standard.position)
        set(standard, nil)
    }

    /// Results as given; nil means the standard cannot be judged.
    public init(two_tens: Bool? = nil, one_eighteen: Bool? = nil, homework_time: Bool? = nil, four_threes: Bool? = nil, on_time: Bool? = nil) {
        self.two_tens = two_tens; self.one_eighteen = one_eighteen; self.homework_time = homework_time
        self.four_threes = four_threes; self.on_time = on_time
    }

    /// Whether `standard` is met; nil when it cannot be judged.
    @inlinable public subscript(standard: Standard) -> Bool? {
        switch standard {
        case .two_tens: return two_tens
        case .one_eighteen: return one_eighteen
        case .homework_time: return homework_time
        case .four_threes: return four_threes
        case .on_time: return on_time
        }
    }
}

extension Standard {
    /// The metrics the standard judges a lesson by.
    public var metrics: [Metric] {
        switch self {
        case .two_tens: return [.reading_min, .writing_min]
        case .one_eighteen: return [.independent_performers]
        case .homework_time: return [.homework_min]
        case .four_threes: return [.read_passes, .copy_passes]
        case .on_time: return [.overrun_min]
        }
    }
}
