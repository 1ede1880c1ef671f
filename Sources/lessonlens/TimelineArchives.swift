import LessonLens

/// Every accepted lesson with its timeline, in input order: for the views
/// that sample segments (agree, st, profile).
func readLessonsWithTimelines(_ archive: ArchiveOptions) throws -> ([EvaluatedLesson], RunOutcome) {
    var lessons: [EvaluatedLesson] = []
    let outcome = try runArchives(archive, keepTimelines: true, prepare: { _ in () }) { e, _ in lessons.append(e) }
    return (lessons, outcome)
}
