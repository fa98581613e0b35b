"""Snapshot forumclean's output on every page, dump and fixture, and compare two snapshots.

    PYTHONPATH=. python benchmarks/snapshot.py write /tmp/snap-before
    PYTHONPATH=. python benchmarks/snapshot.py check /tmp/snap-before   # after a change

Written per input: the ``extract`` JSON (as ``forumclean extract -f json`` prints it) of every
corpus HTML page, corpus text dump and fixture, and the ``diff --format json`` record of every
corpus HTML page and HTML fixture. ``check`` writes a fresh snapshot beside the given one and
lists every input whose output is not byte-identical. Keep snapshots outside the checkout: they
hold text of the third-party corpus pages. Not a test: a tool for changes that must not change
output (speed work).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forumclean import diff, extract  # noqa: E402
from forumclean.errors import ForumcleanError  # noqa: E402
from forumclean.render import render  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def inputs() -> list[tuple[str, Path, bool]]:
    """(snapshot name, path, also diff it) for every input snapshotted."""
    out = [(f"html-{p.name}", p, True) for p in sorted((CORPUS / "html").glob("*.html"))]
    out += [(f"text-{p.name}", p, False) for p in sorted((CORPUS / "text").glob("*.txt"))]
    fixtures = ROOT / "fixtures"
    out += [("fixture-" + str(p.relative_to(fixtures)).replace("/", "-"), p, p.suffix == ".html")
            for p in sorted(fixtures.rglob("*")) if p.suffix in (".html", ".txt")]
    out += [(f"sample-{p.name}", p, False) for p in sorted((CORPUS.parent / "samples").glob("*.txt"))]
    return out


def outputs(path: Path, with_diff: bool) -> dict[str, str]:
    data = path.read_bytes()
    out: dict[str, str] = {}
    try:
        out["extract.json"] = render(extract(data, input_name=path.name), "json")
    except ForumcleanError as exc:
        out["extract.json"] = f"error: {exc}\n"
    if with_diff:
        try:
            result = diff.explain(data)
            out["diff.json"] = json.dumps(diff.to_json(result, path.name), ensure_ascii=False, indent=2) + "\n"
        except ForumcleanError as exc:
            out["diff.json"] = f"error: {exc}\n"
    return out


def write(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for name, path, with_diff in inputs():
        for suffix, text in outputs(path, with_diff).items():
            (folder / f"{name}.{suffix}").write_text(text, encoding="utf-8")
            count += 1
    return count


def check(reference: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="forumclean-snap-") as tmp:
        fresh = Path(tmp)
        count = write(fresh)
        old = {p.name for p in reference.iterdir()}
        new = {p.name for p in fresh.iterdir()}
        changed = sorted(n for n in old & new
                         if (reference / n).read_bytes() != (fresh / n).read_bytes())
        for n in changed:
            print(f"changed: {n}")
        for n in sorted(old - new):
            print(f"missing: {n}")
        for n in sorted(new - old):
            print(f"new: {n}")
        bad = len(changed) + len(old ^ new)
        print(f"{count} outputs, {bad} differ from {reference}")
        return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=["write", "check"])
    ap.add_argument("folder", type=Path)
    a = ap.parse_args(argv)
    if a.mode == "write":
        print(f"{write(a.folder)} outputs written to {a.folder}")
        return 0
    return check(a.folder)


if __name__ == "__main__":
    sys.exit(main())
