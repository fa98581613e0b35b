"""Line-level rules over labelled blocks, shared by every family (HTML and text dumps).

They run after a family has labelled a page, on the lines of each post body: source lines
(their address goes to ``source_urls``), site-wide disclaimers, smiley codes, jammer runs left in
text. Each rule relabels text rather than deleting it, so ``diff`` can show why it went.
"""

from __future__ import annotations

import re

from .blocks import Block, Verdict, kept, line_text, lines, relabel, relabel_spans, removed
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
        body_post = next((b.verdict.post for b in line if b.verdict.is_body), None)
        if body_post is None:
            out.extend(line)
            continue
        text = line_text(line, keep_only=True)
        stripped = text.strip()
        urls = source_url_of(stripped)
        if urls:
            sources.extend(urls)
            line = relabel(line, 0, len(line_text(line)), kept("source", body_post))
        elif stripped.startswith(DISCLAIMERS):
            line = relabel(line, 0, len(line_text(line)), removed("disclaimer", body_post))
        else:
            line = _relabel_pattern(line, SMILEY_CODE, removed("smiley code", body_post))
            if jammer_text:
                line = _relabel_pattern(line, JAMMER_RUN, removed("jammer", body_post), edges_only=True)
        out.extend(line)
    return out, _unique(sources)


def _relabel_pattern(line: list[Block], pattern: re.Pattern, verdict: Verdict,
                     edges_only: bool = False) -> list[Block]:
    full = line_text(line)
    spans = []
    for m in pattern.finditer(full):
        if edges_only and not _at_edge(full, m.start(), m.end()):
            continue
        spans.append((m.start(), m.end()))
    return relabel_spans(line, spans, verdict) if spans else line


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
