"""The structural rules of the HTML families on small invented pages: attachment boxes by a file
link with a size beside it, repeated post units of an unknown template (and lists that are not
posts), the author label, the thread address stated by the page's own links."""

from __future__ import annotations

from lxml import etree

import forumclean
from forumclean.blocks import BODY, kept, walk
from forumclean.families.html import stated_thread_url
from forumclean.families.message import label_message, read_images
from forumclean.families.thread import author_name
from forumclean.page import Page


def _body_text(markup: str) -> tuple[str, dict, etree._Element]:
    body = etree.fromstring(f"<td id='postmessage_1'>{markup}</td>", etree.HTMLParser()).find(".//td")
    verdicts = {body: kept(BODY, 0)}
    label_message(body, verdicts, 0)
    text = "".join(b.text for b in walk([body], verdicts) if b.verdict.is_body)
    return " ".join(text.split()), verdicts, body


def test_an_inline_attachment_loses_its_name_size_and_icon():
    text, verdicts, body = _body_text(
        '电路图在这里：<br /><img src="images/attachicons/rar.gif" /> <span><a href="attachment.php?aid=MTIz">'
        '<strong>图纸.rar</strong></a></span> (2.31 MB)<br />换电容前先放电。')
    assert text.replace(" ", "") == "电路图在这里：换电容前先放电。"
    assert read_images(body, "http://bbs.example.org/", verdicts) == []


def test_an_attachment_link_without_a_size_is_the_author_s_text():
    text, _, _ = _body_text('楼主的 <a href="forum.php?mod=attachment&amp;aid=NzE=">手册.zip</a> 正是我要的。')
    assert text == "楼主的 手册.zip 正是我要的。"


def test_a_file_table_goes_whole_but_a_table_with_prose_stays():
    files, _, _ = _body_text(
        '<table><tr><th>文件</th><th>大小</th></tr>'
        '<tr><td><a href="attachment.php?aid=1">a.pdf</a></td><td>312 KB</td><td>下载次数: 5</td></tr></table>结尾')
    assert files == "结尾"
    prose, _, _ = _body_text(
        '<table><tr><td>步骤一：拆下后盖，参考 <a href="attachment.php?aid=1">a.pdf</a></td><td>312 KB</td></tr>'
        '<tr><td>步骤二：换电容</td><td>十分钟</td></tr></table>')
    assert prose.replace(" ", "") == "步骤一：拆下后盖，参考a.pdf312KB步骤二：换电容十分钟"


def test_an_attached_image_in_the_body_stays_an_image():
    text, verdicts, body = _body_text(
        '看图：<span><img id="aimg_7" file="data/attachment/forum/x.jpg" src="static/image/common/none.gif" />'
        ' <a href="forum.php?mod=attachment&amp;aid=Nw==">x.jpg</a> (96 KB)</span>就是这台。')
    assert [im.url for im in read_images(body, "http://bbs.example.org/", verdicts)] == \
        ["http://bbs.example.org/data/attachment/forum/x.jpg"]
    assert "就是这台" in text


def test_the_language_pack_author_label_is_not_the_name():
    assert author_name("作者：银盐老周") == "银盐老周"
    assert author_name("發布者: 小周") == "小周"
    assert author_name("作者") == "作者"  # a member may be called so; only a label has a colon


_LIST_PAGE = """<html><head><title>话题列表 - 园艺角</title></head><body>
<h1>全部话题</h1><ul class="topics">
<li><a href="/t/1">春天换盆用什么土</a> <a href="/u/3">小鹿</a> 2023-11-28</li>
<li><a href="/t/2">龟背竹叶子发黄怎么办</a> <a href="/u/4">老陶</a> 2023-11-30</li>
<li><a href="/t/3">多肉过冬</a> <a href="/u/5">阿青</a> 2023-12-01</li>
</ul><p>园艺角是一个交流种花种菜经验的地方，欢迎每一位热爱植物的朋友在这里分享自己的心得与照片。</p>
</body></html>"""


def test_a_list_of_links_with_dates_is_not_a_thread():
    doc = forumclean.extract(_LIST_PAGE.encode("utf-8"))
    assert doc.kind != "thread"


def test_the_thread_address_from_the_share_link_needs_an_absolute_base():
    page_with_base = Page('<html><head><base href="https://bbs.example.org/" /></head><body>'
                          '<a href="forum.php?mod=viewthread&amp;tid=77&amp;fromuid=3" '
                          'onclick="return copyThreadUrl(this, \'x\')">[复制链接]</a></body></html>', "html")
    assert stated_thread_url(page_with_base) == "https://bbs.example.org/forum.php?mod=viewthread&tid=77"
    without = Page('<html><body><form action="forum.php?mod=post&amp;action=reply&amp;fid=2&amp;tid=77">'
                   '</form></body></html>', "html")
    assert stated_thread_url(without) is None


