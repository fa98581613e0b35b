"""Time and memory of ``forumclean threads`` over a crawl whose threads are scattered.

Builds THREADS copies of the invented thread in ``fixtures/threads`` (desktop pages 1–3 with page
2 fetched twice, touch pages 1–3, archiver pages 1–2: 9 pages each), each copy with its own
thread id, and spreads the pages over 13 folders so that no thread's pages are adjacent in the
input. Then runs ``forumclean threads -j JOBS`` with the default memory limit and with
``--max-memory SPILL`` (spilling to disk), reports wall time and the main process's peak memory,
and checks that both runs give the same records.

    PYTHONPATH=. python benchmarks/threads.py --threads 1200 --jobs 2 --spill 4
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "fixtures" / "threads"
SKIP = ("gap-", "no-tid", "printable")  # other threads, and the view that states no address


def build(threads: int, folder: Path) -> int:
    sources = {p.name: p.read_text(encoding="utf-8") for p in sorted(PAGES.glob("*.html"))
               if not p.name.startswith(SKIP)}
    n = 0
    for t in range(threads):
        tid = str(100000 + t)
        for name, text in sources.items():
            sub = folder / f"{(n * 7) % 13:02d}"
            sub.mkdir(exist_ok=True)
            (sub / f"{tid}-{name}").write_text(text.replace("8801", tid), encoding="utf-8")
            n += 1
    return n


def run(args: list[str], out: Path) -> tuple[float, int]:
    """Wall seconds and the peak resident memory (KiB) of the command's main process (Linux)."""
    # VmHWM, the peak of this process's own memory: ru_maxrss would also count the memory of
    # the parent that forked it (Linux carries it over exec).
    code = ("import atexit, runpy, sys; sys.argv = ['forumclean'] + sys.argv[1:];"
            "hwm = lambda: next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'));"
            "atexit.register(lambda: sys.stderr.write('maxrss %d\\n' % hwm()));"
            "runpy.run_module('forumclean', run_name='__main__')")
    start = time.perf_counter()
    with open(out, "wb") as fh:
        proc = subprocess.run([sys.executable, "-c", code, *args], stdout=fh, stderr=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    seconds = time.perf_counter() - start
    rss = int(proc.stderr.decode().rsplit("maxrss ", 1)[1].split()[0])
    return seconds, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--spill", type=int, default=4, help="--max-memory (MB) of the spilling run")
    a = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "crawl"
        folder.mkdir()
        pages = build(a.threads, folder)
        results = {}
        for label, extra in (("in memory", []), (f"--max-memory {a.spill}", ["--max-memory", str(a.spill)])):
            out = Path(tmp) / f"{len(results)}.jsonl"
            seconds, rss = run(["threads", "-j", str(a.jobs), *extra, str(folder)], out)
            results[label] = out.read_text(encoding="utf-8").splitlines()
            print(f"{label:>16}: {pages} pages, {len(results[label])} threads, {seconds:.1f} s "
                  f"({pages / seconds:.0f} pages/s), main process peak {rss / 1024:.1f} MB")
        first, second = results.values()
        print("same records:", sorted(first) == sorted(second))


if __name__ == "__main__":
    main()
