"""Archiver and print-view families, the page's own URL on saved copies, truncated pages."""

from __future__ import annotations

import json
import re

import pytest
from conftest import FIXTURES, load_json

from forumclean import ForumcleanError, extract
from forumclean.blocks import kept, tail, walk
from forumclean.evaluate import evaluate, read_manifest, summarise
from forumclean.families import detect
from forumclean.pipeline import read_page, run

FIXTURE_FAMILIES = {
    "archiver-x-thread": "discuz-archiver",
    "archiver-7-jammer": "discuz-archiver",
    "archiver-5-thread": "discuz-archiver",
    "printable-x": "discuz-printable",
    "printable-7": "discuz-printable",
    "saved-from-url": "discuz-x",
    "truncated-thread": "discuz-x",
}
POST_FIELDS = ("floor", "author", "published", "body", "partial", "edit", "quotes")


def _page(name: str) -> bytes:
    return (FIXTURES / f"{name}.html").read_bytes()


@pytest.mark.parametrize("name", sorted(FIXTURE_FAMILIES))
def test_fixture_matches_expected(name):
    expected = load_json(FIXTURES / f"{name}.expected.json")
    got = extract(_page(name), input_name=f"{name}.html").to_dict()
    for key in ("kind", "family", "title", "url", "source_urls", "site", "thread_id", "page", "timezone"):
        assert got[key] == expected[key], key
    assert len(got["posts"]) == len(expected["posts"])
    for i, (g, e) in enumerate(zip(got["posts"], expected["posts"], strict=True)):
        for key in POST_FIELDS:
            assert g[key] == e[key], (i, key)
    assert got["family"] == FIXTURE_FAMILIES[name]


@pytest.mark.parametrize("name", sorted(FIXTURE_FAMILIES))
def test_diff_and_extract_agree(name):
    """``full=True`` labels chrome too; the posts it reads must be the ones extract reads."""
    quick = run(_page(name)).document
    full = run(_page(name), full=True).document
    assert [p.body for p in full.posts] == [p.body for p in quick.posts]
    assert [p.author for p in full.posts] == [p.author for p in quick.posts]


# -- archiver --------------------------------------------------------------------------------

def test_archiver_x_drops_what_the_archiver_prints_as_text():
    doc = extract(_page("archiver-x-thread"))
    first, _, third, fourth, fifth = doc.posts
    # Edit note (kept apart), bare image addresses (to images), smiley code: not body.
    assert "本帖最后由" not in first.body and "https://" not in first.body and "{:" not in first.body
    assert first.edit.editor == "河西老郑" and first.edit.edited == "2023-09-02T20:30"
    assert [i.url.rsplit("/", 1)[-1] for i in first.images] == ["yard-01.jpg", "yard-02.jpg", "yard-03.png"]
    # A quote whose post is on this page: header and the quoted line go, the reply stays.
    assert third.body == "老店交给我侄子了，装修完十月份重新开门。"
    assert third.quotes[0].author == "匿名"
    # [hide] and a source line with an address.
    assert "Hidden Message" not in fourth.body and "来源" not in fourth.body
    assert doc.source_urls == ["https://news.chayuan.example/2023/0903.html"]
    # A relative time resolved from its title; a quote of a post on another page.
    assert fourth.published == "2023-09-03T08:12:40"
    assert fifth.body == "那款卖完了，新到的一批下个月才能喝。"
    assert all(p.floor is None for p in doc.posts)


def test_archiver_7_jammer_and_raw_bbcode():
    doc = extract(_page("archiver-7-jammer"))
    first, second, banned = doc.posts
    for junk in ("3M", "7d.K", "K8 e", "[b]", "[color", "[img]", "[attach]", "5512"):
        assert junk not in first.body
    assert "工具：精密螺丝刀" in first.body and "千万不要加油。" in first.body
    assert second.body == "帘布粘住多半是以前有人加过油，酒精擦干净就好。"
    assert second.quotes[0].author == "暗房老周"
    assert second.edit.editor == "银盐"
    assert banned.body == "" and banned.author == "匿名"


def test_archiver_index_is_not_a_thread(tmp_path):
    page = (b"<html><head><base href='http://x.example/archiver/' /><title>Site - Powered by Discuz! "
            b"Archiver</title></head><body><center id='header'><h2>Site's Archiver</h2></center>"
            b"<div id='content'><h3>Board</h3><ul><li><a href='?fid-2.html'>Talk</a></li></ul></div>"
            b"<div id='end'>full: <a href='../forum.php'><strong>Site</strong></a></div></body></html>")
    doc = extract(page)
    assert doc.kind == "none" and doc.family != "discuz-archiver" and doc.url is None


