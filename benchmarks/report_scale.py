"""How ``forumclean diff --report`` scales: build time, peak memory and file size over N pages,
and (with Chromium) how long the report takes to open, sort and show a page.

    PYTHONPATH=. python benchmarks/report_scale.py                      # 10 000 fixture copies
    PYTHONPATH=. python benchmarks/report_scale.py --pages ../shared/corpus/html --copies 0
    PYTHONPATH=. python benchmarks/report_scale.py --copies 2000 --no-browser

Pages: the fixtures (or --pages DIR) repeated as symlinks in a temporary folder up to --copies
(0: the folder itself). The report is built by the command line in a fresh process, so its peak
memory (max RSS) is its own. The browser part loads the report in headless Chromium with a probe
appended and reads back, from the page's own clock, when the report's script was ready and how
long a sort by share, a filter and opening the last page took. Not a test: nothing here fails.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

PROBE = """(function () {
  var R = window.forumcleanReport, o = { ready: Math.round(performance.now()) }, a = performance.now();
  document.querySelector('#rows th[data-key="share"]').click();
  o.sort_ms = Math.round(performance.now() - a); a = performance.now();
  var f = document.getElementById("f-warn"); f.value = "-"; f.dispatchEvent(new Event("change"));
  o.filter_ms = Math.round(performance.now() - a); a = performance.now();
  R.open(document.querySelectorAll('script[type="application/json"]').length - 2);
  o.open_page_ms = Math.round(performance.now() - a);
  var pre = document.createElement("pre"); pre.id = "bench"; pre.textContent = JSON.stringify(o);
  document.body.appendChild(pre);
})();"""


def page_folder(source: Path, copies: int, work: Path) -> Path:
    if not copies:
        return source
    pages = sorted(p for p in source.iterdir() if p.suffix in (".html", ".htm", ".txt"))
    folder = work / "pages"
    folder.mkdir()
    for i in range(copies):
        page = pages[i % len(pages)]
        os.symlink(page.resolve(), folder / f"{i:06d}-{page.name}")
    return folder


def build(folder: Path, out: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "forumclean", "diff", "--report", str(out), str(folder)],
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode not in (0, 1):
        sys.exit(proc.stderr)
    return {"build_s": round(wall, 1), "max_rss_mb": round(rss / 1024, 1),
            "report_mb": round(out.stat().st_size / 1e6, 1), "stderr": proc.stderr.strip().splitlines()[-1]}


def open_in_browser(report: Path, work: Path) -> dict | str:
    chromium = shutil.which("chromium")
    if chromium is None:
        return "skipped: no chromium"
    page = report.read_text(encoding="utf-8")
    nonce = re.search(r"'nonce-([^']+)'", page).group(1)
    probed = work / "probed.html"
    probed.write_text(page + f'<script nonce="{nonce}">{PROBE}</script>', encoding="utf-8")
    del page
    start = time.perf_counter()
    proc = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={work / 'profile'}", "--dump-dom",
                           probed.as_uri()], capture_output=True, text=True, timeout=600)
    found = re.search(r'<pre id="bench">(.*?)</pre>', proc.stdout)
    if not found:
        return "probe did not run: " + proc.stderr[-500:]
    result = json.loads(found.group(1).replace("&quot;", '"'))
    result["chromium_wall_s"] = round(time.perf_counter() - start, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, default=ROOT / "fixtures")
    parser.add_argument("--copies", type=int, default=10_000)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="forumclean-report-bench-") as tmp:
        work = Path(tmp)
        folder = page_folder(args.pages, args.copies, work)
        report = work / "report.html"
        figures = build(folder, report)
        print(json.dumps({"pages": str(args.pages), "copies": args.copies, **figures}, ensure_ascii=False))
        if not args.no_browser:
            print(json.dumps({"browser": open_in_browser(report, work)}))


if __name__ == "__main__":
    main()
