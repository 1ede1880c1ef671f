import LessonLensCore

/// The rows of a set of lessons (what the statistics need, nothing per raw
/// line); a column is gathered when asked for.
public struct LessonColumns: Sendable {
    private var rows: [LessonRow] = []
    /// When set, the set is these rows of `rows`, in this order: a group's
    /// rows in a store that every group of a `GroupedLessons` shares.
    private var selection: [Int32]?

    /// No rows.
    public init() {}

    init(store: [LessonRow], selection: [Int32], logs: Int) {
        rows = store
        self.selection = selection
        self.logs = logs
    }

    /// Rows in the set: visits, or logs when they were not combined.
    public var count: Int { selection?.count ?? rows.count }
    /// Observers' logs behind the rows (more than `count` when visits
    /// observed by several were combined).
    public private(set) var logs = 0

    /// Days since 1970-01-01 of each lesson.
    public var days: [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        forEachRow(at: MemoryLayout<LessonRow>.offset(of: \.day)!, as: Int.self) { out.append($0) }
        return out
    }

    /// Adds the row of `e` (a log, or a visit's combined record).
    public mutating func append(_ e: EvaluatedLesson) { append(LessonRow(e), logs: e.logs) }
    /// Adds `row`, the record of `logs` logs.
    public mutating func append(_ row: LessonRow, logs: Int = 1) {
        self.logs += logs
        if let selection {
            // Leaves the shared store: a copy of this set's rows only.
            rows = selection.map { rows[Int($0)] }
            self.selection = nil
        }
        rows.append(row)
    }

    /// Every value of the metric, or NaN where it is null (aligned with `days`).
    public func column(_ m: Metric) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(count)
        forEachRow(at: LessonColumns.offset(of: m), as: Double.self) { out.append($0) }
        return out
    }

    /// The metric's values of the lessons where it is not null.
    public func values(_ m: Metric) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(count)
        forEachRow(at: LessonColumns.offset(of: m), as: Double.self) { if !$0.isNaN { out.append($0) } }
        return out
    }

    /// Whether the standard applies to some row (the policy says it applies
    /// to the subject and grade of at least one lesson).
    public func applies(_ s: Standard) -> Bool {
        var applies = false
        let offset = MemoryLayout<LessonRow>.offset(of: \.standards)! + s.position
        forEachRow(at: offset, as: Int8.self) { v in if v != -2 { applies = true } }
        return applies
    }

    /// (met, judged) of a standard.
    public func tally(_ s: Standard) -> (met: Int, judged: Int) {
        var met = 0, judged = 0
        let offset = MemoryLayout<LessonRow>.offset(of: \.standards)! + s.position
        forEachRow(at: offset, as: Int8.self) { v in
            if v >= 0 { judged += 1; met += Int(v) }
        }
        return (met, judged)
    }

    /// Where a metric sits in a row.
    private static func offset(of m: Metric) -> Int {
        MemoryLayout<LessonRow>.offset(of: \.metrics)! + m.position * MemoryLayout<Double>.stride
    }

    /// One field of every row, in order, read where it lies: reading
    /// `rows[i].metrics[k]` would copy the whole 160-byte row first.
    private func forEachRow<T>(at offset: Int, as type: T.Type, _ body: (T) -> Void) {
        let stride = MemoryLayout<LessonRow>.stride
        rows.withUnsafeBytes { raw in
            if let selection {
                for row in selection { body(raw.load(fromByteOffset: Int(row) * stride + offset, as: T.self)) }
            } else {
                for row in 0..<rows.count { body(raw.load(fromByteOffset: row * stride + offset, as: T.self)) }
            }
        }
    }
}

/// Lessons gathered into groups by a key.
public struct GroupedLessons: Sendable {
    /// The key the lessons are grouped by.
    public let by: GroupBy
    /// Every row in input order, and its group's number: the merging
    /// thread appends at two ends (sequential writes), where appending to
    /// one array per group touched a different, often cold, array each time.
    /// The groups are split out once, at the end.
    private var rows: [LessonRow] = []
    private var groupOfRow: [Int32] = []
    private var index: [GroupKey: Int32] = [:]
    private var keys: [GroupKey] = []
    /// Groups by `KeyedRow.keyHash` (open addressing): a key seen before with
    /// the same bytes is found with one probe and one comparison; `index`
    /// (String equality, which is Unicode-aware) decides the others.
    private var slots = [(hash: UInt64, group: Int32)](repeating: (0, -1), count: 64)
    private var slotsUsed = 0
    /// Logs filed under each group (with visits combined, more than its rows).
    private var logsOfGroup: [Int] = []
    /// Set when the logs of a visit are combined into one row.
    private var combiner: VisitCombiner?

