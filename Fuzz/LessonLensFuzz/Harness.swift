import LessonLensCore
import LessonLensGenerator
import LessonLensOutput
import LessonLensStatistics

/// The fuzz harness's checks on one input (bytes of a JSON Lines archive).
/// Any difference ends the process (`fatalError`), which libFuzzer reports
/// as a crash and keeps:
///
/// (a) nothing crashes;
/// (b) where the fast scanner accepts a line, the full decoder accepts it
///     with the same values, bit for bit (the stream with timelines uses the
///     decoder for every line; without, the scanner where it can);
/// (c) the stream with 1 and 2 threads and tiny chunks gives the same events
///     as evaluating the lines one by one with the decoder;
/// (d) line by line, where the scanner accepts a line the decoder accepts it
///     without a warning, and every field the decoder keeps is the same:
///     the identity (id, date, teacher, subject, grade, class, school,
///     observer, present, tags, period, visit), the facts the metrics read
///     (duration, segments, performances with their students' numbers, the
///     roster's tiers, homework) and the metrics and standards bit for bit.
///     (`notes` the scanner only checks: it is kept with timelines, which the
///     decoder makes; a line whose notes the decoder refuses fails here.)
///
/// Three readings of each input (the reference and two streams), since the
/// run's cost is in bytes read under AddressSanitizer and comparison tracing.
enum Harness {
    static func check(_ bytes: [UInt8]) {
        let reference = lineByLine(bytes)
        // The 2-thread run reads with the decoder on every line (as with
        // timelines) for inputs of odd length, with the scanner for even: both
        // paths through tiny chunks, at the cost of one run, not two.
        let decoderEverywhere = bytes.count % 2 == 1
        let runs: [(String, [String])] = [
            ("scanner, 1 thread", stream(bytes, threads: 1, chunk: 1 << 16, timelines: false)),
            ("\(decoderEverywhere ? "decoder" : "scanner"), 2 threads, 64-byte chunks",
             stream(bytes, threads: 2, chunk: 64, timelines: decoderEverywhere)),
        ]
        for (name, events) in runs where events != reference {
            let k = zip(events, reference).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(events.count, reference.count)
            fatalError("\(name) differs from line-by-line decoding at event \(k): \(k < events.count ? events[k] : "none") vs \(k < reference.count ? reference[k] : "none")")
        }
    }

    static func describe(_ e: EvaluatedLesson) -> String {
        let metrics = Metric.allCases.map { e.metrics[$0].map { String($0.bitPattern, radix: 16) } ?? "null" }
        let standards = Standard.allCases.map { e.standards[$0].map { $0 ? "1" : "0" } ?? "-" }
        return "A \(e.id) \(metrics.joined(separator: ",")) \(standards.joined())"
    }

    static func stream(_ bytes: [UInt8], threads: Int, chunk: Int, timelines: Bool) -> [String] {
        let stream = LessonStream(threads: threads, chunkSize: chunk, keepTimelines: timelines) { $0 }
        var source = MemorySource(bytes)
        var events: [String] = []
        do {
            try stream.process(&source, name: "fuzz") { event in
                switch event {
                case .accepted(let e, _): events.append(describe(e))
                case .prepared(let e): events.append(describe(e))
                case .rejected(let d, _): events.append("R \(d.line) \(d.issue.field): \(d.issue.reason)")
                case .warning(let d): events.append("W \(d.line) \(d.issue.field): \(d.issue.reason)")
                }
            }
        } catch {
            fatalError("the stream threw on bytes in memory: \(error)")
        }
        return events
    }

