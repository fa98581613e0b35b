"""The audit report: one self-contained HTML file over a crawl (``forumclean diff --report``).

An overview (the ``--summary`` rows, suspect pages first, sortable and filterable, with a
histogram of the share removed) and, one click away, each page's text in reading order with what
was removed struck through under its reason. The file needs no network and no other file.

Large crawls: each page's view is written as it comes, as one JSON blob in a
``<script type="application/json">`` element that the browser never runs and the report's script
parses only when the page is opened; only the small summary rows are kept until the end. Page
text reaches the document only through ``textContent`` (never as markup), the JSON is escaped so
that no ``</script>`` or ``<!--`` can occur in it, and a Content-Security-Policy allows no network
and no script but the report's own (by nonce).

Library use::

    from forumclean import report
    entries = (report.page_entry(item) for item in inputs.expand(["crawl/"]))
    stats = report.write_report(entries, "report.html")
"""

from __future__ import annotations

import html
import json
import os
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import IO, Any

from . import diff
from .batch import describe_os_error
from .errors import ForumcleanError
from .inputs import Input, display_name
from .pipeline import Result
from .report_assets import REPORT_CSS, REPORT_JS

#: Buckets of the "share removed" histogram (each 100 / HISTOGRAM_BINS percent wide).
HISTOGRAM_BINS = 20

#: Overview columns: key, heading, whether the value sorts as a number.
COLUMNS = (("input", "page", False), ("family", "family", False), ("kind", "kind", False),
           ("posts", "posts", True), ("kept", "kept", True), ("meta", "meta", True),
           ("removed", "removed", True), ("share", "share removed", True),
           ("warnings", "warnings", False), ("suspicion", "suspicion", True))

#: Row kinds in a page view's JSON.
_KINDS = {diff.BODY: "+", diff.META: "=", diff.REMOVED: "-"}


class ReportError(ForumcleanError):
    """The report cannot be written (its path is an input, or its folder is not writable)."""

    kind = "write"


@dataclass
class PageEntry:
    """What the report needs of one page: its summary row and its page view (a JSON-ready dict;
    None when the page could not be read or cleaned). Small and picklable, so a worker process
    can build it."""

    row: diff.SummaryRow
    view: dict[str, Any] | None = None


@dataclass
class ReportStats:
    pages: int
    failed: int
    bytes: int
    path: str


def page_view(result: Result) -> dict[str, Any]:
    """The page's text for the report: ``diff.rows`` (reading order; removed runs with one reason
    joined, as in the terminal view) as ``[line, kind, role, text, post]`` (kind ``+`` body, ``=``
    metadata, ``-`` removed with its reason as role), and each post's floor, author and time for
    the post boundaries."""
    doc = result.document
    return {
        "title": doc.title, "url": doc.url,
        "posts": [[p.floor, p.author, p.published] for p in doc.posts],
        "rows": [[r.line, _KINDS[r.mark], "" if r.mark == diff.BODY else r.role, r.text, r.post]
                 for r in diff.rows(result.blocks)],
    }


def entry_of(result: Result, name: str) -> PageEntry:
    return PageEntry(diff.summarize(result, name), page_view(result))


def page_entry(item: Input, stdin: IO[bytes] | None = None, **options: Any) -> PageEntry:
    """The report entry of one input (``options``: ``input_format``, ``family``, ``url`` as the
    batch takes them); a page that cannot be read or cleaned gives an error entry."""
    from .batch import Options

    return _run(item, Options(**options), stdin).extra


def page_job(item: Input, options: Any, lost: Any = None) -> Any:
    """The batch engine's per-page job for a report (run in its workers): an ``Outcome`` whose
    ``extra`` is the page's ``PageEntry`` (``lost``: see ``diff.page_job``)."""
    if lost is not None:
        lost.extra = error_entry(lost)
        return lost
    outcome = _run(item, options)
    outcome.document = None  # the entry is all the main process needs: spare the pickling
    return outcome


def _run(item: Input, options: Any, stdin: IO[bytes] | None = None) -> Any:
    from .batch import run_input

    result, outcome = run_input(item, options, full=True, stdin=stdin)
    if result is None:
        outcome.extra = error_entry(outcome)
    else:
        outcome.extra = entry_of(result, display_name(item.name))
    return outcome


def error_entry(outcome: Any) -> PageEntry:
    """The entry of a page whose job did not run to its end (a time-out, a crashed worker)."""
    return PageEntry(diff.outcome_row(outcome))


#: The first line of every report's head says it is one: a report left in a crawl folder by an
#: earlier run is recognised, left out of the pages and replaced; any other file is an input.
REPORT_MARK = '<meta name="generator" content="forumclean report">'


def is_own_report(path: str) -> bool:
    """Whether ``path`` is a report this module wrote."""
    try:
        with open(path, "rb") as fh:
            return REPORT_MARK.encode() in fh.read(512)
    except OSError:
        return False


