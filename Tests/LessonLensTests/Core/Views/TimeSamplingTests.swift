import Foundation
import Testing
@testable import LessonLensCore
@testable import LessonLensStatistics
@testable import LessonLensOutput
@testable import LessonLensGenerator


/// S-T analysis and profiles on hand-made lessons, each type and boundary.
@Suite struct ViewsTests {
    func st(_ segments: [Segment], duration: Double = 2, end: Double = 0, settings: STAnalysis.Settings = .init()) -> STAnalysis {
        STAnalysis(segments: segments, durationMin: duration, endMin: end, settings: settings)
    }

    @Test func lectureLesson() {
        // Samples at 0, 30, 60, 90: T T T S. Rt = 3/4, Ch = (2 - 1)/4.
        let s = st([Segment(start: 0, end: 90, kind: .lecture), Segment(start: 90, end: 120, kind: .read)])
        #expect(s.n == 4 && s.nT == 3 && s.nS == 1 && s.nD == 0)
        #expect(s.rt == 0.75 && s.ch == 0.25 && s.type == .lecture)
    }

    @Test func practiceLesson() {
        // S S S S: Rt 0, Ch 0.
        let s = st([Segment(start: 0, end: 120, kind: .write)])
        #expect(s.rt == 0 && s.ch == 0 && s.type == .practice)
    }

    @Test func dialogueAndMixed() {
        // T S T S: Rt 0.5, Ch 3/4 >= 0.4: dialogue.
        let d = st([Segment(start: 0, end: 30, kind: .lecture), Segment(start: 30, end: 60, kind: .group),
                    Segment(start: 60, end: 90, kind: .lecture), Segment(start: 90, end: 120, kind: .activity)])
        #expect(d.rt == 0.5 && d.ch == 0.75 && d.type == .dialogue)
        // T T S S: Rt 0.5, Ch 1/4: mixed.
        let m = st([Segment(start: 0, end: 60, kind: .lecture), Segment(start: 60, end: 120, kind: .read)])
        #expect(m.rt == 0.5 && m.ch == 0.25 && m.type == .mixed)
        // D D D D: Rt = (0 + 4/2)/4 = 0.5.
        let all = st([Segment(start: 0, end: 120, kind: .discussion)])
        #expect(all.nD == 4 && all.rt == 0.5 && all.type == .mixed)
    }

    @Test func boundariesAndPrecedence() {
        // Rt exactly 0.3 is practice, exactly 0.7 lecture, Ch exactly 0.4 dialogue.
        var settings = STAnalysis.Settings()
        settings.intervalSeconds = 6   // 20 samples over 2 minutes
        let rt03 = st([Segment(start: 0, end: 36, kind: .lecture), Segment(start: 36, end: 120, kind: .read)], settings: settings)
        #expect(rt03.nT == 6 && rt03.n == 20 && rt03.rt == 0.3 && rt03.type == .practice)
        let rt07 = st([Segment(start: 0, end: 84, kind: .lecture), Segment(start: 84, end: 120, kind: .read)], settings: settings)
        #expect(rt07.rt == 0.7 && rt07.type == .lecture)
        // S over D over T where they overlap; a segment ending at t does not cover t.
        let p = st([Segment(start: 0, end: 120, kind: .lecture), Segment(start: 0, end: 60, kind: .discussion),
                    Segment(start: 30, end: 60, kind: .read)])
        #expect(p.codes == [.d, .s, .t, .t])
        // Transition only: unclassified, N = 0, nulls.
        let none = st([Segment(start: 0, end: 120, kind: .transition)])
        #expect(none.n == 0 && none.unclassified == 4 && none.rt == nil && none.ch == nil && none.type == nil)
        // The span runs to the end of an overrun: 3 minutes of samples.
        #expect(st([Segment(start: 0, end: 180, kind: .read)], end: 3).n == 6)
    }

    @Test func profileIntervalsAndBoundaries() {
        // 5 minutes at 120 s: [0,120), [120,240), [240,300): 3 intervals.
        // read 0-120 ends exactly on the boundary: only the first interval.
        // write 119-121: 1 s in each of the first two.
        // lecture 239.5-241: 0.5 s in the second (not counted), 1 s in the third.
        let p = ActivityProfile(segments: [Segment(start: 0, end: 120, kind: .read), Segment(start: 119, end: 121, kind: .write),
                                           Segment(start: 239.5, end: 241, kind: .lecture)],
                                durationMin: 5, width: 120)
        #expect(p.intervals == 3)
        #expect(p.share[.read] == 1.0 / 3)
        #expect(p.share[.write] == 2.0 / 3)
        #expect(p.share[.lecture] == 1.0 / 3)
        #expect(p.share[.group] == 0)
        // Two overlapping half-seconds make one second of the union only when they do not overlap.
        let u = ActivityProfile(segments: [Segment(start: 10, end: 10.5, kind: .group), Segment(start: 10.25, end: 10.75, kind: .group)],
                                durationMin: 2, width: 120)
        #expect(u.share[.group] == 0)
    }
}
