"""Pages whose posts are not wrapped in an element: the archiver and the print view.

There a post is a run of siblings, from a marker (the archiver's ``p.author``, the print view's
``<hr noshade>``) up to the next one. Labelling the run's elements and the tails between them
(``blocks.tail``) gives each piece of its text a verdict; the shared walker does the rest.

Such pages also print as plain text what the desktop page marks up (anatomy §8, §9): edit notes,
quote headers and quoted lines, bare image addresses, raw BBCode (5.x–7.x archivers), attachment
lines (6/7 print view). ``tidy`` finds those on the walked lines and relabels them, so ``diff``
shows why they went.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass

from lxml import etree

from ..blocks import Block, Verdict, is_hidden, kept, lines, relabel, removed, tail
from ..dates import parse_time
from ..model import Edit, Image, Post, Quote
from ..rules.strings import (
    ATTACHMENT_LINE,
    BBCODE_ATTACH,
    BBCODE_IMAGE,
    BBCODE_QUOTE_CLOSE,
    BBCODE_QUOTE_OPEN,
    BBCODE_TAG,
    EDIT_NOTES,
    IMAGE_URL,
    NOTICES,
    QUOTE_HEADER,
    SOURCE_LINE,
)
from ..textrules import clean_url
from .message import _BARE_TAGS as MESSAGE_BARE_TAGS
from .message import label_attachments, message_labels

_BBCODE = re.compile("|".join(f"(?P<{name}>{p.pattern})" for name, p in (
    ("quote", BBCODE_QUOTE_OPEN), ("img", BBCODE_IMAGE), ("attach", BBCODE_ATTACH), ("tag", BBCODE_TAG))),
    re.I)
# X2-era quote headers end with the 「back.gif」 link, printed as its address by the archiver.
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…+)\s*$")
_SPACE = re.compile(r"\s+")
# Any of the notices, in one search (a line is tested against all of them).
_NOTICE = re.compile("|".join(map(re.escape, NOTICES)))
_URL_TAG = re.compile(r"\[url=['\"]?([^\]'\"\s]+)['\"]?\]", re.I)
#: How many plain-text lines a quote keeps (Discuz cuts a quoted post to 3 lines, 100 characters).
_QUOTE_LINES = 3


# -- runs of siblings ------------------------------------------------------------------------

def run_after(marker: etree._Element, stop: Callable[[etree._Element], bool]) -> list[etree._Element]:
    """The siblings following ``marker`` up to (not including) the first one ``stop`` accepts."""
    out = []
    el = marker.getnext()
    while el is not None and not stop(el):
        out.append(el)
        el = el.getnext()
    return out


def label_run(marker: etree._Element | None, run: list[etree._Element], verdicts: dict,
              verdict: Verdict) -> None:
    """Give ``verdict`` to the text after ``marker``, to each element of ``run`` and to the text
    between them. Elements hidden by inline CSS stay unlabelled (the walker hides them)."""
    if marker is not None:
        verdicts[tail(marker)] = verdict
    for el in run:
        if not is_hidden(el):
            verdicts[el] = verdict
        verdicts[tail(el)] = verdict


def label_message_run(run: list[etree._Element], verdicts: dict, post: int) -> None:
    """``message.label_message`` for a run: the same rules, on the run's elements themselves as
    well as inside them."""
    for el in run:
        if _plain_leaf(el):
            continue
        for node, reason in message_labels(el):
            verdicts[node] = removed(reason, post)
        if isinstance(el.tag, str):
            label_attachments(el, verdicts, post, stop=el.getparent())


# What the message rules and the attachment finder can pick in an element that holds none:
# the element itself, when it has an attribute (a class, an id, a link) or is one of these tags.
_LEAF_TAGS_WITH_RULES = frozenset(MESSAGE_BARE_TAGS) | {"a", "span"}


def _plain_leaf(el: etree._Element) -> bool:
    """An element with no children and no attributes, which no message rule nor the attachment
    finder picks (most of a run: the ``br`` between lines)."""
    tag = el.tag
    return type(tag) is str and len(el) == 0 and not el.attrib and tag not in _LEAF_TAGS_WITH_RULES


def fact_view(run: list[etree._Element]) -> etree._Element:
    """A detached copy of a run inside one ``div``, for ``message.read_*`` (reading only)."""
    box = etree.Element("div")
    for el in run:
        box.append(deepcopy(el))
    return box


# -- plain-text lines ------------------------------------------------------------------------

@dataclass(frozen=True)
class LineRules:
    """What a family's pages print as plain text."""

    #: Raw BBCode left in the text: quotes, ``[img]``, ``[attach]`` and formatting tags.
    bbcode: bool = False
    #: Lines holding only image addresses.
    image_urls: bool = False
    #: 「NAME 发表于 TIME」 quote headers followed by quoted lines, as plain text.
    quote_headers: bool = False
    #: 6/7 print-view attachment lines 「附件: … / 下载次数 N」 and everything after them.
    attachments: bool = False


