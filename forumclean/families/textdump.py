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
from dataclasses import dataclass, field

from ..blocks import BODY, Block, Verdict, kept, removed
from ..dates import is_relative, parse_footer_clock, parse_time
from ..model import KIND_ARTICLE, KIND_NONE, KIND_THREAD, Document, Edit, Post, Quote
from ..page import Page, looks_like_markdown
from ..rules import textdump as R
from ..rules.strings import NOTICES, SOURCE_LABELS
from .base import Family, Labelled
from .textprep import Piece, Unit, norm, norm_map, units_of

MARKUP = removed("markup")
SOURCE_LABEL_ONLY = re.compile(r"^[\[【(（]?\s*(?:" + "|".join(re.escape(x) for x in SOURCE_LABELS) +
                               r")\s*[\]】)）]?\s*[:：]?$")
_NAME_BAD = re.compile(r"[，。！？；：,!?;:：「」“”\"（）()【】\[\]<>《》]|https?://|\d{4}-\d{1,2}-\d{1,2}")
_JAMMER_LINE = re.compile(r"^(?:[\x21-\x3b] [\x3f-\x7e]|\x20 ?[\x3f-\x7e]){3,}\s*$")
_IMAGE_URLS = re.compile(r"^(?:https?://\S+?\.(?:jpe?g|png|gif|bmp|webp)(?:\?\S*)?\s*)+$", re.I)
_CODE_NUMBER = re.compile(r"^\s*(?:\d{1,4}\.(?:\s+|$))+")
# A forum list's row: author, date, 「replies / views」.
_LIST_ROW = re.compile(r"(?:19|20)\d\d-\d{1,2}-\d{1,2}.*?\b\d+\s*/\s*\d+\b")
_BREADCRUMB = re.compile(r"[»›]| > ")
_ROLE_SEP = re.compile(r"\s*\|\s*")
_SENTENCE = re.compile(r"[，。！？；,.!?;…]")
_PAGER = re.compile(r"^(?:\d+\s*)+(?:/\s*\d+\s*(?:页|頁|بەت))?\s*(?:下一页|下一頁|›|»)?$|"
                    r".*/\s*\d+\s*(?:页|頁|بەت).*|^(?:上一页|下一页|上一頁|下一頁)$")


@dataclass
class Head:
    """A post start found in the dump."""

    start: int            # first unit of the header group (floor labels, decorations)
    unit: int             # the unit holding the time (or the layout's header line)
    end: int              # last unit of the header group
    time: str | None = None
    author: str | None = None
    floor: int | None = None
    op_mark: bool = False
    strong: bool = True
    seconds: bool = False
    body_from: int | None = None   # unit index where the body starts inside the header unit
    kind: str = "desktop"
    author_unit: int | None = None


@dataclass
class _Layout:
    markdown: bool = False
    archiver: bool = False
    printable: bool = False
    portal: bool = False
    touch: bool = False


@dataclass
class _State:
    doc: Document
    units: list[Unit]
    verdicts: list[Verdict | None]
    layout: _Layout = field(default_factory=_Layout)


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


