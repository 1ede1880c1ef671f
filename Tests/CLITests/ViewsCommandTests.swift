import Foundation
import Testing

private func object(_ text: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
}

/// The JSON shapes of agree, reliability, st and profile, exactly as documented.
@Suite struct ViewsCommandTests {
    static let dataset = Helper.root.appendingPathComponent("datasets/two-observers.jsonl").path

    @Test func agreeJSONShape() throws {
        let r = try CLI.run(["agree", "--format", "json", Self.dataset])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try object(r.stdout)
        #expect(Set(doc.keys) == ["visits", "pairs", "samples", "agreement", "kappa", "by_kind", "metrics"])
        #expect(doc["visits"] as? Int == 40 && doc["pairs"] as? Int == 40)
        let kappa = try #require(doc["kappa"] as? [String: Any])
        #expect(Set(kappa.keys) == ["value", "se", "ci95"])
        let value = try #require(kappa["value"] as? Double)
        #expect(value > 0.8 && value <= 1)
        #expect((kappa["ci95"] as? [Double])?.count == 2)
        let byKind = try #require(doc["by_kind"] as? [String: [String: Any]])
        #expect(Set(byKind.keys) == ["read", "write", "homework", "lecture", "discussion", "group", "activity", "transition", "other"])
        #expect(byKind["read"]?["kappa"] is Double)
        let metrics = try #require(doc["metrics"] as? [String: [String: Any]])
        let reading = try #require(metrics["reading_min"])
        #expect(Set(reading.keys) == ["n_visits", "n_logs", "icc", "ci95"])
        #expect(reading["n_visits"] as? Int == 40 && reading["n_logs"] as? Int == 80)
        // The table names the Landis-Koch and Koo-Li words.
        let table = try CLI.run(["agree", Self.dataset])
        #expect(table.stdout.contains("almost perfect") && table.stdout.contains("excellent"))
    }

    @Test func agreeIntervalChangesTheSamples() throws {
        let thirty = try object(try CLI.run(["agree", "--format", "json", Self.dataset]).stdout)
        let sixty = try object(try CLI.run(["agree", "--format", "json", "--interval", "60", Self.dataset]).stdout)
        let a = try #require(thirty["samples"] as? Int), b = try #require(sixty["samples"] as? Int)
        #expect(a > b && b > 0)
        #expect(try CLI.run(["agree", "--interval", "0", Self.dataset]).status == 2)
    }

    @Test func reliabilityJSONShapeAndSummaryFlags() throws {
        let archive = CLI.fixture("stats-archive.jsonl")
        let r = try CLI.run(["reliability", "--format", "json", "--target", "0.7,0.9", archive])
        #expect(r.status == 0)
        let doc = try object(r.stdout)
        #expect(doc["by"] as? String == "teacher")
        let metrics = try #require(doc["metrics"] as? [String: [String: Any]])
        #expect(metrics.count == 18)
        let reading = try #require(metrics["reading_min"])
        #expect(Set(reading.keys) == ["n_groups", "n_lessons", "icc", "ci95", "stable", "visits_needed"])
        let needed = try #require(reading["visits_needed"] as? [String: Any])
        #expect(Set(needed.keys) == ["0.7", "0.9"])
        // Stable exactly when the interval's lower end is above 0; visits needed only then.
        for (name, m) in metrics {
            let low = (m["ci95"] as? [Double])?.first
            #expect(m["stable"] as? Bool == (low.map { $0 > 0 } ?? false), "\(name)")
            if m["stable"] as? Bool != true {
                #expect((m["visits_needed"] as? [String: Any])?.values.allSatisfy { $0 is NSNull } == true, "\(name)")
            }
        }
        // summary: each group needs the most its stable standards' metrics need for 0.7, 4 when none.
        let standardsMetrics = ["reading_min", "writing_min", "independent_performers", "homework_min", "read_passes", "copy_passes", "overrun_min"]
        let stableNeeds = Set(standardsMetrics.compactMap { (metrics[$0]?["visits_needed"] as? [String: Any])?["0.7"] as? Int })
        let summary = try object(try CLI.run(["summary", "--format", "json", archive]).stdout)
        let groups = try #require(summary["groups"] as? [[String: Any]])
        #expect(groups.allSatisfy { ($0["visits_needed"] as? Int).map { stableNeeds.contains($0) || $0 == 4 } ?? false })
        for g in groups {
            let lessons = try #require(g["lessons"] as? Int)
            let few = try #require(g["few_visits_metrics"] as? [String])
            #expect((g["few_visits"] as? Bool) == !few.isEmpty, "\(g["key"] ?? "")")
            // Each metric named needs more visits than the group has.
            for name in few {
                let need = try #require((metrics[name]?["visits_needed"] as? [String: Any])?["0.7"] as? Int)
                #expect(need > lessons, "\(g["key"] ?? "") \(name)")
            }
        }
        #expect(try CLI.run(["reliability", "--target", "1.5", archive]).status == 2)
    }

    @Test func stPerLessonAndPerGroup() throws {
        let r = try CLI.run(["st", "--format", "json", CLI.fixture("good.jsonl")])
        #expect(r.status == 0)
        let rows = try CLI.jsonLines(r.stdout)
        #expect(rows.count == 2)
        #expect(Set(rows[0].keys) == ["id", "n", "n_t", "n_s", "n_d", "n_unclassified", "rt", "ch", "type"])
        // v-0001: lecture 0-4, read 4-12:30, write 12:30-18, discussion 18-30, homework 30-39, 40 minutes at 30 s:
        // 80 samples, T 8, S 17 + 11 + 18 = 46, D 24, unclassified 2 (39:00 and 39:30).
        #expect(rows[0]["id"] as? String == "v-0001")
        #expect(rows[0]["n"] as? Int == 78 && rows[0]["n_t"] as? Int == 8 && rows[0]["n_s"] as? Int == 46 && rows[0]["n_d"] as? Int == 24)
        #expect(rows[0]["n_unclassified"] as? Int == 2)
        #expect(abs((rows[0]["rt"] as? Double ?? 0) - 20.0 / 78) < 1e-12)   // (8 + 24/2) / 78
        #expect(abs((rows[0]["ch"] as? Double ?? 0) - 3.0 / 78) < 1e-12)    // runs T, S (read, write), D, S: 4
        #expect(rows[0]["type"] as? String == "practice")
        let grouped = try object(try CLI.run(["st", "--format", "json", "--by", "teacher", CLI.fixture("good.jsonl")]).stdout)
        #expect(grouped["by"] as? String == "teacher")
        let g = try #require((grouped["groups"] as? [[String: Any]])?.first)
        #expect(Set(g.keys) == ["key", "lessons", "rt", "ch", "types"])
        #expect(Set((g["types"] as? [String: Int] ?? [:]).keys) == ["practice", "lecture", "dialogue", "mixed"])
    }

    @Test func profilePerLesson() throws {
        let r = try CLI.run(["profile", "--format", "json", CLI.fixture("good.jsonl")])
        let rows = try CLI.jsonLines(r.stdout)
        #expect(Set(rows[0].keys) == ["id", "intervals", "share"])
        // 40 minutes in 2-minute intervals: 20. read 4:00-12:30 touches [4,6) .. [12,14): 5 intervals.
        #expect(rows[0]["intervals"] as? Int == 20)
        let share = try #require(rows[0]["share"] as? [String: Double])
        #expect(share["read"] == 0.25)
        #expect(share["lecture"] == 0.1)      // 0-4: two intervals
        #expect(share["homework"] == 0.25)    // 30-39: [30,32) .. [38,40): 5
        #expect(share.count == 9)
    }
}
