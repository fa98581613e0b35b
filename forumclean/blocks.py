"""Labelled text blocks: one verdict for every piece of visible text.

A page family does not edit the tree. It *labels* elements (``Verdict``), and one shared walker
turns the tree into ``Block``s in reading order, each carrying the verdict of its innermost
labelled ancestor. ``extract`` assembles the kept body blocks into posts; ``diff`` renders all
blocks with their verdicts. Because both read the same blocks they cannot disagree.

Text dumps skip the walker: their families label lines directly, into the same ``Block`` type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

# Roles of kept text. Anything else is a removal reason.
BODY = "body"
TITLE = "title"
#: Kept roles that are captured as metadata rather than body text.
META_ROLES = frozenset({"title", "author", "published", "floor", "forum", "source", "url", "counters",
                        "site", "clock", "edit"})


@dataclass(frozen=True)
class Verdict:
    """What happens to a piece of text: kept (as ``role``) or removed (``role`` = the reason)."""

    keep: bool
    role: str
    post: int | None = None

    @property
    def is_body(self) -> bool:
        return self.keep and self.role == BODY


def removed(reason: str, post: int | None = None) -> Verdict:
    return Verdict(False, reason, post)


def kept(role: str, post: int | None = None) -> Verdict:
    return Verdict(True, role, post)


PAGE_CHROME = removed("page chrome")
HIDDEN = removed("hidden (display:none)")


@dataclass
class Block:
    """A run of text under one verdict. ``newline``: a line break comes before it."""

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
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def fold(text: str) -> str:
    """Collapse white space the way a browser does inside a line."""
    return _WS.sub(" ", text)


def is_hidden(el: etree._Element) -> bool:
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style)) or el.get("hidden") is not None


def walk(roots: Iterable[etree._Element], verdicts: dict, start: Verdict = PAGE_CHROME) -> list[Block]:
    """Text blocks under ``roots`` in document order.

    ``verdicts`` maps elements to labels; an element without one inherits its parent's, except
    that elements hidden by inline CSS become ``HIDDEN``. Iterative, so deep nesting is safe.
    A root inside another root (broken pages nest posts) is emitted once, where it stands.
    """
    out: list[Block] = []
    pending_newline = True
    roots = list(roots)
    pending_roots = {id(r): r for r in roots}
    done_roots: set[int] = set()  # roots walked on their own: skipped if an enclosing root meets them
    inherited_cache: dict = {}

    def emit(text: str | None, verdict: Verdict) -> None:
        nonlocal pending_newline
        if not text:
            return
        text = fold(text)
        if pending_newline:
            text = text.lstrip()  # leading white space of a line is never visible
            if not text:
                return
        if out and not pending_newline and out[-1].verdict == verdict:
            out[-1].text += text
        else:
            out.append(Block(text, verdict, pending_newline))
            pending_newline = False

    for root in roots:
        if pending_roots.pop(id(root), None) is None:
            continue  # already emitted inside an enclosing root (or listed twice)
        inherited = _inherited_verdict(root, verdicts, start, inherited_cache)
        stack: list[tuple[etree._Element, Verdict, bool]] = [(root, inherited, False)]
        # Each stack entry is (element, verdict of its parent, exiting?).
        while stack:
            el, parent_verdict, exiting = stack.pop()
            tag = el.tag
            if exiting:
                if isinstance(tag, str) and tag in _BREAKING:
                    pending_newline = True
                if el is not root:
                    emit(el.tail, parent_verdict)
                continue
            if not isinstance(tag, str):  # comment / processing instruction
                if el is not root:
                    emit(el.tail, parent_verdict)
                continue
            if el is not root:
                if pending_roots:
                    pending_roots.pop(id(el), None)
                if done_roots and id(el) in done_roots:
                    emit(el.tail, parent_verdict)
                    continue
            verdict = verdicts.get(el)
            if verdict is None:
                verdict = HIDDEN if (parent_verdict is not HIDDEN and is_hidden(el)) else parent_verdict
            stack.append((el, parent_verdict, True))
            if tag in _INVISIBLE:
                continue
            if tag in _BREAKING:
                pending_newline = True
            emit(el.text, verdict)
            for child in reversed(el):
                stack.append((child, verdict, False))
        pending_newline = True
        done_roots.add(id(root))
    return out


def _inherited_verdict(el: etree._Element, verdicts: dict, start: Verdict, cache: dict | None = None) -> Verdict:
    """The verdict ``el`` inherits from its labelled ancestors (used when walking a sub-tree).

    ``cache`` (parent -> verdict) keeps many roots under one deep parent linear.
    """
    if not verdicts:
        return start
    parent = el.getparent()
    seen = []
    found = start
    while parent is not None:
        if cache is not None and parent in cache:
            found = cache[parent]
            break
        v = verdicts.get(parent)
        if v is not None:
            found = v
            break
        seen.append(parent)
        parent = parent.getparent()
    if cache is not None:
        for p in seen:
            cache[p] = found
    return found


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


def relabel(line: list[Block], start: int, end: int, verdict: Verdict, only_kept: bool = True) -> list[Block]:
    """Give characters ``start:end`` of a line (its blocks' text joined) a new verdict.

    Splits blocks at the edges; returns the new list of blocks for the line.
    """
    out: list[Block] = []
    pos = 0
    for b in line:
        b_start, b_end = pos, pos + len(b.text)
        pos = b_end
        lo, hi = max(start, b_start), min(end, b_end)
        if lo >= hi or (only_kept and not b.verdict.keep):
            out.append(b)
            continue
        pieces = [(b.text[: lo - b_start], b.verdict), (b.text[lo - b_start: hi - b_start], verdict),
                  (b.text[hi - b_start:], b.verdict)]
        first = True
        for text, v in pieces:
            if text:
                out.append(Block(text, v, b.newline and first))
                first = False
    return out


def relabel_spans(line: list[Block], spans: list[tuple[int, int]], verdict: Verdict,
                  only_kept: bool = True) -> list[Block]:
    """``relabel`` for many sorted, non-overlapping spans of one line, in one pass over its blocks
    (relabelling span by span is quadratic on a long line with many matches)."""
    out: list[Block] = []
    pos = 0
    si = 0
    for b in line:
        b_start, b_end = pos, pos + len(b.text)
        pos = b_end
        while si < len(spans) and spans[si][1] <= b_start:
            si += 1
        if si >= len(spans) or spans[si][0] >= b_end or (only_kept and not b.verdict.keep):
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
