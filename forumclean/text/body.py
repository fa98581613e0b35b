"""The lines of one post in a text dump: body, quotes, edit notes, attachment boxes, polls, code
buttons, login walls, the tail under the post (ratings, comments, share bar) and signatures.

A mixin of the text-dump reader (``textdump._Reader``): it works on the reader's units and
verdicts once the post headers are known.
"""

from __future__ import annotations

import re
from functools import cached_property

from ..blocks import BODY, kept, removed
from ..dates import parse_time
from ..model import Edit, Post, Quote
from ..rules import textdump as R
from ..rules.strings import NOTICES
from .lines import (
    CODE_NUMBER,
    IMAGE_URLS,
    JAMMER_LINE,
    PAGER,
    SOURCE_LABEL_ONLY,
    Head,
    clean_name,
    edit_note,
    empty_line,
    is_action_bar,
    is_attachment,
    markup_prefix,
    parse_pre,
    raw_offset,
    tail_reason,
)
from .prep import Unit, norm
from .state import DumpState


class PostLines(DumpState):
    """Labels the lines of each post (a mixin: the reader holds ``units``, ``v``, ``doc`` …)."""

    @cached_property
    def main_lines(self) -> set[int]:
        """Source lines with main-column text (once per page; units split later keep their line)."""
        return {x.line for x in self.units if not x.left and x.text}

    def _label_body(self, k: int, start: int, end: int, h: Head) -> list[int]:
        u = self.units
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
                self.set(i, removed("action bar", k) if is_action_bar(t) else removed("user sidebar", nxt))
                continue
            if unit.blank:
                self.set(i, kept(BODY, k) if state == "body" else removed("after post", k))
                if unit.rule and body:
                    unit.extra["after_text"] = True
                continue
            if is_action_bar(t):
                self.set(i, removed("action bar", k))
                self.action_bars += 1
                state = "after"
                continue
            if state == "tail":
                self.set(i, removed(tail_reason(t), k))
                continue
            if unit.quote:
                self._quote(post, i, k)
                continue
            if base_col is None or unit.col < base_col:
                base_col = unit.col
            if R.TAIL_LINES.match(t) or R.CLIENT_SIGNATURE.match(t) or (
                    self.layout.portal_tail and (R.PORTAL_TAIL.match(t) or PAGER.match(t))):
                self.set(i, removed(tail_reason(t), k))
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
            if self.layout.portal_tail and R.PORTAL_SUMMARY.match(t):
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
            edit = edit_note(t)
            if edit is not None:
                post.edit = Edit(editor=edit[0], edited=parse_time(edit[1], self.offset))
                self.set(i, removed("edit note", k))
                continue
            qm = R.OLD_QUOTE_HEAD.match(t) or R.QUOTE_HEAD.match(t)
            if qm and not R.POSTED_CUT.match(t):
                post.quotes.append(Quote(author=unit.orig(clean_name(qm.group("author"))),
                                         published=self._time(qm.group("time"))))
                self.set(i, removed("quote", k))
                quoted = self._quote_lines(i, end, base_col, old=bool(R.OLD_QUOTE_HEAD.match(t)))
                for x in quoted:
                    self.set(x, removed("quote", k))
                post.quotes[-1].text = "\n".join(u[x].text for x in quoted if u[x].text)
                continue
            if R.POSTED_CUT.match(parse_pre(t)[0]) or R.POSTED_CUT.match(t):
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
            if is_attachment(t) or R.FILE_NAME.match(t) or (
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
                off = raw_offset(unit, t[m.end():])
                if off:
                    u.insert(i + 1, unit.split(off))
                    self.v.insert(i + 1, None)
                    self._shift(k, i + 1)
                    end += 1
                    self.set(i, removed("code button", k))
                    self._code_numbers(body)
                    continue
            if JAMMER_LINE.match(unit.raw.strip()) and not re.search(r"[\u4e00-\u9fff]", t):
                self.set(i, removed("jammer", k))
                continue
            if R.CODE_LEAK.match(t) and not body:
                self.set(i, removed("script", k))
                continue
            if IMAGE_URLS.match(t):
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
                    if IMAGE_URLS.match(joined):
                        for x in parts:
                            self.set(x, removed("image", k))
                        break
                if self.v[i] is not None:
                    continue
            if all(w in R.SHARE_WORDS for w in t.split()):
                # 「收藏」 (its count an image) or 「收藏」 / 「0」: the share bar under a first post
                nxt = self.next_main(i, 3)
                if nxt is not None and nxt < end and re.fullmatch(r"\d+", u[nxt].norm):
                    self.set(i, removed("share bar", k))
                    self.set(nxt, removed("share bar", k))
                    continue
                if nxt is None or nxt >= end or is_action_bar(u[nxt].norm) or R.TAIL_LINES.match(u[nxt].norm):
                    self.set(i, removed("share bar", k))
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
