#!/usr/bin/env python3
"""LessonLens against DuckDB and `cat`, in one run, on one generated archive.

Usage: Benchmarks/side-by-side [SIZE_MB] (default 1000)

1. builds lessonlens (release) and generates an archive of about SIZE_MB
   (no overlapping segments, so that DuckDB's plain sums equal unions);
2. warms the page cache;
3. times `cat FILE > /dev/null` (the floor), `lessonlens summary --by teacher`
   (2 threads and 1 thread), `lessonlens metrics --format json > /dev/null`,
   `lessonlens generate`, and DuckDB computing the same per-lesson minutes,
   performers and homework completion and the same per-teacher means and
   standard rates in SQL; each (but `generate`, which writes the archive) is
   the best of 3 runs, DuckDB included, the commands taking turns round
   after round;
4. prints MB/s and ratios, the peak resident memory of `summary`, and checks
   that both answers agree on every teacher's means and rates.
"""
import json
import os
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "lessonlens")
BYTES_PER_LESSON = 2560  # what the generator writes on average
REPEATS = 3


def run(cmd, stdout=subprocess.DEVNULL):
    """Wall seconds and peak RSS (KiB) of a command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL, shell=isinstance(cmd, str))
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0,):
        sys.exit(f"side-by-side: {cmd} exited {code}")
    return elapsed, usage.ru_maxrss


DUCKDB_SQL = """
CREATE MACRO secs(v) AS CASE WHEN json_type(v) = 'VARCHAR'
    THEN CAST(split_part(v->>'$', ':', 1) AS DOUBLE) * 60 + CAST(split_part(v->>'$', ':', 2) AS DOUBLE)
    ELSE CAST(v AS DOUBLE) END;
CREATE TABLE lessons AS SELECT json->>'$.id' AS id, json->>'$.teacher' AS teacher, json AS j
    FROM read_ndjson_objects('{path}');
CREATE TABLE per_lesson AS
WITH segs AS (
    SELECT id, s->>'$.kind' AS kind, secs(s->'$.end') - secs(s->'$.start') AS len
    FROM (SELECT id, unnest(json_extract(j, '$.segments[*]')) AS s FROM lessons)),
minutes AS (
    SELECT id,
        sum(CASE WHEN kind = 'read' THEN len ELSE 0 END) / 60 AS reading_min,
        sum(CASE WHEN kind IN ('write', 'homework') THEN len ELSE 0 END) / 60 AS writing_min
    FROM segs GROUP BY id),
perf AS (
    SELECT id, count(DISTINCT p->>'$.student') AS performers
    FROM (SELECT id, unnest(json_extract(j, '$.performances[*]')) AS p FROM lessons)
    WHERE coalesce(p->>'$.independent', 'true') <> 'false'
    GROUP BY id)
SELECT l.id, l.teacher,
    coalesce(m.reading_min, 0) AS reading_min, coalesce(m.writing_min, 0) AS writing_min,
    coalesce(p.performers, 0) AS performers,
    CASE WHEN CAST(l.j->>'$.homework.assigned' AS DOUBLE) > 0
        THEN CAST(l.j->>'$.homework.completed' AS DOUBLE) / CAST(l.j->>'$.homework.assigned' AS DOUBLE) END AS homework_completion
FROM lessons l LEFT JOIN minutes m USING (id) LEFT JOIN perf p USING (id);
SELECT teacher, count(*) AS lessons, avg(reading_min), avg(writing_min), avg(performers), avg(homework_completion),
    avg(CASE WHEN reading_min >= 10 AND writing_min >= 10 THEN 1.0 ELSE 0.0 END) AS two_tens,
    avg(CASE WHEN performers >= 18 THEN 1.0 ELSE 0.0 END) AS one_eighteen
