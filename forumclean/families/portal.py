"""Discuz! X portal articles (anatomy §10): one post holding the article.

Desktop (``portal/view.htm``): title ``h1.ph``, meta line ``div.h > p.xg1``, body
``td#article_content``. Touch (X3.5 ``touch/portal/view.htm``): ``div.wzview`` with the title in
``div.wzview_top > h2``, the meta line in the ``p`` after it (time, 「查看N」, 「评论N」, the source
link; no publisher), body ``div.wzview_body``. Themes that move the meta line out of ``p.xg1``
keep its words: it is then found by its labels or its time, between the title and the body.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from ..blocks import BODY, kept, removed
from ..dates import parse_time
from ..model import KIND_ARTICLE, Document, Post
from ..page import Page
from ..rules.chrome import cls
from ..rules.strings import AUTHOR_LABEL, REPLIES_COUNT, VIEWS_COUNT
from ..textrules import clean_url
from .base import Family, Labelled
from .html import (
    base_href,
    fill_page_facts,
    first,
    head_title,
    page_number,
    page_roots,
    text_of,
    to_int,
    xpath,
)
from .message import label_message, read_images
from .prefilter import ClassIndex
from .thread import ClassPath

_ARTICLE_ID = re.compile(r"(?:[?&]aid=|article-)(\d+)")
# portal/lang_template.php: view_publisher 「发布者」, view_author_original 「原作者」, from 「来自」,
# view_views 「查看」, view_comments 「评论」; forum author 「作者」; zh-Hant and English forms.
_META_FIELD = re.compile(r"(发布者|發布者|原作者|作者|来自|來自|查看|评论|評論|Author|From)\s*[:：]\s*([^|｜]*)")
_COMMENTS = re.compile(r"(?:评论|評論|Comments?)\s*[:：]?\s*(\d+)", re.I)
_TOUCH_BODY = re.compile(r"""class=["']?wzview_body\b""")
#: A meta line is one short line; a longer element found by its words is something else.
_META_MAX = 200


@dataclass(frozen=True)
class _Layout:
    title: str
    body: str
    meta: str | ClassPath
    #: (XPath, or a function of the page's root giving what it finds; the reason)
    regions: tuple[tuple[str | Callable[[etree._Element], list[etree._Element]], str], ...]
    #: The meta line's links to absolute addresses are the article's source (touch: unlabelled).
    meta_links_are_sources: bool = False


def _comment_regions(root: etree._Element) -> list[etree._Element]:
    """``//*[@id='comment'] | //*[starts-with(@id, 'comment_')] | //form[@id='cform']``, in
    document order: the page's ids read in one XPath call (the union tested every element
    three times). The first branch stays the ``id('comment')`` look-up it compiles to."""
    named = xpath("//*[@id='comment']")(root)
    named_el = named[0] if named else None
    out = []
    for value in xpath("//@id")(root):
        el = value.getparent()
        if el is named_el or value.startswith("comment_") or (value == "cform" and el.tag == "form"):
            out.append(el)
    if named_el is not None and named_el not in out:  # (an id table that names an element no more)
        out.append(named_el)
    return out


_DESKTOP = _Layout(
    title=f"//h1[{cls('ph')}]",
    body="//*[@id='article_content']",
    meta=ClassPath((("div", "h"), ("p", "xg1")), page=True),  # //div[cls('h')]/p[cls('xg1')]
    regions=(
        (f"//div[{cls('s')}]", "summary"),
        ("//*[@id='click_div']", "reactions"),
        (f"//div[{cls('o')}]", "action bar"),
        (f"//div[{cls('pren')}]", "previous/next links"),
        ("//*[@id='related_article']", "related articles"),
        (_comment_regions, "comments"),
        (f"//div[{cls('sd')}]", "sidebar"),
        ("//*[@id='inner_nav']", "pager"),
        (f"//div[{cls('ptw')}]", "pager"),
    ),
)

_TOUCH = _Layout(
    title=f"//div[{cls('wzview_top')}]/h2",
    body=f"//div[{cls('wzview_body')}]",
    meta=f"//div[{cls('wzview_top')}]/p",
    regions=(
        (f"//div[{cls('wzview_desc')}]", "summary"),
        (f"//div[{cls('wzview_body')}]/div[{cls('page')}]", "pager"),
        (f"//div[{cls('wzview_sxwz')}]", "previous/next links"),
        (f"//div[{cls('txtlist')}] | //div[{cls('doing_list_box')}]", "comments"),
        ("//form[@id='cform']", "comments"),
        (f"//div[{cls('header')}]", "header"),
        (f"//div[{cls('foot')}] | //div[{cls('footer')}] | //a[{cls('scrolltop')}]", "footer"),
    ),
    meta_links_are_sources=True,
)


