"""Line-level rules over labelled blocks, shared by every family (HTML and text dumps).

They run after a family has labelled a page, on the lines of each post body: source lines
(their address goes to ``source_urls``), site-wide disclaimers, smiley codes, jammer runs left in
text. Each rule relabels text rather than deleting it, so ``diff`` can show why it went.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .assemble import BodyLine, body_lines
from .blocks import Block, Verdict, kept, line_text, lines, relabel, relabel_spans, removed
from .rules.strings import (
    DISCLAIMERS,
    EDIT_NOTE,
    EDIT_NOTE_WORDS,
    JAMMER_RUN,
    SMILEY_CODE,
    SOURCE_LINE,
    SOURCE_TAIL,
    URL,
    has_jammer_pairs,
)

_TRAILING_PUNCT = ".,;:!?)]}>」』）】。，；：！？"


def clean_url(url: str) -> str:
    url = url.strip().rstrip(_TRAILING_PUNCT)
    if url.lower().startswith("www."):
        url = "http://" + url
    return url


def source_url_of(text: str) -> list[str] | None:
    """If ``text`` is a source-attribution line with an address, the addresses it cites."""
    if "http" not in text and "www." not in text and "ftp:" not in text:
        return None
    m = SOURCE_LINE.match(text) or (SOURCE_TAIL.search(text) if len(text) < 300 else None)
    if not m:
        return None
    urls = [clean_url(u) for u in URL.findall(m.group("rest"))]
    return urls or None


def is_source_label(text: str) -> bool:
    """A source label standing alone (「来源：」), its address on the next line."""
    if not text.rstrip().endswith((":", "：")):  # (checked first: most lines end otherwise)
        return False
    m = SOURCE_LINE.match(text)
    return bool(m) and not m.group("rest").strip()


def is_bare_url(text: str) -> bool:
    m = URL.match(text)
    return bool(m) and m.end() == len(text)


#: Every line a rule of ``apply`` (other than jammer runs) acts on holds one of these: a URL has
#: ``:`` or ``www.``, a lone source label ends with a colon, smiley codes have colons, and the
#: disclaimer and edit-note openings. One search rules the rest out. (A full-width colon counts
#: only at the end: Chinese prose is full of them.)
_MAY_FIRE = re.compile("|".join([":", r"：\s*$", re.escape("www."), *map(re.escape, DISCLAIMERS),
                                 *map(re.escape, EDIT_NOTE_WORDS)]))


#: Every run ``JAMMER_RUN`` matches holds at least this many spaces (each of its five or more
#: steps has one): a line with fewer has no jammer run.
_JAMMER_SPACES = 5


def apply(blocks: list[Block], jammer_text: bool = False) -> tuple[list[Block], list[str]]:
    """Run the line rules over every post body; returns the new blocks and the cited URLs."""
    out: list[Block] = []
    sources: list[str] = []
    label_at: tuple[int, int] | None = None  # (index in out, post) of a lone source label line
    for line in lines(blocks):
        first = line[0].verdict
        if len(line) == 1:  # the common line: one block (read without the general machinery)
            if not first.is_body:
                out.append(line[0])
                continue
            body_post, text = first.post, line[0].text
        else:
            body_post = next((b.verdict.post for b in line if b.verdict.is_body), None)
            if body_post is None:
                out.extend(line)
                continue
            text = "".join(b.text for b in line if b.verdict.is_body and b.verdict.post == body_post)

        if not _MAY_FIRE.search(text) and (not jammer_text or text.count(" ") < _JAMMER_SPACES):
            # (most lines: no rule can apply)
            label_at = None
            out.extend(line)
            continue

        # The rules read and relabel only the post's body text on the line: the chrome and
        # metadata that share the line in ``full`` mode must not change what they see.
        in_body = _body_of(body_post)
        stripped = text.strip()
        urls = source_url_of(stripped)
        pending, label_at = label_at, None
        if pending and pending[1] == body_post and is_bare_url(stripped):
            start = pending[0]
            out[start:] = relabel(out[start:], 0, len(line_text(out[start:])), kept("source", body_post),
                                  in_body)
            urls = [clean_url(stripped)]
        if urls:
            sources.extend(urls)
            line = relabel(line, 0, len(text), kept("source", body_post), in_body)
        elif is_source_label(stripped):
            label_at = (len(out), body_post)
        elif stripped.startswith(DISCLAIMERS):
            line = relabel(line, 0, len(text), removed("disclaimer", body_post), in_body)
        elif EDIT_NOTE.match(stripped):
            # An edit note left as plain text in the body (6.x/7.x bracketed note, dumps).
            line = relabel(line, 0, len(text), removed("edit note", body_post), in_body)
        else:
            if ":" in text:
                line = _relabel_pattern(line, text, SMILEY_CODE, removed("smiley code", body_post), in_body)
            if jammer_text:
                text = "".join(b.text for b in line if in_body(b))
                line = _relabel_pattern(line, text, JAMMER_RUN, removed("jammer", body_post), in_body,
                                        edges_only=True, accept=has_jammer_pairs)
        out.extend(line)
    return out, _unique(sources)


def _body_of(post: int | None) -> Callable[[Block], bool]:
    """A test for the blocks of ``post``'s body."""
    return lambda b: b.verdict.is_body and b.verdict.post == post


