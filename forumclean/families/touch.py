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

from ..page import Page
from ..rules.chrome import POST_REGIONS, TOUCH_MESSAGE_REGIONS, TOUCH_PAGE_REGIONS, TOUCH_POST_REGIONS, cls
from .thread import ThreadFamily, ThreadLayout

# Touch pages load the mobile style sheet and scripts; desktop pages never do.
_MOBILE_ASSETS = re.compile(r"static/(?:image|js)/mobile/|/touch/|mobile=2|mobile=yes", re.I)
_POST_DIV = re.compile(r"""<(?:div|DIV)\s[^>]*class=["']?plc\b""")
_AUTHI_LIST = re.compile(r"""<(?:ul|UL)\s[^>]*class=["']?authi\b""")

_AUTHI = cls("authi")
_GREY_HEAD = f"{cls('grey')} and not({cls('rela')})"  # X3.0–X3.4 floor + author row

LAYOUT = ThreadLayout(
    # X3.4+ give each post div.plc#pidPID; X3.0 leaves the id off inside div.postlist.
    posts=(f"//div[{cls('plc')} and starts-with(@id, 'pid') and "
           "translate(substring(@id, 4), '0123456789', '') = '']"
           f" | //div[{cls('postlist')}]/div[{cls('plc')} and not(@id)]"),
    # Special threads (poll, reward, debate, activity) print the message in div#postmessage_PID
    # inside div.message, beside the widget; other posts print it in div.message itself.
    body=("id(concat('postmessage_', $pid))", f".//div[{cls('message')}]"),
    floor=(f".//ul[{_AUTHI}]/li[{cls('mtit')}]/span[{cls('y')}]",
           f".//ul[{_AUTHI}]/li[{_GREY_HEAD}]/em"),
    author=(f".//ul[{_AUTHI}]/li[{cls('mtit')}]/span[{cls('z')}]/a",
            f".//ul[{_AUTHI}]/li[{_GREY_HEAD}]/b/a",
            f".//ul[{_AUTHI}]/li[{cls('mtit')}]/span[{cls('z')}]",
            f".//ul[{_AUTHI}]/li[{_GREY_HEAD}]/b"),
    time=(f".//ul[{_AUTHI}]/li[{cls('mtime')}]",
          f".//ul[{_AUTHI}]/li[{cls('grey')} and {cls('rela')}]"),
    title=(f"//div[{cls('viewthread')}]/div[{cls('view_tit')}]",
           f"//div[{cls('view_tit')}]",
           f"//div[{cls('postlist')}]/h2"),
    # Type prefix (X3.5 em), status span, and the X3.4 「只看楼主」 link are not the subject.
    title_exclude=("./em", "./span", "./a"),
    forum=(f"//div[{cls('header')}]/h2/a", f"//header[{cls('header')}]//span[{cls('name')}]"),
    counters=f"(//ul[{_AUTHI}]/li[{cls('mtime')}])[1]/span[{cls('y')}]/em",
    # The reply bar, the order links, the X3.4 「只看楼主」 link all carry tid=.
    thread_links=(f"//div[{cls('foot_reply')}]//a/@href | //div[{cls('txtlist')}]//a/@href | "
                  f"//div[{cls('postlist')}]/h2/a/@href | //form[@id='fastpostform']/@action"),
    post_regions=list(POST_REGIONS) + TOUCH_POST_REGIONS,
    message_regions=TOUCH_MESSAGE_REGIONS,
    page_regions=TOUCH_PAGE_REGIONS,
)


class DiscuzTouch(ThreadFamily):
    name = "discuz-touch"
    layout = LAYOUT

    def claims(self, page: Page) -> bool:
        # Substring tests first: the regexes only run where they can match, the slow
        # case-insensitive one last.
        text = page.text
        if not ("plc" in text and page.has_attribute("class", "message")):
            return False
        head = page.head.lower()
        touch_assets = ("mobile" in head or "/touch/" in head) and _MOBILE_ASSETS.search(page.head)
        # A copy saved without its head (the body's HTML alone): the touch post header, a
        # ul.authi (desktop templates write div.authi).
        if not touch_assets and not ("authi" in text and _AUTHI_LIST.search(text)):
            return False
        # Last, as it scans every <div> of a desktop page (whose posts are td.plc).
        return bool(_POST_DIV.search(text))