FROM per_lesson GROUP BY teacher ORDER BY teacher;
"""


def duckdb_summary(path):
    """DuckDB's answer and its seconds (from the first statement to the
    rows), computed in a child process: DuckDB grows this process by more
    than a GB, and children forked from a big process report its size as
    their peak memory."""
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--duckdb", path], check=True,
                         stdout=subprocess.PIPE).stdout
    answer = json.loads(out)
    return [tuple(r) for r in answer["rows"]], answer["seconds"]


def duckdb_child(path):
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    start = time.perf_counter()
    statements = [s for s in DUCKDB_SQL.format(path=path).split(";") if s.strip()]
    for s in statements[:-1]:
        con.execute(s)
    rows = con.execute(statements[-1]).fetchall()
    print(json.dumps({"seconds": time.perf_counter() - start, "rows": rows}))


def main():
    size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    workdir = os.environ.get("LESSONLENS_BENCH_DIR", "/tmp/lessonlens-bench")
    os.makedirs(workdir, exist_ok=True)
    lessons = size_mb * 1_000_000 // BYTES_PER_LESSON
    teachers = max(50, lessons // 400)
    path = os.path.join(workdir, f"archive-{size_mb}MB.jsonl")
    gen_cmd = [BIN, "generate", "--lessons", str(lessons), "--seed", "7", "--teachers", str(teachers), "--no-overlaps"]

    subprocess.run(["swift", "build", "-c", "release", "--product", "lessonlens"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    with open(path, "wb") as out:
        gen_seconds, _ = run(gen_cmd, stdout=out)
    size = os.path.getsize(path)
    mb = size / 1e6
    for _ in range(2):
        run(f"cat '{path}' > /dev/null")

    # Every figure is the best of REPEATS runs, DuckDB's too: this machine's
    # speed drifts (a fixed Python loop varies by 2x within minutes), and the
    # best run is the least disturbed one. The commands take turns, round
    # after round, so that a slow spell slows all of them rather than one.
    summary_path = os.path.join(workdir, "summary.json")
    summary_cmd = [BIN, "summary", "-q", "--by", "teacher", "--format", "json", path]
    times = {"cat": [], "summary": [], "summary1": [], "metrics": [], "duckdb": []}
    summary_rss = 0
    rows = None
    for _ in range(REPEATS):
        times["cat"].append(run(f"cat '{path}' > /dev/null")[0])
        with open(summary_path, "wb") as out:
            seconds, rss = run(summary_cmd, stdout=out)
        times["summary"].append(seconds)
        summary_rss = max(summary_rss, rss)
        times["summary1"].append(run([BIN, "summary", "-q", "--threads", "1", "--by", "teacher", "--format", "json", path])[0])
        times["metrics"].append(run([BIN, "metrics", "-q", "--format", "json", path])[0])
        rows, seconds = duckdb_summary(path)
        times["duckdb"].append(seconds)
    cat_s, summary_s, summary1_s, metrics_s, duck_s = (min(times[k]) for k in ("cat", "summary", "summary1", "metrics", "duckdb"))

    ours = {g["key"]: g for g in json.load(open(summary_path))["groups"]}
    worst = 0.0
    for teacher, n, reading, writing, performers, completion, two_tens, one_eighteen in rows:
        g = ours[teacher]
        assert g["lessons"] == n, (teacher, g["lessons"], n)
        pairs = [(g["metrics"]["reading_min"]["mean"], reading), (g["metrics"]["writing_min"]["mean"], writing),
                 (g["metrics"]["independent_performers"]["mean"], performers),
                 (g["metrics"]["homework_completion"]["mean"], completion),
                 (g["standards"]["two_tens"]["rate"], two_tens), (g["standards"]["one_eighteen"]["rate"], one_eighteen)]
        for a, b in pairs:
            if a is None or b is None:
                assert a is None and b is None, (teacher, a, b)
                continue
            worst = max(worst, abs(a - b) / max(1.0, abs(b)))
    agree = worst < 1e-9 and len(rows) == len(ours)

    def line(name, seconds):
        print(f"{name:<44} {seconds:8.2f} s {mb / seconds:9.1f} MB/s")
    print(f"archive: {path}, {mb:.0f} MB, {lessons} lessons, {teachers} teachers; {os.cpu_count()} cores")
    line("cat FILE > /dev/null (floor)", cat_s)
    line("lessonlens summary --by teacher", summary_s)
    line("lessonlens summary --by teacher --threads 1", summary1_s)
    line("lessonlens metrics --format json > /dev/null", metrics_s)
    line("duckdb (same per-lesson and per-teacher SQL)", duck_s)
    line("lessonlens generate", gen_seconds)
    print(f"summary vs DuckDB: {duck_s / summary_s:.1f}x faster; threads 2 vs 1: {summary1_s / summary_s:.2f}x; "
          f"floor is {summary_s / cat_s:.1f}x faster than summary")
    print(f"peak resident memory of summary: {summary_rss / 1024:.0f} MB")
    print(f"answers agree on {len(rows)} teachers' means and rates: {'yes' if agree else 'NO'} (worst relative difference {worst:.2e})")
    if not agree:
        sys.exit(1)


if len(sys.argv) == 3 and sys.argv[1] == "--duckdb":
    duckdb_child(sys.argv[2])
else:
    main()
