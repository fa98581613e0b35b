"""Instructions per page under callgrind: a speed figure a busy machine cannot blur.

    PYTHONPATH=. python benchmarks/instructions.py                 # forumclean, a bare parse, resiliparse
    PYTHONPATH=. python benchmarks/instructions.py --tool lxml-parse --pages DIR

Runs ``valgrind --tool=callgrind`` over one pass and over two passes of the same pages (start-up,
imports and the first pass's warm-up cost the same in both) and reports the difference divided
by the page count: the instructions one more pass costs per page. Deterministic to a fraction of
a percent, so a change of a few percent is visible; slow (minutes per tool). Not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ROOT.parent / "shared" / "corpus" / "html"

_RUN = """
import sys
from pathlib import Path
tool, folder, passes = sys.argv[1], sys.argv[2], int(sys.argv[3])
pages = [p.read_bytes() for p in sorted(Path(folder).glob("*.html"))]
if tool == "lxml-parse":
    import lxml.html
    fn = lxml.html.fromstring
elif tool == "resiliparse":  # as benchmarks/bench.py runs it: main-content text
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import detect_encoding
    from resiliparse.parse.html import HTMLTree
    def fn(data):
        extract_plain_text(HTMLTree.parse_from_bytes(data, detect_encoding(data)), main_content=True)
else:
    import forumclean
    def fn(data):
        try:
            forumclean.extract(data)
        except forumclean.ForumcleanError:
            pass
for _ in range(passes):
    for data in pages:
        fn(data)
"""


def instructions(tool: str, pages: Path, passes: int) -> int:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryDirectory(prefix="forumclean-cg-") as tmp:
        out = Path(tmp) / "callgrind.out"
        res = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                              sys.executable, "-c", _RUN, tool, str(pages), str(passes)],
                             capture_output=True, text=True, env=env)
        match = re.search(r"Collected\s*:\s*(\d+)", res.stderr)
        if res.returncode != 0 or not match:
            raise SystemExit(f"callgrind failed: {res.stderr.strip().splitlines()[-1:]}")
        return int(match.group(1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    ap.add_argument("--tool", action="append", choices=["forumclean", "lxml-parse", "resiliparse"])
    a = ap.parse_args(argv)
    n = len(list(a.pages.glob("*.html")))
    tools = a.tool or ["forumclean", "lxml-parse"] + (["resiliparse"] if find_spec("resiliparse") else [])
    per_page = {}
    for tool in tools:
        per_page[tool] = (instructions(tool, a.pages, 2) - instructions(tool, a.pages, 1)) / n
        print(f"{tool:12s} {per_page[tool] / 1e6:8.3f} M instructions per page", flush=True)
    if "lxml-parse" in per_page:
        for tool in per_page.keys() - {"lxml-parse"}:
            print(f"{tool} = {per_page[tool] / per_page['lxml-parse']:.2f}× a bare lxml parse")
    if {"forumclean", "resiliparse"} <= per_page.keys():
        print(f"forumclean = {per_page['forumclean'] / per_page['resiliparse']:.2f}× resiliparse")
    return 0


if __name__ == "__main__":
    sys.exit(main())
