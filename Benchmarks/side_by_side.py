#!/usr/bin/env python3
"""LessonLens against DuckDB and `cat`, in one run, on two layouts of one archive.

Usage: Benchmarks/side-by-side [SIZE_MB] (default 1000)

1. builds lessonlens (release) and generates an archive of about SIZE_MB
   (no overlapping segments, so that DuckDB's plain sums equal unions), and
   the same lessons in a second layout (`Benchmarks/relayout.py`: spaces
   after separators, keys shuffled per line, times as integers, decimals
   and "MM:SS", names as Unicode or backslash-u escapes);
2. warms the page cache;
3. on each layout times `cat FILE > /dev/null` (the floor), `lessonlens
   summary --by teacher` (2 threads and 1 thread), `lessonlens metrics
   --format json > /dev/null` (2 threads and 1), and DuckDB computing the same per-lesson
   minutes, performers and homework completion and the same per-teacher
   means and standard rates in SQL, two ways: `read_json` with a typed
   column schema (what a DuckDB user would write: DuckDB at its best) and
   `read_ndjson_objects` with `json_extract` per field (the older baseline);
   simdjson's On-Demand walk of the same fields on one thread
   (`Benchmarks/simdjson-walk.cpp`: parsing alone, the reading floor of
   this machine); plus `lessonlens generate`. Each figure is the best of 3 runs, the
   commands taking turns round after round;
4. prints MB/s and ratios, lessons per second of the second layout against
   the first, the peak resident memory of `summary`, how many lines the
   scanner declined to the full decoder (0 expected on valid lines), what
   the issue's targets ask of each core against simdjson's walk, and
   checks that the answers agree: LessonLens's byte for byte across layouts,
   and every teacher's means and rates against each DuckDB query.
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


# What a DuckDB user would write: read_json with a typed schema. Times are
# read as text (numbers become their digits) and converted by `secs`.
DUCKDB_TYPED_SQL = """
CREATE MACRO secs(v) AS CASE WHEN contains(v, ':')
    THEN CAST(split_part(v, ':', 1) AS DOUBLE) * 60 + CAST(split_part(v, ':', 2) AS DOUBLE)
    ELSE CAST(v AS DOUBLE) END;
CREATE TABLE lessons AS SELECT * FROM read_json('{path}', format = 'newline_delimited', columns = {{
    id: 'VARCHAR', teacher: 'VARCHAR',
    segments: 'STRUCT("start" VARCHAR, "end" VARCHAR, kind VARCHAR)[]',
    performances: 'STRUCT(student VARCHAR, kind VARCHAR, independent BOOLEAN)[]',
    homework: 'STRUCT(assigned DOUBLE, completed DOUBLE)'}});
CREATE TABLE per_lesson AS
WITH segs AS (
    SELECT id, s.kind AS kind, secs(s."end") - secs(s."start") AS len FROM (SELECT id, unnest(segments) AS s FROM lessons)),
minutes AS (
    SELECT id, sum(CASE WHEN kind = 'read' THEN len ELSE 0 END) / 60 AS reading_min,
        sum(CASE WHEN kind IN ('write', 'homework') THEN len ELSE 0 END) / 60 AS writing_min
    FROM segs GROUP BY id),
perf AS (
    SELECT id, count(DISTINCT p.student) AS performers
    FROM (SELECT id, unnest(performances) AS p FROM lessons)
    WHERE coalesce(p.independent, true) GROUP BY id)
SELECT l.id, l.teacher, coalesce(m.reading_min, 0) AS reading_min, coalesce(m.writing_min, 0) AS writing_min,
    coalesce(p.performers, 0) AS performers,
    CASE WHEN l.homework.assigned > 0 THEN l.homework.completed / l.homework.assigned END AS homework_completion
FROM lessons l LEFT JOIN minutes m USING (id) LEFT JOIN perf p USING (id);
SELECT teacher, count(*) AS lessons, avg(reading_min), avg(writing_min), avg(performers), avg(homework_completion),
    avg(CASE WHEN reading_min >= 10 AND writing_min >= 10 THEN 1.0 ELSE 0.0 END) AS two_tens,
    avg(CASE WHEN performers >= 18 THEN 1.0 ELSE 0.0 END) AS one_eighteen
