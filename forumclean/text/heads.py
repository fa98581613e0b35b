"""Post headers: where each post of a dump starts (anatomy §11.3)."""

from __future__ import annotations

import re
from bisect import bisect_left

from ..dates import is_relative
from ..rules import textdump as R
from ..rules.strings import AUTHOR_LABEL
from .archives import ArchiveHeads
from .layout import layout_for
from .lines import (
    SENTENCE,
    Head,
    eat_tokens,
    floor_in,
    floor_of,
    is_decor,
    may_hold_time,
    may_hold_verb,
    namelike,
    parse_pre,
    raw_offset,
)
from .state import removed

_TRAILING_FLOOR = re.compile(r"^\s*(?P<floor>[^\s|]{1,8})\s*(?=\||$)")
# Cheap tests that a line may hold a header, before the header patterns are tried (here, and
# ``lines.may_hold_verb``, ``lines.may_hold_time``): a floor mark (``floor_of``) starts with a digit,
# 「第」, 「#」 or a floor word; a touch header's line may also start with the sticky reply's
# 「顶」 / 「来自」 / 「From」.
_TOUCH_FIRST = frozenset("第#" + "".join(w[0] for w in R.FLOOR_WORDS) + "顶来來F")
_STICKY_FROM = re.compile(r"^(?:顶\s*)?(?:来自|來自|From)\s+(?=\d+\s*#)")
_SPACED_FLOOR = re.compile(r"^(\d+)\s+#")
_GLUED_LABEL = re.compile(rf"^({R.FLOOR_LABEL_GLUED})(?=\S)")
_GLUED_FIRST = "楼樓沙板地"  # (the first characters of FLOOR_LABEL_GLUED's words; its marks start with a digit)
_TOUCH_TIME = re.compile(rf"^(?:编辑|編輯|Edit|收藏)?[\d\s_]*(?P<time>{R.TIME})$", re.I)
_DIGITS_ONLY = re.compile(r"[\d\s_]+")


# (replacements as functions: a template string is parsed on every call, even with no match)
_WRAPPED = 2  # (a line that ends with a post verb: its header's time is on the next line)


def _glue_mark(m: re.Match) -> str:
    return m.group(1) + "#"


def _space_after(m: re.Match) -> str:
    return m.group(1) + " "


# -- what each header reader asks of a line's text alone (before it looks at other lines) --------
def _verb_match(t: str) -> re.Match | None:
    """「[floor] [NAME] 发表于 TIME」: the verb and the time (``_verb_head``)."""
    return R.POSTED_RE.search(t) if may_hold_verb(t) else None


def _compact_match(t: str) -> re.Match | None:
    """A time without the verb, after a bar or a floor mark or a label (``_compact_head``)."""
    if not may_hold_time(t):
        return None
    # (COMPACT_TIME ends at a bar; FLOOR_THEN_TIME has a space after its 1–8 characters of
    # floor, and a normal form has no other white space)
    m = ("|" in t and R.COMPACT_TIME.search(t)) or (" " in t[1:9] and R.FLOOR_THEN_TIME.match(t)) or \
        R.LABEL_THEN_TIME.match(t)
    if not m or m.re is R.FLOOR_THEN_TIME and floor_of(m.group("floor")) is None:
        return None
    return m


def _printable_match(t: str) -> re.Match | None:
    """「作者: NAME 时间: T」 (``_printable_head``)."""
    return R.PRINT_HEADER.search(t) if ":" in t else None


def _touch_floor(t: str) -> tuple[int, list[str]] | None:
    """A touch header's floor mark first on the line: the floor, and the line cut after the
    mark (``_touch_head``)."""
    first = t.lstrip("_*")[:1]  # (the rewrites below keep it, or drop the sticky reply's words)
    if not (first in _TOUCH_FIRST or first.isdigit()):
        return None
    # a sticky reply repeated at the top: 「来自 3# NAME」 (each rewrite below only where the
    # line starts with what its pattern starts with: \d is a kind of str.isdigit)
    if t[:1] in "顶来來F":
        t = _STICKY_FROM.sub("", t)
    if t[:1].isdigit():
        t = _SPACED_FLOOR.sub(_glue_mark, t)
    # w3m glues the label to the name: 「楼主橘子汽水」
    if t[:1] in _GLUED_FIRST or t[:1].isdigit():
        t = _GLUED_LABEL.sub(_space_after, t)
    parts = t.split(" ", 1)
    floor = floor_of(parts[0])
    return None if floor is None else (floor, parts)


def may_be_head(t: str) -> bool:
    """Whether any header reader of ``_candidates`` may take a line of this text: each returns
    nothing, whatever the lines around, when its test here fails."""
    return bool(_printable_match(t) or _verb_match(t) or _compact_match(t) or _touch_floor(t))


