"""The line rules of a post's lines, as one table: which line a rule takes, the reason it gives,
the layouts it applies to, and the state of the post after it (anatomy §11.3).

A post is read top to bottom in one of four states: ``body`` (the author's text), ``tail`` (from
the rating / comment / share blocks on: nothing is body any more), ``after`` (past the action bar
「回复 / 使用道具 举报」: the next post's author column) — and inside a poll widget. The first rule
that takes a line decides it; a rule with a ``reason`` removes the line for that reason, a rule
without one labels the lines itself (quotes, edit notes, source lines keep what they carry).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from ..blocks import BODY
from ..dates import parse_time
from ..model import Edit, Post, Quote
from ..rules import textdump as R
from ..rules.strings import NOTICES, has_jammer_pairs
from .lines import (
    IMAGE_URLS,
    JAMMER_LINE,
    PAGER,
    SOURCE_LABEL_ONLY,
    clean_name,
    edit_note,
    is_action_bar,
    is_attachment,
    may_hold_time,
    may_hold_verb,
    parse_pre,
    raw_offset,
    tail_reason,
)
from .state import kept, removed

if TYPE_CHECKING:
    from .body import PostLines

BODY_STATE, TAIL, AFTER = "body", "tail", "after"
_URL = re.compile(r"https?://\S+")


@dataclass
class PostScan:
    """One post being read: where it is, what state it is in, what it kept."""

    reader: PostLines
    k: int
    end: int
    post: Post
    base_col: int | None
    state: str = BODY_STATE
    body: list[int] = field(default_factory=list)
    in_quote: bool = False
    poll: bool = False
    after_attachment: bool = False
    after_login: bool = False
    #: the line rules of the page's layout, per state of the post (``rules_for``)
    rules: dict = field(init=False)
    #: the same without the rules that take only marked quotes and the left column
    plain_rules: dict = field(init=False)

    def __post_init__(self) -> None:
        self.rules, self.plain_rules = rules_for(self.reader.layout.name)

    def set(self, i: int, verdict) -> None:
        self.reader.set(i, verdict)

    def next_main(self, i: int, lines: int) -> int | None:
        nxt = self.reader.next_main(i, lines)
        return nxt if nxt is not None and nxt < self.end else None


Test = Callable[[PostScan, int, str], bool]


@dataclass(frozen=True)
class LineRule:
    """Takes a line when ``test`` says so; ``reason`` None: the test labelled the line itself."""

    name: str
    test: Test
    reason: str | None = None
    layouts: frozenset[str] | None = None   # None: every layout
    state: str | None = None                # the post's state after the line (None: unchanged)
    #: The rule takes every line in this state and none in the others (its test says so first).
    only_in: str | None = None
    #: The rule takes only lines of a marked quote (an open blockquote, its opening or closing
    #: line) or of the left column, and does nothing to other lines.
    structural: bool = False


def _matches(pattern: re.Pattern) -> Test:
    return lambda scan, i, t: pattern.match(t) is not None


# -- rules that label lines themselves -------------------------------------------------------------

def _marked_quote(scan: PostScan, i: int, t: str) -> bool:
    """A line of a marked quote (Markdown 「>」, an HTML blockquote)."""
    unit = scan.reader.units[i]
    if unit.quote_open:
        scan.in_quote = True
    if not (scan.in_quote or unit.quote_close):
        return False
    if unit.quote_close:
        scan.in_quote = False
    scan.reader._quote(scan.post, i, scan.k)
    return True


def _after_bar(scan: PostScan, i: int, t: str) -> bool:
    """Past the action bar: the next post's author column (or more action-bar lines)."""
    if scan.state != AFTER:
        return False
    reader = scan.reader
    nxt = scan.k + 1 if scan.k + 1 < len(reader.heads) else scan.k
    scan.set(i, removed("action bar", scan.k) if is_action_bar(t) else removed("user sidebar", nxt))
    return True


def _blank(scan: PostScan, i: int, t: str) -> bool:
    unit = scan.reader.units[i]
    if not unit.blank:
        return False
    scan.set(i, kept(BODY, scan.k) if scan.state == BODY_STATE else removed("after post", scan.k))
    if unit.rule and scan.body:
        unit.extra["after_text"] = True
    return True


