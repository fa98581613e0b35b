"""Documents to text and JSON: the output formats every command shares."""

from __future__ import annotations

import json
from typing import Any

from .model import Document

FORMATS = ("text", "json", "jsonl")
EXTENSIONS = {"text": ".txt", "json": ".json", "jsonl": ".jsonl"}


def as_record(item: Document | dict) -> dict[str, Any]:
    return item.to_dict() if isinstance(item, Document) else item


def render_text(doc: Document) -> str:
    """Readable and diff-friendly: the title, then each post under a short header line."""
    out: list[str] = []
    if doc.title:
        out += [doc.title, "=" * min(60, max(4, _width(doc.title)))]
    if doc.source_urls:
        out.append("source: " + " ".join(doc.source_urls))
    for post in doc.posts:
        head = [f"#{post.floor}" if post.floor is not None else "#?"]
        if post.author:
            head.append(post.author)
        if post.published:
            head.append(post.published)
        if out:
            out.append("")
        out.append(" · ".join(head))
        if post.body:
            out.append(post.body)
    return "\n".join(out) + "\n" if out else ""


def render(item: Document | dict, fmt: str) -> str:
    """One input's output in ``fmt`` (an error record renders as JSON in every machine format)."""
    if fmt == "text":
        return render_text(item) if isinstance(item, Document) else ""
    record = as_record(item)
    if fmt == "json":
        return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return json.dumps(record, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}")


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)
