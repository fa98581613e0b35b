"""Discuz! archiver thread pages (anatomy §8).

X and 6.x/7.x print each post as ``p.author`` (``<strong>NAME</strong> 发表于 TIME``) followed by
its text, unwrapped: the body is the run of siblings up to the next ``p.author`` or the pager.
5.x wraps posts: a ``div.subtable.altbg1`` header (``span.right`` time, ``b`` name) and a
``div.t_msg`` body. Bodies are text: BBCode stripped (X) or left raw (5.x–7.x), ``[img]`` shown
as its address, quotes as plain lines, ``[hide]`` as 「**** Hidden Message *****」; 6/7 add jammer
runs at line breaks. No floors are shown.
"""

from __future__ import annotations

import re

from lxml import etree

from ..blocks import BODY, kept, removed, walk
from ..dates import is_relative, parse_time
from ..model import KIND_NONE, KIND_THREAD, Document, Post
from ..page import Page
from ..rules.chrome import cls
from ..rules.strings import NOTICES
from .base import Family, Labelled
from .flat import LineRules, label_message_run, label_run, run_after, tidy
from .html import (
    fill_page_facts,
    first,
    full_version_link,
    has_class,
    is_archiver,
    label_page_chrome,
    label_regions,
    text_of,
    to_int,
)
from .prefilter import top_elements

_MARKERS = re.compile(r"""class=(?:["'](?:author|[^"']*\bt_msg\b)|(?:author|t_msg)\b)""")
# Themes that rename p.author keep its shape: a paragraph of the name in <strong> and the time
# (「<strong>NAME</strong> 发表于 TIME」 in any language pack).
_MARKER_SHAPE = re.compile(r"<p\b[^<>]*>\s*<strong>[^<]{1,100}</strong>[^<]{0,60}?(?:19|20)\d\d-\d{1,2}-\d{1,2}", re.I)
_DATE = re.compile(r"(?:19|20)\d\d-\d{1,2}-\d{1,2}")
_PAGER_TEXT = re.compile(r"^\S{1,6}\s*[:：]\s*(?:\[?\d+\]?\s*)+$")
_NAV_SEP = re.compile(r"\s*[›»]\s*")
_SITE_HEADING = re.compile(r"^(.*?)'s Archiver\s*$")
_RULES = LineRules(bbcode=True, image_urls=True, quote_headers=True)

_REGIONS = [
    (f"//div[{cls('page')}]", "pager"),
    ("//*[@id='end']", "full-version link"),
    ("//center[@id='header'] | //h2[contains(., 'Archiver')]", "header"),
    (f"//div[{cls('archiver_banner')}]", "ad"),
]


class Archiver(Family):
    name = "discuz-archiver"

    def claims(self, page: Page) -> bool:
        return is_archiver(page) and bool(_MARKERS.search(page.text) or _MARKER_SHAPE.search(page.text))

    def label(self, page: Page, full: bool = False) -> Labelled:
        root = page.root
        doc = Document(family=self.name, kind=KIND_THREAD)
        fill_page_facts(doc, page)
        verdicts: dict = {}
        roots: list[etree._Element] = []

        title_el, doc.title = _title(page)
        if title_el is not None:
            verdicts[title_el] = kept("title")
        doc.site = _site(root) or doc.site
        forum = _forum_link(root)
        if forum is not None:
            doc.forum = text_of(forum) or None
        current = _current_page(root)
        if current is not None:
            doc.page = to_int(text_of(current))

        markers = _with_class(root, "p", "author") or _shaped_markers(root)
        if markers:
            self._label_runs(markers, doc, verdicts, roots)
        else:
            self._label_wrapped(_with_class(root, "div", "t_msg"), doc, verdicts, roots)
        if not doc.posts:
            doc.kind = KIND_NONE
        if full:
            label_regions(root, _REGIONS, verdicts, overwrite=False)
            label_page_chrome(page, verdicts)
            roots = page.bodies
        elif title_el is not None:
            roots.append(title_el)
        blocks = tidy(walk(roots, verdicts), doc.posts, _RULES, doc.timezone, doc.source_urls)
        return Labelled(doc=doc, verdicts=verdicts, roots=roots, blocks=blocks, jammer_text=True)

    def _label_runs(self, markers: list, doc: Document, verdicts: dict, roots: list) -> None:
        """X and 6/7: ``p.author`` then the post's text, unwrapped."""
        marker_set = set(markers)

        def stop(el: etree._Element) -> bool:
            return el in marker_set or _is_pager(el)

        for i, marker in enumerate(markers):
            strong = next(marker.iterdescendants("strong"), None)  # ``.//strong``, first
            name = text_of(strong) if strong is not None else ""
            post = Post(author=name or None, published=_marker_time(marker, name, doc))
            doc.posts.append(post)
            run = run_after(marker, stop)
            label_run(marker, run, verdicts, kept(BODY, i))
            verdicts[marker] = kept("published", i)
            if strong is not None:
                verdicts[strong] = kept("author", i)
            for el in run:
                _label_text_markup(el, verdicts, i)
            label_message_run(run, verdicts, i)
            parent = marker.getparent()
            if parent is not None and parent not in roots:
                roots.append(parent)

    def _label_wrapped(self, messages: list, doc: Document, verdicts: dict, roots: list) -> None:
        """5.x: a header row (time in ``span.right``, name in ``b``) above each ``div.t_msg``."""
        for i, msg in enumerate(messages):
            head = msg.getprevious()
            post = Post()
            if head is not None:
                verdicts[head] = removed("post header", i)
                name = first(head, ".//b")
                when = first(head, f".//span[{cls('right')}]")
                if name is not None:
                    post.author = text_of(name) or None
                    verdicts[name] = kept("author", i)
                if when is not None:
                    post.published = parse_time(text_of(when), doc.timezone)
                    verdicts[when] = kept("published", i)
            doc.posts.append(post)
            verdicts[msg] = kept(BODY, i)
            # 「<b>SUBJECT</b><br><br>」 opens a post that has a subject.
            lead = msg[0] if len(msg) and not (msg.text or "").strip() else None
            if lead is not None and lead.tag == "b" and "Hidden Message" not in text_of(lead):
                verdicts[lead] = removed("reply subject", i)
            for el in msg:
                _label_text_markup(el, verdicts, i)
            label_message_run([msg], verdicts, i)
            roots.append(msg)


