"""What cleaning removed from a page, and why: views over the labelled blocks.

Every view here reads the blocks of ``pipeline.run(data, full=True)`` — the very verdicts that
``extract`` assembles its posts from — so a diff can never disagree with the extraction:

- ``rows`` / ``render_plain`` / ``render_rich``: the page's text in reading order, one row per
  run of text under one verdict: ``-`` removed (with the reason), ``+`` kept as body, ``=`` kept
  as metadata (title, author, time, source line…).
- ``unified``: a unified diff from the page's text to the cleaned text (the post bodies).
- ``records``: the verdict list as JSON-ready dicts.
- ``summarize`` / ``sort_rows``: one row per page with the figures and warnings that point at
  pages where extraction probably went wrong, suspect pages first.
"""

from __future__ import annotations

import difflib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from .assemble import body_lines, normalise_line
from .blocks import Block, Verdict, lines
from .inputs import Input, display_name
from .model import KIND_NONE, KIND_THREAD, Document
from .pipeline import Result, run

REMOVED, BODY, META = "-", "+", "="

#: Catch-all reasons: text removed because nothing more specific recognised it.
VAGUE_REASONS = frozenset({"page chrome", "post chrome", "not a post page", "outside main content"})

#: Removed runs with the same reason are joined into one row up to this many characters.
MERGE_WIDTH = 100

_WS = re.compile(r"\s+")
# Characters that would end or break a line in a pager or patch tool.
_LINE_BREAKERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")


def explain(data: bytes | str, **kwargs: Any) -> Result:
    """Run the pipeline with every block labelled (chrome included): what ``diff`` shows."""
    return run(data, full=True, **kwargs)


def mark_of(verdict: Verdict) -> str:
    if not verdict.keep:
        return REMOVED
    return BODY if verdict.is_body else META


# -- rows: the page in reading order ----------------------------------------------------------

@dataclass
class Row:
    """A run of text under one verdict, as one output line."""

    mark: str
    role: str
    text: str
    post: int | None
    line: int

    @property
    def reason(self) -> str | None:
        return self.role if self.mark == REMOVED else None


def rows(blocks: list[Block], merge: bool = True) -> list[Row]:
    """The page as rows in reading order.

    A visual line becomes one row per run of blocks that share a verdict. With ``merge``,
    consecutive removed rows with the same reason and post are joined (up to ``MERGE_WIDTH``
    characters), so a menu or a user card reads as one row.
    """
    out: list[Row] = []
    for n, line in enumerate(lines(blocks)):
        run_text: list[str] = []
        run_verdict: Verdict | None = None
        for b in [*line, None]:
            if b is not None and b.verdict == run_verdict:
                run_text.append(b.text)
                continue
            if run_verdict is not None:
                text = _clean("".join(run_text))
                if text:
                    _append(out, Row(mark_of(run_verdict), run_verdict.role, text, run_verdict.post, n),
                            merge)
            if b is not None:
                run_text, run_verdict = [b.text], b.verdict
    return out


def _append(out: list[Row], row: Row, merge: bool) -> None:
    prev = out[-1] if out else None
    if (merge and prev is not None and row.mark == REMOVED and prev.mark == REMOVED
            and prev.role == row.role and prev.post == row.post
            and len(prev.text) + len(row.text) < MERGE_WIDTH):
        prev.text += " " + row.text
        return
    out.append(row)


def _clean(text: str) -> str:
    return normalise_line(_LINE_BREAKERS.sub(" ", text))


def _post_heading(doc: Document, index: int) -> str:
    parts = [f"post {index + 1}"]
    if 0 <= index < len(doc.posts):
        p = doc.posts[index]
        if p.floor is not None:
            parts.append(f"#{p.floor}")
        if p.author:
            parts.append(p.author)
        if p.published:
            parts.append(p.published)
    return " · ".join(parts)


def _sections(row_list: list[Row]) -> Iterable[tuple[int | None, list[Row]]]:
    """Rows cut where a new post starts (the first row that names a later post)."""
    current: int | None = None
    chunk: list[Row] = []
    for r in row_list:
        if r.post is not None and (current is None or r.post > current):
            if chunk:
                yield current, chunk
            current, chunk = r.post, []
        chunk.append(r)
    if chunk:
        yield current, chunk


def render_plain(doc: Document, row_list: list[Row]) -> str:
    """Marker lines for pipes and files: ``- [reason] text``, ``+ text``, ``= [role] text``;
    ``@ post N · #floor · author · time`` where a post starts."""
    out: list[str] = []
    for post, chunk in _sections(row_list):
        if post is not None:
            out.append("@ " + _post_heading(doc, post))
        for r in chunk:
            out.append(f"+ {r.text}" if r.mark == BODY else f"{r.mark} [{r.role}] {r.text}")
    return "\n".join(out) + "\n" if out else ""


