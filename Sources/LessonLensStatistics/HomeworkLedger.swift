import CGSL
import Foundation
import LessonLensCore

/// How `lessonlens homework` groups a ledger.
public enum HomeworkGroupBy: String, CaseIterable, Sendable {
    case `class`, grade, school, week, month, all, teacher, subject

    /// Teachers and subjects share class-days with others: their daily
    /// figures are over the days they set written work to take home.
    var sharesDays: Bool { self == .teacher || self == .subject }
}

/// The homework ledger's figures (docs/homework-log-v1.md): class-days
/// against the grade's limit, teachers' estimates against students'
/// reports, marking on time and in-class work a week, per group.
///
/// Feed it accepted assignments in input order (`add`), then read `groups`.
/// It keeps one small record per class-day and per group, not the
/// assignments.
public struct HomeworkLedger {
    /// A (class, date) with at least one assignment.
    public struct ClassDay: Sendable, Equatable {
        /// The class.
        public var className: String
        /// The day.
        public var date: LessonDate
        /// The class's grade (its first assignment's).
        public var grade: Int
        /// The class's school (its first assignment's).
        public var school: String?
        /// Sum of `estimated_min` over written work taken home.
        public var writtenHomeMin: Double = 0
        /// Ids of the written work taken home, in input order (kept only
        /// when the ledger keeps violations).
        public var writtenHomeIDs: [String] = []
    }

    /// One group's figures: the JSON shape of `lessonlens homework`.
    public struct Group: Sendable, Equatable {
        /// The group's key.
        public var key: GroupKey
        /// Assignments in the group.
        public var assignments: Int
        /// Class-days in the group (for teachers and subjects: on which
        /// they set anything).
        public var days: Int
        /// Daily written home minutes over the group's class-days.
        public var dailyWrittenHomeMin: DailyMinutes
        /// Class-days over the limit, among those judged.
        public var daysOverLimit: Share
        /// Students' reported minutes over the teacher's estimate.
        public var estimateRatio: EstimateRatio
        /// Assignments marked within the policy's days.
        public var gradedOnTime: Share
        /// In-class assignments a week in subjects with a target; nil when
        /// the policy sets no target.
        public var inClassPerWeek: InClassWeeks?
    }

    /// n, mean, median, p90 and max of daily minutes; the four nil when n = 0.
    public struct DailyMinutes: Sendable, Equatable {
        /// Class-days.
        public var n: Int
        /// Mean minutes a class-day.
        public var mean: Double?
        /// The 50th percentile (GSL's quantile from sorted data).
        public var median: Double?
        /// The 90th percentile.
        public var p90: Double?
        /// The largest.
        public var max: Double?
    }

    /// `met` of `judged`, its rate and Wilson interval (nil when judged = 0).
    public struct Share: Sendable, Equatable {
        /// Days or assignments judged.
        public var judged: Int
        /// Those over the limit (days) or marked on time (assignments).
        public var met: Int
        /// met / judged; nil when nothing was judged.
        public var rate: Double? { judged > 0 ? Double(met) / Double(judged) : nil }
        /// The Wilson score interval; nil when nothing was judged.
        public var ci95: Statistics.Interval? { Statistics.wilson(met: met, judged: judged) }
    }

    /// The geometric mean of median(reported) / estimated and its t interval
    /// on the log scale (nil when n < 2).
    public struct EstimateRatio: Sendable, Equatable {
        /// Assignments with a ratio.
        public var n: Int
        /// exp(mean of ln r); nil when n = 0.
        public var geoMean: Double?
        /// exp(mean ± t(0.975, n-1) · sd / √n); nil when n < 2.
        public var ci95: Statistics.Interval?
    }

    /// Over (class, subject, teacher, ISO week) cells whose subject has a target.
    public struct InClassWeeks: Sendable, Equatable {
        /// Cells.
        public var weeks: Int
        /// Mean in-class assignments a cell; nil without cells.
        public var mean: Double?
        /// Cells below their subject's target.
        public var belowTarget: Int
    }

    /// An over-limit class-day (`--violations`).
    public struct Violation: Sendable, Equatable {
        /// The class-day.
        public var day: ClassDay
        /// Its grade's limit.
        public var limitMin: Double
    }

    private struct CellKey: Hashable {
        var className: String
        var subject: String
        var teacher: String
        var week: Int   // ISO year × 100 + week
    }

    private struct Accumulator {
        var assignments = 0
        var days: Set<Int> = []
        var writtenDays: Set<Int> = []
        var logRatios: [Double] = []
        var graded = Share(judged: 0, met: 0)
        var lastDay = -1, lastWrittenDay = -1

        mutating func add(_ a: HomeworkAssignment, day: Int, load: Policy.HomeworkLoad) {
            assignments += 1
            if day != lastDay {
                days.insert(day)
                lastDay = day
            }
            if a.isWrittenHome && day != lastWrittenDay {
                writtenDays.insert(day)
                lastWrittenDay = day
            }
            if let m = HomeworkLedger.median(a.reportedMin), m > 0 {
                logRatios.append(Foundation.log(m / a.estimatedMin))
            }
            if let markedOn = a.gradedOn {
                graded.judged += 1
                let allowed = a.essay ? load.essayGradingDays : load.gradingDays
                if markedOn.dayNumber - a.date.dayNumber <= allowed { graded.met += 1 }
            }
        }
    }

