"""Pages that are not Discuz: readability-lxml finds the main content, reported as ``generic``."""

from __future__ import annotations

import logging

from lxml import etree

from ..blocks import BODY, kept, removed
from ..model import KIND_ARTICLE, KIND_NONE, Document, Post
from ..page import Page
from .base import Family, Labelled
from .html import own_url, text_of

_MIN_TEXT = 80

# readability logs the exceptions we catch below, tracebacks included; a library keeps quiet.
logging.getLogger("readability").addHandler(logging.NullHandler())


class Generic(Family):
    name = "generic"

    def claims(self, page: Page) -> bool:
        return True

    def label(self, page: Page, full: bool = False) -> Labelled:
        from readability import Document as Readable  # imported late: only non-Discuz pages pay

        doc = Document(family=self.name, kind=KIND_NONE)
        doc.url = own_url(page)  # parses the page: repairs (page.py) are in parsed_text from here on
        verdicts: dict = {}
        try:
            readable = Readable(page.parsed_text)
            summary = readable.summary(html_partial=True)
            doc.title = readable.short_title() or None
        except Exception:  # readability raises bare Exceptions on odd input
            summary = ""
        body = None
        if summary:
            try:
                body = etree.fromstring(summary, etree.HTMLParser())
            except (etree.ParserError, ValueError):
                body = None
        roots = []
        if body is not None and len(text_of(body)) >= _MIN_TEXT:
            doc.kind = KIND_ARTICLE
            doc.posts.append(Post())
            verdicts[body] = kept(BODY, 0)
            roots.append(body)
        if full:
            # Readability works on its own copy; show the page's text as dropped around it.
            verdicts[page.body] = removed("outside main content")
            roots = [page.body] + roots
        return Labelled(doc=doc, verdicts=verdicts, roots=roots)
