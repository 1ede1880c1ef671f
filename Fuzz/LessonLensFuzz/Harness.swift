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
///     as evaluating the lines one by one with the decoder.
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

    /// The reference: each line decoded and evaluated on its own, duplicates
    /// decided in order, as the format says.
    static func lineByLine(_ input: [UInt8]) -> [String] {
        input.withUnsafeBufferPointer { all in
            var bytes = all
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeBufferPointer(rebasing: bytes[3...]) }
            var decoder = LessonDecoder()
            var evaluator = LessonEvaluator()
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
