"""The rendered message markup that desktop, 7.x, touch and printable pages share (anatomy §4.3).

Labels what inside a post body is not the author's text, and reads the facts kept apart from
the body: quotes, images, the edit note.
"""

from __future__ import annotations

from lxml import etree

from ..dates import parse_time
from ..model import Edit, Image, Quote
from ..rules.chrome import MESSAGE_REGIONS, cls
from ..rules.strings import EDIT_NOTE, QUOTE_HEADER
from .html import join_url, label_regions, text_of, xpath

_SMILEY_HINTS = ("static/image/smiley", "smilieid", "/smilies/", "images/smilies")


def label_message(body: etree._Element, verdicts: dict, post: int) -> None:
    label_regions(body, MESSAGE_REGIONS, verdicts, post=post)


def read_quotes(body: etree._Element, offset: str | None) -> list[Quote]:
    quotes = []
    for q in xpath(f".//div[{cls('quote')}]")(body):
        text = text_of(q)
        author = published = None
        header = xpath(".//font[@color] | .//a[contains(@href, 'findpost')]")(q)
        head_text = text_of(header[0]) if header else text.split("\n", 1)[0]
        m = QUOTE_HEADER.match(head_text)
        if m:
            author = m.group("author").strip()
            published = parse_time(m.group("time"), offset)
            if text.startswith(head_text):
                text = text[len(head_text):].strip()
        quotes.append(Quote(author=author, published=published, text=text))
    return quotes


def read_edit(body: etree._Element, offset: str | None) -> Edit | None:
    note = xpath(f".//i[{cls('pstatus')}]")(body)
    if not note:
        return None
    text = text_of(note[0])
    # An edit note is one short line; an unclosed <i> can hold a whole post (and the pattern's
    # two lazy groups are quadratic in its length).
    m = EDIT_NOTE.match(text) if len(text) <= 300 else None
    if not m:
        return Edit()
    return Edit(editor=m.group("editor"), edited=parse_time(m.group("time"), offset))


def read_images(body: etree._Element, base: str | None) -> list[Image]:
    images = []
    seen = set()
    for img in xpath(".//img")(body):
        if img.get("smilieid") is not None:
            continue
        src = img.get("zoomfile") or img.get("file") or img.get("data-original") or img.get("src")
        if not src or any(h in src for h in _SMILEY_HINTS) or src.endswith(("none.gif", "loading.gif")):
            continue
        url = join_url(base, src)
        if url in seen:
            continue
        seen.add(url)
        images.append(Image(url=url, alt=img.get("alt") or img.get("title") or None))
    return images
