#!/usr/bin/env python3
"""Rewrites a JSON Lines archive in another writer's layout, same lessons.

Usage: Benchmarks/relayout.py IN OUT [SEED]

Each line: `, ` and `: ` after separators (Python's json.dumps default), keys
in a different order on every line (at every level), each time written as an
integer of seconds, a decimal (`750.0`, `750.25` kept exact) or `"MM:SS"`
(whole seconds only), and names either as pretty Unicode or as `\\u` escapes
(half the lines each). Values are unchanged, so every metric and answer is
the same as on the input. Lines that are not JSON objects are copied as they
are.
"""
import json
import random
import sys

TIME_KEYS = {"start", "end", "t"}


def shuffled(obj, rng):
    if isinstance(obj, dict):
        items = list(obj.items())
        rng.shuffle(items)
        return {k: shuffled(v, rng) for k, v in items}
    if isinstance(obj, list):
        return [shuffled(v, rng) for v in obj]
    return obj


def seconds(v):
    if isinstance(v, str):
        m, s = v.split(":")
        return int(m) * 60 + int(s)
    return v


def retime(obj, rng):
    for seg in obj.get("segments") or []:
        for k in ("start", "end"):
            if k in seg:
                seg[k] = time_form(seconds(seg[k]), rng)
    for p in obj.get("performances") or []:
        if "t" in p:
            p["t"] = time_form(seconds(p["t"]), rng)


def time_form(s, rng):
    r = rng.random()
    if r < 1 / 3 or s != int(s):
        return float(s)  # 750.0: a fraction, the same value
    if r < 2 / 3:
        return int(s)
    s = int(s)
    return f"{s // 60:02d}:{s % 60:02d}"


def main():
    src, dst = sys.argv[1], sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 13)
    with open(src, "rb") as fin, open(dst, "w", encoding="utf-8") as fout:
        for raw in fin:
            try:
                obj = json.loads(raw)
            except ValueError:
                fout.write(raw.decode("utf-8", "replace").rstrip("\n") + "\n")
                continue
            if not isinstance(obj, dict):
                fout.write(raw.decode("utf-8", "replace").rstrip("\n") + "\n")
                continue
            retime(obj, rng)
            fout.write(json.dumps(shuffled(obj, rng), ensure_ascii=rng.random() < 0.5) + "\n")


if __name__ == "__main__":
    main()
