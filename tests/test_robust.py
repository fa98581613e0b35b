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


def test_special_threads_keep_only_the_message():
    """Poll, trade, reward, activity and debate threads (anatomy §12.13) wrap the first post in
    ``div.pcbs`` with the special widget around ``td.t_f#postmessage_PID``. Only the message is
    body: poll options and counts, trade cards, the activity's fields and sign-up list, the
    debate's 正方/反方 positions (stored with the debate, not in the post) and the reward's
    「最佳答案」 box (a copy of the best reply, which stays a body of its own floor)."""
    for name, banned in [("x34-poll-thread", ("植物园", "61.40", "多选投票")),
                         ("x34-trade-thread", ("剩余时间", "899")),
                         ("x34-activity-thread", ("活动地点", "已报名", "我要参加")),
                         ("x34-debate-thread", ("正方观点", "中学再学也不迟", "辩手"))]:
        first = extract(name).posts[0].body
        for word in banned:
            assert word not in first, (name, word)
    reward = extract("x34-reward-thread").posts
    assert "漏电保护器" not in reward[0].body and "最佳答案" not in reward[0].body
    assert reward[2].body.startswith("多半是漏电保护器老化了")
    # Debate stands (「正方 支持 12」) are post-header labels, not the reply's text.
    assert all("正方" not in p.body and "支持" not in p.body for p in extract("x34-debate-thread").posts[1:])


def test_classified_fields_are_not_body():
    """Classified ("分类信息") threads print the sort's fields in ``div.typeoption table.cgtl``
    before the message. They are filled in a form defined by the site (the same fields on every
    thread of the sort) and are not part of the post text: not body. A table the author wrote
    inside the message stays body."""
    body = extract("x34-classified-thread").posts[0].body
    assert "2600" not in body and "租金" not in body and "小区" not in body
    assert "押一付三" in body and body.startswith("房子朝南")


def floors(name: str) -> list[int | None]:
    return [p.floor for p in extract(name).posts]


def test_floor_numbers_across_settings():
    # A site's own names for the first floors (「主楼」, 「地下室」) and an 「N楼」 suffix.
    assert floors("x35-floor-names") == [1, 2, 3, 4, 5, 6]
    # ordertype=1: the first post stays on top, replies newest first; 「地下室」 between 5 and 3.
    assert floors("x35-reversed-order") == [1, 7, 6, 5, 4, 3, 2]
    # authorid=N: real floors with gaps.
    assert floors("x35-author-only") == [1, 3, 7, 12]
    # Page 2 of a rush-floor thread: the #pl_top banner and 「抢中本楼」 badges are not posts.
    doc = extract("x35-rush-floor-page2")
    assert [p.floor for p in doc.posts] == [11, 12, 13] and doc.page == 2
    assert not any("抢中" in p.body or "奖励楼层" in p.body for p in doc.posts)


def test_robot_pages_show_no_floors():
    """Robot user agents get no floor links; GOLD: floor is null when the page does not show it."""
    doc = extract("x35-robot-page2")
    assert [p.floor for p in doc.posts] == [None, None, None] and doc.page == 2


@pytest.mark.parametrize("entries, expected", [
    # unread label between two read floors, ascending and descending
    ([(1, False, False), (None, False, True), (3, False, False)], [1, 2, 3]),
    ([(7, False, False), (None, False, True), (5, False, False)], [7, 6, 5]),
    # the gap does not fit (author-only page): left alone
    ([(1, False, False), (None, False, True), (9, False, False)], [1, None, 9]),
    # edges only when every read floor is consecutive
    ([(None, False, True), (2, False, False), (3, False, False)], [1, 2, 3]),
    ([(None, False, True), (2, False, False), (5, False, False)], [None, 2, 5]),
    # pinned copies stand outside the order; unlabelled posts stay unnumbered
    ([(None, True, True), (1, False, False), (2, False, False)], [None, 1, 2]),
    ([(1, False, False), (None, False, False), (3, False, False)], [1, None, 3]),
])
def test_infer_floors(entries, expected):
    from forumclean.families.thread import infer_floors
    assert infer_floors(entries) == expected


