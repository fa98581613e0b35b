"""How many pages a thread or article has, from the page's pager.

Discuz's ``multi()`` (source/function/function_core.php) prints every pager the same way in all
views that page: ``div.pg`` (X desktop, touch, portal; 「 / 12 页」 and a 「... 12」 last link),
``div.pages`` (6.x/7.x) and ``div.page`` (the archiver, 「页: 1 [2] 3」; the touch portal). The count is the highest
page number the pager shows: the last-page link, the 「/ N 页」 total or, on short threads where
every page is linked, the last link. A text dump keeps the 「/ N 页」 total as a line of its own.
Pagers inside a post (its comments) are not the thread's.
"""

from __future__ import annotations

import re

from lxml import etree

from ..page import Page
from .html import string_value

_NUMBER = re.compile(r"\d{1,6}")
#: Pager classes, by view (the archiver's ``page`` is a common word elsewhere).
_PAGER_CLASSES = frozenset({"pg", "pages"})
_ARCHIVER_PAGER = "page"
_PAGE_LINK = re.compile(r"page[=-]\d")
#: A text dump's pager line: page links, then the total (「1 2 3 ... 9 / 9 页 下一页」, lang
#: ``core`` ``prev``/``next`` around it). A page link's digits are taken whole (``{1,6}+``): a
#: run of digits cut anywhere else is followed by a digit, which nothing after it may start
#: with, so no match is lost; and a long run of digits is not tried in every way of cutting it
#: into links (a line of 30 digits took seconds).
_TEXT_PAGER = re.compile(
    r"(?m)^[ \t]*(?:(?:\.\.\.[ \t]*)?\d{1,6}+[ \t]*|\[\d{1,6}\][ \t]*|上一页[ \t]*|上一頁[ \t]*)*"
    r"/[ \t]*(\d{1,6})[ \t]*[页頁](?:[ \t]*(?:下一页|下一頁|返回列表))*[ \t]*$")


def page_count(page: Page, archiver: bool = False) -> int | None:
    """The page count the page's first pager shows; None when it shows none."""
    if page.input_format == "text":
        m = _text_pager(page.text)
        return int(m.group(1)) if m else None
    root = page.root
    if root is None:
        return None
    for div in root.iter("div"):
        attr = div.get("class")
        # Every pager class holds 「pg」 or 「page」: one substring test rules out most divs.
        if not attr or ("pg" not in attr and "page" not in attr):
            continue
        classes = set(attr.split())
        if (classes & _PAGER_CLASSES or (_ARCHIVER_PAGER in classes and (archiver or _links_pages(div)))) \
                and not _in_post(div):
            count = _highest_number(div)
            if count:
                return count
    return None


def _links_pages(div: etree._Element) -> bool:
    """A ``div.page`` outside the archiver is a pager when it links pages (``page=2``, ``page-2``)."""
    return any(_PAGE_LINK.search(a.get("href") or "") for a in div.iter("a"))


# The part of a pager line every match holds (「/ 9 页」): found by its literal 「/」, fast, where
# the whole line pattern is tried at every line start.
_TOTAL = re.compile(r"/[ \t]*\d{1,6}[ \t]*[页頁]")


def _text_pager(text: str) -> re.Match | None:
    """The first ``_TEXT_PAGER`` match: tried only on the lines that hold a page total."""
    pos = 0
    while True:
        hit = _TOTAL.search(text, pos)
        if hit is None:
            return None
        start = text.rfind("\n", 0, hit.start()) + 1
        end = text.find("\n", hit.end())
        end = len(text) if end < 0 else end
        m = _TEXT_PAGER.search(text, start, end)
        if m:
            return m
        pos = end + 1


def _in_post(div: etree._Element) -> bool:
    """A pager inside a post pages its comments (点评, ``div#comment_PID``), not the thread."""
    return any((a.get("id") or "").startswith(("comment_", "postmessage_", "post_")) for a in div.iterancestors())


def _highest_number(pager: etree._Element) -> int | None:
    """The highest page number among the pager's links, current page and 「/ N」 total."""
    best = 0
    for el in pager.iter("a", "strong", "span"):
        text = string_value(el)
        if el.tag == "span" and "/" not in text:
            continue
        for m in _NUMBER.finditer(text):
            best = max(best, int(m.group()))
    return best or None
