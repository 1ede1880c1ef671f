import Foundation
import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator


/// Hand-worked kappa and ICC cases, then golden values from statsmodels and scipy.
@Suite struct ReliabilityTests {
    @Test func perfectAgreementIsKappaOne() throws {
        // 2 minutes at 30 s: samples at 15, 45, 75, 105 s: lecture, lecture, read, read.
        let segs = #"{"start":0,"end":60,"kind":"lecture"},{"start":60,"end":120,"kind":"read"}"#
        let a = ObserverAgreement(try evaluatedWithTimelines(visitLog("a", observer: "A", segs) + visitLog("b", observer: "B", segs)), interval: 30)
        #expect(a.visits == 1 && a.pairs == 1 && a.samples == 4)
        #expect(a.agreement == 100)
        #expect(a.kappa.value == 1)
        #expect(a.kappa.se == 0)
        #expect(a.byKind.first { $0.kind == .read }?.kappa.value == 1)
        #expect(a.byKind.first { $0.kind == .write }?.kappa.value == nil)  // never coded: undefined
    }

    @Test func agreementAtChanceIsKappaZero() throws {
        // A: L L R R; B: L R L R. po = 1/2, pe = 1/2 * 1/2 + 1/2 * 1/2 = 1/2: kappa 0.
        let a = #"{"start":0,"end":60,"kind":"lecture"},{"start":60,"end":120,"kind":"read"}"#
        let b = #"{"start":0,"end":30,"kind":"lecture"},{"start":30,"end":60,"kind":"read"},{"start":60,"end":90,"kind":"lecture"},{"start":90,"end":120,"kind":"read"}"#
        let r = ObserverAgreement(try evaluatedWithTimelines(visitLog("a", observer: "A", a) + visitLog("b", observer: "B", b)), interval: 30)
        #expect(r.agreement == 50)
        #expect(r.kappa.value == 0)
        // Fleiss-Cohen-Everitt by hand: termA = 2 * 1/4 * (1 - 1)^2 = 0,
        // termB = (1/4 (1/2 + 1/2)^2) * 2 = 1/2, termC = (0 - 1/2)^2 = 1/4: var = (1/2 - 1/4) / (1/4) / 4 = 1/4.
        #expect(abs(r.kappa.se! - 0.5) < 1e-12)
    }

    @Test func oneObserverLoggingNothing() throws {
        // A codes L L R R; B codes none throughout: pe = 0 (no shared code), po = 0, kappa 0.
        let segs = #"{"start":0,"end":60,"kind":"lecture"},{"start":60,"end":120,"kind":"read"}"#
        let r = ObserverAgreement(try evaluatedWithTimelines(visitLog("a", observer: "A", segs) + visitLog("b", observer: "B", "")), interval: 30)
        #expect(r.samples == 4)
        #expect(r.agreement == 0)
        #expect(r.kappa.value == 0)
    }

    @Test func visitsWithoutTheFieldAndRepeatedObservers() throws {
        let text = """
        {"id":"a","observer":"A","date":"2026-03-12","teacher":"T","class":"3A","period":2,"subject":"s","grade":3,"segments":[]}
        {"id":"b","observer":"B","date":"2026-03-12","teacher":"T","class":"3A","period":2,"subject":"s","grade":3,"segments":[]}
        {"id":"c","observer":"B","date":"2026-03-12","teacher":"T","class":"3A","period":2,"subject":"s","grade":3,"segments":[]}
        {"id":"d","observer":"A","date":"2026-03-12","teacher":"T","class":"3A","subject":"s","grade":3,"segments":[]}
        {"id":"e","observer":"B","date":"2026-03-12","teacher":"T","class":"3A","subject":"s","grade":3,"segments":[]}

        """
        let r = ObserverAgreement(try evaluatedWithTimelines(text), interval: 30)
        #expect(r.visits == 1)   // d and e have no period: matched with nothing
        #expect(r.pairs == 1)
        #expect(r.samples == 80)
        #expect(r.warnings.count == 1 && r.warnings[0].contains("\"c\""))
    }

