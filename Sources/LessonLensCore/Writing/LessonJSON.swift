/// A `Lesson` as one line of an observation log (observation-log-v1), for
/// programs that make lessons from other records (a spreadsheet, COPUS, BORIS)
/// rather than copying lines they read. Fields in the format's order; optional
/// fields only when set; times in whole seconds as `"M:SS"`, other times as
/// seconds; the extensions `visit` and `notes` only when set. Reading the line
/// back gives the same lesson.
public enum LessonJSON {
    /// The lesson as one JSON object, without a line end.
    public static func line(_ lesson: Lesson) -> String {
        var s = "{\"id\":" + jsonQuoted(lesson.id) + ",\"date\":\"" + lesson.date.description + "\""
        s += ",\"teacher\":" + jsonQuoted(lesson.teacher) + ",\"subject\":" + jsonQuoted(lesson.subject)
        s += ",\"grade\":\(lesson.grade)"
        if let v = lesson.className { s += ",\"class\":" + jsonQuoted(v) }
        if let v = lesson.school { s += ",\"school\":" + jsonQuoted(v) }
        if let v = lesson.observer { s += ",\"observer\":" + jsonQuoted(v) }
        if let v = lesson.period { s += ",\"period\":\(v)" }
        if lesson.durationMin != Lesson.defaultDurationMin { s += ",\"duration_min\":" + number(lesson.durationMin) }
        if let v = lesson.enrolled { s += ",\"enrolled\":\(v)" }
        if let v = lesson.present { s += ",\"present\":\(v)" }
        if let students = lesson.students {
            s += ",\"students\":[" + students.map { st in
                "{\"id\":" + jsonQuoted(st.id) + (st.tier.map { ",\"tier\":\"\($0.rawValue)\"" } ?? "") + "}"
            }.joined(separator: ",") + "]"
        }
        s += ",\"segments\":[" + lesson.segments.map { g in
            var o = "{\"start\":" + time(g.start) + ",\"end\":" + time(g.end) + ",\"kind\":\"\(g.kind.rawValue)\""
            if let p = g.passes { o += ",\"passes\":\(p)" }
            if let t = g.task { o += ",\"task\":" + jsonQuoted(t) }
            if let n = g.notes { o += ",\"notes\":" + jsonQuoted(n) }
            return o + "}"
        }.joined(separator: ",") + "]"
        if !lesson.performances.isEmpty {
            s += ",\"performances\":[" + lesson.performances.map { p in
                "{\"t\":" + time(p.t) + ",\"student\":" + jsonQuoted(p.student) + ",\"kind\":\"\(p.kind.rawValue)\""
                    + (p.independent ? "" : ",\"independent\":false") + "}"
            }.joined(separator: ",") + "]"
        }
        if let h = lesson.homework {
            s += ",\"homework\":{\"assigned\":\(h.assigned),\"completed\":\(h.completed)" + (h.correct.map { ",\"correct\":\($0)" } ?? "") + "}"
        }
        if !lesson.tags.isEmpty { s += ",\"tags\":[" + lesson.tags.map(jsonQuoted).joined(separator: ",") + "]" }
        if let v = lesson.visit { s += ",\"visit\":" + jsonQuoted(v) }
        if let v = lesson.notes { s += ",\"notes\":" + jsonQuoted(v) }
        return s + "}"
    }

    /// Whole seconds as `"M:SS"`; a fraction of a second as a number of seconds.
    public static func time(_ t: LessonTime) -> String {
        guard t >= 0, t == t.rounded(), t < 1e12 else { return number(t) }
        let k = Int(t)
        return "\"\(k / 60):" + (k % 60 < 10 ? "0" : "") + "\(k % 60)\""
    }

    /// Whole numbers without a fraction; others at full precision.
    static func number(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }
}