    /// The grouping.
    public let by: HomeworkGroupBy
    /// The limits.
    public let load: Policy.HomeworkLoad
    private let keepViolations: Bool
    /// One class-day in 16 bytes (a large ledger has a million), its class
    /// by number; `classDay(_:)` makes the public record.
    private struct DayRecord {
        var classIndex: Int32
        var day: Int32
        var minutes: MinuteTotal
    }
    /// (class number << 32 | day) → index in `days`.
    private var dayIndex: [Int64: Int32] = [:]
    private var days: [DayRecord] = []
    /// Class-days with at least one selected assignment.
    private var selectedDays: Set<Int32> = []
    /// Class-day → ids of its written home work, only for `keepViolations`.
    private var writtenIDs: [Int32: [String]] = [:]
    /// Classes by number: name, the first line's grade and school.
    private var classList: [(name: String, grade: Int, school: String?)] = []
    private var classNumbers: [String: Int32] = [:]
    private var cells: [CellKey: Int] = [:]
    private var accumulators: [Accumulator] = []
    private var groupIndex: [GroupKey: Int] = [:]
    private var lastDay: (className: String, day: Int, index: Int, classIndex: Int)?
    private var lastSubject: (written: String, canonical: String)?
    private var lastGroup: (key: GroupKey, index: Int)?

    /// An empty ledger grouping `by`, judging by `load`; `keepViolations`
    /// keeps the ids behind each class-day's minutes.
    public init(by: HomeworkGroupBy, load: Policy.HomeworkLoad, keepViolations: Bool = false) {
        self.by = by
        self.load = load
        self.keepViolations = keepViolations
    }

    /// Class-days in input order of their first assignment.
    public var allClassDays: [ClassDay] { days.indices.map(classDay) }

    /// The public record of class-day `d`.
    private func classDay(_ d: Int) -> ClassDay {
        let r = days[d]
        let c = classList[Int(r.classIndex)]
        return ClassDay(className: c.name, date: LessonDate.fromDayNumber(Int(r.day)), grade: c.grade, school: c.school,
                        writtenHomeMin: r.minutes.minutes, writtenHomeIDs: writtenIDs[Int32(d)] ?? [])
    }

    /// Adds an accepted assignment; `classGrade` is its class's grade
    /// (`HomeworkStream` gives the first line's). An assignment a filter
    /// leaves out (`selected: false`) still adds its minutes to its
    /// class-day, but belongs to no group, and its class-day is listed among
    /// the violations only when a selected assignment shares it.
    public mutating func add(_ a: HomeworkAssignment, classGrade: Int, selected: Bool = true) {
        // Ledgers are written class-day by class-day: the last line's day,
        // subject and group are usually this one's too, and checking them
        // first saves hashing strings (half of the ledger's time).
        let dayNumber = a.date.dayNumber
        let d: Int, classIndex: Int
        if let last = lastDay, last.day == dayNumber, last.className == a.className {
            d = last.index
            classIndex = last.classIndex
        } else {
            if let k = classNumbers[a.className] { classIndex = Int(k) } else {
                classIndex = classList.count
                classNumbers[a.className] = Int32(classIndex)
                classList.append((a.className, classGrade, a.school))
            }
            let key = Int64(classIndex) << 32 | Int64(UInt32(truncatingIfNeeded: dayNumber))
            if let k = dayIndex[key] {
                d = Int(k)
            } else {
                d = days.count
                dayIndex[key] = Int32(d)
                days.append(DayRecord(classIndex: Int32(classIndex), day: Int32(truncatingIfNeeded: dayNumber), minutes: MinuteTotal()))
            }
            lastDay = (a.className, dayNumber, d, classIndex)
        }
        if a.isWrittenHome {
            days[d].minutes.add(a.estimatedMin)
            if keepViolations { writtenIDs[Int32(d), default: []].append(a.id) }
        }
        guard selected else { return }
        selectedDays.insert(Int32(d))
        let subject: String
        if let last = lastSubject, last.written == a.subject { subject = last.canonical } else {
            subject = Subjects.canonical(a.subject)
            lastSubject = (a.subject, subject)
        }
        if load.inClassPerWeek[subject] != nil {
            let (y, w) = a.date.isoWeek
            cells[CellKey(className: a.className, subject: subject, teacher: a.teacher, week: y * 100 + w), default: 0]
                += a.place == .class ? 1 : 0
        }
        let group = groupKey(of: a, class: classList[classIndex], subject: subject)
        let g: Int
        if let last = lastGroup, last.key == group { g = last.index } else {
            if let k = groupIndex[group] { g = k } else {
                g = accumulators.count
                groupIndex[group] = g
                accumulators.append(Accumulator())
            }
            lastGroup = (group, g)
        }
        accumulators[g].add(a, day: d, load: load)
    }

