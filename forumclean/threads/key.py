"""Which pages belong together: the site and the thread (or portal article) a page shows.

The site is the page's host, from the address the page states or was fetched from (canonical
link, saved-from comment, WARC target URI), lower-cased, without ``www.`` and default ports.
The thread id comes from the family's reading of the page (the inline ``tid`` script) or from the
address in any of the views' URL forms (anatomy §3, rewrite rules of ``source/admincp``):

- ``forum.php?mod=viewthread&tid=TID[&page=N][&mobile=2]``, ``viewthread.php?tid=TID&page=N``,
  ``…&action=printable&tid=TID``, ``redirect.php?…&ptid=TID``
- ``thread-TID-PAGE-LISTPAGE.html``
- ``archiver/?tid-TID.html[&page=N]``, ``archiver/tid-TID.html[?page=N]``, ``?tid-TID-page-N.html``
- ``portal.php?mod=view&aid=AID[&page=N]``, ``article-AID-PAGE.html``
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from ..model import KIND_ARTICLE, Document

#: Views from the richest to the poorest: a post seen in several keeps the richest reading.
VIEW_RANK = {"desktop": 0, "touch": 1, "simple": 2, "printable": 3, "archiver": 4, "portal": 0, "text": 5}

_FAMILY_VIEW = {
    "discuz-x": "desktop", "discuz-7": "desktop", "discuz": "desktop", "generic": "desktop",
    "discuz-touch": "touch", "discuz-mobile1": "simple", "discuz-printable": "printable",
    "discuz-archiver": "archiver", "discuz-portal": "portal",
}

_THREAD_PATH = re.compile(r"(?:^|/)thread-(\d+)-(\d+)-\d+\.html?$", re.I)
_ARCHIVER_TID = re.compile(r"(?:^|[/?&])tid-(\d+)(?:-page-(\d+))?\.html?", re.I)
_ARTICLE_PATH = re.compile(r"(?:^|/)article-(\d+)-(\d+)\.html?$", re.I)


@dataclass(frozen=True)
class PageKey:
    """Where one page sits: its site, thread and page, as far as the page tells."""

    host: str | None
    #: ``thread`` or ``article``.
    kind: str
    ident: str | None
    page: int | None
    view: str

    @property
    def key(self) -> str | None:
        """``HOST/thread/TID`` (or ``/article/AID``); None when the site or the thread is unknown."""
        if self.host is None or self.ident is None:
            return None
        return f"{self.host}/{self.kind}/{self.ident}"


def view_of(doc: Document) -> str:
    """The view a document was read from (``desktop``, ``touch``, ``archiver``…)."""
    if doc.input_format == "text":
        return "text"
    return _FAMILY_VIEW.get(doc.family, "desktop")


def host_of(url: str | None) -> str | None:
    """The canonical host of an absolute http(s) address; None for a relative one."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    return host


def parse_url(url: str | None) -> tuple[str | None, str | None, int | None]:
    """``(kind, id, page)`` from a thread or article address in any view's form."""
    if not url:
        return None, None, None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None, None, None
    query = parse_qs(parts.query)
    page = _int(query.get("page", [None])[0])
    path = parts.path
    m = _THREAD_PATH.search(path)
    if m:
        return "thread", m.group(1), int(m.group(2))
    m = _ARTICLE_PATH.search(path)
    if m:
        return KIND_ARTICLE, m.group(1), int(m.group(2))
    m = _ARCHIVER_TID.search(path) or _ARCHIVER_TID.search("?" + parts.query)
    if m:
        return "thread", m.group(1), int(m.group(2)) if m.group(2) else page
    tid = (query.get("tid") or query.get("ptid") or [None])[0]
    if tid and tid.isdigit():
        return "thread", tid, page
    aid = (query.get("aid") or [None])[0]
    if aid and aid.isdigit() and "portal" in path:
        return KIND_ARTICLE, aid, page
    return None, None, None


def page_key(doc: Document) -> PageKey:
    """The site, thread and page of one cleaned page."""
    view = view_of(doc)
    host = host_of(doc.url)
    kind, ident, url_page = parse_url(doc.url)
    if doc.kind == KIND_ARTICLE or view == "portal":
        kind = KIND_ARTICLE
    elif doc.thread_id:  # the page's own tid (script variable) beats the address
        kind, ident = "thread", doc.thread_id
    if ident is None and doc.input:  # a saved file keeps its address's name: thread-7-2-1.html
        kind, ident, url_page = parse_url("http://x/" + doc.input.replace("\\", "/").rsplit("/", 1)[-1])
        kind = kind or "thread"
    page = doc.page
    if view == "printable":  # the print view holds the whole thread on one page
        page = 1
    elif page is None and view != "text" and doc.page_count in (None, 1):
        # No page number on the page: a thread without a pager has one page. (Not from a
        # canonical link when the pager names several: it always names page 1.)
        page = url_page or 1
    return PageKey(host=host, kind=kind or "thread", ident=ident, page=page, view=view)


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def page_url(url: str | None, view: str, page: int) -> str | None:
    """``url`` (an address of the thread in ``view``) turned to page ``page`` of that view."""
    if not url:
        return None
    m = _THREAD_PATH.search(url.split("?", 1)[0])
    if m and view in ("desktop", "touch", "simple"):
        start, end = m.span(2)
        url = url[:start] + str(page) + url[end:]
        return _with_mobile(url, view)
    m = _ARTICLE_PATH.search(url.split("?", 1)[0])
    if m:
        start, end = m.span(2)
        return url[:start] + str(page) + url[end:]
    kind, ident, _ = parse_url(url)
    if ident is None:
        return None
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    root = re.sub(r"(?:archiver/|[^/]*\.php|[^/]*\.html?)$", "", parts.path)
    if kind == KIND_ARTICLE:
        return f"{base}{root}portal.php?mod=view&aid={ident}" + (f"&page={page}" if page > 1 else "")
    if view == "archiver":
        return f"{base}{root}archiver/?tid-{ident}.html" + (f"&page={page}" if page > 1 else "")
    if view == "printable":
        return f"{base}{root}forum.php?mod=viewthread&action=printable&tid={ident}"
    script = "viewthread.php?" if parts.path.endswith("viewthread.php") else "forum.php?mod=viewthread&"
    url = f"{base}{root}{script}tid={ident}" + (f"&page={page}" if page > 1 else "")
    return _with_mobile(url, view)


def _with_mobile(url: str, view: str) -> str:
    """Touch and simple pages are the desktop addresses with ``mobile=2`` / ``mobile=1``."""
    if view not in ("touch", "simple") or "mobile=" in url:
        return url
    return url + ("&" if "?" in url else "?") + ("mobile=2" if view == "touch" else "mobile=1")