class HeadFinder(ArchiveHeads):
    """Finds the post headers of a dump."""

    # -- post headers ---------------------------------------------------------------------------
    def find_heads(self) -> None:
        """The post headers: the candidates of the one post template the page repeats."""
        heads = self._one_template(self._candidates())
        if heads and not any(h.strong for h in heads) and R.NOT_THREAD.search(self.page.text):
            heads = []  # a moderation panel or list quoting posts: 「NAME 发表于 …」 lines are quotes there
        if not heads:
            heads = self._chapter_heads() or self._portal_head() or self._avatar_heads() or self._meta_head()
        if not heads and not R.NOT_THREAD.search(self.page.text):
            heads = self._record_heads()  # (a thread list's rows are records too: 「NAME 2024-8-12 22:10」)
        heads.sort(key=lambda h: h.unit)
        # one header per group
        out: list[Head] = []
        for h in heads:
            if out and h.start <= out[-1].end:
                continue
            out.append(h)
        self.heads = out
        self.layout = layout_for(self.page_level, {h.kind for h in out})

    def _candidates(self) -> list[Head]:
        """Every line that reads as a post header (outside marked quotes and the author column)."""
        u = self.units
        heads: list[Head] = []
        in_bq = False
        # A dump repeats most of its lines (author columns, action bars, stats): each text is
        # tested once for whether it ends with a post verb, else whether any header reader can
        # take it (_WRAPPED, True, False).
        seen: dict[str, bool | int] = {}
        for i, unit in enumerate(u):
            if unit.quote_open:
                in_bq = True
            quoted = in_bq or unit.quote
            if unit.quote_close:
                in_bq = False
            if unit.blank or unit.left or quoted:
                continue
            t = unit.norm
            may = seen.get(t)
            if may is None:
                may = seen[t] = _WRAPPED if R.POSTED_END.search(t) else may_be_head(t)
            if may == _WRAPPED:
                # 「… 发表于」 / 「2018-12-1 18:31 | …」: a narrow dump wrapped the header
                k = self.next_main(i, 1)
                if k is not None and R.TIME_START.match(u[k].norm):
                    t = t + " " + u[k].norm
                    self.v[k] = self.v[k] or removed("post header")
                may = may_be_head(t)
            if not may:
                continue  # (no header reader below takes a line that none of their tests passes)
            h = self._printable_head(i, t) or self._verb_head(i, t) or self._compact_head(i, t) or \
                self._touch_head(i, t)
            if h:
                heads.append(h)
        return heads

    def _one_template(self, heads: list[Head]) -> list[Head]:
        """Keep the candidates that share the post template's shape.

        A header with the language pack's header links or a floor mark is a post's (strong);
        without, it may be a quote's or a comment's 「NAME 发表于 T」. Where the page's posts
        carry touch headers (「N# NAME」 + time), or most headers their links, a 「发表于 T」
        without floor, name or links is a 点评 comment's. Without strong headers, post times carry seconds (X2.5+) or are
        relative; quotes keep the absolute Y-n-j H:i.
        """
        strong = [h for h in heads if h.strong]
        weak = [h for h in heads if not h.strong]
        if strong:
            if sum(h.kind == "touch" for h in strong) >= 2:
                strong = [h for h in strong if h.kind != "desktop" or h.floor is not None or h.tokens]
            linked = sum(1 for h in strong if h.tokens)
            if linked >= 2 and 2 * linked >= len(strong):
                # the posts' headers carry their links; a bare 「发表于 T」 is a 点评 comment's
                strong = [h for h in strong if h.tokens or h.floor is not None or h.author or h.kind != "desktop"
                          or self._floor_above(h)]
            # An anonymous or guest post's header is 「匿名 发表于 T」 without links (viewthread_node
            # prints 'thread_show_author' after a member's name only, and the setting's
            # anonymoustext for the others): it is a post's when its header group holds a floor
            # mark and no other header (a quote's header follows its post's).
            lines = sorted(h.unit for h in heads)
            return strong + [h for h in weak if h.kind == "desktop" and h.floor is not None
                             and lines[bisect_left(lines, h.start)] == h.unit]
        if any(h.seconds for h in weak):
            return [h for h in weak if h.seconds or is_relative(h.time or "")]
        return weak

    def _floor_above(self, h: Head) -> bool:
        """A floor mark among the three lines above the header (「沙发」 / 「匿名」 / 「发表于 T」)."""
        i, seen = h.start - 1, 0
        while i >= 0 and seen < 3:
            if not self.units[i].blank:
                seen += 1
                if is_decor(self.units[i].norm) and floor_in(self.units[i].norm) is not None:
                    return True
            i -= 1
        return False

    def _verb_head(self, i: int, t: str) -> Head | None:
        """「[floor] [NAME] 发表于 TIME | 只看该作者 …」 (lang_template 'poston', 'thread_show_author')."""
        m = _verb_match(t)
        if not m:
            return None
        pre = AUTHOR_LABEL.sub("", t[:m.start()].strip())  # 「作者：NAME 发表于 T」 (a theme's label)
        time = m.group("time").strip()
        after = t[m.end():]
        # a floor mark right after the time (「NAME 发表于 T 楼主」: a theme that moved it there)
        trailing = _TRAILING_FLOOR.match(after)
        if trailing and floor_of(trailing.group("floor")) is not None:
            after = after[trailing.end():]
        else:
            trailing = None
        tokens, rest, j = self._follow_tokens(i, after)
        unit = self.units[i]
        if self.md and "|" in pre:
            # html2text table: what stands before a cell bar is another cell, not the author
            cells = pre.split("|")
            if not R.OP_MARK.search(pre):
                # (unless that cell is the floor mark: 「NAME | 11 # 发表于 …」)
                pre = " ".join(cells[-2:]) if floor_of(cells[-1]) is not None else cells[-1]
        pre_clean, floor, op, author = parse_pre(pre)
        if floor is None and trailing:
            floor = floor_of(trailing.group("floor"))
        # a floor mark beside the verb is a post header's (a quote header never carries one)
        strong = bool(tokens) or unit.heading > 0 or not pre_clean or floor is not None
        if not strong and not namelike(pre_clean, digits=True):
            return None
        return self._make_head(i, j, time, author, floor, op, strong, tokens, rest)

    def _compact_head(self, i: int, t: str) -> Head | None:
        """A header without the verb: 「NAME | 楼主 | 2008-9-7 10:04 | 只看该作者 …」,
        「查看11 | 回复2 | 2008-3-7 19:54:07 | 显示全部楼层 | 阅读模式」 (X1–X2 and themes that drop
        发表于), 「1楼 时间: T 来自 … |只看该作者」: the header links after the time make it one."""
        m = _compact_match(t)
        if not m:
            return None
        tokens, rest, j = self._follow_tokens(i, t[m.end():])
        links = t[m.end():] + " ".join(self.units[x].norm for x in range(i + 1, j + 1))
        if not tokens or not any(w in links for w in R.HEADER_TOKENS):
            return None  # (a bare bar after a time is the portal's 「T | 发布者: NAME」)
        cells = [c.strip() for c in t[:m.start("time")].split("|")]
        pre = " ".join(c for c in cells if c and not R.COUNTER_CELL.match(c))
        _pre_clean, floor, op, author = parse_pre(pre)
        h = self._make_head(i, j, m.group("time").strip(), author, floor, op, True, tokens, rest)
        # 「时间: T」 alone: a header only under its floor mark (「1楼」 on the line above)
        return None if m.re is R.LABEL_THEN_TIME and h.floor is None else h

    def _make_head(self, i: int, j: int, time: str, author: str | None, floor: int | None, op: bool,
                   strong: bool, tokens: int, rest: str) -> Head:
        unit = self.units[i]
        h = Head(start=i, unit=i, end=j, time=time, author=unit.orig(author) if author else None, floor=floor,
                 op_mark=op, strong=strong, seconds=bool(R.HAS_SECONDS.search(time)), tokens=tokens)
        if rest.strip(" |") and not R.FROM_SUFFIX.match(rest.strip(" |")):
            # the body starts on the header line (html2text tables, printable fragments)
            h.body_from = raw_offset(unit, rest.strip(" |"))
        self._header_group(h)
        return h

    def _follow_tokens(self, i: int, rest: str) -> tuple[int, str, int]:
        """The header links after the time: how many, what is left of the line, and the last
        unit they reach (a dump may wrap them, or print each on a line of its own)."""
        cell = R.CELL_BEFORE_LINKS.match(rest)
        if cell and not SENTENCE.search(cell.group("cell")):
            rest = rest[cell.end("cell"):]  # 「T 来自 中国四川眉山 | 只看该作者」: a cell of the header
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
        return tokens, rest, j

    def _printable_head(self, i: int, t: str) -> Head | None:
        m = _printable_match(t)
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
        touch = _touch_floor(t)
        if touch is None:
            return None
        floor, parts = touch
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
            # (the touch template's 「编辑」 / 「收藏」 links may come before the time)
            m = _TOUCH_TIME.match(nt)
            if m:
                h = Head(start=i, unit=k, end=k, time=m.group("time"), floor=floor, kind="touch",
                         seconds=bool(R.HAS_SECONDS.search(m.group("time"))))
                h.author = u[author_unit].orig(name) if author_unit is not None else u[i].orig(name)
                h.author_unit = author_unit
                return h
            # (the first post's 「收藏」 link, touch lang_template 'favorite', may come first)
            if not _DIGITS_ONLY.fullmatch(nt) and nt not in R.SHARE_WORDS:
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
