"""One thread from the pages read of it: every post once, in floor order, from the richest view.

Posts are told apart by their post id (pid) where the page gives one, else by floor, else by
author, minute and body (the archiver and the print view show neither id nor floor). A post seen
on several pages or views is kept once, read from the richest view (desktop, touch, simple,
print, archiver, text dump); fields only a poorer view shows (an id, a floor, seconds of a time)
are filled in from it. A sticky reply repeated on every page counts once.

Two fetches of one page (same view, same page number) are ordered by ``fetched_at``, else by the
footer clock (``rendered_at``), else by input order: the later one wins, and posts that changed
or disappeared between them are named in ``warnings``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone

from ..model import (
    KIND_ARTICLE,
    KIND_NONE,
    KIND_THREAD,
    Document,
    MissingPage,
    Post,
    Thread,
    ThreadPage,
    ThreadPost,
)
from .key import VIEW_RANK, PageKey, page_key, page_url

_SPACE = re.compile(r"\s+")


@dataclass
class _Read:
    """One page read: its document, where it sits, and when it was fetched."""

    doc: Document
    key: PageKey
    order: int
    when: float | None
    superseded: bool = False

    @property
    def rank(self) -> tuple:
        """Richest view first; of two fetches, the later first; then input order."""
        return (VIEW_RANK.get(self.key.view, 9), -(self.when or -math.inf), self.order)


@dataclass
class _Entry:
    """One post of the thread and every reading of it: (read, index on that page, post)."""

    readings: list[tuple[_Read, int, Post]] = field(default_factory=list)

    def has_id(self) -> bool:
        return any(p.id for _, _, p in self.readings)

    def floor(self) -> int | None:
        return next((p.floor for _, _, p in self.readings if p.floor is not None), None)


def merge(documents: Sequence[Document], key: str | None = None) -> Thread:
    """The whole thread the pages ``documents`` (in input order) belong to.

    ``key``: the thread key they were grouped by (None: pages whose site or thread could not be
    told, merged as given).
    """
    reads = [_Read(doc, page_key(doc), i, _when(doc)) for i, doc in enumerate(documents)]
    warnings: list[str] = []
    _mark_superseded(reads, warnings)
    current = sorted((r for r in reads if not r.superseded), key=lambda r: r.rank)
    is_article = any(r.key.kind == KIND_ARTICLE for r in reads)
    older = [r for r in reads if r.superseded]
    entries = _article_entries(current) if is_article else _thread_entries(current, older)
    _warn_disagreements(entries, warnings)

    ordered_reads = sorted(reads, key=lambda r: (VIEW_RANK.get(r.key.view, 9), r.key.page or 0, r.order))
    page_index = {id(r): i for i, r in enumerate(ordered_reads)}
    posts = [_merged_post(e, page_index) for e in _in_floor_order(entries, is_article)]
    thread = Thread(key=key, pages=[_page_record(r) for r in ordered_reads], posts=posts)
    _thread_facts(thread, current or reads, is_article)
    thread.missing_floors = [] if is_article else _missing_floors(posts)
    full_views = _missing_pages(thread, current)
    thread.complete = key is not None and full_views > 0 and not thread.missing_floors and bool(posts)
    if key is None:
        warnings.insert(0, _unkeyed_reason(reads))
    for r in ordered_reads:
        warnings.extend(f"{r.doc.input}: {w}" for w in r.doc.warnings)
    thread.warnings = warnings
    return thread


# -- fetches of the same page ----------------------------------------------------------------

def _mark_superseded(reads: list[_Read], warnings: list[str]) -> None:
    """Of several fetches of one page of one view, all but the latest are superseded."""
    by_page: dict[tuple, list[_Read]] = {}
    for r in reads:
        if r.key.page is not None and r.doc.kind != KIND_NONE:
            by_page.setdefault((r.key.view, r.key.page), []).append(r)
    for (view, page), group in by_page.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda r: (r.when if r.when is not None else -math.inf, r.order))
        latest = group[-1]
        for older in group[:-1]:
            older.superseded = True
            _compare_fetches(older, latest, view, page, warnings)


def _compare_fetches(older: _Read, later: _Read, view: str, page: int, warnings: list[str]) -> None:
    if older.key.kind == KIND_ARTICLE:  # an article page is one part: compared by place
        pairs = [(post, later.doc.posts[i] if i < len(later.doc.posts) else None)
                 for i, post in enumerate(older.doc.posts)]
    else:
        later_posts: dict[tuple, Post] = {}
        for p in later.doc.posts:
            later_posts.setdefault(_identity(p), p)
            later_posts.setdefault(("body", _author(p.author), _norm(p.body)), p)
        pairs = [(post, later_posts.get(_identity(post))
                  or later_posts.get(("body", _author(post.author), _norm(post.body))))
                 for post in older.doc.posts]
    where = f"{view} page {page}"
    for post, now in pairs:
        if now is None:
            warnings.append(f"{_name(post)} of {where} is in {older.doc.input} but not in the later fetch "
                            f"{later.doc.input} (deleted or moved); the later fetch is kept")
        elif _norm(now.body) != _norm(post.body):
            warnings.append(f"{_name(post)} of {where} differs between {older.doc.input} and the later fetch "
                            f"{later.doc.input} (edited); the later fetch is kept")


def _identity(post: Post) -> tuple:
    if post.id:
        return ("id", post.id)
    if post.floor is not None:
        return ("floor", post.floor)
    return ("post", _author(post.author), _minute(post.published))


def _name(post: Post) -> str:
    parts = [f"#{post.floor}" if post.floor is not None else None,
             f"pid {post.id}" if post.id else None, post.author]
    return "post " + " ".join(p for p in parts if p)


# -- matching readings of one post -----------------------------------------------------------

class _Index:
    """Finds the entry a reading belongs to: by id, by floor, by author + minute, by body."""

    def __init__(self) -> None:
        self.entries: list[_Entry] = []
        self.by_id: dict[str, _Entry] = {}
        self.by_floor: dict[int, _Entry] = {}
        self.by_time: dict[tuple, list[_Entry]] = {}
        self.by_body: dict[tuple, list[_Entry]] = {}

    def find(self, post: Post, taken: set[int]) -> _Entry | None:
        if post.id and post.id in self.by_id:
            return self.by_id[post.id]
        if post.floor is not None:
            e = self.by_floor.get(post.floor)
            if (e is not None and id(e) not in taken and not (post.id and e.has_id())
                    and _same_author(e, post)):
                return e
        for index, k in ((self.by_time, _time_key(post)), (self.by_body, _body_key(post))):
            if k is None:
                continue
            for e in index.get(k, ()):
                if id(e) not in taken and not (post.id and e.has_id()) and _floor_fits(e, post):
                    return e
        return None

    def add(self, entry: _Entry, post: Post) -> None:
        if not entry.readings:
            self.entries.append(entry)
        if post.id:
            self.by_id.setdefault(post.id, entry)
        if post.floor is not None:
            self.by_floor.setdefault(post.floor, entry)
        for index, k in ((self.by_time, _time_key(post)), (self.by_body, _body_key(post))):
            if k is not None and entry not in index.setdefault(k, []):
                index[k].append(entry)


def _thread_entries(reads: list[_Read], older: list[_Read]) -> list[_Entry]:
    """Entries of the current reads' posts; older fetches' posts join the entries they match
    (an id or floor that only the older fetch shows fills in), but make none."""
    index = _Index()
    for r in reads:  # richest first, so poorer views find the ids and floors already there
        taken: set[int] = set()
        for i, post in enumerate(r.doc.posts):
            entry = index.find(post, taken) or _Entry()
            index.add(entry, post)
            entry.readings.append((r, i, post))
            taken.add(id(entry))
    for r in older:
        taken = set()
        for i, post in enumerate(r.doc.posts):
            entry = index.find(post, taken)
            if entry is not None:
                entry.readings.append((r, i, post))
                taken.add(id(entry))
    return index.entries


def _article_entries(reads: list[_Read]) -> list[_Entry]:
    """A portal article's pages each hold one part of it: one entry per page (and part)."""
    by_part: dict[tuple, _Entry] = {}
    for r in reads:
        for i, post in enumerate(r.doc.posts):
            by_part.setdefault((r.key.page or 1, i), _Entry()).readings.append((r, i, post))
    return [by_part[k] for k in sorted(by_part)]


