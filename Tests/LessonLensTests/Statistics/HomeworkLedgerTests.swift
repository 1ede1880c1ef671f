import Foundation
import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics

/// An assignment for the ledger's hand-worked cases.
func assignment(_ id: String, _ day: String, _ className: String = "3A", grade: Int = 3, subject: String = "chinese",
                teacher: String = "王丽", place: HomeworkPlace = .home, kind: HomeworkKind = .written, minutes: Double,
                reported: [Double] = [], gradedOn: String? = nil, essay: Bool = false, school: String? = nil) -> HomeworkAssignment {
    HomeworkAssignment(id: id, date: LessonDate(ascii: Array(day.utf8))!, className: className, subject: subject,
                       teacher: teacher, school: school, grade: grade, place: place, kind: kind, estimatedMin: minutes,
                       reportedMin: reported, gradedOn: gradedOn.map { LessonDate(ascii: Array($0.utf8))! }, essay: essay)
}

@Suite struct HomeworkLedgerTests {
    func ledger(_ items: [HomeworkAssignment], by: HomeworkGroupBy = .class, load: Policy.HomeworkLoad = .init()) -> HomeworkLedger {
        var l = HomeworkLedger(by: by, load: load, keepViolations: true)
        for a in items { l.add(a, classGrade: a.grade) }
        return l
    }

    @Test func aClassDayAtItsLimitIsNotOverAndOneMinuteMoreIs() throws {
        let l = ledger([
            assignment("a", "2026-09-07", minutes: 35), assignment("b", "2026-09-07", subject: "math", minutes: 25),
            assignment("c", "2026-09-08", minutes: 35), assignment("d", "2026-09-08", subject: "math", minutes: 26),
            // Class work, oral and reading work do not count.
            assignment("e", "2026-09-08", place: .class, minutes: 40), assignment("f", "2026-09-08", kind: .reading, minutes: 40),
        ])
        let g = try #require(l.groups.first)
        #expect(g.days == 2 && g.assignments == 6)
        #expect(g.daysOverLimit.judged == 2 && g.daysOverLimit.met == 1)
        #expect(g.dailyWrittenHomeMin.mean == 60.5 && g.dailyWrittenHomeMin.max == 61)
        #expect(l.violations.map(\.day.writtenHomeIDs) == [["c", "d"]])
        #expect(l.violations.first?.limitMin == 60)
    }

    /// 23.7 + 34.7 + 1.6 in doubles is 60.00000000000001: the day is at its
    /// limit, not over it, whatever the parts' order.
    @Test func partsThatAddUpToTheLimitExactlyAreNotOver() throws {
        for order in [[23.7, 34.7, 1.6], [1.6, 34.7, 23.7], [34.7, 1.6, 23.7]] {
            let l = ledger(order.enumerated().map { assignment("p\($0.offset)", "2026-09-07", minutes: $0.element) })
            let g = try #require(l.groups.first)
            #expect(g.daysOverLimit.judged == 1 && g.daysOverLimit.met == 0, "\(order)")
            #expect(g.dailyWrittenHomeMin.max == 60, "\(order)")
            #expect(l.violations.isEmpty)
        }
        #expect(MinuteTotal(23.7) + 34.7 + 1.6 == MinuteTotal(60))
        #expect((MinuteTotal(0.1) + 0.2).minutes == 0.3)
        #expect((MinuteTotal(9e18) + 9e18).minutes == Double(Int64.max) / 1e6)
    }

    @Test func anyWrittenHomeworkInGradeOneIsOverAndOralIsNot() {
        let l = ledger([assignment("a", "2026-09-07", "1A", grade: 1, minutes: 1),
                        assignment("b", "2026-09-08", "1A", grade: 1, kind: .oral, minutes: 15)])
        #expect(l.groups[0].daysOverLimit == HomeworkLedger.Share(judged: 2, met: 1))
        #expect(l.violations.map(\.day.className) == ["1A"])
    }

    @Test func aGradeWithoutALimitIsNotJudged() {
        let l = ledger([assignment("a", "2026-09-07", "10A", grade: 10, minutes: 300)])
        #expect(l.groups[0].daysOverLimit.judged == 0)
        #expect(l.groups[0].daysOverLimit.rate == nil && l.groups[0].daysOverLimit.ci95 == nil)
        #expect(l.violations.isEmpty)
    }

    @Test func theEstimateRatioAndItsIntervalByHand() throws {
        // Medians 40 and 10 over estimates 20 and 20: r = 2 and 0.5, ln r = ±ln 2.
        // Mean 0, so the geometric mean is 1; sd = ln 2 · √2, n = 2, so the
        // half-width is t(0.975, 1) · ln 2 = 12.7062047362 · 0.6931471806.
        let l = ledger([assignment("a", "2026-09-07", minutes: 20, reported: [30, 40, 50]),
                        assignment("b", "2026-09-08", minutes: 20, reported: [5, 15]),
                        // A median of 0 and no reports are left out.
                        assignment("c", "2026-09-09", minutes: 20, reported: [0, 0, 5]),
                        assignment("d", "2026-09-10", minutes: 20)])
        let r = l.groups[0].estimateRatio
        #expect(r.n == 2)
        #expect(abs(try #require(r.geoMean) - 1) < 1e-12)
        let half = 12.706204736174698 * 0.6931471805599453
        let ci = try #require(r.ci95)
        #expect(abs(ci.low - exp(-half)) < 1e-9 * exp(-half))
        #expect(abs(ci.high - exp(half)) < 1e-9 * exp(half))
        let one = ledger([assignment("a", "2026-09-07", minutes: 20, reported: [26])]).groups[0].estimateRatio
        #expect(one.n == 1 && one.geoMean.map { abs($0 - 1.3) < 1e-12 } == true && one.ci95 == nil)
    }

