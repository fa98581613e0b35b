"""Discuz times to ISO 8601.

Discuz prints times in the reader's zone without saying which (``2025-3-13 17:57:01``); the
footer ``GMT+8, 2025-7-7 04:11`` states the offset and the render time. Relative forms
(「3 天前」, 「昨天 12:30」) are resolved only when the result is exact to the minute: from a
``title`` attribute, or from the render time for day-relative forms that carry a clock time.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_SPACE = re.compile(r"[\s\u00a0\u3000]+")

# 2025-3-13 17:57:01 / 2025/3/13 17:57 / 2025年3月13日 17:57 / 2009-12-1 05:51 PM
_YMD = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?:(?P<ampm1>上午|下午|凌晨|晚上|中午)\s*)?(?P<H>\d{1,2})\s*[:：]\s*(?P<M>\d{2})"
    r"(?:\s*[:：]\s*(?P<S>\d{2}))?(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?)?"
)
# 13-3-2025 17:57 (the j-n-Y user format)
_DMY = re.compile(
    r"(?P<d>\d{1,2})[-/](?P<m>\d{1,2})[-/](?P<y>(?:19|20)\d\d)"
    r"(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\s*(?P<ampm>[AaPp][Mm]))?)?"
)
_GMT = re.compile(r"GMT\s*(?P<sign>[+-])?\s*(?P<h>\d{1,2}(?:\.\d+)?)?\s*[,，]\s*")

_CLOCK = r"(?P<H>\d{1,2})\s*[:：]\s*(?P<M>\d{2})(?:\s*(?P<ampm>[AaPp][Mm]))?"
# 「Day before yesterday」 contains 「yesterday」: the longer form must be tried first.
_DAY_RELATIVE = [
    (re.compile(r"(?:前天|Day before yesterday)\s*" + _CLOCK, re.I), 2),
    (re.compile(r"(?:昨天|Yesterday)\s*" + _CLOCK, re.I), 1),
]
# Bounded digit runs: \d+ would rescan a long run of digits from each of its positions.
_DAYS_AGO_CLOCK = re.compile(r"(?P<n>\d{1,6})\s*(?:天前|Days? ago)\s*" + _CLOCK, re.I)
RELATIVE_WORDS = re.compile(
    r"(\d{1,6}\s*(?:小时|小時|分钟|分鐘|秒|天)前|半小[时時]前|刚刚|剛剛|刚才|昨天|前天|"
    r"\d{1,6}\s*(?:Second|Minute|Hour|Day)\(?s?\)?\s+ago|half\s+hour\s+ago|just\s+now|yesterday)",
    re.I,
)


def _hour(h: int, ampm: str | None) -> int:
    if not ampm:
        return h
    a = ampm.lower().replace(".", "")
    if a in ("pm", "下午", "晚上") and h < 12:
        return h + 12
    if a in ("am", "上午", "凌晨") and h == 12:
        return 0
    if a == "中午" and h < 11:
        return h + 12
    return h


def _format(y: int, mo: int, d: int, h: int | None, mi: int | None, s: int | None,
            offset: str | None) -> str | None:
    try:
        date(y, mo, d)
    except ValueError:
        return None
    if h is None:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    if not (0 <= h < 24 and 0 <= (mi or 0) < 60 and 0 <= (s or 0) < 60):
        return None
    out = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}"
    if s is not None:
        out += f":{s:02d}"
    return out + (offset or "")


def _from_match(m: re.Match, offset: str | None) -> str | None:
    g = m.groupdict()
    h = int(g["H"]) if g.get("H") else None
    ampm = g.get("ampm") or g.get("ampm1")
    if h is not None:
        h = _hour(h, ampm)
    return _format(int(g["y"]), int(g["m"]), int(g["d"]), h,
                   int(g["M"]) if g.get("M") else None,
                   int(g["S"]) if g.get("S") else None, offset)


def parse_time(text: str | None, offset: str | None = None,
               anchor: str | None = None) -> str | None:
    """The first Discuz time in ``text`` as ISO 8601 (with ``offset`` appended), else None.

    ``anchor`` is the page's render time (ISO) used for day-relative forms such as 「昨天 12:30」.
    """
    if not text:
        return None
    # (Blanks are folded for the relative forms alone: the date patterns take any run of blanks
    # where they take one, and read nothing but digits and am/pm from the text.)
    m = _YMD.search(text) or _DMY.search(text)
    if m:
        return _from_match(m, offset)
    if anchor:
        return _resolve_relative(_SPACE.sub(" ", text), anchor, offset)
    return None


def _resolve_relative(text: str, anchor: str, offset: str | None) -> str | None:
    try:
        base = datetime.strptime(anchor[:10], "%Y-%m-%d").date()
    except ValueError:
        return None
    for pattern, days in _DAY_RELATIVE:
        m = pattern.search(text)
        if m:
            return _at(base - timedelta(days=days), m, offset)
    m = _DAYS_AGO_CLOCK.search(text)
    if m and len(m.group("n")) <= 5:
        try:
            return _at(base - timedelta(days=int(m.group("n"))), m, offset)
        except OverflowError:  # before year 1
            return None
    return None


def _at(day: date, m: re.Match, offset: str | None) -> str | None:
    h = _hour(int(m.group("H")), m.group("ampm"))
    return _format(day.year, day.month, day.day, h, int(m.group("M")), None, offset)


def is_relative(text: str) -> bool:
    if not text:
        return False
    # Every form holds one of these characters or words (case aside): most times hold none.
    if not any(ch in text for ch in "前刚剛昨"):
        low = text.lower()
        if "ago" not in low and "now" not in low and "terday" not in low:
            return False
    return bool(RELATIVE_WORDS.search(text))


def parse_offset(sign: str | None, hours: str | None) -> str:
    """``GMT+8`` pieces to ``+08:00``; ``GMT`` alone is ``+00:00``."""
    value = float(hours) if hours else 0.0
    total = int(round(value * 60))
    h, mi = divmod(total, 60)
    return f"{'-' if sign == '-' else '+'}{h:02d}:{mi:02d}"


def parse_footer_clock(text: str) -> tuple[str | None, str | None]:
    """From a footer line ``GMT+8, 2025-7-7 04:11 , Processed in …`` get (offset, rendered_at)."""
    text = _SPACE.sub(" ", text)
    m = _GMT.search(text)
    if not m:
        return None, None
    offset = parse_offset(m.group("sign"), m.group("h"))
    rest = text[m.end():].lstrip()
    t = _YMD.match(rest) or _DMY.match(rest)  # the site's date format: Y-n-j, Y/n/j, j-n-Y, j/n/Y
    rendered = _from_match(t, offset) if t else None
    return offset, rendered
