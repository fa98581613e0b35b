"""One engine for every Discuz page that lists posts in containers.

X desktop, 6.x/7.x, touch and simple-mobile pages differ only in *where* things are: the post
container, the body cell, the floor, author and time. Each of those families is a
``ThreadLayout`` (data) plus a ``claims`` test; this module does the labelling once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from ..blocks import BODY, kept, removed
from ..dates import is_relative, parse_time
from ..model import KIND_THREAD, Document, Post
from ..page import Page
from ..rules.chrome import POST_REGIONS
from ..rules.strings import FLOOR_LABELS, NOTICES
from .base import Family, Labelled
from .html import (
    base_href,
    fill_page_facts,
    label_page_chrome,
    label_regions,
    mark,
    page_number,
    text_of,
    to_int,
    xpath,
)
from .message import label_message, read_edit, read_images, read_quotes

_PID = re.compile(r"(\d+)$")
_TIME_PREFIX = re.compile(r"^.*?(?:发表于|發表於|Posted on|Post on|Posted at|时间[:：]|時間[:：])\s*", re.I)


@dataclass
class ThreadLayout:
    """Where one family keeps each part of a post (XPaths relative to the container)."""

    posts: str
    body: str
    floor: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    time: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    forum: tuple[str, ...] = ()
    counters: str | None = None
    #: Text of a container that marks a deleted floor (emit no post).
    deleted: tuple[str, ...] = ("无效楼层", "無效樓層", "Invalid floor")
    post_regions: list[tuple[str, str]] = field(default_factory=lambda: list(POST_REGIONS))
    #: Extra page-level facts a family reads itself.
    extra: Callable[[Page, Document], None] | None = None


def pid_of(el: etree._Element) -> str | None:
    m = _PID.search(el.get("id") or "")
    return m.group(1) if m else None


def floor_of(text: str) -> tuple[int | None, bool]:
    """(floor number, is a pinned copy) from a floor label such as 楼主, 沙发, 5#, 推荐."""
    text = text.strip()
    if not text:
        return None, False
    for label, n in FLOOR_LABELS.items():
        if text.startswith(label):
            return n, False
    if text.startswith(("推荐", "推薦", "置顶", "置頂")):
        return None, True
    return to_int(text), False


def post_time(el: etree._Element | None, offset: str | None, anchor: str | None) -> str | None:
    if el is None:
        return None
    for span in xpath(".//*[@title]")(el):
        t = parse_time(span.get("title"), offset)
        if t:
            return t
    text = _TIME_PREFIX.sub("", text_of(el))
    if is_relative(text):
        return parse_time(text, offset, anchor) if anchor else None
    return parse_time(text, offset)


class ThreadFamily(Family):
    """Base for container-based thread families; subclasses set ``name``, ``layout``, ``claims``."""

    layout: ThreadLayout

    def label(self, page: Page, full: bool = False) -> Labelled:
        lay = self.layout
        doc = Document(family=self.name, kind=KIND_THREAD)
        fill_page_facts(doc, page)
        if lay.extra:
            lay.extra(page, doc)
        root = page.root
        verdicts: dict = {}
        roots: list[etree._Element] = []

        title_el = _first_of(root, lay.title)
        if title_el is not None:
            doc.title = text_of(title_el) or None
            verdicts[title_el] = kept("title")
        forum_el = _first_of(root, lay.forum)
        if forum_el is not None:
            doc.forum = text_of(forum_el) or None
        if lay.counters:
            nums = [to_int(text_of(e)) for e in xpath(lay.counters)(root)]
            nums = [n for n in nums if n is not None]
            if len(nums) >= 2:
                doc.views, doc.replies = nums[0], nums[1]
        doc.page = page_number(page, doc.url)
        base = base_href(page)

        seen: dict[str, int] = {}
        for container in unnest(xpath(lay.posts)(root)):
            pid = pid_of(container)
            body = _first_of(container, (lay.body,))
            if body is None and any(d in text_of(container) for d in lay.deleted):
                verdicts[container] = removed("deleted floor")
                continue
            floor_el = _first_of(container, lay.floor)
            floor, pinned = floor_of(text_of(floor_el)) if floor_el is not None else (None, False)
            if pid and pid in seen:
                verdicts[container] = removed("duplicate pinned post")
                continue
            if pinned:
                # A pinned or recommended copy: the post also stands at its own floor.
                verdicts[container] = removed("duplicate pinned post")
                continue
            index = len(doc.posts)
            if pid:
                seen[pid] = index
            post = Post(id=pid, floor=floor)
            author_el = _first_of(container, lay.author)
            if author_el is not None:
                post.author = text_of(author_el) or None
            time_el = _first_of(container, lay.time)
            post.published = post_time(time_el, doc.timezone, doc.rendered_at)
            doc.posts.append(post)

            verdicts[container] = removed("post chrome", index)
            label_regions(container, lay.post_regions, verdicts, post=index)
            mark(verdicts, floor_el, kept("floor", index))
            mark(verdicts, author_el, kept("author", index))
            mark(verdicts, time_el, kept("published", index))
            if body is None:
                continue
            if _only_notice(body):
                verdicts[body] = removed("hidden-content notice", index)
                continue
            verdicts[body] = kept(BODY, index)
            label_message(body, verdicts, index)
            post.quotes = read_quotes(body, doc.timezone)
            post.edit = read_edit(body, doc.timezone)
            post.images = read_images(body, base or doc.url)
            roots.append(body)

        if not doc.posts:
            doc.kind = "none"
        if full:
            label_page_chrome(page, verdicts)
            roots = [page.body]
        elif title_el is not None:
            roots.insert(0, title_el)
        return Labelled(doc=doc, verdicts=verdicts, roots=roots)


def unnest(containers: list[etree._Element]) -> list[etree._Element]:
    """Containers made siblings where a broken page nests later posts inside earlier ones.

    An unclosed post container puts every later post inside it: searches scoped to one post
    would then see all later posts (wrong, and quadratic over the page). Each nested container
    is moved to just after the container that holds it; ``containers`` are in document order,
    so the holder has already been moved out and the result is flat.
    """
    if len(containers) < 2:
        return containers
    members = set(containers)
    for c in containers:
        for a in c.iterancestors():
            if a in members:
                a.addnext(c)
                break
    return containers


def _first_of(root: etree._Element, exprs: tuple[str, ...]) -> etree._Element | None:
    for expr in exprs:
        found = xpath(expr)(root)
        if found:
            return found[0]
    return None


def _only_notice(body: etree._Element) -> bool:
    text = text_of(body)
    return len(text) < 200 and any(n in text for n in NOTICES) and not xpath(".//div")(body)
