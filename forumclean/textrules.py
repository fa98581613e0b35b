"""Line-level rules over labelled blocks, shared by every family (HTML and text dumps).

They run after a family has labelled a page, on the lines of each post body: source lines
(their address goes to ``source_urls``), site-wide disclaimers, smiley codes, jammer runs left in
text. Each rule relabels text rather than deleting it, so ``diff`` can show why it went.
"""

from __future__ import annotations

import re

from .blocks import Block, Verdict, kept, line_text, lines, relabel, removed
from .rules.strings import DISCLAIMERS, JAMMER_RUN, SMILEY_CODE, SOURCE_LINE, URL

_TRAILING_PUNCT = ".,;:!?)]}>」』）】。，；：！？"


def clean_url(url: str) -> str:
    url = url.strip().rstrip(_TRAILING_PUNCT)
    if url.lower().startswith("www."):
        url = "http://" + url
    return url


def source_url_of(text: str) -> list[str] | None:
    """If ``text`` is a source-attribution line with an address, the addresses it cites."""
    m = SOURCE_LINE.match(text)
    if not m:
        return None
    urls = [clean_url(u) for u in URL.findall(m.group("rest"))]
    return urls or None


def apply(blocks: list[Block], jammer_text: bool = False) -> tuple[list[Block], list[str]]:
    """Run the line rules over every post body; returns the new blocks and the cited URLs."""
    out: list[Block] = []
    sources: list[str] = []
    for line in lines(blocks):
        body_post = None
        for b in line:
            if b.verdict.is_body:
                body_post = b.verdict.post
                break
        if body_post is None:
            out.extend(line)
            continue
        full = line_text(line)
        text = full if all(b.verdict.keep for b in line) else line_text(line, keep_only=True)
        stripped = text.strip()
        urls = source_url_of(stripped)
        if urls:
            sources.extend(urls)
            line = relabel(line, 0, len(full), kept("source", body_post))
        elif stripped.startswith(DISCLAIMERS):
            line = relabel(line, 0, len(full), removed("disclaimer", body_post))
        else:
            if ":" in full:  # every smiley code has one: skip the search on most lines
                line = _relabel_pattern(line, SMILEY_CODE, removed("smiley code", body_post), full=full)
            if jammer_text:
                line = _relabel_pattern(line, JAMMER_RUN, removed("jammer", body_post), edges_only=True)
        out.extend(line)
    return out, _unique(sources)


def _relabel_pattern(line: list[Block], pattern: re.Pattern, verdict: Verdict,
                     edges_only: bool = False, full: str | None = None) -> list[Block]:
    if full is None:
        full = line_text(line)
    spans = []
    for m in pattern.finditer(full):
        if edges_only and not _at_edge(full, m.start(), m.end()):
            continue
        spans.append((m.start(), m.end()))
    for start, end in reversed(spans):
        line = relabel(line, start, end, verdict)
    return line


def _at_edge(text: str, start: int, end: int) -> bool:
    """A jammer run counts when it touches a line edge or CJK text, never inside Latin prose."""
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    return (not before or not after or _is_cjk(before[-1]) or _is_cjk(after[0]))


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


def _unique(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for i in items:
        seen.setdefault(i, None)
    return list(seen)
