"""Discuz! 6.x and 7.x thread pages (anatomy §1 version landmarks, §6).

7.x: ``div#postlist > div#post_PID > table#pidPID``, body ``td.t_msgfont#postmessage_PID``,
floor ``a#postnumPID``, time ``em#authorpostonPID``, title ``div#threadtitle h1`` inside the
first post. 6.x: one ``div.mainbox.viewthread > table#pidPID`` per post, body
``div#postmessage_PID.t_msgfont``, floor ``strong#postnum_PID``, bare 「发表于 …」 time in
``div.postinfo``, title ``h1`` above the first post.
"""

from __future__ import annotations

import html
import re

from lxml import etree

from ..model import Document
from ..page import Page
from ..rules.chrome import POST_REGIONS, cls
from .html import first, thread_id
from .thread import ClassPath, IdPrefix, ThreadFamily, ThreadLayout

# The body cell's class and id, in either order: the landmark of both 6.x and 7.x.
_MSGFONT = re.compile(r"""class=["']?t_msgfont["'\s/>][^>]*\bid=["']?postmessage_\d+|"""
                      r"""id=["']?postmessage_\d+["'\s/>][^>]*\bclass=["']?t_msgfont["'\s/>]""")
# X desktop bodies are td.t_f; a page holding them is not 6/7 even if a post quotes old markup.
_X_BODY = re.compile(r"""class=["']?t_f["'\s/>][^>]*\bid=["']?postmessage_\d+|"""
                     r"""id=["']?postmessage_\d+["'\s/>][^>]*\bclass=["']?t_f["'\s/>]""")
# The floor link's 「复制本帖链接」 handler names the thread address on the first post.
_SET_COPY = re.compile(r"""setCopy\(\s*'([^']+)'""", re.I)
_FROMUID = re.compile(r"&(?:amp;)?fromuid=\d+")
_NAV_SEPARATOR = re.compile(r"^\s*(?:»|›|&raquo;|>)\s*")

_POSTAUTHOR = cls("postauthor")

_DIGITS = re.compile(r"[0-9]*")


def _post_containers(root: etree._Element) -> list[etree._Element]:
    """``//div[@id='postlist']//div[starts-with(@id, 'post_') and translate(substring(@id, 6),
    '0123456789', '') = ''][not(ancestor::div[starts-with(@id, 'post_')])] | //table[starts-with(@id,
    'pid') and translate(substring(@id, 4), '0123456789', '') = '' and not(ancestor::div[starts-with(@id,
    'post_')])]``, in document order: one tag-filtered walk of the page's divs and tables and a climb
    from the few whose id qualifies (the XPath's union and ancestor tests cost more than labelling
    the posts)."""
    found = []
    for top in (root, *root.itersiblings()):  # ``//`` reaches a second <html> after the first
        for el in top.iter("div", "table"):
            ident = el.get("id")
            if not ident:
                continue
            if el.tag == "div":
                if not (ident.startswith("post_") and _DIGITS.fullmatch(ident, 5)):
                    continue
            elif not (ident.startswith("pid") and _DIGITS.fullmatch(ident, 3)):
                continue
            in_postlist = False
            for above in el.iterancestors("div"):
                above_id = above.get("id") or ""
                if above_id.startswith("post_"):
                    break
                in_postlist = in_postlist or above_id == "postlist"
            else:
                if el.tag == "table" or in_postlist:
                    found.append(el)
    return found


