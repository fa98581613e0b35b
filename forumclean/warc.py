"""WARC and WARC.gz input: every HTML response record of a crawl is one page to clean.

Needs warcio (``pip install 'forumclean[warc]'``); without it a WARC input fails with one clear
error line and the other inputs go on.

A record becomes an input when it is a ``response`` with a 2xx HTTP status and an HTML payload
(``Content-Type`` text/html or application/xhtml+xml; a payload without a type is sniffed), or a
``resource`` record of an HTML type. Requests, metadata, revisits, redirects, errors and non-HTML
payloads are skipped. What the record says about the fetch is handed to the extractor:
``WARC-Target-URI`` → ``url`` (used when the page states no address of its own), ``WARC-Date`` →
``fetched_at``, the HTTP ``charset`` → the decoder (used when the page declares none).

Inputs are cheap to pickle: a ``WarcRecordInput`` is the WARC's path, the record's offset and
its few header values; ``read()`` re-opens the file and seeks to the record, so a worker process
can read it without the scan that found it. ``.warc.gz`` files must be gzipped record by record (the
standard layout, which is what makes seeking possible); warcio refuses a whole-file gzip.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from .errors import ForumcleanError, MissingExtra, WarcError
from .inputs import Input
from .pipeline import MAX_INPUT_BYTES

#: File endings read as WARC files.
WARC_SUFFIXES = (".warc.gz", ".warc")

HTML_TYPES = ("text/html", "application/xhtml+xml")

_MISSING = "reading WARC files needs warcio: pip install 'forumclean[warc]'"

#: Bytes looked at to decide whether an untyped payload is HTML.
_SNIFF_BYTES = 1024


def is_warc_path(path: str) -> bool:
    return path.lower().endswith(WARC_SUFFIXES)


def warc_stem(relpath: str) -> str:
    """``crawl/2024.warc.gz`` → ``crawl/2024``: the folder a WARC's outputs go to."""
    for suffix in WARC_SUFFIXES:
        if relpath.lower().endswith(suffix):
            return relpath[: -len(suffix)] or relpath
    return relpath


@dataclass(frozen=True)
class WarcPage:
    """One page record: where it sits and what its headers say (``payload`` when read)."""

    offset: int
    record_id: str | None
    url: str | None
    fetched_at: str | None
    http_charset: str | None
    payload: bytes | None = None


def _archive_iterator(fh: IO[bytes]) -> Any:
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        raise MissingExtra(_MISSING) from None
    return ArchiveIterator(fh)


def _damage_types() -> tuple[type[BaseException], ...]:
    """Exceptions a damaged or truncated WARC raises inside warcio."""
    types: list[type[BaseException]] = [EOFError, zlib.error, ValueError, KeyError, IndexError,
                                        UnicodeDecodeError]
    try:
        from warcio.exceptions import ArchiveLoadFailed

        types.append(ArchiveLoadFailed)
    except ImportError:
        pass
    return tuple(types)


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """``text/html; charset=GBK`` → ``("text/html", "GBK")``."""
    if not value:
        return None, None
    parts = value.split(";")
    mime = parts[0].strip().lower() or None
    charset = None
    for param in parts[1:]:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("'\"") or None
    return mime, charset


def normalise_warc_date(value: str | None) -> str | None:
    """WARC dates are UTC ISO 8601 (``…Z``); written with ``+00:00`` like the model's other times."""
    if not value:
        return None
    value = value.strip()
    if value.endswith(("Z", "z")):
        return value[:-1] + "+00:00"
    return value


def _looks_like_html(head: bytes) -> bool:
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")) or b"<html" in head


def _page_charset(record: Any) -> tuple[bool, str | None, bool]:
    """``(is_page, http_charset, needs_sniff)`` for one record, from its headers only."""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None:
            return False, None, False
        status = http.get_statuscode() or ""
        if not status.startswith("2"):
            return False, None, False
        mime, charset = parse_content_type(http.get_header("Content-Type"))
        if mime is None:
            return True, charset, True
        return mime in HTML_TYPES, charset, False
    if record.rec_type == "resource":
        mime, charset = parse_content_type(record.rec_headers.get_header("Content-Type"))
        return mime in HTML_TYPES, charset, False
    return False, None, False


