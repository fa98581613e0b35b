"""The print view of a thread, X and 6/7 (anatomy §9).

A tiny page: 「<b>标题: </b>SUBJECT [打印本页]」, then per post an ``<hr noshade>``, the header
「<b>作者: </b>NAME <b>时间: </b>TIME」 (6/7 may add 「<b>标题: </b>…」 on the same line, X on
the next), and the body with the desktop's message markup, unwrapped. 6/7 append attachments as
text lines. No floors, ids or GMT line; the labels come from the language pack, so the header is
recognised by its shape (two ``b`` labels, a name, a time), not by its words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ..blocks import BODY, fold, kept, removed, tail, walk
from ..dates import parse_time
from ..model import KIND_NONE, KIND_THREAD, Document, Post
from ..page import Page
from .base import Family, Labelled
from .flat import LineRules, fact_view, label_message_run, label_run, run_after, tidy
from .html import base_href, fill_page_facts, label_page_chrome, string_value, text_of, xpath
from .message import read_edit, read_images, read_quotes
from .prefilter import top_elements

_POST_RULE = re.compile(r"<hr\s+noshade\b", re.I)
_RULES = LineRules(attachments=True)


class Printable(Family):
    name = "discuz-printable"

    def claims(self, page: Page) -> bool:
        # The [打印本页] button, a rule per post plus the footer's, and Discuz! in the title
        # (「… - Powered by Discuz!」, 6/7 「… Discuz! Board」) or the footer.
        return ("window.print()" in page.text and len(_POST_RULE.findall(page.text)) >= 2
                and ("Discuz!" in page.head or "Discuz!" in page.end(3000))
                and not page.has_id("postlist"))

    def label(self, page: Page, full: bool = False) -> Labelled:
        root = page.root
        doc = Document(family=self.name, kind=KIND_THREAD)
        fill_page_facts(doc, page)
        verdicts: dict = {}
        rules = _rules(root)
        parent = rules[0].getparent() if rules else None
        markers = [hr for hr in rules if hr.getparent() is parent]
        label_el = _title_label(markers[0]) if markers else None
        if label_el is not None:
            doc.title = fold(label_el.tail or "").strip() or None
            verdicts[label_el] = removed("label")
            verdicts[tail(label_el)] = kept("title")

        marker_set = set(markers)
        footer = _footer(markers[-1]) if markers else None
        doc.site = _site(root, footer) or doc.site
        base = base_href(page) or doc.url or (footer[1] if footer else None)
        for hr in markers:
            run = run_after(hr, lambda el: el in marker_set)
            verdicts[hr] = removed("post separator")
            header = _Header.read(run, label_el, doc.timezone)
            if header is None:
                label_run(hr, run, verdicts, removed("footer"))
                continue
            i = len(doc.posts)
            post = Post(author=header.author, published=header.published)
            doc.posts.append(post)
            label_run(hr, run, verdicts, kept(BODY, i))
            for el in run[:header.body_start - 1]:  # the header ends at a <br>; its tail is body
                verdicts[el] = verdicts[tail(el)] = removed("post header", i)
            verdicts[tail(header.author_label)] = kept("author", i)
            verdicts[tail(header.time_label)] = kept("published", i)
            if header.time_el is not None:
                verdicts[header.time_el] = kept("published", i)
            for el in header.subject:
                verdicts[el] = verdicts[tail(el)] = removed("reply subject", i)
            body = run[header.body_start:]
            label_message_run(body, verdicts, i)
            if _may_hold_facts(body):
                view = fact_view(body)
                post.quotes = read_quotes(view, doc.timezone)
                post.edit = read_edit(view, doc.timezone)
                post.images = [im for im in read_images(view, base) if "/attachicons/" not in im.url]

        if not doc.posts:
            doc.kind = KIND_NONE
        if full:
            label_page_chrome(page, verdicts)
            for h1 in xpath("//h1")(root):
                verdicts.setdefault(h1, removed("site name"))
        roots = page.bodies
        blocks = tidy(walk(roots, verdicts), doc.posts, _RULES, doc.timezone)
        return Labelled(doc=doc, verdicts=verdicts, roots=roots, blocks=blocks)


_WELCOME = re.compile(r"^\S+\s+(?P<site>.+?)\s*\((?P<url>https?://[^)\s]+)\)$")


def _may_hold_facts(run: list[etree._Element]) -> bool:
    """Whether the quotes, edit note or images of a body run can be other than none: they are
    read from a ``div`` (quote), an ``i`` or a text holding 「由」 (edit note), an ``img``. A run
    of text and line breaks (most replies) is not copied to be read."""
    for el in run:
        if "由" in (el.tail or "") or next(el.iter("div", "i", "img"), None) is not None:
            return True
        if "由" in string_value(el):
            return True
    return False


def _rules(root: etree._Element) -> list[etree._Element]:
    """``//hr[@noshade]``, by a tag-filtered walk."""
    return [hr for top in top_elements(root) for hr in top.iter("hr") if hr.get("noshade") is not None]


