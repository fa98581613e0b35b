"""Score extraction against hand-checked gold files, the way the corpus's GOLD.md describes.

    python -m forumclean.evaluate ../shared/corpus/html
    python -m forumclean.evaluate ../shared/corpus/text --extractor trafilatura
    python -m forumclean.evaluate ../shared/corpus/html --pages --json scores.json

Body: bag-of-tokens F1 (single CJK characters, other words/numbers; NFKC, lower-cased), all
posts of a page joined. Per page: post count exact, ``published`` to the minute, authors
exact, title exact after white-space folding, every gold source URL present, ``url`` equal.
A ``none`` page scores when no post text comes out.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

_CJK = (r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
        r"\U00020000-\U0002fa1f")
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_WS = re.compile(r"\s+")


def tokens(text: str) -> Counter:
    return Counter(_TOKEN.findall(unicodedata.normalize("NFKC", text or "").lower()))


def f1(gold: str, got: str) -> tuple[float, float, float]:
    g, s = tokens(gold), tokens(got)
    if not g and not s:
        return 1.0, 1.0, 1.0
    common = sum((g & s).values())
    p = common / sum(s.values()) if s else 0.0
    r = common / sum(g.values()) if g else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def minute(ts: str | None) -> str | None:
    """``2025-03-13T17:57:01+08:00`` -> ``2025-03-13T17:57+08:00`` (precision to the minute)."""
    if not ts:
        return None
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d)(?::\d\d(?:\.\d+)?)?(.*)$", ts)
    return (m.group(1) + m.group(2)) if m else ts


def fold(text: str | None) -> str | None:
    return _WS.sub(" ", text).strip() if text else text


@dataclass
class PageScore:
    id: str
    family: str
    origin: str
    gold_kind: str
    kind: str
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    posts_gold: int = 0
    posts_got: int = 0
    posts_exact: bool = False
    dates_right: int = 0
    authors_right: int = 0
    title_right: bool = False
    sources_right: bool = False
    url_right: bool = False
    none_right: bool | None = None
    error: str | None = None
    extras: dict = field(default_factory=dict)


def score_page(gold: dict, got: dict | None, page_id: str = "", family: str = "",
               origin: str = "") -> PageScore:
    got = got or {}
    gposts = gold.get("posts") or []
    sposts = got.get("posts") or []
    s = PageScore(page_id, family, origin, gold.get("kind", ""), got.get("kind", "error"))
    s.error = (got.get("error") or {}).get("message") if got.get("error") else None
    gbody = "\n".join(p.get("body") or "" for p in gposts)
    sbody = "\n".join(p.get("body") or "" for p in sposts)
    if gold.get("kind") == "none":
        s.none_right = not sbody.strip() and not s.error
        s.precision = s.recall = s.f1 = 1.0 if s.none_right else 0.0
    else:
        s.precision, s.recall, s.f1 = f1(gbody, sbody)
    s.posts_gold, s.posts_got = len(gposts), len(sposts)
    s.posts_exact = s.posts_gold == s.posts_got
    for i, gp in enumerate(gposts):
        sp = sposts[i] if i < len(sposts) else {}
        if minute(gp.get("published")) == minute(sp.get("published")):
            s.dates_right += 1
        if gp.get("author") == sp.get("author"):
            s.authors_right += 1
    s.title_right = gold.get("kind") == "none" or fold(gold.get("title")) == fold(got.get("title"))
    s.sources_right = all(u in (got.get("source_urls") or []) for u in gold.get("source_urls") or [])
    s.url_right = (gold.get("url") or None) == (got.get("url") or None)
    for key in ("views", "replies", "site", "generator", "rendered_at"):
        if key in gold:
            s.extras[key] = gold[key] == got.get(key)
    return s


def read_manifest(folder: Path) -> dict[str, dict]:
    path = folder / "manifest.tsv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["id"]: row for row in csv.DictReader(fh, delimiter="\t")}


def corpus_pages(folder: Path) -> list[tuple[str, Path, Path]]:
    """(id, page path, gold path) for every page with a gold file beside it."""
    out = []
    for gold in sorted(folder.glob("*.gold.json")):
        pid = gold.name[: -len(".gold.json")]
        for ext in (".html", ".htm", ".txt", ".md"):
            page = folder / (pid + ext)
            if page.exists():
                out.append((pid, page, gold))
                break
    return out


def forumclean_extractor(data: bytes, path: Path) -> dict:
    from . import extract
    from .errors import ForumcleanError

    try:
        return extract(data, input_name=str(path)).to_dict()
    except ForumcleanError as exc:
        return {"input": str(path), "error": {"type": exc.kind, "message": str(exc)}}


def _single_post(text: str | None, title: str | None = None) -> dict:
    text = (text or "").strip()
    return {"kind": "thread" if text else "none", "title": title,
            "posts": [{"body": text}] if text else []}


def trafilatura_extractor(data: bytes, path: Path) -> dict:
    import trafilatura

    text = data.decode("utf-8", "replace") if path.suffix in (".txt", ".md") else data
    if path.suffix in (".txt", ".md"):
        text = "<html><body>" + "".join(f"<p>{_esc(line)}</p>" for line in text.splitlines()) + "</body></html>"
    out = trafilatura.extract(text, include_comments=True, output_format="json", with_metadata=True)
    meta = json.loads(out) if out else {}
    body = "\n".join(x for x in (meta.get("text"), meta.get("comments")) if x)
    return _single_post(body, meta.get("title"))


def readability_extractor(data: bytes, path: Path) -> dict:
    from lxml import html as lhtml
    from readability import Document as Readable

    if path.suffix in (".txt", ".md"):
        text = data.decode("utf-8", "replace")
        data = ("<html><body>" + "".join(f"<p>{_esc(line)}</p>" for line in text.splitlines())
                + "</body></html>").encode()
    try:
        r = Readable(data)
        summary = r.summary(html_partial=True)
        text = lhtml.fromstring(summary).text_content() if summary.strip() else ""
        return _single_post(text, r.short_title())
    except Exception as exc:  # readability fails on some inputs; score it as empty
        return {"error": {"type": "readability", "message": str(exc)}}


def identity_extractor(data: bytes, path: Path) -> dict:
    """Doing nothing: the page's text unchanged (a floor for text dumps)."""
    return _single_post(data.decode("utf-8", "replace"))


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


