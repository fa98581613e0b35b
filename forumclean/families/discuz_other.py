"""Discuz pages no layout claimed: forum lists, index, space, login, message and error pages,
and thread pages of themes that renamed every class a layout keys on.

Checked after every post-bearing family, so it only sees Discuz pages nobody else claimed. Posts
are looked for by Discuz's own post ids (``units.discuz_units``); a portal article whose theme
renamed its landmarks is known by the body tag or address Discuz gives the view and read by
readability; any other page is labelled as chrome and says ``kind: none``.
"""

from __future__ import annotations

import re

from ..blocks import kept, removed
from ..model import KIND_NONE, KIND_THREAD, Document
from ..page import Page
from ..rules.chrome import TOUCH_MESSAGE_REGIONS
from .base import Family, Labelled
from .generic import main_content
from .html import (
    base_href,
    fill_page_facts,
    first,
    head_title,
    label_page_chrome,
    page_roots,
    stated_thread_url,
    text_of,
)
from .portal import meta_near, read_meta_line
from .units import Unit, discuz_units, label_units, readable_units

_DISCUZ = re.compile(r"Discuz!|discuz_uid|static/image/common/|STYLEID|forum\.php\?mod=|"
                     r"mod=viewthread|Comsenz|uc_server|static/js/common\.js", re.I)
_NEGATIVE_BODY = re.compile(r"^(?:pg_|nv_)|^(?:index|forumdisplay|profile|space|search|post|member|"
                            r"logging|register|misc|modcp|memcp|my|pm|viewpro|faq|tag|announcement)$")
_MESSAGE = ("messagetext", "提示信息", "抱歉，", "抱歉,")


class DiscuzOther(Family):
    name = "discuz"

    def claims(self, page: Page) -> bool:
        # The plain name first: the case-insensitive regex is slow.
        return bool("Discuz!" in page.head or _DISCUZ.search(page.head) or _DISCUZ.search(page.end(20000)))

    def label(self, page: Page, full: bool = False) -> Labelled:
        doc = Document(family=self.name, kind=KIND_NONE)
        fill_page_facts(doc, page)
        units = readable_units(discuz_units(page.root), min_body=0)
        if units:
            return _thread(page, doc, units, full)
        if _portal_view(page, doc.url):
            return _article(page, doc, full)
        verdicts: dict = {}
        message = first(page.root, "//*[@id='messagetext']")
        if message is not None:
            verdicts[message] = removed("notice page")
        title = first(page.root, "//head/title")
        if title is not None:
            doc.title = text_of(title).split(" - ")[0].strip() or None
        if full:
            label_page_chrome(page, verdicts)
            verdicts.setdefault(page.body, removed("not a post page"))
            return Labelled(doc=doc, verdicts=verdicts, roots=page.bodies)
        return Labelled(doc=doc, verdicts=verdicts, roots=[])


def _thread(page: Page, doc: Document, units: list[Unit], full: bool) -> Labelled:
    """A thread page whose posts were found by their ids."""
    doc.kind = KIND_THREAD
    doc.url = doc.url or stated_thread_url(page)
    verdicts: dict = {}
    title_el = first(page.root, "//*[@id='thread_subject']")
    if title_el is not None and text_of(title_el):
        doc.title = text_of(title_el)
        verdicts[title_el] = kept("title")
    else:
        title_el, doc.title = None, head_title(page)
    # A touch body's warning badge and reply subject (the stock template's message markup).
    roots = label_units(units, doc, verdicts, base_href(page), full, TOUCH_MESSAGE_REGIONS)
    return Labelled(doc=doc, verdicts=verdicts, roots=page_roots(page, verdicts, roots, title_el, full))


_ARTICLE_URL = re.compile(r"(?:[?&]mod=view&(?:amp;)?aid=|(?:^|/)article-)(\d+)")


def _portal_view(page: Page, url: str | None) -> bool:
    """A portal article page whose theme renamed the article's landmarks: the body tag Discuz
    writes for the view (``body#nv_portal.pg_view`` desktop, ``body#portal.pg_view`` touch), or
    the page's own address naming an article."""
    if "pg_view" in page.body_class.split() and page.body_id in ("nv_portal", "portal"):
        return True
    return bool(url and _ARTICLE_URL.search(url))


def _article(page: Page, doc: Document, full: bool) -> Labelled:
    """The article as readability finds it; its time and author from the meta line before it."""
    doc.title = head_title(page)
    m = _ARTICLE_URL.search(doc.url or "")
    doc.thread_id = m.group(1) if m else None
    labelled = main_content(page, doc, full)
    body = next((el for el, v in labelled.verdicts.items() if not isinstance(el, tuple) and v.is_body), None)
    if doc.posts and body is not None:
        meta = meta_near(body, body)
        if meta is not None:
            labelled.verdicts[meta] = kept("published", 0)
            read_meta_line(meta, doc.posts[0], doc, False)
    return labelled
