"""What a batch reads: paths, directories, stdin, lists of paths (``--files-from``) and the page
records of WARC files (``warc.py``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

#: File endings a directory is searched for.
PAGE_SUFFIXES = (".html", ".htm", ".txt", ".md", ".xhtml", ".shtml")


@dataclass(frozen=True)
class Input:
    """One page to clean. ``name`` is the input as given (``-`` for stdin); ``relpath`` is where
    its output goes below ``--output-dir`` (directory inputs keep their layout).

    ``url``, ``http_charset`` and ``fetched_at`` are what the input's container knows about the
    fetch (a WARC record's headers); they go to the extractor. Inputs are small frozen values
    that pickle, so they can be handed to worker processes, which call ``read()`` there.
    """

    name: str
    path: str | None
    relpath: str
    url: str | None = None
    http_charset: str | None = None
    fetched_at: str | None = None
    #: The page itself, when it does not come from a file (library callers, stdin in a batch).
    data: bytes | None = None

    def read(self, stdin: IO[bytes] | None = None) -> bytes:
        if self.data is not None:
            return self.data
        if self.path is None:
            return (stdin or sys.stdin.buffer).read()
        with open(self.path, "rb") as fh:
            return fh.read()


def display_name(path: str) -> str:
    """A path made printable: undecodable bytes (surrogate escapes) shown as ``\\xNN``."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def expand(paths: Iterable[str]) -> Iterator[Input]:
    """Inputs for ``paths``: ``-`` is stdin, a directory yields its page files (sorted, recursive),
    a WARC file (``.warc``, ``.warc.gz``, also inside directories) yields its HTML records."""
    from .warc import expand as expand_warc
    from .warc import is_warc_path

    for raw in paths:
        if raw == "-":
            yield Input("-", None, "stdin")
            continue
        if os.path.isdir(raw):
            found = False
            for dirpath, dirnames, filenames in os.walk(raw):
                dirnames.sort()
                for fn in sorted(filenames):
                    full = os.path.join(dirpath, fn)
                    if fn.lower().endswith(PAGE_SUFFIXES):
                        found = True
                        yield Input(full, full, os.path.relpath(full, raw))
                    elif is_warc_path(fn):
                        found = True
                        yield from expand_warc(full, os.path.relpath(full, raw))
            if not found:
                continue
            continue
        if is_warc_path(raw) and os.path.isfile(raw):
            yield from expand_warc(raw)
            continue
        yield Input(raw, raw, os.path.basename(raw.rstrip("/")) or raw)


def read_list(stream: IO[bytes], chunk_size: int = 1 << 16) -> Iterator[str]:
    """Paths from a ``--files-from`` stream, read as they arrive (``find -print0 |`` works).

    NUL-separated if a NUL shows up before the first 4 KiB without one (no path is longer than
    PATH_MAX), else one path per line. Empty entries are skipped.
    """
    # read1: take what a pipe holds now instead of waiting for a full chunk.
    read = getattr(stream, "read1", stream.read)
    buf = b""
    sep: bytes | None = None
    eof = False
    while not eof:
        chunk = read(chunk_size)
        eof = not chunk
        buf += chunk
        if sep is None:
            if b"\0" in buf:
                sep = b"\0"
            elif eof or len(buf) > 4096:
                sep = b"\n"
            else:
                continue
        *done, buf = buf.split(sep)
        if eof:
            done.append(buf)
            buf = b""
        for entry in done:
            if sep == b"\n":
                entry = entry.rstrip(b"\r")
            if entry.strip():
                yield os.fsdecode(entry)


def output_path(out_dir: str, item: Input, suffix: str) -> Path:
    rel = Path(item.relpath)
    name = rel.name
    for s in PAGE_SUFFIXES:
        if name.lower().endswith(s):
            name = name[: -len(s)]
            break
    return Path(out_dir) / rel.parent / (name + suffix)


def count_inputs(paths: list[str], list_file: str | None = None) -> int:
    """How many inputs ``paths`` (and a ``--files-from`` file) expand to; for progress totals."""
    total = sum(1 for _ in expand(paths))
    if list_file is not None:
        with open(list_file, "rb") as fh:
            total += sum(1 for _ in expand(read_list(fh)))
    return total