def _action_bar(scan: PostScan, i: int, t: str) -> bool:
    if not is_action_bar(t):
        return False
    scan.reader.action_bars += 1
    return True


def _in_tail(scan: PostScan, i: int, t: str) -> bool:
    if scan.state != TAIL:
        return False
    scan.set(i, removed(tail_reason(t), scan.k))
    return True


def _quote_line(scan: PostScan, i: int, t: str) -> bool:
    """A line a dump marks as quoted (「>」) outside a quote block."""
    if not scan.reader.units[i].quote:
        return False
    scan.reader._quote(scan.post, i, scan.k)
    return True


def _column_start(scan: PostScan, i: int, t: str) -> bool:
    """Not a rule of its own: the leftmost column the post's text reaches (for quote indents)."""
    col = scan.reader.units[i].col
    if scan.base_col is None or col < scan.base_col:
        scan.base_col = col
    return False


def _tail_start(scan: PostScan, i: int, t: str) -> bool:
    if R.TAIL_LINES.match(t) or R.CLIENT_SIGNATURE.match(t) or (
            scan.reader.layout.portal_tail and (R.PORTAL_TAIL.match(t) or PAGER.match(t) and not t.isdigit())):
        # (a lone number is no pager: a text browser wraps a line before its last digit)
        scan.set(i, removed(tail_reason(t), scan.k))
        return True
    return False


def _source_label(scan: PostScan, i: int, t: str) -> bool:
    """「来源:」 alone, the address on the next line."""
    if not SOURCE_LABEL_ONLY.match(t):
        return False
    nxt = scan.next_main(i, 6)
    url = scan.reader.units[nxt].norm if nxt is not None else ""
    if not _URL.fullmatch(url):
        return False
    scan.set(i, kept("source", scan.k))
    scan.set(nxt, kept("source", scan.k))
    if url not in scan.reader.doc.source_urls:
        scan.reader.doc.source_urls.append(url)
    return True


def _portal_summary(scan: PostScan, i: int, t: str) -> bool:
    """The portal's 「摘要: …」 box, wrapped on to its cut mark 「...」."""
    if not R.PORTAL_SUMMARY.match(t):
        return False
    u = scan.reader.units
    scan.set(i, removed("summary", scan.k))
    j = i
    while not u[j].norm.endswith("...") and j + 1 < scan.end and j < i + 6:
        j += 1
        if u[j].norm.endswith("..."):
            for x in range(i + 1, j + 1):
                scan.set(x, removed("summary", scan.k))
    return True


def _wrapped_moderation(scan: PostScan, i: int, t: str) -> bool:
    """A note a converter wrapped: 「本主题由 X 于 T」 / 「生成文章」."""
    if not R.MODERATION_HEAD.match(t):
        return False
    nxt = scan.next_main(i, 1)
    if nxt is None or not R.MODERATION.match(t + " " + scan.reader.units[nxt].norm):
        return False
    scan.set(i, removed("moderation note", scan.k))
    scan.set(nxt, removed("moderation note", scan.k))
    return True


def _edit_note(scan: PostScan, i: int, t: str) -> bool:
    edit = edit_note(t)
    if edit is None:
        return False
    scan.post.edit = Edit(editor=edit[0], edited=parse_time(edit[1], scan.reader.offset))
    return True


# The label 6.x/7.x print above a quoted post (discuzcode template 'tpl_quote':
# 「<h5>引用:</h5><blockquote>原帖由 …」).
_QUOTE_LABELS = frozenset({"引用:", "引用："})


def _quote_head(scan: PostScan, i: int, t: str) -> bool:
    """「NAME 发表于 T」 / 6/7 「原帖由 NAME 于 T 发表」 and the quoted lines under it."""
    if not may_hold_time(t) or not (may_hold_verb(t) or "于" in t or "於" in t):
        return False  # (a quote header has a time, and a post verb or 「于」 before it)
    old = R.OLD_QUOTE_HEAD.match(t)
    qm = old or R.QUOTE_HEAD.match(t)
    if not qm or R.POSTED_CUT.match(t):
        return False
    reader, k = scan.reader, scan.k
    unit = reader.units[i]
    scan.post.quotes.append(Quote(author=unit.orig(clean_name(qm.group("author"))),
                                  published=reader._time(qm.group("time"))))
    scan.set(i, removed("quote", k))
    if old:  # the box's label, the last line kept above the header
        label = next((x for x in reversed(scan.body) if not reader.units[x].blank), None)
        if label is not None and reader.units[label].norm in _QUOTE_LABELS:
            scan.body.remove(label)
            reader.set(label, removed("quote", k), force=True)
    quoted = reader._quote_lines(i, scan.end, scan.base_col, old=bool(old))
    for x in quoted:
        scan.set(x, removed("quote", k))
    scan.post.quotes[-1].text = "\n".join(reader.units[x].text for x in quoted if reader.units[x].text)
    return True


