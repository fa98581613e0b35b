"""Dumps of templates the reader has no rule for by name: it reads the post template from the
dump itself (the header shape the page repeats, where the author sits around it). One invented
fixture per kind of template; the full expected documents are in fixtures/*.expected.json."""

from __future__ import annotations

from conftest import FIXTURES

from forumclean import extract
from forumclean.pipeline import run


def _doc(name: str):
    return extract((FIXTURES / f"{name}.txt").read_bytes())


def test_author_column_above_the_header_and_dates_that_are_not_post_times():
    # 6/7 table layout: name, group, UID, 帖子, 最后登录 DATE, 「1#」, then 「大 中 小 发表于 T」;
    # attachment upload dates and the 本主题由 … 于 T 移动 note are not post headers
    d = _doc("text-d7-author-above")
    assert [(p.floor, p.author, p.published) for p in d.posts] == [
        (1, "木棉", "2010-06-28T21:05+08:00"), (2, "青豆豆", "2010-06-28T22:17+08:00"),
        (3, "木棉", "2010-06-29T08:40+08:00")]
    first = d.posts[0].body
    assert "上传" not in first and "本主题由" not in first and "您所在的用户组" not in first
    assert not any("UID" in p.body or "最后登录" in p.body or "青豆豆" in p.body for p in d.posts)


def test_compact_headers_without_the_verb():
    d = _doc("text-compact-headers")
    assert d.title == "老镜头转接微单有什么讲究"
    assert [p.author for p in d.posts] == ["快门老张", "胶片小王", "快门老张"]
    assert d.posts[1].published == "2008-03-07T20:31:12+08:00"
    assert "显示全部楼层" not in "".join(p.body for p in d.posts)


def test_archive_with_front_matter_banner_headings_and_a_bot_line():
    d = _doc("text-archive-headings")
    assert d.url == "https://bbs.example.org/thread-30211-1-1.html"
    assert [(p.floor, p.author) for p in d.posts] == [(1, "花匠小周"), (2, "阿柚"), (3, "花匠小周")]
    text = "".join(p.body for p in d.posts)
    assert "存档助手" not in text and "title:" not in text and "原文地址" not in text


def test_portal_article_with_a_themes_meta_line():
    d = _doc("text-portal-custom")
    assert d.kind == "article" and d.title == "青溪古镇老街修缮完工，五月起恢复开放"
    (post,) = d.posts
    assert post.author == "青溪编辑部" and post.published == "2024-04-02T09:30+08:00"
    assert post.body.startswith("历时八个月") and post.body.endswith("周末将有民俗表演。")
    for chrome in ("摘要", "相关阅读", "最新评论", "上一篇", "路过的游客"):
        assert chrome not in post.body


def test_touch_comments_are_not_posts():
    # 点评 comments print 「NAME / 发表于 T」: where the posts carry touch headers, they are comments
    d = _doc("text-touch-comments")
    assert [p.author for p in d.posts] == ["橙子味的夏天", "宠物医生小周", "绿豆汤"]
    assert "同问" not in "".join(p.body for p in d.posts)
    assert not any("首页" in p.body or "触屏版" in p.body for p in d.posts)


def test_lynx_image_names_before_the_header_make_no_column():
    d = _doc("text-lynx-images")
    assert [(p.floor, p.author) for p in d.posts] == [(1, "手作小铺"), (3, "手作小铺"), (7, "手作小铺"), (12, "手作小铺")]
    assert all(p.body.startswith(("准备", "第")) for p in d.posts)


def test_discuz_5_archiver_record_lines():
    d = _doc("text-archiver-5")
    assert d.title == "临帖一个月的变化"
    assert [(p.author, p.published) for p in d.posts] == [
        ("墨池", "2007-06-03T19:20"), ("砚边客", "2007-06-03T21:02"), ("清风徐来", "2007-06-04T08:45")]
    assert d.posts[2].body == "用的什么纸？毛边纸还是宣纸？"  # without 「回复 #1 墨池的帖子」


def test_blog_list_is_not_a_thread():
    d = _doc("text-blog-list")
    assert d.kind == "none" and d.posts == []


def test_every_line_has_one_verdict_with_a_reason():
    # diff shows each line of a dump once, kept as something or removed for a reason
    for name in ("text-d7-author-above", "text-portal-custom", "text-archive-headings", "text-compact-headers"):
        blocks = run((FIXTURES / f"{name}.txt").read_bytes(), full=True).blocks
        assert blocks and all(b.verdict.role for b in blocks)
