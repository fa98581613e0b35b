"""Page-wide region rules answered from one index of the page's ids and classes.

Most rules of a page region table (``rules/chrome.py``) pick elements by id or class token:
``//*[@id='ft' or @id='footer']``, ``//div[cls('pgs') or cls('pg')]``. Evaluated as XPath, each
walks the whole tree; ``diff`` labels every region of a page, about 45 walks. Here the page's
elements with an id or a class are listed once, and a rule of that simple form is answered from
the lists; a rule of another form is evaluated as XPath, and skipped when it needs an id or class
the page does not have. The elements found are exactly those of ``families.html.xpath`` (as a set: every element of a rule
gets the same verdict, so order does not matter).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from lxml import etree

_ID = re.compile(r"@id\s*=\s*'([^']*)'")
_ID_PREFIX = re.compile(r"starts-with\(\s*@id\s*,\s*'([^']*)'\s*\)")
_CLASS = re.compile(r"contains\(concat\(' ', @class, ' '\), ' ([^' ]+) '\)")
_CLASS_PREFIX = re.compile(r"starts-with\(\s*@class\s*,\s*'([^']*)'\s*\)")
_PATTERNS = (("id", _ID), ("id^", _ID_PREFIX), ("class", _CLASS), ("class^", _CLASS_PREFIX))
#: ``//tag[condition or condition …]``
_SIMPLE_STEP = re.compile(r"\s*(\.?)//(\*|[a-z][a-z0-9]*)\[(.*)\]\s*\Z", re.S)

Condition = tuple[str, str]  # (what: id, id^, class, class^; the name or prefix)


@lru_cache(maxsize=1024)
def simple_form(expr: str) -> tuple[tuple[str, tuple[Condition, ...]], ...] | None:
    """``expr`` as union branches of (tag, conditions any of which selects an element), or None
    when it has another form. (Relative branches, ``.//…``, are read the same: the caller keeps
    the elements below its context.)"""
    branches = []
    for branch in expr.split("|"):
        m = _SIMPLE_STEP.match(branch)
        if not m:
            return None
        relative, tag, condition = m.groups()
        conditions = []
        for cond in condition.split(" or "):
            for what, pattern in _PATTERNS:
                found = pattern.fullmatch(cond.strip())
                if found:
                    conditions.append((what, found.group(1)))
                    break
            else:
                return None
        if not relative and tag == "*" and len(conditions) == 1 and conditions[0][0] == "id":
            # ``//*[@id='x']`` alone is compiled as the lookup ``id('x')`` (families.html.xpath),
            # which gives one element where a page repeats an id: kept as it is.
            conditions = [("lookup", branch.strip())]
        branches.append((tag, tuple(conditions)))
    return tuple(branches)


@lru_cache(maxsize=256)
def relative_finder(expr: str) -> Callable[[etree._Element], list[etree._Element]] | None:
    """For a rule of the simple form whose branches all start with ``.//``: the elements below a
    context that it selects, in document order, by one tag-filtered walk of the context and a
    test of each element's id and class in Python (the XPath evaluated its conditions on every
    element of the subtree). None for a rule of another form."""
    form = simple_form(expr)
    if form is None or not all(branch.lstrip().startswith(".//") for branch in expr.split("|")):
        return None
    tags = tuple(dict.fromkeys(tag for tag, _ in form))
    walk = (etree.Element,) if "*" in tags else tags

    def find(root: etree._Element) -> list[etree._Element]:
        return [el for el in root.iter(*walk) if el is not root and any(
            (tag == "*" or el.tag == tag) and any(_meets(el, what, name) for what, name in conditions)
            for tag, conditions in form)]
    return find


def _meets(el: etree._Element, what: str, name: str) -> bool:
    """Whether ``el`` meets one condition of ``simple_form`` (class tokens split at spaces only,
    as ``contains(concat(' ', @class, ' '), ' x ')`` reads them)."""
    if what == "id":
        return el.get("id") == name
    if what == "class":
        return f" {name} " in f" {el.get('class') or ''} "
    return (el.get("id" if what == "id^" else "class") or "").startswith(name)


@lru_cache(maxsize=1024)
def needed_names(expr: str) -> tuple[tuple[frozenset, tuple[str, ...]], ...] | None:
    """Per union branch, the names (ids, classes) and name prefixes one of which a match needs;
    None when that cannot be told (a ``not(…)``, a branch without any)."""
    if "not(" in expr:
        return None
    out = []
    for branch in expr.split("|"):
        names = frozenset(m.group(1) for pattern in (_ID, _CLASS) for m in pattern.finditer(branch))
        prefixes = tuple(m.group(1) for pattern in (_ID_PREFIX, _CLASS_PREFIX) for m in pattern.finditer(branch))
        if not names and not prefixes:
            return None
        out.append((names, prefixes))
    return tuple(out)


class PageIndex:
    """The elements of one page by id and by class token (``class`` split at spaces, as the
    XPath ``contains(concat(' ', @class, ' '), ' x ')`` reads it)."""

    def __init__(self, root: etree._Element) -> None:
        self.by_id: dict[str, list] = {}
        self.by_class_value: dict[str, list] = {}
        by_id, by_value = self.by_id, self.by_class_value
        for el in root.iter(etree.Element):  # one pass (cheaper than an XPath per attribute)
            attrib = el.attrib
            if attrib:
                value = attrib.get("id")
                if value is not None:
                    by_id.setdefault(value, []).append(el)
                value = attrib.get("class")
                if value is not None:
                    by_value.setdefault(value, []).append(el)
        self._sorted: dict[str, list[str]] = {}
        self.by_class: dict[str, list] = {}
        for value, els in by_value.items():
            for token in set(value.split(" ")):
                self.by_class.setdefault(token, []).extend(els)

    def select(self, what: str, name: str) -> Iterable:
        if what == "id":
            return self.by_id.get(name, ())
        if what == "class":
            return self.by_class.get(name, ())
        table = self.by_id if what == "id^" else self.by_class_value
        keys = self._sorted.get(what)
        if keys is None:
            keys = self._sorted[what] = sorted(table)
        found = []
        for i in range(bisect_left(keys, name), len(keys)):  # the keys with that prefix, in a row
            if not keys[i].startswith(name):
                break
            found.extend(table[keys[i]])
        return found

    def has_prefix(self, prefixes: tuple[str, ...]) -> bool:
        return any(self.select("id^", p) or self.select("class^", p) for p in prefixes)

    def may_match(self, expr: str) -> bool:
        branches = needed_names(expr)
        if branches is None:
            return True
        return any(not names.isdisjoint(self.by_id) or not names.isdisjoint(self.by_class)
                   or (prefixes and self.has_prefix(prefixes)) for names, prefixes in branches)


_last: tuple[etree._Element, PageIndex] | None = None


def page_index(root: etree._Element) -> PageIndex:
    """The index of the page under ``root`` (the last one is kept: a page asks several times)."""
    global _last
    last = _last  # (read once: another thread may index another page meanwhile)
    if last is None or last[0] is not root:
        last = _last = (root, PageIndex(root))
    return last[1]


def present(root: etree._Element, table: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The rules of ``table`` that may match somewhere on the page under ``root``: the others
    need an id or class the page does not have."""
    index = page_index(root)
    return [(expr, reason) for expr, reason in table if index.may_match(expr)]


