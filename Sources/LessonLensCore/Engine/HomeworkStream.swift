/// Reads a homework ledger line by line, in input order: each line decoded
/// (`HomeworkDecoder`), a repeated id rejected, a class given a second grade
/// warned about (the first is kept for its limit). Nothing is dropped
/// silently: every line is accepted, rejected or blank.
public final class HomeworkStream {
    /// What became of a line.
    public enum Event {
        /// The assignment, with the class's grade (the first line's for the class).
        case accepted(HomeworkAssignment, classGrade: Int)
        /// The line's error.
        case rejected(Diagnostic)
        /// A warning; the line may still be accepted.
        case warning(Diagnostic)
    }

    /// Lines accepted, rejected and warnings given so far.
    public private(set) var counts = StreamCounts()
    private var decoder = HomeworkDecoder()
    private var ids = AcceptedIDs()
    /// Class → the grade of its first accepted assignment.
    private var classGrades: [String: Int] = [:]
    /// (class, grade) pairs already warned about.
    private var warnedGrades: Set<String> = []
    private var warnings: [FieldIssue] = []

    /// A stream with nothing read.
    public init() {}

    /// Reads one line (without its newline) of `file`. A carriage return
    /// before the newline and a byte order mark on line 1 are ignored;
    /// blank lines are skipped.
    public func process(_ line: UnsafeBufferPointer<UInt8>, file: String, line number: Int,
                        _ emit: (Event) throws -> Void) rethrows {
        var bytes = line
        if number == 1, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            bytes = UnsafeBufferPointer(rebasing: bytes[3...])
        }
        if let last = bytes.last, last == 0x0D { bytes = UnsafeBufferPointer(rebasing: bytes.dropLast()) }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
        warnings.removeAll(keepingCapacity: true)
        let decoded: Result<HomeworkAssignment, FieldIssue>
        do throws(FieldIssue) { decoded = .success(try decoder.decode(bytes, warnings: &warnings)) }
        catch { decoded = .failure(error) }
        for w in warnings {
            counts.warnings += 1
            try emit(.warning(Diagnostic(severity: .warning, file: file, line: number, issue: w)))
        }
        switch decoded {
        case .failure(let issue):
            counts.rejected += 1
            try emit(.rejected(Diagnostic(severity: .error, file: file, line: number, issue: issue)))
        case .success(let a):
            guard ids.insert(HashedID(a.id)) else {
                counts.rejected += 1
                try emit(.rejected(Diagnostic(severity: .error, file: file, line: number,
                                              issue: FieldIssue(field: "id", .duplicateAssignmentID, "\(a.id)"))))
                return
            }
            counts.accepted += 1
            let grade = classGrades[a.className] ?? a.grade
            if classGrades[a.className] == nil { classGrades[a.className] = grade }
            if grade != a.grade, warnedGrades.insert(a.className + "\u{1}" + String(a.grade)).inserted {
                counts.warnings += 1
                try emit(.warning(Diagnostic(severity: .warning, file: file, line: number,
                                             issue: FieldIssue(field: "grade", .classTwoGrades, "\(a.className)", "\(a.grade)", "\(grade)"))))
            }
            try emit(.accepted(a, classGrade: grade))
        }
    }
}