    @Test func markingOnTimeUsesTheEssayLimitForEssays() {
        let l = ledger([assignment("a", "2026-09-07", minutes: 20, gradedOn: "2026-09-07"),
                        assignment("b", "2026-09-07", subject: "math", minutes: 20, gradedOn: "2026-09-08"),
                        assignment("c", "2026-09-08", subject: "math", minutes: 20, gradedOn: "2026-09-10"),
                        assignment("d", "2026-09-08", minutes: 20, gradedOn: "2026-09-15", essay: true),
                        assignment("e", "2026-09-09", minutes: 20, gradedOn: "2026-09-17", essay: true),
                        assignment("f", "2026-09-09", minutes: 20)])
        let s = l.groups[0].gradedOnTime
        #expect(s.judged == 5 && s.met == 3)
        // Wilson 3/5 with z = 1.959963985: (0.2307, 0.8824).
        #expect(abs(s.ci95!.low - 0.23072405) < 1e-6 && abs(s.ci95!.high - 0.88237970) < 1e-6)
    }

    @Test func inClassWorkIsCountedPerClassSubjectTeacherAndWeek() throws {
        var items: [HomeworkAssignment] = []
        // Week 37: five in-class maths pieces (meets 5); week 38: two and a home piece (below).
        for (k, day) in ["2026-09-07", "2026-09-08", "2026-09-09", "2026-09-10", "2026-09-11"].enumerated() {
            items.append(assignment("w\(k)", day, subject: "数学", teacher: "李强", place: .class, minutes: 10))
        }
        items += [assignment("x1", "2026-09-14", subject: "math", teacher: "李强", place: .class, minutes: 10),
                  assignment("x2", "2026-09-15", subject: "math", teacher: "李强", place: .class, minutes: 10),
                  assignment("x3", "2026-09-16", subject: "math", teacher: "李强", minutes: 10),
                  // Chinese has no target: no cell.
                  assignment("y1", "2026-09-16", minutes: 10, school: nil)]
        let w = try #require(ledger(items).groups[0].inClassPerWeek)
        #expect(w.weeks == 2 && w.mean == 3.5 && w.belowTarget == 1)
        var noTargets = Policy.HomeworkLoad()
        noTargets.inClassPerWeek = [:]
        #expect(ledger(items, load: noTargets).groups[0].inClassPerWeek == nil)
    }

    @Test func aFilterKeepsEachClassDaysWholeLoad() throws {
        // --where teacher=李强: his groups and his days, judged on the class's full 70 minutes.
        var l = HomeworkLedger(by: .teacher, load: .init(), keepViolations: true)
        let items = [assignment("a", "2026-09-07", minutes: 40),
                     assignment("b", "2026-09-07", subject: "math", teacher: "李强", minutes: 30),
                     assignment("c", "2026-09-08", minutes: 70)]
        for a in items { l.add(a, classGrade: 3, selected: a.teacher == "李强") }
        #expect(l.groups.map(\.key) == [.text("李强")])
        let li = l.groups[0]
        #expect(li.dailyWrittenHomeMin.mean == 70 && li.daysOverLimit == HomeworkLedger.Share(judged: 1, met: 1))
        // Only the days he set something on are listed, with every id behind the minutes.
        #expect(l.violations.map(\.day.date.description) == ["2026-09-07"])
        #expect(l.violations.first?.day.writtenHomeIDs == ["a", "b"])
    }

    @Test func teachersAreJudgedOnTheDaysTheySetWrittenHomeWork() throws {
        let l = ledger([
            assignment("a", "2026-09-07", minutes: 40), assignment("b", "2026-09-07", subject: "math", teacher: "李强", minutes: 30),
            assignment("c", "2026-09-08", subject: "math", teacher: "李强", minutes: 30),
            assignment("d", "2026-09-09", kind: .oral, minutes: 10),
        ], by: .teacher)
        let wang = try #require(l.groups.first { $0.key == .text("王丽") })
        let li = try #require(l.groups.first { $0.key == .text("李强") })
        // 王丽 set something on two class-days, written home work on one (70 min, over).
        #expect(wang.days == 2 && wang.dailyWrittenHomeMin.n == 1 && wang.dailyWrittenHomeMin.mean == 70)
        #expect(wang.daysOverLimit == HomeworkLedger.Share(judged: 1, met: 1))
        #expect(li.days == 2 && li.dailyWrittenHomeMin.n == 2 && li.daysOverLimit == HomeworkLedger.Share(judged: 2, met: 1))
    }
}