_STYLES = {REMOVED: ("red", "red strike"), BODY: ("green", "green"), META: ("cyan", "bold cyan")}


def render_rich(doc: Document, row_list: list[Row], console: Any, name: str | None = None) -> None:
    """The coloured view for a terminal: reasons in a left margin, removed text struck out."""
    from rich.table import Table
    from rich.text import Text

    kept, meta, removed = _counts(row_list)
    total = kept + meta + removed or 1
    head = Text()
    if name:
        head.append(name, "bold")
        head.append("  ")
    head.append(f"{doc.family} · {doc.kind} · {len(doc.posts)} posts · ", "dim")
    head.append(f"kept {kept}", "green")
    head.append(" · ", "dim")
    head.append(f"metadata {meta}", "cyan")
    head.append(" · ", "dim")
    head.append(f"removed {removed} ({removed / total:.0%})", "red")
    head.append(" characters", "dim")
    console.print(head)
    margin = min(22, max([len(r.role) for r in row_list if r.mark != BODY] + [4]) + 2)
    for post, chunk in _sections(row_list):
        if post is not None:
            console.rule(Text(_post_heading(doc, post), "bold"), style="dim", align="left")
        table = Table.grid(padding=(0, 1))
        table.add_column(width=margin, no_wrap=True, overflow="ellipsis", justify="right")
        table.add_column(ratio=1, overflow="fold")
        for r in chunk:
            margin_style, text_style = _STYLES[r.mark]
            label = "" if r.mark == BODY else r.role
            # Styles as spans, not the cell's base style: the padding stays unstruck.
            table.add_row(Text.assemble((label, margin_style)),
                          Text.assemble((r.mark + " ", margin_style), (r.text, text_style)))
        console.print(table)


def _counts(row_list: Iterable[Row]) -> tuple[int, int, int]:
    kept = meta = removed = 0
    for r in row_list:
        n = _chars(r.text)
        if r.mark == BODY:
            kept += n
        elif r.mark == META:
            meta += n
        else:
            removed += n
    return kept, meta, removed


def _chars(text: str) -> int:
    """Characters that count: white space does not (``str.split`` drops what ``\\s`` matches)."""
    return sum(map(len, text.split()))


# -- unified diff ------------------------------------------------------------------------------

def page_lines(blocks: list[Block]) -> list[str]:
    """The page's text, one entry per non-empty visual line."""
    out = []
    for line in lines(blocks):
        text = _clean("".join(b.text for b in line))
        if text:
            out.append(text)
    return out


def cleaned_lines(result: Result) -> list[str]:
    """The cleaned text: the post bodies' lines, in reading order, exactly as ``extract`` has them."""
    return [_LINE_BREAKERS.sub(" ", text)
            for _, _, text in body_lines(result.blocks, len(result.document.posts))]


def unified(result: Result, name: str = "page", context: int = 3) -> str:
    """A unified diff from the page's text to the cleaned text, for ``less``, ``delta`` or
    ``git apply --stat``: removed lines are ``-``, body lines are context or ``+`` where a line
    lost part of its text."""
    path = _patch_path(name)
    diff = difflib.unified_diff(page_lines(result.blocks), cleaned_lines(result),
                                fromfile=f"a/{path}", tofile=f"b/{path}", n=context, lineterm="")
    text = "\n".join(diff)
    return text + "\n" if text else ""


def _patch_path(name: str) -> str:
    name = "stdin" if name in ("-", "") else name
    return _LINE_BREAKERS.sub("_", name).replace("\t", "_").lstrip("/") or "page"


# -- JSON ----------------------------------------------------------------------------------------

def records(blocks: list[Block]) -> list[dict[str, Any]]:
    """One dict per block: ``line`` (visual line), ``text``, ``keep``, ``role`` (the kept role or
    the removal reason), ``kind`` (``body``, ``meta`` or ``removed``), ``post`` (index or null)."""
    out = []
    for n, line in enumerate(lines(blocks)):
        for b in line:
            v = b.verdict
            kind = "removed" if not v.keep else ("body" if v.is_body else "meta")
            out.append({"line": n, "text": b.text, "keep": v.keep, "role": v.role, "kind": kind,
                        "post": v.post})
    return out


def to_json(result: Result, name: str | None = None) -> dict[str, Any]:
    doc = result.document
    return {"input": name, "family": doc.family, "kind": doc.kind, "title": doc.title,
            "posts": len(doc.posts), "blocks": records(result.blocks)}


# -- summary: one row per page, suspect pages first ---------------------------------------------

