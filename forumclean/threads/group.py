"""Gathering the pages of each thread in bounded memory.

A thread's pages need not be adjacent in the input. Pages are held by thread key until they take
about ``max_memory`` bytes; then all that is held is appended to share files on disk (one of
``SHARES`` per key, by a stable hash) and memory starts again. At the end each share is read back
and grouped the same way: a share larger than the limit spills again into finer shares, so memory
stays bounded however large the input. Pages whose key is None are passed on at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator

from ..model import Document

#: Memory held for pages waiting for the rest of their thread, by default (bytes, estimated).
DEFAULT_MEMORY = 256 * 1024 * 1024
#: Share files per spill.
SHARES = 64
#: Spills of spills at most (64**4 shares: far past any crawl).
_MAX_DEPTH = 4

_Item = tuple[int, "str | None", Document]


def group_pages(documents: Iterable[Document], *, key: Callable[[Document], str | None],
                max_memory: int = DEFAULT_MEMORY, spill_dir: str | None = None,
                label: Callable[[Document], tuple[str, str] | None] | None = None,
                ) -> Iterator[tuple[str | None, list[Document]]]:
    """``(key, pages)`` for each thread key among ``documents``, pages in input order; a page
    whose key is None comes as ``(None, [page])``.

    ``label``: a second way to tell a page's thread, ``(site name, title)``, for pages without a
    key. Such a page waits until the input ends, then goes with the one thread whose keyed pages
    carry its title (of its site name, where titles repeat across sites), or stays on its own.
    The caller checks that it fits there (``forumclean.threads`` compares the posts).

    Without a spill, threads come in the order of their first page; after one, share by share.
    """
    work = _Work(spill_dir)
    titles = _Titles()
    waiting = _Waiting(work, max_memory // 4)

    def items() -> Iterator[_Item]:
        for seq, doc in enumerate(documents):
            k = key(doc)
            mark = label(doc) if label is not None else None
            if mark is not None and k is None:
                waiting.add(doc)
                continue
            if mark is not None:
                titles.add(mark, k)
            yield seq, k, doc
        for doc in waiting.pages():
            yield -1, titles.find(label(doc)), doc  # type: ignore[arg-type]

    try:
        yield from _group(items(), max_memory, work, 0)
    finally:
        work.remove()


class _Titles:
    """Thread keys by title and site name, as the keyed pages show them."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, str | None]] = {}  # title -> site -> key (None: several)

    def add(self, mark: tuple[str, str], k: str) -> None:
        site, title = mark
        by_site = self.keys.setdefault(title, {})
        if by_site.setdefault(site, k) != k:
            by_site[site] = None

    def find(self, mark: tuple[str, str]) -> str | None:
        """The one key of this title: of this site name, else of any (text dumps name the site
        in their own way); None when there is none or several."""
        site, title = mark
        by_site = self.keys.get(title)
        if not by_site:
            return None
        if site in by_site:
            return by_site[site]
        found = set(by_site.values())
        return found.pop() if len(found) == 1 else None


class _Waiting:
    """Pages waiting for the end of the input: in memory, then in a file past ``limit`` bytes."""

    def __init__(self, work: _Work, limit: int) -> None:
        self.work = work
        self.limit = limit
        self.held: list[Document] = []
        self.size = 0
        self.path: str | None = None

    def add(self, doc: Document) -> None:
        self.held.append(doc)
        self.size += _size(doc)
        if self.size > self.limit:
            if self.path is None:
                self.path = os.path.join(self.work.folder(0), "waiting.jsonl")
            with open(self.path, "a", encoding="utf-8", errors="surrogatepass") as fh:
                fh.writelines(json.dumps(d.to_dict(), ensure_ascii=False) + "\n" for d in self.held)
            self.held.clear()
            self.size = 0

    def pages(self) -> Iterator[Document]:
        if self.path is not None:
            with open(self.path, encoding="utf-8", errors="surrogatepass") as fh:
                for line in fh:
                    yield Document.from_dict(json.loads(line))
        yield from self.held
        self.held = []


class _Work:
    """The spill folder, made on the first spill and removed at the end."""

    def __init__(self, parent: str | None) -> None:
        self.parent = parent
        self.path: str | None = None

    def folder(self, depth: int) -> str:
        if self.path is None:
            self.path = tempfile.mkdtemp(prefix="forumclean-threads-", dir=self.parent)
        return tempfile.mkdtemp(prefix=f"spill{depth}-", dir=self.path)

    def remove(self) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)


def _group(items: Iterable[_Item], max_memory: int, work: _Work,
           depth: int) -> Iterator[tuple[str | None, list[Document]]]:
    held: dict[str, list[Document]] = {}
    size = 0
    spilled: str | None = None
    for _seq, k, doc in items:
        if k is None:
            yield None, [doc]
            continue
        held.setdefault(k, []).append(doc)
        size += _size(doc)
        # One thread's pages are merged together, so they are held whatever they take; a share
        # that holds one thread is not split further.
        if size > max_memory and len(held) > 1 and depth < _MAX_DEPTH:
            if spilled is None:
                spilled = work.folder(depth)
            _spill(held, spilled, depth)
            held.clear()
            size = 0
    if spilled is None:
        yield from held.items()
        return
    _spill(held, spilled, depth)
    held.clear()
    for share in range(SHARES):
        path = os.path.join(spilled, f"{share:03d}.jsonl")
        if os.path.exists(path):
            yield from _group(_read_share(path), max_memory, work, depth + 1)
            os.unlink(path)


def _share(k: str, depth: int) -> int:
    """A stable share for a key (finer shares salted by depth, so a big share splits up)."""
    digest = hashlib.blake2b(k.encode("utf-8", "surrogatepass"), digest_size=8,
                             salt=str(depth).encode()).digest()
    return int.from_bytes(digest, "big") % SHARES


def _spill(held: dict[str, list[Document]], folder: str, depth: int) -> None:
    lines: dict[int, list[str]] = {}
    for k, pages in held.items():
        lines.setdefault(_share(k, depth), []).extend(
            json.dumps([k, doc.to_dict()], ensure_ascii=False) + "\n" for doc in pages)
    for share, out in lines.items():
        with open(os.path.join(folder, f"{share:03d}.jsonl"), "a", encoding="utf-8",
                  errors="surrogatepass") as fh:
            fh.writelines(out)


def _read_share(path: str) -> Iterator[_Item]:
    """A share's pages, read as they lie: spills append in input order, so each key's pages
    stay in input order."""
    with open(path, encoding="utf-8", errors="surrogatepass") as fh:
        for seq, line in enumerate(fh):
            k, data = json.loads(line)
            yield seq, k, Document.from_dict(data)


def _size(doc: Document) -> int:
    """A rough count of the bytes a held document takes."""
    return 2048 + sum(512 + 2 * (len(p.body) + sum(len(q.text) for q in p.quotes)) for p in doc.posts)
