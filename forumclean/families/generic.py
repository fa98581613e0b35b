"""Pages that are not Discuz: readability-lxml finds the main content, reported as ``generic``.

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
from ..model import KIND_ARTICLE, KIND_NONE, Document, Post
from ..page import Page
from .base import Family, Labelled
from .html import own_url, text_of

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
        elements = [el for el in page.root.iter() if isinstance(el.tag, str)]
        chosen_ids, doc.title = _readable(page, elements)
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