def clobbered_input(report_path: str, paths: Iterable[str]) -> str | None:
    """The input (a named file, or a file inside a named folder) that writing the report to
    ``report_path`` would replace, when there is one: the report may replace only its own kind."""
    if not os.path.isfile(report_path) or is_own_report(report_path):
        return None
    target = os.path.realpath(report_path)
    for p in paths:
        if p == "-" or not os.path.exists(p):
            continue
        real = os.path.realpath(p)
        if real == target or (os.path.isdir(p) and target.startswith(real.rstrip(os.sep) + os.sep)):
            return p
    return None


def write_report(entries: Iterable[PageEntry], path: str, title: str | None = None) -> ReportStats:
    """Write the report of ``entries`` to ``path``, atomically (a temporary file beside it,
    renamed into place at the end: a failure leaves no file and an older report untouched)."""
    try:
        with ReportWriter(path, title) as writer:
            for entry in entries:
                writer.add(entry)
    except OSError as exc:  # the disk filled up, the folder went away
        raise ReportError(f"cannot write the report {display_name(path)}: {describe_os_error(exc)}") from None
    return writer.stats


# -- the writer --------------------------------------------------------------------------------

def _json_blob(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` escaped, so no
    ``</script>``, ``<!--`` or ``<script`` can end or change the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


class ReportWriter:
    """Streams a report: ``add`` writes a page's view at once; ``close`` writes the overview
    (its rows are the only thing kept per page) and moves the file into place."""

    def __init__(self, path: str, title: str | None = None) -> None:
        self.path = path
        self.title = title or "forumclean report"
        self.nonce = secrets.token_urlsafe(18)
        self.rows: list[tuple[int, diff.SummaryRow]] = []
        folder = os.path.dirname(os.path.abspath(path))
        # A new hidden file beside the target (mode as umask allows, unlike mkstemp's 0600).
        self.tmp = os.path.join(folder, f".{os.path.basename(path)}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        except OSError as exc:
            raise ReportError(f"cannot write the report {display_name(path)}: "
                              f"{describe_os_error(exc)}") from None
        self.out = os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="\n")
        self.stats = ReportStats(0, 0, 0, path)
        try:
            self._head()
        except BaseException:
            self.discard()
            raise

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.close()
        else:
            self.discard()

    def add(self, entry: PageEntry) -> None:
        index = len(self.rows)
        row = entry.row
        self.rows.append((index, row))
        view: dict[str, Any] = {"name": row.input, "family": row.family, "kind": row.kind,
                                "error": row.error, "warnings": row.warnings,
                                "figures": [row.kept, row.meta, row.removed, round(row.share_removed, 4)]}
        view.update(entry.view or {})
        self.out.write(f'<script type="application/json" id="d{index}">{_json_blob(view)}</script>\n')
        self.stats.pages += 1
        self.stats.failed += bool(row.error)

    def close(self) -> None:
        try:
            self._overview()
            self.out.write(f'<script nonce="{self.nonce}">\n{REPORT_JS}</script>\n</body>\n</html>\n')
            self.out.close()
            os.replace(self.tmp, self.path)
        except BaseException:
            self.discard()
            raise
        self.stats.bytes = os.path.getsize(self.path)

    def discard(self) -> None:
        self.out.close()
        try:
            os.unlink(self.tmp)
        except OSError:
            pass

    def _head(self) -> None:
        csp = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
               f"script-src 'nonce-{self.nonce}'; base-uri 'none'; form-action 'none'")
        self.out.write(
            f'<!DOCTYPE html>\n<html lang="mul">\n<head>\n{REPORT_MARK}\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="referrer" content="no-referrer">\n'
            f'<title>{_e(self.title)}</title>\n<style>\n{REPORT_CSS}</style>\n</head>\n<body>\n'
            '<div id="data" hidden>\n')

    def _overview(self) -> None:
        ordered = sorted(self.rows, key=lambda ir: diff.suspect_first(ir[1]))
        rows = [r for _, r in ordered]
        failed = sum(1 for r in rows if r.error)
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        w = self.out.write
        w("</div>\n<header>\n")
        w(f'<h1>{_e(self.title)}</h1>\n<p class="sub">{_pages(len(rows))}'
          f'{f", {failed} could not be cleaned" if failed else ""} · '
          f'{sum(r.kept for r in rows):,} characters kept, {sum(r.meta for r in rows):,} metadata, '
          f'{sum(r.removed for r in rows):,} removed · written {stamp}</p>\n</header>\n')
        w('<main id="overview">\n')
        w(_histogram(rows))
        w(_filters(rows))
        w('<table id="rows">\n<thead><tr>')
        for key, heading, numeric in COLUMNS:
            w(f'<th data-key="{key}"{" class=num" if numeric else ""} tabindex="0">{heading}</th>')
        w("</tr></thead>\n<tbody></tbody>\n</table>\n")
        w('<p id="more" hidden><button id="more-rows" type="button"></button> '
          '<button id="all-rows" type="button">show all</button></p>\n')
        w("<noscript><p>The table and the page views are drawn by the report's script: "
          "allow JavaScript for this file.</p></noscript>\n")
        # The rows as data: the script draws a slice at a time, so a crawl of 10 000 pages
        # does not lay out a 10 000-row table on opening.
        w('<script type="application/json" id="overview-data">')
        w(_json_blob([_overview_record(index, row) for index, row in ordered]))
        w("</script>\n</main>\n")
        w('<main id="page" hidden></main>\n')


def _overview_record(index: int, row: diff.SummaryRow) -> list[Any]:
    """One table row as data, in ``COLUMNS`` order, then: the page's number (its view's id),
    its warning codes, its tint (``bad``, ``warn``, ``ok``) and its histogram bucket."""
    warn = f"error: {row.error}" if row.error else "; ".join(row.warnings)
    level = "bad" if row.suspicion >= 30 else ("warn" if row.warnings else "ok")
    codes = sorted({diff.warning_code(w) for w in row.warnings})
    return [row.input, _family(row), row.kind or "", row.posts, row.kept, row.meta, row.removed,
            round(row.share_removed, 4), warn, row.suspicion, index, codes, level, _bin(row)]


def _family(row: diff.SummaryRow) -> str:
    return row.family or "(failed)"


def _bin(row: diff.SummaryRow) -> int:
    """The histogram bucket of a row; -1 for a page with no text (or that failed)."""
    if row.error or not row.total:
        return -1
    return min(int(row.share_removed * HISTOGRAM_BINS), HISTOGRAM_BINS - 1)


def _histogram(rows: list[diff.SummaryRow]) -> str:
    """An SVG bar chart of the share removed; a bar filters the table to its bucket."""
    counts = Counter(_bin(r) for r in rows)
    top = max([counts[b] for b in range(HISTOGRAM_BINS)] + [1])
    width, height, gap = 24, 80, 2
    bars = []
    for b in range(HISTOGRAM_BINS):
        n = counts[b]
        h = 0 if not n else max(2, round(height * n / top))
        lo, hi = b * 100 // HISTOGRAM_BINS, (b + 1) * 100 // HISTOGRAM_BINS
        bars.append(f'<g class="bin" data-bin="{b}" tabindex="0"><title>{n} pages with {lo}–{hi}% removed'
                    f'</title><rect class="hit" x="{b * width}" y="0" width="{width}" height="{height}"/>'
                    f'<rect class="bar" x="{b * width + gap / 2}" y="{height - h}" width="{width - gap}" '
                    f'height="{h}"/></g>')
    total_w = HISTOGRAM_BINS * width
    axis = (f'<text x="0" y="{height + 14}">0%</text><text x="{total_w / 2}" y="{height + 14}" '
            f'text-anchor="middle">50%</text><text x="{total_w}" y="{height + 14}" text-anchor="end">100%</text>')
    none = counts[-1]
    note = f' <span class="note">({_pages(none)} with no text or failed not shown)</span>' if none else ""
    return (f'<figure id="hist"><figcaption>Share of text removed, pages per {100 // HISTOGRAM_BINS}% '
            f'(most: {top}); click a bar to filter{note}</figcaption>'
            f'<svg viewBox="0 0 {total_w} {height + 18}" width="{total_w}" height="{height + 18}" '
            f'role="img" aria-label="histogram of share removed">{"".join(bars)}{axis}</svg></figure>\n')


def _pages(n: int) -> str:
    return f"{n} page" if n == 1 else f"{n} pages"


def _filters(rows: list[diff.SummaryRow]) -> str:
    families = Counter(_family(r) for r in rows)
    codes = Counter(c for r in rows for c in {diff.warning_code(w) for w in r.warnings})

    def options(counter: Counter, everything: str, none: str | None = None) -> str:
        opts = [f'<option value="">{everything}</option>']
        if none:
            opts.append(f'<option value="-">{none}</option>')
        opts += [f'<option value="{_e(k)}">{_e(k)} ({n})</option>' for k, n in sorted(counter.items())]
        return "".join(opts)

    return ('<div id="filters">'
            f'<label>family <select id="f-family">{options(families, "all families")}</select></label> '
            f'<label>warning <select id="f-warn">{options(codes, "any", "none")}</select></label> '
            '<label>page <input id="f-name" type="search" placeholder="part of the name"></label> '
            '<button id="f-clear" type="button">clear filters</button> '
            f'<span id="shown">{len(rows)} of {len(rows)} pages</span></div>\n')
