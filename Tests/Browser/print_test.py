#!/usr/bin/env python3
"""The report pages on paper and on a phone: each page (overview, teacher,
lesson, brief; zh and en) laid out for A4 print (Chromium's print media at
the printable width of A4 with 10 mm margins) and on a 390 px phone must fit
its width (nothing cut at the right edge), hide the navigation and filter
form on paper, and print to PDF. usage: print_test.py LESSONLENS_BINARY
Prints 'N passed, M failed' and exits 1 on any failure."""
import os, subprocess, sys, tempfile, traceback
from playwright.sync_api import sync_playwright

BIN = sys.argv[1]
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
archive = os.path.join(root, "datasets", "semester-2026-autumn.jsonl")
work = tempfile.mkdtemp(prefix="print-")
A4_WIDTH = 718  # (210 mm - 2 × 10 mm) at 96 px per inch

def make(name, *args):
    out = os.path.join(work, name + ".html")
    subprocess.run([BIN, "report", *args, "-q", "--out", out, archive], check=True, capture_output=True)
    return out

first = subprocess.run([BIN, "metrics", "--format", "csv", "-q", archive], capture_output=True, text=True).stdout.splitlines()[1].split(",")
lesson_id, teacher = first[0], first[2]
pages = {}
for lang in ("zh", "en"):
    pages[f"overview-{lang}"] = make(f"overview-{lang}", "--all", "--lang", lang)
    pages[f"teacher-{lang}"] = make(f"teacher-{lang}", "--teacher", teacher, "--lang", lang)
    pages[f"lesson-{lang}"] = make(f"lesson-{lang}", "--lesson", lesson_id, "--lang", lang)
    pages[f"brief-{lang}"] = make(f"brief-{lang}", "--brief", "--lang", lang)

results = []
WIDEST = """() => {
  const w = document.documentElement.clientWidth;
  let worst = null;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1 && getComputedStyle(el).position !== 'fixed') {
      // Inside a box that scrolls on its own (a wide table on a phone) is not cut.
      let p = el.parentElement, scrolls = false;
      while (p && p !== document.body) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') { scrolls = true; break; } p = p.parentElement; }
      if (!scrolls && (!worst || r.right > worst.right)) worst = {tag: el.tagName, cls: el.className && el.className.baseVal !== undefined ? el.className.baseVal : el.className, right: Math.round(r.right), width: w};
    }
  }
  return {scroll: document.documentElement.scrollWidth, width: w, worst};
}"""

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    for name, path in pages.items():
        for medium, width in (("print", A4_WIDTH), ("screen", 390)):
            label = f"{name} {medium} {width}px"
            try:
                page = browser.new_page(viewport={"width": width, "height": 1000})
                page.emulate_media(media=medium)
                page.goto("file://" + path)
                fit = page.evaluate(WIDEST)
                assert fit["worst"] is None and fit["scroll"] <= width + 1, f"cut at the right edge: {fit}"
                if medium == "print":
                    shown = page.evaluate("() => [...document.querySelectorAll('nav, form')].filter(e => getComputedStyle(e).display !== 'none').map(e => e.tagName)")
                    assert not shown, f"shown on paper: {shown}"
                    pdf = page.pdf(format="A4", margin={"top": "10mm", "bottom": "10mm", "left": "10mm", "right": "10mm"})
                    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 1
                page.close()
                results.append((label, None))
            except Exception:
                results.append((label, traceback.format_exc()))
    browser.close()

failed = [(n, e) for n, e in results if e]
for n, e in results:
    print(("ok   " if not e else "FAIL ") + n)
    if e: print(e)
print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
