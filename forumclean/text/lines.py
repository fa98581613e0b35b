"""What one line of a text dump is: a post header's parts, an author column line, an action
bar, an attachment box, a title, page chrome. Small pure functions over normalised text, shared
by the stages of the text reader (``heads``, ``posts``, ``linerules`` …)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..dates import is_relative
from ..rules import textdump as R
from ..rules.strings import SOURCE_LABELS
from .prep import Piece, Unit, norm, norm_map

SOURCE_LABEL_ONLY = re.compile(r"^[\[【(（]?\s*(?:" + "|".join(re.escape(x) for x in SOURCE_LABELS) +
                               r")\s*[\]】)）]?\s*[:：]?$")


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
    tokens: int = 0                # header links after the time (「| 只看该作者 |倒序浏览」)


NAME_BAD = re.compile(r"[，。！？；：,!?;:：「」“”\"（）()【】\[\]<>《》]|https?://|\d{4}-\d{1,2}-\d{1,2}")
JAMMER_LINE = re.compile(r"^(?:[\x21-\x3b] [\x3f-\x7e]|\x20 ?[\x3f-\x7e]){3,}\s*$")
IMAGE_URLS = re.compile(r"^(?:(?:\[img\])?https?://\S+?\.(?:jpe?g|png|gif|bmp|webp)(?:\?\S*)?(?:\[/img\])?\s*)+$", re.I)
CODE_NUMBER = re.compile(r"^\s*(?:\d{1,4}\.(?:\s+|$))+")
# A forum list's row: author, date, 「replies / views」.
LIST_ROW = re.compile(r"(?:19|20)\d\d-\d{1,2}-\d{1,2}.*?\b\d+\s*/\s*\d+\b")
BREADCRUMB = re.compile(r"[»›]| > ")
ROLE_SEP = re.compile(r"\s*\|\s*")
SENTENCE = re.compile(r"[，。！？；,.!?;…]")
PAGER = re.compile(r"^(?:\d+\s*)+(?:/\s*\d+\s*(?:页|頁|بەت))?\s*(?:下一页|下一頁|›|»)?$|"
                    r".*/\s*\d+\s*(?:页|頁|بەت).*|^(?:上一页|下一页|上一頁|下一頁)$")


# Every time (``R.TIME``: a date, or a relative time such as 「3 天前」, 「刚刚」, 「half hour ago」,
# 「just now」) holds one of these characters, whether matched with case or without.
_TIME_CHAR = re.compile(r"[\d半刚剛hjHJ]")


def may_hold_time(t: str) -> bool:
    """Whether ``t`` can hold a time at all: a cheap test before the time patterns are tried."""
    return _TIME_CHAR.search(t) is not None


def may_hold_verb(t: str) -> bool:
    """Whether ``t`` can hold a post verb (``R.POSTED``, matched case-insensitively): each has
    one of these words."""
    return "表" in t or "يولل" in t or "post" in t.lower() or "ſ" in t  # (「ſ」 matches 「s」 then)


# 「5 #」 / 「5 楼」: a floor mark a dump spaced out
_SPACED_MARK = re.compile(r"(\d+)\s+([#楼樓])")


def _join_mark(m: re.Match) -> str:
    # (a function: a template string is parsed on every call, even with no match)
    return m.group(1) + m.group(2)


@lru_cache(maxsize=4096)  # (a thread repeats its header links after every post's time)
def eat_tokens(rest: str) -> tuple[int, str]:
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


@lru_cache(maxsize=4096)  # (what stands before the verb repeats: a name, a floor label, nothing)
def parse_pre(pre: str) -> tuple[str, int | None, bool, str | None]:
    """What comes before 「发表于」: floor label, 「楼主|」, a role, the author's name."""
    s = pre.strip()
    floor = None
    op = False
    # decorations that survive markup stripping
    s = re.sub(r"^(?:电梯直达|電梯直達)\s*", "", s)
    s = R.FONT_SWITCH.sub(" ", s).strip()
    s = _SPACED_MARK.sub(_join_mark, s)
    words = s.split()
    keep = []
    for w in words:
        f = floor_of(w)
        if f is not None and floor is None:
            floor = f
            continue
        if w in ("|", "»") or w in R.FLOOR_JUMP or w in R.THREAD_TOOLS or R.HEADER_TOKEN_RE.fullmatch(w):
            continue  # (the 7.x header's 「跳转到 倒序看帖 打印」 tools)
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
        parts = [p for p in ROLE_SEP.split(s) if p.strip()]
        cand = parts[-1].strip() if parts else ""
        cand = re.sub(r"^(?:楼主|樓主)\s*", "", cand)
        # (a name may hold a colon inside: 「ID:887218」 where a site shows ids for names)
        if cand and (namelike(cand, digits=True) or re.fullmatch(r"[^\s:：]{1,20}[:：][^\s:：]{1,20}", cand)):
            author = cand
    return s, floor, op, author