FROM per_lesson GROUP BY teacher ORDER BY teacher;
"""

# The older baseline: each field extracted from the JSON text.
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


def duckdb_summary(path, query):
    """DuckDB's answer and its seconds (from the first statement to the
    rows), computed in a child process: DuckDB grows this process by more
    than a GB, and children forked from a big process report its size as
    their peak memory."""
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--duckdb", query, path], check=True,
                         stdout=subprocess.PIPE).stdout
    answer = json.loads(out)
    return [tuple(r) for r in answer["rows"]], answer["seconds"]


def duckdb_child(query, path):
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    start = time.perf_counter()
    sql = DUCKDB_TYPED_SQL if query == "typed" else DUCKDB_SQL
    statements = [s for s in sql.format(path=path).split(";") if s.strip()]
    for s in statements[:-1]:
        con.execute(s)
    rows = con.execute(statements[-1]).fetchall()
    print(json.dumps({"seconds": time.perf_counter() - start, "rows": rows}))


def compare(ours, rows):
    """The worst relative difference between our groups and DuckDB's rows."""
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
    return worst if len(rows) == len(ours) else float("inf")


def simdjson_walk(walker, path):
    """Seconds simdjson's walk takes to parse the file (its own clock: the
    file's load into memory is left out, so the floor is simdjson at its
    best) and its lesson count."""
    out = subprocess.run([walker, path], check=True, stdout=subprocess.PIPE).stdout.decode()
    fields = dict(f.split("=") for f in out.split())
    return float(fields["secs"]), int(fields["lessons"])


def reading_paths(path):
    """The stream's count of lines the scanner declined (LESSONLENS_READING_PATHS)."""
    env = dict(os.environ, LESSONLENS_READING_PATHS="1")
    err = subprocess.run([BIN, "summary", "--by", "all", "--format", "json", path], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).stderr.decode()
    line = [l for l in err.splitlines() if "reading paths" in l][-1]
    return line.split("reading paths: ")[1]


