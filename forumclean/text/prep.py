"""Text dumps to units: the lines a text family labels, with the dumper's markup set apart.

A dump is whatever a crawler, browser or converter made of a page: plain lines, Markdown
(html2text, reader modes, EPUB and archive converters, sometimes with stray HTML tags), or a
text browser's screen (w3m, lynx, inscriptis) that keeps the page's table columns side by side.
This module turns each physical line into one or more ``Unit``s:

- markup (Markdown link brackets and addresses, images, emphasis marks, HTML tags, text-browser
  image placeholders and form widgets) becomes ``markup`` pieces, so the kept text is clean and
  ``diff`` still shows what was dropped;
- in a table layout (the author column beside the post column) a line is cut at the post
  column: the left part is a unit of its own, flagged ``left``.

Nothing here knows about posts; ``textdump`` does the labelling.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from ..rules.textdump import COPY_LINK, COUNTERS, POSTED_RE, WORD_FILTER

_NONSPACE = re.compile(r"\S+")


class Piece(NamedTuple):
    """A run of a line's text, or of the dumper's markup; never changed once made (a unit's
    text forms are kept for its list of pieces)."""

    text: str
    markup: bool = False


# Piece(text) for the most common line without the generated constructor's frame (the same tuple)
_new_tuple = tuple.__new__
_UNSEEN = object()


class Unit:
    """A line of the dump, or the part of one that a rule set apart.

    ``pieces`` is replaced, never edited in place: the unit's text forms (``raw``, ``text``,
    ``norm``, ``blank``), which every stage reads many times, are read whenever the pieces are
    set and kept as plain attributes (a long dump's stages read them millions of times).
    """

    __slots__ = ("line", "_pieces", "first", "col", "left", "quote", "heading", "rule", "quote_open",
                 "quote_close", "avatar", "extra", "raw", "text", "blank", "norm")

    def __init__(self, line: int, pieces: list[Piece] | tuple[Piece, ...], first: bool = True, col: int = 0,
                 left: bool = False, quote: bool = False, heading: int = 0, rule: bool = False,
                 quote_open: bool = False, quote_close: bool = False, avatar: bool = False,
                 extra: dict | None = None, forms: tuple[str, str, str] | None = None) -> None:
        self.line = line
        self.first = first
        self.col = col
        self.left = left
        self.quote = quote
        self.heading = heading
        self.rule = rule
        #: The line opens/closes a quote: an HTML blockquote (Markdown archives keep the tags) or a
        #: raw BBCode [quote] (the 5.x–7.x archivers).
        self.quote_open = quote_open
        self.quote_close = quote_close
        self.avatar = avatar
        self.extra = {} if extra is None else extra
        if forms is None:
            self.pieces = pieces
        else:  # (``raw``, ``text``, ``norm`` of these pieces, read already)
            self._pieces = pieces
            self.raw, self.text, self.norm = forms
            self.blank = not self.text

    def _set_pieces(self, pieces: list[Piece] | tuple[Piece, ...]) -> None:
        self._pieces = pieces
        self.raw = raw = "".join([p.text for p in pieces if not p.markup])
        self.text = " ".join(raw.split())  # (the same as folding \s+ and stripping)
        self.blank = not self.text
        self.norm = norm(raw)

    #: (read by a C getter: no Python frame for the most read attribute of all)
    pieces = property(attrgetter("_pieces"), _set_pieces)

    def __repr__(self) -> str:
        return f"Unit(line={self.line}, pieces={self._pieces!r}, col={self.col}, left={self.left})"

    def orig(self, normed_part: str) -> str:
        """``normed_part`` of this unit's text as the page prints it (full-width forms kept)."""
        return original(self.raw, normed_part)

    def split(self, offset: int) -> Unit:
        """Cut this unit at ``offset`` (an index into ``raw``); returns the right part."""
        left: list[Piece] = []
        right: list[Piece] = []
        pos = 0
        for p in self.pieces:
            if p.markup:
                (left if pos < offset or (pos == offset and not right and offset == 0) else right).append(p)
                continue
            end = pos + len(p.text)
            if end <= offset:
                left.append(p)
            elif pos >= offset:
                right.append(p)
            else:
                left.append(Piece(p.text[: offset - pos]))
                right.append(Piece(p.text[offset - pos:]))
            pos = end
        self.pieces = left
        return Unit(self.line, right, first=False, col=self.col, left=self.left, quote=self.quote)


def norm_map(text: str) -> tuple[str, list[int]]:
    """``norm`` of ``text`` and, for each character of it, its index in ``text``."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        # nothing changes but white space: map the folded string straight back
        out_s = []
        idx_s = []
        for m in _NONSPACE.finditer(text):
            if out_s:
                out_s.append(" ")
                idx_s.append(m.start() - 1)
            out_s.append(m.group())
            idx_s.extend(range(m.start(), m.end()))
        return "".join(out_s), idx_s
    out: list[str] = []
    idx: list[int] = []
    space = True
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch:
            if c.isspace():
                if space:
                    continue
                c = " "
                space = True
            else:
                space = False
            out.append(c)
            idx.append(i)
    while out and out[-1] == " ":
        out.pop()
        idx.pop()
    return "".join(out), idx


def norm(text: str) -> str:
    """Matching form: NFKC (full-width colons and bars become ASCII), white space folded."""
    return " ".join(unicodedata.normalize("NFKC", text).split())  # (split: the \s of re)


@lru_cache(maxsize=4096)  # (an author's name is looked up in the same line of every post of theirs)
def original(text: str, normed_part: str) -> str:
    """The stretch of ``text`` whose normal form is ``normed_part`` (as the page prints it)."""
    if not normed_part:
        return normed_part
    if (text.isascii() or unicodedata.is_normalized("NFKC", text)) and text == " ".join(text.split()):
        n, idx = text, None  # (the text is its own normal form: every index is its own)
    else:
        n, idx = norm_map(text)
    at = n.find(normed_part)
    if at < 0:
        return normed_part
    if idx is None:
        return " ".join(text[at:at + len(normed_part)].split())
    start = idx[at]
    end = idx[at + len(normed_part) - 1] + 1
    return " ".join(text[start:end].split())


def width(ch: str) -> int:
    """Display columns of one character in a text browser (0, 1 or 2)."""
    if ch < "\u0300":  # (no combining, wide or full-width character comes before U+0300)
        return 1
    return _wide_width(ch)


@lru_cache(maxsize=4096)
def _wide_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def display_col(line: str, index: int) -> int:
    if not index:
        return 0
    return sum(width(c) for c in line[:index])


# -- markup --------------------------------------------------------------------------------------
_ENTITY = r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});"
_INLINE_TAGS = (r"a|strong|b|i|em|u|s|font|span|blockquote|link|ignore_js_op|br|p|div|img|hr|sup|sub|strike|"
                r"code|pre|center|small|big|li|ul|ol|table|tr|td|th|tbody|h[1-6]|dl|dt|dd|section|article|figure|"
                r"figcaption|video|audio|source|iframe")
_COMMON = [
    # <img …>, with the broken lazy-load tail some archivers leave: `…">" src="…none.gif" …>`
    ("img", r"<img\b[^>]*>(?:\"\s+src=\"[^\"]*\"(?:\s+[\w-]+=\"[^\"]*\")*\s*>)?"),
    ("title", r"<title>[^<]{0,200}</title>"),
    ("tag", rf"</?(?:{_INLINE_TAGS})\b[^<>]{{0,2000}}?/?>"),
    ("entity", _ENTITY),
    ("filter", WORD_FILTER.pattern),
    # Raw BBCode that the 5.x–7.x archivers print (discuzcode's tag names): an attachment
    # reference whole, closing tags, tags with a value. ([url=…] stays text: a source line cites
    # its address there; a tag without a value is a placeholder below.)
    ("bbcode", r"\[attach(?:img)?\]\d+\[/attach(?:img)?\]|"
               r"\[/(?:b|i|u|s|p|color|size|font|align|list|indent|float|table|tr|td|sup|sub|backcolor|"
               r"free|hide|postbg|media|flash|audio|qq|index|password|quote|code|img|attach|attachimg)\]|"
               r"\[(?:color|size|font|align|list|float|table|td|backcolor|hide|postbg|media|flash|audio|"
               r"p|quote|code|password|index)=[^\]\n]{1,300}\]"),
    # text-browser image placeholders ([avatar], [online_member.gif], [avatar.php?uid=5]) and widgets
    ("placeholder", r"\[(?=[a-z0-9_.\-]*[a-z_])[a-z0-9_.\-]{1,40}(?:\?[^\]\s]{0,80})?\]|\[USEMAP:[^\]]*\]|"
                    r"\[INS::INS\]|\[\s*\]|\[_\]|\[\s*_+\s*\]|\(BUTTON\)|\(true\)|\(replysubmit\)|\(\*\)|"
                    r"\(\s\)|_{4,}"),
]
_MD = [
    ("mdimg", r"\[!\[[^\]]*\]\((?:\\\)|[^)\s])*(?:\s+\"[^\"]*\")?\)\]\((?:\\\)|[^)\s])*(?:\s+\"[^\"]*\")?\)|"
              r"!\[[^\]]*\]\((?:\\\)|[^)\s])*(?:\s+\"[^\"]*\")?\)"),
    ("mdlink", r"\[(?P<lt>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?:\\\)|[^)\s])*(?:\s+\"[^\"]*\")?\)"),
    # a link whose text spans lines (html2text): 「[」 at a line's end, 「](url)」 at the next one's start
    ("linkcut", r"^\]\((?:\\\)|[^)\s])*(?:\s+\"[^\"]*\")?\)|\[$"),
    ("autolink", r"<https?://[^>\s]+>"),
    ("escape", r"\\[\\`*_{}\[\]()#+\-.!|>~]"),
    ("strong", r"\*\*|(?<![\w.])__(?=[^\s_])|(?<=[^\s_])__(?![\w(])"),
    ("emph", r"(?<![\w*\\])[*_](?=\S)|(?<=\S)[*_](?![\w*])|(?<=\s)_(?=\s)|^_(?=\s)|(?<=\s)_$"),
    ("code", r"`+"),
]
_COMMON_RE = re.compile("|".join(f"(?P<{n}>{p})" for n, p in _COMMON), re.I)
_MD_RE = re.compile("|".join(f"(?P<{n}>{p})" for n, p in _MD[:2] + _COMMON + _MD[2:]), re.I)
_PLACEHOLDER_CASE = re.compile(r"\[[A-Z]")  # placeholders are lower case; [USEMAP:…]/[INS::INS] excepted

_MD_HEADING = re.compile(r"^\s*(#{1,6})(?:[ \t]+|$)")
_MD_QUOTE = re.compile(r"^\s*(?:>[ \t]?)+")
_BULLET = re.compile(r"^\s*(?:[*+•·]|-(?=\s))[ \t]+(?=\S)")
_RULE = re.compile(r"^\s*(?:(?:[*_][ \t]*){3,}|-{3,}|(?:\|?\s*:?-{3,}:?\s*)+\|?|={3,})\s*$")
_TABLE_EDGE = re.compile(r"^\s*\|\s*|\s*\|\s*$")
_FENCE = re.compile(r"^\s*```\w*\s*$")
# The opening tag of a raw BBCode quote (5.x–7.x archivers print the message as written).
_RAW_QUOTE_OPEN = re.compile(r"\[quote(?:=[^\]\n]*)?\](?!\()")
# Every markup rule of a plain (not Markdown) dump but the bullet starts with one of these: a line
# without any, and without a bullet, is one text piece.
_MARKUP_START = re.compile(r"[<&{\[(_]")


def _scan(text: str, md: bool, forced: list[tuple[int, int]] | None = None) -> list[Piece]:
    """Split ``text`` into text and markup pieces (``forced``: ranges already known to be markup)."""
    if forced:
        out: list[Piece] = []
        pos = 0
        for a, b in forced:
            a, b = max(a, pos), min(b, len(text))
            if b <= a:
                continue
            out.extend(_scan(text[pos:a], md))
            out.append(Piece(text[a:b], True))
            pos = b
        out.extend(_scan(text[pos:], md))
        return out
    pattern = _MD_RE if md else _COMMON_RE
    out: list[Piece] = []
    pos = 0
    for m in pattern.finditer(text):
        kind = m.lastgroup
        if kind == "placeholder" and _PLACEHOLDER_CASE.match(m.group()) and not m.group().startswith(
                ("[USEMAP", "[INS")):
            continue
        if m.start() > pos:
            out.append(Piece(text[pos:m.start()]))
        s = m.group()
        if kind == "entity":
            decoded = html.unescape(s)
            out.append(Piece(decoded.replace("\xa0", " ")) if decoded != s else Piece(s))
        elif kind == "mdlink":
            inner = m.group("lt")
            out.append(Piece("[", True))
            out.extend(_scan(inner, md))
            out.append(Piece(s[1 + len(inner):], True))
        elif kind == "autolink":
            out.append(Piece("<", True))
            out.append(Piece(s[1:-1]))
            out.append(Piece(">", True))
        elif kind == "escape":
            out.append(Piece("\\", True))
            out.append(Piece(s[1:]))
        else:
            out.append(Piece(s, True))
        pos = m.end()
    if pos < len(text):
        out.append(Piece(text[pos:]))
    return out


def _is_plain(text: str) -> bool:
    """A line of a plain (not Markdown) dump that holds no markup: one text piece."""
    return not _MARKUP_START.search(text) and not _BULLET.match(text)


class _PlainLine(NamedTuple):
    """What the unit of a plain line (``_is_plain``) holds, whatever its place: its indent,
    pieces and text forms (``raw``: the line, right white space cut; ``text``; ``norm``). The
    pieces are a tuple (never changed; smaller and cheaper to make than a list)."""

    indent: int
    pieces: tuple[Piece, ...]
    forms: tuple[str, str, str]


def _plain_line(line: str, indent: int) -> _PlainLine:
    pieces = (_new_tuple(Piece, (line, False)),) if line else ()
    return _PlainLine(indent, pieces, (line, " ".join(line.split()), norm(line)))


def _line_unit(index: int, text: str, md: bool, col: int, first: bool = True,
               forced: list[tuple[int, int]] | None = None) -> Unit:
    if not md and not forced and _is_plain(text):
        # a plain line; its pieces a tuple (never changed; smaller and cheaper to make than a list)
        return Unit(index, (_new_tuple(Piece, (text, False)),) if text else (), first=first, col=col)
    lead: list[Piece] = []
    unit = Unit(index, [], first=first, col=col)
    body = text
    m = _MD_HEADING.match(body) if md else None
    if m:
        unit.heading = len(m.group(1))
        lead.append(Piece(m.group(), True))
        body = body[m.end():]
    if md and _RULE.match(body):
        unit.rule = True
        if "*" not in body:
            unit.extra["table_rule"] = True  # html2text's table separator row, not an [hr]
        unit.pieces = [Piece(body, True)]
        return unit
    if md and _FENCE.match(body):
        unit.rule = True
        unit.extra["fence"] = True
        unit.pieces = [Piece(body, True)]
        return unit
    m = _MD_QUOTE.match(body) if md else None
    if m:
        unit.quote = True
        lead.append(Piece(m.group(), True))
        body = body[m.end():]
    if md:
        m = _TABLE_EDGE.match(body)
        if m and body.lstrip().startswith("|"):
            lead.append(Piece(m.group(), True))
            body = body[m.end():]
    m = _BULLET.match(body)
    if m:
        lead.append(Piece(m.group(), True))
        body = body[m.end():]
    consumed = len(text) - len(body)
    shifted = [(a - consumed, b - consumed) for a, b in forced or [] if b - consumed > 0]
    pieces = _scan(body, md, [(max(a, 0), b) for a, b in shifted])
    low = body.lower()
    # A stray HTML blockquote, or the raw BBCode quote that the 5.x–7.x archivers print (as the
    # editor's reply-with-quote writes it; a Markdown link's 「[Quote](…)」 is an editor button).
    if "<blockquote" in low or "[quote" in body and _RAW_QUOTE_OPEN.search(body):
        unit.quote_open = True
    if "</blockquote" in low or "[/quote]" in body:
        unit.quote_close = True
    if md and any(p.markup and p.text.startswith("![") and "avatar" in p.text.lower() for p in pieces):
        unit.avatar = True
    unit.pieces = lead + pieces
    return unit


# -- table layouts ---------------------------------------------------------------------------------
_SEGMENT = re.compile(r"\S+(?: \S+)*")
_STRONG_TAIL = re.compile(r"^\s*(?:\||来自|來自|From\b)")


_IMAGE_NAME_LEAD = re.compile(r"\s*\[[^\[\]]{1,60}\]\s{1,3}")


def header_columns(lines: list[str]) -> dict[int, int]:
    """Display column of each post header that sits in a table column (w3m, inscriptis).

    Only headers followed by their link bar (``| 只看该作者``) count: they are what a table
    layout indents; a 楼中楼 comment's 「发表于」 is not.
    """
    cols: dict[int, int] = {}
    headers = 0
    for i, line in enumerate(lines):
        if "|" not in line:
            continue
        m = POSTED_RE.search(line)
        if not m or not _STRONG_TAIL.match(line[m.end():]):
            continue
        # the header's own segment: the run of text (single spaces inside) holding the verb
        start = m.start()
        for seg in _SEGMENT.finditer(line):
            if seg.start() <= m.start() < seg.end():
                start = seg.start()
                break
        if start and _IMAGE_NAME_LEAD.fullmatch(line[:start]):
            # lynx prints an image's name in brackets: 「[ico_lz.png]  楼主| 发表于」 starts at the image
            start = len(line) - len(line.lstrip())
        col = display_col(line, start)
        headers += 1
        if col >= 10:
            cols[i] = col
    # A table layout indents every post's header: one header pushed right by a stray image
    # (lynx's 「[ico_lz.png]  楼主|」) makes no column.
    return cols if 2 * len(cols) >= headers else {}


def split_columns(line: str, col: int, slack: int = 4, gap: int = 1) -> tuple[str, str, int] | None:
    """Cut a line at the post column: (left text, right text, right display column), or None.

    The cut is at the first place at or after ``col - slack`` where text starts after a space;
    text browsers keep a column aligned (w3m) or nearly so (inscriptis).
    """
    pos = 0
    col_here = 0
    spaces = 2
    for i, ch in enumerate(line):
        blank = ch.isspace()
        # at the column one space is a gap; a little before it (inscriptis drifts) two are needed
        if not blank and (col_here >= col and spaces >= gap or col_here >= col - slack and spaces >= 2):
            pos = i
            break
        spaces = spaces + 1 if blank else 0
        col_here += 1 if ch < "\u0300" else _wide_width(ch)
    else:
        return (line, "", 0) if line.strip() else None
    left = line[:pos]
    if not left.strip():
        return None
    return left, line[pos:], col_here


# A Markdown link or image that a converter wrapped over several lines (html2text's default).
_WRAPPED_LINK = re.compile(r"(?P<img>!?)\[(?P<lt>(?:[^\[\]\n]|\n(?!\s*\n)|!\[[^\[\]\n]{0,80}\]\((?:[^()\s]|-\n){0,400}\))"
                           r"{0,400}?)\]"
                           r"\((?:[^()\s]|-\n)*(?:\s+\"[^\"\n]*(?:\n[^\"\n]*)?\")?\)")


_WRAPPED_IMAGE = re.compile(r"!\[[^\[\]\n]{0,80}\]\((?:[^()\s]|-\n){0,400}\)")


def _wrapped_markup(text: str) -> dict[int, list[tuple[int, int]]]:
    """Per line, the markup ranges of links and images that span lines."""
    starts = []
    pos = 0
    for line in text.splitlines(keepends=True):
        starts.append(pos)
        pos += len(line)
    spans: list[tuple[int, int]] = []
    for m in _WRAPPED_LINK.finditer(text):
        if "\n" not in m.group():
            continue
        if m.group("img"):
            spans.append((m.start(), m.end()))
        else:
            spans.append((m.start(), m.start() + 1))
            for im in _WRAPPED_IMAGE.finditer(text, m.start("lt"), m.end("lt")):
                spans.append((im.start(), im.end()))
            spans.append((m.end("lt"), m.end()))
    out: dict[int, list[tuple[int, int]]] = {}
    for a, b in spans:
        line = bisect.bisect_right(starts, a) - 1
        while a < b and line < len(starts):
            end_of_line = starts[line + 1] if line + 1 < len(starts) else len(text)
            out.setdefault(line, []).append((a - starts[line], min(b, end_of_line) - starts[line]))
            a = end_of_line
            line += 1
    return out


def single_spaced(text: str) -> str:
    """``text``, or, when it is double-spaced (a copy that put a blank line after every line:
    among 20 or more text lines, no two touch), its spacing halved. A dump's blank lines are
    the gaps its readers go by (a quote's end, a signature's box); doubled, every line is a gap.
    A run of ``2k + 1`` blank lines was ``k``."""
    body = text.rstrip("\r\n")
    lines = body.split("\n")
    filled = 0
    after_text = False
    for line in lines:
        if not line.strip():
            after_text = False
        elif after_text:
            return text  # (two text lines touch: the first such pair decides)
        else:
            filled += 1
            after_text = True
    if filled < 20:
        return text
    out: list[str] = []
    blanks = 0
    for line in lines:
        if line.strip():
            out.extend([""] * ((blanks - 1) // 2 if blanks else 0))
            out.append(line)
            blanks = 0
        else:
            blanks += 1
    return "\n".join(out) + ("\n" if len(body) < len(text) else "")


_LINK_NUMBER = re.compile(r"\[(\d{1,5})\]")


def link_numbers(lines: list[str]) -> dict[int, list[tuple[int, int]]]:
    """Per line, the ranges of a text browser's link numbers (``lynx -dump``, w3m with link
    numbers: 「[12]柳岸社区」). They count every link of the page 1, 2, 3… in the page's order
    (w3m's columns print them out of it), so a dump is numbered when its bracketed numbers cover
    most of 1…N. A number printed twice (a footnote mark in a post, 「[1]」) is markup only where
    it sits nearest its neighbours in the count."""
    where: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for i, line in enumerate(lines):
        if line.strip() in ("References", "References:"):  # the list of addresses both print last
            break
        if "[" in line:
            for m in _LINK_NUMBER.finditer(line):
                where.setdefault(int(m.group(1)), []).append((i, m.span()))
    top = max(where, default=0)
    if top < 5 or sum(1 for n in range(1, top + 1) if n in where) < 0.8 * top:
        return {}
    found: dict[int, list[tuple[int, int]]] = {}
    for n in range(1, top + 1):
        places = where.get(n)
        if not places:
            continue
        near = [where[k][0][0] for k in (n - 1, n + 1) if len(where.get(k, ())) == 1]
        line, span = min(places, key=lambda p: min((abs(p[0] - k) for k in near), default=0))
        found.setdefault(line, []).append(span)
    return found


_REFERENCES = re.compile(r"^[ \t]*References:?[ \t]*\n(?:[ \t]*\n)*(?:[ \t]*(?:Visible|Hidden) links:?[ \t]*\n)?"
                         r"[ \t]*(?:\d+\.|\[\d+\])[ \t]+\S", re.M)


def without_references(text: str) -> str:
    """``text`` without the list of link addresses a text browser prints after the page (lynx:
    「References」, 「Visible links:」 when some are hidden, then 「  1. URL」; w3m: 「References:」 then 「[1] URL」): the page's own end,
    footer clock included, is what comes before it."""
    starts = [m.start() for m in _REFERENCES.finditer(text)]
    return text[:starts[-1]] if starts else text


def _clip(ranges: list[tuple[int, int]] | None, start: int, end: int) -> list[tuple[int, int]]:
    """``ranges`` within ``[start, end)`` of a line, counted from ``start``."""
    return [(max(a, start) - start, min(b, end) - start) for a, b in ranges or [] if a < end and b > start]


def _line_columns(lines: list[str]) -> tuple[list[int | None], list[int | None]]:
    """Per line, the column where a table-layout post's body starts (None outside the post
    table), and the nearer other column a line between two headers may use."""
    cols = header_columns(lines)
    active: list[int | None] = [None] * len(lines)
    alt: list[int | None] = [None] * len(lines)
    if not cols:
        return active, alt
    first = min(cols)
    # the columns start after the thread header (「[复制链接]」, the counters), else at the header
    begin = first
    for i in range(first - 1, -1, -1):
        if COPY_LINK.search(norm(lines[i])) or COUNTERS.search(norm(lines[i])):
            begin = i + 1
            break
    # a line between two headers may belong to either post (the next one's author column and
    # floor come before its header), so the nearer column of the two applies
    marks = sorted(cols)
    nxt = 0
    current = cols[first]
    for i in range(begin, len(lines)):
        if i in cols:
            current = cols[i]
        while nxt < len(marks) and marks[nxt] <= i:
            nxt += 1
        following = cols[marks[nxt]] if nxt < len(marks) else current
        active[i] = current
        alt[i] = following if following < current else None
    return active, alt


def units_of(text: str, md: bool) -> list[Unit]:
    """The dump as units, in reading order."""
    text = text.replace("\u200f", "").replace("\u200e", "")
    lines = text.splitlines()
    wrapped = _wrapped_markup(text) if md else {}
    # (a dump without a bracket holds no link number)
    for i, ranges in (link_numbers(lines) if "[" in text else {}).items():
        wrapped[i] = sorted(wrapped.get(i, []) + ranges)
    active, alt = _line_columns(lines)
    out: list[Unit] = []
    # A dump repeats most of its lines (author columns, action bars, stats): outside table
    # columns, a plain line's unit is read once per text and its pieces and text forms shared
    # (pieces are never edited in place).
    plain: dict[str, _PlainLine | None] = {}
    for i, line in enumerate(lines):
        if not md and active[i] is None and not (wrapped and wrapped.get(i)):
            known = plain.get(line, _UNSEEN)
            if known is _UNSEEN:
                bare = line.rstrip()
                lead = len(bare) - len(bare.lstrip())
                known = plain[line] = _plain_line(bare, display_col(bare, lead) if lead else 0) \
                    if _is_plain(bare) else None
            if known is not None:
                # (its text forms already read; positional: a call with keywords costs more than
                # the unit's own making)
                out.append(Unit(i, known.pieces, True, known.indent, False, False, 0, False, False, False, False,
                                None, known.forms))
                continue
        line = line.rstrip()
        lead = len(line) - len(line.lstrip())
        indent = display_col(line, lead) if lead else 0
        col = active[i]
        if col is not None and line.strip():
            cut = split_columns(line, col)
            if (cut is None or not cut[1].strip()) and alt[i] is not None:
                cut = split_columns(line, alt[i], gap=2) or cut
            if cut:
                left, right, rcol = cut
                lu = _line_unit(i, left, md, indent, forced=_clip(wrapped.get(i), 0, len(left)) or None)
                lu.left = True
                out.append(lu)
                if right.strip():
                    out.append(_line_unit(i, right, md, rcol, first=False,
                                          forced=_clip(wrapped.get(i), len(left), len(line)) or None))
                continue
        out.append(_line_unit(i, line, md, indent, forced=wrapped.get(i)))
    return out
