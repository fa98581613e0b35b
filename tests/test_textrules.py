"""The line rules over post bodies (textrules.apply), one case per rule."""

from __future__ import annotations

import pytest

from forumclean import assemble
from forumclean.blocks import Block, kept
from forumclean.textrules import apply


def run(*body_lines: str) -> tuple[str, list[str], list[str]]:
    """Apply the rules to one post's lines: (kept body, cited URLs, removal reasons)."""
    blocks = [Block(text, kept("body", 0), True) for text in body_lines]
    out, cited = apply(blocks)
    reasons = sorted({b.verdict.role for b in out if not b.verdict.is_body})
    return assemble.post_bodies(out, 1)[0], cited, reasons


@pytest.mark.parametrize("line, url", [
    ("来源：https://news.example.org/a/1.html", "https://news.example.org/a/1.html"),
    ("文章来源 www.example.net/story/9", "http://www.example.net/story/9"),
    ("本文转载自星火日报，原文地址：http://paper.example.com/2024/5.html", "http://paper.example.com/2024/5.html"),
])
def test_source_lines_go_to_source_urls(line, url):
    body, cited, reasons = run("正文第一段。", line)
    assert body == "正文第一段。" and cited == [url] and reasons == ["source"]


def test_lone_source_label_takes_the_address_on_the_next_line():
    body, cited, _ = run("正文。", "来源：", "https://news.example.org/b.html", "后记一行。")
    assert body == "正文。\n后记一行。" and cited == ["https://news.example.org/b.html"]


def test_source_without_an_address_stays():
    assert run("来源：星火日报", "正文。")[0] == "来源：星火日报\n正文。"


def test_disclaimer_edit_note_and_smiley_codes_go():
    body, _, reasons = run("本帖最后由 青柳骑士 于 2024-5-18 10:00 编辑", "说得对 {:14:} 同意 :lol",
                           "免责声明：本文仅代表作者观点。")
    assert body == "说得对 同意" and reasons == ["disclaimer", "edit note", "smiley code"]


def test_prose_with_full_width_colons_and_times_is_kept_whole():
    lines = ("时间：周六上午，地点：北门。", "集合 08:30，出发 09:00。", "注意事项：带水。")
    assert run(*lines) == ("\n".join(lines), [], [])
