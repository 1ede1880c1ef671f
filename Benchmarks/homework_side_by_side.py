"""`lessonlens homework --by class` beside DuckDB on one generated ledger.

Both compute each class's class-days (the written home minutes a day), their
mean, median, p90 and maximum and the days over the grade's limit; DuckDB
reads the ledger with read_json and every column typed (its fastest way in).
Runs alternate, best of 3; the answers are compared. Peak memory from
/usr/bin/time. usage: python3 Benchmarks/homework_side_by_side.py [SIZE_MB]
"""
import json, os, re, subprocess, sys, time

import duckdb

size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
subprocess.run(["swift", "build", "-c", "release", "--product", "lessonlens", "--scratch-path", ".build-release"],
               cwd=root, check=True, capture_output=True)
binary = os.path.join(root, ".build-release/release/lessonlens")
ledger = f"/tmp/lessonlens-homework-{size_mb}mb.jsonl"
per_assignment = 222  # bytes, the generator's average line
if not os.path.exists(ledger):
    with open(ledger, "w") as f:
        subprocess.run([binary, "generate", "--homework", str(size_mb * 1_000_000 // per_assignment), "--seed", "5"],
                       stdout=f, check=True)
print(f"ledger: {ledger}, {os.path.getsize(ledger) / 1e6:.0f} MB")

COLUMNS = ("{'id':'VARCHAR','date':'DATE','class':'VARCHAR','subject':'VARCHAR','teacher':'VARCHAR','school':'VARCHAR',"
           "'grade':'INTEGER','where':'VARCHAR','kind':'VARCHAR','estimated_min':'DOUBLE','reported_min':'DOUBLE[]',"
           "'tiered':'BOOLEAN','exempt':'INTEGER','graded_on':'DATE','essay':'BOOLEAN','published':'BOOLEAN','notes':'VARCHAR'}")
QUERY = f"""
WITH a AS (SELECT * FROM read_json('{ledger}', format='newline_delimited', columns={COLUMNS})),
days AS (SELECT class, date, first(grade) AS grade,
         sum(CASE WHEN "where" = 'home' AND kind = 'written' THEN estimated_min ELSE 0 END) AS m
         FROM a GROUP BY class, date)
SELECT class, count(*), avg(m), quantile_cont(m, 0.5), quantile_cont(m, 0.9), max(m),
       sum(CASE WHEN m > (CASE WHEN grade <= 2 THEN 0 WHEN grade <= 6 THEN 60 ELSE 90 END) THEN 1 ELSE 0 END)
FROM days GROUP BY class ORDER BY class
"""

def timed(command):
    t = time.time()
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, capture_output=True, text=True, check=True)
    return time.time() - t, int(out.stderr.strip().splitlines()[-1]), out.stdout

duck_script = ("import duckdb, json, sys; rows = duckdb.connect().execute(sys.argv[1]).fetchall(); "
               "print(json.dumps(rows))")
best = {}
answers = {}
for round in range(3):
    for name, command in [("lessonlens, 1 thread", [binary, "homework", "--format", "json", "-q", "--threads", "1", ledger]),
                          ("lessonlens, 2 threads", [binary, "homework", "--format", "json", "-q", "--threads", "2", ledger]),
                          ("duckdb read_json typed", [sys.executable, "-c", duck_script, QUERY])]:
        seconds, kb, out = timed(command)
        if name not in best or seconds < best[name][0]:
            best[name] = (seconds, kb)
        answers[name] = out
ours = json.loads(answers["lessonlens, 2 threads"])["groups"]
duck = json.loads(answers["duckdb read_json typed"])
for g, row in zip(ours, duck):
    d = g["daily_written_home_min"]
    assert g["key"] == row[0] and d["n"] == row[1] and g["days_over_limit"]["met"] == row[6], (g["key"], row)
    for a, b in [(d["mean"], row[2]), (d["median"], row[3]), (d["p90"], row[4]), (d["max"], row[5])]:
        assert abs(a - b) <= 1e-9 * max(1, abs(b)), (g["key"], a, b)
print("answers: equal for every class")
floor = best["duckdb read_json typed"][0]
for name, (seconds, kb) in best.items():
    print(f"{name:26s} {seconds:6.2f} s  {os.path.getsize(ledger) / 1e6 / seconds:7.0f} MB/s  peak {kb / 1024:6.0f} MB"
          f"  {seconds / floor:5.2f}× DuckDB's time")