    /// No lessons yet, grouped by `by`, one row per log.
    public init(by: GroupBy) { self.by = by }

    /// No lessons yet, grouped by `by`; with `visitsJudgedBy`, the logs of
    /// a visit become one row (`VisitCombiner`): filed with
    /// `add(_:file:line:)`, combined by `combineVisits()`.
    public init(by: GroupBy, visitsJudgedBy policy: Policy?) {
        self.by = by
        combiner = policy.map(VisitCombiner.init)
    }

    /// The warnings about later logs of a visit since the last call.
    public mutating func takeWarnings() -> [Diagnostic] { combiner?.takeWarnings() ?? [] }

    /// Makes room for about `lessons` rows (address space only: pages are
    /// touched as rows come). Growing by doubling copies every row so far,
    /// on the one thread that files them, while the workers wait.
    public mutating func reserveCapacity(_ lessons: Int) {
        rows.reserveCapacity(lessons)
        groupOfRow.reserveCapacity(lessons)
    }

    /// Files `e` under its key.
    public mutating func add(_ e: EvaluatedLesson) {
        add(KeyedRow(e, by: by))
    }

    /// Files one log read at `file`:`line`: a row of its own, or, with
    /// visits combined, part of its visit's row (under the first log's key).
    public mutating func add(_ keyed: KeyedRow, file: String, line: Int) {
        guard combiner != nil, let log = keyed.log else { return add(keyed) }
        if let position = combiner!.file(log, position: rows.count, file: file, line: line) {
            combiner!.add(keyed.row, into: &rows[position], at: position)
            logsOfGroup[Int(groupOfRow[position])] += 1
        } else {
            add(keyed)
        }
    }

    /// Replaces each combined visit's first row by the visit's record; call
    /// once, after the last log.
    public mutating func combineVisits() {
        guard let combiner else { return }
        for position in combiner.combinedPositions { combiner.finish(&rows[position], at: position) }
        self.combiner = VisitCombiner(policy: combiner.policy)
    }

    /// Adds a row whose key (and its hash) was made already, on a worker thread.
    public mutating func add(_ keyed: KeyedRow) {
        let mask = slots.count - 1
        var k = Int(truncatingIfNeeded: keyed.keyHash) & mask
        var group: Int32 = -1
        while slots[k].group >= 0 {
            if slots[k].hash == keyed.keyHash && keys[Int(slots[k].group)] == keyed.key {
                group = slots[k].group
                break
            }
            k = (k + 1) & mask
        }
        if group < 0 {
            group = groupNumber(keyed.key)
            slots[k] = (keyed.keyHash, group)
            slotsUsed += 1
            if slotsUsed * 2 > slots.count { rehash() }
        }
        rows.append(keyed.row)
        groupOfRow.append(group)
        logsOfGroup[Int(group)] += 1
    }

    /// The key's group, found by String equality or made.
    private mutating func groupNumber(_ key: GroupKey) -> Int32 {
        if let g = index[key] { return g }
        let g = Int32(keys.count)
        index[key] = g
        keys.append(key)
        logsOfGroup.append(0)
        return g
    }

    private mutating func rehash() {
        let old = slots
        slots = [(hash: UInt64, group: Int32)](repeating: (0, -1), count: old.count * 2)
        let mask = slots.count - 1
        for s in old where s.group >= 0 {
            var k = Int(truncatingIfNeeded: s.hash) & mask
            while slots[k].group >= 0 { k = (k + 1) & mask }
            slots[k] = s
        }
    }

    /// Groups in key order, each with its rows in input order (a counting
    /// sort of the row numbers by group; the rows stay where they are).
    public var sorted: [(key: GroupKey, lessons: LessonColumns)] {
        var start = [Int](repeating: 0, count: keys.count + 1)
        for g in groupOfRow { start[Int(g) + 1] += 1 }
        for g in 0..<keys.count { start[g + 1] += start[g] }
        var next = start
        var order = [Int32](repeating: 0, count: groupOfRow.count)
        for (row, g) in groupOfRow.enumerated() {
            order[next[Int(g)]] = Int32(row)
            next[Int(g)] += 1
        }
        return keys.indices.sorted { keys[$0] < keys[$1] }.map { g in
            (keys[g], LessonColumns(store: rows, selection: Array(order[start[g]..<start[g + 1]]), logs: logsOfGroup[g]))
        }
    }
}
