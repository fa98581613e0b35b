"""Discuz pages that hold no post: forum lists, index, space, login, message and error pages.

Checked after every post-bearing family, so it only sees Discuz pages nobody else claimed.
Everything on them is labelled as chrome; the document says ``kind: none``.
"""

from __future__ import annotations

import re

from ..blocks import removed
from ..model import KIND_NONE, Document
from ..page import Page
from .base import Family, Labelled
from .html import fill_page_facts, first, label_page_chrome, text_of

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
