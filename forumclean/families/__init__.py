"""Page families: interchangeable parts behind one interface (``Family``).

Detection order and tie-breaking live here and nowhere else: a family whose signature the page
carries (``signed``: a template's own body tag) labels it; else the first family in ``FAMILIES``
whose ``claims`` accepts the page. Specific layouts come before general ones; the
Discuz catch-all (pages without posts) comes after every post-bearing family, and ``generic``
(readability) last. Text dumps have their own list.
"""

from __future__ import annotations

from ..page import Page
from .archiver import Archiver
from .base import Family, Labelled
from .discuz7 import Discuz7
from .discuz_other import DiscuzOther
from .discuz_x import DiscuzX
from .generic import Generic
from .mobile1 import DiscuzMobile1
from .portal import PortalArticle
from .printable import Printable
from .textdump import TextDump
from .touch import DiscuzTouch

HTML_FAMILIES: list[Family] = [
    # 6/7 pages also have #postlist and postmessage_ ids: checked before X desktop.
    Discuz7(),
    DiscuzTouch(),
    DiscuzMobile1(),
    DiscuzX(),
    PortalArticle(),
    Archiver(),
    Printable(),
    DiscuzOther(),
    Generic(),
]

TEXT_FAMILIES: list[Family] = [
    TextDump(),
]


def detect(page: Page, name: str | None = None) -> Family:
    """The family for ``page`` (or the one called ``name``, to force it)."""
    families = TEXT_FAMILIES if page.input_format == "text" else HTML_FAMILIES
    if name:
        for f in HTML_FAMILIES + TEXT_FAMILIES:
            if f.name == name:
                return f
        raise ValueError(f"unknown family {name!r}")
    # A signature settles the page before the ordered tests scan it for other families' markup.
    for family in families:
        if family.signed(page):
            return family
    for family in families:
        if family.claims(page):
            return family
    return families[-1] if families else Generic()


def all_families() -> list[Family]:
    return HTML_FAMILIES + TEXT_FAMILIES


__all__ = ["Family", "Labelled", "detect", "all_families", "HTML_FAMILIES", "TEXT_FAMILIES"]
