"""The real pages as copies of them turn up: re-encoded without a charset, written as character
references, with a host's scripts after ``</html>``, a long inline-styled head, resources
inlined, minified, stripped of scripts or of the head, turned to mojibake, with unquoted
attributes, saved by old Internet Explorer; the real dumps double-spaced. A copy must score as
the page itself does (body F1, post count, authors, dates): the rules follow Discuz's structure,
not a saved file's accidents."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CORPUS

from forumclean.decode import decode_page
from forumclean.evaluate import PageScore, corpus_pages, forumclean_extractor, score_page

pytestmark = pytest.mark.corpus

_META_CHARSET = re.compile(r"<meta[^>]*charset[^>]*>", re.I)
_HEAD_OPEN = re.compile(r"<head[^>]*>|<html[^>]*>", re.I)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_QUOTED = re.compile(r"""(\s[\w:-]+)=(["'])([\w./:#-]+)\2""")
_NAME = re.compile(r"^(</?)([a-zA-Z][a-zA-Z0-9]*)")


def _unquoted(tag: str) -> str:
    return _QUOTED.sub(r"\1=\3", tag)


def _upper_name(tag: str) -> str:
    return _NAME.sub(lambda m: m.group(1) + m.group(2).upper(), tag)


def _undeclared(codec: str) -> Callable[[str], bytes | None]:
    """The page in ``codec`` with its meta charset removed (an inline script's stale one stays),
    for pages whose text that codec can hold."""
    def rewrite(text: str) -> bytes | None:
        try:
            return _META_CHARSET.sub("", text).encode(codec)
        except UnicodeEncodeError:
            return None
    return rewrite


def _long_head_and_trailer(text: str) -> bytes:
    at = _HEAD_OPEN.search(text).end()
    text = text[:at] + "<style>" + ".a{color:red}\n" * 3000 + "</style>" + text[at:]
    return (text + "\n<script>/*" + "tracking " * 2000 + "*/</script>\n").encode("utf-8")


def _inlined_resources(text: str) -> bytes:
    """Saved with its fonts and style sheets inlined (a single-file page): a head of 300 KB."""
    at = _HEAD_OPEN.search(text).end()
    font = "@font-face{src:url(data:font/woff2;base64," + "A" * 1000 + ")}\n"
    return (text[:at] + "<style>" + font * 300 + "</style>" + text[at:]).encode("utf-8")


def _without_head(text: str) -> bytes:
    return re.sub(r"<head\b.*?</head\s*>", '<head><meta charset="utf-8"></head>', text,
                  count=1, flags=re.S | re.I).encode("utf-8")


VARIANTS: dict[str, Callable[[str], bytes | None]] = {
    "undeclared-gbk": _undeclared("gbk"),
    "undeclared-big5": _undeclared("big5"),
    "character-references": lambda text: text.encode("ascii", "xmlcharrefreplace"),
    "long-head-and-trailer": _long_head_and_trailer,
    "inlined-resources": _inlined_resources,
    "minified": lambda text: re.sub(r">\s+<", "><", text).encode("utf-8"),
    "no-scripts": lambda text: re.sub(r"<(script|style)\b.*?</\1\s*>", "", text,
                                      flags=re.S | re.I).encode("utf-8"),
    "no-head": _without_head,
    # read as Latin-1 and saved as UTF-8 by a tool that ignored the charset
    "mojibake": lambda text: text.encode("utf-8").decode("latin-1").encode("utf-8"),
    # a minifier or serializer that drops the quotes HTML lets it drop (id=postlist)
    "unquoted-attributes": lambda text: _TAG.sub(lambda tag: _unquoted(tag.group()), text).encode("utf-8"),
    # old Internet Explorer's "save as": <DIV class=plc id=pid1>
    "internet-explorer": lambda text: _TAG.sub(lambda tag: _unquoted(_upper_name(tag.group())), text).encode("utf-8"),
}


def _originals(kind: str) -> list[tuple[str, str, dict, PageScore]]:
    folder = CORPUS / kind
    if not folder.is_dir():
        pytest.skip(f"real-page corpus not found at {folder} (it sits beside the checkout in CI)")
    out = []
    for pid, page, gold_path in corpus_pages(folder):
        data = page.read_bytes()
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        out.append((pid, decode_page(data).text, gold, score_page(gold, forumclean_extractor(data, page), pid)))
    return out


@pytest.fixture(scope="module")
def originals() -> list[tuple[str, str, dict, PageScore]]:
    return _originals("html")


@pytest.fixture(scope="module")
def dumps() -> list[tuple[str, str, dict, PageScore]]:
    return _originals("text")


def _facts(s: PageScore) -> tuple:
    return round(s.f1, 3), s.posts_exact, s.dates_right, s.authors_right


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_copy_scores_as_the_page_does(originals, variant):
    _assert_copies_score_alike(originals, VARIANTS[variant])


def test_a_double_spaced_dump_scores_as_the_dump_does(dumps):
    _assert_copies_score_alike(dumps, lambda text: text.replace("\n", "\n\n").encode("utf-8"))


def _assert_copies_score_alike(originals: list, rewrite: Callable[[str], bytes | None]) -> None:
    differ, scored = [], 0
    for pid, text, gold, plain in originals:
        data = rewrite(text)
        if data is None:
            continue
        copy = score_page(gold, forumclean_extractor(data, Path(pid)), pid)
        scored += 1
        if _facts(copy) != _facts(plain):
            differ.append((pid, _facts(plain), _facts(copy)))
    assert scored >= 5, scored  # (Big5 holds only the traditional-Chinese pages)
    assert not differ, differ
