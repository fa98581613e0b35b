"""Plain-text dumps of whole Discuz pages (anatomy §11): one verdict for every line.

A dump keeps the page's reading order and loses its structure, so this family reads the
structure back from the text Discuz prints: the thread header (「查看: N|回复: N」, the subject,
「[复制链接]」), each post's header (「[NAME] 发表于 TIME | 只看该作者 …」, floor labels before it),
the author column before or beside it, the action bar after it (「回复 / 使用道具 举报」) and the
end-of-page block (「本版积分规则」, 「GMT+8, …」, 「Powered by Discuz!」). The same landmarks
cover desktop, 7.x, touch, archiver, printable and portal pages, whichever tool flattened them
(crawler lines, Markdown converters, w3m/lynx/inscriptis screens, ``innerText``).

Every line becomes one ``Block`` (markup and table columns split a line into several); the
shared text rules then handle source lines, disclaimers, smiley codes and glued jammer runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..blocks import BODY, Block, Verdict, kept, removed
from ..dates import is_relative, parse_footer_clock, parse_time
from ..model import KIND_ARTICLE, KIND_NONE, KIND_THREAD, Document, Post
from ..page import Page, looks_like_markdown
from ..rules import textdump as R
from .base import Family, Labelled
from .textbody import PostLines
from .textlines import (
    BREADCRUMB,
    LIST_ROW,
    SENTENCE,
    Head,
    chrome_reason,
    eat_tokens,
    first_piece,
    floor_in,
    floor_of,
    int_after,
    is_action_bar,
    is_chrome,
    is_decor,
    is_prose,
    is_tools,
    name_in_column,
    namelike,
    parse_pre,
    raw_offset,
    site_from_links,
    strip_type,
    title_like,
)
from .textprep import Piece, Unit, norm, single_spaced, units_of

MARKUP = removed("markup")


def _move(h: Head, at: int, by: int) -> None:
    """Move a header's unit indices at or after ``at`` by ``by`` (units were inserted before them)."""
    if by:
        h.start += by if h.start >= at else 0
        h.unit += by if h.unit >= at else 0
        h.end += by if h.end >= at else 0
        if h.author_unit is not None and h.author_unit >= at:
            h.author_unit += by


@dataclass
class _Layout:
    """Which page template the dump shows (they differ in where signatures and titles sit)."""

    archiver: bool = False
    printable: bool = False
    portal: bool = False
    touch: bool = False


class TextDump(Family):
    """Any text dump of a Discuz page; pages without posts come out as ``none``."""

    name = "textdump"
    input_format = "text"

    def claims(self, page: Page) -> bool:
        return page.input_format == "text"

    def label(self, page: Page, full: bool = False) -> Labelled:
        reader = _Reader(page)
        reader.run()
        return Labelled(doc=reader.doc, blocks=reader.blocks(), jammer_text=True)


