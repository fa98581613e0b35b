"""Pages that are not Discuz: repeated post units first, else readability-lxml finds the main
content; reported as ``generic``.

A forum template nobody wrote rules for still repeats one post unit N times, each with a time
(``units.repeated_units``): those are read as a thread. Only without them does readability pick
one main block, as an article.

Readability works on its own parse and returns a new tree. So that every piece of the page's
text still gets exactly one verdict (``diff`` shows the page once, not the page plus a copy),
each element is tagged with its index before readability sees the page; the indexes that come
back name the page's own elements to keep.
"""

from __future__ import annotations

import logging
import re

from lxml import etree

from ..blocks import BODY, is_hidden, kept, removed
from ..model import KIND_ARTICLE, KIND_NONE, KIND_THREAD, Document, Post
from ..page import Page
from .base import Family, Labelled
from .html import base_href, first, footer_clock, own_url, text_of
from .units import free_text, label_units, readable_units, repeated_units

_MIN_TEXT = 80
_MARK = "data-forumclean-index"
_MARKED = re.compile(_MARK + r'="(\d+)"')

# readability logs the exceptions we catch below, tracebacks included; a library keeps quiet.
logging.getLogger("readability").addHandler(logging.NullHandler())


class Generic(Family):
    name = "generic"

    def claims(self, page: Page) -> bool:
        return True

    def label(self, page: Page, full: bool = False) -> Labelled:
        doc = Document(family=self.name, kind=KIND_NONE)
        doc.url = own_url(page)
        units = readable_units(repeated_units(page.body))
        if len(units) >= 2 and _hold_most_text(units, page):
            return _thread(page, doc, units, full)
        return main_content(page, doc, full)


def main_content(page: Page, doc: Document, full: bool) -> Labelled:
    """``doc`` as an article of the block readability keeps (``kind: none`` without one)."""
    elements = [el for el in page.root.iter() if isinstance(el.tag, str)]
    chosen_ids, title = _readable(page, elements)
    doc.title = doc.title or title
    chosen = {elements[i] for i in chosen_ids}
    verdicts: dict = {}
    # The outermost chosen elements, in page order.
    roots = [el for el in elements if el in chosen and el.getparent() not in chosen]
    if roots and sum(len(text_of(r)) for r in roots) >= _MIN_TEXT:
        doc.kind = KIND_ARTICLE
        doc.posts.append(Post())
        for r in roots:
            verdicts[r] = kept(BODY, 0)
        # What readability cut out of the content it kept (hidden text stays "hidden").
        for el in chosen:
            for child in el:
                if isinstance(child.tag, str) and child not in chosen and not is_hidden(child):
                    verdicts[child] = removed("low content score", 0)
    else:
        roots = []
    if full:
        verdicts.setdefault(page.body, removed("outside main content"))
        roots = page.bodies
    return Labelled(doc=doc, verdicts=verdicts, roots=roots)


def _readable(page: Page, elements: list) -> tuple[set[int], str | None]:
    """Indexes (into ``elements``) of the elements readability keeps, and its title."""
    from readability import Document as Readable  # imported late: only non-Discuz pages pay

    for i, el in enumerate(elements):
        el.set(_MARK, str(i))
    try:
        marked = etree.tostring(page.root, encoding="unicode", method="html")
    finally:
        for el in elements:
            del el.attrib[_MARK]
    try:
        readable = Readable(marked)
        summary = readable.summary(html_partial=True)
        title = readable.short_title() or None
    except Exception:  # readability raises bare Exceptions on odd input
        return set(), None
    # Read the marks from the text: re-parsing the summary would drop a nested <body> it may hold.
    chosen = {int(m) for m in _MARKED.findall(summary or "") if int(m) < len(elements)}
    return chosen, title


#: Share of the page's text outside links the post units must hold: a blog article followed by
#: its comments repeats units too, but they are not most of the page.
_UNITS_SHARE = 0.4


def _hold_most_text(units: list, page: Page) -> bool:
    bodies = sum(free_text(u.body) for u in units)
    return bodies >= _UNITS_SHARE * max(1, free_text(page.body))


def _thread(page: Page, doc: Document, units: list, full: bool) -> Labelled:
    """A thread of repeated post units: the title is the page's first heading, else ``<title>``."""
    doc.kind = KIND_THREAD
    doc.timezone, doc.rendered_at = footer_clock(page)
    verdicts: dict = {}
    heading = first(page.body, "(//h1 | //h2)[1]")
    if heading is not None and text_of(heading) and not any(heading is u.container or any(
            a is u.container for a in heading.iterancestors()) for u in units):
        doc.title = text_of(heading)
        verdicts[heading] = kept("title")
    else:
        heading = None
        title = first(page.root, "//head/title")
        doc.title = text_of(title) or None if title is not None else None
    roots = label_units(units, doc, verdicts, base_href(page) or doc.url, full)
    if full:
        verdicts.setdefault(page.body, removed("outside the posts"))
        roots = page.bodies
    elif heading is not None:
        roots.insert(0, heading)
    return Labelled(doc=doc, verdicts=verdicts, roots=roots)
