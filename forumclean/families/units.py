"""Posts found by structure alone: a unit repeated on the page, each with a time and a body.

Where no layout's class names match (a theme that renames them all, a template nobody wrote
rules for), posts are still there as units repeated N times. Two ways to find them:

- Discuz's own post ids: every Discuz view writes ``pidPID`` or ``post_PID`` on the element
  holding one post, whatever the theme calls its classes (``discuz_units``);
- the same subtree shape repeated among siblings, each copy holding a time and text of its own
  (``repeated_units``), for pages with no Discuz ids at all.

Within a unit the time is the first short element outside the body and outside quotes that
reads as a time (its ``title`` first, as Discuz writes relative times); the author the first
link to a member's page, else a labelled 「作者：NAME」, a guest's 「游客」, or the last short link
before the time; the body the message element Discuz names (``postmessage_PID``), else the
largest part of the unit holding neither, by text outside links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ..blocks import kept, removed
from ..dates import is_relative, parse_time
from ..model import Document, Post
from ..rules.strings import AUTHOR_LABEL, FLOOR_LABELS, GUEST_NAMES, NOTICES
from .html import is_short_notice, text_of
from .message import label_body
from .thread import author_name, floor_of

_POST_ID = re.compile(r"^(?:pid|post_)(\d+)$")
_LABEL_ANYWHERE = re.compile(AUTHOR_LABEL.pattern.replace("^", "", 1), re.I)
_FLOOR_NUMBER = re.compile(r"^(?:#\s*\d{1,7}|\d{1,7}\s*#)$")
# Links to a member's page: X space links, 6/7 space.php?uid=, the touch space link.
_MEMBER_LINK = re.compile(r"mod=space&(?:amp;)?uid=|space-uid-|space-username-|space\.php\?(?:uid|username)=|"
                          r"viewpro\.php\?uid=|profile\.php\?uid=|/u/\d+|[?&]uid=\d+", re.I)
_DATE = re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{1,2}[-/]\d{1,2}[-/](?:19|20)\d\d")
#: A time is printed in a short element (「发表于 2024-5-1 10:00」), never in a paragraph.
_TIME_TEXT_MAX = 60
#: An author's name is short.
_NAME_MAX = 40
#: Text a unit's body must hold (outside links) to count as a post.
_MIN_BODY = 2
_SKIP = frozenset({"script", "style", "noscript", "select", "option", "textarea", "button", "form", "input"})


@dataclass
class Unit:
    """One post unit and the parts of it that were found."""

    container: etree._Element
    pid: str | None
    author_el: etree._Element | None
    time_el: etree._Element | None
    body: etree._Element | None


def discuz_units(root: etree._Element) -> list[etree._Element]:
    """The outermost elements carrying a Discuz post id (``pidPID``, ``post_PID``), in page order."""
    found = [el for el in root.iter("div", "table", "li", "article", "section", "dl")
             if _POST_ID.match(el.get("id") or "")]
    members = set(found)
    return [el for el in found if not any(a in members for a in el.iterancestors())]


def repeated_units(root: etree._Element) -> list[etree._Element]:
    """The largest group of sibling subtrees of one shape (tag and class), at least two, each
    holding a date and text outside links: the posts of a template without Discuz ids."""
    best: list[etree._Element] = []
    best_text = 0
    for parent in root.iter():
        if not isinstance(parent.tag, str) or parent.tag in _SKIP or len(parent) < 2:
            continue
        groups: dict[tuple, list[etree._Element]] = {}
        for child in parent:
            if isinstance(child.tag, str) and child.tag not in _SKIP and child.tag not in ("br", "img", "a"):
                groups.setdefault((child.tag, child.get("class") or ""), []).append(child)
        for members in groups.values():
            if len(members) < 2:
                continue
            if not all(_DATE.search(text_of(m)) for m in members):
                continue
            texts = [free_text(m) for m in members]
            if min(texts) >= 10 and sum(texts) > best_text:
                best, best_text = members, sum(texts)
    return best


def read_unit(container: etree._Element) -> Unit:
    m = _POST_ID.match(container.get("id") or "")
    pid = m.group(1) if m else None
    body = None
    for el in container.iter():
        if isinstance(el.tag, str) and (el.get("id") or "").startswith("postmessage_"):
            body = el
            break
    time_el = _time_element(container, body)
    author_el = _author_element(container, body, time_el)
    if body is None:
        body = _largest_part(container, {e for e in (time_el, author_el) if e is not None})
    return Unit(container, pid, author_el, time_el, body)


def label_units(units: list[Unit], doc: Document, verdicts: dict, base: str | None,
                full: bool, message_regions: list[tuple[str, str]] | None = None) -> list[etree._Element]:
    """Posts of ``units`` into ``doc`` and ``verdicts``; the bodies (roots to walk) returned.
    ``message_regions``: regions inside a body to remove besides the message rules."""
    roots = []
    for unit in units:
        index = len(doc.posts)
        post = Post(id=unit.pid)
        if full:
            verdicts[unit.container] = removed("post chrome", index)
        if unit.author_el is not None:
            post.author = author_name(text_of(unit.author_el))
            verdicts[unit.author_el] = kept("author", index)
        if unit.time_el is not None:
            post.published = _time_of(unit.time_el, doc.timezone, doc.rendered_at)
            verdicts[unit.time_el] = kept("published", index)
        floor_el = _floor_element(unit.container, unit.body)
        if floor_el is not None:
            post.floor = floor_of(text_of(floor_el))[0]
            verdicts[floor_el] = kept("floor", index)
        doc.posts.append(post)
        if unit.body is not None and label_body(unit.body, post, index, verdicts, doc, base, message_regions,
                                                _only_notice):
            roots.append(unit.body)
    return roots


def readable_units(containers: list[etree._Element], min_body: int = _MIN_BODY) -> list[Unit]:
    """The units that read as posts: a time or an author, and a body with ``min_body``
    characters outside links (Discuz's own post ids may hold a post whose body a notice
    replaced: ``min_body=0``). None unless some unit has a body with text."""
    units = [read_unit(c) for c in containers]
    units = [u for u in units if (u.time_el is not None or u.author_el is not None)
             and (free_text(u.body) if u.body is not None else 0) >= min_body]
    return units if any(u.body is not None and free_text(u.body) >= _MIN_BODY for u in units) else []


# -- inside a unit -------------------------------------------------------------------------------

def _inside(el: etree._Element, container: etree._Element | None) -> bool:
    return container is not None and (el is container or any(a is container for a in el.iterancestors()))


def _time_element(container: etree._Element, body: etree._Element | None) -> etree._Element | None:
    """The post's time: the first short element reading as a time, outside the body and
    outside quotes (a quote's 「NAME 发表于 TIME」 header); else the first relative one (「2 小时前」)."""
    relative = None
    for el in container.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP or _inside(el, body) \
                or any(a.tag == "blockquote" for a in el.iterancestors()):
            continue
        title = el.get("title")
        if title and _DATE.search(title) and parse_time(title, None):
            parent = el.getparent()  # 「发表于 <span title=TIME>3 天前</span>」: the whole phrase
            short = parent is not None and parent is not container and len(text_of(parent)) <= _TIME_TEXT_MAX
            return parent if short else el
        text = text_of(el)
        if text and len(text) <= _TIME_TEXT_MAX and _DATE.search(text) and parse_time(text, None):
            # The innermost element holding the time: its children hold less than the whole.
            inner = next((c for c in el if isinstance(c.tag, str) and _DATE.search(text_of(c))), None)
            if inner is None:
                return el
        elif relative is None and text and len(text) <= _TIME_TEXT_MAX and is_relative(text) \
                and not any(isinstance(c.tag, str) and is_relative(text_of(c)) for c in el):
            relative = el
    return relative


def _author_element(container: etree._Element, body: etree._Element | None,
                    time_el: etree._Element | None) -> etree._Element | None:
    """The first link to a member's page; else an element labelled as the author (「作者：NAME」,
    the language pack's words); else the last short link before the time (a template whose
    member pages have addresses of their own)."""
    before_time = labelled = None
    whole = text_of(container)
    may_be_labelled = bool(_LABEL_ANYWHERE.search(whole))  # (one search spares a test per element)
    for el in container.iter():
        if el is time_el:
            break
        if not isinstance(el.tag, str) or _inside(el, body):
            continue
        if not may_be_labelled and el.tag != "a":
            continue
        name = text_of(el)
        if may_be_labelled and name and AUTHOR_LABEL.match(name) and len(name) <= _NAME_MAX \
                and (labelled is None or _inside(el, labelled)):
            labelled = el  # 「作者：NAME」, the innermost element holding it
        if el.tag != "a":
            continue
        if name and len(name) <= _NAME_MAX:
            if _MEMBER_LINK.search(el.get("href") or ""):
                return el
            before_time = el
    if labelled is not None:
        return labelled
    guest = _guest_element(container, body) if any(g in whole for g in GUEST_NAMES) else None
    if guest is not None:
        return guest
    for a in container.iter("a"):
        name = text_of(a)
        if name and len(name) <= _NAME_MAX and _MEMBER_LINK.search(a.get("href") or "") \
                and not _inside(a, body) and not _inside(a, time_el):
            return a
    return before_time if time_el is not None else None


def _guest_element(container: etree._Element, body: etree._Element | None) -> etree._Element | None:
    """The innermost element outside the body naming a post without a member (「游客 1.2.3.*」,
    「匿名」)."""
    found = None
    for el in container.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP or _inside(el, body):
            continue
        name = author_name(text_of(el))
        if name in GUEST_NAMES and (found is None or _inside(el, found)):
            found = el
    return found


def _largest_part(container: etree._Element, header: set) -> etree._Element | None:
    """The part of ``container`` holding none of ``header`` (author, time) whose text outside
    links is the longest: among the largest such parts (each child of an element that holds
    part of the header)."""
    best, best_text = None, 0
    stack = [container]
    while stack:
        el = stack.pop()
        for child in el:
            if not isinstance(child.tag, str) or child.tag in _SKIP:
                continue
            if any(_inside(h, child) for h in header):
                stack.append(child)
                continue
            n = free_text(child)
            if n > best_text:
                best, best_text = child, n
    return best


def free_text(el: etree._Element) -> int:
    """Characters of text outside links (white space not counted)."""
    links = sum(_length(text_of(a)) for a in el.iter("a"))
    return _length(text_of(el)) - links


def _length(text: str) -> int:
    return len(text) - text.count(" ")


def _only_notice(body: etree._Element) -> bool:
    """A body that is only a notice standing in for the post (banned author, hidden content)."""
    return is_short_notice(body, NOTICES)


def _floor_element(container: etree._Element, body: etree._Element | None) -> etree._Element | None:
    """Discuz's floor link, ``postnumPID``; else a short element outside the body reading as a
    floor: the language pack's names (「楼主」, 「沙发」...) or 「5#」 / 「#5」."""
    fallback = None
    for el in container.iter("a", "strong", "em", "span", "b", "i"):
        if (el.get("id") or "").startswith("postnum"):
            return el
        if fallback is None and not _inside(el, body):
            text = text_of(el)
            if text in FLOOR_LABELS or _FLOOR_NUMBER.match(text):
                fallback = el
    return fallback




def _time_of(el: etree._Element, offset: str | None, anchor: str | None) -> str | None:
    for node in el.iter():
        title = node.get("title") if isinstance(node.tag, str) else None
        if title:
            t = parse_time(title, offset)
            if t:
                return t
    text = text_of(el)
    if is_relative(text):
        return parse_time(text, offset, anchor) if anchor else None
    return parse_time(text, offset)