def _relabel_pattern(line: list[Block], text: str, pattern: re.Pattern, verdict: Verdict,
                     eligible: Callable[[Block], bool], edges_only: bool = False,
                     accept: Callable[[str], bool] | None = None) -> list[Block]:
    """Relabel matches of ``pattern`` in ``text`` (the eligible blocks' text joined) that
    ``accept`` (if given) takes."""
    bounds: set[int] = set()
    if edges_only:
        # Where the body meets other text on the line is an edge too (a post header glued to it).
        pos, prev = 0, None
        for b in line:
            ok = eligible(b)
            if prev is not None and ok != prev:
                bounds.add(pos)
            if ok:
                pos += len(b.text)
            prev = ok
    spans = []
    for m in pattern.finditer(text):
        if edges_only and not (_at_edge(text, m.start(), m.end()) or m.start() in bounds or m.end() in bounds):
            continue
        if accept is not None and not accept(m.group()):
            continue
        spans.append((m.start(), m.end()))
    return relabel_spans(line, spans, verdict, eligible) if spans else line


def _at_edge(text: str, start: int, end: int) -> bool:
    """A jammer run counts when it touches a line edge or CJK text, never inside Latin prose."""
    # Index scans, not slices: a long line with many runs must stay linear.
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    j = end
    while j < len(text) and text[j].isspace():
        j += 1
    return i < 0 or j >= len(text) or _is_cjk(text[i]) or _is_cjk(text[j])


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


def _unique(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for i in items:
        seen.setdefault(i, None)
    return list(seen)


# -- text a site puts into every post (anatomy §12.11) -------------------------------------------

#: A line is site text when it ends (or starts) at least this many post bodies...
SITE_TEXT_MIN_POSTS = 3
#: ...that many of the page's non-empty bodies...
SITE_TEXT_MIN_SHARE = 0.6
#: ...by at least two different authors, and has at least this many characters (no blanks).
SITE_TEXT_MIN_CHARS = 8


def site_text(blocks: list[Block], authors: list[str | None]) -> tuple[list[Block], list[BodyLine]]:
    """Relabel lines a site writes into every post body (a promo or disclaimer sentence inside
    ``td.t_f``) as removed; returns the blocks and the body lines left.

    A line qualifies when it is the last (or first) line of most bodies on the page (at least
    ``SITE_TEXT_MIN_POSTS`` and ``SITE_TEXT_MIN_SHARE`` of them) by at least two different named
    authors, is long enough to be a sentence, and is not the whole body of those posts (short
    replies that many people write alike, 「谢谢分享」, stay). Lines are peeled from the ends
    while they qualify, so a two-line footer goes too. One author repeating a line on purpose
    never qualifies. The body lines are returned too: the bodies are joined from them.
    """
    count = len(authors)
    rows = body_lines(blocks, count)
    per_post: dict[int, list[tuple[int, str]]] = {}
    for n, post, text in rows:
        per_post.setdefault(post, []).append((n, text))
    if len(per_post) < SITE_TEXT_MIN_POSTS:
        return blocks, rows
    need = max(SITE_TEXT_MIN_POSTS, -(-len(per_post) * SITE_TEXT_MIN_SHARE // 1))
    drop: set[tuple[int, int]] = set()
    for edge in (-1, 0):
        while True:
            groups: dict[str, list[int]] = {}
            for post, post_rows in per_post.items():
                if post_rows:
                    groups.setdefault("".join(post_rows[edge][1].split()), []).append(post)  # (no \s left)
            found = [posts for key, posts in groups.items() if _is_site_line(key, posts, per_post, authors, need)]
            if not found:
                break
            for posts in found:
                for post in posts:
                    drop.add((per_post[post].pop(edge)[0], post))
    if not drop:
        return blocks, rows
    out: list[Block] = []
    for n, line in enumerate(lines(blocks)):
        for b in line:
            v = b.verdict
            if v.is_body and (n, v.post) in drop:
                b = Block(b.text, removed("site-wide text", v.post), b.newline)
            out.append(b)
    return out, [row for row in rows if (row[0], row[1]) not in drop]


def _is_site_line(key: str, posts: list[int], per_post: dict[int, list[tuple[int, str]]],
                  authors: list[str | None], need: float) -> bool:
    if len(posts) < need or len(key) < SITE_TEXT_MIN_CHARS:
        return False
    if len({authors[p] for p in posts if authors[p]}) < 2:
        return False
    # Evidence that the line is added to what people wrote, not what they wrote.
    return sum(1 for p in posts if len(per_post[p]) > 1) >= 2
