"""What the reader knows about a dump while it reads it: units, verdicts, the document so far."""

from __future__ import annotations

from functools import lru_cache, partial

from ..blocks import Verdict
from ..dates import is_relative, parse_time
from ..model import KIND_NONE, Document
from ..page import Page, looks_like_markdown
from .layout import DESKTOP, TextLayout
from .lines import (
    Head,
)
from .prep import norm, single_spaced, units_of

# A verdict is a frozen value: the reader hands out the one it made for a (reason, post) instead
# of a new object for every line (a long dump labels hundreds of thousands of lines).
# (made as blocks.removed / blocks.kept make them, without their Python frame: a long dump asks
# for a new one for every post)
removed = lru_cache(maxsize=1024)(partial(Verdict, False))
kept = lru_cache(maxsize=1024)(partial(Verdict, True))


def move_head(h: Head, at: int, by: int) -> None:
    """Move a header's unit indices at or after ``at`` by ``by`` (units were inserted before them)."""
    if by:
        h.start += by if h.start >= at else 0
        h.unit += by if h.unit >= at else 0
        h.end += by if h.end >= at else 0
        if h.author_unit is not None and h.author_unit >= at:
            h.author_unit += by



class DumpState:
    """The reader's state and the small helpers every stage uses."""

    def __init__(self, page: Page) -> None:
        self.page = page
        text = single_spaced(page.text)
        self.md = looks_like_markdown(text)
        self.units = units_of(text, self.md)
        # Whether the dump prints the author column beside the posts (units in the left column):
        # only units_of cuts lines at a column, and a unit split later keeps its side.
        self.columns = any(x.left for x in self.units)
        self.v: list[Verdict | None] = [None] * len(self.units)
        self.doc = Document(family="textdump", kind=KIND_NONE, input_format="text")
        self.layout: TextLayout = DESKTOP
        self.page_level: str | None = None  # "archiver" / "printable", from page-level evidence
        self.heads: list[Head] = []
        self.footer = len(self.units)
        self.inserted = 0  # units split off lines while posts are read (see _shift)
        self.offset: str | None = None
        self.starter: str | None = None
        self.body_units: list[list[int]] = []
        self.top_end = -1
        # a title the page gives outside its thread header (archiver footer, front matter)
        self.fallback_title: str | None = None
        self.fallback_title_unit = 0
        self.action_bars = 0

    # -- helpers -----------------------------------------------------------------------------
    def set(self, i: int, verdict: Verdict, force: bool = False) -> None:
        if force or self.v[i] is None:
            self.v[i] = verdict

    def next_main(self, i: int, lines: int = 3) -> int | None:
        """The next non-blank unit of the post column within ``lines`` physical lines."""
        u = self.units
        j = i + 1
        while j < len(u) and u[j].line <= u[i].line + lines:
            if not u[j].blank and not u[j].left:
                return j
            j += 1
        return None

    def next_nonblank(self, i: int, limit: int | None = None) -> int | None:
        limit = len(self.units) if limit is None else limit
        j = i + 1
        while j < limit and self.units[j].blank:
            j += 1
        return j if j < limit else None


    def _with_urls(self, i: int) -> str:
        """A unit's text with its Markdown link addresses put back (for metadata lines)."""
        return norm("".join(p.text for p in self.units[i].pieces).replace("*", ""))

    def _time(self, text: str | None) -> str | None:
        if not text:
            return None
        # (a relative time is read against the page's clock; an absolute one needs no test for it)
        return parse_time(text, self.offset) or (
            parse_time(text, self.offset, self.doc.rendered_at) if is_relative(text) else None)
