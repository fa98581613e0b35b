"""Text renderers for HTML pages: the ways a page becomes a plain-text dump in the wild.

Each renderer takes the page's bytes and returns its text, or raises ``RendererMissing`` when
the tool is not installed. ``innertext`` is a walk of our own over lxml that prints what a
browser's ``innerText`` prints: block elements on lines of their own, table cells separated by
tabs, hidden elements (``display:none``, ``<script>``, ``<style>``) left out.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from forumclean.decode import decode


class RendererMissing(Exception):
    """The tool a renderer needs is not installed."""


BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main menu nav ol p pre section "
    "summary table tbody thead tfoot tr ul".split())
SKIP_TAGS = frozenset("script style noscript template head title iframe object select textarea".split())


def _text_of(data: bytes) -> str:
    return decode(data)[0]


def _as_utf8(data: bytes) -> bytes:
    """The page as UTF-8 whose declarations say so (lynx and w3m believe a <meta> charset)."""
    text = re.sub(r"(?i)(charset\s*=\s*[\"']?)[\w-]+", r"\1utf-8", _text_of(data), count=3)
    return re.sub(r"^\s*<\?xml[^>]*>", "", text).encode("utf-8")


def _run(cmd: list[str], data: bytes) -> str:
    if shutil.which(cmd[0]) is None:
        raise RendererMissing(f"{cmd[0]} is not installed")
    done = subprocess.run(cmd, input=data, capture_output=True, timeout=60, check=False)
    return done.stdout.decode("utf-8", "replace")


def w3m(data: bytes) -> str:
    html = _as_utf8(data)
    return _run(["w3m", "-dump", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8", "-cols", "120"], html)


def lynx(data: bytes) -> str:
    html = _as_utf8(data)
    return _run(["lynx", "-dump", "-nolist", "-stdin", "-assume_charset=utf-8", "-display_charset=utf-8",
                 "-width=120"], html)


def lynx_numbered(data: bytes) -> str:
    """``lynx -dump`` as it comes by default: every link numbered (「[12]柳岸社区」), the list of
    addresses at the end."""
    html = _as_utf8(data)
    return _run(["lynx", "-dump", "-stdin", "-assume_charset=utf-8", "-display_charset=utf-8", "-width=120"], html)


def w3m_numbered(data: bytes) -> str:
    """``w3m -dump`` with link numbers (printed in the page's order, so out of order in columns)."""
    html = _as_utf8(data)
    return _run(["w3m", "-dump", "-o", "display_link_number=1", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8",
                 "-cols", "120"], html)


def html2text(data: bytes) -> str:
    try:
        import html2text as h2t
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RendererMissing("html2text is not installed") from exc
    conv = h2t.HTML2Text()
    conv.body_width = 0
    return conv.handle(_text_of(data))


def inscriptis(data: bytes) -> str:
    try:
        from inscriptis import get_text
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RendererMissing("inscriptis is not installed") from exc
    return get_text(_text_of(data))


def _hidden(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or el.get("hidden") is not None


def innertext(data: bytes) -> str:
    """What ``document.body.innerText`` gives: our own walk over the lxml tree."""
    import lxml.html

    html = re.sub(r"^\s*<\?xml[^>]*>", "", _text_of(data))  # lxml refuses a declared encoding in a str
    root = lxml.html.document_fromstring(html or "<html></html>")
    out: list[str] = []

    def brk() -> None:
        if out and not out[-1].endswith("\n"):
            out.append("\n")

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in SKIP_TAGS or not tag or _hidden(el):
            if el.tail:
                out.append(el.tail)  # (a comment's tail, a hidden element's tail)
            return
        block = tag in BLOCK_TAGS
        if block:
            brk()
        if tag == "br":
            out.append("\n")
        if tag == "img" and el.get("alt"):
            out.append(el.get("alt"))
        if el.text:
            out.append(el.text)
        for child in el:
            walk(child)
        if tag in ("td", "th"):
            out.append("\t")
        if block:
            brk()
            if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"):
                out.append("\n")
        if el.tail:
            out.append(el.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    lines = [" ".join(line.split()) for line in "".join(out).split("\n")]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"


RENDERERS = {"w3m": w3m, "lynx": lynx, "html2text": html2text, "inscriptis": inscriptis, "innertext": innertext}