class PortalArticle(Family):
    name = "discuz-portal"

    def claims(self, page: Page) -> bool:
        return page.has_id("article_content") or ("wzview_body" in page.text and bool(_TOUCH_BODY.search(page.text)))

    def label(self, page: Page, full: bool = False) -> Labelled:
        root = page.root
        lay = _DESKTOP if page.has_id("article_content") else _TOUCH
        doc = Document(family=self.name, kind=KIND_ARTICLE)
        fill_page_facts(doc, page)
        m = _ARTICLE_ID.search(doc.url or page.url or "")
        doc.thread_id = m.group(1) if m else None
        doc.page = page_number(page, doc.url)
        verdicts: dict = {}
        divs = ClassIndex(root, "div")  # most rules are ``//div[cls(NAME)]``: one walk answers them
        for expr, reason in lay.regions:
            found = expr(root) if callable(expr) else divs.find(expr)
            for el in xpath(expr)(root) if found is None else found:
                verdicts[el] = removed(reason)

        body = first(root, lay.body)
        title_el = first(root, lay.title)
        if title_el is None and body is not None:  # a theme's own title class: the heading before the body
            title_el = _heading_before(body)
        if title_el is not None:
            doc.title = _strip_status(text_of(title_el))
            verdicts[title_el] = kept("title")
        else:
            doc.title = head_title(page)
        post = Post(floor=None)
        meta = lay.meta.first(root, "") if isinstance(lay.meta, ClassPath) else first(root, lay.meta)
        if meta is None and body is not None:
            meta = meta_near(title_el if title_el is not None else body, body)
        if meta is not None:
            verdicts[meta] = kept("published", 0)
            read_meta_line(meta, post, doc, lay.meta_links_are_sources)
        roots = []
        if body is not None:
            verdicts[body] = kept(BODY, 0)
            label_message(body, verdicts, 0)
            post.images = read_images(body, base_href(page) or doc.url)
            roots.append(body)
            doc.posts.append(post)
        else:
            doc.kind = "none"
        return Labelled(doc=doc, verdicts=verdicts, roots=page_roots(page, verdicts, roots, title_el, full))


def _heading_before(body: etree._Element) -> etree._Element | None:
    """The last ``h1``/``h2`` before the article body, within five levels above it (the desktop
    body cell sits four levels below the article's box)."""
    scope = body
    after = _Order(body)
    for _ in range(5):
        scope = scope.getparent()
        if scope is None:
            return None
        found = [h for h in scope.iter("h1", "h2") if text_of(h) and after(h, body)]
        if found:
            return found[-1]
    return None


def meta_near(anchor: etree._Element, body: etree._Element) -> etree._Element | None:
    """A theme's meta line outside ``p.xg1``: the first short element after ``anchor`` (the
    title, or the body itself when no title was found) and before the body, within three levels
    above the anchor, that holds a labelled field (「发布者: NAME」) or a time."""
    title_and_body = {anchor, body}
    after = _Order(anchor)
    scope = anchor
    for _ in range(3):
        scope = scope.getparent()
        if scope is None:
            return None
        for el in scope.iter("p", "div", "span", "td", "li", "em", "dd"):
            if el in title_and_body or _holds_any(el, title_and_body) or _inside(el, body):
                continue
            if (anchor is not body and not after(anchor, el)) or not after(el, body):
                continue
            text = text_of(el)
            if text and len(text) <= _META_MAX and (_META_FIELD.search(text) or parse_time(text, None)):
                return el
    return None


def _holds_any(el: etree._Element, targets: set) -> bool:
    return any(t is el or any(a is el for a in t.iterancestors()) for t in targets)


def _inside(el: etree._Element, container: etree._Element) -> bool:
    return any(a is container for a in el.iterancestors())


class _Order:
    """Whether ``b`` comes after ``a`` in document order (and is not inside it), from one
    numbering of the page's elements: a theme's meta line is looked for among many elements."""

    def __init__(self, el: etree._Element) -> None:
        self.index = {e: i for i, e in enumerate(el.getroottree().getroot().iter())}

    def __call__(self, a: etree._Element, b: etree._Element) -> bool:
        ia, ib = self.index.get(a), self.index.get(b)
        if ia is None or ib is None:  # (not under the document's root: no order to tell)
            return False
        return ib > ia and not _inside(b, a)


def read_meta_line(meta: etree._Element, post: Post, doc: Document, links_are_sources: bool) -> None:
    text = text_of(meta)
    post.published = parse_time(text.split("|")[0], doc.timezone) or parse_time(text, doc.timezone)
    fields = {k: v.strip() for k, v in _META_FIELD.findall(text)}
    publisher = fields.get("发布者") or fields.get("發布者") or fields.get("Author")
    author = fields.get("原作者") or fields.get("作者") or publisher
    post.author = AUTHOR_LABEL.sub("", author).strip() or None if author else None
    # The article's counters: 查看 (views) and 评论 (comments, the article's replies).
    views, comments = VIEWS_COUNT.search(text), _COMMENTS.search(text) or REPLIES_COUNT.search(text)
    doc.views = to_int(fields.get("查看")) if fields.get("查看") else (int(views.group(1)) if views else None)
    doc.replies = to_int(fields.get("评论") or fields.get("評論")) if (fields.get("评论") or fields.get("評論")) \
        else (int(comments.group(1)) if comments else None)
    # 「来自」 links to the article's fromurl: a ready-made source address.
    for a in xpath(".//a[@href]")(meta):
        label = (a.getprevious().tail if a.getprevious() is not None else a.getparent().text) or ""
        labelled = re.search(r"(来自|來自|From)\s*[:：]\s*$", label)
        if (labelled or links_are_sources) and a.get("href", "").startswith("http"):
            url = clean_url(a.get("href"))
            if url not in doc.source_urls:
                doc.source_urls.append(url)


def _strip_status(title: str | None) -> str | None:
    if not title:
        return None
    # lang_template.php moderate_need 「待审核」, ignored 「已忽略」 (and the zh-Hant forms).
    return re.sub(r"\s*[(（](待审核|待審核|草稿|已忽略)[)）]\s*$", "", title).strip() or None
