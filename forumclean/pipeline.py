"""The extraction pipeline: decode → read → detect family → label → line rules → assemble.

``run`` is the single path every entry point takes (library, CLI, diff, batch, datatrove), so
what ``diff`` shows is what ``extract`` did.
"""

from __future__ import annotations

import gc
import os
import re
from dataclasses import dataclass

from . import assemble, textrules
from .blocks import Block, walk
from .decode import decode_page
from .errors import DecodeError, InputTooLarge, ParseError, ReadError
from .families import Family, Labelled, detect
from .families.html import cut_post, is_truncated
from .families.pager import page_count
from .model import KIND_NONE, Document
from .page import Page, looks_like_html

#: Inputs above this size are refused (a page this large is not a forum page).
MAX_INPUT_BYTES = 64 * 1024 * 1024

_SURROGATE = re.compile(r"[\ud800-\udfff]")
# C0 controls other than tab and line breaks: never visible, and lxml refuses them in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_BYTES = [bytes([b]) for b in range(0x20) if b not in (0x09, 0x0A, 0x0D)]


# A ``str`` that is a file name rather than a page: one short line, no markup, a page ending.
_FILE_NAME = re.compile(r"[^<>\n]{1,4096}\.(?:html?|shtml|xhtml|txt|md|php|asp)", re.I)


def page_source(data: bytes | str | os.PathLike) -> tuple[bytes | str, str | None]:
    """The page ``extract`` was given, and its path when it was given one: a path object, or a
    ``str`` of one line without markup that names an existing file, is read. A ``str`` that looks
    like a file name (``page.html``) but names no file is an error, not a page of that text."""
    path: str | None = None
    if isinstance(data, os.PathLike):
        path = os.fspath(data)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
    elif isinstance(data, str) and len(data) <= 4096 and "<" not in data and "\n" not in data.strip():
        candidate = data.strip()
        if candidate and os.path.isfile(candidate):
            path = candidate
        elif _FILE_NAME.fullmatch(candidate):
            raise ReadError(f"{candidate}: no such file (extract() takes a page's bytes or text, "
                            "or the path of an existing file)")
    if path is None:
        return data, None  # type: ignore[return-value]
    from .inputs import read_file  # (the batch's reader: a named pipe without a writer reads empty)

    try:
        return read_file(path, MAX_INPUT_BYTES + 1), path
    except OSError as exc:
        raise ReadError(f"{path}: cannot read: {exc.strerror or exc}") from None


@dataclass
class Result:
    document: Document
    blocks: list[Block]


def read_page(data: bytes | str, *, url: str | None = None, input_format: str = "auto",
              http_charset: str | None = None) -> Page:
    """Decode and sniff: the ``Page`` every family reads."""
    warnings: list[str] = []
    raw = None  # the bytes of ``text`` in an ASCII-safe codec (see decode.Decoded.raw)
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > MAX_INPUT_BYTES:
            raise InputTooLarge(f"input is larger than the {MAX_INPUT_BYTES // (1024 * 1024)} MiB limit")
        decoded = decode_page(data, http_charset=http_charset)
        text, encoding, warnings, raw = decoded.text, decoded.codec, decoded.warnings, decoded.raw
    elif isinstance(data, str):
        if len(data) > MAX_INPUT_BYTES:
            raise InputTooLarge(f"input is larger than the {MAX_INPUT_BYTES // (1024 * 1024)} MiB limit")
        text, encoding = data, None
        if _SURROGATE.search(text):
            # Lone surrogates cannot be parsed or written as UTF-8.
            text = text.encode("utf-8", "replace").decode("utf-8")
            warnings.append("encoding: lone surrogate code points replaced by '?'")
    else:
        raise TypeError(f"extract() takes bytes or str, not {type(data).__name__}")
    # One memchr per control byte is faster than a regex search, or deleting them and comparing
    # lengths.
    if (_CONTROL.search(text) if raw is None else any(b in raw for b in _CONTROL_BYTES)):
        nuls = text.count("\0")
        text = _CONTROL.sub("", text)
        raw = None
        if nuls:  # NUL bytes in a page mean damage (a broken download, a padded file): say so
            warnings.append(f"removed {nuls} NUL byte(s)")
    if not text or text.isspace():  # (no copy of the page, unlike strip)
        raise DecodeError("empty input (no text)")
    if input_format == "auto":
        input_format = "html" if looks_like_html(text) else "text"
    elif input_format not in ("html", "text"):
        raise ValueError(f"input_format must be auto, html or text, not {input_format!r}")
    # UTF-8 bytes of the text go to the parser as they are (no encoding of the str).
    utf8 = raw if encoding == "utf-8" and input_format == "html" else None
    page = Page(text, input_format, url=url, encoding=encoding, utf8=utf8)
    page.warnings.extend(warnings)
    return page


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
    # Reading a page makes objects that stay alive until it is read (a long dump: several per
    # line, hundreds of thousands): the cycle collector would walk them all again and again,
    # finding nothing (a fifth to a quarter of a long dump's time). It is paused while one page
    # is read and resumed after, if it was on; what the page left in cycles is collected then.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _run(data, url=url, input_name=input_name, input_format=input_format, family=family,
                    full=full, http_charset=http_charset, fetched_at=fetched_at)
    except RecursionError:
        # A last line of defence: every stage is iterative, but third-party code may recurse.
        raise ParseError("page nesting too deep") from None
    finally:
        if paused:
            gc.enable()


def _run(data: bytes | str, *, url: str | None, input_name: str | None, input_format: str,
         family: str | None, full: bool, http_charset: str | None, fetched_at: str | None) -> Result:
    page = read_page(data, url=url, input_format=input_format, http_charset=http_charset)
    fam = detect(page, family)
    labelled = fam.label(page, full=full)
    doc = labelled.doc
    if labelled.blocks is not None:
        blocks = labelled.blocks
    else:
        blocks = walk(labelled.roots, labelled.verdicts)
    blocks, cited = textrules.apply(blocks, jammer_text=labelled.jammer_text)
    blocks, rows = textrules.site_text(blocks, [p.author for p in doc.posts])
    for u in cited:
        if u not in doc.source_urls:
            doc.source_urls.append(u)
    bodies = assemble.join_bodies(rows, len(doc.posts))
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
    if doc.kind != KIND_NONE:  # a listing's pager counts listing pages, not the thread's
        doc.page_count = page_count(page, archiver=fam.name == "discuz-archiver")
    for w in page.warnings:
        if w not in doc.warnings:
            doc.warnings.append(w)
    return Result(doc, blocks)