def test_archiver_cut_inside_last_post_marks_it_partial():
    text = _page("archiver-x-thread").decode("utf-8")
    cut = text[: text.index("那款卖完了") + 3]
    doc = extract(cut)
    assert len(doc.posts) == 5
    assert [p.partial for p in doc.posts] == [False] * 4 + [True]
    assert doc.posts[-1].body == "那款卖"


# -- printable -------------------------------------------------------------------------------

def test_printable_x_header_subject_and_notices():
    doc = extract(_page("printable-x"))
    assert doc.site == "绿手指园艺" and doc.title == "阳台种番茄的第一年"
    first, second, banned, anonymous = doc.posts
    assert "标题" not in first.body and "下载附件" not in first.body and "r8 Q" not in first.body
    assert second.published == "2022-05-08T21:02"  # from the title of 「昨天 21:02」
    assert "复制代码" not in second.body and second.quotes[0].author == "番茄妈妈"
    assert banned.body == ""
    assert anonymous.author == "匿名"


def test_printable_7_attachment_lines_and_edit_note():
    doc = extract(_page("printable-7"))
    first = doc.posts[0]
    assert "附件" not in first.body and "attachment.php" not in first.body and "编辑" not in first.body
    assert first.edit.edited == "2010-12-20T22:30"
    assert [i.url for i in first.images] == ["http://www.shanye.example/bbs/attachments/month_1012/books.jpg"]


def test_desktop_page_with_hr_is_not_printable():
    page = _page("saved-from-url").replace(b"</body>", b"<hr noshade size=\"2\"><hr noshade size=\"2\">"
                                           b"<a onclick=\"window.print()\">print</a></body>")
    assert detect(read_page(page)).name == "discuz-x"


# -- own URL ---------------------------------------------------------------------------------

def _url(head: str, body: str = "<p>x</p>") -> str | None:
    return extract(f"{head}<html><head><title>t</title>{body}</head><body><p>text</p></body></html>").url


def test_relative_canonical_resolved_against_httrack_address():
    head = "<!-- Mirrored from www.example.net/thread-5-1-1.html by HTTrack Website Copier/3.x -->"
    assert _url(head, '<link href="thread-5-1-1.html" rel="canonical" /><base />') == \
        "http://www.example.net/thread-5-1-1.html"


def test_relative_canonical_without_anchor_is_no_address():
    assert _url("", '<link href="./thread9.html" rel="canonical" /><base href="./" />') is None


def test_relative_canonical_against_absolute_base():
    assert _url("", '<base href="https://a.example/bbs/" /><link href="thread-9-1-1.html" rel="canonical" />') \
        == "https://a.example/bbs/thread-9-1-1.html"


def test_saved_from_and_text_wrapper_when_no_canonical():
    assert _url("<!-- saved from url=(0040)https://b.example/forum.php?tid=3&page=2 -->") == \
        "https://b.example/forum.php?tid=3&page=2"
    assert extract('<text id="https://c.example/thread-1-1-1.html" title="t"><html><body><p>hi there</p>'
                   "</body></html></text>").url == "https://c.example/thread-1-1-1.html"


@pytest.mark.parametrize("name", ["archiver-x-thread", "archiver-7-jammer", "printable-x", "printable-7",
                                  "forum-list"])
def test_long_head_and_appended_scripts_keep_the_family(name):
    # Inline styles push the title out of a page's first 16 KiB, and a host's scripts after
    # </html> push the footer out of its last few: the family is still read from both.
    data = _page(name)
    at = re.search(rb"<head[^>]*>|<html[^>]*>", data, re.I).end()
    styled = data[:at] + b"<style>" + b".a{color:red}\n" * 3000 + b"</style>" + data[at:]
    padded = styled + b"\n<script>/*" + b"tracking " * 2000 + b"*/</script>\n"
    plain, changed = extract(data), extract(padded)
    assert changed.family == plain.family and changed.kind == plain.kind
    assert [(p.author, p.body) for p in changed.posts] == [(p.author, p.body) for p in plain.posts]


@pytest.mark.parametrize("change", ["long trailing script", "character references"])
def test_footer_clock_found_far_from_the_end_and_through_references(change):
    data = _page("x35-thread-quote")
    if change == "long trailing script":  # analytics or ad code after the footer
        data = data.replace(b"</body>", b"<script>var ads = '" + b"x" * 60_000 + b"';</script></body>")
    else:  # a copy that wrote every non-ASCII character as a reference, the 「，」 after GMT+8 too
        data = data.decode("utf-8").replace("GMT+8, ", "GMT+8，").encode("ascii", "xmlcharrefreplace")
    plain, changed = extract(_page("x35-thread-quote")), extract(data)
    assert changed.timezone == plain.timezone == "+08:00"
    assert [p.published for p in changed.posts] == [p.published for p in plain.posts]
    assert changed.posts[0].published.endswith("+08:00")


# -- truncated pages -------------------------------------------------------------------------