def tidy(blocks: list[Block], posts: list[Post], rules: LineRules, offset: str | None,
         sources: list[str] | None = None) -> list[Block]:
    """Relabel the plain-text lines of post bodies that are not the author's text. Addresses
    that raw BBCode source lines cite only inside a tag (「来源：[url=ADDR]NAME[/url]」) are
    added to ``sources``."""
    all_lines = [list(line) for line in lines(blocks)]
    by_post: dict[int, list[int]] = {}
    for k, line in enumerate(all_lines):
        p = next((b.verdict.post for b in line if b.verdict.is_body), None)
        if p is not None and 0 <= p < len(posts):
            by_post.setdefault(p, []).append(k)
    earlier: list[str] = []  # squashed body text of the posts before, for quoted lines
    for p in sorted(by_post):
        tidier = _PostLines(all_lines, by_post[p], p, posts[p], offset, sources)
        if rules.bbcode:
            tidier.bbcode()
        if rules.attachments:
            tidier.attachments()  # first: the edit note is the last line above them
        tidier.notices()
        tidier.edit_note()
        if rules.quote_headers:
            tidier.quote(earlier)  # after the edit note, which comes before the quote
        if rules.image_urls:
            tidier.image_urls()
        if rules.quote_headers:  # (only the quote rule reads the earlier posts)
            earlier.append(_squash("".join(tidier.text(k) for k in tidier.live())))
    return [b for line in all_lines for b in line]


def _strip_bbcode(text: str) -> str:
    return _SPACE.sub(" ", BBCODE_TAG.sub("", BBCODE_IMAGE.sub("", text))).strip()


def _without_back_link(text: str) -> str:
    r"""The line without a last word ending in ``back.gif`` (the quote header's link back to the
    quoted post, an image, printed as its address). String methods, not a regex: a search for
    ``\s*\S*back\.gif\s*$`` is quadratic on a long line of CJK text (no spaces)."""
    stripped = text.rstrip()
    if stripped[-8:].lower() != "back.gif":
        return text
    words = stripped.rsplit(None, 1)
    return words[0].rstrip() if len(words) == 2 else ""


def _squash(text: str) -> str:
    """``text`` without white space (``\\s`` and ``str.split`` take the same characters: the
    split is several times faster than the regex)."""
    return "".join(text.split())


