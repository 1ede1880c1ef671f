import LessonLensCore
import LessonLensOutput
import LessonLensStatistics

/// Every accepted lesson with its timeline, in input order: for the views
/// that sample segments (agree, st, profile).
/// Each lesson's view grouped by `by`, groups in key order.
func grouped<View>(_ rows: [(EvaluatedLesson, View)], by: GroupBy) -> [(GroupKey, [View])] {
    var groups: [GroupKey: [View]] = [:]
    for (e, view) in rows { groups[by.key(of: e), default: []].append(view) }
    return groups.keys.sorted().map { ($0, groups[$0]!) }
}

func readLessonsWithTimelines(_ archive: ArchiveOptions) throws -> ([EvaluatedLesson], RunOutcome) {
    var lessons: [EvaluatedLesson] = []
    let outcome = try runArchives(archive, keepTimelines: true, prepare: { _ in () }) { e, _ in lessons.append(e) }
    return (lessons, outcome)
}
