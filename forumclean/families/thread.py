"""One engine for every Discuz page that lists posts in containers.

X desktop, 6.x/7.x, touch and simple-mobile pages differ only in *where* things are: the post
container, the body cell, the floor, author and time. Each of those families is a
``ThreadLayout`` (data) plus a ``claims`` test; this module does the labelling once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from lxml import etree

from ..blocks import fold, kept, removed
from ..dates import is_relative, parse_time
from ..model import KIND_THREAD, Document, Post
from ..page import Page
from ..rules.chrome import POST_REGIONS, cls
from ..rules.strings import (
    AUTHOR_LABEL,
    AUTHOR_NOISE,
    FLOOR_LABELS,
    NOTICES,
    PINNED_FLOOR,
    REPLIES_COUNT,
    VIEWS_COUNT,
)
from .base import Family, Labelled
from .html import (
    base_href,
    fill_page_facts,
    has_class,
    head_title,
    is_short_notice,
    label_regions,
    mark,
    page_number,
    page_roots,
    stated_thread_url,
    text_of,
    thread_id,
    to_int,
    xpath,
)
from .message import label_body
from .prefilter import present, regions_by_container, top_elements

_PID = re.compile(r"(\d+)$")
_TIME_PREFIX = re.compile(r"^.*?(?:发表于|發表於|Posted on|Post on|Posted at|时间[:：]|時間[:：])\s*", re.I)


@dataclass
class ThreadLayout:
    """Where one family keeps each part of a post (XPaths relative to the container)."""

    #: The post containers: one XPath, or several tried in order until one finds posts (an
    #: XPath or a function of the page's root that finds them faster).
    posts: str | tuple[str | Callable[[etree._Element], list[etree._Element]], ...]
    # Post fields: XPaths, or matchers run in Python (``ClassChain``: tags with class tokens;
    # ``IdPrefix``: a tag whose id starts with a prefix), tried in order.
    #: One field, or several tried in order.
    body: str | tuple[Field, ...]
    floor: tuple[Field, ...] = ()
    author: tuple[Field, ...] = ()
    #: Parts of the author element that are not the name: a guest's IP, the 「该用户已被删除」
    #: mark of a deleted user (anatomy §4.6). Only plain containers (not the name links) have them.
    author_exclude: tuple[str | Callable[[etree._Element], list[etree._Element]], ...] = field(
        default_factory=lambda: (guest_extras,))
    #: Without a name element, read the name from the text before the time (anonymous posts when
    #: the left user column is switched off: 「匿名&nbsp;<em>发表于 …</em>」).
    author_before_time: bool = False
    time: tuple[Field, ...] = ()
    title: tuple[str, ...] = ()
    #: Parts of the title element that are not the subject (type prefix, status, links).
    title_exclude: tuple[str, ...] = ()
    forum: tuple[str, ...] = ()
    counters: str | None = None
    #: Links (``@href`` XPaths) that name the thread, for pages without ``tid = parseInt(…)``.
    thread_links: str | None = None
    #: Text of a container that marks a deleted floor (emit no post).
    deleted: tuple[str, ...] = ("无效楼层", "無效樓層", "Invalid floor")
    #: Regions of a post outside its body (labelled only when the whole page is shown).
    post_regions: list[tuple[str, str]] = field(default_factory=lambda: list(POST_REGIONS))
    #: Family-specific regions inside the body (XPaths relative to it), always labelled.
    message_regions: list[tuple[str, str]] = field(default_factory=list)
    #: Page chrome of this family, labelled for ``diff`` besides the shared ``PAGE_REGIONS``.
    page_regions: list[tuple[str, str]] = field(default_factory=list)
    #: Extra page-level facts a family reads itself.
    extra: Callable[[Page, Document], None] | None = None


def guest_extras(el: etree._Element) -> list[etree._Element]:
    """``self::div/em | self::div/a/em | self::cite/em | self::cite/a/em``, read in Python (an
    XPath call per post cost more than looking at the few children)."""
    if el.tag != "div" and el.tag != "cite":
        return []
    out = []
    for child in el:
        if child.tag == "em":
            out.append(child)
        elif child.tag == "a":
            out.extend(grandchild for grandchild in child if grandchild.tag == "em")
    return out


def pid_of(el: etree._Element) -> str | None:
    m = _PID.search(el.get("id") or "")
    return m.group(1) if m else None


def floor_of(text: str) -> tuple[int | None, bool]:
    """(floor number, is a pinned copy) from a floor label such as 楼主, 沙发, 5#, 推荐, 顶 来自 5#."""
    text = text.strip()
    if not text:
        return None, False
    for label, n in FLOOR_LABELS.items():
        if text.startswith(label):
            return n, False
    m = PINNED_FLOOR.match(text)
    if m:
        return (int(m.group("floor")) if m.group("floor") else None), True
    return to_int(text), False


