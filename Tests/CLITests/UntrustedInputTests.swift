import Foundation
import Testing

private let header = #""date":"2026-03-12","teacher":"T","subject":"chinese","grade":3"#

private func lesson(_ id: String, _ rest: String = #""segments":[]"#) -> String {
    "{\"id\":\"\(id)\",\(header),\(rest)}"
}

private func tempFile(_ name: String, _ data: Data) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID())-\(name)").path
    try data.write(to: URL(fileURLWithPath: path))
    return path
}

/// Numbers from a log never end the run: a line whose counts cannot be
/// represented is rejected with a reason, and every other line is processed.
@Suite struct UntrustedNumberTests {
    @Test func sumsOfPassesThatOverflowRejectTheLineNotTheRun() throws {
        // 1,100 x 899e13 passes (each accepted by the decoder) and 9,300 x
        // 999999999999999 (each read by the scanner) overflow Int.
        let decoderPath = (0..<1100).map { #"{"start":\#($0),"end":\#($0).5,"kind":"read","passes":899e13}"# }
        let scannerPath = (0..<9300).map { #"{"start":\#(Double($0) / 10),"end":\#(Double($0) / 10 + 0.05),"kind":"write","task":"copy","passes":999999999999999}"# }
        let text = [lesson("good-1"),
                    lesson("big-read", "\"segments\":[\(decoderPath.joined(separator: ","))]"),
                    lesson("big-copy", "\"segments\":[\(scannerPath.joined(separator: ","))]"),
                    lesson("good-2")].joined(separator: "\n") + "\n"
        let path = try tempFile("passes.jsonl", Data(text.utf8))
        let r = try CLI.run(["metrics", "--format", "json", "--threads", "1", path])
        #expect(r.status == 1)
        #expect(try CLI.jsonLines(r.stdout).map { $0["id"] as? String } == ["good-1", "good-2"])
        #expect(r.stderr.contains("\(path):2: segments: the read passes add up to more than 9223372036854775807, too large to count"))
        #expect(r.stderr.contains("\(path):3: segments: the copy passes add up to more than 9223372036854775807, too large to count"))
        #expect(r.stderr.contains("2 lessons accepted, 2 rejected"))
    }

    @Test func hugeTimesAndIntegersAreNamedAsSuch() throws {
        let text = [lesson("t", #""segments":[{"start":"99999999999999999999:00","end":"99999999999999999999:00","kind":"read"}]"#),
                    lesson("p", #""period":-9223372036854775808,"segments":[]"#)].joined(separator: "\n")
        let r = try CLI.run(["check", "-"], stdin: Data(text.utf8))
        #expect(r.status == 1)
        #expect(r.stdout.contains("standard input:1: segments[0].start: time 6.000000000000001e+21 s is too large: past duration_min + 60 minutes (100 min)"), "\(r.stdout)")
        #expect(r.stdout.contains("standard input:2: period: integer -9223372036854775808 is out of range"), "\(r.stdout)")
    }

    @Test func implausibleValuesAreAcceptedWithWarnings() throws {
        let text = lesson("w", #""duration_min":1e308,"enrolled":500,"segments":[{"start":0,"end":60,"kind":"read","passes":150},{"start":60,"end":70,"kind":"read","passes":101}]"#)
            + "\n" + lesson("ok", #""duration_min":45,"enrolled":40,"segments":[{"start":0,"end":60,"kind":"read","passes":3}]"#) + "\n"
        let r = try CLI.run(["check", "-"], stdin: Data(text.utf8))
        #expect(r.status == 0)
        #expect(r.stdout.contains("standard input:1: warning: duration_min: 1e+308 minutes is longer than 240 (policy plausible.max_duration_min)"), "\(r.stdout)")
        #expect(r.stdout.contains("standard input:1: warning: enrolled: 500 students is more than 200"))
        #expect(r.stdout.contains("standard input:1: warning: segments[0].passes: 150 passes is more than 100 (policy plausible.max_passes) (and 1 more segment)"))
        #expect(!r.stdout.contains("standard input:2:"))
        #expect(r.stderr.contains("2 lessons accepted, 0 rejected, 3 warnings"))
        // The limits are policy settings.
        let policy = try tempFile("policy.json", Data(#"{"plausible":{"max_duration_min":1e309}}"#.utf8))
        let bad = try CLI.run(["check", "--policy", policy, "-"], stdin: Data(text.utf8))
        #expect(bad.status == 2)
        let loose = try tempFile("loose.json", Data(#"{"plausible":{"max_students":1000,"max_passes":1000}}"#.utf8))
        let l = try CLI.run(["check", "--policy", loose, "-"], stdin: Data(text.utf8))
        #expect(l.stderr.contains("2 lessons accepted, 0 rejected, 1 warning"), "\(l.stderr)")
    }
}

/// One identity rule: ids compare by their Unicode scalars after unescaping.
@Suite struct IdentityRuleTests {
    @Test func composedAndDecomposedIdsAreTwoStudentsWithOrWithoutEscapes() throws {
        let plain = lesson("i1", #""segments":[],"students":[{"id":"é"},{"id":"e\#u{301}"}],"performances":[{"t":1,"student":"é","kind":"answer"}]"#)
        let escaped = lesson("i2", #""segments":[],"students":[{"id":"\u00e9"},{"id":"e\#u{301}"}],"performances":[{"t":1,"student":"e\u0301","kind":"answer"},{"t":2,"student":"é","kind":"answer"}]"#)
        let twice = lesson("i3", #""segments":[],"students":[{"id":"\u00e9"},{"id":"é"}]"#)
        let r = try CLI.run(["metrics", "--format", "json", "-"], stdin: Data((plain + "\n" + escaped + "\n" + twice + "\n").utf8))
        let rows = try CLI.jsonLines(r.stdout)
        #expect(rows.map { $0["id"] as? String } == ["i1", "i2"])
        #expect((rows[1]["metrics"] as? [String: Any])?["independent_performers"] as? Int == 2)
        #expect(r.stderr.contains(#"standard input:3: students[1].id: student "é" appears twice in the roster"#), "\(r.stderr)")
    }

    @Test func lessonIdsCompareByScalars() throws {
        let text = [lesson("\u{e9}"), lesson("e\u{301}"), lesson(#"\u00e9"#)].joined(separator: "\n")
        let r = try CLI.run(["check", "-"], stdin: Data(text.utf8))
        #expect(r.stdout.contains("standard input:3: id: duplicate id"), "\(r.stdout)")
        #expect(r.stderr.contains("2 lessons accepted, 1 rejected"))
    }
}

/// A damaged gzip file loses none of the lines decompressed before the damage.
@Suite struct DamagedGzipTests {
    /// 2,000 lessons, compressed by `gzip`'s own format through zlib (Foundation has no gzip writer here).
    func archive() throws -> (text: String, gz: [UInt8]) {
        let good = try String(contentsOfFile: CLI.fixture("good.jsonl"), encoding: .utf8)
        let first = good.split(separator: "\n")[0]
        var lines: [String] = []
        for k in 0..<2000 { lines.append(first.replacingOccurrences(of: "\"v-0001\"", with: "\"z-\(k)\"")) }
        let text = lines.joined(separator: "\n") + "\n"
        let plain = try tempFile("plain.jsonl", Data(text.utf8))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-kf", plain]
        try p.run()
        p.waitUntilExit()
        return (text, Array(try Data(contentsOf: URL(fileURLWithPath: plain + ".gz"))))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/gzip")))
    func badTrailerKeepsEveryLine() throws {
        var (_, gz) = try archive()
        gz[gz.count - 1] ^= 0xFF   // the length in the trailer
        let path = try tempFile("trailer.jsonl.gz", Data(gz))
        let r = try CLI.run(["check", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("lessonlens: \(path): damaged gzip data (incorrect length check)"), "\(r.stderr)")
        #expect(r.stderr.contains("2000 lessons accepted, 0 rejected, 1 input failed"), "\(r.stderr)")
        // The same on standard input, named as such, and without the .gz ending.
        let s = try CLI.run(["check", "-"], stdin: Data(gz))
        #expect(s.stderr.contains("lessonlens: standard input: damaged gzip data"), "\(s.stderr)")
        #expect(s.stderr.contains("2000 lessons accepted"))
        let bare = try tempFile("trailer-archive", Data(gz))
        let b = try CLI.run(["check", bare])
        #expect(b.stderr.contains("2000 lessons accepted, 0 rejected, 1 input failed"), "\(b.stderr)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/gzip")))
    func truncatedFileIsReportedAsTruncated() throws {
        let (text, gz) = try archive()
        let path = try tempFile("cut.jsonl.gz", Data(gz[0..<(gz.count / 2)]))
        let r = try CLI.run(["check", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("lessonlens: \(path): truncated gzip file"), "\(r.stderr)")
        // Every whole line that was decompressed is counted.
        let z = Process()
        z.executableURL = URL(fileURLWithPath: "/bin/sh")
        z.arguments = ["-c", "gzip -dc < '\(path)' 2>/dev/null | wc -l"]
        let out = Pipe()
        z.standardOutput = out
        try z.run()
        z.waitUntilExit()
        let whole = Int(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))!
        #expect(whole > 0 && whole < text.split(separator: "\n").count)
        #expect(r.stderr.contains("\(whole) lessons accepted"), "\(r.stderr)")
    }

    @Test func gzipWithoutTheEndingIsDetected() throws {
        let path = try tempFile("archive", try Data(contentsOf: URL(fileURLWithPath: CLI.fixture("good.jsonl.gz"))))
        let r = try CLI.run(["check", path])
        #expect(r.status == 0)
        #expect(r.stderr.contains("2 lessons accepted, 0 rejected"), "\(r.stderr)")
    }
}
