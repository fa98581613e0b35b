"""Plain-text dumps of whole Discuz pages (anatomy §11): one verdict for every line.

A dump keeps the page's reading order and loses its structure, so the reader reads the structure
back from the text Discuz prints: the thread header (「查看: N|回复: N」, the subject, 「[复制链接]」),
each post's header (「[NAME] 发表于 TIME | 只看该作者 …」, floor labels before it), the author
column before or beside it, the action bar after it (「回复 / 使用道具 举报」) and the end-of-page
block (「本版积分规则」, 「GMT+8, …」, 「Powered by Discuz!」). The same landmarks cover desktop,
7.x, touch, archiver, printable and portal pages, whichever tool flattened them (crawler lines,
Markdown converters, w3m/lynx/inscriptis screens, ``innerText``).

The stages, one module each: ``prep`` (lines → units), ``facts`` (page facts, footer), ``heads`` and
``archives`` (post headers), ``frame`` (page top, title), ``posts`` (headers → posts, author places), ``body`` (a post's lines, by the
rule table in ``linerules``), ``signatures``; ``layout`` holds the templates as data.
Every line becomes one ``Block`` (markup and table columns split a line into several); the
shared text rules then handle source lines, disclaimers, smiley codes and glued jammer runs.
"""

from __future__ import annotations

from ..blocks import Block
from ..model import KIND_NONE
from .body import PostLines
from .facts import PageFacts
from .frame import PageFrame
from .heads import HeadFinder
from .posts import PostReader
from .prep import Piece
from .signatures import Signatures
from .state import removed

MARKUP = removed("markup")


class TextReader(HeadFinder, PageFacts, PageFrame, PostReader, PostLines, Signatures):
    """One pass over a dump: page facts, post headers, the page top and end, then each post."""

    def run(self) -> None:
        self.page_facts()
        self.find_heads()
        self.find_footer()
        self.label_footer()
        if self.heads:
            self.label_top()
            self.label_posts()
            self.fallback_title_if_none()
            self.signatures()
            self.drop_repeated_posts()
        else:
            self.no_heads()
        self.finish()

    # -- output -------------------------------------------------------------------------------------
    def finish(self) -> None:
        doc = self.doc
        if doc.title:
            doc.title = doc.title.strip()
        if not doc.posts:
            doc.kind = KIND_NONE
        chrome, v = removed("page chrome"), self.v
        for i in range(len(v)):
            if v[i] is None:
                v[i] = chrome

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        for unit, v in zip(self.units, self.v, strict=True):
            verdict = v or removed("page chrome")
            pieces = unit.pieces
            if len(pieces) == 1 and not pieces[0].markup:  # (most lines: one piece of text)
                out.append(Block(pieces[0].text, verdict, unit.first))
                continue
            pieces = pieces or [Piece("")]
            first = unit.first
            for p in pieces:
                if p.markup:
                    out.append(Block(p.text, MARKUP if verdict.keep else verdict, first))
                else:
                    out.append(Block(p.text, verdict, first))
                first = False
        return out