def _footer(last_rule: etree._Element) -> tuple[str, str] | None:
    """(site name, site address) from the footer 「欢迎光临 SITE (SITEURL)」 after the last rule."""
    for td in _footer_cells(last_rule):
        m = _WELCOME.match(text_of(td))
        if m:
            return m.group("site"), m.group("url")
    return None


def _site(root: etree._Element, footer: tuple[str, str] | None) -> str | None:
    """X prints the site name as the page's ``h1``; 6/7 only in the footer."""
    h1 = _site_heading(root)
    name = text_of(h1) if h1 is not None else ""
    if name:
        return name
    return footer[0] if footer else None


def _footer_cells(rule: etree._Element) -> list[etree._Element]:
    """``following-sibling::table[1]//td``, by walks."""
    table = next(rule.itersiblings("table"), None)
    return list(table.iterdescendants("td")) if table is not None else []


def _site_heading(root: etree._Element) -> etree._Element | None:
    """The first of ``//body/h1``, by a tag-filtered walk."""
    for top in top_elements(root):
        for h1 in top.iter("h1"):
            parent = h1.getparent()
            if parent is not None and parent.tag == "body":
                return h1
    return None


def _title_label(first_rule: etree._Element) -> etree._Element | None:
    """「<b>标题: </b>SUBJECT <b>[打印本页]</b>」 before the first rule: the first ``b`` with a tail."""
    el = first_rule.getprevious()
    found = None
    while el is not None:
        if el.tag == "b" and (el.tail or "").strip():
            found = el
        el = el.getprevious()
    return found


@dataclass
class _Header:
    """The header line of a post: 「<b>作者: </b>NAME <b>时间: </b>TIME [<b>标题: </b>SUBJECT]」."""

    author_label: etree._Element
    time_label: etree._Element
    time_el: etree._Element | None
    author: str | None
    published: str
    subject: list[etree._Element]
    #: Index in the run of the first body element.
    body_start: int

    @classmethod
    def read(cls, run: list[etree._Element], title_label: etree._Element | None,
             offset: str | None) -> _Header | None:
        """None when the run is not a post (the footer after the last rule)."""
        brk = next((n for n, el in enumerate(run) if el.tag == "br"), len(run))
        labels = [el for el in run[:brk] if el.tag == "b"]
        if len(labels) < 2:
            return None
        author_b, time_b = labels[0], labels[1]
        # A relative time keeps the absolute one in the title of the element after the label.
        nxt = time_b.getnext()
        time_el = nxt if nxt is not None and nxt.get("title") and not (time_b.tail or "").strip() else None
        published = parse_time(time_el.get("title"), offset) if time_el is not None else None
        published = published or parse_time(time_b.tail, offset)
        if published is None:
            return None
        subject = labels[2:3]  # 6/7: on the header line
        start = brk + 1
        # X: on a line of its own, 「<b>标题: </b>SUBJECT<br />」.
        if (start + 1 < len(run) and run[start].tag == "b" and run[start + 1].tag == "br"
                and _is_subject_label(run[start], title_label)):
            subject = [run[start]]
            start += 2
        return cls(author_b, time_b, time_el, fold(author_b.tail or "").strip() or None, published,
                   subject, start)


def _is_subject_label(b: etree._Element, title_label: etree._Element | None) -> bool:
    """The reply subject's label is the thread title's label (「标题: 」, 「標題: 」, 「Subject: 」)."""
    if title_label is not None:
        return text_of(b) == text_of(title_label)
    return bool(re.search(r"[:：]$", text_of(b)))