def find_regions(root: etree._Element, table: Iterable[tuple[str, str]],
                 xpath: Callable[[str], Any]) -> Iterator[tuple[list, str]]:
    """For each rule of ``table`` that matches on the page: the elements and the reason.
    ``xpath`` compiles the rules of other forms."""
    index = page_index(root)
    for expr, reason in table:
        form = None if expr.lstrip().startswith(".") else simple_form(expr)
        if form is None:
            found = xpath(expr)(root) if index.may_match(expr) else []
        else:
            found = _select(index, form, root, xpath)
        if found:
            yield found, reason


_ANCHORED = re.compile(r"(//[^/]+?)(//.+)\Z", re.S)


def find_below(root: etree._Element, expr: str, xpath: Callable[[str], Any]) -> list:
    """``//A//B``: the B below any A, with the As taken from the page index when ``//A`` is of
    the simple form (the page's clock in its footer), else the XPath as it is."""
    m = _ANCHORED.match(expr.strip())
    form = simple_form(m.group(1)) if m else None
    if form is None:
        return xpath(expr)(root)
    seen: dict[int, etree._Element] = {}
    below = xpath("." + m.group(2))
    for anchor in _select(page_index(root), form, root, xpath):
        for el in below(anchor):
            seen[id(el)] = el
    return list(seen.values())


