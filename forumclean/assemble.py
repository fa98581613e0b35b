"""Kept body blocks to post bodies. The one place where body text is put together, so the
``diff`` property "kept blocks reassembled equal the extract output" holds by construction."""

from __future__ import annotations

import re

from .blocks import Block

# Blanks inside a line, no-break spaces among them: the HTML side folds them while walking the
# page (blocks.fold); text dumps (a browser's copy keeps &nbsp; as U+00A0) get the same here.
_INNER_WS = re.compile(r"[ \t\u00a0]+")

#: ``(visual line index, post, text)``: one non-empty line of one post's body.
BodyLine = tuple[int, int, str]


def body_lines(blocks: list[Block], count: int) -> list[BodyLine]:
    """Every non-empty body line, in reading order (a visual line shared by two posts' bodies
    gives one line to each, in the order they start on it)."""
    # One pass over the blocks (no regrouping into lines): a post's text goes to a new row when
    # the visual line changes since its last block.
    rows: list[list] = []  # [line index, post, [texts]]
    open_rows: dict[int, list] = {}
    n = -1
    for b in blocks:
        if b.newline or n < 0:
            n += 1
        v = b.verdict
        if v.is_body:
            post = v.post
            if post is None or not 0 <= post < count:
                continue
            row = open_rows.get(post)
            if row is None or row[0] != n:
                row = open_rows[post] = [n, post, [b.text]]
                rows.append(row)
            else:
                row[2].append(b.text)
    out: list[BodyLine] = []
    for n, post, texts in rows:
        text = normalise_line(texts[0] if len(texts) == 1 else "".join(texts))
        if text:
            out.append((n, post, text))
    return out


def normalise_line(text: str) -> str:
    """A line as a post body holds it: inner runs of blanks folded, ends trimmed."""
    if "  " in text or "\t" in text or "\xa0" in text:  # (substring scans are cheaper than a regex pass)
        text = _INNER_WS.sub(" ", text)
    return text.strip()


def join_bodies(rows: list[BodyLine], count: int) -> list[str]:
    """Body text of posts ``0..count-1`` from their body lines."""
    per_post: list[list[str]] = [[] for _ in range(count)]
    for _, post, text in rows:
        per_post[post].append(text)
    return ["\n".join(p) for p in per_post]


def post_bodies(blocks: list[Block], count: int) -> list[str]:
    """Body text of posts ``0..count-1``: kept body lines, trimmed, empty lines dropped."""
    return join_bodies(body_lines(blocks, count), count)
