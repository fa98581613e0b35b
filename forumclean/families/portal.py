"""Discuz! X portal articles (anatomy §10): one post holding the article."""

from __future__ import annotations

import re

from ..blocks import BODY, kept, removed
from ..dates import parse_time
from ..model import KIND_ARTICLE, Document, Post
from ..page import Page
from ..rules.chrome import cls
from ..textrules import clean_url
from .base import Family, Labelled
from .html import base_href, fill_page_facts, first, label_page_chrome, page_number, text_of, to_int, xpath
from .message import label_message, read_images

_ARTICLE_ID = re.compile(r"(?:[?&]aid=|article-)(\d+)")
_META_FIELD = re.compile(r"(发布者|發布者|原作者|作者|来自|來自|查看|评论|評論|Author|From)\s*[:：]\s*([^|｜]*)")

_REGIONS = [
    (f"//div[{cls('s')}]", "summary"),
    ("//*[@id='click_div']", "reactions"),
    (f"//div[{cls('o')}]", "action bar"),
    (f"//div[{cls('pren')}]", "previous/next links"),
    ("//*[@id='related_article']", "related articles"),
    ("//*[@id='comment'] | //*[starts-with(@id, 'comment_')] | //form[@id='cform']", "comments"),
    (f"//div[{cls('sd')}]", "sidebar"),
    ("//*[@id='inner_nav']", "pager"),
    (f"//div[{cls('ptw')}]", "pager"),
]


class PortalArticle(Family):
    name = "discuz-portal"

    def claims(self, page: Page) -> bool:
        return page.has_id("article_content")

    def label(self, page: Page, full: bool = False) -> Labelled:
        root = page.root
        doc = Document(family=self.name, kind=KIND_ARTICLE)
        fill_page_facts(doc, page)
        m = _ARTICLE_ID.search(doc.url or page.url or "")
        doc.thread_id = m.group(1) if m else None
        doc.page = page_number(page, doc.url)
        verdicts: dict = {}
        for expr, reason in _REGIONS:
            for el in xpath(expr)(root):
                verdicts[el] = removed(reason)

        title_el = first(root, f"//h1[{cls('ph')}]")
        if title_el is not None:
            doc.title = _strip_status(text_of(title_el))
            verdicts[title_el] = kept("title")
        body = first(root, "//*[@id='article_content']")
        post = Post(floor=None)
        meta = first(root, f"//div[{cls('h')}]/p[{cls('xg1')}]")
        if meta is not None:
            verdicts[meta] = kept("published", 0)
            _read_meta_line(meta, post, doc)
        roots = []
        if body is not None:
            verdicts[body] = kept(BODY, 0)
            label_message(body, verdicts, 0)
            post.images = read_images(body, base_href(page) or doc.url)
            roots.append(body)
            doc.posts.append(post)
        else:
            doc.kind = "none"
        if full:
            label_page_chrome(page, verdicts)
            roots = page.bodies
        elif title_el is not None:
            roots.insert(0, title_el)
        return Labelled(doc=doc, verdicts=verdicts, roots=roots)


def _read_meta_line(meta, post: Post, doc: Document) -> None:
    text = text_of(meta)
    post.published = parse_time(text.split("|")[0], doc.timezone)
    fields = {k: v.strip() for k, v in _META_FIELD.findall(text)}
    publisher = fields.get("发布者") or fields.get("發布者") or fields.get("Author")
    post.author = fields.get("原作者") or fields.get("作者") or publisher or None
    # The article's counters: 查看 (views) and 评论 (comments, the article's replies).
    doc.views = to_int(fields.get("查看"))
    doc.replies = to_int(fields.get("评论") or fields.get("評論"))
    # 「来自」 links to the article's fromurl: a ready-made source address.
    for a in xpath(".//a[@href]")(meta):
        label = (a.getprevious().tail if a.getprevious() is not None else meta.text) or ""
        if re.search(r"(来自|來自|From)\s*[:：]\s*$", label) and a.get("href", "").startswith("http"):
            url = clean_url(a.get("href"))
            if url not in doc.source_urls:
                doc.source_urls.append(url)


def _strip_status(title: str | None) -> str | None:
    if not title:
        return None
    return re.sub(r"\s*[(（](待审核|待審核|草稿)[)）]\s*$", "", title).strip() or None