def _same_author(entry: _Entry, post: Post) -> bool:
    if not post.author:
        return True
    authors = {_author(p.author) for _, _, p in entry.readings if p.author}
    return not authors or _author(post.author) in authors


def _floor_fits(entry: _Entry, post: Post) -> bool:
    floor = entry.floor()
    return post.floor is None or floor is None or floor == post.floor


def _time_key(post: Post) -> tuple | None:
    minute = _minute(post.published)
    return ("t", _author(post.author), minute) if minute and post.author else None


def _body_key(post: Post) -> tuple | None:
    body = _norm(post.body)
    return ("b", _author(post.author), body) if body else None


def _author(name: str | None) -> str:
    return _SPACE.sub("", name or "").casefold()


def _minute(published: str | None) -> str | None:
    """The wall-clock minute of a time (views differ in seconds and in stating the offset)."""
    return published[:16] if published and len(published) >= 16 else None


def _norm(text: str | None) -> str:
    return _SPACE.sub("", text or "")


def _warn_disagreements(entries: list[_Entry], warnings: list[str]) -> None:
    """A post read in two fetches of the same view with different bodies (an edit between)."""
    for e in entries:
        by_view: dict[str, list[tuple[_Read, Post]]] = {}
        for r, _, p in e.readings:
            if not r.superseded:  # older fetches were compared with the later ones already
                by_view.setdefault(r.key.view, []).append((r, p))
        for view, seen in by_view.items():
            if view == "text":  # two dumps of a page differ by their renderer, not by an edit
                continue
            bodies = {_norm(p.body) for _, p in seen}
            if len(bodies) > 1:
                r_new, p_new = min(seen, key=lambda rp: rp[0].rank)
                warnings.append(f"{_name(p_new)} differs between fetches of the {view} view "
                                f"({', '.join(str(r.doc.input) for r, _ in seen)}); "
                                f"{r_new.doc.input} is kept")


