"""Discuz 6.x/7.x, touch (smartphone) and simple-mobile thread pages.

Fixtures are invented pages in each family's markup, with the extract output checked by reading
(``fixtures/NAME.expected.json``). The corpus test checks the real pages of these families.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import forumclean
from forumclean.cli import main
from forumclean.evaluate import evaluate, summarise
from forumclean.families import detect
from forumclean.families.thread import ThreadFamily, ThreadLayout
from forumclean.page import Page
from forumclean.pipeline import read_page, run
from forumclean.rules.strings import QUOTE_HEADER

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))

CASES = [
    "d72-thread-12h",
    "d72-gbk-nometa",
    "d60-thread",
    "touch-x35-relative",
    "touch-x34-thread",
    "touch-forumdisplay-negative",
    "mobile1-thread",
]
PAGE_FIELDS = ("kind", "family", "title", "url", "source_urls")
POST_FIELDS = ("floor", "author", "published", "body")


def _compare(got: dict, want: dict) -> None:
    for key in PAGE_FIELDS:
        assert got[key] == want[key], key
    assert len(got["posts"]) == len(want["posts"])
    for i, (g, w) in enumerate(zip(got["posts"], want["posts"], strict=True)):
        for key in POST_FIELDS:
            assert g[key] == w[key], (i, key)


@pytest.mark.parametrize("name", CASES)
def test_fixture_matches_expected(name):
    data = (FIXTURES / f"{name}.html").read_bytes()
    want = load_json(FIXTURES / f"{name}.expected.json")
    _compare(forumclean.extract(data).to_dict(), want)


@pytest.mark.parametrize("name", ["d72-thread-12h", "touch-x35-relative", "mobile1-thread"])
def test_cli_json_matches_expected(name):
    result = CliRunner().invoke(main, ["extract", "--format", "json", str(FIXTURES / f"{name}.html")])
    assert result.exit_code == 0, result.output
    _compare(json.loads(result.output), load_json(FIXTURES / f"{name}.expected.json"))


@pytest.mark.parametrize("name", CASES)
def test_diff_labels_agree_with_extract(name):
    """Labelling the whole page (diff) keeps exactly what extract keeps."""
    data = (FIXTURES / f"{name}.html").read_bytes()
    fast, full = run(data).document, run(data, full=True).document
    assert [p.body for p in full.posts] == [p.body for p in fast.posts]
    assert full.title == fast.title


def test_d72_details():
    doc = forumclean.extract((FIXTURES / "d72-thread-12h.html").read_bytes())
    first, reply = doc.posts[0], doc.posts[1]
    # 12-hour clock, footer offset, edit note and jammer kept out of the body.
    assert doc.rendered_at == "2010-05-20T21:14+08:00"
    assert first.edit is not None and first.edit.edited == "2010-05-18T18:02+08:00"
    assert "本帖最后由" not in first.body and "k3Vq9" not in first.body and "x8Lm2" not in first.body
    assert "下载次数" not in first.body and "tomato.jpg" not in first.body
    assert [i.url for i in first.images] == ["http://bbs.lvchuang.example.cn/attachments/month_1005/tomato_a8Yz.jpg"]
    assert reply.quotes[0].author == "木棉" and reply.quotes[0].published == "2010-05-18T17:51+08:00"
    assert "盆要深" not in reply.body
    # The banned author's floor is still a post, with an empty body.
    assert doc.posts[2].author == "路过的风" and doc.posts[2].body == ""
    assert doc.forum == "园艺小组" and doc.thread_id == "301" and doc.page == 1


def test_gbk_page_without_declaration_is_decoded():
    doc = forumclean.extract((FIXTURES / "d72-gbk-nometa.html").read_bytes())
    assert doc.encoding == "gb18030"
    # Page 2 has no #threadtitle: the breadcrumb's tail names the thread.
    assert doc.title == "旧相机修理记录" and doc.page == 2
    # A relative time with an absolute title on 7.x resolves from the title.
    assert doc.posts[0].published == "2011-03-02T14:20+08:00"


def test_touch_relative_times_stay_null_and_naive():
    doc = forumclean.extract((FIXTURES / "touch-x35-relative.html").read_bytes())
    assert doc.timezone is None and doc.rendered_at is None
    assert [p.published for p in doc.posts] == [None, "2025-02-08T10:05:33", None, "2025-02-08T09:12:40", None]
    assert (doc.views, doc.replies, doc.forum, doc.thread_id) == (57, 5, "宠物天地", "450")
    # The 点评 comment under the first post is not a post; its author is not the post's.
    assert len(doc.posts) == 5 and "米粒" not in [p.author for p in doc.posts]
    assert doc.posts[4].quotes[0].author == "宠物医生小周"
    # The banned notice (a div.quote without blockquote) is neither body nor quote.
    assert doc.posts[3].body == "" and doc.posts[3].quotes == []


def test_touch_x34_title_leaves_out_the_author_link():
    doc = forumclean.extract((FIXTURES / "touch-x34-thread.html").read_bytes())
    assert doc.title == "周末包饺子，韭菜鸡蛋馅怎么调才不出水"
    assert "该用户已被警告" not in doc.posts[1].body
    assert "补充一点" not in doc.posts[2].body


@pytest.mark.parametrize("name", ["touch-x35-relative", "touch-x34-thread"])
def test_touch_page_saved_without_its_head_is_still_a_touch_page(name):
    # A copy of the body's HTML alone, scripts and the links to the mobile views stripped,
    # has no address naming the template; the touch post header (ul.authi) still does.
    data = (FIXTURES / f"{name}.html").read_bytes()
    start, end = data.index(b"<head"), data.index(b"</head>") + len(b"</head>")
    headless = data[:start] + b'<head><meta charset="utf-8"></head>' + data[end:]
    headless = re.sub(rb"<script\b.*?</script>|<link\b[^>]*>", b"", headless, flags=re.S)
    headless = re.sub(rb"""\s(?:href|src)=["'][^"']*(?:mobile|touch)[^"']*["']""", b"", headless)
    whole, cut = forumclean.extract(data), forumclean.extract(headless)
    assert cut.family == "discuz-touch" and len(cut.posts) == len(whole.posts) >= 3
    assert [(p.author, p.body) for p in cut.posts] == [(p.author, p.body) for p in whole.posts]


