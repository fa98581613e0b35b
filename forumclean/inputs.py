"""What a batch reads: paths, directories, stdin, lists of paths (``--files-from``) and the page
records of WARC files (``warc.py``)."""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .errors import OutputClash

#: File endings of pages: taken from a folder without a look inside.
PAGE_SUFFIXES = (".html", ".htm", ".txt", ".md", ".xhtml", ".shtml")

#: File endings a folder walk leaves out, by kind (counted in the batch's summary line). Any
#: other file (``forum.php?mod=viewthread&tid=1``, ``thread-1-1-1``, ``.asp``) is read by its
#: first bytes: a page unless it is empty or binary.
NOT_PAGE_SUFFIXES = {
    "image": (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".ico", ".svg", ".avif", ".tif", ".tiff"),
    "archive": (".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".zst"),
    "style/script": (".css", ".js", ".mjs", ".map"),
    "font": (".woff", ".woff2", ".ttf", ".otf", ".eot"),
    "media": (".mp3", ".mp4", ".m4a", ".webm", ".ogg", ".avi", ".flv", ".swf", ".wav"),
    "document": (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx"),
    "data": (".json", ".jsonl", ".csv", ".xml", ".sqlite", ".db"),
}
_NOT_PAGE = {suffix: kind for kind, suffixes in NOT_PAGE_SUFFIXES.items() for suffix in suffixes}
_SNIFF_BYTES = 4096


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

    #: Set when the input already failed (an unreadable folder, an output clash): reading raises it.
    error: Exception | None = None

    def read(self, stdin: IO[bytes] | None = None, limit: int | None = None) -> bytes:
        """The input's bytes, at most ``limit`` (default: one byte over the size limit, so an
        endless device or a huge file is refused without being read whole)."""
        if limit is None:
            from .pipeline import MAX_INPUT_BYTES

            limit = MAX_INPUT_BYTES + 1
        if self.error is not None:
            raise self.error
        if self.data is not None:
            return self.data[:limit]
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


#: ``crawl.warc.gz#329``: the name a batch gives a WARC's record (the file, the record's offset).
_WARC_RECORD = re.compile(r"(?P<path>.+\.warc(?:\.gz)?)#(?P<offset>\d+)\Z", re.I | re.S)

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def display_name(path: str) -> str:
    """A path made printable on one line: undecodable bytes (surrogate escapes) and control
    characters (a newline in a file name) shown as ``\\xNN`` escapes."""
    name = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


def _unlisted(exc: OSError, fallback: str, top: str) -> Input:
    """The failed input for a folder under ``top`` that could not be listed."""
    where = exc.filename or fallback
    return Input(where, where, os.path.relpath(where, top), error=exc)


def not_a_page(path: str, name: str) -> str | None:
    """Why the file ``name`` at ``path`` (met in a folder walk) is not a page, or None when it is
    one: by its ending, else by its first bytes."""
    lower = name.lower()
    if lower.endswith(PAGE_SUFFIXES):
        return None
    if lower.startswith(".forumclean-"):
        return "temporary"
    stem = lower.split("?", 1)[0]  # wget keeps a page's query in its name
    dot = stem.rfind(".")
    if dot > 0 and stem[dot:] in _NOT_PAGE:
        return _NOT_PAGE[stem[dot:]]
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return "not a regular file"
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError:
        return None  # a page to the batch, which reports why it cannot be read
    if not head.strip():
        return "empty"
    from .decode import _binary_kind

    return "binary" if _binary_kind(head) else None


def expand(paths: Iterable[str], output_dir: str | None = None,
           left_out: Counter | None = None) -> Iterator[Input]:
    """Inputs for ``paths``: ``-`` is stdin, a directory yields its page files (sorted, recursive),
    a WARC file (``.warc``, ``.warc.gz``, also inside directories) yields its HTML records.

    ``output_dir`` (``-o``) is left out of every folder walked, so that a batch never reads its
    own outputs back; a folder that *is* the output folder is a failed input. Files of a folder
    that are not pages (``not_a_page``) are counted in ``left_out`` by why.
    """
    from .warc import expand as expand_warc
    from .warc import is_warc_path

    skip = os.path.realpath(output_dir) if output_dir is not None else None
    for raw in paths:
        if raw == "-":
            yield Input("-", None, "stdin")
            continue
        if os.path.isdir(raw):
            yield from _walk(raw, skip, left_out)
            continue
        if is_warc_path(raw) and os.path.isfile(raw):
            yield from expand_warc(raw)
            continue
        record = _WARC_RECORD.match(raw)
        if record and not os.path.lexists(raw) and os.path.isfile(record["path"]):
            from .warc import record_input

            yield record_input(record["path"], int(record["offset"]), raw)
            continue
        yield Input(raw, raw, os.path.basename(raw.rstrip("/")) or raw)


def _walk(raw: str, skip: str | None, left_out: Counter | None) -> Iterator[Input]:
    """The pages of the folder ``raw`` (sorted, recursive), the output folder ``skip`` left out."""
    from .warc import expand as expand_warc
    from .warc import is_warc_path

    real_root = os.path.realpath(raw)
    if real_root == skip:
        yield Input(raw, raw, os.path.basename(raw.rstrip(os.sep)) or raw,
                    error=OutputClash(f"{display_name(raw)} is the output folder: "
                                      "its pages would be replaced by their own outputs"))
        return
    # The output tree, when it lies inside this folder (``-o crawl/cleaned crawl``).
    inner = skip if skip is not None and skip.startswith(real_root.rstrip(os.sep) + os.sep) else None
    failed: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(raw, onerror=failed.append):
        while failed:  # a folder that cannot be listed is an input that failed
            yield _unlisted(failed.pop(0), dirpath, raw)
        dirnames.sort()
        # relpath once per folder, not per file: it is most of the main process's work
        # per input in a large batch.
        reldir = os.path.relpath(dirpath, raw)
        reldir = "" if reldir == os.curdir else reldir + os.sep
        if inner is not None:  # (os.walk follows no symbolic link: real path = root + relpath)
            real_dir = os.path.join(real_root, reldir)
            dirnames[:] = [d for d in dirnames if os.path.join(real_dir, d) != inner]
        for fn in sorted(filenames):
            full = os.path.join(dirpath, fn)
            if is_warc_path(fn):
                yield from expand_warc(full, reldir + fn)
                continue
            why = not_a_page(full, fn)
            if why is None:
                yield Input(full, full, reldir + fn)
            elif left_out is not None:
                left_out[why] += 1
    for exc in failed:
        yield _unlisted(exc, raw, raw)


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


def count_inputs(paths: list[str], list_file: str | None = None, output_dir: str | None = None) -> int:
    """How many inputs ``paths`` (and a ``--files-from`` file) expand to; for progress totals."""
    total = sum(1 for _ in expand(paths, output_dir))
    if list_file is not None:
        with open(list_file, "rb") as fh:
            total += sum(1 for _ in expand(read_list(fh), output_dir))
    return total


def file_key(path: str) -> tuple[int, int] | None:
    """The identity of the file at ``path`` (device, inode), or None when there is none."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


class InputFiles:
    """The files named as inputs (on the command line, in a ``--files-from`` list), by identity:
    an output file that is one of them is never written (``-o . x.html x.txt`` would replace the
    dump ``x.txt`` with the cleaned ``x.html``). Folder walks need no entry here: the output tree
    is left out of them (``expand``)."""

    def __init__(self) -> None:
        self.keys: set[tuple[int, int]] = set()

    def add(self, path: str) -> str:
        key = file_key(path)
        if key is not None:
            self.keys.add(key)
        return path

    def holds(self, path: str) -> bool:
        return bool(self.keys) and file_key(path) in self.keys