class _Reader(PostLines):
    """One pass over a dump: page facts, post headers, the page top and end, then each post."""

    def __init__(self, page: Page) -> None:
        self.page = page
        text = single_spaced(page.text)
        self.md = looks_like_markdown(text)
        self.units = units_of(text, self.md)
        self.v: list[Verdict | None] = [None] * len(self.units)
        self.doc = Document(family=TextDump.name, kind=KIND_NONE, input_format="text")
        self.layout = _Layout()
        self.heads: list[Head] = []
        self.footer = len(self.units)
        self.inserted = 0  # units split off lines while posts are read (see _shift)
        self.offset: str | None = None
        self.starter: str | None = None
        self.body_units: list[list[int]] = []
        self.top_end = -1
        self.archiver_title: str | None = None
        self.action_bars = 0
        self.main_lines: set[int] = set()

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

    # -- the whole pass ------------------------------------------------------------------------
    def run(self) -> None:
        self.page_facts()
        self.find_heads()
        self.find_footer()
        self.label_footer()
        if self.heads:
            self.label_top()
            self.label_posts()
            self.signatures()
        else:
            self.no_heads()
        self.finish()

    # -- page facts: crawler header, footer clock, generator, site ---------------------------------
    def page_facts(self) -> None:
        text = self.page.text
        u = self.units
        n = len(u)
        for i in range(min(n, 8)):
            t = u[i].norm
            m = R.CRAWLER_URL.match(t) or R.FROM_URL.match(t)
            if m and not self.doc.url:
                self.doc.url = m.group("url")
                self.v[i] = kept("url")
            elif R.CRAWLER_META.match(t) and i < 4:
                self.v[i] = removed("crawler header")
        if self.md:
            for i in range(min(n, 12)):
                t = u[i].norm
                m = R.READER_ORIGIN.search(self._with_urls(i))
                if m and not self.doc.url and ("原文" in t or "Original" in t or "Source" in t):
                    self.doc.url = m.group("url").rstrip(")")
                    self.v[i] = kept("url")
        tail = text[-6000:]
        clocks = list(R.FOOTER_CLOCK.finditer(tail.replace("\n", " ")))
        if clocks:
            self.doc.timezone, self.doc.rendered_at = parse_footer_clock(clocks[-1].group())
            self.offset = self.doc.timezone
        flat = re.sub(r"\]\([^)]*\)", " ", tail.replace("\n", " "))
        gens = list(R.POWERED.finditer(re.sub(r"[*_\[\]]", " ", flat)))
        if gens:
            self.doc.generator = re.sub(r"Discuz!\s*", "Discuz! ", re.sub(r"\s+", " ", gens[-1].group("gen"))).strip()
        if "'s Archiver" in text[:3000] or "Archiver" in tail and "Powered by" in tail and "Archiver" in \
                tail[tail.find("Powered by"):tail.find("Powered by") + 80]:
            self.layout.archiver = True
        if R.PRINT_TITLE.match(self._first_text(12)) or "[打印本页]" in text[:3000] or "[列印本頁]" in text[:3000]:
            self.layout.printable = True

    def _with_urls(self, i: int) -> str:
        """A unit's text with its Markdown link addresses put back (for metadata lines)."""
        return norm("".join(p.text for p in self.units[i].pieces).replace("*", ""))

    def _first_text(self, limit: int) -> str:
        got = [u.norm for u in self.units[:limit] if not u.blank]
        for t in got:
            if R.PRINT_TITLE.match(t):
                return t
        return ""

    # -- post headers ---------------------------------------------------------------------------
    def find_heads(self) -> None:
        u = self.units
        heads: list[Head] = []
        in_bq = False
        for i, unit in enumerate(u):
            if unit.quote_open:
                in_bq = True
            quoted = in_bq or unit.quote
            if unit.quote_close:
                in_bq = False
            if unit.blank or unit.left or quoted:
                continue
            t = unit.norm
            if R.POSTED_END.search(t):
                # 「… 发表于」 / 「2018-12-1 18:31 | …」: a narrow dump wrapped the header
                k = self.next_main(i, 1)
                if k is not None and R.TIME_START.match(u[k].norm):
                    t = t + " " + u[k].norm
                    self.v[k] = self.v[k] or removed("post header")
            h = self._printable_head(i, t) or self._verb_head(i, t) or self._touch_head(i, t)
            if h:
                heads.append(h)
        strong = [h for h in heads if h.strong]
        weak = [h for h in heads if not h.strong]
        if strong:
            heads = strong
        elif weak:
            # post times carry seconds (X2.5+) or are relative; quotes keep the absolute Y-n-j H:i
            if any(h.seconds for h in weak):
                heads = [h for h in weak if h.seconds or is_relative(h.time or "")]
            else:
                heads = weak
        if heads and not strong and R.NOT_THREAD.search(self.page.text):
            heads = []  # a moderation panel or list quoting posts: 「NAME 发表于 …」 lines are quotes there
        if not heads:
            heads = self._chapter_heads() or self._portal_head() or self._avatar_heads() or self._meta_head()
        heads.sort(key=lambda h: h.unit)
        # one header per group
        out: list[Head] = []
        for h in heads:
            if out and h.start <= out[-1].end:
                continue
            out.append(h)
        self.heads = out

    def _verb_head(self, i: int, t: str) -> Head | None:
        m = R.POSTED_RE.search(t)
        if not m:
            return None
        pre = t[:m.start()].strip()
        time = m.group("time").strip()
        rest = t[m.end():]
        tokens, rest = eat_tokens(rest)
        j = i
        left = rest.strip(" |")
        if left and any(w.startswith(left) and w != left for w in R.HEADER_TOKENS):
            # a link the dumper wrapped onto the next line: 「|ھەممە」 / 「قەۋەتنى كۆرۈش」, or at
            # the screen's edge in the middle of a word: 「| 只」 / 「看该作者」
            k = self.next_main(i)
            following = self.units[k].norm if k is not None else None
            joins = (left + " " + following, left + following) if following is not None else ()
            for count, remainder in map(eat_tokens, joins):
                if count and not remainder.strip(" |"):
                    tokens += count
                    rest = ""
                    j = k
                    break
        # token lines that follow (crawler dumps print every link on its own line)
        while True:
            k = self.next_main(j, 4)
            if k is None:
                break
            more, left = eat_tokens(self.units[k].norm)
            if more and not left.strip(" |"):
                tokens += more
                j = k
                continue
            if self.units[k].norm.strip() == "|":
                j = k
                continue
            break
        unit = self.units[i]
        if self.md and "|" in pre:
            # html2text table: what stands before a cell bar is another cell, not the author
            pre = pre.rsplit("|", 1)[1] if not R.OP_MARK.search(pre) else pre
        pre_clean, floor, op, author = parse_pre(pre)
        if author:
            author = self.units[i].orig(author)
        strong = bool(tokens) or unit.heading > 0 or not pre_clean
        if not strong and not namelike(pre_clean, digits=True):
            return None
        h = Head(start=i, unit=i, end=j, time=time, author=author, floor=floor, op_mark=op, strong=strong,
                 seconds=bool(R.HAS_SECONDS.search(time)))
        if rest.strip(" |") and not R.FROM_SUFFIX.match(rest.strip(" |")):
            # the body starts on the header line (html2text tables, printable fragments)
            h.body_from = raw_offset(unit, rest.strip(" |"))
        self._header_group(h)
        return h

    def _printable_head(self, i: int, t: str) -> Head | None:
        m = R.PRINT_HEADER.search(t)
        if not m:
            return None
        unit = self.units[i]
        if m.start() > 0:
            off = raw_offset(unit, t[m.start():])
            if off is None:
                return None
            right = unit.split(off)
            self.units.insert(i + 1, right)
            self.v.insert(i + 1, None)
            return None  # the right part is read on the next step
        self.layout.printable = True
        h = Head(start=i, unit=i, end=i, time=m.group("time"), author=unit.orig(m.group("author").strip()),
                 kind="printable",
                 seconds=bool(R.HAS_SECONDS.search(m.group("time"))))
        rest = t[m.end():]
        if rest.strip():
            h.body_from = raw_offset(unit, rest)
        return h

    def _touch_head(self, i: int, t: str) -> Head | None:
        """Touch layout: 「楼主 NAME」 (or 「楼主」 / NAME on lines of their own), then the time."""
        u = self.units
        # a sticky reply repeated at the top: 「来自 3# NAME」
        t = re.sub(r"^(?:顶\s*)?(?:来自|來自|From)\s+(?=\d+\s*#)", "", t)
        t = re.sub(r"^(\d+)\s+#", r"\1#", t)
        # w3m glues the label to the name: 「楼主橘子汽水」
        t = re.sub(rf"^({R.FLOOR_LABEL_GLUED})(?=\S)", r"\1 ", t)
        parts = t.split(" ", 1)
        floor = floor_of(parts[0])
        if floor is None:
            return None
        j = i
        author_unit = None
        if len(parts) == 2:
            name = parts[1].strip()
        else:
            j = self.next_nonblank(i, min(len(u), i + 4))
            if j is None:
                return None
            name = u[j].norm
            author_unit = j
        if not namelike(name):
            return None
        k = j
        for _ in range(3):
            k = self.next_nonblank(k, min(len(u), k + 4))
            if k is None:
                return None
            nt = u[k].norm
            m = re.match(rf"^[\d\s_]*(?P<time>{R.TIME})$", nt, re.I)
            if m:
                self.layout.touch = True
                h = Head(start=i, unit=k, end=k, time=m.group("time"), floor=floor, kind="touch",
                         seconds=bool(R.HAS_SECONDS.search(m.group("time"))))
                h.author = u[author_unit].orig(name) if author_unit is not None else u[i].orig(name)
                h.author_unit = author_unit
                return h
            if not re.fullmatch(r"[\d\s_]+", nt):
                return None
        return None

    def _header_group(self, h: Head) -> None:
        """Widen a header backwards over its floor label, jump box and decorations."""
        i = h.start - 1
        while i >= 0:
            unit = self.units[i]
            if unit.left:
                i -= 1
                continue
            if unit.blank:
                i -= 1
                continue
            t = unit.norm
            if unit.heading and not h.author and namelike(t):
                h.author = t
                h.author_unit = i
                h.start = i
                break
            if is_decor(t):
                f = floor_in(t)
                if f is not None and h.floor is None:
                    h.floor = f
                if R.OP_MARK.match(t):
                    h.op_mark = True
                h.start = i
                i -= 1
                continue
            break

    def _chapter_heads(self) -> list[Head]:
        """EPUB-style dumps: every post is a chapter headed by its number (「# 3」)."""
        out = []
        for i, unit in enumerate(self.units):
            if unit.heading and re.fullmatch(r"\d{1,6}", unit.norm):
                out.append(Head(start=i, unit=i, end=i, floor=int(unit.norm), kind="chapter"))
        return out if len(out) >= 1 and any(int(self.units[h.unit].norm) == 1 for h in out) else []

    def _portal_head(self) -> list[Head]:
        u = self.units
        for i, unit in enumerate(u):
            t = unit.norm
            m = R.PORTAL_HEADER.match(t)
            if not m:
                dm = re.match(rf"^(?P<time>{R.DATE})\s*\|$", t)
                k = self.next_nonblank(i, min(len(u), i + 3)) if dm else None
                if not dm or k is None or not R.PORTAL_PUBLISHER.match(u[k].norm):
                    continue
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
            author = None
            ma = R.PORTAL_AUTHOR.search(joined)
            if ma and ma.group("author").strip():
                author = ma.group("author").strip()
            else:
                mp = re.search(r"(?:发布者|發布者)\s*:\s*(?P<p>[^|]+?)\s*(?:\||$)", joined)
                author = mp.group("p").strip() if mp else None
            self.layout.portal = True
            self.doc.views = self.doc.views or int_after(joined, r"(?:查看|View)\s*:\s*")
            return [Head(start=i, unit=i, end=end, time=time, author=author, kind="portal")]
        return []

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

    # -- end of page ----------------------------------------------------------------------------
    def find_footer(self) -> None:
        u = self.units
        after = self.heads[-1].end + 1 if self.heads else 0
        for i in range(after, len(u)):
            if u[i].blank or u[i].quote:
                continue
            t = u[i].norm
            if R.FOOTER_START.match(t) or (self.layout.archiver and R.ARCHIVER_FULL.match(t) and
                                            t.startswith(("查看完整版本", ":"))):
                self.footer = i
                return

    def label_footer(self) -> None:
        u = self.units
        for i in range(self.footer, len(u)):
            t = u[i].norm
            if R.FOOTER_CLOCK.search(t):
                self.set(i, kept("clock"))
            elif R.POWERED.search(t):
                # Read for ``generator``, but shown as the footer it is.
                self.set(i, removed("footer"))
            elif R.ICP.search(t) or any(w in t for w in ("Archiver|", "Archiver |", "小黑屋")):
                m = R.ICP.search(t)
                if m and not self.doc.icp:
                    self.doc.icp = u[i].orig(m.group("icp")).strip()
                site = site_from_links(t, u[i + 1].norm if i + 1 < len(u) else "")
                if site and not self.doc.site:
                    self.doc.site = site
                self.set(i, removed("footer"))
            elif R.WELCOME.match(t):
                m = R.WELCOME.match(t)
                self.doc.site = self.doc.site or m.group("site")
                self.set(i, kept("site"))
            elif R.ARCHIVER_FULL.match(t) and self.layout.archiver:
                title = R.ARCHIVER_FULL.match(t).group("title").strip()
                j = i
                if not title and i + 1 < len(u):
                    j = i + 1
                    title = u[j].norm
                if title:
                    self.archiver_title = u[j].orig(title)
                self.set(i, removed("footer"))
            else:
                self.set(i, removed("footer"))

    # -- the page top: header, thread header, first author column --------------------------------
    def label_top(self) -> None:
        u = self.units
        first = self.heads[0].start
        counters = copy = None
        for i in range(first):
            if u[i].blank or self.v[i] is not None:
                continue
            t = u[i].norm
            m = R.COUNTERS.search(t)
            if m:
                counters = i
                self.doc.views, self.doc.replies = int(m.group("views")), int(m.group("replies"))
                self.set(i, kept("counters"))
                if R.COPY_LINK.search(t):
                    copy = i
                continue
            ma = R.COUNTER_ALONE.match(t)
            if ma:
                counters = i
                if ma.group("what") in ("查看", "點閱"):
                    self.doc.views = int(ma.group("n"))
                else:
                    self.doc.replies = int(ma.group("n"))
                self.set(i, kept("counters"))
                continue
            if R.COPY_LINK.search(t):
                copy = i
                self.set(i, removed("thread header"))
                continue
            ms = R.THREAD_STARTER.match(t)
            if ms:
                self.starter = u[i].orig(ms.group("name").strip())
                self.set(i, removed("thread header"))
                continue
        title_i = self._find_title(copy, counters, first)
        if title_i is None and self.archiver_title and not self.doc.title:
            self.doc.title = self.archiver_title
        mark = copy if copy is not None else counters
        # everything before the thread header is page chrome; after it, the first author column
        top_end = max(x for x in (copy, counters, title_i, -1) if x is not None)
        self.top_end = top_end if mark is not None else first - 1
        for i in range(first):
            if self.v[i] is not None:
                continue
            unit = u[i]
            if i <= self.top_end:
                self.set(i, removed(chrome_reason(unit.norm)))
            else:
                self.set(i, removed("user sidebar", 0))
        self._site_from_top(first)

    def _take_title(self, i: int, text: str) -> int:
        """Record ``text`` (a normalised part of unit ``i``) as the title."""
        title = strip_type(text.strip())
        self.doc.title = self.units[i].orig(title) or title
        if self.v[i] is None or self.v[i].role in ("counters", "thread header"):
            self.v[i] = kept("title")
        return i

    def _find_title(self, copy: int | None, counters: int | None, first: int) -> int | None:
        u = self.units

        def cand(i: int) -> str | None:
            if u[i].blank:
                return None
            t = u[i].norm
            t = R.COPY_LINK.split(t)[0]
            t = R.COUNTERS.sub("", t).strip(" |")
            t = re.sub(r"^(?:\[[^\[\]]{1,30}\]\s*)+$", "", t).strip()
            if not t or not any(ch.isalnum() for ch in t) or is_tools(t) or R.TYPE_ALONE.match(t) or \
                    R.THREAD_STARTER.match(t) or \
                    R.COUNTER_ALONE.match(t) or not title_like(t) or is_chrome(t):
                return None
            return t

        # the counters line itself (w3m: 「查看: 3|回复: 3 SUBJECT」), the copy-link line
        for i in (counters, copy):
            if i is not None and not R.COUNTER_ALONE.match(u[i].norm):
                t = u[i].norm
                m = R.COUNTERS.search(t)
                rest = t[m.end():] if m else t
                rest = R.COPY_LINK.split(rest)[0].strip(" |")
                rest = re.sub(r"^(?:\[[^\[\]]{1,30}\]\s*)+$", "", rest).strip()
                if rest and title_like(rest) and not is_tools(rest) and not is_chrome(rest):
                    return self._take_title(i, rest)
        if counters is not None and copy is not None and counters < copy:
            for i in range(counters + 1, copy):
                t = cand(i)
                if t:
                    return self._take_title(i, t)
        if copy is not None:
            seen = 0
            for i in range(copy - 1, -1, -1):
                if u[i].blank:
                    continue
                seen += 1
                if seen > 6:
                    break
                if R.COUNTERS.search(u[i].norm):
                    continue
                t = cand(i)
                if t:
                    return self._take_title(i, t)
        if counters is not None and copy is None:
            for i in range(counters + 1, first):
                t = cand(i)
                if t:
                    return self._take_title(i, t)
        # printable 「标题:」, a Markdown heading, the archiver's breadcrumb, the line before the post
        for i in range(first):
            m = R.PRINT_TITLE.match(u[i].norm)
            if m:
                return self._take_title(i, m.group("title"))
        for i in range(first):
            if u[i].heading == 1 and not u[i].quote and not re.fullmatch(r"\d+", u[i].norm):
                t = cand(i)
                if t:
                    return self._take_title(i, t)
        if self.layout.archiver:
            for i in range(first):
                t = u[i].norm
                if BREADCRUMB.search(t):
                    last = re.split(r"\s*[»›]\s*", t)[-1].strip()
                    if last and not last.endswith("..."):
                        return self._take_title(i, last)
        if self.layout.touch or self.layout.portal:
            i = first - 1
            while i >= 0 and (u[i].blank or not u[i].text):
                i -= 1
            if i >= 0:
                t = cand(i)
                if t:
                    return self._take_title(i, t)
        return None

    def _site_from_top(self, first: int) -> None:
        if self.doc.site:
            return
        u = self.units
        for i in range(min(first, 40)):
            t = u[i].norm
            m = R.ARCHIVER_HEAD.match(t)
            if m:
                self.doc.site = m.group("site").strip()
                self.set(i, kept("site"), force=True)
                return
        # the banner's name: a short line among the first lines, before the thread header
        for i in range(min(first, 12)):
            t = u[i].norm
            role = self.v[i].role if self.v[i] is not None else None
            if role in ("counters", "title", "thread header", "user sidebar"):
                break
            if not t or role not in (None, "header", "navigation") or R.CRAWLER_META.match(t):
                continue
            bare = re.sub(r"[\w\-]+(?:\.[\w\-]+)+", "", t.replace(" - ", ""))  # a domain is no sentence
            if is_chrome(t) or SENTENCE.search(bare) or len(t) > 24 or R.TYPE_ALONE.match(t) or \
                    not any(ch.isalnum() for ch in t):
                continue
            name = re.split(r"\s+-\s+", t)[0].strip()
            if name and not R.PRINT_TITLE.match(t):
                self.doc.site = name
                self.set(i, kept("site"), force=True)
            return

    # -- posts ------------------------------------------------------------------------------------
    def label_posts(self) -> None:
        u = self.units
        heads = self.heads
        kind = KIND_ARTICLE if heads[0].kind == "portal" else KIND_THREAD
        self.doc.kind = kind
        chapter_author = self._chapter_author() if heads[0].kind == "chapter" else None
        for k, h in enumerate(heads):
            if k + 1 < len(heads):
                # The next header is read during this post: bring it up to date with every unit
                # inserted so far (all of them lie before it).
                _move(heads[k + 1], 0, self.inserted)
            post = Post(floor=h.floor)
            post.published = self._time(h.time)
            end = (heads[k + 1].start if k + 1 < len(heads) else self.footer)
            # the author column before the header (not for the first post: label_top did that)
            zone_start = self._zone_start(k)
            author = h.author
            if author is None:
                author = self._sidebar_author(zone_start, h.start, end)
            if author is None and h.kind == "desktop" and k > 0 or author is None and self.layout.archiver:
                author = self._name_before(h)
            if author is None and h.op_mark and self.starter:
                author = self.starter
            if author is None and chapter_author and h.floor == 1:
                author = chapter_author
            post.author = author
            for i in range(zone_start, h.start):
                if self.v[i] is None:
                    self.set(i, removed("user sidebar", k))
            for i in range(h.start, h.end + 1):
                if i == h.author_unit:
                    self.set(i, kept("author", k))
                elif self.v[i] is None:
                    self.set(i, kept("published", k) if i == h.unit and h.time else removed("post header", k))
            body_start = h.end + 1
            if h.body_from is not None:
                right = u[h.unit].split(h.body_from)
                u.insert(h.unit + 1, right)
                self.v.insert(h.unit + 1, None)
                self._shift(k, h.unit + 1)
                end = (heads[k + 1].start if k + 1 < len(heads) else self.footer)
                body_start = h.unit + 1 if h.unit == h.end else h.end + 1
                if h.unit != h.end:
                    body_start = h.end + 1
            if post.floor is None and h.kind == "desktop" and k == 0 and self._page_one():
                post.floor = 1
            self.doc.posts.append(post)
            body = self._label_body(k, body_start, end, h)
            if k + 1 < len(heads):
                body = self._trim_next_column(k, body)
            self.body_units.append(body)
            if k == 0 and not self.doc.title:
                self._title_in_post()
        if self.layout.portal:
            self.doc.kind = KIND_ARTICLE

    def _shift(self, k: int, at: int) -> None:
        """A unit was inserted at ``at``, inside post ``k`` (its header or body): move later
        indices along.

        Only the header being read and the next one are moved here; the headers after it are
        moved when their turn comes (``label_posts``): moving them all for every insertion was
        quadratic on dumps whose thousands of headers all carry body text. Earlier posts' body
        units all lie before ``at`` and never move.
        """
        _move(self.heads[k], at, 1)
        if k + 1 < len(self.heads):
            _move(self.heads[k + 1], at, 1)
        if self.footer >= at:
            self.footer += 1
        self.inserted += 1

    def _zone_start(self, k: int) -> int:
        """Where post ``k``'s author column starts (the lines before its header)."""
        if k == 0:
            return self.top_end + 1
        i = self.heads[k].start
        while i > self.heads[k - 1].end + 1 and self.v[i - 1] is not None and \
                self.v[i - 1].role == "user sidebar":
            i -= 1
        return i

    def _page_one(self) -> bool:
        first = self.heads[0]
        t = " ".join(self.units[i].norm for i in range(first.start, first.end + 1))
        return any(w in t for w in ("阅读模式", "閱讀模式", "Reading Mode", "倒序浏览", "倒序瀏覽", "显示全部楼层",
                                    "顯示全部樓層", "Show All Floors"))

    def _time(self, text: str | None) -> str | None:
        if not text:
            return None
        got = parse_time(text, self.offset, self.doc.rendered_at if is_relative(text) else None)
        return got

    def _chapter_author(self) -> str | None:
        for unit in self.units[:12]:
            m = re.match(r"^(?:作者|Author)\s*[:：]\s*(?P<a>\S.*)$", unit.norm)
            if m:
                return m.group("a").strip()
        return None

    def _sidebar_author(self, lo: int, hi: int, end: int) -> str | None:
        """The author's name from the author column (before the header, or beside it)."""
        u = self.units
        idx = [i for i in range(lo, hi) if not u[i].blank and (self.v[i] is None or self.v[i].role == "user sidebar")]
        left_after = [i for i in range(hi, end) if u[i].left and not u[i].blank]
        for group in (idx, left_after):
            name = name_in_column(u, group)
            if name:
                return name
        return None

    def _name_before(self, h: Head) -> str | None:
        """Archiver / innerText: the name sits alone on the line before the header."""
        i = h.start - 1
        if i < 0 or self.units[i].blank:
            return None
        t = self.units[i].norm
        if namelike(t) and not is_chrome(t):
            self.set(i, kept("author", len(self.doc.posts)), force=True)
            return t
        return None

    # -- one post's lines ---------------------------------------------------------------------------
    # -- pages without post headers --------------------------------------------------------------------
    def no_heads(self) -> None:
        """No post header: a page of another kind, or a fragment of one post's text."""
        u = self.units
        text = self.page.text
        prose = [i for i, unit in enumerate(u) if self.v[i] is None and not unit.blank and
                 is_prose(unit.norm) and not is_chrome(unit.norm)]
        rows = sum(1 for unit in u if LIST_ROW.search(unit.norm))
        # a whole page (its header or footer is there) without a post header is another kind of page;
        # only a fragment cut from inside a post has neither
        framed = self.footer < len(u) or sum(1 for unit in u if is_chrome(unit.norm)) >= 3 or \
            R.POWERED.search(text) is not None
        if prose and not framed and not R.NOT_THREAD.search(text) and not R.COUNTERS.search(text) and rows < 2:
            post = Post()
            self.doc.posts.append(post)
            self.doc.kind = KIND_THREAD
            body = []
            for i, unit in enumerate(u):
                if self.v[i] is not None:
                    continue
                t = unit.norm
                if unit.blank:
                    self.set(i, kept(BODY, 0))
                elif is_chrome(t) or t in ("TOP", "顶部", "返回顶部") or is_action_bar(t):
                    self.set(i, removed(chrome_reason(t)))
                else:
                    self.set(i, kept(BODY, 0))
                    body.append(i)
            self.body_units.append(body)
            return
        for i, unit in enumerate(u):
            self.set(i, removed(chrome_reason(unit.norm)))

    # -- output -------------------------------------------------------------------------------------
    def finish(self) -> None:
        doc = self.doc
        if doc.title:
            doc.title = doc.title.strip()
        if not doc.posts:
            doc.kind = KIND_NONE
        for i in range(len(self.v)):
            if self.v[i] is None:
                self.v[i] = removed("page chrome")

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        for unit, v in zip(self.units, self.v, strict=True):
            verdict = v or removed("page chrome")
            pieces = unit.pieces or [Piece("")]
            first = unit.first
            for p in pieces:
                if p.markup:
                    out.append(Block(p.text, MARKUP if verdict.keep else verdict, first))
                else:
                    out.append(Block(p.text, verdict, first))
                first = False
        return out
