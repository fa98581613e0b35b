"""Kept body blocks to post bodies. The one place where body text is put together, so the
``diff`` property "kept blocks reassembled equal the extract output" holds by construction."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .blocks import Block, lines

_INNER_WS = re.compile(r"[ \t]+")


def body_lines(blocks: list[Block], count: int) -> Iterator[tuple[int, int, str]]:
    """``(visual line index, post, text)`` for every non-empty body line, in reading order."""
    for n, line in enumerate(lines(blocks)):
        parts: dict[int, list[str]] = {}
        for b in line:
            v = b.verdict
            if v.is_body and v.post is not None and 0 <= v.post < count:
                parts.setdefault(v.post, []).append(b.text)
        for post, texts in parts.items():
            text = normalise_line("".join(texts))
            if text:
                yield n, post, text


def normalise_line(text: str) -> str:
    """A line as a post body holds it: inner runs of blanks folded, ends trimmed."""
    return _INNER_WS.sub(" ", text).strip()


def post_bodies(blocks: list[Block], count: int) -> list[str]:
    """Body text of posts ``0..count-1``: kept body lines, trimmed, empty lines dropped."""
    per_post: list[list[str]] = [[] for _ in range(count)]
    for _, post, text in body_lines(blocks, count):
        per_post[post].append(text)
    return ["\n".join(p) for p in per_post]
