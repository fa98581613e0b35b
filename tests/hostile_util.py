"""Helpers for the hostile-input tests: page generators, the library contract, running the CLI."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from lxml import etree

import forumclean
from forumclean.errors import ForumcleanError
from forumclean.model import Document
from forumclean.pipeline import read_page

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "x35-thread-quote.html"
PAGE = FIXTURE.read_bytes()
PAGE_TEXT = PAGE.decode("utf-8")
#: A phrase from each post body of the fixture, in order.
BODIES = ["从北桥出发", "湿地公园周末人多吗", "上午人少"]

_HEAD, _REST = PAGE.split(b'<div id="post_9001">', 1)
_TAIL = b'<div id="f_pst"' + _REST.split(b'<div id="f_pst"', 1)[1]


def post_markup(i: int, body: str | None = None, author: bool = True) -> bytes:
    """One compact Discuz X post container (about 370 bytes; 240 without the author cell)."""
    body = f"第{i}楼的内容 body {i}" if body is None else body
    cell = (f'<td class="pls"><div class="authi"><a class="xw1" href="space-uid-{i}.html">u{i}</a></div></td>'
            if author else "")
    return (f'<div id="post_{i}"><table id="pid{i}"><tr>{cell}<td class="plc">'
            f'<strong><a id="postnum{i}">{i}#</a></strong><em id="authorposton{i}">发表于 2024-5-18 09:12'
            f'</em><table><tr><td class="t_f" id="postmessage_{i}">{body}</td></tr></table></td></tr>'
            f'</table></div>').encode()


def thread_page(posts: bytes) -> bytes:
    """The fixture's page chrome around other post markup."""
    return _HEAD + posts + b"</div>" + _TAIL


def with_body(replacement: bytes, phrase: str = "上午人少") -> bytes:
    """The fixture with ``replacement`` inserted in the third post's body, before ``phrase``."""
    needle = phrase.encode()
    assert needle in PAGE
    return PAGE.replace(needle, replacement + needle, 1)


def extract_or_error(data: bytes | str) -> Document | ForumcleanError:
    try:
        return forumclean.extract(data)
    except ForumcleanError as exc:
        return exc


#: An HTML character reference as a text dump may hold one (html2text and reader modes keep them).
_REFERENCE = re.compile(r"&#?\w+;?")


def _either_reading(match: re.Match) -> str:
    # The raw reference followed by what it decodes to: as a subsequence haystack this accepts a
    # body that kept the reference and a body that decoded it.
    return match.group() + html.unescape(match.group())


def visible_chars(data: bytes | str) -> str:
    """The page's text as parsed (scripts and styles left out), white space removed."""
    page = read_page(data)
    if page.input_format == "text":  # a text dump: its text is what the reader sees
        return "".join(_REFERENCE.sub(_either_reading, page.text).split())
    parts: list[str] = []
    # The whole document: a page spliced after its own </html> can leave a second <html>
    # beside the first, and its elements are still found by id().
    root = page.root
    tops = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
    for top in tops:
        for event, node in etree.iterwalk(top, events=("start", "end")):
            if event == "start":
                if isinstance(node.tag, str) and node.tag not in ("script", "style"):
                    parts.append(node.text or "")
            elif node is not top:
                parts.append(node.tail or "")
    seen = "".join("".join(parts).split())
    if not seen:
        # This parse of a broken page found no text (libxml2 read the rest of the page into an
        # attribute): fall back to the page's text between tags.
        seen = "".join(re.sub(r"<[^>]*>", " ", html.unescape(page.text)).split())
    return seen


def is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(c in it for c in needle)


def check_contract(data: bytes | str) -> Document | ForumcleanError:
    """The library's promise for any input: a Document whose JSON round-trips and whose post
    bodies come from the page's own text (in order, only removals), or a ForumcleanError."""
    result = extract_or_error(data)
    if isinstance(result, ForumcleanError):
        assert str(result) and "\n" not in str(result), repr(str(result))
        return result
    doc = result
    encoded = json.dumps(doc.to_dict(), ensure_ascii=False).encode("utf-8")  # strict: no surrogates
    assert Document.from_dict(json.loads(encoded)) == doc
    if any(p.body for p in doc.posts):
        seen = visible_chars(data)
        for post in doc.posts:
            body = "".join(post.body.split())
            assert is_subsequence(body, seen), f"body not from the page: {post.body[:80]!r}"
    return doc


def cli(*args: str | bytes, cwd: Path | None = None, stdin=subprocess.DEVNULL, hooks: Path | None = None,
        timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    """``python -m forumclean extract ARGS`` in a subprocess (bytes in and out)."""
    return subprocess.run(cli_command(*args), cwd=cwd, stdin=stdin, capture_output=True, timeout=timeout,
                          env=cli_env(hooks), **kw)


def cli_command(*args: str | bytes) -> list:
    return [sys.executable, "-m", "forumclean", "extract", *args]


def cli_env(hooks: Path | None = None) -> dict:
    """The environment for the CLI: this checkout first, and a folder with a ``sitecustomize``
    (fault injection) before it when given."""
    env = dict(os.environ)
    path = [str(ROOT)] + ([str(hooks)] if hooks else [])
    if hooks:
        path.reverse()
    env["PYTHONPATH"] = os.pathsep.join(path + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env.pop("PYTHONSTARTUP", None)
    return env


def stderr_lines(proc: subprocess.CompletedProcess | bytes) -> list[str]:
    raw = proc if isinstance(proc, bytes) else proc.stderr
    return raw.decode("utf-8", "replace").splitlines()


def assert_clean_stderr(raw: bytes) -> list[str]:
    """Every line a one-line forumclean message; no traceback, no interpreter noise."""
    lines = stderr_lines(raw)
    text = "\n".join(lines)
    assert "Traceback" not in text and "Exception ignored" not in text, text
    for line in lines:
        assert line.startswith("forumclean: "), text
    return lines