def _with_class(root: etree._Element, tag: str, name: str) -> list[etree._Element]:
    """``//TAG[cls(NAME)]`` (X ``p.author``, 5.x ``div.t_msg``), by a tag-filtered walk."""
    return [el for top in top_elements(root) for el in top.iter(tag) if has_class(el, name)]


def _current_page(root: etree._Element) -> etree._Element | None:
    """The first of ``//div[cls('page')]//strong`` (the pager's current page): the first
    ``strong`` in the first ``div.page`` holding one (the strongs of a later pager come after
    it, or inside it), by tag-filtered walks."""
    for top in top_elements(root):
        for div in top.iter("div"):
            if has_class(div, "page"):
                strong = next(div.iterdescendants("strong"), None)
                if strong is not None:
                    return strong
    return None


def _shaped_markers(root: etree._Element) -> list[etree._Element]:
    """``p`` elements shaped as ``p.author``: a ``strong`` name first, then only a time."""
    out = []
    for p in root.iter("p"):
        strong = p[0] if len(p) and isinstance(p[0].tag, str) and p[0].tag == "strong" else None
        if strong is None or (p.text or "").strip() or len(p) > 2:
            continue
        after = (strong.tail or "") + "".join(text_of(c) + (c.tail or "") for c in p[1:])
        relative = is_relative(after) and any(c.get("title") for c in p[1:])  # 「<span title=TIME>2 小时前」
        if len(after) <= 80 and (relative or (_DATE.search(after) and parse_time(after, None))):
            out.append(p)
    return out


def _forum_link(root: etree._Element) -> etree._Element | None:
    """The last of ``//*[@id='nav' or (cls('subtable') and cls('bold'))]//a[contains(@href,
    'fid-')]``: the breadcrumb's forum link. Read from the page's links (few on an archiver
    page), each climbing to its breadcrumb, rather than an XPath testing every element."""
    found = None
    for top in top_elements(root):
        for a in top.iter("a"):
            if "fid-" in (a.get("href") or "") and any(_is_breadcrumb(el) for el in a.iterancestors()):
                found = a
    return found


def _is_breadcrumb(el: etree._Element) -> bool:
    return el.get("id") == "nav" or (has_class(el, "subtable") and has_class(el, "bold"))


def _title(page: Page) -> tuple[etree._Element | None, str | None]:
    """The full-version link's text is the subject; else the breadcrumb's last part."""
    link = full_version_link(page)
    subject = text_of(link) if link is not None else ""
    if subject:
        return link, subject
    nav = first(page.root, f"//div[@id='nav'] | //div[{cls('subtable')} and {cls('bold')}]")
    if nav is None:
        return None, None
    return nav, _NAV_SEP.split(text_of(nav))[-1] or None


def _site(root: etree._Element) -> str | None:
    """「SITE's Archiver」 heading (X, 6/7), else the breadcrumb's first link (5.x)."""
    heading = first(root, "//h2[contains(., 'Archiver')]")
    m = _SITE_HEADING.match(text_of(heading)) if heading is not None else None
    if m and m.group(1).strip():
        return m.group(1).strip()
    home = first(root, f"//div[{cls('subtable')} and {cls('bold')}]//a[1]")
    return text_of(home) or None if home is not None else None


def _is_pager(el: etree._Element) -> bool:
    if not isinstance(el.tag, str):
        return False
    classes = (el.get("class") or "").split()
    if "page" in classes or el.get("id") in ("end", "footer"):
        return True
    # A theme's own pager class: the shape 「页: [1] 2 3」 (a short label, then page numbers).
    return el.tag == "div" and bool(_PAGER_TEXT.match(text_of(el)))


def _marker_time(marker: etree._Element, name: str, doc: Document) -> str | None:
    """The time after the name (the text of the marker's ``strong``): a relative time's
    ``title`` first, else the text."""
    for span in marker.iterdescendants():  # ``.//*[@title]``: a marker holds a few elements
        title = span.get("title") if type(span.tag) is str else None
        t = parse_time(title, doc.timezone) if title is not None else None
        if t:
            return t
    text = text_of(marker)
    if name and text.startswith(name):
        text = text[len(name):]
    if is_relative(text):
        return None
    return parse_time(text, doc.timezone)


def _label_text_markup(el: etree._Element, verdicts: dict, post: int) -> None:
    """The little markup an archiver body holds: the reply subject ``h3`` and the
    「**** Hidden Message *****」 / banned notices in ``b``."""
    if el.tag == "h3":
        verdicts[el] = removed("reply subject", post)
    elif el.tag == "b" and any(n in text_of(el) for n in NOTICES):
        verdicts[el] = removed("hidden-content notice", post)
