/// Rosters by class (`--roster FILE` with class, id and tier columns): the roster of
/// a lesson that names its `class` and has no `students` of its own, so that
/// a log need not repeat 40 students on every line. A lesson's own `students`
/// always win. Class names compare by their Unicode scalars (`ScalarIdentity`).
public struct ClassRosters: Sendable {
    /// Where the rosters came from (a file name), for messages.
    public let source: String
    private let byClass: [ScalarIdentity: [Student]]

    /// The rosters of a CSV with a `class` column.
    public init(_ csv: RosterCSV, source: String) throws(RosterCSV.RowError) {
        guard csv.hasClassColumn else {
            throw RosterCSV.RowError(line: 1, .rosterNeedsClass)
        }
        var byClass: [ScalarIdentity: [Student]] = [:]
        for e in csv.entries { byClass[ScalarIdentity(e.className ?? ""), default: []].append(Student(id: e.id, tier: e.tier)) }
        self.byClass = byClass
        self.source = source
    }

    /// How many classes have a roster.
    public var classCount: Int { byClass.count }

    /// The roster of class `name`, if the file has one.
    public func roster(ofClass name: String) -> [Student]? { byClass[ScalarIdentity(name)] }
}