# -- the merged post -------------------------------------------------------------------------

def _winner(entry: _Entry) -> tuple[_Read, int, Post]:
    """The reading kept: a whole one before a cut one, then the richest view, then the latest."""
    return min(entry.readings, key=lambda rip: (rip[0].superseded, rip[2].partial, rip[0].rank))


_FILLED = ("id", "floor", "author", "quotes", "images", "edit")
#: What an older fetch may still tell about a post (its text and notes are the later fetch's).
_FROM_OLDER = ("id", "floor")


def _merged_post(entry: _Entry, page_index: dict[int, int]) -> ThreadPost:
    read, _, best = _winner(entry)
    values = {f.name: getattr(best, f.name) for f in fields(Post)}
    others = sorted(entry.readings, key=lambda rip: rip[0].rank)
    current = [p for r, _, p in others if not r.superseded]
    for name in _FILLED:  # what only a poorer view shows
        if not values[name]:
            pool = [p for _, _, p in others] if name in _FROM_OLDER else current
            values[name] = next((getattr(p, name) for p in pool if getattr(p, name)), values[name])
    values["published"] = _best_time(best.published, [p.published for p in current])
    return ThreadPost(**values, from_page=page_index[id(read)])


def _best_time(kept: str | None, seen: list[str | None]) -> str | None:
    """The kept reading's time, or a more precise reading of the same minute (seconds, offset)."""
    if kept is None:
        return next((t for t in seen if t), None)
    same = [t for t in seen if t and t[:16] == kept[:16]]
    return max(same + [kept], key=len)


def _in_floor_order(entries: list[_Entry], is_article: bool) -> list[_Entry]:
    """Floors in order; a post without a floor sits after the floor read just before it on its
    page (or before the one just after it), else by time among the posts with floors."""
    if is_article:
        return entries
    position: dict[int, float] = {e_id: float(f) for e_id, f in
                                  ((id(e), e.floor()) for e in entries) if f is not None}
    by_reading = {(id(r), i): e for e in entries for r, i, _ in e.readings}
    timed = sorted((_minute(e.readings[0][2].published) or "", position[id(e)]) for e in entries
                   if id(e) in position)
    for n, e in enumerate(entries):
        if id(e) in position:
            continue
        r, i, post = _winner(e)
        at = _anchor(r, i, by_reading, position)
        if at is None:
            minute = _minute(post.published) or ""
            before = [f for t, f in timed if t and t <= minute]
            at = (max(before) if before else 0) + 0.5 if timed else (r.key.page or 0) * 1e4 + i
        position[id(e)] = at + n * 1e-9
    return sorted(entries, key=lambda e: position[id(e)])


