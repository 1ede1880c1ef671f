import LessonLensCore

/// A realistic synthetic homework ledger (homework-log-v1): a school's
/// classes from grade 1 to 9 over school days from 2026-09-01, each subject
/// teacher setting work most days. Teachers differ in how well they
/// estimate (some underestimate by a third or more), the days before a test
/// week are heavy, some work is tiered or excuses students, some teachers
/// mark late, grades 1-2 get oral and reading work (and now and then
/// written work they should not). The same seed gives the same ledger.
public final class HomeworkGenerator {
    private let random: RandomSource
    private let total: Int
    private var produced = 0
    private var day = LessonDate(year: 2026, month: 9, day: 1)!.dayNumber
    private var pending: [String] = []

    private struct Teacher {
        var name: String
        /// Students' median time over the teacher's estimate.
        var bias: Double
        /// Chance of marking later than the next day.
        var lateMarking: Double
    }

    private struct SchoolClass {
        var name: String
        var grade: Int
        /// Subject (canonical) → its teacher's index.
        var teachers: [(subject: String, teacher: Int)]
    }

    private var teachers: [Teacher] = []
    private var classes: [SchoolClass] = []

    /// `assignments` lines from `seed`.
    public init(assignments: Int, seed: UInt64) {
        random = RandomSource(seed: seed &+ 0x686F_6D65)
        total = assignments
        let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"]
        let given = ["丽", "强", "敏", "静", "伟", "芳", "军", "燕", "磊", "娟", "涛", "霞", "勇", "萍", "杰", "红", "斌", "艳", "超", "琳"]
        func newTeacher() -> Int {
            let k = teachers.count
            let name = surnames[k % surnames.count] + given[(k * 7 + k / surnames.count) % given.count] + (k >= surnames.count * given.count ? String(k) : "")
            // Most estimate within 10%; about one in four underestimates a lot.
            let bias = random.chance(0.25) ? 1.25 + 0.3 * random.uniform() : 0.9 + 0.2 * random.uniform()
            teachers.append(Teacher(name: name, bias: bias, lateMarking: random.chance(0.2) ? 0.4 : 0.05))
            return k
        }
        for grade in 1...9 {
            let subjects: [String]
            switch grade {
            case 1...2: subjects = ["chinese", "math"]
            case 3...6: subjects = ["chinese", "math", "english", "science"]
            default: subjects = ["chinese", "math", "english", "physics", "history"]
            }
            // Two classes a grade; one teacher a subject for both.
            let perSubject = subjects.map { ($0, newTeacher()) }
            for letter in ["A", "B"] {
                classes.append(SchoolClass(name: "\(grade)\(letter)", grade: grade, teachers: perSubject))
            }
        }
    }

    /// Every line written.
    public var isFinished: Bool { produced >= total && pending.isEmpty }

    /// The next line (without its newline); nil when finished.
    public func nextLine() -> String? {
        while pending.isEmpty {
            guard produced < total else { return nil }
            schoolDay()
        }
        return pending.removeFirst()
    }

    /// One school day's assignments for every class (weekends skipped).
    private func schoolDay() {
        var date = LessonDate.fromDayNumber(day)
        while date.isoWeekday >= 6 {  // Saturday, Sunday
            day += 1
            date = LessonDate.fromDayNumber(day)
        }
        day += 1
        // A test every fourth week: its Thursday and Friday before are heavy.
        let heavy = date.isoWeek.week % 4 == 3 && date.isoWeekday >= 4
        var lines: [String] = []
        for c in classes {
            for (subject, t) in c.teachers {
                let teacher = teachers[t]
                // In-class work: maths most days, others now and then.
                if random.chance(subject == "math" ? 0.95 : 0.35) {
                    lines.append(line(c, subject, teacher, date, place: "class", kind: "written",
                                      estimated: Double(random.int(in: 5...12)), heavy: false))
                }
                guard random.chance(c.grade <= 2 ? 0.7 : 0.85) else { continue }
                let kind: String
                if c.grade <= 2 {
                    // Grades 1-2: oral and reading; a few teachers slip in written work.
                    kind = random.chance(0.06) ? "written" : random.pick(["oral", "reading"])
                } else {
                    kind = random.chance(0.8) ? "written" : random.pick(["oral", "reading", "practical"])
                }
                let base = c.grade <= 2 ? 10.0 : c.grade <= 6 ? 11.0 : 15.0
                var estimated = (base + Double(random.int(in: -5...10))).rounded()
                if heavy { estimated = (estimated * 1.5).rounded() }
                lines.append(line(c, subject, teacher, date, place: "home", kind: kind, estimated: max(5, estimated), heavy: heavy))
            }
        }
        pending.append(contentsOf: lines.prefix(total - produced))
        produced += min(lines.count, total - produced)
    }

    private func line(_ c: SchoolClass, _ subject: String, _ teacher: Teacher, _ date: LessonDate,
                      place: String, kind: String, estimated: Double, heavy: Bool) -> String {
        nextID += 1
        let id = "hw-\(nextID)"
        var s = "{\"id\":\"\(id)\",\"date\":\"\(date)\",\"class\":\"\(c.name)\",\"subject\":\"\(subject)\",\"teacher\":\"\(teacher.name)\","
        s += "\"school\":\"实验学校\",\"grade\":\(c.grade),\"where\":\"\(place)\",\"kind\":\"\(kind)\",\"estimated_min\":\(Int(estimated))"
        if place == "home" && random.chance(0.6) {
            // A sample of students' reported minutes around the teacher's bias.
            let n = random.int(in: 3...8)
            let times = (0..<n).map { _ in max(0, (estimated * teacher.bias * random.gaussian(mean: 1, sd: 0.25)).rounded()) }
            s += ",\"reported_min\":[" + times.map { String(Int($0)) }.joined(separator: ",") + "]"
        }
        if random.chance(0.2) { s += ",\"tiered\":true" }
        if random.chance(0.1) { s += ",\"exempt\":\(random.int(in: 1...3))" }
        let essay = kind == "written" && place == "home" && (subject == "chinese" || subject == "english") && random.chance(0.08)
        if essay { s += ",\"essay\":true" }
        if kind == "written" {
            let delay: Int
            if essay { delay = random.int(in: 2...(random.chance(teacher.lateMarking) ? 12 : 7)) }
            else { delay = random.chance(teacher.lateMarking) ? random.int(in: 2...4) : random.chance(0.75) ? 0 : 1 }
            s += ",\"graded_on\":\"\(LessonDate.fromDayNumber(date.dayNumber + delay))\""
        }
        if place == "home" && random.chance(0.9) { s += ",\"published\":true" }
        if heavy && random.chance(0.3) { s += ",\"notes\":\"测验前复习\"" }
        return s + "}"
    }
    private var nextID = 0
}
