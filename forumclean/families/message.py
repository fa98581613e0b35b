"""The rendered message markup that desktop, 7.x, touch and printable pages share (anatomy §4.3).

Labels what inside a post body is not the author's text, and reads the facts kept apart from
the body: quotes, images, the edit note.
"""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree

from ..dates import parse_time
from ..model import Edit, Image, Quote
from ..rules.chrome import MESSAGE_REGIONS, cls
from ..rules.strings import EDIT_NOTE, QUOTE_HEADER
from .html import label_regions, text_of, xpath

_SMILEY_HINTS = ("static/image/smiley", "smilieid", "/smilies/", "images/smilies")
# Template icons that sit inside messages: 6/7's quote back-link and attachment marker.
_ICON_NAMES = ("/back.gif", "/attachimg.gif")


def label_message(body: etree._Element, verdicts: dict, post: int) -> None:
    label_regions(body, MESSAGE_REGIONS, verdicts, post=post)


def read_quotes(body: etree._Element, offset: str | None) -> list[Quote]:
    quotes = []
    # Touch templates reuse div.quote for notices; a quoted post always holds a blockquote.
    for q in xpath(f".//div[{cls('quote')}][.//blockquote]")(body):
        # 6.x puts an 「引用:」 h5 before the blockquote: the quote is the blockquote.
        text = text_of(xpath(".//blockquote")(q)[0])
        author = published = None
        header = xpath(".//font[@color] | .//a[contains(@href, 'findpost')]")(q)
        head_text = text_of(header[0]) if header else _first_line(q)
        m = QUOTE_HEADER.match(head_text)
        if m:
            author = m.group("author").strip()
            published = parse_time(m.group("time"), offset)
            if text.startswith(head_text):
                text = text[len(head_text):].strip()
        quotes.append(Quote(author=author, published=published, text=text))
    return quotes


def _first_line(el: etree._Element) -> str:
    """Text before the first ``<br>`` (6.x quote header 「原帖由 NAME 于 TIME 发表」)."""
    box = xpath(".//blockquote")(el)
    box = box[0] if box else el
    parts = [box.text or ""]
    for child in box:
        if child.tag == "br":
            break
        parts.append(text_of(child))
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


def read_edit(body: etree._Element, offset: str | None) -> Edit | None:
    note = xpath(f".//i[{cls('pstatus')}]")(body)
    if note:
        text = text_of(note[0])
    else:
        # 6.x/7.x print the note as a plain 「[<i> 本帖最后由 … 编辑 </i>]」 or bracketed text line.
        found = [text_of(i) for i in xpath(".//i")(body) if EDIT_NOTE.match(text_of(i))]
        found += [t.strip() for t in body.itertext() if "由" in t and EDIT_NOTE.match(t.strip())]
        if not found:
            return None
        text = found[0]
    m = EDIT_NOTE.match(text)
    if not m:
        return Edit()
    return Edit(editor=m.group("editor"), edited=parse_time(m.group("time"), offset))


def read_images(body: etree._Element, base: str | None) -> list[Image]:
    images = []
    seen = set()
    # Images of quoted posts belong to those posts.
    for img in xpath(f".//img[not(ancestor::blockquote) and not(ancestor::div[{cls('quote')}])]")(body):
        if img.get("smilieid") is not None:
            continue
        src = img.get("zoomfile") or img.get("file") or img.get("data-original") or img.get("src")
        if not src or any(h in src for h in _SMILEY_HINTS) or src.endswith(("none.gif", "loading.gif")) \
                or src.endswith(_ICON_NAMES):
            continue
        url = urljoin(base, src) if base else src
        if url in seen:
            continue
        seen.add(url)
        images.append(Image(url=url, alt=img.get("alt") or img.get("title") or None))
    return images