# The pure line tests asked of the same lines again and again (every stage reads the author
# column, the action bar, the header's decorations, the floor marks; a thread repeats them per
# post) keep their recent answers (the ones under ``lru_cache(maxsize=LINE_CACHE)``).
LINE_CACHE = 4096


@lru_cache(maxsize=LINE_CACHE)
def floor_of(word: str) -> int | None:
    w = word.strip().strip("_*").strip()  # (Markdown emphasis: 「_11_ #」)
    if w in R.FLOOR_WORDS:
        return R.FLOOR_WORDS[w]
    m = R.FLOOR_NUM.match(w)
    if m:
        return int(m.group("n") or m.group("n2"))
    return None


_FLOOR_EDGE = re.compile(r"^(?:(?P<f1>#\d{1,6}|\d{1,6}\s?[#楼樓])\s+(?P<r1>\S.*)|(?P<r2>.*\S)\s+(?P<f2>#\d{1,6}|\d{1,6}\s?[#楼樓]))$")


def record_cells(t: str) -> tuple[tuple[str, ...], dict[str, str]] | None:
    """A line made of a time, a name and a floor mark only: its shape (the kinds of its cells
    in order) and its cells; None for any other line."""
    cells = [c.strip() for c in re.split(r"\s*\|\s*", t) if c.strip()]
    if len(cells) == 1:
        # a floor mark at either end, set apart by a space (「NAME T #2」, 「2# NAME T」)
        m = _FLOOR_EDGE.match(t)
        floor, rest = (m.group("f1") or m.group("f2"), m.group("r1") or m.group("r2")) if m else (None, t)
        m = R.TIME_FIRST.match(rest) or R.TIME_LAST.match(rest)
        if not m:
            return None
        cells = [m.group("a").strip(), m.group("b").strip()]
        if floor is not None:
            cells = [floor] + cells if t.startswith(floor) else cells + [floor]
    shape: list[str] = []
    got: dict[str, str] = {}
    for cell in cells:
        if R.TIME_ONLY.match(cell) and (":" in cell or is_relative(cell)):
            kind = "time"
        elif floor_of(cell.replace(" ", "")) is not None:
            kind = "floor"
        elif namelike(cell) and not is_chrome(cell):
            kind = "name"
        else:
            return None
        if kind in got:
            return None
        got[kind] = cell
        shape.append(kind)
    if "time" not in got or len(got) < 2:
        return None
    return tuple(shape), got


_STARTER_BAR = re.compile(r"(?:楼主|樓主|Thread Starter)\s*\|")
_BARS = re.compile(r"[\s|]+")
_NUMBER_MARK = re.compile(r"(\d{1,6})\s*#")


def floor_in(t: str) -> int | None:
    t = _SPACED_MARK.sub(_join_mark, t)
    t = _STARTER_BAR.sub(" ", t)  # the thread starter's mark, not a floor
    for w in _BARS.split(t):
        f = floor_of(w)
        if f is not None:
            return f
    m = _NUMBER_MARK.search(t)
    return int(m.group(1)) if m else None


# (sets of the rules' word lists, for the tests below that every line meets)
_FLOOR_JUMP = frozenset(R.FLOOR_JUMP)
_GROUP_TITLES = frozenset(R.GROUP_TITLES)
_MAGIC_ITEMS = frozenset(R.MAGIC_ITEMS)
_STATUS_WORDS = tuple(R.STATUS_WORDS)
_STATUS_AFTER_NAME = tuple(" " + w for w in R.STATUS_WORDS)
_FLOOR_JUMP_RE = re.compile("|".join(re.escape(w) for w in R.FLOOR_JUMP))  # (longer words listed first)
_OP_BAR = re.compile(r"(?:楼主|樓主)\s*\|")
_DECOR_SPLIT = re.compile(r"[\s|»]+")
_NUMBERS_ONLY = re.compile(r"[\d\s.]+")
_NUMBERS_BARS = re.compile(r"[\d\s|]+")


