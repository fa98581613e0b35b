"""Signatures, and the next post's author column, at the end of a post (anatomy §11.3)."""


from __future__ import annotations

from collections.abc import Callable
from functools import cache

from ..rules import textdump as R
from .lines import (
    is_column_line,
    lines_key,
    namelike,
)
from .prep import Unit
from .state import DumpState, removed


class Signatures(DumpState):
    """Trims what trails a post's own text."""

    # -- signatures -----------------------------------------------------------------------------------
    def signatures(self) -> None:
        """Trailing lines that are signatures, not the author's post (anatomy §11.3).

        The signature box sits in its own table row under the post: a text browser leaves a
        gap before it (a blank line; in w3m, as tall as the author column). It is also the same
        text under several posts. On a page whose bodies hold no gaps of their own, a short
        last paragraph after a gap is the signature; in a column layout, one after a tall gap.
        """
        u = self.units
        info, internal_gaps = self._last_paragraphs()
        is_signature = self._repeated_endings(info)
        # signature boxes are printed by the desktop templates only (not archiver, print or touch)
        desktop = self.layout.signatures
        columns = self.columns
        # (in a column layout the author column's height makes gaps of its own)
        single_spaced = desktop and not columns and self.action_bars > 0 and len(info) >= 1 and \
            internal_gaps <= len(info) // 2 and len(self.heads) > 1
        for k, (body, para, size) in info.items():
            drop: list[int] = []
            small = bool(para) and len(para) <= 2 and sum(len(u[x].text) for x in para) <= 80 and \
                len(para) < len(body)
            if para and len(para) <= 3 and is_signature(lines_key(u, para)):
                drop = para
            elif is_signature(lines_key(u, body[-1:])):
                drop = body[-1:]
            elif small and desktop and self.action_bars > 0 and (single_spaced or size >= 3 and (columns or self.md)):
                drop = para
            elif columns and desktop and size >= 3 and len(para) <= 8 and len(para) < len(body) and \
                    sum(len(u[x].text) for x in para) <= 400:
                drop = para  # a signature box under a tall author column
            for x in drop:
                self.v[x] = removed("signature", k)
            if drop:
                self.body_units[k] = [x for x in self.body_units[k] if x not in drop]

    def _gap_sizer(self) -> Callable[[int, int], tuple[int, int]]:
        """A function of two units: the lines empty in the post column between them, and how many
        of those come right before the second (after any removed text such as a poll)."""
        u = self.units
        # the units of each source line: the first, and (rarely) the others; no list per line
        first_on: dict[int, Unit] = {}
        more_on: dict[int, list[Unit]] = {}
        for x in u:
            if x.line in first_on:
                more_on.setdefault(x.line, []).append(x)
            else:
                first_on[x.line] = x

        def units_on(line: int) -> list[Unit]:
            first = first_on.get(line)
            return [] if first is None else [first, *more_on.get(line, ())]

        def gap_size(a: int, b: int) -> tuple[int, int]:
            lines = range(u[a].line + 1, u[b].line)
            if not lines and any(u[x].rule for x in range(a + 1, b)):
                return 1, 1
            empty = 0
            run = 0
            for line in lines:
                if any(not x.left and "".join(p.text for p in x.pieces).strip() and not x.rule
                       for x in units_on(line)):
                    run = 0
                else:
                    empty += 1
                    run += 1
            return empty, run
        return gap_size

    def _last_paragraphs(self) -> tuple[dict[int, tuple[list[int], list[int], int]], int]:
        """Per post with two or more text lines: its text lines, its last paragraph (after its
        last gap) and the gap's height; and how many gaps the posts hold inside."""
        u = self.units
        gap_size = self._gap_sizer()
        info: dict[int, tuple[list[int], list[int], int]] = {}
        internal_gaps = 0
        for k, body in enumerate(self.body_units):
            body = [x for x in body if self.v[x] is not None and self.v[x].is_body and u[x].text]
            if len(body) < 2:
                continue
            sizes = [gap_size(body[p - 1], body[p]) for p in range(1, len(body))]
            gaps = [p + 1 for p, (size, _run) in enumerate(sizes) if size]
            para = body[gaps[-1]:] if gaps else []
            last = sizes[gaps[-1] - 1] if gaps else (0, 0)
            # html2text closes the post's table with a 「---」 row: what follows is the signature row
            table_end = bool(gaps) and any(u[x].extra.get("table_rule")
                                           for x in range(body[gaps[-1] - 1] + 1, body[gaps[-1]]))
            info[k] = (body, para, 99 if table_end else last[1])
            internal_gaps += max(0, len(gaps) - 1)
        return info, internal_gaps

    def _repeated_endings(self, info: dict[int, tuple[list[int], list[int], int]]) -> Callable[[str], bool]:
        """A test of an ending's text: a trailing text is a signature when it trails posts of
        several authors (site text), or every post of its one author."""
        u = self.units
        endings: dict[str, set[int]] = {}
        for k, (body, para, _size) in info.items():
            for key in {lines_key(u, body[-1:]), lines_key(u, para) if len(para) <= 3 else ""} - {""}:
                endings.setdefault(key, set()).add(k)
        posts_of: dict[str | None, set[int]] = {}
        for k, post in enumerate(self.doc.posts):
            if self.body_units[k]:
                posts_of.setdefault(post.author, set()).add(k)

        @cache  # (many posts share one ending: answer each ending once)
        def is_signature(key: str) -> bool:
            ks = endings.get(key, set())
            if len(ks) < 2:
                return False
            authors = {self.doc.posts[k].author for k in ks}
            if len(authors) >= 2 and None not in authors:
                return True
            return all(posts_of.get(a, set()) <= ks for a in authors)
        return is_signature

    def _trim_next_column(self, k: int, body: list[int]) -> list[int]:
        """Without an action bar to close a post, the next post's author column ends its body:
        give back the trailing lines that are author-column lines (stats, group, status, name)."""
        u = self.units
        cut = len(body)
        while cut > 0:
            i = body[cut - 1]
            t = u[i].norm
            nxt = u[body[cut]].norm if cut < len(body) else ""
            if is_column_line(t) or (namelike(t) and cut < len(body) and (
                    nxt.startswith(t) or R.ONLINE_STATUS.match(nxt))):
                cut -= 1
                continue
            if namelike(t) and sum(is_column_line(u[x].norm) for x in body[cut:]) >= 2:
                cut -= 1  # the name at the top of a column of stats (6/7: group, UID, 帖子, 积分 …)
            break
        if cut == len(body) or cut == 0:
            return body
        for i in range(body[cut], self.heads[k + 1].start):
            self.v[i] = removed("user sidebar", k + 1)
        return body[:cut]