class _PostLines:
    """The walked lines of one post, relabelled in place."""

    def __init__(self, all_lines: list[list[Block]], index: list[int], post_index: int, post: Post,
                 offset: str | None, sources: list[str] | None = None) -> None:
        self.lines = all_lines
        self.index = index
        self.p = post_index
        self.post = post
        self.offset = offset
        self.sources = sources
        # The post's text of each line and the live lines, kept until a line is relabelled:
        # every rule reads them, most relabel nothing.
        self._texts: dict[int, str] = {}
        self._live: list[int] | None = None

    def text(self, k: int) -> str:
        try:
            return self._texts[k]
        except KeyError:
            p = self.p
            text = self._texts[k] = "".join(
                b.text for b in self.lines[k] if b.verdict.is_body and b.verdict.post == p)
            return text

    def live(self) -> list[int]:
        """Lines that still hold body text."""
        if self._live is None:
            self._live = [k for k in self.index if self.text(k).strip()]
        return list(self._live)

    def _mine(self, b: Block) -> bool:
        return b.verdict.is_body and b.verdict.post == self.p

    def drop(self, k: int, verdict: Verdict, start: int = 0, end: int | None = None) -> None:
        """Relabel characters ``start:end`` of the post's body text on line ``k`` (all of it)."""
        end = len(self.text(k)) if end is None else end
        self.lines[k] = relabel(self.lines[k], start, end, verdict, self._mine)
        self._texts.pop(k, None)
        self._live = None

    def bbcode(self) -> None:
        in_quote = False
        quoted: list[str] = []  # the open quote's lines, tags taken out
        for k in self.index:
            text = self.text(k)
            if not in_quote and self._tagged_source(k, text):
                continue
            spans: list[tuple[int, int, Verdict]] = []
            pos = 0
            while pos < len(text):
                if in_quote:
                    m = BBCODE_QUOTE_CLOSE.search(text, pos)
                    end = m.end() if m else len(text)
                    spans.append((pos, end, removed("quote", self.p)))
                    quoted.append(_strip_bbcode(text[pos:m.start() if m else end]))
                    if m:
                        self._bbcode_quote(quoted)
                        quoted = []
                    in_quote = m is None
                    pos = end
                    continue
                # Every tag opens with 「[」: a line without one is passed over by a plain find.
                start = text.find("[", pos)
                m = _BBCODE.search(text, start) if start >= 0 else None
                if m is None:
                    break
                kind = m.lastgroup
                if kind == "quote":
                    in_quote = True
                    pos = m.end()
                    spans.append((m.start(), m.end(), removed("quote", self.p)))
                    continue
                if kind == "img":
                    url = m.group("url").strip()
                    if url:
                        self.post.images.append(Image(url=url))
                    spans.append((m.start(), m.end(), removed("image address", self.p)))
                elif kind == "attach":
                    spans.append((m.start(), m.end(), removed("attachment box", self.p)))
                else:
                    spans.append((m.start(), m.end(), removed("BBCode tag", self.p)))
                pos = m.end()
            for start, end, verdict in reversed(spans):
                self.drop(k, verdict, start, end)

    def _tagged_source(self, k: int, text: str) -> bool:
        """A source line whose address is only in its tag: 「来源：[url=ADDR]NAME[/url]」
        (kept as the source, its address cited)."""
        if self.sources is None or "[" not in text or "[url=" not in text.lower():
            return False
        plain = _strip_bbcode(text)
        m = SOURCE_LINE.match(plain)
        urls = [u for u in _URL_TAG.findall(text) if u.lower().startswith(("http", "www."))]
        if not m or not urls or len(plain) > 100:
            return False
        for url in urls:
            url = clean_url(url)
            if url not in self.sources:
                self.sources.append(url)
        self.drop(k, kept("source", self.p))
        return True

    def _bbcode_quote(self, quoted: list[str]) -> None:
        """A raw ``[quote]``: 「原帖由 NAME 于 TIME 发表」 (6/7) or 「NAME 发表于 TIME」, then the text."""
        quoted = [q for q in quoted if q]
        if not quoted:
            return
        m = QUOTE_HEADER.match(quoted[0])
        if m:
            self.post.quotes.append(Quote(author=m.group("author").strip(),
                                          published=parse_time(m.group("time"), self.offset),
                                          text="\n".join(quoted[1:])))
        else:
            self.post.quotes.append(Quote(text="\n".join(quoted)))

    def notices(self) -> None:
        for k in self.live():
            text = self.text(k).strip(" *")
            if len(text) < 200 and _NOTICE.search(text):
                self.drop(k, removed("hidden-content notice", self.p))

    def edit_note(self) -> None:
        live = self.live()
        for k in {live[0], live[-1]} if live else ():
            for pattern in EDIT_NOTES:
                m = pattern.match(self.text(k))
                if m:
                    self.post.edit = Edit(editor=m.group("editor"),
                                          edited=parse_time(m.group("time"), self.offset))
                    self.drop(k, kept("edit", self.p))
                    break

    def quote(self, earlier: list[str]) -> None:
        live = self.live()
        if len(live) < 2:
            return
        m = QUOTE_HEADER.match(_without_back_link(self.text(live[0])))
        if not m:
            return
        # The earlier posts' text as one string (squashed text holds no line breaks, so a line
        # cannot match across two posts): one C-level search per line, not a loop over posts,
        # which was quadratic on pages of thousands of quoting replies.
        seen = "\n".join(earlier)
        quoted = []
        for k in live[1:1 + _QUOTE_LINES]:
            text = self.text(k).strip()
            if not (_ELLIPSIS.search(text) or _squash(_ELLIPSIS.sub("", text)) in seen):
                break
            quoted.append(k)
        if not quoted and len(live) > 2:
            quoted = live[1:2]  # the quoted post is on another page: Discuz quotes one line
        if not quoted:
            return
        self.post.quotes.append(Quote(author=m.group("author").strip(),
                                      published=parse_time(m.group("time"), self.offset),
                                      text="\n".join(self.text(k).strip() for k in quoted)))
        for k in [live[0], *quoted]:
            self.drop(k, removed("quote", self.p))

    def image_urls(self) -> None:
        for k in self.live():
            text = self.text(k)
            if "://" not in text:  # (every address the pattern takes holds one)
                continue
            urls = IMAGE_URL.findall(text)
            if urls and not IMAGE_URL.sub("", text).strip():
                self.post.images.extend(Image(url=u) for u in urls)
                self.drop(k, removed("image address", self.p))

    def attachments(self) -> None:
        live = self.live()
        for n, k in enumerate(live):
            if ATTACHMENT_LINE.match(self.text(k)):
                for rest in live[n:]:
                    self.drop(rest, removed("attachment box", self.p))
                return
