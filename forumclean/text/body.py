"""The lines of one post in a text dump, read by the rule table of ``linerules`` (body, quotes,
edit notes, attachment boxes, polls, code buttons, login walls, the tail under the post); the
quote, code-number and title helpers those rules use.

A mixin of the text reader (``reader.TextReader``): it works on the reader's units and verdicts
once the post headers are known.
"""

from __future__ import annotations

import re
from functools import cached_property

from ..model import Post, Quote
from ..rules import textdump as R
from .linerules import AFTER, PostScan, read_after_bar, read_line
from .lines import (
    CODE_NUMBER,
    Head,
    clean_name,
    empty_line,
    is_action_bar,
    markup_prefix,
)
from .prep import Unit, norm
from .state import DumpState, kept, removed


class PostLines(DumpState):
    """Labels the lines of each post (a mixin: the reader holds ``units``, ``v``, ``doc`` …)."""

    @cached_property
    def main_lines(self) -> set[int]:
        """Source lines with main-column text (once per page; units split later keep their line)."""
        return {x.line for x in self.units if not x.left and x.text}

    def _label_body(self, k: int, start: int, end: int, h: Head) -> list[int]:
        """Label the lines of post ``k`` (units ``start`` to ``end``) by the line-rule table."""
        head_unit = self.units[h.unit]
        scan = PostScan(self, k, end, self.doc.posts[k],
                        base_col=head_unit.col if not head_unit.left and h.kind == "desktop" else None)
        i = start
        while i < scan.end:  # (a rule may split a line in two: the end moves)
            if scan.state == AFTER:
                read_after_bar(scan, i)  # (the rest of the post)
                break
            if self.v[i] is None:
                read_line(scan, i)
            i += 1
        return scan.body

    def _title_in_post(self) -> None:
        """Discuz 6/7 print the subject inside the first post, above its text (div#threadtitle)."""
        body = self.body_units[0]
        if len(body) < 2 or self.md or "in_first_post" not in self.layout.title_sources or self._page_one():
            return  # an X first post on page 1 carries 「阅读模式」; its subject sits above the post
        i = body[0]
        unit = self.units[i]
        t = unit.norm
        if len(t) > 80 or re.search(r"[。！？!?…]$|https?://", t) or i + 1 >= len(self.units) or \
                not empty_line(self.units[i + 1]):
            return
        self._take_title(i, t)
        self.v[i] = kept("title")
        self.body_units[0] = body[1:]

    def _quote(self, post: Post, i: int, k: int) -> None:
        """A line of a marked quote (Markdown 「>」, an HTML blockquote)."""
        unit = self.units[i]
        qm = R.QUOTE_HEAD.match(unit.norm)
        if qm:
            post.quotes.append(Quote(author=unit.orig(clean_name(qm.group("author"))),
                                     published=self._time(qm.group("time"))))
        elif unit.text:
            if not post.quotes:
                post.quotes.append(Quote())
            q = post.quotes[-1]
            q.text = (q.text + "\n" + unit.text).strip()
        self.set(i, removed("quote", k))

    def _quote_lines(self, i: int, end: int, base_col: int | None, old: bool = False) -> list[int]:
        """The quoted lines after a quote header (Discuz keeps at most three)."""
        u = self.units
        head = u[i]
        out: list[int] = []
        j = i + 1
        first = self.next_main(i, 3)
        qcol = min(head.col, u[first].col) if first is not None and first < end else head.col
        if base_col is not None and qcol > base_col + 1:
            # indented quote (lynx, inscriptis, w3m): as long as the indent lasts
            while j < end:
                if u[j].left:
                    j += 1
                    continue
                if u[j].blank:
                    k = self.next_nonblank(j, end)
                    if k is None or u[k].col < qcol - 1:
                        break
                    j = k
                    continue
                if u[j].col < qcol - 1:
                    break
                if not u[j].left:
                    out.append(j)
                j += 1
            return out
        if j < end and self._gap(j) or old:
            # a blank line after the header (or a 6/7 「原帖由」 quote): the quote runs to the next blank line
            while j < end and self._gap(j):
                j += 1
            while j < end and not self._gap(j):
                if not u[j].left:
                    out.append(j)
                j += 1
            return out
        run: list[int] = []
        while j < end and not self._gap(j) and len(run) < 4:
            if not u[j].left:
                run.append(j)
            j += 1
        # Only whether one such line follows matters: stop at the first (a long post made this
        # a scan of the rest of the post for every quote).
        following = any(not u[x].blank and not u[x].left and self.v[x] is None
                        and not is_action_bar(u[x].norm) and not R.TAIL_LINES.match(u[x].norm)
                        for x in range(j, end))
        if run and len(run) <= 3 and j < end and following:
            return run
        # nothing marks the quote's end: one line, or up to Discuz's cut mark 「...」
        take = 1
        for n, x in enumerate(run[:3]):
            if u[x].norm.endswith("..."):
                take = n + 1
                break
        take = min(take, max(0, len(run) - (0 if following else 1)))
        return run[:take]

    def _gap(self, j: int) -> bool:
        """Unit ``j`` is an empty line of the post column."""
        unit = self.units[j]
        if unit.left:
            return unit.line not in self.main_lines
        return empty_line(unit)

    def _code_numbers(self, body: list[int]) -> None:
        """Strip the line numbers a code box's ``ol`` gets in text (「1. import os」).

        Walks back from the 「复制代码」 button to the line numbered 1; lines a text browser
        wrapped carry no number of their own.
        """
        numbered: list[int] = []
        unnumbered = 0
        for i in reversed(body):
            m = CODE_NUMBER.match(self.units[i].raw)
            if not m:
                unnumbered += 1
                if unnumbered > 3 and not numbered or unnumbered > 12:
                    return
                continue
            numbered.append(i)
            if re.match(r"^\s*1\.", self.units[i].raw):
                break
        else:
            return
        if len(numbered) < 2:
            return
        for i in numbered:
            markup_prefix(self.units[i], CODE_NUMBER)

    def _is_title_repeat(self, unit: Unit) -> bool:
        t = unit.norm
        m = R.PRINT_TITLE.match(t)
        if m and (self.layout.name == "printable" or not self.doc.title or m.group("title") == self.doc.title):
            return True
        if not self.doc.title:
            return False
        if t == norm(self.doc.title) and (self.layout.title_repeats or unit.heading):
            return True
        return False
