"""Throughput of the plain CLI batch and of a datatrove pipeline over the same pages.

Builds N page records by cycling through a folder of HTML pages (default: the real-page corpus
beside the checkout), written once as plain files and once as WARC.gz files, in a temporary
folder that is removed afterwards. Then times:

- ``forumclean extract --format jsonl`` over the HTML files, and over the WARC files;
- ``WarcPageReader → ForumcleanExtractor → JsonlWriter`` on datatrove's LocalPipelineExecutor.

    PYTHONPATH=. python benchmarks/scale_out.py --records 2000 --warcs 4 --workers 1 2 --repeat 2

Needs the warc and datatrove extras. Pages/s counts every record, whatever came of it; each
figure is the best of ``--repeat`` runs (the machine may be shared). CPU seconds (this process
and the children it waited for) are shown where they are all counted: not for a datatrove pool,
whose workers are children of a forkserver.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(pages: list[Path], records: int, warcs: int, folder: Path) -> tuple[Path, Path]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    html_dir, warc_dir = folder / "html", folder / "warc"
    html_dir.mkdir()
    warc_dir.mkdir()
    writers = []
    for k in range(warcs):
        fh = open(warc_dir / f"part-{k:03d}.warc.gz", "wb")
        writers.append((fh, WARCWriter(fh, gzip=True)))
    for i, page in enumerate(islice(cycle(pages), records)):
        data = page.read_bytes()
        (html_dir / f"{i:05d}.html").write_bytes(data)
        fh, writer = writers[i % warcs]
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://crawl.example/{i}.html", "response",
                                                      payload=io.BytesIO(data), http_headers=http))
    for fh, _ in writers:
        fh.close()
    return html_dir, warc_dir


def cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(fn, repeat: int) -> tuple[float, float]:
    """Best wall time and the CPU time of that run."""
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        cpu, start = cpu_seconds(), time.perf_counter()
        fn()
        wall = time.perf_counter() - start
        if wall < best[0]:
            best = (wall, cpu_seconds() - cpu)
    return best


def cli_run(args: list[str], cwd: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "forumclean", "extract", "--format", "jsonl", *args],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env, check=False)


def datatrove_run(warc_dir: Path, out: Path, tasks: int, workers: int) -> None:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.writers import JsonlWriter

    from forumclean.contrib.datatrove import ForumcleanExtractor, WarcPageReader

    LocalPipelineExecutor([WarcPageReader(str(warc_dir)), ForumcleanExtractor(), JsonlWriter(str(out / "data"))],
                          tasks=tasks, workers=workers, logging_dir=str(out / "logs"),
                          skip_completed=False).run()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, default=ROOT.parent / "shared" / "corpus" / "html")
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--warcs", type=int, default=4, help="WARC files (= datatrove tasks)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    pages = sorted(a.pages.glob("*.html"))
    if not pages:
        sys.exit(f"no .html pages in {a.pages}")
    from loguru import logger

    logger.remove()  # datatrove logs every task; keep the report readable
    with tempfile.TemporaryDirectory(prefix="forumclean-bench-") as tmp:
        folder = Path(tmp)
        html_dir, warc_dir = build(pages, a.records, a.warcs, folder)
        size = sum(p.stat().st_size for p in html_dir.iterdir()) / 1e6
        print(f"{a.records} records from {len(pages)} pages ({size:.0f} MB of HTML), {a.warcs} WARC files, "
              f"{os.cpu_count()} CPUs")
        warcs = sorted(str(p) for p in warc_dir.iterdir())
        rows = [("CLI, HTML files", True, timed(lambda: cli_run([str(html_dir)], folder), a.repeat)),
                ("CLI, WARC files", True, timed(lambda: cli_run(warcs, folder), a.repeat))]
        for workers in a.workers:
            out = folder / f"dt{workers}"
            rows.append((f"datatrove local, {a.warcs} tasks, {workers} workers", workers == 1,
                         timed(lambda out=out, workers=workers: datatrove_run(warc_dir, out, a.warcs, workers),
                               a.repeat)))
        print(f"  {'':<40} {'wall':>7}  {'pages/s':>8}  {'CPU s':>6}  {'ms CPU/page':>11}")
        for name, cpu_known, (wall, cpu) in rows:
            cpu_cols = f"{cpu:6.1f}  {cpu / a.records * 1000:11.1f}" if cpu_known else f"{'-':>6}  {'-':>11}"
            print(f"  {name:<40} {wall:6.1f}s  {a.records / wall:8.1f}  {cpu_cols}")
        print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

if __name__ == "__main__":
    main()
