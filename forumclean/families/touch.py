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

from lxml import etree

from ..page import Page
from ..rules.chrome import POST_REGIONS, TOUCH_MESSAGE_REGIONS, TOUCH_PAGE_REGIONS, TOUCH_POST_REGIONS, cls
from .html import has_class
from .prefilter import top_elements
from .thread import ClassPath, ThreadFamily, ThreadLayout

# Touch pages load the mobile style sheet and scripts; desktop pages never do.
_MOBILE_ASSETS = re.compile(r"static/(?:image|js)/mobile/|/touch/|mobile=2|mobile=yes", re.I)
# The same addresses as written (lowercase): a match of it is a match of the pattern.
_MOBILE_ASSETS_AS_WRITTEN = re.compile(_MOBILE_ASSETS.pattern)
_POST_DIV = re.compile(r"""<(?:div|DIV)\s[^>]*class=["']?plc\b""")
_AUTHI_LIST = re.compile(r"""<(?:ul|UL)\s[^>]*class=["']?authi\b""")

_AUTHI = cls("authi")


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
        if not ("plc" in text and page.has_attribute("class", "message")):
            return False
        touch_assets = _has_mobile_assets(page.head)
        # A copy saved without its head (the body's HTML alone): the touch post header, a
        # ul.authi (desktop templates write div.authi).
        if not touch_assets and not ("authi" in text and _AUTHI_LIST.search(text)):
            return False
        # Last, as it scans every <div> of a desktop page (whose posts are td.plc).
        return bool(_POST_DIV.search(text))
