import Benchmark
import LessonLensCore
import LessonLensGenerator
import LessonLensOutput
import LessonLensStatistics

/// Throughput of the core on in-memory data (no file system): parse and
/// validate, per-lesson metrics, and the per-teacher summary. The archive is
/// made once by the generator (same bytes on every machine).
///
/// Wall clock is reported, never gated (this machine is noisy); malloc counts
/// are stable and may be gated with thresholds.
let archive: [UInt8] = {
    let generator = ArchiveGenerator(GeneratorConfig(lessons: 2_000, seed: 42))
    var bytes: [UInt8] = []
    while !generator.isFinished { generator.fill(&bytes, bytes: 1 << 20) }
    return bytes
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 50
    )

    Benchmark("JSON tape only (2,000 lessons, single thread)") { benchmark in
        let tape = JSONTape()
        var entries = 0
        archive.withUnsafeBufferPointer { all in
            var start = 0
            for k in 0..<all.count where all[k] == 0x0A {
                if (try? tape.parse(UnsafeBufferPointer(rebasing: all[start..<k]))) != nil { entries += tape.entries.count }
                start = k + 1
            }
        }
        blackHole(entries)
    }

    Benchmark("decode + validate (2,000 lessons, single thread)") { benchmark in
        var decoder = LessonDecoder()
        var warnings: [FieldIssue] = []
        var accepted = 0
        archive.withUnsafeBufferPointer { all in
            var start = 0
            for k in 0..<all.count where all[k] == 0x0A {
                let line = UnsafeBufferPointer(rebasing: all[start..<k])
                if (try? decoder.decode(line, warnings: &warnings)) != nil { accepted += 1 }
                start = k + 1
            }
        }
        blackHole(accepted)
    }

    // The path every command takes: the one-pass scanner, with the decoder
    // only for lines the scanner leaves to it (none here).
    Benchmark("stream: check only (1 thread)") { benchmark in
        let stream = LessonStream(threads: 1, deliverLessons: false) { _ in () }
        var source = MemorySource(archive)
        try stream.process(&source, name: "bench") { _ in }
        blackHole(stream.counts.accepted)
    }

    Benchmark("stream: metrics of every lesson (1 thread)") { benchmark in
        let stream = LessonStream(threads: 1) { $0.metrics.reading_min }
        var source = MemorySource(archive)
        var total = 0.0
        try stream.process(&source, name: "bench") { if case .accepted(_, let m) = $0 { total += m } }
        blackHole(total)
    }

    Benchmark("stream: metrics of every lesson (2 threads)") { benchmark in
        let stream = LessonStream(threads: 2) { $0.metrics.reading_min }
        var source = MemorySource(archive)
        var total = 0.0
        try stream.process(&source, name: "bench") { if case .accepted(_, let m) = $0 { total += m } }
        blackHole(total)
    }

    // As `lessonlens summary --by teacher` does it: keys and rows made on the
    // workers, only filed by the merging thread.
    Benchmark("summary by teacher (2 threads)") { benchmark in
        let stream = LessonStream(threads: 2, deliverLessons: false) { KeyedRow($0, by: .teacher) }
        var source = MemorySource(archive)
        var grouped = GroupedLessons(by: .teacher)
        try stream.process(&source, name: "bench") { if case .prepared(let keyed) = $0 { grouped.add(keyed) } }
        blackHole(grouped.summaries().count)
    }

    // As `lessonlens metrics --format json` does it.
    Benchmark("metrics JSON lines (2,000 lessons, 1 thread)") { benchmark in
        let stream = LessonStream(threads: 1, deliverLessons: false) { MetricsFormat.jsonLineBytes($0, newline: true) }
        var source = MemorySource(archive)
        var bytes = 0
        try stream.process(&source, name: "bench") { if case .prepared(let line) = $0 { bytes += line.count } }
        blackHole(bytes)
    }
}