def infer_floors(entries: list[tuple[int | None, bool, bool]]) -> list[int | None]:
    """Floors for posts whose label the page shows but no rule reads (a site's own names for the
    first floors, anatomy §4.5), from the floors around them.

    ``entries``: (floor, is a pinned copy, has an unread label) per container in page order,
    deleted floors included (they hold their place). A run of unread labels between floors a and
    b is numbered when it fits exactly (ascending, or descending on reversed pages); runs at the
    page's edges only when every read floor is consecutive (no author-only gaps). Pinned copies
    stand outside the order; posts without any label (robot pages) stay unnumbered.
    """
    floors = [f for f, _, _ in entries]
    order = [i for i, (_, pinned, _) in enumerate(entries) if not pinned]
    known = [(pos, floors[i]) for pos, i in enumerate(order) if floors[i] is not None]
    if not known or not any(unread for _, _, unread in entries):
        return floors
    for (p1, a), (p2, b) in zip(known, known[1:], strict=False):
        gap = range(p1 + 1, p2)
        if not gap or not all(entries[order[p]][2] for p in gap):
            continue
        step = 1 if b - a == p2 - p1 else -1 if a - b == p2 - p1 else 0
        if step:
            for p in gap:
                floors[order[p]] = a + step * (p - p1)
    steps = {(b - a) / (p2 - p1) for (p1, a), (p2, b) in zip(known, known[1:], strict=False)}
    if len(known) >= 2 and len(steps) == 1 and steps <= {1.0, -1.0}:
        step = int(steps.pop())
        p0, f0 = known[0]
        for p, i in enumerate(order):
            if floors[i] is None and entries[i][2]:
                n = f0 + step * (p - p0)
                floors[i] = n if n >= 1 else None
    return floors


