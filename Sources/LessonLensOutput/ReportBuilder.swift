import LessonLensCore
import LessonLensStatistics

/// Collects the lessons of an archive, in input order, for one report page:
/// the lesson page of one id, the page of one teacher, or the overview.
/// Used by `lessonlens report` and by `lessonlens serve`; timelines are
/// kept only for the lessons the page draws.
public struct ReportBuilder: Sendable {
    /// Which page.
    public enum Page: Sendable, Equatable {
        case lesson(id: String)
        case teacher(String)
        case overview
    }

    /// The page being built.
    public let page: Page
    /// The rule book the page's badges and targets name.
    public let policy: Policy
    /// The page's words.
    public let labels: Labels
    private var selected: [EvaluatedLesson] = []
    private var all = LessonColumns()
    private var byTeacher: [String: [EvaluatedLesson]] = [:]
    private var metricsByTeacher: [String: [LessonMetrics]] = [:]
    private var teacherNames: Set<String> = []

    /// A builder of `page`; hand it every accepted lesson with `add`, then call `html()`.
    public init(page: Page, policy: Policy, labels: Labels) {
        self.page = page
        self.policy = policy
        self.labels = labels
    }

    /// Whether the lessons handed to `add` need their timelines.
    public var needsTimelines: Bool { page != .overview }

    /// Takes one accepted lesson (keeping only what the page needs).
    public mutating func add(_ lesson: EvaluatedLesson) {
        var e = lesson
        all.append(e)
        // The overview keeps every lesson by teacher anyway; the other pages
        // keep only the metrics, for the archive's reliability.
        if page != .overview { metricsByTeacher[e.teacher, default: []].append(e.metrics) }
        switch page {
        case .lesson(let id):
            if ScalarIdentity(e.id) == ScalarIdentity(id) { selected.append(e) }
        case .teacher(let name):
            if e.teacher == name { selected.append(e) }
        case .overview:
            e.timeline = nil
            byTeacher[e.teacher, default: []].append(e)
        }
    }

    /// Visits needed for reliability 0.7 on the standards' metrics in this archive.
    public var visitsNeeded: Int? {
        let groups = page == .overview ? byTeacher.values.map { $0.map(\.metrics) } : Array(metricsByTeacher.values)
        return Reliability.visitsNeededForStandards { m in groups.map { $0.compactMap { $0[m] } } }
    }

    /// The teachers seen, for a message when the one asked for is not there.
    public var teachers: [String] { (page == .overview ? Array(byTeacher.keys) : Array(metricsByTeacher.keys)).sorted() }

    /// The page, or nil when the lesson or teacher asked for is not in the archive.
    public func html() -> String? {
        switch page {
        case .lesson:
            guard let e = selected.first else { return nil }
            return ReportPages.lesson(e, policy: policy, labels: labels)
        case .teacher(let name):
            guard !selected.isEmpty else { return nil }
            return ReportPages.teacher(name: name, lessons: selected, archive: all, policy: policy, labels: labels,
                                       visitsNeeded: visitsNeeded)
        case .overview:
            let rows = byTeacher.keys.sorted { GroupKey.text($0) < GroupKey.text($1) }
                .map { ReportPages.TeacherRow(teacher: $0, lessons: byTeacher[$0]!) }
            return ReportPages.overview(rows, labels: labels, visitsNeeded: visitsNeeded)
        }
    }
}
