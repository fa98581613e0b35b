"""Settings and templates of other Discuz sites (anatomy §4.6, §12): behaviour the fixture pages
pin down, with the decisions behind it.

Authors (GOLD.md: the display name, null when the page shows none):
- 「匿名」 posts (anonymous, anonymity text configurable) keep the text the page prints in the
  author slot, 「匿名」: it is what a reader sees as the poster, and the archiver and print views
  already report it the same way.
- guest posts print 「游客 <em>IP</em>」 (X3.2, 7.x) or 「匿名 <em>IP</em>」 (X3.4+): the label without
  the IP (an IP is not a name).
- deleted users print 「NAME <em>该用户已被删除</em>」: the name.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES

import forumclean
from forumclean.families.thread import author_name


def extract(name: str) -> forumclean.Document:
    return forumclean.extract((FIXTURES / f"{name}.html").read_bytes())


@pytest.mark.parametrize("text, expected", [
    ("云中雁 该用户已被删除", "云中雁"),
    ("游客 117.136.5.x", "游客"),
    ("匿名 10.2.*.*", "匿名"),
    ("匿名 183.14.72.9:51234", "匿名"),
    ("楼主 | 听松居士", "听松居士"),
    ("楼主|", None),
    ("匿名", "匿名"),
    ("", None),
    ("user2024", "user2024"),
])
def test_author_name(text, expected):
    assert author_name(text) == expected


def test_anonymous_guest_and_deleted_authors():
    authors = [p.author for p in extract("x32-anonymous-guest-deleted").posts]
    assert authors == ["巷口老王", "游客", "匿名", "阿秀裁缝", "巷口老王"]


def test_author_on_the_right():
    """「author on left」 off: the name is ``div.authi a.xi2`` beside the time."""
    authors = [p.author for p in extract("x34-author-right").posts]
    assert authors == ["听松居士", "山野闲人", "匿名", "匿名", "云中雁", "听松居士"]