def _anchor(r: _Read, i: int, by_reading: dict, position: dict[int, float]) -> float | None:
    posts = r.doc.posts
    for step in range(1, len(posts)):
        for j, sign in ((i - step, 1), (i + step, -1)):
            if 0 <= j < len(posts):
                e = by_reading.get((id(r), j))
                if e is not None and e.floor() is not None:
                    return e.floor() + sign * step * 1e-3
    return None


# -- the thread record -----------------------------------------------------------------------

def _page_record(r: _Read) -> ThreadPage:
    d = r.doc
    return ThreadPage(input=d.input, view=r.key.view, family=d.family, page=r.key.page, page_count=d.page_count,
                      url=d.url, fetched_at=d.fetched_at, rendered_at=d.rendered_at, posts=len(d.posts),
                      superseded=r.superseded)


def _thread_facts(thread: Thread, reads: list[_Read], is_article: bool) -> None:
    best = sorted(reads, key=lambda r: (r.doc.kind == KIND_NONE, r.rank))
    thread.kind = (KIND_ARTICLE if is_article else KIND_THREAD) if thread.posts else KIND_NONE
    for name in ("title", "site", "forum"):
        setattr(thread, name, next((getattr(r.doc, name) for r in best if getattr(r.doc, name)), None))
    thread.host = best[0].key.host
    thread.thread_id = next((r.key.ident for r in best if r.key.ident), None)
    thread.url = _first_page_url(best)
    for r in sorted(reads, key=lambda r: (r.key.page or 0, r.rank)):
        for u in r.doc.source_urls:
            if u not in thread.source_urls:
                thread.source_urls.append(u)


def _first_page_url(best: list[_Read]) -> str | None:
    """Page 1's address in the richest view that states one (an address in a form not known
    here is kept when it is page 1's)."""
    for r in sorted(best, key=lambda r: r.key.view in ("archiver", "printable")):
        if r.doc.url:
            url = page_url(r.doc.url, "desktop", 1)
            if url is None and r.key.page in (1, None):
                url = r.doc.url
            if url:
                return url
    return None


def _missing_floors(posts: list[ThreadPost]) -> list[int]:
    floors = {p.floor for p in posts if p.floor is not None and p.floor > 0}
    if not floors:
        return []
    return [f for f in range(1, max(floors)) if f not in floors]


def _missing_pages(thread: Thread, reads: list[_Read]) -> int:
    """Fill ``thread.missing_pages``; return how many views were read whole."""
    whole = 0
    by_view: dict[str, list[_Read]] = {}
    for r in reads:
        if r.doc.kind != KIND_NONE:
            by_view.setdefault(r.key.view, []).append(r)
    for view in sorted(by_view, key=lambda v: VIEW_RANK.get(v, 9)):
        group = by_view[view]
        read = {r.key.page for r in group if r.key.page is not None}
        if not read:
            continue
        count = max([r.doc.page_count or 0 for r in group] + [max(read)])
        if view == "printable":
            count = 1
        lacking = [p for p in range(1, count + 1) if p not in read]
        if not lacking:
            whole += 1
        template = next((r.doc.url for r in group if r.doc.url), None)
        thread.missing_pages.extend(MissingPage(view=view, page=p, url=page_url(template, view, p))
                                    for p in lacking)
    return whole


def _unkeyed_reason(reads: list[_Read]) -> str:
    k = reads[0].key
    unknown = " and ".join(w for w, v in (("site", k.host), ("thread", k.ident)) if v is None) or "thread"
    return f"{reads[0].doc.input}: the {unknown} of this page cannot be told; kept as a thread of its own"


def _when(doc: Document) -> float | None:
    """When the page was fetched (or rendered), as a timestamp; naive times taken as UTC."""
    for value in (doc.fetched_at, doc.rendered_at):
        if value:
            try:
                t = datetime.fromisoformat(value)
            except ValueError:
                continue
            if t.tzinfo is None:
                t = t.replace(tzinfo=timezone.utc)
            return t.timestamp()
    return None
