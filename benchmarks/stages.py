"""Where extraction time goes, stage by stage, over a folder of pages (CPU ms per page).

    PYTHONPATH=. python benchmarks/stages.py                 # ../shared/corpus/html
    PYTHONPATH=. python benchmarks/stages.py --pages DIR --repeat 10

The stages are those of ``pipeline.run`` (extract mode): read (decode, sniff), parse (the lxml
tree), detect (family), label, walk, line rules, site text, assemble. A bare lxml parse of the
same bytes is timed in the same passes for scale, and so is the least a Python reader of the
tree pays (one pass reading each element's tag, text and tail, over the bodies and over the
whole page): floors no extractor that reads the lxml tree from Python gets under. Not a test.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import lxml.etree  # noqa: E402
import lxml.html  # noqa: E402

from forumclean import assemble, pipeline, textrules  # noqa: E402
from forumclean.blocks import walk  # noqa: E402
from forumclean.errors import ForumcleanError  # noqa: E402
from forumclean.families import detect  # noqa: E402


def stages(data: bytes, clock: collections.Counter) -> None:
    now = time.process_time
    t = now()

    def lap(name: str) -> None:
        nonlocal t
        t2 = now()
        clock[name] += t2 - t
        t = t2

    page = pipeline.read_page(data)
    lap("read")
    if page.input_format == "html":
        _ = page.root  # parsed once, cached on the page
    lap("parse")
    fam = detect(page, None)
    lap("detect")
    labelled = fam.label(page)
    lap("label")
    blocks = labelled.blocks if labelled.blocks is not None else walk(labelled.roots, labelled.verdicts)
    lap("walk")
    blocks, _ = textrules.apply(blocks, jammer_text=labelled.jammer_text)
    lap("line rules")
    blocks, rows = textrules.site_text(blocks, [p.author for p in labelled.doc.posts])
    lap("site text")
    assemble.join_bodies(rows, len(labelled.doc.posts))
    lap("assemble")
    lxml.html.fromstring(data)
    lap("(bare lxml parse)")
    # The least any reader of the tree in Python pays: each element once (lxml's iter(), a fifth
    # of iterwalk's start and end events), reading its tag, text and tail (no decisions, no output).
    _touch(labelled.roots if page.input_format == "html" else [])
    lap("(Python pass over the bodies)")
    _touch([page.root] if page.input_format == "html" else [])
    lap("(Python pass over the page)")


def _touch(roots: list) -> None:
    for root in roots:
        for el in root.iter():
            el.tag, el.text, el.tail  # noqa: B018


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=Path, default=ROOT.parent / "shared" / "corpus" / "html")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    pages = [p.read_bytes() for p in sorted(args.pages.glob("*.html"))]
    if not pages:
        print(f"no *.html pages in {args.pages}", file=sys.stderr)
        return 2
    clock: collections.Counter = collections.Counter()
    for rep in range(args.repeat + 1):
        if rep == 1:
            clock.clear()  # the first pass warms caches and compiles patterns
        for data in pages:
            try:
                stages(data, clock)
            except ForumcleanError:
                pass
    n = args.repeat * len(pages)
    bare = clock.pop("(bare lxml parse)")
    floors = {name: clock.pop(name) for name in ("(Python pass over the bodies)", "(Python pass over the page)")}
    total = sum(clock.values())
    for name, secs in clock.items():
        print(f"{name:12s} {secs / n * 1000:7.3f} ms  {secs / total:6.1%}")
    print(f"{'total':12s} {total / n * 1000:7.3f} ms  = {total / bare:.2f}× a bare lxml parse "
          f"({bare / n * 1000:.3f} ms)")
    # What a parse plus the least possible Python reading of the tree already costs.
    for name, secs in floors.items():
        print(f"floor: bare parse + {name[1:-1]}: {(bare + secs) / n * 1000:.3f} ms = "
              f"{(bare + secs) / bare:.2f}× a bare lxml parse")
    return 0


if __name__ == "__main__":
    sys.exit(main())