/// The ledger against golden values computed independently with numpy/scipy
/// by `fixtures/make_golden_homework.py` (see its header).
@Suite struct HomeworkGoldenTests {
    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: "fixtures/" + name, withExtension: nil))
        return try Data(contentsOf: url)
    }

    func ledger(by: HomeworkGroupBy) throws -> HomeworkLedger {
        var stream = HomeworkStream()
        var ledger = HomeworkLedger(by: by, load: .init(), keepViolations: true)
        let text = String(decoding: try HomeworkGoldenTests.fixture("homework-archive.jsonl"), as: UTF8.self)
        for (k, line) in text.split(separator: "\n").enumerated() {
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBufferPointer { p in
                stream.process(UnsafeBufferPointer(p), file: "golden", line: k + 1) { event in
                    if case .accepted(let a, let grade) = event { ledger.add(a, classGrade: grade) }
                }
            }
        }
        #expect(stream.counts.accepted == 220 && stream.counts.rejected == 0 && stream.counts.warnings == 1)
        return ledger
    }

    func check(_ a: Double?, _ e: Any?, _ what: String) {
        if e == nil || e is NSNull {
            #expect(a == nil, "\(what): expected null")
        } else if let x = (e as? NSNumber)?.doubleValue, let a {
            #expect(abs(a - x) <= max(1e-9, 1e-9 * abs(x)), "\(what): \(a) vs \(x)")
        } else {
            Issue.record("\(what): got \(String(describing: a)), expected \(String(describing: e))")
        }
    }

    func checkShare(_ s: HomeworkLedger.Share, _ e: [String: Any], _ what: String) {
        #expect(s.judged == e["judged"] as? Int && s.met == e["met"] as? Int, "\(what)")
        check(s.rate, e["rate"], what + ".rate")
        let ci = e["ci95"] as? [Double]
        check(s.ci95?.low, ci?[0], what + ".ci95.low")
        check(s.ci95?.high, ci?[1], what + ".ci95.high")
    }

    @Test(arguments: HomeworkGroupBy.allCases)
    func everyGroupingMatchesTheIndependentScript(_ by: HomeworkGroupBy) throws {
        let expected = try JSONSerialization.jsonObject(with: try HomeworkGoldenTests.fixture("homework-expected.json")) as! [String: Any]
        let groups = try #require(expected[by.rawValue] as? [[String: Any]])
        let actual = try ledger(by: by).groups
        #expect(actual.map { $0.key.description } == groups.map { ($0["key"] as? NSNumber)?.stringValue ?? ($0["key"] as? String) ?? "(none)" })
        for (g, e) in zip(actual, groups) {
            let what = "\(by.rawValue) \(g.key)"
            #expect(g.assignments == e["assignments"] as? Int && g.days == e["days"] as? Int, "\(what)")
            let d = e["daily_written_home_min"] as! [String: Any]
            #expect(g.dailyWrittenHomeMin.n == d["n"] as? Int, "\(what)")
            check(g.dailyWrittenHomeMin.mean, d["mean"], what + " mean")
            check(g.dailyWrittenHomeMin.median, d["median"], what + " median")
            check(g.dailyWrittenHomeMin.p90, d["p90"], what + " p90")
            check(g.dailyWrittenHomeMin.max, d["max"], what + " max")
            checkShare(g.daysOverLimit, e["days_over_limit"] as! [String: Any], what + " days_over_limit")
            checkShare(g.gradedOnTime, e["graded_on_time"] as! [String: Any], what + " graded_on_time")
            let r = e["estimate_ratio"] as! [String: Any]
            #expect(g.estimateRatio.n == r["n"] as? Int, "\(what)")
            check(g.estimateRatio.geoMean, r["geo_mean"], what + " geo_mean")
            let ci = r["ci95"] as? [Double]
            check(g.estimateRatio.ci95?.low, ci?[0], what + " ratio ci low")
            check(g.estimateRatio.ci95?.high, ci?[1], what + " ratio ci high")
            let w = e["in_class_per_week"] as! [String: Any]
            #expect(g.inClassPerWeek?.weeks == w["weeks"] as? Int && g.inClassPerWeek?.belowTarget == w["below_target"] as? Int, "\(what)")
            check(g.inClassPerWeek?.mean, w["mean"], what + " in-class mean")
        }
    }

    @Test func violationsMatchTheIndependentScript() throws {
        let expected = try JSONSerialization.jsonObject(with: try HomeworkGoldenTests.fixture("homework-expected.json")) as! [String: Any]
        let list = try #require(expected["violations"] as? [[String: Any]])
        let actual = try ledger(by: .class).violations
        #expect(actual.count == list.count)
        for (v, e) in zip(actual, list) {
            #expect(v.day.className == e["class"] as? String && v.day.date.description == e["date"] as? String)
            #expect(v.day.grade == e["grade"] as? Int && v.day.writtenHomeIDs == e["assignments"] as? [String])
            check(v.limitMin, e["limit_min"], "limit")
            check(v.day.writtenHomeMin, e["written_home_min"], "minutes")
        }
    }
}
