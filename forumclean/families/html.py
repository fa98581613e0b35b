"""Helpers shared by the HTML families: region labelling and page-level facts.

Page facts (own URL, footer clock and offset, generator, site name, thread id) are read the same
way on every Discuz HTML page, so they live here once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urljoin

from lxml import etree

from ..blocks import Verdict, fold, removed
from ..dates import parse_footer_clock
from ..model import Document
from ..page import Page
from ..rules.chrome import PAGE_REGIONS, cls

_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
_HTTRACK = re.compile(r"<!--\s*Mirrored from\s+(\S+)\s+by HTTrack", re.I)
_TEXT_WRAPPER = re.compile(r"""^\s*<text\s+id=["']([^"']+)["']""", re.I)
_TID_SCRIPT = re.compile(r"\btid\s*=\s*parseInt\(\s*['\"](\d+)['\"]\s*\)")
_TID_URL = re.compile(r"(?:[?&;]tid=|[?&;]ptid=|thread-|\?tid-|/tid-)(\d+)")
_PAGE_URL = re.compile(r"(?:[?&]page=(\d+)|thread-\d+-(\d+)-\d+\.html|tid-\d+\.html&page=(\d+))")
_INT = re.compile(r"\d+")
_GMT_TEXT = re.compile(r"GMT\s*[+-]?\s*[\d.]*\s*[,，]\s*(?:19|20)\d\d[^<]{0,40}")
_TAGS = re.compile(r"<[^>]+>")


@lru_cache(maxsize=512)
def xpath(expr: str) -> etree.XPath:
    return etree.XPath(fast_descendants(expr))


_STEP = re.compile(r"(?:[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?|\*)(?![\w(:.\-])")
_POSITIONAL = re.compile(r"^\s*\d+\s*$|last\(\)|position\(\)")


def fast_descendants(expr: str) -> str:
    """``expr`` with ``//name`` steps written ``/descendant::name`` where that means the same.

    ``a//b`` is ``a/descendant-or-self::node()/child::b``: libxml2 builds the node set of every
    node below each ``a``, which turns quadratic when ``a`` elements nest (a broken page that
    repeats a region a thousand times took seconds per query). ``descendant::b`` selects the
    same elements unless the step has a positional predicate (``[1]``, ``[last()]``), which
    is left alone.
    """
    out: list[str] = []
    i, n, quote = 0, len(expr), ""
    while i < n:
        c = expr[i]
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif expr.startswith("//", i):
            m = _STEP.match(expr, i + 2)
            if m and not _positional_predicate(expr, m.end()):
                out.append("/descendant::")
                i += 2
                continue
        out.append(c)
        i += 1
    return "".join(out)


def _positional_predicate(expr: str, i: int) -> bool:
    """Whether the predicates starting at ``expr[i]`` include a positional one."""
    while i < len(expr) and expr[i] == "[":
        depth, j, quote = 0, i, ""
        while j < len(expr):
            c = expr[j]
            if quote:
                quote = "" if c == quote else quote
            elif c in "'\"":
                quote = c
            elif c == "[":
                depth += 1
            elif c == "]":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if _POSITIONAL.search(expr[i + 1:j]):
            return True
        i = j + 1
    return False


def text_of(el: etree._Element | None) -> str:
    """Visible text of an element, white space folded (scripts and styles left out)."""
    if el is None:
        return ""
    parts = []
    for node in el.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            if node is not el and node.tail:
                parts.append(node.tail)
            continue
        if node.text:
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return fold("".join(parts)).strip()


def join_url(base: str | None, href: str) -> str:
    """``href`` resolved against ``base``; as written when either is malformed (``http://[x``)."""
    if not base:
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return href


def first(el: etree._Element, expr: str) -> etree._Element | None:
    found = xpath(expr)(el)
    return found[0] if found else None


def label_regions(root: etree._Element, table: Iterable[tuple[str, str]], verdicts: dict,
                  post: int | None = None, overwrite: bool = True) -> None:
    for expr, reason in table:
        found = xpath(expr)(root)
        if not found:  # the common case, per post and per row: no verdict to build
            continue
        v = removed(reason, post)
        for el in found:
            if overwrite or el not in verdicts:
                verdicts[el] = v


def label_page_chrome(page: Page, verdicts: dict) -> None:
    """Label the usual Discuz chrome; never overrides what the family already labelled."""
    chrome: dict = {}
    label_regions(page.root, PAGE_REGIONS, chrome)
    for el, v in chrome.items():
        verdicts.setdefault(el, v)


def mark(verdicts: dict, el: etree._Element | None, verdict: Verdict) -> None:
    if el is not None:
        verdicts[el] = verdict


def to_int(text: str | None) -> int | None:
    m = _INT.search(text or "")
    # A counter or floor longer than 18 digits is noise (and past 4300 digits int() refuses it).
    return int(m.group()) if m and len(m.group()) <= 18 else None


# -- page facts ------------------------------------------------------------------------------

def base_href(page: Page) -> str | None:
    b = first(page.root, "//head/base[@href] | //base[@href]")
    return b.get("href").strip() if b is not None else None


def own_url(page: Page) -> str | None:
    """The page's own address as the page states it (canonical, og:url, saved-from...)."""
    root = page.root
    base = base_href(page)
    for expr in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        found = xpath(expr)(root)
        if found and str(found[0]).strip():
            href = str(found[0]).strip()
            return join_url(base, href)
    head = page.head
    for pattern in (_SAVED_FROM, _HTTRACK, _TEXT_WRAPPER):
        m = pattern.search(head)
        if m:
            url = m.group(1)
            if pattern is _HTTRACK and not url.startswith("http"):
                url = "http://" + url
            return url
    return None


def footer_clock(page: Page) -> tuple[str | None, str | None]:
    """(offset, rendered_at) from the footer 「GMT+8, 2025-7-7 04:11」 line."""
    # The footer is near the end; searching the raw text is cheaper than walking the tree.
    tail = page.text[-30000:]
    matches = list(_GMT_TEXT.finditer(tail))
    if not matches:
        return None, None
    return parse_footer_clock(_TAGS.sub("", matches[-1].group()))


def thread_id(page: Page, url: str | None) -> str | None:
    m = _TID_SCRIPT.search(page.text, 0, 60000)
    if m:
        return m.group(1)
    for candidate in (url, page.url):
        if candidate:
            m = _TID_URL.search(candidate)
            if m:
                return m.group(1)
    return None


def page_number(page: Page, url: str | None = None) -> int | None:
    cur = first(page.root, f"//div[{cls('pg')}]/strong")
    if cur is not None and to_int(cur.text):
        return to_int(cur.text)
    # Not the canonical link: it always names page 1.
    for candidate in (page.url,):
        if candidate:
            m = _PAGE_URL.search(candidate)
            if m:
                return int(next(g for g in m.groups() if g))
    return None


def site_name(page: Page) -> str | None:
    """Site name from the footer's ICP link line or the title's tail."""
    title = first(page.root, "//head/title")
    if title is not None and title.text:
        parts = [p.strip() for p in re.split(r"\s+-\s+", title.text) if p.strip()]
        parts = [p for p in parts if not p.lower().startswith("powered by")]
        if len(parts) >= 2:
            return parts[-1]
    return None


def fill_page_facts(doc: Document, page: Page) -> None:
    """Facts every Discuz HTML page states the same way."""
    doc.url = own_url(page) or None
    doc.timezone, doc.rendered_at = footer_clock(page)
    doc.generator = page.generator
    doc.site = site_name(page)
    doc.thread_id = thread_id(page, doc.url)