@lru_cache(maxsize=LINE_CACHE)
def is_decor(t: str) -> bool:
    """A line of a post header's decorations: floor label, jump box, 「楼主 |」, bars."""
    s = _FLOOR_JUMP_RE.sub(" ", t)
    s = _OP_BAR.sub(" ", s)
    s = R.FONT_SWITCH.sub(" ", s)
    s = R.HEADER_TOKEN_RE.sub(" ", s.strip())
    for w in _DECOR_SPLIT.split(s):
        if w and floor_of(w) is None and not R.HEADER_TOKEN_RE.match(w):
            return False
    return True


@lru_cache(maxsize=LINE_CACHE)
def namelike(t: str, digits: bool = False) -> bool:
    t = t.strip()
    if not t or len(t) > 40 or NAME_BAD.search(t):
        return False
    if not digits and _NUMBERS_ONLY.fullmatch(t):
        return False
    if t in _GROUP_TITLES or t in _MAGIC_ITEMS or R.ONLINE_STATUS.match(t) or R.SIDEBAR_LABEL_RE.match(t) or \
            R.FLOOR_LABEL.match(t):
        return False
    # the floor's place in a header: its jump box, its mark (lynx 「7^#」, html2text 「_11#」)
    if t in _FLOOR_JUMP or floor_of(t.strip("_*")) is not None or R.HEADER_TOKEN_RE.fullmatch(t):
        return False
    if len(t.split()) > 3:
        return False
    return True


@lru_cache(maxsize=LINE_CACHE)
def is_column_line(t: str) -> bool:
    """A line of the author column: stats, group title, online status, rank, medals' labels."""
    return bool(t in _GROUP_TITLES or t in _MAGIC_ITEMS or t.endswith(_STATUS_AFTER_NAME) or
                R.SIDEBAR_LINE.match(t) or R.SIDEBAR_LABEL_RE.match(t) or R.ONLINE_STATUS.match(t) or
                _NUMBERS_BARS.fullmatch(t))


def lines_key(units: list[Unit], idx: list[int]) -> str:
    return " ".join(units[x].norm for x in idx)


@lru_cache(maxsize=LINE_CACHE)  # (asked once per post: an author's name again and again)
def clean_author(name: str | None) -> str | None:
    """A post's author without what the dump glued to it (``R.NAME_SUFFIX``, Markdown emphasis)."""
    if name is None:
        return None
    bare = R.NAME_SUFFIX.sub("", name).strip()
    m = re.fullmatch(r"([*_]{1,2})(?P<n>[^*_].*?)\1", bare)
    if m:
        bare = m.group("n").strip()
    return bare or name


@lru_cache(maxsize=LINE_CACHE)
def clean_name(name: str) -> str:
    return re.sub(r"^原帖由\s*", "", name).strip()


def name_in_column(units: list[Unit], idx: list[int]) -> str | None:
    """The name at the top of an author column.

    Discuz prints it twice, the second time with the online status (「NAME / NAME 当前离线」);
    failing that, the column's first plain line.
    """
    if not idx:
        return None
    found = _column_name(tuple([units[i].norm for i in idx]))
    return units[idx[found[0]]].orig(found[1]) if found else None


@lru_cache(maxsize=LINE_CACHE)
def _column_name(texts: tuple[str, ...]) -> tuple[int, str] | None:
    """``name_in_column`` of a column's lines: the index of the line holding the name, and the
    name (a column is asked once per post of its author)."""
    for a, t in enumerate(texts):
        parts = t.split()
        ends_in_status = t.endswith(_STATUS_WORDS)
        # 「NAME当前离线」 (w3m glues the status to the name)
        glued = ends_in_status and next((w for w in R.STATUS_WORDS if t.endswith(w) and len(t) > len(w) and
                                         not t[-len(w) - 1].isspace()), None)
        if glued and namelike(t[: -len(glued)]) and " " not in t[: -len(glued)]:
            return a, t[: -len(glued)]
        status = ends_in_status and next((w for w in R.STATUS_WORDS if t.endswith(" " + w)), None)
        if status:
            who = t[: -len(status)].split()
            if len(who) == 2 and who[0] == who[1]:
                who = who[:1]
            name = " ".join(who)
            if namelike(name, digits=True):
                return a, name
        if len(parts) == 2 and parts[0] == parts[1] and namelike(parts[0]):
            return a, parts[0]
        if not namelike(t):
            continue
        for b in range(a + 1, min(a + 3, len(texts))):
            nxt = texts[b]
            if nxt.startswith(t):
                rest = nxt[len(t):].strip()
                # (w3m may wrap the status: 「NAME当前离」 / 「线」)
                if not rest or R.ONLINE_STATUS.match(rest) or len(rest) >= 2 and any(
                        w.startswith(rest) for w in R.STATUS_WORDS):
                    return a, t
    first = texts[0]
    if namelike(first) and not is_chrome(first) and not R.SIDEBAR_LINE.match(first):
        return 0, first
    return None


