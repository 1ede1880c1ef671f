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

    init(store: [LessonRow], selection: [Int32]) {
        rows = store
        self.selection = selection
    }

    /// Rows in the set.
    public var count: Int { selection?.count ?? rows.count }

    /// Days since 1970-01-01 of each lesson.
    public var days: [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        forEachRow(at: MemoryLayout<LessonRow>.offset(of: \.day)!, as: Int.self) { out.append($0) }
        return out
    }

    /// Adds the row of `e`.
    public mutating func append(_ e: EvaluatedLesson) { append(LessonRow(e)) }
    /// Adds `row`.
    public mutating func append(_ row: LessonRow) {
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

    /// No lessons yet, grouped by `by`.
    public init(by: GroupBy) { self.by = by }

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
    }

    /// The key's group, found by String equality or made.
    private mutating func groupNumber(_ key: GroupKey) -> Int32 {
        if let g = index[key] { return g }
        let g = Int32(keys.count)
        index[key] = g
        keys.append(key)
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
            (keys[g], LessonColumns(store: rows, selection: Array(order[start[g]..<start[g + 1]])))
        }
    }
}
