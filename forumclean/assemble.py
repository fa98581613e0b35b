"""Kept body blocks to post bodies. The one place where body text is put together, so the
``diff`` property "kept blocks reassembled equal the extract output" holds by construction."""

from __future__ import annotations

import re

from .blocks import Block, lines

_INNER_WS = re.compile(r"[ \t]+")


def post_bodies(blocks: list[Block], count: int) -> list[str]:
    """Body text of posts ``0..count-1``: kept body lines, trimmed, empty lines dropped."""
    per_post: list[list[str]] = [[] for _ in range(count)]
    for line in lines(blocks):
        parts: dict[int, list[str]] = {}
        for b in line:
            v = b.verdict
            if v.is_body and v.post is not None and 0 <= v.post < count:
                parts.setdefault(v.post, []).append(b.text)
        for post, texts in parts.items():
            text = _INNER_WS.sub(" ", "".join(texts)).strip()
            if text:
                per_post[post].append(text)
    return ["\n".join(p) for p in per_post]