EXTRACTORS: dict[str, Callable[[bytes, Path], dict]] = {
    "forumclean": forumclean_extractor,
    "trafilatura": trafilatura_extractor,
    "readability": readability_extractor,
    "identity": identity_extractor,
}


def evaluate(folder: Path, extractor: str = "forumclean",
             families: set[str] | None = None) -> list[PageScore]:
    fn = EXTRACTORS[extractor]
    manifest = read_manifest(folder)
    scores = []
    for pid, page, gold_path in corpus_pages(folder):
        row = manifest.get(pid, {})
        fam = row.get("family") or folder.name
        if families and fam not in families:
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        got = fn(page.read_bytes(), page)
        scores.append(score_page(gold, got, pid, fam, row.get("origin", "")))
    return scores


@dataclass
class Summary:
    group: str
    pages: int
    thread_pages: int
    mean_f1: float
    min_f1: float
    posts_exact: float
    dates: float
    authors: float
    titles: float
    sources: float
    urls: float
    none_right: str


def summarise(scores: list[PageScore], group: str) -> Summary:
    threads = [s for s in scores if s.gold_kind != "none"]
    nones = [s for s in scores if s.gold_kind == "none"]
    gold_posts = sum(s.posts_gold for s in threads)

    def share(xs: list[bool]) -> float:
        return sum(xs) / len(xs) if xs else 1.0

    return Summary(
        group=group,
        pages=len(scores),
        thread_pages=len(threads),
        mean_f1=sum(s.f1 for s in threads) / len(threads) if threads else 1.0,
        min_f1=min((s.f1 for s in threads), default=1.0),
        posts_exact=share([s.posts_exact for s in scores]),
        dates=sum(s.dates_right for s in threads) / gold_posts if gold_posts else 1.0,
        authors=sum(s.authors_right for s in threads) / gold_posts if gold_posts else 1.0,
        titles=share([s.title_right for s in threads]),
        sources=share([s.sources_right for s in threads]),
        urls=share([s.url_right for s in scores]),
        none_right=f"{sum(bool(s.none_right) for s in nones)}/{len(nones)}",
    )