    /// (d): the scanner's reading of a line against the decoder's, field by field.
    static func compare(_ fast: EvaluatedLesson, _ facts: LessonFacts, _ slow: EvaluatedLesson,
                        decoder: inout LessonDecoder, line: [UInt8], number: Int) {
        func differs(_ what: String, _ a: Any, _ b: Any) -> Never {
            fatalError("line \(number): the scanner reads \(what) as \(a), the decoder as \(b)")
        }
        if fast.id != slow.id { differs("id", fast.id, slow.id) }
        if fast.date != slow.date { differs("date", fast.date, slow.date) }
        if fast.teacher != slow.teacher { differs("teacher", fast.teacher, slow.teacher) }
        if fast.subject != slow.subject { differs("subject", fast.subject, slow.subject) }
        if fast.grade != slow.grade { differs("grade", fast.grade, slow.grade) }
        if fast.className != slow.className { differs("class", fast.className as Any, slow.className as Any) }
        if fast.school != slow.school { differs("school", fast.school as Any, slow.school as Any) }
        if fast.observer != slow.observer { differs("observer", fast.observer as Any, slow.observer as Any) }
        if fast.present != slow.present { differs("present", fast.present as Any, slow.present as Any) }
        if fast.tags != slow.tags { differs("tags", fast.tags, slow.tags) }
        if fast.period != slow.period { differs("period", fast.period as Any, slow.period as Any) }
        if fast.visit != slow.visit { differs("visit", fast.visit as Any, slow.visit as Any) }
        if describe(fast) != describe(slow) { differs("metrics and standards", describe(fast), describe(slow)) }
        var warnings: [FieldIssue] = []
        guard let lesson = line.withUnsafeBufferPointer({ try? decoder.decode($0, warnings: &warnings) }) else {
            fatalError("line \(number): decoded once, not twice")
        }
        var expected = LessonFacts()
        expected.load(lesson)
        if facts != expected { differs("the facts", facts, expected) }
    }

    /// The reference: each line decoded and evaluated on its own, duplicates
    /// decided in order, as the format says.
    static func lineByLine(_ input: [UInt8]) -> [String] {
        input.withUnsafeBufferPointer { all in
            var bytes = all
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeBufferPointer(rebasing: bytes[3...]) }
            var decoder = LessonDecoder()
            var evaluator = LessonEvaluator()
            // One scanner for the whole input, as a stream's worker keeps one:
            // it remembers names and tag lists from line to line.
            var scanner = LessonScanner()
            var scannerEvaluator = LessonEvaluator()
            let policy = Policy.default
            var seen = Set<ScalarIdentity>()
            var events: [String] = []
            var number = 0
            var lineStart = 0
            // Lines end at each LF; a last line without one still counts.
            while lineStart < bytes.count {
                let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
                defer { lineStart = lineEnd + 1 }
                number += 1
                let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                var warnings: [FieldIssue] = []
                // A copy of its own, so that AddressSanitizer sees a read past the line.
                let outcome: Result<EvaluatedLesson, FieldIssue> = Array(line).withUnsafeBufferPointer { raw in
                    do throws(FieldIssue) {
                        let lesson = try decoder.decode(raw, warnings: &warnings)
                        let (m, s) = try evaluator.evaluate(lesson, policy: policy)
                        warnings += policy.implausibilities(durationMin: lesson.durationMin, enrolled: lesson.enrolled, present: lesson.present,
                                                            rosterCount: lesson.students?.count, passes: lesson.segments.lazy.map { $0.passes ?? -1 })
                        return .success(EvaluatedLesson(lesson, metrics: m, standards: s))
                    } catch {
                        return .failure(error)
                    }
                }
                // (d): the scanner on a copy of its own.
                let scanned = Array(line).withUnsafeBufferPointer { raw in
                    scanner.evaluate(raw, policy: policy, evaluator: &scannerEvaluator).map { ($0, scanner.lastFacts) }
                }
                if let (fast, facts) = scanned {
                    guard case .success(let slow) = outcome, warnings.isEmpty else {
                        fatalError("line \(number): the scanner accepts a line the decoder rejects or warns about: \(outcome) \(warnings)")
                    }
                    compare(fast, facts, slow, decoder: &decoder, line: Array(line), number: number)
                }
                for w in warnings { events.append("W \(number) \(w.field): \(w.reason)") }
                switch outcome {
                case .success(let e):
                    if seen.insert(ScalarIdentity(e.id)).inserted {
                        events.append(describe(e))
                    } else {
                        events.append("R \(number) id: duplicate id \"\(e.id)\": a lesson with this id was already accepted")
                    }
                case .failure(let issue):
                    events.append("R \(number) \(issue.field): \(issue.reason)")
                }
            }
            return events
        }
    }
}