def _select(index: PageIndex, form: tuple, root: etree._Element, xpath: Callable[[str], Any]) -> list:
    seen: dict[int, etree._Element] = {}
    for tag, conditions in form:
        for what, name in conditions:
            for el in xpath(name)(root) if what == "lookup" else index.select(what, name):
                if tag == "*" or el.tag == tag:
                    seen[id(el)] = el
    return list(seen.values())


def regions_by_container(root: etree._Element, table: Iterable[tuple[str, str]], containers: list,
                         xpath: Callable[[str], Any]) -> dict[int, list[tuple[list, str]]]:
    """The matches of post-relative rules (``.//…`` in each post container), found with one
    page-wide evaluation per rule rather than one per post: by ``id(container)``, the elements
    lists per rule and the reason, in table order (a later rule's verdict wins, as when applied
    post by post). An element belongs to the innermost container holding it, as the last post
    to label it would have it."""
    members = {id(c): c for c in containers}
    holders: dict[int, tuple] = {}  # element -> (its innermost container, it), as climbs find them
    index = page_index(root)
    out: dict[int, list[tuple[list, str]]] = {}
    for expr, reason in table:
        branches = [b.strip() for b in expr.split("|")]
        if not all(b.startswith(".//") for b in branches):
            for c in containers:
                found = xpath(expr)(c)
                if found:
                    out.setdefault(id(c), []).append((found, reason))
            continue
        form = simple_form(expr)
        found_all = (_select(index, form, root, xpath) if form is not None
                     else xpath(" | ".join(b[1:] for b in branches))(root))
        by_container: dict[int, list] = {}
        for el in found_all:
            holder = _holder(el, members, holders)
            if holder is not None:
                by_container.setdefault(holder, []).append(el)
        for key, found in by_container.items():
            out.setdefault(key, []).append((found, reason))
    return out


def _holder(el: etree._Element, members: dict[int, Any], holders: dict[int, tuple]) -> int | None:
    """``id`` of the innermost container above ``el`` (None: none), remembering every element
    climbed past, so that the elements of one post cost one climb."""
    climbed = []
    parent = el.getparent()
    found: int | None = None
    while parent is not None:
        key = id(parent)
        if key in members:
            found = key
            break
        if key in holders:
            found = holders[key][0]
            break
        climbed.append((key, parent))
        parent = parent.getparent()
    for key, passed in climbed:
        holders[key] = (found, passed)  # (the element kept alive: its id stays its own)
    return found


def top_elements(root: etree._Element) -> list[etree._Element]:
    """The document's top-level elements in order: ``//`` in an XPath reaches every one (a page
    may parse into a second ``<html>`` after the first), ``root.iter()`` only its own."""
    top = root.getroottree().getroot()
    return [*reversed(list(top.itersiblings(preceding=True))), top, *top.itersiblings()]


_CLASS_RULE = re.compile(r"//([a-z][a-z0-9]*)\[contains\(concat\(' ', @class, ' '\), ' ([^' ]+) '\)\]")


def class_rule(expr: str) -> tuple[str, str] | None:
    """``//TAG[cls(NAME)]`` as (TAG, NAME); None for a rule of any other form."""
    m = _CLASS_RULE.fullmatch(expr.strip())
    return (m.group(1), m.group(2)) if m else None


class ClassIndex:
    """The elements of one tag by class token (``class`` split at spaces, as ``cls`` reads it),
    from one tag-filtered walk of the document: a page's ``//div[cls(NAME)]`` rules answered
    for the price of one, each in document order as the XPath gives them."""

    def __init__(self, root: etree._Element, tag: str) -> None:
        self.tag = tag
        self.by_class: dict[str, list] = {}
        for top in top_elements(root):
            for el in top.iter(tag):
                value = el.get("class")
                if value is not None:
                    for token in set(value.split(" ")):
                        self.by_class.setdefault(token, []).append(el)

    def find(self, expr: str) -> list | None:
        """What ``expr`` finds, when it is a ``//TAG[cls(NAME)]`` rule of this tag; else None."""
        rule = class_rule(expr)
        if rule is None or rule[0] != self.tag:
            return None
        return list(self.by_class.get(rule[1], ()))