    private func groupKey(of a: HomeworkAssignment, class info: (name: String, grade: Int, school: String?),
                          subject: String) -> GroupKey {
        switch by {
        case .class: return .text(a.className)
        case .grade: return .number(info.grade)
        case .school: return info.school.map(GroupKey.text) ?? .none
        case .week: return .text(a.date.weekKey)
        case .month: return .text(a.date.monthKey)
        case .all: return .all
        case .teacher: return .text(a.teacher)
        case .subject: return .text(subject)
        }
    }

    /// A cell's group: for months, the month of the week's Thursday (the
    /// ISO rule for which month a week belongs to).
    private func groupKey(of cell: CellKey, grade: Int, school: String?) -> GroupKey {
        switch by {
        case .class: return .text(cell.className)
        case .grade: return .number(grade)
        case .school: return school.map(GroupKey.text) ?? .none
        case .week, .month:
            let monday = LessonDate.monday(isoYear: cell.week / 100, week: cell.week % 100)!
            let d = by == .week ? monday.weekKey : LessonDate.fromDayNumber(monday.dayNumber + 3).monthKey
            return .text(d)
        case .all: return .all
        case .teacher: return .text(cell.teacher)
        case .subject: return .text(cell.subject)
        }
    }

    /// The class-day's limit; nil when its grade has none.
    public func limit(of day: ClassDay) -> Double? { load.limit(grade: day.grade) }

    private func limit(of r: DayRecord) -> Double? { load.limit(grade: classList[Int(r.classIndex)].grade) }

    /// Over-limit class-days, by date then class.
    public var violations: [Violation] {
        days.indices.compactMap { d in
            guard selectedDays.contains(Int32(d)), let limit = limit(of: days[d]), days[d].minutes.minutes > limit else { return nil }
            return Violation(day: classDay(d), limitMin: limit)
        }.sorted { $0.day.date != $1.day.date ? $0.day.date < $1.day.date : $0.day.className < $1.day.className }
    }

    /// The groups, sorted by key.
    public var groups: [Group] {
        // The cells' groups and counts.
        var cellGroups: [GroupKey: (weeks: Int, total: Int, below: Int)] = [:]
        for (cell, count) in cells {
            let info: (name: String, grade: Int, school: String?) = classNumbers[cell.className].map { classList[Int($0)] } ?? (cell.className, 0, nil)
            let key = groupKey(of: cell, grade: info.grade, school: info.school)
            let target = load.inClassPerWeek[cell.subject] ?? 0
            var c = cellGroups[key] ?? (0, 0, 0)
            c.weeks += 1
            c.total += count
            if count < target { c.below += 1 }
            cellGroups[key] = c
        }
        return groupIndex.keys.sorted().map { key in
            let acc = accumulators[groupIndex[key]!]
            let dayIDs = by.sharesDays ? acc.writtenDays : acc.days
            var minutes: [Double] = []
            minutes.reserveCapacity(dayIDs.count)
            var over = Share(judged: 0, met: 0)
            for d in dayIDs {
                let day = days[d]
                minutes.append(day.minutes.minutes)
                if let limit = limit(of: day) {
                    over.judged += 1
                    if day.minutes.minutes > limit { over.met += 1 }
                }
            }
            let described = Statistics.describe(minutes)
            let daily = DailyMinutes(n: minutes.count, mean: described?.mean, median: described?.median,
                                     p90: described?.p90, max: described?.max)
            var inClass: InClassWeeks?
            if !load.inClassPerWeek.isEmpty {
                let c = cellGroups[key] ?? (0, 0, 0)
                inClass = InClassWeeks(weeks: c.weeks, mean: c.weeks > 0 ? Double(c.total) / Double(c.weeks) : nil,
                                       belowTarget: c.below)
            }
            return Group(key: key, assignments: acc.assignments, days: acc.days.count, dailyWrittenHomeMin: daily,
                         daysOverLimit: over, estimateRatio: HomeworkLedger.ratio(acc.logRatios),
                         gradedOnTime: acc.graded, inClassPerWeek: inClass)
        }
    }

    /// exp(mean of ln r) and exp(mean ± t(0.975, n-1) · sd / √n).
    static func ratio(_ logs: [Double]) -> EstimateRatio {
        guard !logs.isEmpty else { return EstimateRatio(n: 0, geoMean: nil, ci95: nil) }
        GSL.prepare()
        let n = logs.count
        return logs.withUnsafeBufferPointer { p in
            let mean = gsl_stats_mean(p.baseAddress!, 1, n)
            var ci: Statistics.Interval?
            if n >= 2, let t = Statistics.tCritical(df: Double(n - 1)) {
                let half = t * gsl_stats_sd_m(p.baseAddress!, 1, n, mean) / Double(n).squareRoot()
                ci = Statistics.Interval(low: Foundation.exp(mean - half), high: Foundation.exp(mean + half))
            }
            return EstimateRatio(n: n, geoMean: Foundation.exp(mean), ci95: ci)
        }
    }

    /// The median of a sample (GSL, from sorted data); nil when empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: values.count) { p in
            _ = p.initialize(from: values)
            sortAscending(p)
            return gsl_stats_median_from_sorted_data(p.baseAddress!, 1, p.count)
        }
    }
}
