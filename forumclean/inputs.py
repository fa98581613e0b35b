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

    def read(self, stdin: IO[bytes] | None = None) -> bytes:
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


def read_list(stream: IO[bytes]) -> Iterator[str]:
    """Paths from a ``--files-from`` stream: NUL-separated if it holds a NUL, else one per line."""
    data = stream.read()
    sep = b"\0" if b"\0" in data else b"\n"
    for chunk in data.split(sep):
        chunk = chunk.rstrip(b"\r") if sep == b"\n" else chunk
        if chunk.strip():
            yield os.fsdecode(chunk)


def output_path(out_dir: str, item: Input, suffix: str) -> Path:
    rel = Path(item.relpath)
    name = rel.name
    for s in PAGE_SUFFIXES:
        if name.lower().endswith(s):
            name = name[: -len(s)]
            break
    return Path(out_dir) / rel.parent / (name + suffix)
