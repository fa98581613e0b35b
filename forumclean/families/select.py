"""Many XPath lookups in one walk of the tree.

Region tables (``rules/chrome.py``) hold dozens of XPaths, applied to every post container.
libxml2 walks the sub-tree once per expression, and the class-token test
(``contains(concat(' ', normalize-space(@class), ' '), ' x ')``) builds strings at every
element: on a thread page that was most of the extraction time. Nearly all those expressions
have one simple shape, so this module compiles them into index entries (class token, id,
attribute, tag) and answers a whole table of relative (``.//``) expressions in a single pass
over the elements. Whole-document (``//``) expressions stay with libxml2 (one C walk costs no
more than indexing the page), except that one starting from an id the page does not repeat is
answered from libxml2's id table.

Only expressions that fit the grammar below are compiled; anything else (functions, axes,
positions, attribute results) is left to lxml's XPath, so results are always XPath's results:
the same elements, in document order (tests/test_select.py checks this on every table).

    expr  := path ('|' path)*
    path  := ('.//' | '//') step (('//' | '/') step)*
    step  := (NAME | '*') ('[' term (' or ' term)* ']')?
    term  := cls('x') | @a='x' | @a | starts-with(@a, 'x') | contains(@a, 'x')
             | contains(translate(@a, ' ', ''), 'x')
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from ..page import duplicate_ids

_NAME = r"[A-Za-z_][\w.-]*"
_LIT = r"'([^']*)'"
_TERMS: list[tuple[str, re.Pattern]] = [
    ("cls", re.compile(r"contains\(concat\(' ', normalize-space\(@class\), ' '\), ' ([^' ]+) '\)")),
    ("eq", re.compile(rf"@({_NAME})\s*=\s*{_LIT}")),
    ("starts", re.compile(rf"starts-with\(@({_NAME}),\s*{_LIT}\)")),
    ("contains", re.compile(rf"contains\(@({_NAME}),\s*{_LIT}\)")),
    ("nospace", re.compile(rf"contains\(translate\(@({_NAME}),\s*' ',\s*''\),\s*{_LIT}\)")),
    ("has", re.compile(rf"@({_NAME})")),
]
_STEP = re.compile(rf"({_NAME}|\*)(?:\[(.*)\])?$", re.S)
_XML_SPACE = str.maketrans("\t\r\n", "   ")


@dataclass(frozen=True)
class _Step:
    tag: str | None  # None: any element
    kind: str | None  # term kind, None: no predicate
    attr: str | None = None
    value: str | None = None

    def matches(self, el: etree._Element) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.kind is None:
            return True
        if self.kind == "cls":
            return self.value in _tokens(el.get("class"))
        v = el.get(self.attr)
        if v is None:
            return False
        kind = self.kind
        if kind == "eq":
            return v == self.value
        if kind == "starts":
            return v.startswith(self.value)
        if kind == "contains":
            return self.value in v
        if kind == "nospace":
            return self.value in v.replace(" ", "")
        return True  # has


@dataclass(frozen=True, eq=False)  # identity: cheap to hash, and compiled paths are cached
class _Path:
    """One alternative of an expression: steps from the context down, and the link (``/`` or
    ``//``) before each step after the first."""

    absolute: bool
    steps: tuple[_Step, ...]
    links: tuple[str, ...]  # '/' or '//' before each step after the first

    def ancestors_match(self, el: etree._Element, top: etree._Element | None, memo: dict) -> bool:
        """Do the steps before the last match ``el``'s ancestors (not above ``top``)?"""
        return _up(self, el, len(self.steps) - 1, top, memo)


def _up(path: _Path, el: etree._Element, i: int, top: etree._Element | None, memo: dict) -> bool:
    """Is there an ancestor of ``el`` (below ``top``) where steps ``0..i-1`` match, step ``i-1``
    at that ancestor? Memoised per scan: the links of one post share their ancestors."""
    if i == 0:
        return True
    key = (path, i, el)
    found = memo.get(key)
    if found is not None:
        return found
    step = path.steps[i - 1]
    parent = el.getparent()
    if parent is None or parent is top:
        found = False
    elif step.matches(parent) and _up(path, parent, i - 1, top, memo):
        found = True
    else:
        found = path.links[i - 1] == "//" and _up(path, parent, i, top, memo)
    memo[key] = found
    return found


def _tokens(cls: str | None) -> list[str]:
    if not cls:
        return []
    return cls.translate(_XML_SPACE).split(" ")


def class_tokens(el: etree._Element) -> list[str]:
    """``el``'s class tokens as XPath's ``cls()`` test sees them (split at XML white space)."""
    return _tokens(el.get("class"))


def _split_top(expr: str, sep: str) -> list[str] | None:
    """Split at ``sep`` outside quotes and brackets; None if the brackets do not balance."""
    parts, depth, quote, start, i = [], 0, None, 0, 0
    while i < len(expr):
        c = expr[i]
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c in "[(":
            depth += 1
        elif c in "])":
            depth -= 1
        elif depth == 0 and expr.startswith(sep, i):
            parts.append(expr[start:i])
            i += len(sep)
            start = i
            continue
        i += 1
    if depth or quote:
        return None
    parts.append(expr[start:])
    return parts


def _parse_term(text: str) -> tuple[str, str | None, str | None] | None:
    text = text.strip()
    for kind, pattern in _TERMS:
        m = pattern.fullmatch(text)
        if m:
            if kind == "cls":
                return kind, "class", m.group(1)
            value = m.group(2) if m.lastindex and m.lastindex > 1 else None
            if value == "" and kind in ("starts", "contains", "nospace"):
                return None  # true even without the attribute in XPath: leave it to libxml2
            return kind, m.group(1), value
    return None


def _parse_path(text: str) -> list[_Path] | None:
    text = text.strip()
    if text.startswith(".//"):
        absolute, rest = False, text[3:]
    elif text.startswith("//"):
        absolute, rest = True, text[2:]
    else:
        return None
    # Split into steps at '/' and '//' outside brackets.
    pieces: list[str] = []
    links: list[str] = []
    depth, quote, start, i = 0, None, 0, 0
    while i < len(rest):
        c = rest[i]
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "[(":
            depth += 1
        elif c in "])":
            depth -= 1
        elif c == "/" and depth == 0:
            pieces.append(rest[start:i])
            if rest.startswith("//", i):
                links.append("//")
                i += 2
            else:
                links.append("/")
                i += 1
            start = i
            continue
        i += 1
    pieces.append(rest[start:])
    # Each step: a name test and an OR of terms; an OR in the last step becomes alternatives.
    options: list[list[_Step]] = []
    for piece in pieces:
        m = _STEP.match(piece.strip())
        if not m:
            return None
        tag = None if m.group(1) == "*" else m.group(1)
        if m.group(2) is None:
            options.append([_Step(tag, None)])
            continue
        terms = _split_top(m.group(2), " or ")
        if not terms:
            return None
        alts = []
        for t in terms:
            parsed = _parse_term(t)
            if parsed is None:
                return None
            alts.append(_Step(tag, *parsed))
        options.append(alts)
    if any(len(o) > 1 for o in options[:-1]):
        return None  # an OR before the last step: keep it simple, leave it to XPath
    head = tuple(o[0] for o in options[:-1])
    return [_Path(absolute, head + (last,), tuple(links)) for last in options[-1]]


@lru_cache(maxsize=1024)
def compile_expr(expr: str) -> tuple[_Path, ...] | None:
    """The alternatives of ``expr`` if it fits the simple grammar, else None."""
    parts = _split_top(expr, "|")
    if parts is None:
        return None
    paths: list[_Path] = []
    for part in parts:
        parsed = _parse_path(part)
        if parsed is None:
            return None
        paths.extend(parsed)
    if len({p.absolute for p in paths}) > 1:
        return None  # mixed scopes: one scan could not keep document order
    return tuple(paths)


# (expression number, path, step number, tag to check, whether the step still needs a full check)
_Entry = tuple[int, _Path, int, "str | None", bool]


class _Index:
    """Every step of many expressions' paths, keyed by what an element shows first: a class
    token, an attribute value (``@a='x'``), an attribute prefix (``starts-with``), an attribute,
    a tag. A scan goes in document order, so an element's ancestors are always seen before it:
    the elements matching each earlier step of a path are remembered, and a later step only has
    to look for a remembered ancestor."""

    def __init__(self) -> None:
        self.by_class: dict[str, list[_Entry]] = {}
        self.by_value: dict[tuple[str, str], list[_Entry]] = {}
        self.by_prefix: dict[str, dict[str, list[_Entry]]] = {}
        self.by_attr: dict[str, list[_Entry]] = {}
        self.by_tag: dict[str | None, list[_Entry]] = {}
        self.attrs: list[tuple[str, bool, tuple[tuple[str, list[_Entry]], ...], tuple[str, ...],
                               list[_Entry]]] = []
        self.attrs_by_tag: dict[str, list] = {}
        self.tags_of: dict[str, set[str | None]] = defaultdict(set)  # attribute -> step tags

    def add(self, n: int, path: _Path) -> None:
        for level, step in enumerate(path.steps):
            if step.kind == "cls":
                self.by_class.setdefault(step.value, []).append((n, path, level, step.tag, False))
            elif step.kind == "eq":
                self.by_value.setdefault((step.attr, step.value), []).append(
                    (n, path, level, step.tag, False))
            elif step.kind == "starts":
                self.by_prefix.setdefault(step.attr, {}).setdefault(step.value, []).append(
                    (n, path, level, step.tag, False))
            elif step.kind is not None:
                self.by_attr.setdefault(step.attr, []).append((n, path, level, step.tag, True))
            else:
                self.by_tag.setdefault(step.tag, []).append((n, path, level, step.tag, False))
            if step.kind not in (None, "cls"):
                self.tags_of[step.attr].add(step.tag)
        # Per attribute, everything an element's value can lead to, so each is read once; and
        # per tag, the attributes worth reading (``a[contains(@href, …)]`` reads href of links only).
        handlers = {}
        names = {a for a, _ in self.by_value} | set(self.by_prefix) | set(self.by_attr)
        for name in sorted(names):
            prefixes = tuple(self.by_prefix.get(name, {}).items())
            handlers[name] = (name, any(a == name for a, _ in self.by_value), prefixes,
                              tuple(p for p, _ in prefixes), self.by_attr.get(name, []))
        self.attrs = [h for name, h in handlers.items() if None in self.tags_of[name]]
        self.attrs_by_tag = {tag: [h for name, h in handlers.items() if {None, tag} & self.tags_of[name]]
                             for name in handlers for tag in self.tags_of[name] if tag is not None}

    def __bool__(self) -> bool:
        return bool(self.by_class or self.by_value or self.by_prefix or self.by_attr or self.by_tag)

    def scan(self, elements: Iterable[etree._Element], top: etree._Element | None,
             hits: list[list[etree._Element]]) -> None:
        by_class, by_value, by_tag = self.by_class, self.by_value, self.by_tag
        attrs_any, attrs_by_tag = self.attrs, self.attrs_by_tag
        any_tag = by_tag.get(None)
        heads: dict[tuple[_Path, int], set] = {}  # elements where steps 0..i of a path matched
        for el in elements:
            cands: list[_Entry] = []
            if by_class:
                c = el.get("class")
                if c:
                    if "\t" in c or "\n" in c or "\r" in c:
                        c = c.translate(_XML_SPACE)
                    for tok in c.split(" "):
                        found = by_class.get(tok)
                        if found:
                            cands += found
            for name, by_val, prefixes, starts, others in attrs_by_tag.get(el.tag, attrs_any):
                v = el.get(name)
                if v is None:
                    continue
                if by_val:
                    found = by_value.get((name, v))
                    if found:
                        cands += found
                if starts and v.startswith(starts):
                    for prefix, entries in prefixes:
                        if v.startswith(prefix):
                            cands += entries
                if others:
                    cands += others
            if by_tag:
                found = by_tag.get(el.tag)
                if found:
                    cands += found
                if any_tag:
                    cands += any_tag
            if not cands:
                continue
            tag = el.tag
            done: set[int] = set()
            for n, path, level, need_tag, check in cands:
                if need_tag is not None and need_tag != tag:
                    continue
                last = level == len(path.steps) - 1
                if last and n in done:
                    continue
                if check and not path.steps[level].matches(el):
                    continue
                if level and not _under(el, heads.get((path, level - 1)), path.links[level - 1], top):
                    continue
                if last:
                    hits[n].append(el)
                    done.add(n)
                else:
                    heads.setdefault((path, level), set()).add(el)


def _under(el: etree._Element, found: set | None, link: str, top: etree._Element | None) -> bool:
    """Is ``el``'s parent (``/``) or an ancestor (``//``) below ``top`` in ``found``?"""
    if not found:
        return False
    parent = el.getparent()
    while parent is not None and parent is not top:
        if parent in found:
            return True
        if link == "/":
            return False
        parent = parent.getparent()
    return False


@lru_cache(maxsize=256)
def _plan(exprs: tuple[str, ...]) -> tuple[_Index, tuple[int, ...], tuple[int, ...]]:
    """Relative expressions share one walk; whole-document ones and the rest go to XPath."""
    relative = _Index()
    absolute: list[int] = []
    fallback: list[int] = []
    for n, expr in enumerate(exprs):
        paths = compile_expr(expr)
        if paths is None:
            fallback.append(n)
        elif paths[0].absolute:
            absolute.append(n)
        else:
            for p in paths:
                relative.add(n, p)
    return relative, tuple(absolute), tuple(fallback)


def select_many(root: etree._Element, exprs: Iterable[str]) -> list[list[etree._Element]]:
    """The elements each expression selects from ``root``: like ``[etree.XPath(e)(root) ...]``."""
    exprs = tuple(exprs)
    relative, absolute, fallback = _plan(exprs)
    hits: list[list[etree._Element]] = [[] for _ in exprs]
    if relative:
        elements = root.iter(etree.Element)
        next(elements, None)  # './/' starts below the context element
        relative.scan(elements, root, hits)
    for n in absolute + fallback:
        hits[n] = select(root, exprs[n])
    return hits


def restrict(root: etree._Element, exprs: Iterable[str],
             hits: list[list[etree._Element]]) -> list[list[etree._Element]]:
    """What ``select_many(root, exprs)`` gives, from ``hits``: the same expressions' results
    from an ancestor of ``root`` (so one walk of a post serves its body's table too)."""
    out = []
    for expr, found in zip(exprs, hits, strict=True):
        paths = compile_expr(expr)
        if paths is None or paths[0].absolute:
            out.append(_xpath(expr)(root))
            continue
        simple = all(len(p.steps) == 1 for p in paths)
        memo: dict = {}
        keep = []
        for el in found:
            if not _below_root(el, root):
                continue
            if simple or any(p.steps[-1].matches(el) and p.ancestors_match(el, root, memo) for p in paths):
                keep.append(el)
        out.append(keep)
    return out


def _below_root(el: etree._Element, root: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent is root:
            return True
        parent = parent.getparent()
    return False


def select(root: etree._Element, expr: str) -> list[etree._Element]:
    """``etree.XPath(expr)(root)``, answered the cheapest exact way: a relative expression by one
    walk of ``root``; one that starts from an id the page does not repeat, ``//*[@id='x']…``,
    from libxml2's id table (``id('x')…``) instead of a walk of the whole document."""
    paths = compile_expr(expr)
    if paths is not None and not paths[0].absolute:
        return select_many(root, (expr,))[0]
    by_id = _id_rewrite(expr)
    if by_id is not None:
        dups = duplicate_ids(root)
        if dups is not None and not (by_id[1] & dups):
            return _xpath(by_id[0])(root)
    return _xpath(expr)(root)


_ID_STEP = re.compile(r"\s*//(\*|[A-Za-z][\w-]*)\[@id\s*=\s*'([^'\s]+)'\]")


@lru_cache(maxsize=512)
def _id_rewrite(expr: str) -> tuple[str, frozenset[str]] | None:
    """``expr`` with each leading ``//T[@id='x']`` step as ``id('x')[self::T]``, and the ids."""
    parts = _split_top(expr, "|")
    if not parts:
        return None
    out, ids = [], set()
    for part in parts:
        m = _ID_STEP.match(part)
        rest = part[m.end():].rstrip() if m else ""
        if m is None or (rest and not rest.startswith("/")):
            return None
        tag, value = m.groups()
        # [@id=…]: libxml2 also files <a name="x"> under id('x').
        out.append(f"id('{value}')[@id='{value}']" + ("" if tag == "*" else f"[self::{tag}]") + rest)
        ids.add(value)
    return " | ".join(out), frozenset(ids)


def select_first(root: etree._Element, expr: str) -> etree._Element | None:
    found = select(root, expr)
    return found[0] if found else None


@lru_cache(maxsize=512)
def _xpath(expr: str) -> Callable[[etree._Element], list]:
    return etree.XPath(expr)
