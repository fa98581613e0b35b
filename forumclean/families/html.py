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
from ..rules.chrome import PAGE_REGIONS
from .select import class_tokens, select_first, select_many

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
    return etree.XPath(expr)


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


def first(el: etree._Element, expr: str) -> etree._Element | None:
    return select_first(el, expr)


def label_regions(root: etree._Element, table: Iterable[tuple[str, str]], verdicts: dict,
                  post: int | None = None, overwrite: bool = True,
                  found: list[list[etree._Element]] | None = None) -> None:
    """Label what each ``(xpath, reason)`` row finds below ``root`` (``found``: the rows' results
    when the caller already has them); rows apply in order, later ones winning."""
    table = list(table)
    if found is None:  # one walk answers the whole table (select.py)
        found = select_many(root, [expr for expr, _ in table])
    for (_, reason), elements in zip(table, found, strict=True):
        v = removed(reason, post)
        for el in elements:
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
    return int(m.group()) if m else None


# -- page facts ------------------------------------------------------------------------------

def landmarks(page: Page) -> dict[str, etree._Element]:
    """The page's first ``base[@href]``, canonical ``link[@href]``, ``og:url`` ``meta[@content]``,
    ``head/title`` and current-page pager item (``div.pg/strong``), by those names: the elements
    page facts come from, found in one C-level pass over a few tags instead of an XPath each."""
    found = page.__dict__.get("_landmarks")
    if found is not None:
        return found
    found = {}
    for el in page.root.iter("base", "link", "meta", "title", "strong"):
        tag = el.tag
        if tag == "base":
            key = "base" if el.get("href") is not None else None
        elif tag == "link":
            key = "canonical" if el.get("rel") == "canonical" and el.get("href") is not None else None
        elif tag == "meta":
            key = "og:url" if el.get("property") == "og:url" and el.get("content") is not None else None
        else:
            parent = el.getparent()
            if parent is None:
                continue
            if tag == "title":
                key = "title" if parent.tag == "head" else None
            else:
                key = "pager" if parent.tag == "div" and "pg" in class_tokens(parent) else None
        if key is not None and key not in found:
            found[key] = el
    page.__dict__["_landmarks"] = found
    return found


def base_href(page: Page) -> str | None:
    b = landmarks(page).get("base")
    return b.get("href").strip() if b is not None else None


def own_url(page: Page) -> str | None:
    """The page's own address as the page states it (canonical, og:url, saved-from...)."""
    base = base_href(page)
    for key, attr in (("canonical", "href"), ("og:url", "content")):
        el = landmarks(page).get(key)
        if el is not None and el.get(attr).strip():
            href = el.get(attr).strip()
            return urljoin(base, href) if base else href
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
    # The script sets tid with parseInt: look for that word before running the pattern.
    m = _TID_SCRIPT.search(page.text, 0, 60000) if page.text.find("parseInt", 0, 60000) >= 0 else None
    if m:
        return m.group(1)
    for candidate in (url, page.url):
        if candidate:
            m = _TID_URL.search(candidate)
            if m:
                return m.group(1)
    return None


def page_number(page: Page, url: str | None = None) -> int | None:
    cur = landmarks(page).get("pager")
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
    title = landmarks(page).get("title")
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
