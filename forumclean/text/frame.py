"""The page around the posts: crawler header, thread header and title, footer (anatomy §11.1–11.4)."""

from __future__ import annotations

import re

from ..rules import textdump as R
from .lines import (
    BREADCRUMB,
    SENTENCE,
    chrome_reason,
    floor_of,
    is_chrome,
    is_tools,
    strip_type,
    title_like,
)
from .state import DumpState, kept, removed


class PageFrame(DumpState):
    """Reads the page facts, the page top (thread header, title) and the end of the page."""

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

    def fallback_title_if_none(self) -> None:
        """No title in the thread header or the first post: the one the archiver's footer or
        an archive's front matter gives."""
        if self.fallback_title and not self.doc.title:
            self.doc.title = self.fallback_title
            i = self.fallback_title_unit
            if self.v[i] is None or self.v[i].role in ("front matter", "footer"):
                self.v[i] = kept("title")

    def _take_title(self, i: int, text: str) -> int:
        """Record ``text`` (a normalised part of unit ``i``) as the title."""
        title = strip_type(text.strip())
        self.doc.title = self.units[i].orig(title) or title
        if self.v[i] is None or self.v[i].role in ("counters", "thread header"):
            self.v[i] = kept("title")
        return i

    def _find_title(self, copy: int | None, counters: int | None, first: int) -> int | None:
        """The title, from the sources the page's template has, in the layout's order."""
        sources = {
            "thread_header": lambda: self._title_in_thread_header(copy, counters, first),
            "print_title": lambda: self._title_printed(first),
            "heading": lambda: self._title_heading(first),
            "breadcrumb": lambda: self._title_in_breadcrumb(first),
            "breadcrumb_echo": lambda: self._title_echoing_breadcrumb(first),
            "before_post": lambda: self._title_before_post(first),
        }
        for name in self.layout.title_sources:
            if name in sources:
                got = sources[name]()
                if got is not None:
                    return got
        return None

    def _title_candidate(self, i: int) -> str | None:
        """Unit ``i`` as a title, without the thread header's parts around it; None if no title."""
        u = self.units
        if u[i].blank:
            return None
        t = u[i].norm
        t = R.COPY_LINK.split(t)[0]
        t = R.COUNTERS.sub("", t).strip(" |")
        t = re.sub(r"^(?:\[[^\[\]]{1,30}\]\s*)+$", "", t).strip()
        t = R.TRAILING_TOKEN.sub("", t)  # (touch: 「SUBJECT只看楼主」)
        if not t or R.HEADER_TOKEN_RE.fullmatch(t) or not any(ch.isalnum() for ch in t) or is_tools(t) or \
                R.TYPE_ALONE.match(t) or R.THREAD_STARTER.match(t) or R.COUNTER_ALONE.match(t) or \
                not title_like(t) or is_chrome(t) or floor_of(t) is not None:
            return None
        return t

    def _title_near(self, at: int, limit: int = 6) -> int | None:
        """The title among the few lines above unit ``at`` (counter lines skipped)."""
        seen = 0
        for i in range(at - 1, -1, -1):
            if self.units[i].blank:
                continue
            seen += 1
            if seen > limit:
                break
            if R.COUNTERS.search(self.units[i].norm):
                continue
            t = self._title_candidate(i)
            if t:
                return self._take_title(i, t)
        return None

    def _title_in_thread_header(self, copy: int | None, counters: int | None, first: int) -> int | None:
        """Around 「查看: N|回复: N」 and 「[复制链接]」 (anatomy §11.2)."""
        u = self.units
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
        between = range(counters + 1, copy) if counters is not None and copy is not None and counters < copy else \
            range(counters + 1, first) if counters is not None and copy is None else range(0)
        for i in between:
            t = self._title_candidate(i)
            if t:
                return self._take_title(i, t)
        if copy is not None:
            return self._title_near(copy)
        if counters is not None:
            return self._title_near(counters, 3)  # (a theme that prints the subject above the counters)
        return None

    def _title_printed(self, first: int) -> int | None:
        """The print view's 「标题: SUBJECT」."""
        for i in range(first):
            m = R.PRINT_TITLE.match(self.units[i].norm)
            if m:
                return self._take_title(i, m.group("title"))
        return None

    def _title_heading(self, first: int) -> int | None:
        """A Markdown 「# SUBJECT」 above the first post."""
        u = self.units
        for i in range(first):
            if u[i].heading == 1 and not u[i].quote and not re.fullmatch(r"\d+", u[i].norm):
                t = self._title_candidate(i)
                if t:
                    return self._take_title(i, t)
        return None

    def _title_in_breadcrumb(self, first: int) -> int | None:
        """The archiver's 「SITE » FORUM » SUBJECT」."""
        for i in range(first):
            t = self.units[i].norm
            if BREADCRUMB.search(t):
                last = re.split(r"\s*[»›]\s*", t)[-1].strip()
                if last and not last.endswith("..."):
                    return self._take_title(i, last)
        return None

    def _title_echoing_breadcrumb(self, first: int) -> int | None:
        """A line above the first post that repeats the breadcrumb's last crumb (the subject)."""
        u = self.units
        crumbs = [re.split(r"\s*[»›]\s*", u[i].norm)[-1].strip() for i in range(first) if BREADCRUMB.search(u[i].norm)]
        for i in range(first):
            if u[i].norm in crumbs and not BREADCRUMB.search(u[i].norm) and self._title_candidate(i):
                return self._take_title(i, u[i].norm)
        return None

    def _title_before_post(self, first: int) -> int | None:
        """The line just above the first post (touch, portal)."""
        u = self.units
        i = first - 1
        while i >= 0 and (u[i].blank or not u[i].text):
            i -= 1
        t = self._title_candidate(i) if i >= 0 else None
        return self._take_title(i, t) if t else None

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
            if role in ("counters", "title", "thread header", "user sidebar") or BREADCRUMB.search(t) and len(t) < 120:
                break  # (the banner comes before the breadcrumb and the thread header)
            if not t or role not in (None, "header", "navigation") or R.CRAWLER_META.match(t):
                continue
            bare = re.sub(r"[\w\-]+(?:\.[\w\-]+)+", "", t.replace(" - ", ""))  # a domain is no sentence
            if is_chrome(t) or is_tools(t) or R.HEADER_TOKEN_RE.match(t) or SENTENCE.search(bare) or len(t) > 24 or \
                    R.TYPE_ALONE.match(t) or not any(ch.isalnum() for ch in t):
                continue
            name = re.split(r"\s+-\s+", t)[0].strip()
            if name and not R.PRINT_TITLE.match(t):
                self.doc.site = name
                self.set(i, kept("site"), force=True)
            return