def summaries(scores: list[PageScore]) -> list[Summary]:
    by_family: dict[str, list[PageScore]] = defaultdict(list)
    for s in scores:
        by_family[s.family or "?"].append(s)
    rows = [summarise(v, k) for k, v in sorted(by_family.items())]
    rows.append(summarise(scores, "ALL"))
    return rows


def format_table(rows: list[Summary]) -> str:
    head = f"{'family':<26}{'pages':>6}{'F1':>7}{'minF1':>7}{'posts':>7}{'dates':>7}{'authors':>8}" \
           f"{'titles':>7}{'srcs':>6}{'urls':>6}{'none':>7}"
    lines = [head, "-" * len(head)]
    for r in rows:
        if not r.thread_pages:  # only none pages: F1 is not defined, the none column says it all
            lines.append(f"{r.group:<26}{r.pages:>6}{'-':>7}{'-':>7}{r.posts_exact:>7.0%}{'-':>7}{'-':>8}"
                         f"{'-':>7}{'-':>6}{r.urls:>6.0%}{r.none_right:>7}")
            continue
        lines.append(f"{r.group:<26}{r.pages:>6}{r.mean_f1:>7.3f}{r.min_f1:>7.3f}{r.posts_exact:>7.0%}"
                     f"{r.dates:>7.0%}{r.authors:>8.0%}{r.titles:>7.0%}{r.sources:>6.0%}{r.urls:>6.0%}"
                     f"{r.none_right:>7}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m forumclean.evaluate", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="+", type=Path, help="corpus folders (pages + NNN.gold.json)")
    ap.add_argument("--extractor", default="forumclean", choices=sorted(EXTRACTORS))
    ap.add_argument("--family", action="append", help="only pages of this manifest family (repeatable)")
    ap.add_argument("--pages", action="store_true", help="also print one row per page")
    ap.add_argument("--json", type=Path, help="write per-page scores as JSON here")
    ap.add_argument("--by-origin", action="store_true",
                    help="also one row per manifest origin (public-site, local-render) and per family within it")
    args = ap.parse_args(argv)
    all_scores: list[PageScore] = []
    for folder in args.folders:
        if not folder.is_dir():
            print(f"evaluate: {folder}: not a folder", file=sys.stderr)
            return 2
        all_scores.extend(evaluate(folder, args.extractor, set(args.family) if args.family else None))
    if args.pages:
        for s in sorted(all_scores, key=lambda s: s.f1):
            flags = "".join(c for c, ok in (("P", s.posts_exact), ("T", s.title_right), ("S", s.sources_right),
                                            ("U", s.url_right)) if not ok)
            print(f"{s.id:>8} {s.family:<24} F1 {s.f1:.3f} (p {s.precision:.2f} r {s.recall:.2f}) posts "
                  f"{s.posts_got}/{s.posts_gold} dates {s.dates_right}/{s.posts_gold} authors "
                  f"{s.authors_right}/{s.posts_gold} {('wrong:' + flags) if flags else ''}"
                  f"{' ERROR ' + s.error if s.error else ''}")
        print()
    print(format_table(summaries(all_scores)))
    if args.by_origin:
        print()
        print(format_table(origin_summaries(all_scores)))
    if args.json:
        args.json.write_text(json.dumps([asdict(s) for s in all_scores], ensure_ascii=False, indent=1))
    return 0


def origin_summaries(scores: list[PageScore]) -> list[Summary]:
    """One row per origin (the manifest's ``origin`` column: a public site's own templates or a
    local render of the stock ones, GOLD.md asks for both), each followed by its families."""
    by_origin: dict[str, list[PageScore]] = defaultdict(list)
    for s in scores:
        by_origin[s.origin or "?"].append(s)
    rows = []
    for origin, group in sorted(by_origin.items()):
        rows.append(summarise(group, origin))
        by_family: dict[str, list[PageScore]] = defaultdict(list)
        for s in group:
            by_family[s.family or "?"].append(s)
        rows.extend(summarise(v, f"  {k}") for k, v in sorted(by_family.items()))
    return rows


if __name__ == "__main__":
    sys.exit(main())
