"""Discuz! X2.5–X3.4 simple mobile (「简易版」, ``mobile=1``) thread pages (anatomy §7).

``div.vt > div.bm``: title ``a#thread_subject`` in ``div.bm_h``, counters ``div.bm_inf``
「查看N|回复N」. Each post is ``div#post_PID.bm_c`` holding only the user row
``div.bm_user#pidPID`` (floor, author, ``em#authorpostonPID`` time); the body
``div#postmessage_PID`` sits in the *next* sibling, inside ``div.pbody > div.mes``, so the
layout finds it by PID. X3.5 maps ``mobile=1`` to the touch template (``touch.py``).
"""

from __future__ import annotations

import re

from lxml import etree

from ..model import Document
from ..page import Page
from ..rules.chrome import MOBILE_PAGE_REGIONS, MOBILE_POST_REGIONS, POST_REGIONS, cls
from ..rules.strings import FLOOR_LABELS
from .html import has_class, text_of
from .prefilter import top_elements
from .thread import ClassPath, ThreadFamily, ThreadLayout

_USER_ROW = re.compile(r"""class=["']?bm_user["'\s/>]""")
_POST_BOX = re.compile(r"""id=["']?post_\d+["'\s/>][^>]*class=["']?bm_c\b|class=["']?bm_c\b[^>]*id=["']?post_\d+""")
_INTS = re.compile(r"\d+")

_USER = f".//div[{cls('bm_user')}]"
# A floor label (楼主, 沙发 …) is bare text at the start of the user row; numbers are <em>N</em>#.
_LABEL_FIRST = " or ".join(f"starts-with(normalize-space(text()[1]), '{label}')" for label in FLOOR_LABELS)

def _posts(root: etree._Element) -> list[etree._Element]:
    """``//div[cls('bm_c') and starts-with(@id, 'post_') and translate(substring(@id, 6),
    '0123456789', '') = '']`` (``div#post_PID.bm_c``), by one tag-filtered walk of the page's divs."""
    return [div for top in top_elements(root) for div in top.iter("div")
            if has_class(div, "bm_c") and (div.get("id") or "").startswith("post_")
            and not div.get("id")[5:].strip("0123456789")]


LAYOUT = ThreadLayout(
    posts=(_posts,),
    body="id(concat('postmessage_', $pid))",
    floor=(f"{_USER}/em[not(@id)][1]", f"{_USER}[{_LABEL_FIRST}]"),
    author=(f"{_USER}/a[contains(@href, 'mod=space&uid=') or contains(@href, 'space-uid-')]",),
    # The author is a link: the default exclusions (marks in a div or cite) never apply.
    author_exclude=(),
    time=(f"{_USER}/em[starts-with(@id, 'authorposton')]",),
    title=("//*[@id='thread_subject']",),
    thread_links="//*[@id='thread_subject']/@href",
    forum=(f"//div[{cls('box')}]/a[contains(@href, 'forumdisplay') or starts-with(@href, 'forum-')][last()]",),
    post_regions=list(POST_REGIONS) + MOBILE_POST_REGIONS,
    page_regions=MOBILE_PAGE_REGIONS,
)


def _counters(page: Page, doc: Document) -> None:
    """「查看12|回复3」 is one line of text in ``div.bm_inf``."""
    inf = _INF.first(page.root, "")
    nums = [int(n) for n in _INTS.findall(text_of(inf))] if inf is not None else []
    if len(nums) >= 2:
        doc.views, doc.replies = nums[0], nums[1]


_INF = ClassPath((("div", "bm_inf"), ("font", "")), page=True)  # //div[cls('bm_inf')]/font
LAYOUT.extra = _counters


class DiscuzMobile1(ThreadFamily):
    name = "discuz-mobile1"
    layout = LAYOUT

    def claims(self, page: Page) -> bool:
        # A substring test first: the regexes only run where they can match.
        return bool("bm_user" in page.text and _USER_ROW.search(page.text) and _POST_BOX.search(page.text)
                    and page.contains("postmessage_"))
