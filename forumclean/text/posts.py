"""Posts: each header's author, floor and time, and the lines between headers."""

from __future__ import annotations

import re

from ..blocks import Verdict
from ..model import KIND_THREAD, Post
from ..rules import textdump as R
from .layout import LAYOUTS
from .lines import (
    LIST_ROW,
    Head,
    chrome_reason,
    clean_author,
    is_action_bar,
    is_chrome,
    is_column_line,
    is_decor,
    is_prose,
    name_in_column,
    namelike,
    title_like,
)
from .prep import norm
from .state import DumpState, kept, move_head, removed


class PostReader(DumpState):
    """Turns the headers into posts; pages without headers come out as a fragment or ``none``."""

    # -- posts ------------------------------------------------------------------------------------
    def label_posts(self) -> None:
        """Each header's post: its author, floor and time, then its lines."""
        u = self.units
        heads = self.heads
        self.doc.kind = self.layout.kind
        chapter_author = self._chapter_author() if heads[0].kind == "chapter" else None
        for k, h in enumerate(heads):
            if k + 1 < len(heads):
                # The next header is read during this post: bring it up to date with every unit
                # inserted so far (all of them lie before it).
                move_head(heads[k + 1], 0, self.inserted)
            post = Post(floor=h.floor)
            post.published = self._time(h.time)
            end = (heads[k + 1].start if k + 1 < len(heads) else self.footer)
            # the author column before the header (not for the first post: label_top did that)
            zone_start = self._zone_start(k)
            post.author = clean_author(self._post_author(k, h, zone_start, end, chapter_author))
            self._label_header(k, h, zone_start)
            body_start = h.end + 1
            if h.body_from is not None:
                right = u[h.unit].split(h.body_from)
                u.insert(h.unit + 1, right)
                self.v.insert(h.unit + 1, None)
                self._shift(k, h.unit + 1)
                end = (heads[k + 1].start if k + 1 < len(heads) else self.footer)
                body_start = h.unit + 1 if h.unit == h.end else h.end + 1
            if post.floor is None and self.layout.floor_one_on_page_one and k == 0 and self._page_one():
                post.floor = 1
            self.doc.posts.append(post)
            body = self._label_body(k, body_start, end, h)
            if k + 1 < len(heads):
                body = self._trim_next_column(k, body)
            self.body_units.append(body)
            if k == 0 and not self.doc.title:
                self._title_in_post()
        self._authors_after_posts()

    def drop_repeated_posts(self) -> None:
        """A sticky or recommended reply is printed twice (at the top, and at its floor): the
        same author, time and text. It counts once, at its own place (the later copy)."""
        u = self.units
        keys = [(post.author, post.published, tuple(u[i].norm for i in self.body_units[k] if u[i].text))
                for k, post in enumerate(self.doc.posts)]
        last: dict[tuple, int] = {}
        for k, key in enumerate(keys):
            if key[1] and key[2]:
                last[key] = k
        keep = set(last.values())  # (a set: a thread of thousands of posts asks once per post)
        repeated = {k for k, key in enumerate(keys) if key[1] and k not in keep and key in last}
        if not repeated:
            return
        new = {k: n for n, k in enumerate(k for k in range(len(self.doc.posts)) if k not in repeated)}
        for i, v in enumerate(self.v):
            if v is not None and v.post is not None:
                self.v[i] = removed("repeated post") if v.post in repeated else Verdict(v.keep, v.role, new[v.post])
        self.doc.posts = [p for k, p in enumerate(self.doc.posts) if k not in repeated]
        self.body_units = [b for k, b in enumerate(self.body_units) if k not in repeated]
        self.heads = [h for k, h in enumerate(self.heads) if k not in repeated]

    def _post_author(self, k: int, h: Head, zone_start: int, end: int, chapter_author: str | None) -> str | None:
        """The author's name, from where the template puts it: on the header line, in the author
        column before it, alone on the line above, the thread starter's mark, a chapter's byline."""
        author = h.author
        if author is None:
            author = self._sidebar_author(zone_start, h.start, end)
        if author is None and self._name_line_before(h, k):
            author = self._name_before(h)
        if author is None:
            author = self._name_above_column(h, k)
        if author is None and h.op_mark and self.starter:
            author = self.starter
        if author is None and chapter_author and h.floor == 1:
            author = chapter_author
        return author

    def _name_above_column(self, h: Head, k: int) -> str | None:
        """6/7 and table themes print the author column right above the header: walk up over
        its lines (group, UID, 帖子, 积分, 注册时间 …, the floor mark) to the name on top."""
        u = self.units
        i = h.start - 1
        column = 0
        while i >= 0 and (u[i].blank or is_column_line(u[i].norm) or is_decor(u[i].norm)):
            column += not u[i].blank
            i -= 1
        if i < 0 or column < 2 or not namelike(u[i].norm) or is_chrome(u[i].norm) or \
                any(R.HEADER_TOKEN_RE.match(w) or w in R.FLOOR_JUMP or w in R.THREAD_TOOLS for w in u[i].norm.split()):
            return None
        above = i - 1
        while above >= 0 and u[above].blank:
            above -= 1
        if above >= 0 and is_column_line(u[above].norm):
            return None  # (a medal or title line inside the column, not the name on its top)
        self.v[i] = kept("author", k)
        for x in range(i + 1, h.start):
            if self.v[x] is None or self.v[x].role in ("user sidebar", "header", "page chrome"):
                self.v[x] = removed("user sidebar", k)
        return u[i].orig(u[i].norm)

    def _label_header(self, k: int, h: Head, zone_start: int) -> None:
        sidebar = removed("user sidebar", k)
        v = self.v
        for i in range(zone_start, h.start):
            if v[i] is None:
                v[i] = sidebar
        for i in range(h.start, h.end + 1):
            if i == h.author_unit:
                self.set(i, kept("author", k))
            elif self.v[i] is None:
                self.set(i, kept("published", k) if i == h.unit and h.time else removed("post header", k))

    def _after_bar_zone(self, k: int) -> list[int] | None:
        """The lines after post ``k``'s action bar up to the next header (or the page's end);
        None when the post has no action bar."""
        h = self.heads[k]
        end = self.heads[k + 1].start if k + 1 < len(self.heads) else self.footer
        bars = [i for i in range(h.end + 1, end) if self.v[i] is not None and self.v[i].role == "action bar"]
        if not bars:
            return None
        return [i for i in range(bars[-1] + 1, end) if not self.units[i].blank]

    def _authors_after_posts(self) -> None:
        """Themes that print the author column under the post, after its action bar: the last
        post's column then stands between its action bar and the page's end, where the default
        templates print nothing. Every post's author is then the column after its own bar."""
        if len(self.heads) < 2:
            return
        # (the last post's zone decides first: the others are read only when it holds a column)
        last = self._after_bar_zone(len(self.heads) - 1)
        u = self.units
        if not last or not any(is_column_line(u[i].norm) for i in last) or self._column_name(last) is None:
            return
        zones = [self._after_bar_zone(k) for k in range(len(self.heads))]
        if any(zone is None for zone in zones):
            return  # (every post must have its action bar)
        for k, zone in enumerate(zones):
            name = self._column_name(zone)
            if name:
                self.doc.posts[k].author = clean_author(name)
                for i in zone:
                    self.v[i] = removed("user sidebar", k)

    def _column_name(self, zone: list[int]) -> str | None:
        """The name in an author column: a link to the poster's profile (Markdown dumps keep
        the address: space-uid-N / home.php?mod=space&uid=N), else the column's name line."""
        for i in zone:
            m = R.PROFILE_LINK.search("".join(p.text for p in self.units[i].pieces))
            if m and namelike(norm(m.group("name"))):
                return norm(m.group("name"))
        return name_in_column(self.units, zone)

    def _shift(self, k: int, at: int) -> None:
        """A unit was inserted at ``at``, inside post ``k`` (its header or body): move later
        indices along.

        Only the header being read and the next one are moved here; the headers after it are
        moved when their turn comes (``label_posts``): moving them all for every insertion was
        quadratic on dumps whose thousands of headers all carry body text. Earlier posts' body
        units all lie before ``at`` and never move.
        """
        move_head(self.heads[k], at, 1)
        if k + 1 < len(self.heads):
            move_head(self.heads[k + 1], at, 1)
        if self.footer >= at:
            self.footer += 1
        self.inserted += 1

    def _zone_start(self, k: int) -> int:
        """Where post ``k``'s author column starts (the lines before its header)."""
        if k == 0:
            return self.top_end + 1
        i = self.heads[k].start
        stop, v = self.heads[k - 1].end + 1, self.v
        while i > stop and v[i - 1] is not None and v[i - 1].role == "user sidebar":
            i -= 1
        return i

    def _page_one(self) -> bool:
        first = self.heads[0]
        t = " ".join(self.units[i].norm for i in range(first.start, first.end + 1))
        return any(w in t for w in ("阅读模式", "閱讀模式", "Reading Mode", "倒序浏览", "倒序瀏覽", "显示全部楼层",
                                    "顯示全部樓層", "Show All Floors"))

    def _chapter_author(self) -> str | None:
        for unit in self.units[:12]:
            m = re.match(r"^(?:作者|Author)\s*[:：]\s*(?P<a>\S.*)$", unit.norm)
            if m:
                return m.group("a").strip()
        return None

    def _sidebar_author(self, lo: int, hi: int, end: int) -> str | None:
        """The author's name from the author column (before the header, or beside it)."""
        u, v = self.units, self.v
        idx = [i for i in range(lo, hi) if not u[i].blank and (v[i] is None or v[i].role == "user sidebar")]
        left_after = [i for i in range(hi, end) if u[i].left and not u[i].blank] if self.columns else []
        for group in (idx, left_after):
            name = name_in_column(u, group)
            if name:
                return name
        return None

    def _name_line_before(self, h: Head, k: int) -> bool:
        """Whether the line above this header may name its author: the header's own template
        says so for replies (the first post's column is read with the page top), the page's
        template (archiver) for every post."""
        places = LAYOUTS.get(h.kind, self.layout).author_places
        return k > 0 and "line_before" in places or self.layout.name_before_first

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

    # -- pages without post headers --------------------------------------------------------------------
    def no_heads(self) -> None:
        """No post header: a page of another kind, or a fragment of one post's text."""
        if self._is_fragment():
            self._fragment()
            return
        for i, unit in enumerate(self.units):
            self.set(i, removed(chrome_reason(unit.norm)))

    def _is_fragment(self) -> bool:
        """A dump without post headers is a post's text cut from its page when it is prose and
        nothing else: a whole page without a post header (its header or footer is there) is
        another kind of page, unless its frame is a few lines around the text (a header cut off)."""
        u = self.units
        text = self.page.text
        prose = sum(len(unit.norm) for i, unit in enumerate(u) if self.v[i] is None and not unit.blank and
                    is_prose(unit.norm) and not is_chrome(unit.norm))
        if not prose or R.NOT_THREAD.search(text) or R.COUNTERS.search(text) or \
                sum(1 for unit in u if LIST_ROW.search(unit.norm)) >= 2:
            return False
        if sum(1 for unit in u if R.TIME_ONLY.match(unit.norm)) >= 2:
            return False  # rows that each carry a time (a thread list): not one post's text
        framed = self.footer < len(u) or sum(1 for unit in u if is_chrome(unit.norm)) >= 3 or \
            R.POWERED.search(text) is not None
        every = sum(len(unit.norm) for unit in u if not unit.blank)
        return prose >= (0.8 if framed else 0.5) * every and (prose >= 150 or not framed)

    def _fragment(self) -> None:
        """One post without its header: the page's chrome lines out, a title line above the
        text kept as the title, the rest read by the line rules."""
        u = self.units
        post = Post()
        self.doc.posts.append(post)
        self.doc.kind = KIND_THREAD
        # the page's frame is around the text, never inside it
        prose = [i for i, unit in enumerate(u) if not unit.blank and is_prose(unit.norm)]
        for i, unit in enumerate(u):
            t = unit.norm
            if self.v[i] is None and not unit.blank and not prose[0] <= i <= prose[-1] and (
                    is_chrome(t) or t in ("TOP", "顶部", "返回顶部") or is_action_bar(t)):
                self.set(i, removed(chrome_reason(t)))
        first = next((i for i, unit in enumerate(u) if self.v[i] is None and not unit.blank), None)
        if first is not None and first + 1 < len(u) and u[first + 1].blank and self._title_line(u[first].norm):
            self._take_title(first, u[first].norm)
        self.heads = [Head(start=0, unit=0, end=-1, kind="fragment")]
        self.body_units.append(self._label_body(0, 0, len(u), self.heads[0]))

    @staticmethod
    def _title_line(t: str) -> bool:
        return title_like(t) and len(t) <= 60 and not is_prose(t) and not re.search(r"[。！？!?.,，]$", t)
