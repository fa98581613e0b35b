"""Labelled text blocks: one verdict for every piece of visible text.

A page family does not edit the tree. It *labels* elements (``Verdict``), and one shared walker
turns the tree into ``Block``s in reading order, each carrying the verdict of its innermost
labelled ancestor. ``extract`` assembles the kept body blocks into posts; ``diff`` renders all
blocks with their verdicts. Because both read the same blocks they cannot disagree.

Text dumps skip the walker: their families label lines directly, into the same ``Block`` type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from lxml import etree

# Roles of kept text. Anything else is a removal reason.
BODY = "body"
TITLE = "title"
#: Kept roles that are captured as metadata rather than body text.
META_ROLES = frozenset({"title", "author", "published", "floor", "forum", "source", "url", "counters",
                        "site", "clock", "edit"})


_SET = object.__setattr__


@dataclass(frozen=True, slots=True, init=False)
class Verdict:
    """What happens to a piece of text: kept (as ``role``) or removed (``role`` = the reason)."""

    keep: bool
    role: str
    post: int | None = None
    #: Kept as post body text (a stored field: it is read for every block on the hot path).
    is_body: bool = field(default=False, repr=False, compare=False)

    def __init__(self, keep: bool, role: str, post: int | None = None) -> None:
        # (the frozen dataclass's own __init__ and a __post_init__ took twice as long: a page
        # makes dozens of verdicts, a long dump tens of thousands)
        _SET(self, "keep", keep)
        _SET(self, "role", role)
        _SET(self, "post", post)
        _SET(self, "is_body", keep and role == BODY)


def removed(reason: str, post: int | None = None) -> Verdict:
    return Verdict(False, reason, post)


def kept(role: str, post: int | None = None) -> Verdict:
    return Verdict(True, role, post)


PAGE_CHROME = removed("page chrome")
HIDDEN = removed("hidden (display:none)")


def tail(el: etree._Element) -> tuple[str, etree._Element]:
    """Key for the text that follows ``el`` (its tail) in a verdicts dict.

    Pages whose posts are not wrapped in an element (archiver, printable view) keep a post's
    text in tails between siblings; labelling the tail gives that text its own verdict.
    Unlabelled tails take their parent's verdict.
    """
    return ("tail", el)


@dataclass(slots=True)
class Block:
    """A run of text under one verdict. ``newline``: a line break comes before it. (Slots: a page
    makes thousands, and the walk and the line rules read them.)"""

    text: str
    verdict: Verdict
    newline: bool = True


# Elements whose content is never visible text.
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "title", "select", "option",
                        "textarea", "iframe", "object", "embed", "svg", "button", "input"})
_BREAKING = frozenset({
    "address", "article", "aside", "blockquote", "br", "center", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul", "caption", "body", "html", "ignore_js_op", "dir", "menu", "details", "summary",
})
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u200b\ufeff]+")
# What ``str.split()`` splits on beyond ``_WS``'s blanks (``_WS`` folds two that it does not:
# U+200B and U+FEFF).
_OTHER_SPACE = re.compile("[\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def fold(text: str) -> str:
    """Collapse white space the way a browser does inside a line."""
    return _WS.sub(" ", text)


def _fold_long(text: str) -> str:
    """``fold`` for a long text: ``str.split`` folds the runs in C, where the regex pays a match
    per run (a page of short lines holds thousands); the regex stays for the rare text holding
    a blank that the two do not agree on."""
    if _OTHER_SPACE.search(text):
        return _WS.sub(" ", text)
    if "\u200b" in text:
        text = text.replace("\u200b", " ")
    if "\ufeff" in text:
        text = text.replace("\ufeff", " ")
    words = text.split()
    if not words:
        return " " if text else ""
    out = " ".join(words)
    if text[0].isspace():
        out = " " + out
    if text[-1].isspace():
        out += " "
    return out


def is_hidden(el: etree._Element) -> bool:
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style)) or el.get("hidden") is not None


# What closing an open element does in ``walk``.
_BREAKS = 0  # pops its verdict and breaks the line (a block element)
_INLINE = 1  # pops its verdict
_BR = 2  # breaks the line (a <br> holding elements: no verdict of its own)
_PASSED = 3  # nothing: it stands inside an invisible element


def walk(roots: Iterable[etree._Element], verdicts: dict, start: Verdict = PAGE_CHROME) -> list[Block]:
    """Text blocks under ``roots`` in document order.

    ``verdicts`` maps elements to labels; an element without one inherits its parent's, except
    that elements hidden by inline CSS become ``HIDDEN``. Iterative, so deep nesting is safe.
    Text pieces are read root by root (``_read``), then merged into blocks in a second, simpler
    loop.
    """
    pieces: list[tuple[str, Verdict, bool]] = []  # (raw text, verdict, a line break comes before)
    tails = any(type(k) is tuple for k in verdicts)  # labelled tails (see ``tail``)
    for root, inherited in _placed(list(roots), verdicts, start):
        _read(root, inherited, verdicts, tails, pieces.append)
    return _merge(pieces)


def _read(root: etree._Element, inherited: Verdict, verdicts: dict, tails: bool,
          append: Callable[[tuple[str, Verdict, bool]], None]) -> None:
    """The text pieces under ``root``, each with its verdict and whether a line break comes
    before it. This loop runs once per element of every post body: it is the hot path of
    extraction, hence local names and one loop.

    The elements come from lxml's ``iter()``, which yields each one once and costs a fifth of
    ``iterwalk``'s start and end events. Where an element ends is found from the next one's
    parent: every open element that is not that parent has ended, innermost first, and its tail
    follows. A void ``<br>`` (most elements of a post) ends where it starts.
    """
    get_verdict = verdicts.get
    invisible, breaking = _INVISIBLE, _BREAKING
    newline = True  # a line break is pending before the next text
    stack = [inherited]  # the verdicts of the open elements
    bottom = root.getparent()
    opened: list[tuple[etree._Element | None, int]] = [(bottom, _PASSED)]  # open elements, and how each closes
    push, pop = opened.append, opened.pop
    top = bottom  # the innermost open element
    passing = False  # inside an invisible element
    for el in chain(root.iter(), (None,)):  # (None: the end, where every element closes)
        parent = el.getparent() if el is not None else bottom
        if top is not parent:
            while True:  # close what has ended
                done, how = pop()
                if how != _PASSED:
                    if how == _BR:
                        newline = True
                    else:
                        stack.pop()
                        if how == _BREAKS:
                            newline = True
                        passing = False  # (only the invisible element itself closes while passing)
                    text = done.tail
                    if text and done is not root and not (newline and text.isspace()):
                        append((text, get_verdict(("tail", done), stack[-1]) if tails else stack[-1], newline))
                        newline = False
                if opened[-1][0] is parent:
                    break
        if el is None:
            return
        top = el
        if passing:
            push((el, _PASSED))
            continue
        tag = el.tag
        if tag == "br":  # no verdict to hand down
            if len(el):  # (a <br> holding elements closes as others do)
                newline = True
                push((el, _BR))
                continue
            top = parent  # void: its tail follows at once
            text = el.tail
            if text and el is not root and not text.isspace():
                append((text, get_verdict(("tail", el), stack[-1]) if tails else stack[-1], True))
                newline = False
            else:
                newline = True
            continue
        if type(tag) is not str:  # comment, processing instruction, entity
            stack.append(stack[-1])
            push((el, _INLINE))
            continue
        verdict = get_verdict(el)
        if verdict is None:
            verdict = stack[-1]
            # (one call lists the attribute names: most elements have neither, and reading the
            # two attributes costs three times as much)
            if verdict is not HIDDEN and (names := el.keys()) and ("style" in names or "hidden" in names) \
                    and is_hidden(el):
                verdict = HIDDEN
        stack.append(verdict)
        block = tag in breaking
        push((el, _BREAKS if block else _INLINE))
        if tag in invisible:
            passing = True
            continue
        if block:
            newline = True
        text = el.text
        if text and not (newline and text.isspace()):  # (blanks after a break show nothing)
            append((text, verdict, newline))
            newline = False


def _merge(pieces: list[tuple[str, Verdict, bool]]) -> list[Block]:
    """Pieces of text to blocks: white space folded as a browser does, a line's leading blanks
    dropped, neighbours on one line under the same verdict joined."""
    out: list[Block] = []
    append = out.append
    pending = True  # a line break waits for the next visible text
    last: Block | None = None
    for text, (_, verdict, newline) in zip(_folded(pieces), pieces, strict=True):
        if newline or pending:
            # A break before blank text carries over to the next text that shows.
            text = text.lstrip()
            if not text:
                pending = True
                continue
            last = Block(text, verdict, True)
            append(last)
            pending = False
        elif last is not None and last.verdict is verdict:
            last.text += text
        else:
            last = Block(text, verdict, False)
            append(last)
    return out


def _folded(pieces: list[tuple[str, Verdict, bool]]) -> list[str]:
    """Every piece's text with white space folded (``fold``): one regex pass over the texts
    joined by NULs, which the folded runs never hold, instead of a call per piece."""
    texts = [p[0] for p in pieces]
    folded = _fold_long("\0".join(texts)).split("\0")
    # A NUL inside a text (lxml keeps none, but a tree need not come from lxml) splits it apart.
    return folded if len(folded) == len(texts) else [_WS.sub(" ", t) for t in texts]


def _placed(roots: list[etree._Element], verdicts: dict,
            start: Verdict) -> Iterator[tuple[etree._Element, Verdict]]:
    """The roots to walk, each with the verdict it inherits from its labelled ancestors.

    A root inside another root (a broken page whose title element swallows the posts) is left
    out: it is emitted once, with the enclosing root, under its own verdict. What is known of an
    ancestor is remembered, so the hundred posts of a page under the same few ancestors cost one
    climb, not a hundred.
    """
    members = set(roots)
    # ancestor -> (it or one of its ancestors is a root, the verdict it hands down)
    known: dict[etree._Element, tuple[bool, Verdict]] = {}
    for root in roots:
        climb = []
        above: tuple[bool, Verdict] = (False, start)
        el = root.getparent()
        while el is not None:
            if el in known:
                above = known[el]
                break
            climb.append(el)
            el = el.getparent()
        for el in reversed(climb):  # from the top down
            above = (above[0] or el in members, verdicts.get(el, above[1]))
            known[el] = above
        if not above[0]:
            yield root, above[1]


def lines(blocks: list[Block]) -> Iterator[list[Block]]:
    """Group blocks into visual lines."""
    line: list[Block] = []
    for b in blocks:
        if b.newline and line:
            yield line
            line = []
        line.append(b)
    if line:
        yield line


def relabel(line: list[Block], start: int, end: int, verdict: Verdict,
            eligible: Callable[[Block], bool] = lambda b: b.verdict.keep) -> list[Block]:
    """Give characters ``start:end`` of a line a new verdict.

    Positions count only the text of ``eligible`` blocks (joined), and only those are relabelled;
    blocks are split at the edges. Returns the new list of blocks for the line.
    """
    return relabel_spans(line, [(start, end)], verdict, eligible) if end > start else line


def relabel_spans(line: list[Block], spans: list[tuple[int, int]], verdict: Verdict,
                  eligible: Callable[[Block], bool] = lambda b: b.verdict.keep) -> list[Block]:
    """``relabel`` for many sorted, non-overlapping spans of one line, in one pass over its blocks
    (relabelling span by span is quadratic on a long line with many matches). Positions count
    only the text of ``eligible`` blocks, as in ``relabel``."""
    out: list[Block] = []
    pos = 0
    si = 0
    for b in line:
        if not eligible(b):
            out.append(b)
            continue
        b_start, b_end = pos, pos + len(b.text)
        pos = b_end
        while si < len(spans) and spans[si][1] <= b_start:
            si += 1
        if si >= len(spans) or spans[si][0] >= b_end:
            out.append(b)
            continue
        pieces: list[tuple[str, Verdict]] = []
        cur = b_start
        j = si
        while j < len(spans) and spans[j][0] < b_end:
            lo, hi = max(spans[j][0], cur), min(spans[j][1], b_end)
            if lo > cur:
                pieces.append((b.text[cur - b_start: lo - b_start], b.verdict))
            if hi > lo:
                pieces.append((b.text[lo - b_start: hi - b_start], verdict))
            cur = max(cur, hi)
            if spans[j][1] > b_end:
                break  # the span goes on into the next block
            j += 1
        if cur < b_end:
            pieces.append((b.text[cur - b_start:], b.verdict))
        si = j
        first = True
        for text, v in pieces:
            if text:
                out.append(Block(text, v, b.newline and first))
                first = False
    return out


def line_text(line: list[Block], keep_only: bool = False) -> str:
    return "".join(b.text for b in line if not keep_only or b.verdict.keep)