def test_truncated_fixture():
    doc = extract(_page("truncated-thread"))
    assert [p.partial for p in doc.posts] == [False, True]
    assert doc.timezone is None and doc.rendered_at is None  # no footer, no invented offset
    assert any("truncated" in w for w in doc.warnings)


def test_scripts_appended_after_the_page_do_not_make_it_truncated():
    # Some hosts append their tracking code after </html>: the page is whole.
    data = _page("x35-thread-quote") + b"\n<script>/*" + b"tracking " * 2000 + b"*/</script>\n"
    doc = extract(data)
    assert not any("truncated" in w for w in doc.warnings)
    assert not any(p.partial for p in doc.posts)


def test_cut_inside_a_quote_marks_the_post_partial():
    text = _page("printable-x").decode("utf-8")
    doc = extract(text[: text.index("有没有人知道叶子发黄是怎么回事？</blockquote>") + 5])
    assert [p.partial for p in doc.posts] == [False, True]


def test_cut_after_the_body_leaves_the_post_whole():
    text = (FIXTURES / "truncated-thread.html").read_text(encoding="utf-8")
    text = text[: text.index('<tr><td class="plc"><div class="po hin">') + 40]  # inside post 1's action bar
    doc = extract(text)
    assert [p.partial for p in doc.posts] == [False]
    assert any("truncated" in w for w in doc.warnings)


def test_cut_before_the_body_marks_the_post_partial():
    text = (FIXTURES / "truncated-thread.html").read_text(encoding="utf-8")
    doc = extract(text[: text.index('<div class="authi"><a href="space-uid-8.html"')])  # post 2's sidebar
    assert [p.partial for p in doc.posts] == [False, True]
    assert doc.posts[1].body == ""


@pytest.mark.parametrize("name", sorted(FIXTURE_FAMILIES))
def test_any_cut_keeps_complete_posts_and_marks_at_most_the_last(name):
    text = _page(name).decode("utf-8")
    whole = extract(text)
    for end in range(200, len(text), 61):
        try:
            doc = extract(text[:end])
        except ForumcleanError:  # cut before any content: a clean error, never a traceback
            continue
        partial = [i for i, p in enumerate(doc.posts) if p.partial]
        assert partial in ([], [len(doc.posts) - 1]), end
        # Posts before the last read as on the whole page (without the footer's offset, which
        # a cut page does not state).
        for got, full in zip(doc.posts[:-1], whole.posts, strict=False):
            assert got.author == full.author and got.body == full.body, end
            assert (got.published or "")[:19] == (full.published or "")[:19], end


def test_complete_page_has_no_partial_post():
    doc = extract(_page("saved-from-url"))
    assert not any(p.partial for p in doc.posts) and not doc.warnings


# -- tails -----------------------------------------------------------------------------------

def test_walk_gives_labelled_tails_their_own_verdict():
    page = read_page("<html><body><div><b>name</b>first line<br/>second</div></body></html>")
    div = page.body[0]
    b, br = div[0], div[1]
    verdicts = {div: kept("title"), tail(b): kept("body", 0), tail(br): kept("body", 1)}
    blocks = walk([div], verdicts)
    assert [(x.text, x.verdict.role, x.verdict.post) for x in blocks] == [
        ("name", "title", None), ("first line", "body", 0), ("second", "body", 1)]


# -- real pages ------------------------------------------------------------------------------

@pytest.mark.corpus
def test_archiver_and_printable_meet_targets(corpus_dir):
    for fam in ("archiver", "printable"):
        scores = evaluate(corpus_dir / "html", families={fam})
        assert scores, fam
        s = summarise(scores, fam)
        assert s.mean_f1 >= 0.97, s
        assert s.min_f1 >= 0.85, s
        assert s.posts_exact >= 0.95, s
        assert s.dates >= 0.98, s
        assert s.authors >= 0.98, s
        assert s.titles >= 0.95, s
        assert s.urls == 1.0, s


@pytest.mark.corpus
def test_real_pages_are_detected_as_their_family(corpus_dir):
    folder = corpus_dir / "html"
    want = {"archiver": "discuz-archiver", "printable": "discuz-printable"}
    for pid, row in read_manifest(folder).items():
        page = folder / f"{pid}.html"
        if not page.exists():
            continue
        got = detect(read_page(page.read_bytes())).name
        if row["family"] in want:
            assert got == want[row["family"]], pid
        else:
            assert got not in want.values(), pid


@pytest.mark.corpus
def test_real_saved_copies_state_their_address(corpus_dir):
    folder = corpus_dir / "html"
    for pid in ("005", "013", "014", "015", "016", "020", "026", "027", "036", "037", "101", "105", "320"):
        gold = json.loads((folder / f"{pid}.gold.json").read_text(encoding="utf-8"))
        assert extract((folder / f"{pid}.html").read_bytes()).url == gold["url"], pid