# The first word of each post verb: a line without any cannot hold a cut-off header (parse_pre
# only takes words away), so the costly reading is skipped.
_POSTED_FIRST_WORDS = re.compile("|".join(sorted({re.escape(v.split()[0]) for v in R.POSTED})))


def _cut_header(scan: PostScan, i: int, t: str) -> bool:
    if not _POSTED_FIRST_WORDS.search(t):
        return False
    return bool(R.POSTED_CUT.match(parse_pre(t)[0]) or R.POSTED_CUT.match(t))


_NUMBERED = re.compile(r"^\d+\s*\.\s*\S")


def _poll(scan: PostScan, i: int, t: str) -> bool:
    """The poll widget (anatomy §12.13): options with their shares, up to its closing line."""
    if R.POLL_OPTION.match(t) or R.POLL_END.match(t):
        scan.poll = not R.POLL_END.match(t)
        return True
    if scan.poll and not any(ch.isalnum() for ch in t):
        return True
    starts = R.POLL_START.match(t)
    if scan.poll or starts:
        if starts or R.POLL_LINE.match(t) or _NUMBERED.match(t):
            scan.poll = True  # (its closing line returned above)
            return True
        scan.poll = False
    return False


# The wall's words cut short (a dump wrapped the line): every start of five characters or more.
_LOGIN_WALL_STARTS = frozenset(w[:n] for w in R.LOGIN_WALL for n in range(5, len(w) + 1))


def _login_wall(scan: PostScan, i: int, t: str) -> bool:
    """「马上注册，结交更多好友 …」 and its close button 「x」."""
    if t.startswith(R.LOGIN_WALL) or t in _LOGIN_WALL_STARTS:
        scan.after_login = True
        return True
    if scan.after_login and t in R.CLOSE_X:
        scan.after_login = False
        return True
    scan.after_login = False
    return False


# 「提示: 」 before a notice (the desktop template's div.locked prefix, lang_template 'tips').
_PROMPTED_NOTICE = re.compile(r"^提示\s*:\s*(?:作者被禁止或删除|该帖被管理员或版主屏蔽)")


def _hidden_notice(scan: PostScan, i: int, t: str) -> bool:
    if not (t.startswith(R.HIDDEN_NOTICES) or t.startswith(NOTICES) or _PROMPTED_NOTICE.match(t)):
        return False
    scan.set(i, removed("hidden-content notice", scan.k))
    if R.BANNED.search(t):
        scan.state = TAIL  # the post's text is withheld; what follows is its signature
    return True


def _attachment(scan: PostScan, i: int, t: str) -> bool:
    """An attachment box's lines; its upload date 「2025-3-13 17:57 上传」 may stand alone."""
    took = is_attachment(t) or R.FILE_NAME.match(t) is not None or (
        scan.after_attachment and re.fullmatch(R.DATE, t) is not None)
    scan.after_attachment = took
    return took


def _code_button(scan: PostScan, i: int, t: str) -> bool:
    """「复制代码」: the code box's button; html2text glues it to the next line."""
    reader = scan.reader
    if not R.CODE_BUTTON.match(t):
        m = R.CODE_BUTTON_START.match(t)
        off = raw_offset(reader.units[i], t[m.end():]) if m else None
        if not off:
            return False
        reader.units.insert(i + 1, reader.units[i].split(off))
        reader.v.insert(i + 1, None)
        reader._shift(scan.k, i + 1)
        scan.end += 1
    scan.set(i, removed("code button", scan.k))
    reader._code_numbers(scan.body)
    return True


_HAN = re.compile(r"[\u4e00-\u9fff]")