class _Reader:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.md = looks_like_markdown(page.text)
        self.units = units_of(page.text, self.md)
        self.v: list[Verdict | None] = [None] * len(self.units)
        self.doc = Document(family=TextDump.name, kind=KIND_NONE, input_format="text")
        self.layout = _Layout(markdown=self.md)
        self.heads: list[Head] = []
        self.footer = len(self.units)
        self.offset: str | None = None
        self.starter: str | None = None
        self.body_units: list[list[int]] = []
        self.top_end = -1
        self.archiver_title: str | None = None
        self.action_bars = 0
        self.main_lines: set[int] = set()

    # -- helpers -----------------------------------------------------------------------------
    def n(self, i: int) -> str:
        return self.units[i].norm

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
            self.doc.generator = re.sub(r"\s+", " ", gens[-1].group("gen")).replace("! ", "! ").strip()
            self.doc.generator = re.sub(r"Discuz!\s*", "Discuz! ", self.doc.generator)
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
        tokens, rest = _eat_tokens(rest)
        j = i
        left = rest.strip(" |")
        if left and any(w.startswith(left) and w != left for w in R.HEADER_TOKENS):
            # a link the dumper wrapped onto the next line: 「|ھەممە」 / 「قەۋەتنى كۆرۈش」
            k = self.next_main(i)
            if k is not None and _eat_tokens(left + " " + self.units[k].norm)[0] and \
                    not _eat_tokens(left + " " + self.units[k].norm)[1].strip(" |"):
                tokens += 1
                rest = ""
                j = k
        # token lines that follow (crawler dumps print every link on its own line)
        while True:
            k = self.next_main(j, 4)
            if k is None:
                break
            more, left = _eat_tokens(self.units[k].norm)
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
        pre_clean, floor, op, author = _parse_pre(pre)
        if author:
            author = self.units[i].orig(author)
        strong = bool(tokens) or unit.heading > 0 or not pre_clean
        if not strong and not _namelike(pre_clean, digits=True):
            return None
        h = Head(start=i, unit=i, end=j, time=time, author=author, floor=floor, op_mark=op, strong=strong,
                 seconds=bool(R.HAS_SECONDS.search(time)))
        if rest.strip(" |") and not R.FROM_SUFFIX.match(rest.strip(" |")):
            # the body starts on the header line (html2text tables, printable fragments)
            h.body_from = _raw_offset(unit, rest.strip(" |"))
        self._header_group(h)
        return h

    def _printable_head(self, i: int, t: str) -> Head | None:
        m = R.PRINT_HEADER.search(t)
        if not m:
            return None
        unit = self.units[i]
        if m.start() > 0:
            off = _raw_offset(unit, t[m.start():])
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
            h.body_from = _raw_offset(unit, rest)
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
        floor = _floor_of(parts[0])
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
        if not _namelike(name):
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
            if unit.heading and not h.author and _namelike(t):
                h.author = t
                h.author_unit = i
                h.start = i
                break
            if _is_decor(t):
                f = _floor_in(t)
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
            self.doc.views = self.doc.views or _int_after(joined, r"(?:查看|View)\s*:\s*")
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
            if not idx or (len(idx) == 1 and idx[0] == _first_piece(pieces)):
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
            if not _namelike(name, digits=True):
                continue
            h = Head(start=i, unit=i, end=i, author=name, kind="avatar")
            off = _raw_offset(unit, t[len(name):]) if len(t) > len(name) else None
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
                self.set(i, kept("generator"))
            elif R.ICP.search(t) or any(w in t for w in ("Archiver|", "Archiver |", "小黑屋")):
                m = R.ICP.search(t)
                if m and not self.doc.icp:
                    self.doc.icp = u[i].orig(m.group("icp")).strip()
                site = _site_from_links(t, u[i + 1].norm if i + 1 < len(u) else "")
                if site and not self.doc.site:
                    self.doc.site = site
                    self.set(i, kept("site"))
                else:
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
                self.set(i, removed(_chrome_reason(unit.norm)))
            else:
                self.set(i, removed("user sidebar", 0))
        self._site_from_top(first)

    def _take_title(self, i: int, text: str) -> int:
        """Record ``text`` (a normalised part of unit ``i``) as the title."""
        title = _strip_type(text.strip())
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
            if not t or not any(ch.isalnum() for ch in t) or _is_tools(t) or R.TYPE_ALONE.match(t) or \
                    R.THREAD_STARTER.match(t) or \
                    R.COUNTER_ALONE.match(t) or not _title_like(t) or _is_chrome(t):
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
                if rest and _title_like(rest) and not _is_tools(rest) and not _is_chrome(rest):
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
                if _BREADCRUMB.search(t):
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
        for i in range(min(first, 12)):
            t = u[i].norm
            if not t or self.v[i] in (kept("url"),) or R.CRAWLER_META.match(t):
                continue
            if _is_chrome(t) or _SENTENCE.search(t.replace(" - ", "")) or len(t) > 24:
                continue
            if self.v[i] is not None and self.v[i].keep:
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
                self._shift(h.unit + 1)
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

    def _trim_next_column(self, k: int, body: list[int]) -> list[int]:
        """Without an action bar to close a post, the next post's author column ends its body:
        give back the trailing lines that are author-column lines (stats, group, status, name)."""
        u = self.units
        cut = len(body)
        while cut > 0:
            i = body[cut - 1]
            t = u[i].norm
            nxt = u[body[cut]].norm if cut < len(body) else ""
            if _is_column_line(t) or (_namelike(t) and nxt.startswith(t) and cut < len(body)):
                cut -= 1
                continue
            break
        if cut == len(body) or cut == 0:
            return body
        for i in body[cut:]:
            self.v[i] = removed("user sidebar", k + 1)
        return body[:cut]

    def _shift(self, at: int) -> None:
        """A unit was inserted at ``at``: move every later index along."""
        for h in self.heads:
            for name in ("start", "unit", "end"):
                val = getattr(h, name)
                if val >= at:
                    setattr(h, name, val + 1)
            if h.author_unit is not None and h.author_unit >= at:
                h.author_unit += 1
        if self.footer >= at:
            self.footer += 1
        self.body_units = [[i + 1 if i >= at else i for i in b] for b in self.body_units]

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
            name = _name_in_column(u, group)
            if name:
                return name
        return None

    def _name_before(self, h: Head) -> str | None:
        """Archiver / innerText: the name sits alone on the line before the header."""
        i = h.start - 1
        if i < 0 or self.units[i].blank:
            return None
        t = self.units[i].norm
        if _namelike(t) and not _is_chrome(t):
            self.set(i, kept("author", len(self.doc.posts)), force=True)
            return t
        return None

    # -- one post's lines ---------------------------------------------------------------------------
    def _label_body(self, k: int, start: int, end: int, h: Head) -> list[int]:
        u = self.units
        self.main_lines = {x.line for x in u if not x.left and x.text}
        state = "body"
        body: list[int] = []
        in_bq = False
        poll = False
        base_col: int | None = u[h.unit].col if not u[h.unit].left and h.kind == "desktop" else None
        last_removed: str | None = None
        after_login = False
        post = self.doc.posts[k]
        i = start - 1
        while i + 1 < end:
            i += 1
            unit = u[i]
            if self.v[i] is not None:
                continue
            t = unit.norm
            if unit.quote_open:
                in_bq = True
            if in_bq or unit.quote_close:
                if unit.quote_close:
                    in_bq = False
                self._quote(post, i, k)
                continue
            if unit.left:
                self.set(i, removed("user sidebar", k))
                continue
            if state == "after":
                nxt = k + 1 if k + 1 < len(self.heads) else k
                self.set(i, removed("action bar", k) if _is_action_bar(t) else removed("user sidebar", nxt))
                continue
            if unit.blank:
                self.set(i, kept(BODY, k) if state == "body" else removed("after post", k))
                if unit.rule and body:
                    unit.extra["after_text"] = True
                continue
            if _is_action_bar(t):
                self.set(i, removed("action bar", k))
                self.action_bars += 1
                state = "after"
                continue
            if state == "tail":
                self.set(i, removed(_tail_reason(t), k))
                continue
            if unit.quote:
                self._quote(post, i, k)
                continue
            if base_col is None or unit.col < base_col:
                base_col = unit.col
            if R.TAIL_LINES.match(t) or R.CLIENT_SIGNATURE.match(t) or (
                    self.layout.portal and (R.PORTAL_TAIL.match(t) or _PAGER.match(t))):
                self.set(i, removed(_tail_reason(t), k))
                state = "tail"
                continue
            if SOURCE_LABEL_ONLY.match(t):
                # 「来源:」 alone, the address on the next line
                nxt = self.next_main(i, 6)
                url = u[nxt].norm if nxt is not None and nxt < end else ""
                if re.fullmatch(r"https?://\S+", url):
                    self.set(i, kept("source", k))
                    self.set(nxt, kept("source", k))
                    if url not in self.doc.source_urls:
                        self.doc.source_urls.append(url)
                    continue
            if self.layout.portal and R.PORTAL_SUMMARY.match(t):
                self.set(i, removed("summary", k))
                # a wrapped summary runs on to its cut mark 「...」
                j = i
                while not u[j].norm.endswith("...") and j + 1 < end and j < i + 6:
                    j += 1
                    if u[j].norm.endswith("..."):
                        for x in range(i + 1, j + 1):
                            self.set(x, removed("summary", k))
                continue
            if R.MODERATION.match(t):
                self.set(i, removed("moderation note", k))
                continue
            nxt = self.next_main(i, 1)
            if nxt is not None and nxt < end and R.MODERATION_HEAD.match(t) and \
                    R.MODERATION.match(t + " " + u[nxt].norm):
                # a note a converter wrapped: 「本主题由 X 于 T」 / 「生成文章」
                self.set(i, removed("moderation note", k))
                self.set(nxt, removed("moderation note", k))
                continue
            edit = _edit_note(t)
            if edit is not None:
                post.edit = Edit(editor=edit[0], edited=parse_time(edit[1], self.offset))
                self.set(i, removed("edit note", k))
                continue
            qm = R.OLD_QUOTE_HEAD.match(t) or R.QUOTE_HEAD.match(t)
            if qm and not R.POSTED_CUT.match(t):
                post.quotes.append(Quote(author=unit.orig(_clean_name(qm.group("author"))),
                                         published=self._time(qm.group("time"))))
                self.set(i, removed("quote", k))
                quoted = self._quote_lines(i, end, base_col, old=bool(R.OLD_QUOTE_HEAD.match(t)))
                for x in quoted:
                    self.set(x, removed("quote", k))
                post.quotes[-1].text = "\n".join(u[x].text for x in quoted if u[x].text)
                continue
            if R.POSTED_CUT.match(_parse_pre(t)[0]) or R.POSTED_CUT.match(t):
                self.set(i, removed("post header", k))
                continue
            if R.POLL_OPTION.match(t) or R.POLL_END.match(t):
                self.set(i, removed("poll", k))
                poll = not R.POLL_END.match(t)
                continue
            if poll and not any(ch.isalnum() for ch in t):
                self.set(i, removed("poll", k))
                continue
            if poll or R.POLL_START.match(t):
                if R.POLL_START.match(t) or R.POLL_LINE.match(t) or re.match(r"^\d+\s*\.\s*\S", t):
                    poll = not bool(re.match(r"^(?:您所在的用户组没有投票权限|您需要\s*登录\s*之后方能进行投票|"
                                             r"您所在的用戶組沒有投票權限|您需要\s*登[錄入]\s*之後方能進行投票)", t))
                    self.set(i, removed("poll", k))
                    continue
                poll = False
            if R.HIDDEN_REPLY.match(t):
                self.set(i, removed("hidden-content notice", k))
                continue
            if R.THREAD_SWITCHES.match(t):
                self.set(i, removed("thread tools", k))
                continue
            if t.startswith(R.LOGIN_WALL) or len(t) >= 5 and any(w.startswith(t) for w in R.LOGIN_WALL):
                self.set(i, removed("login wall", k))
                after_login = True
                continue
            if after_login and t in R.CLOSE_X:
                self.set(i, removed("login wall", k))
                after_login = False
                continue
            after_login = False
            if t.startswith(R.HIDDEN_NOTICES) or any(t.startswith(x) for x in NOTICES) or \
                    re.match(r"^提示\s*:\s*(?:作者被禁止或删除|该帖被管理员或版主屏蔽)", t):
                self.set(i, removed("hidden-content notice", k))
                if R.BANNED.search(t):
                    state = "tail"  # the post's text is withheld; what follows is its signature
                continue
            if _is_attachment(t) or R.FILE_NAME.match(t) or (
                    last_removed == "attachment box" and re.fullmatch(R.DATE, t)):
                self.set(i, removed("attachment box", k))
                last_removed = "attachment box"
                continue
            last_removed = None
            if R.CODE_BUTTON.match(t):
                self.set(i, removed("code button", k))
                self._code_numbers(body)
                continue
            m = R.CODE_BUTTON_START.match(t)
            if m:
                # html2text glues the button to the next line: 「复制代码 使用前请先备份照片。」
                off = _raw_offset(unit, t[m.end():])
                if off:
                    u.insert(i + 1, unit.split(off))
                    self.v.insert(i + 1, None)
                    self._shift(i + 1)
                    end += 1
                    self.set(i, removed("code button", k))
                    self._code_numbers(body)
                    continue
            if _JAMMER_LINE.match(unit.raw.strip()) and not re.search(r"[\u4e00-\u9fff]", t):
                self.set(i, removed("jammer", k))
                continue
            if R.CODE_LEAK.match(t) and not body:
                self.set(i, removed("script", k))
                continue
            if _IMAGE_URLS.match(t):
                self.set(i, removed("image", k))
                continue
            if re.fullmatch(r"https?://\S+", t):
                # an image address a text browser broke over lines
                parts = [i]
                joined = t
                while len(parts) < 4:
                    nxt = self.next_main(parts[-1], 1)
                    if nxt is None or nxt >= end or " " in u[nxt].norm:
                        break
                    parts.append(nxt)
                    joined += u[nxt].norm
                    if _IMAGE_URLS.match(joined):
                        for x in parts:
                            self.set(x, removed("image", k))
                        break
                if self.v[i] is not None:
                    continue
            if t in R.SHARE_WORDS:
                nxt = self.next_main(i, 2)
                if nxt is not None and nxt < end and re.fullmatch(r"\d+", u[nxt].norm):
                    self.set(i, removed("share bar", k))
                    self.set(nxt, removed("share bar", k))
                    continue
            if not unit.text:
                self.set(i, kept(BODY, k))
                continue
            if not any(ch.isalnum() for ch in t):
                self.set(i, removed("markup", k))
                continue
            if k == 0 and not body and self._is_title_repeat(unit):
                self.set(i, removed("title", k))
                continue
            self.set(i, kept(BODY, k))
            body.append(i)
        return body

    def _title_in_post(self) -> None:
        """Discuz 6/7 print the subject inside the first post, above its text (div#threadtitle)."""
        body = self.body_units[0]
        if len(body) < 2 or self.md or self.heads[0].kind != "desktop" or self._page_one():
            return  # an X first post on page 1 carries 「阅读模式」; its subject sits above the post
        i = body[0]
        unit = self.units[i]
        t = unit.norm
        if len(t) > 80 or re.search(r"[。！？!?…]$|https?://", t) or i + 1 >= len(self.units) or \
                not _empty_line(self.units[i + 1]):
            return
        self._take_title(i, t)
        self.v[i] = kept("title")
        self.body_units[0] = body[1:]

    def _quote(self, post: Post, i: int, k: int) -> None:
        """A line of a marked quote (Markdown 「>」, an HTML blockquote)."""
        unit = self.units[i]
        qm = R.QUOTE_HEAD.match(unit.norm)
        if qm:
            post.quotes.append(Quote(author=unit.orig(_clean_name(qm.group("author"))),
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
        following = [x for x in range(j, end) if not u[x].blank and not u[x].left and self.v[x] is None
                     and not _is_action_bar(u[x].norm) and not R.TAIL_LINES.match(u[x].norm)]
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
        return _empty_line(unit)

    def _code_numbers(self, body: list[int]) -> None:
        """Strip the line numbers a code box's ``ol`` gets in text (「1. import os」).

        Walks back from the 「复制代码」 button to the line numbered 1; lines a text browser
        wrapped carry no number of their own.
        """
        numbered: list[int] = []
        unnumbered = 0
        for i in reversed(body):
            m = _CODE_NUMBER.match(self.units[i].raw)
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
            _markup_prefix(self.units[i], _CODE_NUMBER)

    def _is_title_repeat(self, unit: Unit) -> bool:
        t = unit.norm
        m = R.PRINT_TITLE.match(t)
        if m and (self.layout.printable or not self.doc.title or m.group("title") == self.doc.title):
            return True
        if not self.doc.title:
            return False
        if t == norm(self.doc.title) and (self.layout.archiver or self.layout.printable or unit.heading):
            return True
        return False

    # -- signatures -----------------------------------------------------------------------------------
    def signatures(self) -> None:
        """Trailing lines that are signatures, not the author's post (anatomy §11.3).

        The signature box sits in its own table row under the post: a text browser leaves a
        gap before it (a blank line; in w3m, as tall as the author column). It is also the same
        text under several posts. On a page whose bodies hold no gaps of their own, a short
        last paragraph after a gap is the signature; in a column layout, one after a tall gap.
        """
        u = self.units
        by_line: dict[int, list[Unit]] = {}
        for x in u:
            by_line.setdefault(x.line, []).append(x)

        def gap_size(a: int, b: int) -> tuple[int, int]:
            """Lines empty in the post column between units ``a`` and ``b``, and how many of them
            come right before ``b`` (after any removed text such as a poll)."""
            lines = range(u[a].line + 1, u[b].line)
            if not lines and any(u[x].rule for x in range(a + 1, b)):
                return 1, 1
            empty = 0
            run = 0
            for line in lines:
                if any(not x.left and "".join(p.text for p in x.pieces).strip() and not x.rule
                       for x in by_line.get(line, [])):
                    run = 0
                else:
                    empty += 1
                    run += 1
            return empty, run

        info: dict[int, tuple[list[int], list[int], int]] = {}
        internal_gaps = 0
        posts_seen = 0
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
            posts_seen += 1
            internal_gaps += max(0, len(gaps) - 1)
        # a trailing text is a signature when it trails posts of several authors (site text), or
        # every post of its one author
        endings: dict[str, set[int]] = {}
        for k, (body, para, _size) in info.items():
            for key in {_key(u, body[-1:]), _key(u, para) if len(para) <= 3 else ""} - {""}:
                endings.setdefault(key, set()).add(k)
        posts_of: dict[str | None, set[int]] = {}
        for k, post in enumerate(self.doc.posts):
            if self.body_units[k]:
                posts_of.setdefault(post.author, set()).add(k)

        def is_signature(key: str) -> bool:
            ks = endings.get(key, set())
            if len(ks) < 2:
                return False
            authors = {self.doc.posts[k].author for k in ks}
            if len(authors) >= 2 and None not in authors:
                return True
            return all(posts_of.get(a, set()) <= ks for a in authors)

        # signature boxes are printed by the desktop templates only (not archiver, print or touch)
        desktop = not (self.layout.archiver or self.layout.printable or self.layout.touch or self.layout.portal)
        columns = any(x.left for x in u)
        # (in a column layout the author column's height makes gaps of its own)
        single_spaced = desktop and not columns and self.action_bars > 0 and posts_seen >= 1 and \
            internal_gaps <= posts_seen // 2 and len(self.heads) > 1
        for k, (body, para, size) in info.items():
            drop: list[int] = []
            small = bool(para) and len(para) <= 2 and sum(len(u[x].text) for x in para) <= 80 and \
                len(para) < len(body)
            if para and len(para) <= 3 and is_signature(_key(u, para)):
                drop = para
            elif is_signature(_key(u, body[-1:])):
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

    # -- pages without post headers --------------------------------------------------------------------
    def no_heads(self) -> None:
        """No post header: a page of another kind, or a fragment of one post's text."""
        u = self.units
        text = self.page.text
        prose = [i for i, unit in enumerate(u) if self.v[i] is None and not unit.blank and
                 _is_prose(unit.norm) and not _is_chrome(unit.norm)]
        rows = sum(1 for unit in u if _LIST_ROW.search(unit.norm))
        # a whole page (its header or footer is there) without a post header is another kind of page;
        # only a fragment cut from inside a post has neither
        framed = self.footer < len(u) or sum(1 for unit in u if _is_chrome(unit.norm)) >= 3 or \
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
                elif _is_chrome(t) or t in ("TOP", "顶部", "返回顶部") or _is_action_bar(t):
                    self.set(i, removed(_chrome_reason(t)))
                else:
                    self.set(i, kept(BODY, 0))
                    body.append(i)
            self.body_units.append(body)
            return
        for i, unit in enumerate(u):
            self.set(i, removed(_chrome_reason(unit.norm)))

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


# -- small readers ----------------------------------------------------------------------------------

def _eat_tokens(rest: str) -> tuple[int, str]:
    """Consume header tokens (「| 只看该作者 |倒序浏览」) from the start of ``rest``."""
    count = 0
    s = rest
    while True:
        s2 = s.lstrip(" |")
        m = R.HEADER_TOKEN_RE.match(s2)
        if m:
            count += 1
            s = s2[m.end():]
            continue
        m = R.FROM_SUFFIX.match(s2)
        if m and count:
            # 「来自 中国四川眉山」 up to the next bar
            bar = s2.find("|")
            s = s2[bar:] if bar > 0 else ""
            continue
        if s2.startswith(("来自手机", "來自手機")):
            s = s2[4:]
            count += 1
            continue
        break
    if count == 0 and rest.lstrip().startswith("|"):
        # 「发表于 … |」 followed by nothing known: still a header bar
        stripped = rest.strip(" |")
        if not stripped:
            return 1, ""
    return count, s


def _parse_pre(pre: str) -> tuple[str, int | None, bool, str | None]:
    """What comes before 「发表于」: floor label, 「楼主|」, a role, the author's name."""
    s = pre.strip()
    floor = None
    op = False
    # decorations that survive markup stripping
    s = re.sub(r"^(?:电梯直达|電梯直達)\s*", "", s)
    s = re.sub(r"(\d+)\s+([#楼樓])", r"\1\2", s)
    words = s.split()
    keep = []
    for w in words:
        f = _floor_of(w)
        if f is not None and floor is None:
            floor = f
            continue
        if w in ("|", "»"):
            continue
        keep.append(w)
    s = " ".join(keep)
    m = R.OP_MARK.match(s)
    if m:
        op = True
        s = s[m.end():]
    if s in ("楼主", "樓主"):
        op = True
        s = ""
    s = s.strip(" |")
    author = None
    if s:
        parts = [p for p in _ROLE_SEP.split(s) if p.strip()]
        cand = parts[-1].strip() if parts else ""
        cand = re.sub(r"^(?:楼主|樓主)\s*", "", cand)
        if cand and _namelike(cand, digits=True):
            author = cand
    return s, floor, op, author


def _floor_of(word: str) -> int | None:
    w = word.strip()
    if w in R.FLOOR_WORDS:
        return R.FLOOR_WORDS[w]
    m = R.FLOOR_NUM.match(w)
    if m:
        return int(m.group("n") or m.group("n2"))
    return None


def _floor_in(t: str) -> int | None:
    t = re.sub(r"(\d+)\s+([#楼樓])", r"\1\2", t)
    t = re.sub(r"(?:楼主|樓主|Thread Starter)\s*\|", " ", t)  # the thread starter's mark, not a floor
    for w in re.split(r"[\s|]+", t):
        f = _floor_of(w)
        if f is not None:
            return f
    m = re.search(r"(\d{1,6})\s*#", t)
    return int(m.group(1)) if m else None


def _is_decor(t: str) -> bool:
    """A line of a post header's decorations: floor label, jump box, 「楼主 |」, bars."""
    s = t
    for w in R.FLOOR_JUMP:
        s = s.replace(w, " ")
    s = re.sub(r"(?:楼主|樓主)\s*\|", " ", s)
    s = R.HEADER_TOKEN_RE.sub(" ", s.strip())
    words = [w for w in re.split(r"[\s|»]+", s) if w]
    words = [w for w in words if _floor_of(w) is None and not R.HEADER_TOKEN_RE.match(w)]
    return not words


def _namelike(t: str, digits: bool = False) -> bool:
    t = t.strip()
    if not t or len(t) > 40 or _NAME_BAD.search(t):
        return False
    if re.fullmatch(r"[\d\s.]+", t) and not digits:
        return False
    if t in R.GROUP_TITLES or t in R.MAGIC_ITEMS or R.ONLINE_STATUS.match(t) or R.SIDEBAR_LABEL_RE.match(t) or R.FLOOR_LABEL.match(t):
        return False
    if len(t.split()) > 3:
        return False
    return True


def _is_column_line(t: str) -> bool:
    """A line of the author column: stats, group title, online status, rank, medals' labels."""
    return bool(R.SIDEBAR_LINE.match(t) or R.SIDEBAR_LABEL_RE.match(t) or t in R.GROUP_TITLES or
                R.ONLINE_STATUS.match(t) or t in R.MAGIC_ITEMS or re.fullmatch(r"[\d\s|]+", t) or
                any(t.endswith(" " + w) for w in R.STATUS_WORDS))


def _key(units: list[Unit], idx: list[int]) -> str:
    return " ".join(units[x].norm for x in idx)


def _clean_name(name: str) -> str:
    return re.sub(r"^原帖由\s*", "", name).strip()


def _name_in_column(units: list[Unit], idx: list[int]) -> str | None:
    """The name at the top of an author column.

    Discuz prints it twice, the second time with the online status (「NAME / NAME 当前离线」);
    failing that, the column's first plain line.
    """
    if not idx:
        return None
    texts = [units[i].norm for i in idx]
    for a, t in enumerate(texts):
        parts = t.split()
        # 「NAME当前离线」 (w3m glues the status to the name)
        glued = next((w for w in R.STATUS_WORDS if t.endswith(w) and len(t) > len(w) and
                      not t[-len(w) - 1].isspace()), None)
        if glued and _namelike(t[: -len(glued)]) and " " not in t[: -len(glued)]:
            return units[idx[a]].orig(t[: -len(glued)])
        status = next((w for w in R.STATUS_WORDS if t.endswith(" " + w)), None)
        if status:
            who = t[: -len(status)].split()
            if len(who) == 2 and who[0] == who[1]:
                who = who[:1]
            name = " ".join(who)
            if _namelike(name, digits=True):
                return units[idx[a]].orig(name)
        if len(parts) == 2 and parts[0] == parts[1] and _namelike(parts[0]):
            return units[idx[a]].orig(parts[0])
        if not _namelike(t):
            continue
        for b in range(a + 1, min(a + 3, len(texts))):
            nxt = texts[b]
            if nxt.startswith(t):
                rest = nxt[len(t):].strip()
                # (w3m may wrap the status: 「NAME当前离」 / 「线」)
                if not rest or R.ONLINE_STATUS.match(rest) or len(rest) >= 2 and any(
                        w.startswith(rest) for w in R.STATUS_WORDS):
                    return units[idx[a]].orig(t)
    first = texts[0]
    if _namelike(first) and not _is_chrome(first) and not R.SIDEBAR_LINE.match(first):
        return units[idx[0]].orig(first)
    return None


def _is_action_bar(t: str) -> bool:
    if not t or len(t) > 60:
        return False
    core = any(w in t for w in R.ACTION_CORE)
    if not core:
        return False
    rest = R.ACTION_SPLIT.sub(" ", t)
    rest = re.sub(r"[\s|/·•\-_\[\]()\d]+", "", rest)
    return not rest


def _tail_reason(t: str) -> str:
    if re.match(r"^(?:点评|點評|評論|باھا سۆز|收起回复|收起回復|收起回覆|发表|發表)", t):
        return "comments"
    if re.match(r"^(?:评分|評分|Rate|参与人数|參與人數|收起\s*理由|理由|查看全部评分|﹍)", t):
        return "rating"
    if R.CLIENT_SIGNATURE.match(t):
        return "signature"
    if re.match(r"^(?:分享|收藏|淘帖|支持|反对|QQ好友)", t):
        return "share bar"
    if re.match(r"^(?:这是一种鼓励|打赏|打賞)", t):
        return "reward box"
    return "after post"


def _is_attachment(t: str) -> bool:
    """An attachment box's line: 「NAME.jpg (12 KB, 下载次数: 0) 下载附件 保存到相册 … 上传」."""
    s = t
    pieces = 0
    while s:
        m = R.ATTACH_PIECE.match(s)
        if not m or not m.group():
            break
        pieces += 1
        s = s[m.end():]
    return pieces > 0 and not s.strip(" |")


def _edit_note(t: str) -> tuple[str, str] | None:
    for pattern in R.EDIT_NOTES:
        m = pattern.match(t)
        if m:
            return m.group("editor"), m.group("time")
    return None


def _empty_line(unit: Unit) -> bool:
    return not "".join(p.text for p in unit.pieces).strip()


def _markup_prefix(unit: Unit, pattern: re.Pattern) -> None:
    raw = unit.raw
    m = pattern.match(raw)
    if not m or not m.group():
        return
    right = unit.split(m.end())
    for p in unit.pieces:
        p.markup = True
    unit.pieces = unit.pieces + right.pieces


def _raw_offset(unit: Unit, tail: str) -> int | None:
    """Where ``tail`` (a normalised suffix of the unit's text) begins in ``unit.raw``."""
    want = norm(tail)
    if not want:
        return None
    normed, idx = norm_map(unit.raw)
    at = normed.rfind(want)
    if at < 0:
        at = normed.find(want[:12])
    if at < 0:
        return None
    return idx[at]


def _first_piece(pieces: list[Piece]) -> int:
    for k, p in enumerate(pieces):
        if p.text.strip():
            return k
    return 0


def _site_from_links(t: str, nxt: str) -> str | None:
    """The site's name from 「Archiver|手机版|小黑屋|SITE ( ICP… )」."""
    line = t
    if "(" in line or "（" in line:
        line = re.split(r"\s*[(（]", line)[0]
    parts = [p.strip() for p in re.split(r"\s*\|\s*", line) if p.strip()]
    parts = [p for p in parts if p not in R.FOOTER_LINKS and not R.ICP.search(p) and not p.startswith("举报")]
    if not parts:
        return None
    name = parts[-1]
    if len(name) > 30 or re.search(r"\d{5,}", name):
        return None
    return name


def _chrome_reason(t: str) -> str:
    if not t:
        return "header"
    if R.NAVIGATION.match(t):
        return "navigation"
    if _BREADCRUMB.search(t) and len(t) < 200:
        return "breadcrumb"
    if re.search(r"搜索|搜尋|热搜|熱搜|Search", t):
        return "search"
    if re.search(r"登录|登錄|登入|注册|註冊|找回密码|找回密碼|用户名|用戶名|密码|密碼|QQ登录|微信登录|扫一扫", t):
        return "login box"
    if _PAGER.match(t):
        return "pager"
    return "header"


_CHROME_WORDS = re.compile(
    r"^(?:设为首页|設為首頁|收藏本站|切换到|切換到|开启辅助访问|請?登录|快捷导航|快捷導航|找回密码|找回密碼|立即注册|立即註冊|"
    r"注册|註冊|登录|登錄|登入|用户名|用戶名|密码|密碼|自动登录|自動登錄|搜索|搜尋|热搜|熱搜|帖子|用户|用戶|本版|"
    r"文章|群组|群組|论坛|論壇|门户|門戶|导读|導讀|排行榜|返回列表|发新帖|發新帖|QQ登录|QQ登錄|微信登录|只需一步|"
    r"扫一扫|掃一掃|手机版|手機版|Archiver|小黑屋|TOP|返回顶部|返回頂部|快速回复|快速回復|没有账号|沒有帳號|没有帐号|"
    r"积分|Email|UID|公告|设置|退出|消息|提醒|我的)")


def _is_chrome(t: str) -> bool:
    return bool(_CHROME_WORDS.match(t)) or _BREADCRUMB.search(t) is not None and len(t) < 120 or \
        bool(_PAGER.match(t)) or R.FOOTER_START.match(t) is not None


def _is_tools(t: str) -> bool:
    words = [w for w in re.split(r"[\s|]+", t) if w]
    return bool(words) and all(w in R.THREAD_TOOLS or w.endswith(tuple(R.THREAD_TOOLS)) and len(w) <= 8
                               for w in words)


def _title_like(t: str) -> bool:
    t = t.strip()
    if not t or len(t) > 200:
        return False
    if R.COPY_LINK.fullmatch(t) or _is_tools(t) or R.FOOTER_START.match(t):
        return False
    if _PAGER.match(t) or re.fullmatch(r"[\d\s|/]+", t):
        return False
    return True


def _strip_type(t: str) -> str:
    return R.TYPE_PREFIX.sub("", t, count=1).strip()


def _is_prose(t: str) -> bool:
    cjk = len(re.findall(r"[\u4e00-\u9fff]", t))
    return bool(_SENTENCE.search(t)) and (cjk >= 8 or len(t.split()) >= 8)


def _int_after(text: str, label: str) -> int | None:
    m = re.search(label + r"(\d+)", text)
    return int(m.group(1)) if m else None
