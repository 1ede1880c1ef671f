#!/usr/bin/env python3
"""scripts/spark-summary against lessonlens summary, on loopback only:
local[2], then a standalone master and worker started here on 127.0.0.1.

usage: spark_test.py LESSONLENS_BINARY     (prints "N passed, M failed")
Every process this starts is stopped at the end, and every wait is bounded.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "spark-summary")
binary = os.path.abspath(sys.argv[1])
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL " + name + (": " + detail if detail else ""))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spark(master, archives, by):
    r = subprocess.run([sys.executable, SCRIPT, "--master", master, "--by", by, "--format", "json",
                        "--lessonlens", binary] + archives, capture_output=True, text=True, timeout=600)
    return r.returncode, r.stdout, r.stderr


def whole(archives, by):
    r = subprocess.run([binary, "summary", "--by", by, "--format", "json"] + archives, capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout


work = tempfile.mkdtemp(prefix="spark-test-")
# Two archives read as one: visits logged by two observers, broken lines,
# and an id given twice by two teachers whose lessons land in different
# partitions, placed so that taking the partitions in their own order would
# keep the wrong one: the earlier line in the archives must win.
a = os.path.join(work, "a.jsonl")
b = os.path.join(work, "b.jsonl")
gen = subprocess.run([binary, "generate", "--lessons", "250", "--seed", "8", "--teachers", "9", "--observers", "2",
                      "--bad-per-mille", "40"], capture_output=True, text=True, check=True).stdout.splitlines()
partitions = 4   # spark-summary's default


def partition(teacher):
    return zlib.crc32(teacher.encode("utf-8")) % partitions


first = json.loads(gen[0])
twin = None
for line in gen[300:]:
    try:
        candidate = json.loads(line)
    except ValueError:
        continue
    if isinstance(candidate.get("teacher"), str) and partition(candidate["teacher"]) != partition(first["teacher"]):
        twin = candidate
        break
assert twin is not None, "no teacher in another partition"
twin["id"] = first["id"]
twin.pop("visit", None)
twin_line = json.dumps(twin, ensure_ascii=False)
before = partition(twin["teacher"]) > partition(first["teacher"])
with open(a, "w") as f:
    f.write(("%s\n" % twin_line if before else "") + "\n".join(gen[:260]) + "\n")
with open(b, "w") as f:
    f.write("\n".join(gen[260:]) + "\n" + ("" if before else twin_line + "\n"))
archives = [a, b]

for by in ("teacher", "grade"):
    code, expected = whole(archives, by)
    got_code, got, err = spark("local[2]", archives, by)
    check("local[2] --by %s: same summary" % by, got == expected, err[-2000:])
    check("local[2] --by %s: same exit status" % by, got_code == code, "%s vs %s" % (got_code, code))

# A standalone master and worker on loopback: the path a cluster runs.
import pyspark
spark_home = os.path.dirname(pyspark.__file__)
spark_class = os.path.join(spark_home, "bin", "spark-class")
env = dict(os.environ, SPARK_HOME=spark_home, SPARK_LOCAL_IP="127.0.0.1")
port, ui, wui = free_port(), free_port(), free_port()
processes = []
try:
    processes.append(subprocess.Popen([spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                                       "--port", str(port), "--webui-port", str(ui)], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    processes.append(subprocess.Popen([spark_class, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                                       "--webui-port", str(wui), "--cores", "2", "--memory", "1g",
                                       "spark://127.0.0.1:%d" % port], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    alive = False
    for _ in range(120):   # at most 60 s for the worker to register
        try:
            state = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json/" % ui, timeout=2))
            if any(w.get("state") == "ALIVE" for w in state.get("workers", [])):
                alive = True
                break
        except OSError:
            pass
        time.sleep(0.5)
    check("standalone master and worker up on 127.0.0.1", alive)
    if alive:
        code, expected = whole(archives, "teacher")
        got_code, got, err = spark("spark://127.0.0.1:%d" % port, archives, "teacher")
        check("standalone: same summary", got == expected, err[-2000:])
        check("standalone: same exit status", got_code == code)
finally:
    for p in processes:
        p.terminate()
    for p in processes:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