def _jammer(scan: PostScan, i: int, t: str) -> bool:
    raw = scan.reader.units[i].raw.strip()
    return not _HAN.search(t) and bool(JAMMER_LINE.match(raw)) and has_jammer_pairs(raw)


def _leaked_code(scan: PostScan, i: int, t: str) -> bool:
    return not scan.body and R.CODE_LEAK.match(t) is not None


def _broken_image_url(scan: PostScan, i: int, t: str) -> bool:
    """An image address a text browser broke over lines."""
    if not _URL.fullmatch(t):
        return False
    u = scan.reader.units
    parts = [i]
    joined = t
    while len(parts) < 4:
        nxt = scan.next_main(parts[-1], 1)
        if nxt is None or " " in u[nxt].norm:
            break
        parts.append(nxt)
        joined += u[nxt].norm
        if IMAGE_URLS.match(joined):
            for x in parts:
                scan.set(x, removed("image", scan.k))
            return True
    return False


_SHARE_WORDS = frozenset(R.SHARE_WORDS)


def _share_bar(scan: PostScan, i: int, t: str) -> bool:
    """「收藏」 (its count an image) or 「收藏」 / 「0」: the share bar under a first post."""
    if not _SHARE_WORDS.issuperset(t.split()):
        return False
    u = scan.reader.units
    nxt = scan.next_main(i, 3)
    if nxt is not None and re.fullmatch(r"\d+", u[nxt].norm):
        scan.set(i, removed("share bar", scan.k))
        scan.set(nxt, removed("share bar", scan.k))
        return True
    return nxt is None or is_action_bar(u[nxt].norm) or R.TAIL_LINES.match(u[nxt].norm) is not None


def _text_less(scan: PostScan, i: int, t: str) -> bool:
    """A line of markup only (an image, a rule) keeps its place in the body."""
    if scan.reader.units[i].text:
        return False
    scan.set(i, kept(BODY, scan.k))
    return True


def _title_repeat(scan: PostScan, i: int, t: str) -> bool:
    return scan.k == 0 and not scan.body and scan.reader._is_title_repeat(scan.reader.units[i])


def _thread_widget(scan: PostScan, i: int, t: str) -> bool:
    """A line of a special thread's box (reward, debate, activity, trade) in the first post;
    a lone label takes its value, a debate side its point, the best answer its name and text."""
    if scan.k != 0:
        return False
    u = scan.reader.units
    take = 0
    if R.BEST_ANSWER.match(t):
        take = 3  # (NAME, 「查看完整内容」, the answer's first line)
    elif R.WIDGET_LABEL.match(t):
        take = 1
    elif not R.WIDGET_LINE.match(t) and (scan.body or not R.WIDGET_TOP_LINE.match(t)):
        return False
    j = i
    for _ in range(take):
        nxt = scan.next_main(j, 3)
        if nxt is None:
            break
        scan.set(nxt, removed("thread widget", scan.k))
        j = nxt
        if take == 3 and u[nxt].norm.startswith("查看完整内容") and u[nxt].norm != "查看完整内容":
            break
    return True


def _hidden_reply(scan: PostScan, i: int, t: str) -> bool:
    return R.HIDDEN_REPLY.match(t) is not None


PORTAL = frozenset({"portal"})
_LETTER = re.compile(r"[^\W_]")  # (a letter or digit: str.isalnum)