def post_time(el: etree._Element | None, offset: str | None, anchor: str | None) -> str | None:
    if el is None:
        return None
    # ``.//*[@title]``, walked: the time element holds a span or two, and an XPath call costs
    # more than reading them.
    for span in el.iterdescendants():
        title = span.get("title") if isinstance(span.tag, str) else None
        if title is not None:
            t = parse_time(title, offset)
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
        verdicts: dict = {}
        title_el = self._page_facts(page, doc, verdicts)
        containers, ids = self._containers(page.root)
        # (diff) the post rules that can match on this page, found once rather than per post
        post_regions = regions_by_container(page.root, present(page.root, lay.post_regions),
                                            [c[0] for c in containers], xpath) if full else {}
        # A sticky or recommended copy yields to the same post at its own floor (de-duplicated by
        # PID); when the page shows only the copy, the copy is the post.
        own_floor = {pid for _, pid, _, _, pinned in containers if pid and not pinned}
        seen: set[str] = set()
        roots: list[etree._Element] = []
        base = base_href(page)
        for container, pid, floor_el, floor, pinned in containers:
            body = _first_of(container, (lay.body,) if isinstance(lay.body, str) else lay.body, pid, ids)
            if body is None and any(d in text_of(container) for d in lay.deleted):
                verdicts[container] = removed("deleted floor")
                continue
            if pid and (pid in seen or (pinned and pid in own_floor)):
                verdicts[container] = removed("duplicate pinned post")
                continue
            if pid:
                seen.add(pid)
            # (regions outside the body only matter when the whole page is shown)
            chrome = post_regions.get(id(container), ()) if full else None
            body = self._post(container, pid, floor_el, floor, body, doc, verdicts, base, chrome, ids)
            if body is not None:
                roots.append(body)

        if not doc.posts:
            doc.kind = "none"
        elif not doc.title:  # a theme without any title element: the subject from <title>
            doc.title = head_title(page)
        if full:
            label_regions(page.root, lay.page_regions, verdicts, overwrite=False)
        return Labelled(doc=doc, verdicts=verdicts, roots=page_roots(page, verdicts, roots, title_el, full))

    def _page_facts(self, page: Page, doc: Document, verdicts: dict) -> etree._Element | None:
        """The thread's own facts (address, id, title, forum, counters, page); its title element."""
        lay = self.layout
        root = page.root
        fill_page_facts(doc, page)
        if lay.extra:
            lay.extra(page, doc)
        if not doc.url:
            doc.url = stated_thread_url(page)
        if not doc.thread_id and lay.thread_links:
            for href in xpath(lay.thread_links)(root)[:4]:
                doc.thread_id = thread_id(page, str(href))
                if doc.thread_id:
                    break
        title_el = _first_of(root, lay.title)
        if title_el is not None:
            doc.title = _text_without(title_el, lay.title_exclude, verdicts) or doc.title
            verdicts[title_el] = kept("title")
        forum_el = _first_of(root, lay.forum)
        if forum_el is not None:
            doc.forum = text_of(forum_el) or None
        if lay.counters:
            found = xpath(lay.counters)(root)
            nums = [n for n in (to_int(text_of(e)) for e in found) if n is not None]
            if len(nums) >= 2:
                doc.views, doc.replies = nums[0], nums[1]
                # The cell holding 「查看: N | 回复: N」, read into views/replies.
                cell = xpath("ancestor::td[1]")(found[0])
                mark(verdicts, cell[0] if cell else found[0].getparent(), kept("counters"))
        if doc.views is None and title_el is not None:
            _counters_near(title_el, doc)
        doc.page = page_number(page, doc.url)
        return title_el

    def _containers(self, root: etree._Element) -> tuple[list[tuple], PostIds]:
        """The post containers in page order: (container, pid, floor element, floor, pinned);
        and the index of their posts' ids."""
        lay = self.layout
        found_posts: list = []
        for expr in (lay.posts,) if isinstance(lay.posts, str) else lay.posts:
            found_posts = xpath(expr)(root) if isinstance(expr, str) else expr(root)
            if found_posts:
                break
        found_posts = unnest(found_posts)
        pids = [pid_of(container) for container in found_posts]
        ids = PostIds(root, pids)
        containers = []
        for container, pid in zip(found_posts, pids, strict=True):
            floor_el = _first_of(container, lay.floor, pid, ids)
            floor, pinned = floor_of(text_of(floor_el)) if floor_el is not None else (None, False)
            containers.append((container, pid, floor_el, floor, pinned))
        # Custom floor names (「地下室」...) are numbered from the floors around them.
        inferred = infer_floors([(floor, pinned, floor_el is not None and floor is None and bool(text_of(floor_el)))
                                 for _, _, floor_el, floor, pinned in containers])
        return [(c, pid, el, n, pinned) for (c, pid, el, _, pinned), n in zip(containers, inferred, strict=True)], ids

    def _post(self, container: etree._Element, pid: str | None, floor_el: etree._Element | None,
              floor: int | None, body: etree._Element | None, doc: Document, verdicts: dict,
              base: str | None, chrome: Any, ids: PostIds | None = None) -> etree._Element | None:
        """Read one post into ``doc`` and label it (``chrome``: its post rules' matches, when the
        whole page is labelled); its body element when it has one to walk."""
        lay = self.layout
        index = len(doc.posts)
        post = Post(id=pid, floor=floor)
        time_el = _first_of(container, lay.time, pid, ids)
        author_el = _first_of(container, lay.author, pid, ids)
        if author_el is not None:
            post.author = author_name(_text_without(author_el, lay.author_exclude, verdicts, "author extras"))
        elif lay.author_before_time and time_el is not None:
            post.author = author_name(_text_before(time_el))
        post.published = post_time(time_el, doc.timezone, doc.rendered_at)
        doc.posts.append(post)
        if chrome is not None:
            verdicts[container] = removed("post chrome", index)
            for found, reason in chrome:
                verdict = removed(reason, index)  # (one per rule: runs under one verdict join)
                for el in found:
                    verdicts[el] = verdict
        mark(verdicts, floor_el, kept("floor", index))
        mark(verdicts, author_el, kept("author", index))
        mark(verdicts, time_el, kept("published", index))
        if body is None or not label_body(body, post, index, verdicts, doc, base, lay.message_regions,
                                          _only_notice):
            return None
        return body


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


