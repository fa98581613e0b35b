"""Copies of text dumps the ways they turn up: double-spaced, with the page's header lines or a
post's header cut off, wrapped in an archive's front matter, cut to their first 2 KB. Each copy
must read as the dump it was made from (as far as it still holds it)."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES
from text_renderers import RendererMissing, innertext, lynx, lynx_numbered

from forumclean import extract
from forumclean.evaluate import f1
from forumclean.rules import textdump as R

THREADS = ["text-zh-hans-lines", "text-zh-hant-tw", "text-english", "text-w3m-columns", "text-markdown"]
# HTML fixtures whose innerText dumps read right (posts and authors as the HTML's): the copies
# of these must read the same
RENDERED = ["x35-thread-quote", "x35-floor-names", "x35-attachments", "d72-thread-12h", "archiver-x-thread"]


def _text(name: str) -> str:
    if name in RENDERED:
        return innertext((FIXTURES / f"{name}.html").read_bytes())
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")


def minute(ts: str | None) -> str | None:
    """A post time to the minute, without its offset (a cut dump may have lost the footer's
    「GMT+8」)."""
    return ts[:16] if ts else None


def _rows(doc) -> list[tuple]:
    return [(p.author, minute(p.published), p.body) for p in doc.posts]


@pytest.mark.parametrize("name", THREADS + RENDERED)
def test_double_spaced(name):
    text = _text(name)
    plain, doubled = extract(text), extract(text.replace("\n", "\n\n"))
    assert len(plain.posts) >= 2
    assert _rows(doubled) == _rows(plain)


@pytest.mark.parametrize("name", THREADS + RENDERED)
def test_page_header_cut_off(name):
    # the page's top (site banner, navigation, title, counters) gone: the dump starts at the line
    # before the first post header; the posts read as before
    text = _text(name)
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if R.POSTED_RE.search(line) or R.PRINT_HEADER.search(line))
    cut = "\n".join(lines[max(0, first - 1):])
    plain = extract(text)
    got = extract(cut)
    assert [(a, t) for a, t, _b in _rows(got)][1:] == [(a, t) for a, t, _b in _rows(plain)][1:]
    assert [b for _a, _t, b in _rows(got)] == [b for _a, _t, b in _rows(plain)]


@pytest.mark.parametrize("name", ["text-zh-hans-lines", "text-english", "text-zh-hant-tw"])
def test_post_headers_cut_off(name):
    # a copy of one post's text without its header: one post whose text is the post's text
    plain = extract(_text(name))
    body = plain.posts[1].body
    got = extract(body + "\n")
    assert got.kind == "thread" and len(got.posts) == 1
    assert f1(body, got.posts[0].body)[2] >= 0.95


@pytest.mark.parametrize("name", THREADS + RENDERED)
def test_front_matter(name):
    # an archive's YAML block before the dump: its address is the page's; the posts read as before
    text = _text(name)
    block = "---\ntitle: \"存档的标题\"\nurl: https://bbs.example.org/thread-9-1-1.html\nsaved: 2025-06-01\n---\n\n"
    plain, got = extract(text), extract(block + text)
    assert _rows(got) == _rows(plain)
    assert got.title == (plain.title or "存档的标题")
    assert got.url == "https://bbs.example.org/thread-9-1-1.html"
    assert not any("存档的标题" in p.body or "saved:" in p.body for p in got.posts)


def test_front_matter_names_the_thread_when_the_page_does_not():
    block = "---\ntitle: 阳台种番茄\nsource: https://bbs.example.net/thread-5021-1-1.html\n---\n"
    body = "楼主 发表于 2025-4-3 20:10:11 | 只看该作者\n\n去年开始在阳台上种番茄，记一下心得。\n"
    got = extract(block + body)
    assert got.title == "阳台种番茄" and got.url == "https://bbs.example.net/thread-5021-1-1.html"
    assert [p.body for p in got.posts] == ["去年开始在阳台上种番茄，记一下心得。"]


@pytest.mark.parametrize("name", THREADS + RENDERED)
def test_first_2kb(name):
    # only the first 2 KB: no error; the posts found are the first posts of the whole dump, each
    # whole but the last, and the last one's text is where the cut left it
    text = _text(name)
    cut = text.encode("utf-8")[:2048].decode("utf-8", "ignore")
    plain, got = extract(text), extract(cut)
    assert len(got.posts) <= len(plain.posts)
    for a, b in zip(got.posts[:-1], plain.posts, strict=False):
        assert (a.author, minute(a.published), a.body) == (b.author, minute(b.published), b.body)
    if got.posts:
        last, same = got.posts[-1], plain.posts[len(got.posts) - 1]
        assert (last.author, minute(last.published)) == (same.author, minute(same.published))
        # what it kept is the post's own text (nothing, when the cut falls in a quote above it)
        assert not last.body or f1(same.body, last.body)[0] >= 0.9


@pytest.mark.parametrize("name", RENDERED)
def test_link_numbered_dump_reads_as_the_dump_without_numbers(name):
    """``lynx -dump`` as it comes (links numbered, their list at the end) reads as ``-nolist``."""
    data = (FIXTURES / f"{name}.html").read_bytes()
    try:
        with_numbers, without = lynx_numbered(data), lynx(data)
    except RendererMissing as exc:
        pytest.skip(str(exc))
    assert "[3]" in with_numbers  # the renderer did number the links
    doc, ref = extract(with_numbers), extract(without)
    assert doc.kind == ref.kind
    assert [(p.floor, p.author, p.published) for p in doc.posts] == [
        (p.floor, p.author, p.published) for p in ref.posts]
    assert f1(ref.text, doc.text)[2] >= 0.98
    assert not any(re.search(r"\[\d+\]", p.body) for p in doc.posts)


NUMBERED_DUMP = """[1]设为首页[2]收藏本站
[3]河畔论坛 » [4]闲聊 » 旧书交换
查看: 12|回复: 1
旧书交换
[5]书虫
[6]楼主 发表于 2024-3-1 10:00:00 | [7]只看该作者
家里有几本旧书可以交换，书单见注释[1]。
[1] 都是小说。
[8]回复 [9]举报
[10]读者甲
[11]沙发 发表于 2024-3-1 11:00:00 | [12]只看该作者
我想换第二本。
[13]回复 [14]举报
GMT+8, 2024-3-2 08:00
Powered by [15]Discuz! X3.4

References

   1. javascript:;
"""


def test_link_numbers_are_markup_and_a_footnote_mark_is_text():
    doc = extract(NUMBERED_DUMP)
    assert [(p.floor, p.author) for p in doc.posts] == [(1, "书虫"), (2, "读者甲")]
    first = doc.posts[0].body
    assert "注释[1]" in first and "[1] 都是小说" in first  # out of the count: the author's own marks
    assert not re.search(r"\[(?:[2-9]|1\d)\]", first + doc.posts[1].body)