# In order: the first rule that takes a line decides it.
RULES: tuple[LineRule, ...] = (
    LineRule("marked quote", _marked_quote, structural=True),
    LineRule("left column", lambda scan, i, t: scan.reader.units[i].left, reason="user sidebar", structural=True),
    LineRule("after the action bar", _after_bar, only_in=AFTER),
    LineRule("blank line", _blank),
    # 「回复 使用道具 举报」 (forum_viewthread_node: 回复, 使用道具, 举报) closes the post
    LineRule("action bar", _action_bar, reason="action bar", state=AFTER),
    LineRule("post tail", _in_tail, only_in=TAIL),
    LineRule("quoted line", _quote_line),
    LineRule("text column", _column_start),
    # 点评 / 评分 / 参与人数 / 分享 (comment, rate, share blocks under the post)
    LineRule("tail start", _tail_start, state=TAIL),
    LineRule("source line", _source_label),
    LineRule("summary box", _portal_summary, layouts=PORTAL),
    # 本主题由 X 于 T 置顶 (lang_template 'modthread_*' notes, div.modact)
    LineRule("moderation note", _matches(R.MODERATION), reason="moderation note"),
    LineRule("wrapped moderation note", _wrapped_moderation),
    # 本帖最后由 X 于 T 编辑 (lang_template 'last_edit')
    LineRule("edit note", _edit_note, reason="edit note"),
    LineRule("reply mark", _matches(R.REPLY_TO), reason="quote"),
    LineRule("quote", _quote_head),
    LineRule("cut header", _cut_header, reason="post header"),
    LineRule("poll", _poll, reason="poll"),
    LineRule("thread widget", _thread_widget, reason="thread widget"),
    LineRule("hidden reply", _hidden_reply, reason="hidden-content notice"),
    LineRule("thread switches", _matches(R.THREAD_SWITCHES), reason="thread tools"),
    LineRule("login wall", _login_wall, reason="login wall"),
    LineRule("hidden notice", _hidden_notice),
    LineRule("attachment", _attachment, reason="attachment box"),
    LineRule("code button", _code_button),
    LineRule("jammer", _jammer, reason="jammer"),
    LineRule("leaked code", _leaked_code, reason="script"),
    LineRule("image address", _matches(IMAGE_URLS), reason="image"),
    LineRule("broken image address", _broken_image_url),
    LineRule("share bar", _share_bar, reason="share bar"),
    LineRule("markup only", _text_less),
    LineRule("no letters", lambda scan, i, t: not _LETTER.search(t), reason="markup"),
    LineRule("title repeated", _title_repeat, reason="title"),
)


Table = tuple[tuple[Test, str | None, str | None], ...]


@cache
def rules_for(layout: str) -> tuple[dict[str, Table], dict[str, Table]]:
    """Per state of a post, the rules that apply to a layout's posts, in order: (test, reason,
    state after); and the same without the structural rules, for the lines they cannot take.
    A rule that takes no line in a state is left out of its table, and the rules after one that
    takes every line. (A post's state changes only once a rule has taken a line.)"""
    tables: dict[str, Table] = {}
    plain: dict[str, Table] = {}
    for state in (BODY_STATE, TAIL, AFTER):
        rules = []
        for rule in RULES:
            if rule.layouts is not None and layout not in rule.layouts or rule.only_in not in (None, state):
                continue
            rules.append(rule)
            if rule.only_in == state:
                break
        tables[state] = tuple((rule.test, rule.reason, rule.state) for rule in rules)
        plain[state] = tuple((rule.test, rule.reason, rule.state) for rule in rules if not rule.structural)
    return tables, plain


def read_line(scan: PostScan, i: int) -> None:
    """Decide line ``i`` of the post by the first rule that takes it; else it is body."""
    reader = scan.reader
    unit = reader.units[i]
    # (most lines are neither in a marked quote nor in the left column: the structural rules
    # would not take them)
    structural = unit.quote_open or unit.quote_close or scan.in_quote or unit.left
    t = unit.norm
    for test, reason, state in (scan.rules if structural else scan.plain_rules)[scan.state]:
        if test(scan, i, t):
            if reason is not None:  # (a rule may have set the line's verdict itself: it stands)
                reader.set(i, removed(reason, scan.k))
            if state is not None:
                scan.state = state
            return
    reader.set(i, kept(BODY, scan.k))
    scan.body.append(i)


def read_after_bar(scan: PostScan, start: int) -> None:
    """Decide the post's lines from ``start`` on, past its action bar (state ``AFTER``), as
    ``read_line`` does. The state's table is three rules: marked quotes, the left column, and
    ``_after_bar``, which takes every line; none changes the state or the post's end. Most
    lines are neither quoted nor in the left column: they get ``_after_bar``'s verdict here."""
    reader = scan.reader
    units, v = reader.units, reader.v
    nxt = scan.k + 1 if scan.k + 1 < len(reader.heads) else scan.k
    bar, column = removed("action bar", scan.k), removed("user sidebar", nxt)
    for i in range(start, scan.end):
        if v[i] is not None:
            continue
        unit = units[i]
        if unit.quote_open or unit.quote_close or scan.in_quote or unit.left:
            read_line(scan, i)
        else:
            v[i] = bar if is_action_bar(unit.norm) else column
