"""Discuz! X3.x touch (smartphone, ``mobile=2``) thread pages (anatomy §7).

X3.5: posts ``div.plc#pidPID``, floor ``li.mtit span.y``, author ``li.mtit span.z``, time the
text of ``li.mtime`` (views/replies in its ``span.y`` on the first post), body ``div.message``,
title ``div.view_tit``. X3.0–X3.4: title ``div.postlist > h2`` (followed by a 「只看楼主」 link),
``ul.authi > li.grey``: ``em`` floor, ``b > a`` author, ``li.grey.rela`` ends with the time.

Touch pages carry no GMT footer and no ``title`` on relative times, so times stay naive and a
relative time gives ``published: null``. X3.5 serves ``mobile=1`` with this same template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lxml import etree

from ..page import Page
from ..rules.chrome import POST_REGIONS, TOUCH_MESSAGE_REGIONS, TOUCH_PAGE_REGIONS, TOUCH_POST_REGIONS, cls
from .html import has_class, x_desktop_thread_body
from .prefilter import top_elements
from .thread import ClassChain, ThreadFamily, ThreadLayout

# Touch pages load the mobile style sheet and scripts; desktop pages never do.
_MOBILE_ASSETS = re.compile(r"static/(?:image|js)/mobile/|/touch/|mobile=2|mobile=yes", re.I)
# The same addresses as written (lowercase): a match of it is a match of the pattern.
_MOBILE_ASSETS_AS_WRITTEN = re.compile(_MOBILE_ASSETS.pattern)
_POST_DIV = re.compile(r"""<(?:div|DIV)\s[^>]*class=["']?plc\b""")
_AUTHI_LIST = re.compile(r"""<(?:ul|UL)\s[^>]*class=["']?authi\b""")

_AUTHI = cls("authi")


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
        tag, wanted, unwanted = self._last
        for top in top_elements(root) if self.page else (root,):
            for el in top.iter(tag):
                if (el is not root or self.page) and _classes_match(el, wanted, unwanted) \
                        and self._climbs(el, root):
                    return el
        return None

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


def _posts(root: etree._Element) -> list[etree._Element]:
    """``//div[cls('plc') and starts-with(@id, 'pid') and translate(substring(@id, 4),
    '0123456789', '') = ''] | //div[cls('postlist')]/div[cls('plc') and not(@id)]``, by one
    tag-filtered walk of the page's ``div``s."""
    out = []
    for top in top_elements(root):
        for div in top.iter("div"):
            if not has_class(div, "plc"):
                continue
            ident = div.get("id")
            if ident is None:
                parent = div.getparent()
                if parent is not None and parent.tag == "div" and has_class(parent, "postlist"):
                    out.append(div)
            elif ident.startswith("pid") and not ident[3:].strip("0123456789"):
                out.append(div)
    return out


LAYOUT = ThreadLayout(
    # X3.4+ give each post div.plc#pidPID; X3.0 leaves the id off inside div.postlist.
    posts=(_posts,),
    # Special threads (poll, reward, debate, activity) print the message in div#postmessage_PID
    # inside div.message, beside the widget; other posts print it in div.message itself.
    body=("id(concat('postmessage_', $pid))", ClassPath((("div", "message"),))),
    # X3.5 li.mtit; X3.0–X3.4 li.grey (not .rela) holds the floor and author.
    floor=(ClassPath((("ul", "authi"), ("li", "mtit"), ("span", "y"))),
           ClassPath((("ul", "authi"), ("li", "grey -rela"), ("em", "")))),
    author=(ClassPath((("ul", "authi"), ("li", "mtit"), ("span", "z"), ("a", ""))),
            ClassPath((("ul", "authi"), ("li", "grey -rela"), ("b", ""), ("a", ""))),
            ClassPath((("ul", "authi"), ("li", "mtit"), ("span", "z"))),
            ClassPath((("ul", "authi"), ("li", "grey -rela"), ("b", "")))),
    # The author paths end at a, span or b: the default exclusions (IP and deleted-user marks
    # in a div or cite) never apply.
    author_exclude=(),
    time=(ClassPath((("ul", "authi"), ("li", "mtime"))),
          ClassPath((("ul", "authi"), ("li", "grey rela")))),
    title=(ClassPath((("div", "viewthread"), ("div", "view_tit")), page=True),
           ClassPath((("div", "view_tit"),), page=True),
           ClassPath((("div", "postlist"), ("h2", "")), page=True)),
    # Type prefix (X3.5 em), status span, and the X3.4 「只看楼主」 link are not the subject.
    title_exclude=("./em", "./span", "./a"),
    forum=(ClassPath((("div", "header"), ("h2", ""), ("a", "")), page=True),
           f"//header[{cls('header')}]//span[{cls('name')}]"),
    counters=f"(//ul[{_AUTHI}]/li[{cls('mtime')}])[1]/span[{cls('y')}]/em",
    # The reply bar, the order links, the X3.4 「只看楼主」 link all carry tid=.
    thread_links=(f"//div[{cls('foot_reply')}]//a/@href | //div[{cls('txtlist')}]//a/@href | "
                  f"//div[{cls('postlist')}]/h2/a/@href | //form[@id='fastpostform']/@action"),
    post_regions=list(POST_REGIONS) + TOUCH_POST_REGIONS,
    message_regions=TOUCH_MESSAGE_REGIONS,
    page_regions=TOUCH_PAGE_REGIONS,
)


def _has_mobile_assets(head: str) -> bool:
    """Whether ``_MOBILE_ASSETS`` matches in ``head``: its lowercase form first, as the templates
    write the addresses (one quick search); else the words it needs, then the slow
    case-insensitive pattern."""
    if _MOBILE_ASSETS_AS_WRITTEN.search(head):
        return True
    low = head.lower()
    return ("mobile" in low or "/touch/" in low) and bool(_MOBILE_ASSETS.search(head))


class DiscuzTouch(ThreadFamily):
    name = "discuz-touch"
    layout = LAYOUT

    def claims(self, page: Page) -> bool:
        # Substring tests first: the regexes only run where they can match, the slow
        # case-insensitive one last.
        text = page.text
        if x_desktop_thread_body(page) or not ("plc" in text and page.has_attribute("class", "message")):
            return False
        touch_assets = _has_mobile_assets(page.head)
        # A copy saved without its head (the body's HTML alone): the touch post header, a
        # ul.authi (desktop templates write div.authi).
        if not touch_assets and not ("authi" in text and _AUTHI_LIST.search(text)):
            return False
        # Last, as it scans every <div> of a desktop page (whose posts are td.plc).
        return bool(_POST_DIV.search(text))
