"""What a batch reads: paths, directories, stdin, and lists of paths (``--files-from``)."""

from __future__ import annotations

import errno
import os
import re
import stat
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
    its output goes below ``--output-dir`` (directory inputs keep their layout)."""

    name: str
    path: str | None
    relpath: str
    #: Set when listing the input already failed (an unreadable folder): reading raises it.
    error: OSError | None = None

    def read(self, stdin: IO[bytes] | None = None, limit: int | None = None) -> bytes:
        """The input's bytes, at most ``limit`` (default: one byte over the size limit, so an
        endless device or a huge file is refused without being read whole)."""
        if limit is None:
            from .pipeline import MAX_INPUT_BYTES

            limit = MAX_INPUT_BYTES + 1
        if self.error is not None:
            raise self.error
        if self.path is None:
            if stdin is None:
                if sys.stdin is None:
                    raise OSError(errno.EBADF, "standard input is closed")
                stdin = sys.stdin.buffer
            return stdin.read(limit)
        return read_file(self.path, limit)


def read_file(path: str, limit: int) -> bytes:
    """Read a file without hanging on a named pipe that has no writer (it reads as empty)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        if os.path.islink(path):
            raise OSError(errno.ENOENT, "broken symbolic link") from None
        raise
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory")
        if not stat.S_ISREG(mode) and hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a pipe with a writer: wait for its data as usual
        return fh.read(limit)


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def display_name(path: str) -> str:
    """A path made printable on one line: undecodable bytes (surrogate escapes) and control
    characters (a newline in a file name) shown as ``\\xNN`` escapes."""
    name = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


def expand(paths: Iterable[str]) -> Iterator[Input]:
    """Inputs for ``paths``: ``-`` is stdin, a directory yields its page files (sorted, recursive)."""
    for raw in paths:
        if raw == "-":
            yield Input("-", None, "stdin")
            continue
        if os.path.isdir(raw):
            found = False
            failed: list[OSError] = []
            for dirpath, dirnames, filenames in os.walk(raw, onerror=failed.append):
                while failed:  # a folder that cannot be listed is an input that failed
                    exc = failed.pop(0)
                    where = exc.filename or dirpath
                    yield Input(where, where, os.path.relpath(where, raw), error=exc)
                dirnames.sort()
                for fn in sorted(filenames):
                    if fn.lower().endswith(PAGE_SUFFIXES):
                        full = os.path.join(dirpath, fn)
                        found = True
                        yield Input(full, full, os.path.relpath(full, raw))
            for exc in failed:
                where = exc.filename or raw
                yield Input(where, where, os.path.relpath(where, raw), error=exc)
            if not found:
                continue
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