def _counters_near(title_el: etree._Element, doc: Document) -> None:
    """「查看: N | 回复: N」 by its words, near the title (themes that rename the counter cells)."""
    el, subject = title_el, text_of(title_el)
    for _ in range(4):
        el = el.getparent()
        if el is None or el.get("id") == "postlist":
            return
        text = text_of(el).replace(subject, " ", 1)  # a subject may hold such words itself
        if len(text) > 1500:
            return
        views, replies = VIEWS_COUNT.search(text), REPLIES_COUNT.search(text)
        if views and replies:
            doc.views, doc.replies = int(views.group(1)), int(replies.group(1))
            return


@dataclass(frozen=True)
class ClassChain:
    """A layout field as tags with class tokens, matched in Python: ``.//T1[cls(C1)]//T2[cls(C2)]…``
    below the container, or below ``id(concat(START, $pid))`` when ``start_id`` is given.

    The same first element as that XPath, found by one tag-filtered walk of the last step's tag
    and a climb from each candidate: an XPath class predicate, evaluated on every element of the
    subtree, cost several times more per post.
    """

    steps: tuple[tuple[str, str], ...]
    start_id: str | None = None

    def first(self, root: etree._Element, pid: str, ids: PostIds | None = None) -> etree._Element | None:
        if self.start_id is not None:
            found = ids.find(self.start_id, pid) if ids is not None and pid else \
                xpath("id(concat($start, $pid))")(root, start=self.start_id, pid=pid)
            if not found:
                return None
            root = found[0]
        *outer, (tag, name) = self.steps
        for el in root.iter(tag):
            if el is not root and has_class(el, name) and _below(el, root, outer):
                return el
        return None

    @property
    def below_root(self) -> bool:
        """Whether what ``first`` finds is always below the root it is given."""
        return self.start_id is None

    def __str__(self) -> str:
        path = "".join(f"//{t}[{cls(c)}]" for t, c in self.steps)
        return f"id(concat('{self.start_id}', $pid)){path}" if self.start_id else "." + path


@dataclass(frozen=True)
class IdPrefix:
    """A layout field as ``.//TAG[starts-with(@id, PREFIX)]`` (``TAG`` may be ``*``), matched in
    Python: the first such element below the container, by lxml's tag-filtered walk, stopping
    at the first (the XPath read the whole post and cost twice as much)."""

    tag: str
    prefix: str

    def first(self, root: etree._Element, pid: str = "", ids: PostIds | None = None) -> etree._Element | None:
        for el in root.iter(etree.Element if self.tag == "*" else self.tag):
            if el is not root and (el.get("id") or "").startswith(self.prefix):
                return el
        return None

    #: What ``first`` finds is always below the root it is given.
    below_root = True

    def __str__(self) -> str:
        return f".//{self.tag}[starts-with(@id, '{self.prefix}')]"


