"""The one document model that every stage fills and every output reads.

Its JSON form (``Document.to_dict``) is the public contract: scripts rely on the field names.
Everything here is plain data (dataclasses of str/int/list), so documents pickle cleanly and can
cross process boundaries in batch, Spark, Ray or datatrove jobs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

#: ``Document.kind`` values.
KIND_THREAD = "thread"
KIND_ARTICLE = "article"
KIND_NONE = "none"


@dataclass
class Quote:
    """A quoted earlier post, kept apart from the body."""

    author: str | None = None
    published: str | None = None
    text: str = ""


@dataclass
class Image:
    """An image shown inside a post (attachment or inline)."""

    url: str
    alt: str | None = None


@dataclass
class Edit:
    """The 「本帖最后由 X 于 T 编辑」 note: who edited the post and when."""

    editor: str | None = None
    edited: str | None = None


@dataclass
class Post:
    id: str | None = None
    floor: int | None = None
    author: str | None = None
    published: str | None = None
    body: str = ""
    quotes: list[Quote] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    edit: Edit | None = None
    #: True when the page was cut off inside this post.
    partial: bool = False


@dataclass
class Document:
    input: str | None = None
    kind: str = KIND_NONE
    family: str = "generic"
    title: str | None = None
    url: str | None = None
    source_urls: list[str] = field(default_factory=list)
    site: str | None = None
    #: The site's ICP licence number as the footer prints it (「琼ICP备2023002130号」).
    icp: str | None = None
    forum: str | None = None
    thread_id: str | None = None
    page: int | None = None
    views: int | None = None
    replies: int | None = None
    #: UTC offset stated by the page (footer ``GMT+8`` gives ``+08:00``); None when not stated.
    timezone: str | None = None
    #: The page's render time (the footer clock), ISO 8601.
    rendered_at: str | None = None
    #: When the page was fetched (a WARC record's ``WARC-Date``), ISO 8601; None when unknown.
    fetched_at: str | None = None
    generator: str | None = None
    #: ``html`` or ``text``: what the input was read as.
    input_format: str = "html"
    encoding: str | None = None
    posts: list[Post] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: How many pages the thread or article has, as the page's pager says (「共 3 页」, its last
    #: page link); None when the page shows no pager.
    page_count: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        data = dict(data)
        posts = [Post(**_post_fields(p)) for p in data.pop("posts", []) or []]
        return cls(posts=posts, **data)

    @property
    def text(self) -> str:
        """All post bodies joined, blank line between posts."""
        return "\n\n".join(p.body for p in self.posts if p.body)


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(obj: Any) -> dict[str, Any]:
    """``dataclasses.asdict`` for this model's values (str, int, bool, None, lists, dataclasses):
    the same dict, several times faster than asdict's generic deep copy, which was the biggest
    cost of writing a record after cleaning."""
    names = _FIELDS.get(type(obj))
    if names is None:
        names = _FIELDS[type(obj)] = tuple(f.name for f in fields(obj))
    out = {}
    for name in names:
        value = getattr(obj, name)
        if type(value) is list:
            value = [_plain(v) if hasattr(v, "__dataclass_fields__") else v for v in value]
        elif hasattr(value, "__dataclass_fields__"):
            value = _plain(value)
        out[name] = value
    return out


@dataclass
class ThreadPost(Post):
    """A post of a whole thread: a page's post, and where it was taken from."""

    #: Index in ``Thread.pages`` of the page whose reading of this post was kept.
    from_page: int | None = None


@dataclass
class ThreadPage:
    """One page read for a thread."""

    input: str | None = None
    #: ``desktop``, ``touch``, ``simple``, ``printable``, ``archiver``, ``portal`` or ``text``.
    view: str = "desktop"
    family: str = "generic"
    page: int | None = None
    page_count: int | None = None
    url: str | None = None
    fetched_at: str | None = None
    rendered_at: str | None = None
    posts: int = 0
    #: True when a later fetch of the same page of the same view replaced this one.
    superseded: bool = False


@dataclass
class MissingPage:
    """A page the thread's pager names that no input held."""

    view: str
    page: int
    url: str | None = None


@dataclass
class Thread:
    """A whole thread (or portal article) merged from the pages read of it: every post once."""

    #: ``HOST/thread/TID`` or ``HOST/article/AID``; None when the site or thread could not be told.
    key: str | None = None
    kind: str = KIND_NONE
    title: str | None = None
    url: str | None = None
    source_urls: list[str] = field(default_factory=list)
    site: str | None = None
    host: str | None = None
    forum: str | None = None
    thread_id: str | None = None
    pages: list[ThreadPage] = field(default_factory=list)
    posts: list[ThreadPost] = field(default_factory=list)
    #: True when every page of at least one view was read and no floor is missing.
    complete: bool = False
    missing_pages: list[MissingPage] = field(default_factory=list)
    missing_floors: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Thread:
        data = dict(data)
        posts = [ThreadPost(**_post_fields(p)) for p in data.pop("posts", []) or []]
        pages = [ThreadPage(**p) for p in data.pop("pages", []) or []]
        missing = [MissingPage(**m) for m in data.pop("missing_pages", []) or []]
        return cls(posts=posts, pages=pages, missing_pages=missing, **data)

    def as_document(self) -> Document:
        """The thread as one page's ``Document`` (for the text view and page-wise tools)."""
        return Document(input=self.pages[0].input if self.pages else None, kind=self.kind,
                        family=self.pages[0].family if self.pages else "generic", title=self.title,
                        url=self.url, source_urls=list(self.source_urls), site=self.site,
                        forum=self.forum, thread_id=self.thread_id, posts=list(self.posts),
                        warnings=list(self.warnings))


def error_record(input_name: str, error_type: str, message: str) -> dict[str, Any]:
    """The record a failed input yields in every output format."""
    return {"input": input_name, "error": {"type": error_type, "message": message}}


def _post_fields(p: dict[str, Any]) -> dict[str, Any]:
    """A post's JSON fields with its quotes, images and edit note as their classes."""
    p = dict(p)
    p["quotes"] = [Quote(**q) for q in p.get("quotes", [])]
    p["images"] = [Image(**i) for i in p.get("images", [])]
    p["edit"] = Edit(**p["edit"]) if p.get("edit") else None
    return p