#: Warning codes and how much each makes a page suspect (the sort key adds them up).
WEIGHTS: dict[str, int] = {
    "error": 100,            # the page could not be cleaned at all
    "no-post": 60,           # a thread page (by its address or thread id) yielded no post
    "nothing-kept": 50,      # posts found, but (almost) no body text
    "unexplained": 20,       # much text removed only by a catch-all reason (+ up to 40 by share)
    "generic": 30,           # no Discuz family recognised the page
    "decoding": 30,          # replacement characters: the encoding was probably guessed wrong
    "nothing-removed": 30,   # (almost) all text kept: the page chrome was not recognised
    "empty-posts": 10,       # some posts have no body (notices can do that; many is suspect)
    "no-title": 5,
    "no-date": 5,
}

_THREAD_URL = re.compile(r"mod=viewthread|[?&]tid=\d|thread-\d+-|/archiver/\?tid-|action=printable", re.I)


@dataclass
class SummaryRow:
    input: str
    family: str | None = None
    kind: str | None = None
    posts: int = 0
    kept: int = 0
    meta: int = 0
    removed: int = 0
    unexplained: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def total(self) -> int:
        return self.kept + self.meta + self.removed

    @property
    def share_removed(self) -> float:
        return self.removed / self.total if self.total else 0.0

    @property
    def unexplained_share(self) -> float:
        return self.unexplained / self.total if self.total else 0.0

    @property
    def suspicion(self) -> int:
        """How suspect the page is: the summed weight of its warnings. Unexplained text weighs
        more the larger its share (a page that is all catch-all text was not understood)."""
        score = 0
        for w in self.warnings:
            code = warning_code(w)
            score += WEIGHTS.get(code, 1)
            if code == "unexplained":
                score += round(40 * self.unexplained_share)
        return score

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["share_removed"] = round(self.share_removed, 4)
        d["suspicion"] = self.suspicion
        return d


def summarize(result: Result, name: str) -> SummaryRow:
    """The summary row of one cleaned page: its figures and warnings."""
    doc = result.document
    row = SummaryRow(input=name, family=doc.family, kind=doc.kind, posts=len(doc.posts))
    replacement = 0
    for b in result.blocks:
        n = _chars(b.text)
        v = b.verdict
        if not v.keep:
            row.removed += n
            if v.role in VAGUE_REASONS:
                row.unexplained += n
        elif v.is_body:
            row.kept += n
        else:
            row.meta += n
        replacement += b.text.count("\ufffd")
    row.warnings = _warnings(row, doc, replacement)
    return row


def error_row(name: str, message: str) -> SummaryRow:
    return SummaryRow(input=name, error=message, warnings=["error"])


def outcome_row(outcome: Any) -> SummaryRow:
    """The error row of a failed batch outcome."""
    return error_row(display_name(outcome.input.name), outcome.error["error"]["message"])


def summary_row(item: Input, **kwargs: Any) -> SummaryRow:
    """The summary row of one input; a page that cannot be read or cleaned gives an error row."""
    from .batch import Options

    return page_job(item, Options(**kwargs), View("summary")).extra.row


# -- the per-page job of ``forumclean diff`` (run by the batch engine in its workers) -------------

@dataclass(frozen=True)
class View:
    """How ``diff`` shows each page: ``plain``, ``color``, ``unified`` or ``json``; ``summary``
    (the row only, for sorting), ``summary-tsv`` or ``summary-jsonl`` (the row and its line)."""

    fmt: str
    context: int = 3
    #: Columns of the coloured view (the terminal's, measured in the main process).
    width: int | None = None
    #: Several pages: plain views open with a ``==> name <==`` header.
    many: bool = False


@dataclass
class PageDiff:
    """What ``page_job`` hands back besides the view: the page's summary row."""

    row: SummaryRow


