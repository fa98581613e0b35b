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


LABELLED_HEADERS = """旧相机换皮教程

作者：银盐老周 发表于 2024-3-9 20:15 楼主

手头这台海鸥的蒙皮已经翘边了。

回复 举报

作者：菲林控 发表于 2024-3-9 21:02 沙发

仿皮在哪买的？

回复 举报

作者：银盐老周 发表于 2024-3-10 08:47 板凳

网上搜就有。

回复 举报
"""


def test_a_theme_label_before_the_author_and_the_floor_mark_after_the_time():
    doc = extract(LABELLED_HEADERS)
    assert [(p.floor, p.author, p.published) for p in doc.posts] == [
        (1, "银盐老周", "2024-03-09T20:15"), (2, "菲林控", "2024-03-09T21:02"), (3, "银盐老周", "2024-03-10T08:47")]
    assert [p.body for p in doc.posts] == ["手头这台海鸥的蒙皮已经翘边了。", "仿皮在哪买的？", "网上搜就有。"]


def test_records_with_a_floor_mark_after_the_time_are_post_headers():
    dump = "\n\n".join(f"{name} 2023-12-0{d} 0{d}:14 #{n}\n\n{body}\n\n回复举报" for n, (name, d, body) in enumerate(
        [("林间小鹿", 2, "北方封闭阳台，夜里很冷。"), ("老陶盆", 3, "搬进屋里吧。"), ("林间小鹿", 4, "谢谢。")], 1))
    doc = extract(dump + "\n")
    assert [(p.floor, p.author, p.body) for p in doc.posts] == [
        (1, "林间小鹿", "北方封闭阳台，夜里很冷。"), (2, "老陶盆", "搬进屋里吧。"), (3, "林间小鹿", "谢谢。")]


def test_the_touch_view_of_a_portal_article_is_an_article():
    dump = ("查看内容\n\n河滨步道二期下月完工\n\n2025-4-18 09:30查看215评论2石桥日报\n\n"
            "记者从市城建局了解到，河滨步道二期工程已进入收尾阶段。\n\n沿线还将增设三处公共卫生间。\n\n"
            "上一篇：老城区雨水管网改造启动下一篇：西环路夜间施工公告\n相关阅读\n")
    doc = extract(dump)
    assert doc.kind == "article" and doc.title == "河滨步道二期下月完工"
    assert [(p.published, p.body) for p in doc.posts] == [
        ("2025-04-18T09:30", "记者从市城建局了解到，河滨步道二期工程已进入收尾阶段。\n沿线还将增设三处公共卫生间。")]
