"""The page templates a text dump can show, as data: where each template puts a post's author,
its title and its signature, and what closes a post.

The reader picks one ``TextLayout`` per dump: from page-level evidence first (an archiver's
「查看完整版本」, a print view's 「标题:」), else from the kind of post header it found
(anatomy §11: desktop 「NAME 发表于 T」, touch 「楼主 NAME」 + time, portal 「T | 发布者: NAME」 …).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import KIND_ARTICLE, KIND_THREAD

# Where the title can be read, tried in this order by the reader (``frame.PageFrame``):
#   thread_header  — the counters / 「[复制链接]」 lines of viewthread (anatomy §11.2)
#   print_title    — the print view's 「标题: SUBJECT」
#   heading        — a Markdown 「# SUBJECT」
#   breadcrumb     — the archiver's 「SITE » FORUM » SUBJECT」
#   breadcrumb_echo — a line that repeats the breadcrumb's last crumb
#   before_post    — the line just above the first post (touch, portal)
#   in_first_post  — 6/7 print the subject inside the first post (div#threadtitle)


@dataclass(frozen=True)
class TextLayout:
    """One page template as it shows in a dump."""

    name: str
    kind: str = KIND_THREAD
    #: where a post's author sits when its header line does not name one:
    #: "column" (the author column before the header), "line_before" (alone on the line above).
    author_places: tuple[str, ...] = ("column",)
    #: the line above the header names the author of replies only (the first post's column is
    #: read with the page top), or of every post
    name_before_first: bool = False
    title_sources: tuple[str, ...] = ("thread_header", "print_title", "heading")
    #: the template prints signature boxes under posts (desktop viewthread only)
    signatures: bool = False
    #: a body line equal to the title is the title printed again (archiver, print view)
    title_repeats: bool = False
    #: the portal's tail (「收藏 邀请」, reactions, 「相关阅读」) and 摘要 box close the body
    portal_tail: bool = False
    #: the first post on page 1 is floor 1 even without a floor label (「阅读模式」 in its header)
    floor_one_on_page_one: bool = False
    #: the archiver's 「查看完整版本: SUBJECT」 starts the page's end (and names the subject)
    full_version_footer: bool = False


DESKTOP = TextLayout("desktop", author_places=("column", "line_before"), signatures=True,
                     title_sources=("thread_header", "print_title", "heading", "breadcrumb_echo", "in_first_post"),
                     floor_one_on_page_one=True)
ARCHIVER = TextLayout("archiver", author_places=("column", "line_before"), name_before_first=True,
                      title_sources=("thread_header", "print_title", "heading", "breadcrumb", "in_first_post"),
                      title_repeats=True, floor_one_on_page_one=True, full_version_footer=True)
PRINTABLE = TextLayout("printable", title_repeats=True)
TOUCH = TextLayout("touch", title_sources=("thread_header", "print_title", "heading", "before_post"))
PORTAL = TextLayout("portal", kind=KIND_ARTICLE, portal_tail=True,
                    title_sources=("thread_header", "print_title", "heading", "before_post"))
# Archives of threads (EPUB chapters, reader-mode Markdown, scraper Markdown) keep the posts'
# signatures as text: the repeated-ending test finds them there too.
CHAPTER = TextLayout("chapter", signatures=True)
AVATAR = TextLayout("avatar", signatures=True)
META = TextLayout("meta", signatures=True)
RECORD = TextLayout("record", title_sources=("thread_header", "print_title", "heading", "breadcrumb"))

LAYOUTS: dict[str, TextLayout] = {x.name: x for x in (DESKTOP, ARCHIVER, PRINTABLE, TOUCH, PORTAL, CHAPTER,
                                                      AVATAR, META, RECORD)}


def layout_for(page_level: str | None, head_kinds: set[str]) -> TextLayout:
    """The layout of a dump: page-level evidence first, then the kind of its post headers."""
    for kind in ("portal", "touch"):
        if kind in head_kinds:
            return LAYOUTS[kind]
    if page_level:
        return LAYOUTS[page_level]
    for kind in ("printable", "chapter", "avatar", "meta", "record"):
        if kind in head_kinds:
            return LAYOUTS[kind]
    return DESKTOP
