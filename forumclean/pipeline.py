"""The extraction pipeline: decode → read → detect family → label → line rules → assemble.

``run`` is the single path every entry point takes (library, CLI, diff, batch, datatrove), so
what ``diff`` shows is what ``extract`` did.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import assemble, textrules
from .blocks import Block, walk
from .decode import decode
from .errors import DecodeError, InputTooLarge
from .families import Family, Labelled, detect
from .families.html import cut_post, is_truncated
from .model import KIND_NONE, Document
from .page import Page, looks_like_html

#: Inputs above this size are refused (a page this large is not a forum page).
MAX_INPUT_BYTES = 64 * 1024 * 1024


@dataclass
class Result:
    document: Document
    blocks: list[Block]


def read_page(data: bytes | str, *, url: str | None = None, input_format: str = "auto",
              http_charset: str | None = None) -> Page:
    """Decode and sniff: the ``Page`` every family reads."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > MAX_INPUT_BYTES:
            raise InputTooLarge(f"input is {len(data) // (1024 * 1024)} MiB, above the "
                                f"{MAX_INPUT_BYTES // (1024 * 1024)} MiB limit")
        text, encoding = decode(data, http_charset=http_charset)
    elif isinstance(data, str):
        if len(data) > MAX_INPUT_BYTES:
            raise InputTooLarge("input is above the size limit")
        text, encoding = data, None
    else:
        raise TypeError(f"extract() takes bytes or str, not {type(data).__name__}")
    if not text or text.isspace():  # (no copy of the page, unlike strip)
        raise DecodeError("empty input (no text)")
    if input_format == "auto":
        input_format = "html" if looks_like_html(text) else "text"
    elif input_format not in ("html", "text"):
        raise ValueError(f"input_format must be auto, html or text, not {input_format!r}")
    return Page(text, input_format, url=url, encoding=encoding)


def _mark_cut(page: Page, fam: Family, labelled: Labelled, full: bool, doc: Document) -> None:
    """A page cut off mid-post keeps its complete posts; the cut one is marked ``partial``."""
    if not is_truncated(page):
        return
    doc.warnings.append("page is truncated (it ends before </html>)")
    # Where the cut fell needs the post regions outside bodies, which only ``full`` labels.
    verdicts = labelled.verdicts if full else fam.label(page, full=True).verdicts
    cut = cut_post(page, verdicts)
    if cut is not None and 0 <= cut < len(doc.posts):
        doc.posts[cut].partial = True


def run(data: bytes | str, *, url: str | None = None, input_name: str | None = None,
        input_format: str = "auto", family: str | None = None, full: bool = False,
        http_charset: str | None = None, fetched_at: str | None = None) -> Result:
    page = read_page(data, url=url, input_format=input_format, http_charset=http_charset)
    fam = detect(page, family)
    labelled = fam.label(page, full=full)
    doc = labelled.doc
    if labelled.blocks is not None:
        blocks = labelled.blocks
    else:
        blocks = walk(labelled.roots, labelled.verdicts)
    blocks, cited = textrules.apply(blocks, jammer_text=labelled.jammer_text)
    blocks = textrules.site_text(blocks, [p.author for p in doc.posts])
    for u in cited:
        if u not in doc.source_urls:
            doc.source_urls.append(u)
    bodies = assemble.post_bodies(blocks, len(doc.posts))
    for post, body in zip(doc.posts, bodies, strict=False):
        post.body = body
    if page.input_format == "html":
        _mark_cut(page, fam, labelled, full, doc)
    doc.input = input_name
    doc.input_format = page.input_format
    doc.encoding = page.encoding
    doc.fetched_at = fetched_at
    if not doc.url and url:
        doc.url = url
    if doc.kind != KIND_NONE and not doc.posts:
        doc.kind = KIND_NONE
    return Result(doc, blocks)
