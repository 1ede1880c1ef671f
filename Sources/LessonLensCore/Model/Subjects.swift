/// One name per school subject, whatever language or spelling a log uses:
/// `语文`, `Chinese` and `chinese` are one subject. Policies match subjects
/// by it and `--by subject` groups by it (docs/observation-log-v1.md,
/// "Subjects").
public enum Subjects {
    /// Canonical name → the other names it is written with (matched without
    /// regard to case).
    public static let aliases: [(canonical: String, names: [String])] = [
        ("chinese", ["语文", "chinese", "yuwen", "chinese language"]),
        ("math", ["数学", "math", "maths", "mathematics", "shuxue"]),
        ("english", ["英语", "english", "yingyu"]),
        ("science", ["科学", "science"]),
        ("physics", ["物理", "physics"]),
        ("chemistry", ["化学", "chemistry"]),
        ("biology", ["生物", "biology"]),
        ("history", ["历史", "history"]),
        ("geography", ["地理", "geography"]),
        ("politics", ["道德与法治", "道法", "政治", "思想政治", "politics", "morality", "morality and law"]),
        ("music", ["音乐", "music"]),
        ("art", ["美术", "art", "fine art", "arts"]),
        ("pe", ["体育", "体育与健康", "pe", "p.e.", "physical education"]),
        ("it", ["信息技术", "信息科技", "it", "ict", "information technology"]),
    ]

    private static let table: [String: String] = {
        var t: [String: String] = [:]
        for (canonical, names) in aliases {
            for name in names { t[name.lowercased()] = canonical }
        }
        return t
    }()

    /// The subject's canonical name: an alias's, else the name as written
    /// in lower case (so that `Drama` and `drama` are one subject too).
    public static func canonical(_ subject: String) -> String {
        // Most logs already write the canonical name: no lowercasing then.
        if let hit = table[subject] { return hit }
        let lower = subject.lowercased()
        return table[lower] ?? lower
    }
}