LAYOUT = ThreadLayout(
    # div#post_PID in #postlist, however deep a theme wraps it; else the outermost table#pidPID.
    posts=(_post_containers,
           # Themes that rename #postlist: the outermost div#post_PID holding a body.
           "//div[starts-with(@id, 'post_') and translate(substring(@id, 6), '0123456789', '') = '']"
           "[not(ancestor::div[starts-with(@id, 'post_')])]"),
    body=("id(concat('postmessage_', $pid))", IdPrefix("*", "postmessage_")),
    floor=(IdPrefix("a", "postnum"), IdPrefix("strong", "postnum")),
    author=(f".//td[{_POSTAUTHOR}]//cite/a",                                   # 6.x
            ClassPath((("td", "postauthor"), ("div", "postinfo"), ("a", ""))),  # 7.x, author on the left
            ClassPath((("div", "authorinfo"), ("a", "posterlink"))),           # 7.x default
            f".//td[{_POSTAUTHOR}]//cite",                                      # 6.x guest / anonymous
            ClassPath((("td", "postauthor"), ("div", "avatar"))),               # 7.x guest / deleted user
            # Themes that rename the classes: the first link with text to the member's page,
            # outside the body and the hidden user card.
            ".//a[contains(@href, 'space.php?uid=') or contains(@href, 'space.php?username=')]"
            "[normalize-space()][not(ancestor::*[starts-with(@id, 'postmessage_') or "
            "starts-with(@id, 'userinfo')])]"),
    time=(IdPrefix("em", "authorposton"),
          f".//td[{cls('postcontent')}]/div[{cls('postinfo')}]",
          # ...or by the language pack's poston 「发表于」 (templates.lang.php), outside the body.
          ".//*[text()[starts-with(normalize-space(), '发表于') or starts-with(normalize-space(), '發表於')]]"
          "[not(ancestor::*[starts-with(@id, 'postmessage_')])]"),
    title=("//div[@id='threadtitle']/h1",
           f"(//div[{cls('mainbox')} and {cls('viewthread')}]/h1)[1]"),
    title_exclude=("./a", "./span", "./em"),
    forum=("//div[@id='nav']/a[contains(@href, 'forumdisplay')][last()]",),
    post_regions=list(POST_REGIONS) + [
        (f".//div[{cls('postinfo')}] | .//div[{cls('posterinfo')}]", "post header"),
        (f".//div[{cls('postmessage')}]/h2", "reply subject"),
        (f".//div[{cls('threadtags')}] | .//span[{cls('postkeywords')}]", "tags"),
        (f".//div[{cls('notice')}]", "notice"),
    ],
    page_regions=[
        (f"//div[{cls('forumcontrol')}] | //div[{cls('pages_btns')}] | //div[{cls('pages')}]", "pager"),
        ("//*[@id='ad_text' or @id='ad_headerbanner' or @id='ad_interthread' or @id='ad_footerbanner1']",
         "ad"),
        ("//*[@id='quickpost' or @id='f_post']", "reply form"),
        (f"//span[{cls('headactions')}]", "thread tools"),
        (f"//ul[{cls('popupmenu_popup')}] | //div[{cls('popupmenu_popup')}]", "popup"),
    ],
)


def _page_facts(page: Page, doc: Document) -> None:
    """Facts 6/7 state differently from X: the thread address and the title in the breadcrumb."""
    if not doc.url:
        doc.url = _thread_url(page)
        doc.thread_id = doc.thread_id or thread_id(page, doc.url)
    # 「SITE » FORUM » SUBJECT」: the subject is the text after the last link (the title on pages
    # without #threadtitle, i.e. page 2 on).
    last_link = first(page.root, "//div[@id='nav']/a[last()]")
    if last_link is not None and last_link.tail:
        subject = _NAV_SEPARATOR.sub("", last_link.tail, count=1).strip()
        if subject:
            doc.title = subject


def _thread_url(page: Page) -> str | None:
    for m in _SET_COPY.finditer(page.text):
        url = html.unescape(_FROMUID.sub("", m.group(1))).split("#", 1)[0]
        if url.startswith("http") and "goto=" not in url and ("viewthread.php?" in url or "thread-" in url):
            return url
    return None


LAYOUT.extra = _page_facts


class Discuz7(ThreadFamily):
    name = "discuz-7"
    layout = LAYOUT

    def claims(self, page: Page) -> bool:
        text = page.text
        # Plain substring tests first: the regexes are only run where they can match. Every
        # landmark names a post body id, and without the 6/7 body class or body id only the X
        # test is left, which can only say no.
        if "postmessage_" not in text or ("t_msgfont" not in text and page.body_id != "viewthread"):
            return False
        if "t_f" in text and _X_BODY.search(text):
            return False
        if "t_msgfont" in text and _MSGFONT.search(text):
            return True
        # body#viewthread also marks 7.x message pages (thread not found): they need posts.
        return page.body_id == "viewthread" and page.contains("postmessage_")
