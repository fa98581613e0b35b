"""forumclean: clean, structured text from scraped Discuz!-style forum pages.

    >>> import forumclean
    >>> doc = forumclean.extract(open("page.html", "rb").read())
    >>> doc.title, [p.body for p in doc.posts]

``extract`` is a pure function: no I/O, no global state, picklable results (it pauses Python's
cycle collector while it reads a page, and resumes it after). It raises only
``forumclean.ForumcleanError`` subclasses for bad input.
"""

from __future__ import annotations

import os
from typing import Any

from .errors import DecodeError, ForumcleanError, InputTooLarge, ParseError, ReadError
from .model import Document, Edit, Image, Post, Quote
from .pipeline import page_source, run
from .threads import threads  # the function; the package stays importable as forumclean.threads.*

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # The batch engine (multiprocessing and all) loads on first use, not with the library.
    if name == "extract_many":
        from .batch import extract_many

        return extract_many
    raise AttributeError(f"module 'forumclean' has no attribute {name!r}")


def extract(data: bytes | str | os.PathLike, *, url: str | None = None, input_name: str | None = None,
            input_format: str = "auto", family: str | None = None,
            http_charset: str | None = None, fetched_at: str | None = None) -> Document:
    """Clean one page (HTML or a plain-text dump) into a ``Document``.

    ``data``: the page; bytes are decoded by forumclean (BOM, declared charset, GB18030/Big5
    fallbacks). A path (``os.PathLike``, or a one-line ``str`` without markup naming an existing
    file) is read; a ``str`` that looks like a file name but names none raises ``ReadError``. ``url``: the address it was fetched from, used when the page states none.
    ``input_format``: ``auto``, ``html`` or ``text``. ``family``: force a page family by name.
    ``http_charset``: the charset the HTTP headers gave (used when the page declares none).
    ``fetched_at``: when the page was fetched (ISO 8601), copied to ``Document.fetched_at``.
    """
    data, name = page_source(data)
    return run(data, url=url, input_name=input_name or name, input_format=input_format, family=family,
               http_charset=http_charset, fetched_at=fetched_at).document


__all__ = ["extract", "extract_many", "Document", "Post", "Quote", "Image", "Edit", "ForumcleanError", "DecodeError",
           "ParseError", "InputTooLarge", "ReadError", "__version__"]
__all__ += ["threads"]