def _read_fully(stream: Any, limit: int) -> bytes:
    """Up to ``limit`` bytes. Callers ask one byte past the input limit, so the pipeline reports
    an oversized page as too large without this reader holding all of it in memory."""
    chunks: list[bytes] = []
    while limit > 0:
        chunk = stream.read(min(limit, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        limit -= len(chunk)
    return b"".join(chunks)


def iter_pages(fh: IO[bytes], *, with_payload: bool = False, first_only: bool = False) -> Iterator[WarcPage]:
    """The page records of an open WARC stream (plain or gzip), in file order; ``first_only``
    looks at the record at the stream's position and no further.

    Raises ``MissingExtra`` without warcio and ``WarcError`` when the file is damaged (after
    yielding the records before the damage).
    """
    it = _archive_iterator(fh)
    damage = _damage_types()
    last: int | None = None
    try:
        for record in it:
            if record.format != "warc":  # warcio also reads ARC headers, which any 5-word line is
                raise WarcError("not a WARC file" if last is None else
                                f"damaged WARC after the record at offset {last}: not a WARC record")
            is_page, charset, sniff = _page_charset(record)
            payload = None
            if is_page and (sniff or with_payload):
                stream = record.content_stream()
                head = stream.read(_SNIFF_BYTES)
                if sniff and not _looks_like_html(head):
                    is_page = False
                elif with_payload:
                    payload = head + _read_fully(stream, MAX_INPUT_BYTES + 1 - len(head))
            offset = it.get_record_offset()  # reads the record to its end
            if getattr(record.raw_stream, "limit", 0):
                raise WarcError(f"damaged WARC: the record at offset {offset} is cut short")
            last = offset
            if is_page:
                headers = record.rec_headers
                yield WarcPage(offset=offset, record_id=headers.get_header("WARC-Record-ID"),
                               url=headers.get_header("WARC-Target-URI"),
                               fetched_at=normalise_warc_date(headers.get_header("WARC-Date")),
                               http_charset=charset, payload=payload)
            if first_only:
                return
        # warcio ends quietly at a gzip member cut short: data left unread means damage.
        if it.offset < it.fh.tell():
            raise WarcError(f"damaged WARC: unreadable data at offset {it.offset}")
    except AttributeError as exc:
        # warcio itself trips on some cut records (a header block without a target URI).
        if not _raised_in_warcio(exc):
            raise
        where = "" if last is None else f" after the record at offset {last}"
        raise WarcError(f"damaged WARC{where}: unreadable record headers") from None
    except damage as exc:
        if "non-chunked gzip" in str(exc):
            raise WarcError("gzipped as one stream, not record by record: "
                            "recompress it with 'warcio recompress'") from None
        if last is None and "Unknown archive format" in str(exc):
            raise WarcError("not a WARC file") from None
        where = "" if last is None else f" after the record at offset {last}"
        raise WarcError(f"damaged WARC{where}: {_first_line(exc)}") from None


def _raised_in_warcio(exc: BaseException) -> bool:
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and "warcio" in tb.tb_frame.f_code.co_filename


def _first_line(exc: BaseException) -> str:
    """A short printable reason (warcio quotes the bad bytes it met; those are left out)."""
    lines = str(exc).strip().splitlines()
    text = lines[0].split(", first line")[0] if lines else type(exc).__name__
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text[:120]


@dataclass(frozen=True)
class WarcRecordInput(Input):
    """One page record of a WARC file: ``read()`` re-opens the file and seeks to ``offset``."""

    offset: int = 0
    record_id: str | None = None

    def read(self, stdin: IO[bytes] | None = None) -> bytes:
        assert self.path is not None
        with open(self.path, "rb") as fh:
            fh.seek(self.offset)
            page = next(iter_pages(fh, with_payload=True, first_only=True), None)
        if page is None or page.record_id != self.record_id or page.payload is None:
            raise WarcError(f"record {self.record_id} not found at offset {self.offset}")
        return page.payload


@dataclass(frozen=True)
class FailedInput(Input):
    """A WARC that could not be listed (damaged, or warcio missing): ``read()`` raises why."""

    message: str = ""
    error_kind: str = WarcError.kind

    def read(self, stdin: IO[bytes] | None = None) -> bytes:
        exc = ForumcleanError(self.message)
        exc.kind = self.error_kind
        raise exc


def expand(path: str, relpath: str | None = None) -> Iterator[Input]:
    """One input per page record of the WARC at ``path`` (streaming: records are listed as the
    file is read). ``relpath`` is the WARC's place below ``--output-dir``; its records go to
    ``<relpath without .warc[.gz]>/<offset>``."""
    stem = warc_stem(relpath if relpath is not None else os.path.basename(path))
    try:
        with open(path, "rb") as fh:
            for page in iter_pages(fh):
                yield WarcRecordInput(f"{path}#{page.offset}", path, f"{stem}/{page.offset}", url=page.url,
                                      http_charset=page.http_charset, fetched_at=page.fetched_at,
                                      offset=page.offset, record_id=page.record_id)
    except ForumcleanError as exc:
        yield FailedInput(path, path, stem, message=str(exc), error_kind=exc.kind)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        yield FailedInput(path, path, stem, message=f"cannot read: {reason[:1].lower() + reason[1:]}",
                          error_kind="read")


def record_input(path: str, offset: int, name: str | None = None) -> Input:
    """The page record at ``offset`` of the WARC at ``path``, as the input ``PATH#OFFSET`` that
    batches name it: every record name the tool prints is accepted back as an input."""
    name = name or f"{path}#{offset}"
    relpath = f"{warc_stem(os.path.basename(path))}/{offset}"
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            page = next(iter_pages(fh, first_only=True), None)
    except ForumcleanError as exc:
        return FailedInput(name, path, relpath, message=f"no WARC record at offset {offset} ({exc})",
                           error_kind=exc.kind)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        return FailedInput(name, path, relpath, message=f"cannot read: {reason[:1].lower() + reason[1:]}",
                           error_kind="read")
    if page is None:
        return FailedInput(name, path, relpath, message=f"the record at offset {offset} is not an HTML page")
    return WarcRecordInput(name, path, relpath, url=page.url, http_charset=page.http_charset,
                           fetched_at=page.fetched_at, offset=offset, record_id=page.record_id)