    @Test func iccByHand() {
        // Two groups {1, 3} and {5, 7} ({9} alone is left out): grand 4; means 2 and 6;
        // MSB = (2*4 + 2*4) / 1 = 16; MSW = (1+1+1+1) / 2 = 2; k0 = (4 - 8/4) / 1 = 2;
        // ICC = (16 - 2) / (16 + (2 - 1) 2) = 14/18.
        let r = Reliability.icc([[1, 3], [5, 7], [9]])
        #expect(r.groups == 2 && r.values == 4)
        #expect(abs(r.icc! - 14.0 / 18.0) < 1e-12)
        #expect(Reliability.icc([[1, 1], [1, 1]]).icc == nil)   // no variance at all
        #expect(Reliability.icc([[1, 2]]).icc == nil)           // one group
    }

    @Test func spearmanBrown() {
        // rho 0.5: R 0.7 -> 0.7 * 0.5 / (0.5 * 0.3) = 2.33 -> 3; R 0.8 -> 4.
        #expect(Reliability.visitsNeeded(rho: 0.5, target: 0.7) == 3)
        #expect(Reliability.visitsNeeded(rho: 0.5, target: 0.8) == 4)
        #expect(Reliability.visitsNeeded(rho: 0.7, target: 0.7) == 1)
        #expect(Reliability.visitsNeeded(rho: 0, target: 0.7) == nil)
        #expect(Reliability.visitsNeeded(rho: -0.2, target: 0.7) == nil)
        #expect(Reliability.visitsNeeded(rho: nil, target: 0.7) == nil)
    }

    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: "fixtures/" + name, withExtension: nil))
        return try Data(contentsOf: url)
    }

    func close(_ a: Double?, _ e: Any?, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let x = (e as? NSNumber)?.doubleValue, let a else {
            #expect(a == nil && (e == nil || e is NSNull), "\(what)", sourceLocation: sourceLocation)
            return
        }
        #expect(abs(a - x) <= max(1e-9, 1e-9 * abs(x)), "\(what): expected \(x), got \(a)", sourceLocation: sourceLocation)
    }

    /// `fixtures/make_golden_reliability.py`: statsmodels' cohens_kappa and
    /// the ICC formulas with scipy's F quantiles, on `reliability-archive.jsonl`.
    @Test func goldenValues() throws {
        let all = try evaluatedWithTimelines(String(decoding: try Self.fixture("reliability-archive.jsonl"), as: UTF8.self))
        let expected = try JSONSerialization.jsonObject(with: try Self.fixture("reliability-expected.json")) as! [String: Any]
        let agree = expected["agree"] as! [String: Any]
        let a = ObserverAgreement(all, interval: 30)
        #expect(a.visits == agree["visits"] as? Int)
        #expect(a.pairs == agree["pairs"] as? Int)
        #expect(a.samples == agree["samples"] as? Int)
        close(a.agreement, agree["agreement"], "agreement")
        let kappa = agree["kappa"] as! [String: Any]
        close(a.kappa.value, kappa["value"], "kappa")
        close(a.kappa.se, kappa["se"], "kappa se")
        let ci = kappa["ci95"] as! [Double]
        close(a.kappa.ci95?.low, ci[0], "kappa low")
        close(a.kappa.ci95?.high, ci[1], "kappa high")
        for (name, value) in agree["metrics"] as! [String: [String: Any]] {
            let row = try #require(a.metrics.first { $0.metric.rawValue == name })
            #expect(row.icc.groups == value["groups"] as? Int && row.icc.values == value["values"] as? Int, "\(name)")
            close(row.icc.icc, value["icc"], name)
            let ci = value["ci95"] as! [Double]
            close(row.icc.ci95?.low, ci[0], name + " low")
            close(row.icc.ci95?.high, ci[1], name + " high")
        }
        let r = VisitReliability(all, by: .teacher, targets: [0.7, 0.8])
        for (name, value) in expected["reliability"] as! [String: [String: Any]] {
            let row = try #require(r.metrics.first { $0.metric.rawValue == name })
            #expect(row.icc.groups == value["groups"] as? Int && row.icc.values == value["values"] as? Int, "\(name)")
            close(row.icc.icc, value["icc"], name)
            let needed = value["visits_needed"] as! [String: Any]
            #expect(row.needed == [needed["0.7"] as? Int, needed["0.8"] as? Int], "\(name)")
        }
    }
}
