import LessonLensCore
import LessonLensStatistics

/// Collects the lessons of an archive, in input order, for one report page:
/// the lesson page of one id, the page of one teacher, or the overview.
/// Used by `lessonlens report` and by `lessonlens serve`; timelines are
/// kept only for the lessons the page draws. The teacher page and the
/// overview count visits (`VisitList`): the logs of a visit observed by
/// several are one record; the lesson page shows one log.
public struct ReportBuilder: Sendable {
    /// Which page.
    public enum Page: Sendable, Equatable {
        case lesson(id: String)
        case teacher(String)
        case overview
        /// One A4 page for a principal (`report --brief`, `/brief`).
        case brief
    }

    /// The page being built.
    public let page: Page
    /// The rule book the page's badges and targets name.
    public let policy: Policy
    /// The page's words.
    public let labels: Labels
    /// Links between the server's pages (nil for files).
    public var links: ReportPages.PageLinks?
    /// The filters the lessons were chosen by, as the brief says them.
    public var filterText = ""
    /// The brief's logs with their timelines, for the observers' agreement.
    private var logs: [EvaluatedLesson] = []
    private var selected: EvaluatedLesson?
    private var visits: VisitList

    /// A builder of `page`; hand it every accepted lesson with `add`, then
    /// call `html()`. `perLog`: one record per log, visits not combined.
    public init(page: Page, policy: Policy, labels: Labels, perLog: Bool = false) {
        self.page = page
        self.policy = policy
        self.labels = labels
        visits = VisitList(policy: policy, combine: !perLog)
    }

    /// Room for about `lessons` lessons, when their number is known (a
    /// server knows its archive's): the page then never grows its list.
    public mutating func reserveCapacity(_ lessons: Int) {
        if case .lesson = page { return }
        visits.reserveCapacity(lessons)
    }

    /// Whether the lessons handed to `add` need their timelines.
    public var needsTimelines: Bool { page != .overview }

    /// The warnings about later logs of a visit since the last call.
    public mutating func takeWarnings() -> [Diagnostic] { visits.takeWarnings() }

    /// Takes one accepted lesson read at `file`:`line` (keeping only what the page needs).
    public mutating func add(_ lesson: EvaluatedLesson, file: String = "", line: Int = 0) {
        if case .teacher = page { teacherNames.insert(lesson.teacher) }
        switch page {
        case .lesson(let id):
            if selected == nil, ScalarIdentity(lesson.id) == ScalarIdentity(id) { selected = lesson }
        case .teacher(let name):
            var e = lesson
            if e.teacher != name { e.timeline = nil; e.notes = nil }
            visits.add(e, file: file, line: line)
        case .overview:
            var e = lesson
            e.timeline = nil
            e.notes = nil
            visits.add(e, file: file, line: line)
        case .brief:
            // Logs of a visit that may be observed twice keep their timelines.
            if lesson.visitIdentity != nil { var l = lesson; l.notes = nil; logs.append(l) }
            var e = lesson
            e.timeline = nil
            e.notes = nil
            visits.add(e, file: file, line: line)
        }
    }

    /// The teachers seen, for a message when the one asked for is not there
    /// (also after `html()`).
    public var teachers: [String] { teacherNames.sorted() }
    private var teacherNames = Set<String>()

    /// The page, or nil when the lesson or teacher asked for is not in the
    /// archive. Takes the lessons out of the builder (call it once): a page of
    /// 100,000 visits then holds them once, not three times.
    public mutating func html() -> String? {
        if case .lesson = page {
            guard let e = selected else { return nil }
            return ReportPages.lesson(e, policy: policy, labels: labels, links: links)
        }
        var all = visits.takeVisits()
        // Each teacher's metric columns, straight from the visits (no copy of them).
        var columnsOf: [String: LessonColumns] = [:]
        for e in all { columnsOf[e.teacher, default: LessonColumns()].append(e) }
        let names = columnsOf.keys.sorted { GroupKey.text($0) < GroupKey.text($1) }
        let reliability = Reliability.standardMetricReliability { m in names.map { columnsOf[$0]!.values(m) } }
        if case .teacher(let name) = page {
            let lessons = all.filter { $0.teacher == name }
            guard !lessons.isEmpty else { return nil }
            var archive = LessonColumns()
            all.forEach { archive.append($0) }
            // The other teachers' visits serve only a coached teacher's comparison,
            // which leaves the teacher's own out itself: the archive, not a copy.
            return ReportPages.teacher(name: name, lessons: lessons, archive: archive, policy: policy, labels: labels,
                                       needs: reliability.needs(of: columnsOf[name]!),
                                       others: CoachingChanges.isCoached(lessons, policy: policy) ? all : [], links: links)
        }
        var byTeacher: [String: [EvaluatedLesson]] = [:]
        for e in all { byTeacher[e.teacher, default: []].append(e) }
        all = []
        switch page {
        case .lesson, .teacher: return nil
        case .overview:
            // Each teacher's list handed over, not copied beside the dictionary's.
            let rows = names.map { ReportPages.TeacherRow(teacher: $0, lessons: byTeacher.removeValue(forKey: $0)!, needs: reliability.needs(of: columnsOf[$0]!)) }
            return ReportPages.overview(rows, labels: labels, links: links, policy: policy)
        case .brief:
            let rows = names.map { ReportPages.TeacherRow(teacher: $0, lessons: byTeacher[$0]!, needs: reliability.needs(of: columnsOf[$0]!)) }
            let unstable = reliability.metrics.filter { !$0.stable }.map(\.metric)
            return ReportPages.brief(rows, policy: policy, labels: labels, filters: filterText,
                                     agreement: ObserverAgreement(logs, interval: 30), unstable: unstable, links: links)
        }
    }
}
