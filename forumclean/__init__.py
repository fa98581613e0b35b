"""forumclean: clean, structured text from scraped Discuz!-style forum pages.

    >>> import forumclean
    >>> doc = forumclean.extract(open("page.html", "rb").read())
    >>> doc.title, [p.body for p in doc.posts]

``extract`` is a pure function: no I/O, no global state, picklable results. It raises only
``forumclean.ForumcleanError`` subclasses for bad input.
"""

from __future__ import annotations

from .batch import extract_many
from .errors import DecodeError, ForumcleanError, InputTooLarge, ParseError
from .model import Document, Edit, Image, Post, Quote
from .pipeline import run
from .threads import threads  # the function; the package stays importable as forumclean.threads.*

__version__ = "0.1.0"


def extract(data: bytes | str, *, url: str | None = None, input_name: str | None = None,
            input_format: str = "auto", family: str | None = None,
            http_charset: str | None = None, fetched_at: str | None = None) -> Document:
    """Clean one page (HTML or a plain-text dump) into a ``Document``.

    ``data``: the page; bytes are decoded by forumclean (BOM, declared charset, GB18030/Big5
    fallbacks). ``url``: the address it was fetched from, used when the page states none.
    ``input_format``: ``auto``, ``html`` or ``text``. ``family``: force a page family by name.
    ``http_charset``: the charset the HTTP headers gave (used when the page declares none).
    ``fetched_at``: when the page was fetched (ISO 8601), copied to ``Document.fetched_at``.
    """
    return run(data, url=url, input_name=input_name, input_format=input_format, family=family,
               http_charset=http_charset, fetched_at=fetched_at).document


__all__ = ["extract", "extract_many", "Document", "Post", "Quote", "Image", "Edit", "ForumcleanError", "DecodeError",
           "ParseError", "InputTooLarge", "__version__"]
__all__ += ["threads"]