def test_the_thread_address_in_the_forms_discuz_gives_it():
    rewritten = Page('<html><head><base href="https://a.example/bbs/" /></head><body>'
                     '<a href="thread-77-3-1.html" onclick="return copyThreadUrl(this)">[复制链接]</a></body></html>',
                     "html")
    assert stated_thread_url(rewritten) == "https://a.example/bbs/thread-77-1-1.html"
    old_reply_form = Page('<html><body><form method="post" action="http://b.example/forum/post.php?'
                          'action=reply&amp;fid=2&amp;tid=9&amp;extra=&amp;replysubmit=yes"></form></body></html>',
                          "html")
    assert stated_thread_url(old_reply_form) == "http://b.example/forum/viewthread.php?tid=9"


_BLOG = """<html><head><title>一篇游记</title></head><body><article><h1>秋天的坝上草原</h1>
<p>{}</p></article><section class="comments">
<div class="c"><a href="/u/1">阿青</a> 2023-10-02 <p>照片拍得真好看，下次也想去。</p></div>
<div class="c"><a href="/u/2">老陶</a> 2023-10-03 <p>请问住的是哪家民宿？</p></div>
</section></body></html>""".format("九月底去了坝上，草已经黄了，早晚很冷，要带厚外套。" * 20)


def test_an_article_with_comments_stays_an_article():
    doc = forumclean.extract(_BLOG.encode("utf-8"))
    assert doc.kind == "article" and "九月底去了坝上" in doc.posts[0].body


def test_an_x_inline_attachment_goes_and_the_text_after_it_stays():
    text, _, _ = _body_text(
        '资料见附件：<br /><ignore_js_op><img src="static/image/filetype/zip.gif" /> <span id="attach_55">'
        '<a href="forum.php?mod=attachment&amp;aid=NTV8">资料包.zip</a> <em class="xg1">(1.2 MB, 下载次数: 17)</em>'
        '</span><div class="tip tip_4" id="attach_55_menu" style="display: none">2024-5-1 10:00 上传 点击文件名下载附件'
        '</div></ignore_js_op>好的')
    assert text.replace(" ", "") == "资料见附件：好的"


def test_a_saved_copy_s_rewritten_attachment_link_is_known_by_its_id():
    text, _, _ = _body_text('下载：<img src="images/attachicons/zip.gif" /> <span id="attach_88">'
                            '<a href="attachment_files/a88.html"><strong>地图.zip</strong></a></span> (5.2 MB)<br />到了')
    assert text.replace(" ", "") == "下载：到了"


_RENAMED_THREAD = """<html><head><title>换季衣服怎么收纳 - 生活 - 小城论坛 - Powered by Discuz!</title></head><body>
<div class="k-list">
<div class="k-card" id="pid501"><div class="k-top"><a href="home.php?mod=space&amp;uid=8">阿梅</a>
<span>发表于 2024-9-1 10:20</span></div><div class="k-msg">真空压缩袋最省地方，羽绒服别压太久。</div></div>
<div class="k-card" id="pid502"><div class="k-top"><a href="home.php?mod=space&amp;uid=9">捣蛋鬼</a>
<span>发表于 2024-9-1 11:02</span></div><div class="k-msg"><div>提示: <em>作者被禁止或删除 内容自动屏蔽</em></div></div></div>
<div class="k-card" id="pid503"><div class="k-top"><a href="home.php?mod=space&amp;uid=8">阿梅</a>
<span>发表于 2024-9-1 12:45</span></div><div class="k-msg">樟脑丸放在衣柜上层，味道散得开。</div></div>
</div></body></html>"""


def test_a_theme_with_its_own_classes_is_read_by_post_ids_and_a_banned_post_counts():
    doc = forumclean.extract(_RENAMED_THREAD.encode("utf-8"))
    assert doc.kind == "thread" and doc.title == "换季衣服怎么收纳"
    assert [(p.id, p.author, p.published) for p in doc.posts] == [
        ("501", "阿梅", "2024-09-01T10:20"), ("502", "捣蛋鬼", "2024-09-01T11:02"),
        ("503", "阿梅", "2024-09-01T12:45")]
    assert [p.body for p in doc.posts] == ["真空压缩袋最省地方，羽绒服别压太久。", "", "樟脑丸放在衣柜上层，味道散得开。"]


def test_a_6x_attachment_line_with_its_date_and_count_goes():
    text, _, _ = _body_text(
        '种子在此：<br /><img src="images/attachicons/torrent.gif" /> <a href="attachment.php?aid=123">'
        '[合集].torrent</a> (2008-5-1 12:00, 20.5 KB)<br />下载次数:12<br />做种到月底。')
    assert text.replace(" ", "") == "种子在此：做种到月底。"