_ACTION_CORE = re.compile("|".join(re.escape(w) for w in R.ACTION_CORE))  # (any of them in a line)
_BAR_MARKS = re.compile(r"[\s|/·•\-_\[\]()\d]+")


@lru_cache(maxsize=LINE_CACHE)
def is_action_bar(t: str) -> bool:
    if not t or len(t) > 60:
        return False
    if not _ACTION_CORE.search(t):
        return False
    rest = R.ACTION_SPLIT.sub(" ", t)
    return not _BAR_MARKS.sub("", rest)


def tail_reason(t: str) -> str:
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


def is_attachment(t: str) -> bool:
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


def edit_note(t: str) -> tuple[str, str] | None:
    for pattern in R.EDIT_NOTES:
        m = pattern.match(t)
        if m:
            return m.group("editor"), m.group("time")
    return None


def empty_line(unit: Unit) -> bool:
    return not "".join(p.text for p in unit.pieces).strip()


def markup_prefix(unit: Unit, pattern: re.Pattern) -> None:
    raw = unit.raw
    m = pattern.match(raw)
    if not m or not m.group():
        return
    right = unit.split(m.end())
    unit.pieces = [Piece(p.text, True) for p in unit.pieces] + right.pieces


def raw_offset(unit: Unit, tail: str) -> int | None:
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


def first_piece(pieces: list[Piece]) -> int:
    for k, p in enumerate(pieces):
        if p.text.strip():
            return k
    return 0


def site_from_links(t: str, nxt: str) -> str | None:
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


def chrome_reason(t: str) -> str:
    if not t:
        return "header"
    if R.NAVIGATION.match(t):
        return "navigation"
    if BREADCRUMB.search(t) and len(t) < 200:
        return "breadcrumb"
    if re.search(r"搜索|搜尋|热搜|熱搜|Search", t):
        return "search"
    if re.search(r"登录|登錄|登入|注册|註冊|找回密码|找回密碼|用户名|用戶名|密码|密碼|QQ登录|微信登录|扫一扫", t):
        return "login box"
    if PAGER.match(t):
        return "pager"
    return "header"


CHROME_WORDS = re.compile(
    r"^(?:设为首页|設為首頁|收藏本站|切换到|切換到|开启辅助访问|請?登录|快捷导航|快捷導航|找回密码|找回密碼|立即注册|立即註冊|"
    r"注册|註冊|登录|登錄|登入|用户名|用戶名|密码|密碼|自动登录|自動登錄|搜索|搜尋|热搜|熱搜|帖子|用户|用戶|本版|"
    r"文章|群组|群組|论坛|論壇|门户|門戶|导读|導讀|排行榜|返回列表|发新帖|發新帖|QQ登录|QQ登錄|微信登录|只需一步|"
    r"扫一扫|掃一掃|手机版|手機版|Archiver|小黑屋|TOP|返回顶部|返回頂部|快速回复|快速回復|没有账号|沒有帳號|没有帐号|"
    r"积分|Email|UID|公告|设置|退出|消息|提醒|我的)")


@lru_cache(maxsize=LINE_CACHE)
def is_chrome(t: str) -> bool:
    return bool(CHROME_WORDS.match(t)) or BREADCRUMB.search(t) is not None and len(t) < 120 or \
        bool(PAGER.match(t)) or R.FOOTER_START.match(t) is not None


def is_tools(t: str) -> bool:
    words = [w for w in re.split(r"[\s|]+", t) if w]
    return bool(words) and all(w in R.THREAD_TOOLS or w.endswith(tuple(R.THREAD_TOOLS)) and len(w) <= 8
                               for w in words)


def title_like(t: str) -> bool:
    t = t.strip()
    if not t or len(t) > 200:
        return False
    if R.COPY_LINK.fullmatch(t) or is_tools(t) or R.FOOTER_START.match(t):
        return False
    if PAGER.match(t) or re.fullmatch(r"[\d\s|/]+", t):
        return False
    return True


def strip_type(t: str) -> str:
    return R.TYPE_PREFIX.sub("", t, count=1).strip()


def is_prose(t: str) -> bool:
    cjk = len(re.findall(r"[\u4e00-\u9fff]", t))
    return bool(SENTENCE.search(t)) and (cjk >= 8 or len(t.split()) >= 8)


def int_after(text: str, label: str) -> int | None:
    m = re.search(label + r"(\d+)", text)
    return int(m.group(1)) if m else None
