"""Post starts in dumps that print no Discuz post header: archives (EPUB chapters, reader-mode
Markdown, scraper metadata, record lines) and portal articles (anatomy §10)."""


from __future__ import annotations

import re

from ..blocks import Verdict
from ..rules import textdump as R
from .lines import (
    Head,
    first_piece,
    floor_of,
    int_after,
    namelike,
    raw_offset,
    record_cells,
)
from .prep import Unit
from .state import DumpState


class ArchiveHeads(DumpState):
    """Finds where posts start when the dump has no post header line."""

    def _chapter_heads(self) -> list[Head]:
        """EPUB-style dumps: every post is a chapter headed by its number (「# 3」)."""
        out = []
        for i, unit in enumerate(self.units):
            if unit.heading and re.fullmatch(r"\d{1,6}", unit.norm):
                out.append(Head(start=i, unit=i, end=i, floor=int(unit.norm), kind="chapter"))
        return out if len(out) >= 1 and any(int(self.units[h.unit].norm) == 1 for h in out) else []

    def _portal_head(self) -> list[Head]:
        """The portal article's meta line (portal/view.htm 「T | 发布者: NAME | 查看: N | 评论: N
        [| 原作者: A] [| 来自: S]」, or a theme's 「发布: … | 点击: … | 来自: …」), wrapped or not."""
        u = self.units
        for i, unit in enumerate(u):
            if not self._portal_meta(i):
                continue
            t = unit.norm
            end = i
            joined = t
            j = i
            while j + 1 < len(u) and j < i + 10:
                nt = u[j + 1].norm
                if u[j + 1].blank:
                    j += 1
                    continue
                if re.match(r"^(?:发布者|發布者|查看|評論|评论|原作者|来自|來自|\||\d+\s*\|?|\d+)\b", nt) or \
                        nt in ("|",) or re.match(r"^(?:查看|评论|評論)\s*:", nt):
                    joined += " " + nt
                    j += 1
                    end = j
                    continue
                break
            time = R.DATE_RE.search(joined).group()
            # the gold's author: 原作者 when the page names one, else the publisher
            ma = R.PORTAL_AUTHOR.search(joined)
            mp = re.search(r"(?:发布者|發布者|Publisher|发布|發布)\s*:\s*(?P<p>[^|]+?)\s*(?:\||$)", joined)
            author = ma.group("author").strip() if ma and ma.group("author").strip() else \
                mp.group("p").strip() if mp else None
            self.doc.views = self.doc.views or int_after(joined, r"(?:查看|View)\s*:\s*")
            return [Head(start=i, unit=i, end=end, time=time, author=author, kind="portal")]
        return []

    def _portal_meta(self, i: int) -> bool:
        u = self.units
        t = u[i].norm
        if R.PORTAL_HEADER.match(t) or R.PORTAL_TOUCH_META.match(t):
            return True
        if re.match(rf"^(?P<time>{R.DATE})\s*\|$", t):
            k = self.next_nonblank(i, min(len(u), i + 3))
            return k is not None and R.PORTAL_PUBLISHER.match(u[k].norm) is not None
        if R.PORTAL_PUBLISHER.match(t):  # the same cells wrapped the other way round: publisher, then time
            k = self.next_nonblank(i, min(len(u), i + 3))
            return k is not None and re.match(rf"^{R.DATE}(?:\s+\d{{1,2}}:\d\d)?\s*\|?$", u[k].norm) is not None
        # a theme's own meta line: a date and two labelled cells, one of them the portal's own
        return R.DATE_RE.search(t) is not None and len(R.PORTAL_LABEL.findall(t)) >= 2 and \
            R.PORTAL_OWN_LABEL.search(t) is not None and not R.POSTED_RE.search(t)

    def _record_heads(self) -> list[Head]:
        """Record lines: a time, a name and a floor mark and nothing else, in one order that
        repeats (or a Markdown heading): 「2007-6-3 19:20墨池」 (Discuz 5's archiver),
        「### 2 楼｜NAME｜2022-2-28 00:44:59」 (thread archives)."""
        found: dict[tuple[str, ...], list[Head]] = {}
        for i, unit in enumerate(self.units):
            if unit.blank or unit.left or unit.quote:
                continue
            got = record_cells(unit.norm)
            if got is None:
                continue
            shape, cells = got
            h = Head(start=i, unit=i, end=i, time=cells["time"], floor=floor_of(cells.get("floor", "")),
                     author=unit.orig(cells["name"]) if "name" in cells else None, kind="record",
                     seconds=bool(R.HAS_SECONDS.search(cells["time"])))
            found.setdefault(shape if not unit.heading else ("heading",) + shape, []).append(h)
        if not found:
            return []
        shape, heads = max(found.items(), key=lambda kv: len(kv[1]))
        return heads if len(heads) >= 2 or shape[0] == "heading" else []

    def _avatar_heads(self) -> list[Head]:
        """Reader-mode Markdown where each reply starts with the author's avatar image."""
        if not self.md:
            return []
        # split units at every avatar image, so each reply is a unit of its own
        out: list[Unit] = []
        verdicts: list[Verdict | None] = []
        for unit, v in zip(self.units, self.v, strict=True):
            pieces = unit.pieces
            idx = [k for k, p in enumerate(pieces) if p.markup and p.text.startswith("![") and
                   R.MD_AVATAR.search(p.text)]
            if not idx or (len(idx) == 1 and idx[0] == first_piece(pieces)):
                out.append(unit)
                verdicts.append(v)
                continue
            start = 0
            first = unit.first
            for k in idx + [len(pieces)]:
                if k > start:
                    part = Unit(unit.line, pieces[start:k], first=first, col=unit.col)
                    part.avatar = any(p.markup and R.MD_AVATAR.search(p.text) and p.text.startswith("![")
                                      for p in pieces[start:k])
                    out.append(part)
                    verdicts.append(v)
                    first = False
                start = k
        self.units = out
        self.v = verdicts
        self.columns = any(x.left for x in out)  # (a split unit's parts are not in the left column)
        heads = []
        for i, unit in enumerate(self.units):
            if not unit.avatar:
                continue
            t = unit.text
            if not t:
                continue
            name = t.split(" ", 1)[0]
            if not namelike(name, digits=True):
                continue
            h = Head(start=i, unit=i, end=i, author=name, kind="avatar")
            off = raw_offset(unit, t[len(name):]) if len(t) > len(name) else None
            h.body_from = off
            heads.append(h)
        return heads if len(heads) >= 2 else []

    def _meta_head(self) -> list[Head]:
        """Scraper Markdown with one metadata line: 「**作者**: NAME | **发布时间**: TIME | …」."""
        for i, unit in enumerate(self.units[:20]):
            t = unit.norm
            ma, mt = R.META_AUTHOR.search(t), R.META_TIME.search(t)
            if ma and mt:
                mv = R.META_VIEWS.search(t)
                if mv:
                    self.doc.views, self.doc.replies = int(mv.group("views")), int(mv.group("replies"))
                end = i
                while end + 1 < len(self.units) and (self.units[end + 1].quote or self.units[end + 1].blank):
                    end += 1
                    if self.units[end].quote:
                        m = R.READER_ORIGIN.search(self._with_urls(end))
                        if m and not self.doc.url:
                            self.doc.url = m.group("url").rstrip(")")
                return [Head(start=i, unit=i, end=end, time=mt.group("time"), author=ma.group("author").strip(),
                             kind="meta")]
        return []
