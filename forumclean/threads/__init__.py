"""Whole threads from many pages: group the pages of each thread, merge them into one record.

    >>> import forumclean
    >>> for thread in forumclean.threads(documents):     # any iterable of Documents
    ...     print(thread.key, len(thread.posts), thread.complete, thread.missing_pages)

``key.py`` tells which thread a page belongs to, ``group.py`` gathers the pages of each thread in
bounded memory, ``merge.py`` makes one thread of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from ..model import KIND_NONE, Document, Post, Thread
from .group import DEFAULT_MEMORY, group_pages
from .key import page_key
from .merge import merge

__all__ = ["merge", "page_key", "thread_key", "thread_label", "threads"]

_SPACE = re.compile(r"\s+")


def thread_key(doc: Document) -> str | None:
    """``HOST/thread/TID`` (or ``HOST/article/AID``) of a page; None when it cannot be told."""
    return page_key(doc).key


def thread_label(doc: Document) -> tuple | None:
    """The site name and title of a page that shows posts: how a page that states no address
    (a print view saved as a file) finds its thread among the pages that do."""
    if doc.kind == KIND_NONE or not doc.site or not doc.title:
        return None
    return (_SPACE.sub(" ", doc.site).strip(), _SPACE.sub(" ", doc.title).strip())


def threads(documents: Iterable[Document], *, max_memory: int = DEFAULT_MEMORY,
            spill_dir: str | None = None) -> Iterator[Thread]:
    """One ``Thread`` per thread among ``documents`` (pages in any order, any views).

    Pages are held in memory up to about ``max_memory`` bytes, then spilled to files under
    ``spill_dir`` (default: the system's temporary folder) by thread key and read back one share
    at a time. A page whose site or thread cannot be told (a print view or a text dump saved
    without its address) joins the one thread of its title (and site name) whose posts it shares,
    with a warning; otherwise it is a thread of its own, with ``complete: false`` and the reason
    in ``warnings``. Spark or Ray users who group pages by ``thread_key`` themselves call
    ``merge(pages, key)`` on each group.
    """
    for key, pages in group_pages(documents, key=thread_key, max_memory=max_memory, spill_dir=spill_dir,
                                  label=thread_label):
        if key is not None:
            stated = [thread_key(p) is not None for p in pages]
            if not all(stated):
                pages, strays = _check_joined(key, pages, stated)
                for stray in strays:
                    yield merge([stray], None)
        yield merge(pages, key)


def _check_joined(key: str, pages: list[Document], stated: list[bool]) -> tuple[list[Document], list[Document]]:
    """Pages that joined ``key`` by title (``stated``: whether each page states its thread):
    kept (a copy, with a warning) when half of their posts or more are the thread's (author and
    minute, or author and body), else set apart."""
    known = {mark for p, has_key in zip(pages, stated, strict=True) if has_key
             for post in p.posts for mark in _post_marks(post)}
    kept: list[Document] = []
    strays: list[Document] = []
    for page, has_key in zip(pages, stated, strict=True):
        if has_key:
            kept.append(page)
            continue
        shared = sum(1 for post in page.posts if known.intersection(_post_marks(post)))
        if page.posts and 2 * shared >= len(page.posts):
            note = f"the page states no thread id; joined to {key} by its title and its posts"
            kept.append(replace(page, warnings=[*page.warnings, note]))
        else:
            strays.append(page)
    return kept, strays


def _post_marks(post: Post) -> list[tuple]:
    author = _SPACE.sub("", post.author or "").casefold()
    marks = [("body", author, _SPACE.sub("", post.body))] if post.body.strip() else []
    if post.published and len(post.published) >= 16:
        marks.append(("time", author, post.published[:16]))
    return marks