@dataclass(frozen=True)
class ClassPath(ClassChain):
    """A layout field ``.//T1[C1]/T2[C2]/…`` (``//T1[C1]/…`` with ``page``: anywhere in the
    page): one descendant step, then child steps, matched in Python like ``ClassChain``.

    Each step is a tag and its class tokens, split at spaces (``-name``: the class the element
    must not have; none: any element of the tag). The first element the XPath (``str()``) finds
    is the first match of one tag-filtered walk of the last step's tag, checked by a climb:
    an XPath class predicate on every element of a post cost several times more.
    """

    page: bool = False

    def __post_init__(self) -> None:
        # Each step as (tag, class tokens, ``-`` tokens), tokens padded as ``has_class`` pads
        # them; the outer steps nearest first, as a climb meets them.
        plan = [(tag, *_tokens(spec)) for tag, spec in self.steps]
        object.__setattr__(self, "_last", plan[-1])
        object.__setattr__(self, "_outer", tuple(reversed(plan[:-1])))

    def first(self, root: etree._Element, pid: str, ids: object = None) -> etree._Element | None:
        """The first element the path finds below ``root`` (``pid`` and ``ids``, the post's id
        and the page's id index, are not needed: a path starts from no id)."""
        if self._outer and not self.page:
            return self._first_within_outermost(root)
        tag, wanted, unwanted = self._last
        for top in top_elements(root) if self.page else (root,):
            for el in top.iter(tag):
                if (el is not root or self.page) and _classes_match(el, wanted, unwanted) \
                        and self._climbs(el, root):
                    return el
        return None

    def _first_within_outermost(self, root: etree._Element) -> etree._Element | None:
        """``first`` for a path of several steps below ``root``: walk the first step's elements
        (``ul.authi``: one or two in a post) and only inside them the last step's tag (``a``:
        every link of the message too).

        The first of them holding a match holds the first match in document order: a match
        under a later one that is not inside it comes after all of its own.
        """
        tag, wanted, unwanted = self._last
        outer_tag, outer_wanted, outer_unwanted = self._outer[-1]
        for top in root.iter(outer_tag):
            if top is root or not _classes_match(top, outer_wanted, outer_unwanted):
                continue
            for el in top.iter(tag):
                # (``top`` itself is no match of the last step: a match's first step is above it)
                if el is not top and _classes_match(el, wanted, unwanted) and self._climbs(el, root):
                    return el
        return None

    @property
    def below_root(self) -> bool:
        return not self.page

    def _climbs(self, el: etree._Element, root: etree._Element) -> bool:
        """Whether ``el``'s parents, nearest first, match the outer steps, all of them strictly
        below ``root`` unless the path starts from the page."""
        for tag, wanted, unwanted in self._outer:
            el = el.getparent()
            if el is None or (el is root and not self.page) or el.tag != tag \
                    or not _classes_match(el, wanted, unwanted):
                return False
        return True

    def __str__(self) -> str:
        path = "/".join(f"{tag}[{_condition(spec)}]" if spec else tag for tag, spec in self.steps)
        return ("//" if self.page else ".//") + path


def _classes_match(el: etree._Element, wanted: tuple[str, ...], unwanted: tuple[str, ...]) -> bool:
    """Whether ``el`` has the (padded) class tokens ``wanted`` and none of ``unwanted``."""
    if not wanted and not unwanted:
        return True
    classes = f" {el.get('class') or ''} "
    for token in wanted:
        if token not in classes:
            return False
    for token in unwanted:
        if token in classes:
            return False
    return True