def test_mobile1_body_outside_the_post_box():
    doc = forumclean.extract((FIXTURES / "mobile1-thread.html").read_bytes())
    assert (doc.views, doc.replies, doc.thread_id) == (128, 3, "2207")
    assert "附件列表" not in doc.posts[0].body and "books.jpg" not in doc.posts[0].body
    assert "回复 晴天读书" not in doc.posts[3].body


def _family(name: str) -> str:
    return detect(read_page((FIXTURES / name).read_bytes())).name


def test_detection_keeps_desktop_pages_with_desktop_family():
    assert _family("x35-thread-quote.html") == "discuz-x"
    assert _family("touch-forumdisplay-negative.html") == "discuz"


def test_discuz7_does_not_claim_x_pages_quoting_old_markup():
    html = ('<html><body id="nv_forum" class="pg_viewthread"><div id="postlist"><div id="post_1">'
            '<table id="pid1"><tr><td class="t_f" id="postmessage_1">'
            '&lt;td class="t_msgfont" id="postmessage_9"&gt; pasted</td></tr></table></div></div></body></html>')
    assert detect(Page(html, "html")).name == "discuz-x"


def test_layout_title_exclude_and_pid_variable():
    """Engine features: parts of the title left out; a body found by post id outside the box."""
    layout = ThreadLayout(posts="//div[@class='p']", body="//*[@id=concat('msg_', $pid)]",
                          title=("//h1",), title_exclude=("./a",))

    class Fam(ThreadFamily):
        name = "test"

    Fam.layout = layout
    html = ('<html><body><h1>Subject <a href="#">only author</a> tail</h1>'
            '<div class="p" id="p7">x</div><div><div id="msg_7">hello</div></div></body></html>')
    page = Page(html, "html")
    labelled = Fam().label(page)
    assert labelled.doc.title == "Subject tail"
    assert [etree.tostring(r, method="text", encoding=str) for r in labelled.roots[1:]] == ["hello"]


def test_quote_header_takes_12_hour_times():
    m = QUOTE_HEADER.match("木棉 发表于 2010-5-18 05:51 PM")
    assert m and m.group("author") == "木棉"


FAMILIES = {"discuz-7", "touch", "mobile1"}


@pytest.mark.corpus
def test_corpus_families_meet_targets(corpus_dir):
    scores = evaluate(corpus_dir / "html", families=FAMILIES)
    assert len(scores) >= 9, "expected the discuz-7, touch and mobile1 pages"
    s = summarise(scores, "families-a")
    low = [(x.id, round(x.f1, 3)) for x in scores if x.gold_kind != "none" and x.f1 < 0.85]
    assert s.mean_f1 >= 0.97, s
    assert not low, low
    assert s.posts_exact >= 0.95, s
    assert s.dates >= 0.98, s
    assert s.authors >= 0.98, s
    assert s.titles >= 0.95, s


@pytest.mark.corpus
def test_corpus_pages_report_their_family(corpus_dir):
    html = corpus_dir / "html"
    assert forumclean.extract((html / "101.html").read_bytes()).family == "discuz-7"
    for pid in ("211", "213", "312", "314", "316", "339", "409", "510"):
        assert forumclean.extract((html / f"{pid}.html").read_bytes()).family == "discuz-touch", pid
    # A touch search page stays a page without posts.
    doc = forumclean.extract((html / "113.html").read_bytes())
    assert doc.kind == "none" and not doc.posts


def test_unquoted_attributes_are_read_like_quoted_ones():
    # HTML lets a value go unquoted (minifiers and some serializers drop the quotes): the raw-text
    # signals that pick a family read id=postlist as they read id="postlist".
    page = Page('<html><body id=nv_forum class=pg_viewthread><div id=postlist class="pl bm">'
                "<div id=post_1><td class=t_f id=postmessage_1>正文</td></div></div></body></html>", "html")
    assert (page.body_id, page.body_class) == ("nv_forum", "pg_viewthread")
    assert page.has_id("postlist") and not page.has_id("post")
    data = (FIXTURES / "x35-thread-quote.html").read_text(encoding="utf-8")
    bare = re.sub(r"""(\s[\w:-]+)=(["'])([\w./:#-]+)\2""", r"\1=\3", data)
    assert 'id="postlist"' not in bare and "id=postlist " in bare
    plain, unquoted = forumclean.extract(data), forumclean.extract(bare)
    assert unquoted.family == plain.family == "discuz-x"
    assert [(p.author, p.body) for p in unquoted.posts] == [(p.author, p.body) for p in plain.posts]