def main():
    size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    workdir = os.environ.get("LESSONLENS_BENCH_DIR", "/tmp/lessonlens-bench")
    os.makedirs(workdir, exist_ok=True)
    lessons = size_mb * 1_000_000 // BYTES_PER_LESSON
    teachers = max(50, lessons // 400)
    path = os.path.join(workdir, f"archive-{size_mb}MB.jsonl")
    path2 = os.path.join(workdir, f"layout2-{size_mb}MB.jsonl")
    gen_cmd = [BIN, "generate", "--lessons", str(lessons), "--seed", "7", "--teachers", str(teachers), "--no-overlaps"]

    subprocess.run(["swift", "build", "-c", "release", "--product", "lessonlens"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    walker = os.path.join(workdir, "simdjson-walk")
    subprocess.run(["g++", "-O3", "-march=native", "-std=c++17", os.path.join(ROOT, "Benchmarks", "simdjson-walk.cpp"),
                    "-lsimdjson", "-o", walker], check=True)
    with open(path, "wb") as out:
        gen_seconds, _ = run(gen_cmd, stdout=out)
    # The second layout is made once per archive (Python takes minutes).
    stamp = path2 + ".source-size"
    if not (os.path.exists(path2) and os.path.exists(stamp) and open(stamp).read() == str(os.path.getsize(path))):
        subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "relayout.py"), path, path2], check=True)
        open(stamp, "w").write(str(os.path.getsize(path)))
    layouts = [("generator", path), ("second", path2)]
    for _, p in layouts:
        for _ in range(2):
            run(f"cat '{p}' > /dev/null")

    # Every figure is the best of REPEATS runs, DuckDB's too: this machine's
    # speed drifts (a fixed Python loop varies by 2x within minutes), and the
    # best run is the least disturbed one. The commands take turns, round
    # after round, so that a slow spell slows all of them rather than one.
    times = {}
    rss = {}
    answers = {}
    for r in range(REPEATS):
        for name, p in layouts:
            def timed(key, seconds):
                times.setdefault((name, key), []).append(seconds)
            timed("cat", run(f"cat '{p}' > /dev/null")[0])
            out_path = os.path.join(workdir, f"summary-{name}.json")
            with open(out_path, "wb") as out:
                seconds, peak = run([BIN, "summary", "-q", "--by", "teacher", "--format", "json", p], stdout=out)
            timed("summary", seconds)
            rss[name] = max(rss.get(name, 0), peak)
            timed("summary1", run([BIN, "summary", "-q", "--threads", "1", "--by", "teacher", "--format", "json", p])[0])
            timed("metrics", run([BIN, "metrics", "-q", "--format", "json", p])[0])
            timed("metrics1", run([BIN, "metrics", "-q", "--threads", "1", "--format", "json", p])[0])
            for query in ("typed", "extract"):
                rows, seconds = duckdb_summary(p, query)
                timed(query, seconds)
                answers[(name, query)] = rows
            seconds, walked = simdjson_walk(walker, p)
            assert walked == lessons, (p, walked, lessons)
            timed("simdjson", seconds)
        print(f"round {r + 1}: " + ", ".join(f"{n} {k} {v[-1]:.2f}s" for (n, k), v in times.items()), flush=True)
    best = {k: min(v) for k, v in times.items()}

    ours = {name: open(os.path.join(workdir, f"summary-{name}.json"), "rb").read() for name, _ in layouts}
    identical = ours["generator"] == ours["second"]
    worst = 0.0
    for name, p in layouts:
        # DuckDB's rows are logs: compare with the summary of logs (the
        # timed summary counts a visit's logs once, and the generator puts
        # some lessons of one teacher in the same date, class and period).
        per_log = subprocess.run([BIN, "summary", "-q", "--per-log", "--by", "teacher", "--format", "json", p],
                                 check=True, capture_output=True).stdout
        groups = {g["key"]: g for g in json.loads(per_log)["groups"]}
        for query in ("typed", "extract"):
            worst = max(worst, compare(groups, answers[(name, query)]))
    agree = worst < 1e-9 and identical

    print(f"archive: {size_mb} MB target, {lessons} lessons, {teachers} teachers; {os.cpu_count()} cores")
    for name, p in layouts:
        mb = os.path.getsize(p) / 1e6
        print(f"\n{name} layout: {p}, {mb:.0f} MB; scanner: {reading_paths(p)}")

        def line(label, key):
            print(f"  {label:<46} {best[(name, key)]:8.2f} s {mb / best[(name, key)]:9.1f} MB/s")
        line("cat FILE > /dev/null (floor)", "cat")
        line("lessonlens summary --by teacher", "summary")
        line("lessonlens summary --by teacher --threads 1", "summary1")
        line("lessonlens metrics --format json > /dev/null", "metrics")
        line("lessonlens metrics --format json --threads 1", "metrics1")
        line("duckdb read_json, typed columns (at its best)", "typed")
        line("duckdb read_ndjson_objects + json_extract", "extract")
        line("simdjson On-Demand walk, 1 thread (parse only)", "simdjson")
        print(f"  summary vs DuckDB typed: {best[(name, 'typed')] / best[(name, 'summary')]:.1f}x faster; "
              f"vs json_extract: {best[(name, 'extract')] / best[(name, 'summary')]:.1f}x; "
              f"threads 2 vs 1: {best[(name, 'summary1')] / best[(name, 'summary')]:.2f}x")
        # ru_maxrss is in KiB: both units, as MB/s above are 10^6 bytes.
        print(f"  peak resident memory of summary: {rss[name] / 1024:.0f} MiB ({rss[name] * 1024 / 1e6:.0f} MB)")
        # Issue 28's targets: one thread within 1.4x (summary) and 1.8x
        # (metrics) of the walk's own clock, as whole commands.
        print(f"  against the walk: summary --threads 1 {best[(name, 'summary1')] / best[(name, 'simdjson')]:.2f}x, "
              f"metrics --threads 1 {best[(name, 'metrics1')] / best[(name, 'simdjson')]:.2f}x")
        # What the targets ask of each of the cores, against what
        # simdjson parses on one (no evaluation, no statistics, no output).
        walk = mb / best[(name, "simdjson")]
        cores = os.cpu_count()
        eightfold = mb / (best[(name, "typed")] / 8) / cores
        print(f"  summary --threads 1 at {mb / best[(name, 'summary1')] / walk:.2f}x simdjson's walk speed; "
              f"8x DuckDB typed needs {eightfold:.0f} MB/s a core ({eightfold / walk:.2f}x the walk), "
              f"1,000 MB/s needs {1000 / cores:.0f} ({1000 / cores / walk:.2f}x)")
    print(f"\nlessons per second, second layout / generator layout: "
          f"{best[('generator', 'summary')] / best[('second', 'summary')]:.2f} (summary), "
          f"{best[('generator', 'metrics')] / best[('second', 'metrics')]:.2f} (metrics)")
    print(f"simdjson's walk, second layout / generator layout (lessons per second): "
          f"{best[('generator', 'simdjson')] / best[('second', 'simdjson')]:.2f}")
    print(f"lessonlens generate: {gen_seconds:.2f} s, {os.path.getsize(path) / 1e6 / gen_seconds:.1f} MB/s")
    print(f"summary byte-identical across layouts: {'yes' if identical else 'NO'}")
    print(f"answers agree with both DuckDB queries on both layouts: {'yes' if agree else 'NO'} "
          f"(worst relative difference {worst:.2e})")
    if not agree:
        sys.exit(1)


if len(sys.argv) == 4 and sys.argv[1] == "--duckdb":
    duckdb_child(sys.argv[2], sys.argv[3])
else:
    main()