def test_date_formats_and_offsets():
    """Site date formats j-n-Y and Y/n/j (posts, titles, quotes, edit notes, the footer clock) and
    offsets other than +8: GMT-5, GMT+5.5."""
    doc = extract("x34-dates-dmy-gmt-minus5")
    assert (doc.timezone, doc.rendered_at) == ("-05:00", "2025-03-14T08:10-05:00")
    assert doc.posts[0].published == "2025-03-10T21:15:42-05:00"
    # 刚刚 / N 秒前 / N 分钟前 / 半小时前 / 昨天 / 前天: from the title attribute
    assert [p.published[11:19] for p in doc.posts[1:]] == [
        "09:30:05", "18:44:10", "07:40:12", "07:58:31", "08:09:15", "08:10:00"]
    assert doc.posts[2].quotes[0].published == "2025-03-12T09:30-05:00"
    assert doc.posts[4].edit.edited == "2025-03-14T08:05-05:00"
    doc = extract("x35-dates-slash-gmt-plus5.5")
    assert doc.timezone == "+05:30"
    # 「昨天 21:40」 without a title resolves from the footer's date; 「3 小时前」 cannot.
    assert [p.published for p in doc.posts[2:4]] == ["2024-11-05T21:40+05:30", None]


def test_7x_guest_anonymous_and_day_relative_times():
    """7.x prints 「游客 <em>IP</em>」, 「匿名」 and 「NAME <em>该用户已被删除</em>」 in ``div.avatar``;
    7.x relative times carry a clock (「2 天前 11:15 PM」) and resolve from the footer's date;
    「GMT,」 without a sign is UTC."""
    doc = extract("d72-guest-relative-gmt0")
    assert doc.timezone == "+00:00"
    assert [p.author for p in doc.posts] == ["伦敦小白", "游客", "匿名", "英伦雨"]
    assert [p.published for p in doc.posts] == ["2009-12-01T10:20+00:00", "2009-12-02T21:05+00:00",
                                                 "2009-12-04T08:30+00:00", "2009-12-03T23:15+00:00"]


def test_taiwan_pack_page():
    """TW pack: 點閱/回覆 counters, 樓主/沙發 labels, 「本文章最後由 … 編輯」, 「剛剛」, and a
    full-width comma in the footer clock."""
    doc = extract("x35-tw-pack")
    assert (doc.views, doc.replies, doc.rendered_at) == (4321, 4, "2025-04-04T12:39+08:00")
    assert [p.floor for p in doc.posts] == [1, 2, 3, 4]
    assert doc.posts[0].edit.edited == "2025-04-02T21:30+08:00"
    assert not doc.posts[0].body.startswith("本文章")
    assert doc.posts[3].published == "2025-04-04T12:38:51+08:00"


def test_uyghur_rtl_page():
    """An Uyghur (RTL) X2.5 page: structure carries everything; the site's own floor names for
    1-3 are numbered from the 4#, 5# after them."""
    doc = extract("x25-uyghur-rtl")
    assert [p.floor for p in doc.posts] == [1, 2, 3, 4, 5]
    assert doc.posts[1].published == "2013-05-03T21:02:11+08:00"
    assert all(p.author and p.body for p in doc.posts)


def test_site_text_in_every_post_is_removed():
    """Lines a site writes into every ``td.t_f`` (a promo first line, a two-line footer) go; the
    thread starter's own sign-off, repeated in three of his posts, stays (one author); a reply
    that is only 「谢谢分享」 keeps its text."""
    doc = extract("x34-site-injected-lines")
    for p in doc.posts:
        assert "本站提示" not in p.body and "送金币" not in p.body and "欢迎您" not in p.body
    assert [p.body.endswith("——小区业委会 老周") for p in doc.posts] == [True, False, True, False, True]
    assert doc.posts[3].body == "谢谢分享"


def _body_blocks(bodies: list[list[str]]) -> list:
    from forumclean.blocks import Block, kept
    return [Block(text, kept("body", i), True) for i, lines in enumerate(bodies) for text in lines]


def test_site_text_spares_replies_people_write_alike():
    from forumclean import assemble
    from forumclean.textrules import site_text
    same = "感谢楼主的无私分享，收藏了！"
    bodies = [["楼主的教程写得很详细，一步一步照着做就成功了。"], [same], [same], [same]]
    blocks = site_text(_body_blocks(bodies), ["a", "b", "c", "d"])[0]
    assert assemble.post_bodies(blocks, 4)[1:] == [same] * 3
    # The same line added under real text by two or more authors is site text.
    bodies = [["第一段内容写在这里。", same], ["第二位的回复内容。", same], ["第三位的回复内容。", same]]
    blocks = site_text(_body_blocks(bodies), ["a", "b", "c"])[0]
    assert all(same not in b for b in assemble.post_bodies(blocks, 3))
    # ...but not when one author wrote all of them, or when the thread is short.
    assert same in assemble.post_bodies(site_text(_body_blocks(bodies), ["a", "a", "a"])[0], 3)[0]
    assert same in assemble.post_bodies(site_text(_body_blocks(bodies[:2]), ["a", "b"])[0], 2)[0]