def page_job(item: Input, options: Any, view: View, lost: Any = None) -> Any:
    """One page's diff: an ``Outcome`` whose ``data`` is the page's view (UTF-8) and whose
    ``extra`` is its ``PageDiff``; a failure is its error record (and an error row). ``lost``:
    the failed outcome the batch made for a page whose worker hung or died, to complete."""
    from .batch import run_input

    result, outcome = (None, lost) if lost is not None else run_input(item, options, full=True)
    outcome.document = None  # the view is all the main process needs: spare the pickling
    name = display_name(item.name)
    if result is None:
        outcome.extra = PageDiff(outcome_row(outcome))
        if view.fmt == "json":
            outcome.data = (json.dumps(outcome.error, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        elif view.fmt.startswith("summary-"):
            outcome.data = summary_line(outcome.extra.row, view.fmt).encode("utf-8")
        return outcome
    row = summarize(result, name)
    outcome.extra = PageDiff(row)
    if view.fmt.startswith("summary"):
        if view.fmt != "summary":
            outcome.data = summary_line(row, view.fmt).encode("utf-8")
        return outcome
    outcome.data = page_view(result, name, view).encode("utf-8", "replace")
    return outcome


def page_view(result: Result, name: str, view: View) -> str:
    """One page in a page view. Several pages read one after another: the plain view opens with
    a ``==> name <==`` header; the coloured view and unified diffs name the page in their own."""
    if view.fmt == "unified":
        return unified(result, name, context=view.context)
    if view.fmt == "json":
        return json.dumps(to_json(result, name), ensure_ascii=False, indent=2) + "\n"
    if view.fmt == "color":
        from rich.console import Console

        buffer = io.StringIO()
        console = Console(file=buffer, force_terminal=True, width=view.width, highlight=False)
        render_rich(result.document, rows(result.blocks), console, name)
        return buffer.getvalue() + ("\n" if view.many else "")
    text = render_plain(result.document, rows(result.blocks))
    return f"==> {name} <==\n{text}\n" if view.many else text


def summary_line(row: SummaryRow, fmt: str) -> str:
    """A summary row as one TSV (``summary-tsv``) or JSON (``summary-jsonl``) line."""
    buffer = io.StringIO()
    if fmt == "summary-jsonl":
        summary_jsonl([row], buffer)
    else:
        summary_tsv([row], buffer, header=False)
    return buffer.getvalue()


def _warnings(row: SummaryRow, doc: Document, replacement: int) -> list[str]:
    w: list[str] = []
    total = row.total
    if doc.kind == KIND_NONE and _looks_like_thread(doc):
        w.append("no-post")
    if row.posts and (row.kept < 10 or (total and row.kept / total < 0.005)):
        w.append("nothing-kept")
    if total >= 200 and row.unexplained_share >= 0.25:
        w.append(f"unexplained {row.unexplained_share:.0%}")
    if doc.family == "generic":
        w.append("generic")
    if replacement:
        w.append(f"decoding {replacement}×U+FFFD")
    if row.posts and total >= 200 and row.share_removed < 0.05:
        w.append(f"nothing-removed {row.share_removed:.0%}")
    empty = sum(1 for p in doc.posts if not p.body)
    if empty and "nothing-kept" not in w:
        w.append(f"empty-posts {empty}/{row.posts}")
    if doc.kind != KIND_NONE and not doc.title:
        w.append("no-title")
    if doc.kind == KIND_THREAD and any(p.published is None for p in doc.posts):
        w.append("no-date")
    w.extend(f"note: {x}" for x in doc.warnings)
    return w


def _looks_like_thread(doc: Document) -> bool:
    if doc.thread_id and doc.thread_id.strip("0"):
        return True
    return bool(doc.url and _THREAD_URL.search(doc.url))


def suspect_first(row: SummaryRow) -> tuple:
    """The sort key of suspect pages first: by summed warning weight, then by share of
    unexplained text, then by name (stable for equal rows)."""
    return (-row.suspicion, -row.unexplained_share, row.input)


def sort_rows(summary: Iterable[SummaryRow]) -> list[SummaryRow]:
    """Suspect pages first (``suspect_first``)."""
    return sorted(summary, key=suspect_first)


def warning_code(warning: str) -> str:
    """A warning's code: its first word (``unexplained 40%`` → ``unexplained``)."""
    return warning.split()[0].rstrip(":")


SUMMARY_COLUMNS = ("input", "family", "kind", "posts", "kept", "meta", "removed", "share_removed",
                   "warnings")


def summary_tsv(summary: Iterable[SummaryRow], out: IO[str], header: bool = True) -> None:
    if header:
        out.write("\t".join(SUMMARY_COLUMNS) + "\n")
    for r in summary:
        cells = [r.input, r.family or "", r.kind or "", str(r.posts), str(r.kept), str(r.meta),
                 str(r.removed), f"{r.share_removed:.3f}",
                 "; ".join(r.warnings if not r.error else [f"error: {r.error}"])]
        out.write("\t".join(_tsv_cell(c) for c in cells) + "\n")


def _tsv_cell(text: str) -> str:
    return re.sub(r"[\t\r\n]+", " ", text)


def summary_jsonl(summary: Iterable[SummaryRow], out: IO[str]) -> None:
    for r in summary:
        out.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")


def summary_table(summary: list[SummaryRow], console: Any) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for col, justify in (("page", "left"), ("family", "left"), ("posts", "right"), ("kept", "right"),
                         ("meta", "right"), ("removed", "right"), ("share", "right"),
                         ("warnings", "left")):
        table.add_column(col, justify=justify, overflow="fold")
    for r in summary:
        style = "red" if r.suspicion >= 30 else ("yellow" if r.warnings else "")
        warn = f"error: {r.error}" if r.error else ", ".join(r.warnings)
        table.add_row(r.input, r.family or "", str(r.posts), str(r.kept), str(r.meta), str(r.removed),
                      f"{r.share_removed:.0%}", Text(warn, style or "dim"))
    console.print(table)
