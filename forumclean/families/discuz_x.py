"""Discuz! X1.5–X3.5 desktop thread pages (anatomy §4), group threads included."""

from __future__ import annotations

import re

from lxml import etree

from ..page import Page
from ..rules.chrome import cls
from .html import x_desktop_thread_body
from .thread import ClassChain, IdPrefix, ThreadFamily, ThreadLayout

_POSTMESSAGE = re.compile(r"""id=["']?postmessage_\d+["'\s/>]""")
_AUTHORPOSTON = re.compile(r"""id=["']?authorposton\d+["'\s/>]""")

# A link to a member's space page (not its thread/profile tabs): the author's name.
_SPACE_LINK = ("(contains(@href, 'mod=space&uid=') or contains(@href, 'space-uid-') or "
               "contains(@href, 'space-username-')) and not(contains(@href, 'do='))")

_POSTLIST = etree.XPath("id('postlist')")
_POST_NUMBER = re.compile(r"[0-9]*")


def _postlist_containers(root: etree._Element) -> list[etree._Element]:
    """``id('postlist')//div[@id = 'post_' + digits]`` (not inside another) ``|
    id('postlist')//table[starts-with(@id, 'pid') and not(ancestor::div[starts-with(@id,
    'post_')])]``, in document order.

    Walked in Python, never entering a ``div#post_…``: nothing inside one qualifies, and the
    XPath's scan of every post's whole subtree cost more than labelling the posts. A theme's
    wrappers around each post are walked through.
    """
    found = _POSTLIST(root)
    if not found:
        return []
    postlist = found[0]
    # A table qualifies only if no div#post_… holds it, up to the top of the page.
    tables = not any(a.tag == "div" and (a.get("id") or "").startswith("post_")
                     for a in (postlist, *postlist.iterancestors()))
    out = []
    stack = list(reversed(postlist))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        ident = el.get("id") or ""
        if el.tag == "div" and ident.startswith("post_"):
            if _POST_NUMBER.fullmatch(ident, 5):  # (however deep a theme wraps it)
                out.append(el)
            continue
        if tables and el.tag == "table" and ident.startswith("pid"):
            out.append(el)
        if el.tag not in ("table", "script") or tables:
            stack.extend(reversed(el))
    return out


LAYOUT = ThreadLayout(
    # Outermost container per post: div#post_PID, or table#pidPID when a template drops the div.
    # id() is a hash lookup in libxml2's HTML documents; $pid is the post id.
    posts=(_postlist_containers,
           # Themes that rename #postlist: the post containers that hold a body or a post time.
           "//div[starts-with(@id, 'post_') and translate(substring(@id, 6), '0123456789', '') = '']"
           "[.//*[starts-with(@id, 'postmessage_') or starts-with(@id, 'authorposton')]]"
           " | //table[starts-with(@id, 'pid') and translate(substring(@id, 4), '0123456789', '') = '']"
           "[not(ancestor::div[starts-with(@id, 'post_')])][.//*[starts-with(@id, 'postmessage_')]]"),
    body=("id(concat('postmessage_', $pid))", IdPrefix("*", "postmessage_")),
    floor=("id(concat('postnum', $pid))", IdPrefix("a", "postnum"), IdPrefix("strong", "postnum")),
    author=(ClassChain((("div", "authi"), ("a", "xw1")), start_id="favatar"),
            ClassChain((("div", "authi"), ("a", "xw1"))),
            # Author on the right ("author on left" off); with the left column closed an avatar
            # link (no text) comes first.
            f".//div[{cls('authi')}]/a[{cls('xi2')}][normalize-space()]",
            f".//div[{cls('authi')}]//a[contains(@href, 'uid')][normalize-space()]",
            # Anonymous, guest and deleted-user posts: the left column's bare div.pi (anatomy §4.6).
            f"id(concat('favatar', $pid))/div[{cls('pi')}][not(div[{cls('authi')}])]",
            # Themes that rename the classes keep the user column's id: its first link with text
            # to the author's space (not the numbers card's do= links).
            f"id(concat('favatar', $pid))//a[{_SPACE_LINK}][normalize-space()]",
            # ...or not even that: a space link outside the body, comments, ratings and the special
            # thread widgets (debaters, applicants, the reward's best answer).
            f".//a[{_SPACE_LINK}][normalize-space()][not(ancestor::*[starts-with(@id, 'postmessage_') or "
            f"starts-with(@id, 'comment_') or starts-with(@id, 'ratelog_') or {cls('sign')} or "
            f"{cls('pcbs')}])]"),
    author_before_time=True,
    time=("id(concat('authorposton', $pid))", IdPrefix("em", "authorposton")),
    title=("//*[@id='thread_subject']", f"//h1[{cls('ts')}]"),
    forum=("//*[@id='pt']//a[contains(@href, 'forumdisplay') or starts-with(@href, 'forum-')][last()]",),
    counters=f"//*[@id='postlist']/table[1]//td[{cls('pls')}]//span[{cls('xi1')}]",
)


class DiscuzX(ThreadFamily):
    name = "discuz-x"
    layout = LAYOUT

    def signed(self, page: Page) -> bool:
        return x_desktop_thread_body(page)

    def claims(self, page: Page) -> bool:
        if self.signed(page):
            return True
        if "postmessage_" not in page.text or not _POSTMESSAGE.search(page.text):
            return False
        # #postlist, or (themes that rename it) the post time ids of the X post header.
        return page.has_id("postlist") or bool(_AUTHORPOSTON.search(page.text))