@cache
def _tokens(spec: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A step's class tokens and ``-`` tokens, each padded with spaces as ``has_class`` pads them."""
    names = spec.split()
    return (tuple(f" {n} " for n in names if n[0] != "-"), tuple(f" {n[1:]} " for n in names if n[0] == "-"))


def _condition(spec: str) -> str:
    return " and ".join(f"not({cls(n[1:])})" if n[0] == "-" else cls(n) for n in spec.split())


#: A layout field: an XPath (``$pid`` is the post id), or a matcher with ``first``.
Field = str | ClassChain | ClassPath | IdPrefix


def _below(el: etree._Element, root: etree._Element, steps: list[tuple[str, str]]) -> bool:
    """Whether ``el``'s ancestors strictly below ``root`` hold ``steps`` (outermost first) in order:
    the nearest match for each step, climbing, is the right one for descendant-only chains."""
    i = len(steps) - 1
    parent = el.getparent()
    while i >= 0:
        if parent is None or parent is root:
            return False
        tag, name = steps[i]
        if parent.tag == tag and has_class(parent, name):
            i -= 1
        parent = parent.getparent()
    return True


_ID_OF_PID = re.compile(r"id\(concat\('([\w\-.:]+)', \$pid\)\)")


@lru_cache(maxsize=256)
def _id_of_pid(expr: str) -> str | None:
    """``P`` when ``expr`` is exactly ``id(concat('P', $pid))``."""
    m = _ID_OF_PID.fullmatch(expr)
    return m.group(1) if m else None


class PostIds:
    """``id(concat(P, $pid))`` for every post of a page in one XPath call per prefix ``P``.

    ``id('a b c')`` looks up each name in libxml2's id table, as ``id('a')`` does, so each post
    gets the element its own look-up would give; one call instead of one per post and field
    spares the XPath set-up, which costs more than the look-up.
    """

    def __init__(self, root: etree._Element, pids: list[str | None]) -> None:
        self.root = root
        self.pids = dict.fromkeys(p for p in pids if p)  # (ordered, and a set)
        self.by_prefix: dict[str, dict[str, etree._Element] | None] = {}

    def find(self, prefix: str, pid: str) -> list[etree._Element]:
        """What ``id(concat(prefix, pid))`` finds: a list of none or one element."""
        if prefix not in self.by_prefix:
            self.by_prefix[prefix] = self._look_up(prefix)
        found = self.by_prefix[prefix]
        if found is None or pid not in self.pids:  # (not one of the page's posts: asked alone)
            return xpath("id(concat($prefix, $pid))")(self.root, prefix=prefix, pid=pid)
        el = found.get(prefix + pid)
        return [el] if el is not None else []

    def _look_up(self, prefix: str) -> dict[str, etree._Element] | None:
        names = [prefix + p for p in self.pids]
        found = {el.get("id"): el for el in _IDS(self.root, names=" ".join(names))}
        # Each element found carries one of the names (else the posts are looked up one by one).
        return found if found.keys() <= set(names) else None


_IDS = etree.XPath("id($names)")


def _first_of(root: etree._Element, exprs: tuple[Field, ...], pid: str | None = None,
              ids: PostIds | None = None) -> etree._Element | None:
    """The first element the XPaths find, in priority order, preferring one inside ``root``.

    ``$pid`` in an XPath is the post id: ``id(concat('postmessage_', $pid))`` is a hash lookup, far
    cheaper than a subtree scan; but ids repeat when a post is shown twice (a pinned copy), and
    id() answers with the first, so an element outside ``root`` is only a fallback. ``ids``
    answers those look-ups for every post of the page at once.
    """
    fallback = None
    for expr in exprs:
        if not isinstance(expr, str):
            el = expr.first(root, pid or "", ids)
            if el is None:
                continue
            if expr.below_root:  # (no climb to prove it)
                return el
        else:
            prefix = _id_of_pid(expr) if ids is not None and pid else None
            found = ids.find(prefix, pid) if prefix is not None else xpath(expr)(root, pid=pid or "")
            if not found:
                continue
            el = found[0]
        if el is root or any(a is root for a in el.iterancestors()):
            return el
        if fallback is None:
            fallback = el
    return fallback


def author_name(text: str | None) -> str | None:
    """The display name in an author slot: without a guest's IP, the deleted-user mark, or the
    「楼主 |」 label. Anonymous and guest posts keep the label the page shows (「匿名」, 「游客」)."""
    if not text:
        return None
    text = AUTHOR_NOISE.sub("", AUTHOR_LABEL.sub("", text)).strip(" |\u00a0")
    return text or None


def _text_before(el: etree._Element) -> str:
    """Text of ``el``'s parent before ``el`` (names printed as bare text, without icons)."""
    parent = el.getparent()
    if parent is None:
        return ""
    parts = [parent.text or ""]
    for child in parent:
        if child is el:
            break
        if isinstance(child.tag, str):
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return fold(" ".join(parts)).strip()


def _text_without(el: etree._Element, exclude: tuple[str | Callable[[etree._Element], list[etree._Element]], ...],
                  verdicts: dict, reason: str = "title decoration") -> str | None:
    """Text of ``el`` leaving out the parts matched by ``exclude`` (XPaths, or functions of the
    element), labelled as removed."""
    if not exclude:
        return text_of(el) or None
    drop = [d for expr in exclude for d in (xpath(expr)(el) if isinstance(expr, str) else expr(el))]
    if not drop:
        return text_of(el) or None
    for d in drop:
        verdicts[d] = removed(reason)
    copy = deepcopy(el)
    # The copy has the same shape: walk both trees in step to find the parts to drop.
    marked = set(drop)
    doomed = [c for o, c in zip(el.iter(), copy.iter(), strict=True) if o in marked]
    for c in doomed:
        parent = c.getparent()
        if parent is None:
            continue
        tail = c.tail
        prev = c.getprevious()
        parent.remove(c)
        if tail:  # keep the text that followed the removed element
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
    return text_of(copy) or None


def _only_notice(body: etree._Element) -> bool:
    """A body that is nothing but a notice standing in for the content (banned author...)."""
    # (iterdescendants: ElementPath's ``find(".//div")`` is compiled Python, a tag-filtered walk is C)
    if len(body) > 8 or next(body.iterdescendants("div"), None) is not None:
        return False
    return is_short_notice(body, NOTICES)