def test_custom_themes():
    """Commercial themes (anatomy §12.1) that keep the ids with numeric suffixes."""
    # Reordered columns, no div#post_PID, renamed classes, 52pojie-style code box, 「时间：」 label,
    # IP-location suffix, rebranded generator.
    doc = extract("custom-theme-reordered")
    assert [p.author for p in doc.posts] == ["代码搬运工", "leaf_k", "月下独酌", "代码搬运工"]
    assert (doc.views, doc.replies) == (2306, 3)
    code = doc.posts[0].body
    assert "纯文本查看" not in code and "[Python]" not in code and "import os, shutil, datetime" in code
    assert doc.posts[0].published == "2024-03-08T21:14:05+08:00"
    # #postlist renamed, bodies in div.t_f, no favatar ids: authors from the space links outside
    # the body, comments and ratings.
    doc = extract("custom-theme-no-postlist")
    assert doc.family == "discuz-x" and len(doc.posts) == 4
    assert [p.author for p in doc.posts] == ["厨房小白", "吃货老张", "江南味道", "厨房小白"]
    assert not any("学到了" in p.body or "好帖" in p.body for p in doc.posts)


@pytest.mark.parametrize("title, expected", [
    ("红烧肉做法 - 美食厨房 - 青柠社区 - Powered by Discuz!", "红烧肉做法"),
    ("红烧肉做法 - 第2页 - 美食厨房 - 青柠社区", "红烧肉做法"),
    ("青柠社区", None),
    ("第2页 - 青柠社区", None),
])
def test_subject_from_head_title(title, expected):
    from forumclean.families.html import head_title
    from forumclean.page import Page
    page = Page(f"<html><head><title>{title}</title></head><body><p>x</p></body></html>", "html")
    assert head_title(page) == expected


def test_thread_without_title_element_takes_the_subject_from_head():
    html = (FIXTURES / "custom-theme-no-postlist.html").read_text(encoding="utf-8")
    html = html.replace('<span id="thread_subject">周末做了一锅红烧肉，分享下做法</span>', "")
    doc = forumclean.extract(html)
    assert doc.title == "周末做了一锅红烧肉，分享下做法" and len(doc.posts) == 4


def test_in_post_ad_is_not_body():
    """X prints the first post's ``div.a_pr`` ad inside ``td.t_f``: neither its text nor its image
    belongs to the post."""
    first = extract("x34-author-right").posts[0]
    assert "八折" not in first.body and first.images == []


def test_touch_special_threads_and_guest_authors():
    """Touch pages print special-thread widgets inside ``div.message``, with the message itself in
    ``div#postmessage_PID``: only that is body. Guest, anonymous and deleted-user names as on
    desktop."""
    doc = extract("touch-x35-debate-guests")
    assert "正方观点" not in doc.posts[0].body and "辩手" not in doc.posts[0].body
    assert [p.author for p in doc.posts] == ["辩论主持", "游客", "匿名", "风吹麦浪"]
    doc = extract("touch-x35-reward")
    assert doc.posts[0].body.startswith("笔记本用了三年") and "最佳答案" not in doc.posts[0].body
    assert "悬赏" not in doc.posts[0].body and doc.posts[2].body.startswith("多半是散热口堵了")


def test_english_edit_note_is_read():
    html = ('<html><body id="nv_forum" class="pg_viewthread"><div id="postlist"><div id="post_5">'
            '<table id="pid5"><tr><td><em id="authorposton5">Posted on 2024-1-2 10:00:00</em><table><tr>'
            '<td class="t_f" id="postmessage_5"><i class="pstatus"> This post was last edited by bob at '
            '2024-1-2 10:30 </i><br /><br />Hello there, fixed a typo.</td></tr></table></td></tr></table>'
            '</div></div></body></html>')
    post = forumclean.extract(html).posts[0]
    assert (post.edit.editor, post.edit.edited) == ("bob", "2024-01-02T10:30")
    assert post.body == "Hello there, fixed a typo."
