"""Every fixture page against its expected extract output.

``fixtures/NAME.html`` (or ``.txt``) are our own Discuz-shaped pages with invented content, one per
case they pin down; ``fixtures/NAME.expected.json`` beside each is the whole JSON document that
``forumclean.extract`` must return for it, minus the volatile ``input`` field.

How the expected files are maintained: they are the truth about the page, checked by reading, not
a snapshot of what the code happens to do. To add a case, write the page, draft its expected file
with ``PYTHONPATH=. python -m forumclean extract --format json fixtures/NAME.html``, drop the
``input`` field, then read every field against the page (title, url, counters, each post's floor,
author, published, body line by line, quotes, images, edit) and correct what is wrong before
committing. When a code change makes this test fail, review the difference field by field and
update the expected file only where the new output is the right one; never regenerate them all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, load_json

import forumclean
from forumclean.rules.strings import JAMMER_RUN

#: Fields that depend on how the page was passed in, not on the page.
VOLATILE = ("input",)

PAGES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".html", ".htm", ".txt"))
CASES = [p for p in PAGES if p.with_name(p.stem + ".expected.json").exists()]


def expected_for(page: Path) -> dict:
    return load_json(page.with_name(page.stem + ".expected.json"))


def extract_dict(page: Path) -> dict:
    got = forumclean.extract(page.read_bytes()).to_dict()
    for key in VOLATILE:
        got.pop(key, None)
    return got


def test_every_fixture_page_has_an_expected_file():
    missing = [p.name for p in PAGES if p not in CASES]
    assert not missing, f"fixture pages without NAME.expected.json: {missing}"
    assert len(CASES) >= 17


@pytest.mark.parametrize("page", CASES, ids=[p.stem for p in CASES])
def test_fixture_matches_expected(page: Path):
    expected = expected_for(page)
    got = extract_dict(page)
    # Posts first, one by one, so a failure names the post that differs.
    got_posts, exp_posts = got.pop("posts"), expected.pop("posts")
    for i, (g, e) in enumerate(zip(got_posts, exp_posts, strict=False)):
        assert g == e, f"post {i} (floor {e.get('floor')}) differs"
    assert len(got_posts) == len(exp_posts), "post count differs"
    assert got == expected


@pytest.mark.parametrize("page", CASES, ids=[p.stem for p in CASES])
def test_expected_json_is_the_document_shape(page: Path):
    """An expected file must be a whole document in the public JSON shape (no field dropped or
    misspelt by hand), so comparing whole documents means something."""
    expected = expected_for(page)
    shape = forumclean.Document().to_dict()
    assert set(expected) == set(shape) - set(VOLATILE)
    post_shape = set(forumclean.Post().__dataclass_fields__)
    for post in expected["posts"]:
        assert set(post) == post_shape
    assert expected["kind"] in ("thread", "article", "none")
    assert (expected["kind"] == "none") == (not expected["posts"])


# Text that belongs to page chrome or notices: never part of any body, in any fixture.
CHROME_WORDS = (
    "使用道具", "举报", "只看该作者", "发表于", "下载附件", "保存到相册", "下载次数", "点击文件名下载附件",
    "本帖子中包含更多资源", "才可以下载或查看", "如果您要查看本帖隐藏内容", "作者被禁止或删除",
    "该帖被管理员或版主屏蔽", "无效楼层", "本帖最后由", "免责声明", "参与人数", "查看全部评分",
    "复制代码", "电梯直达", "返回列表", "GMT+8", "Powered by", "热搜", "立即注册", "找回密码",
    "Only View Author", "Posted on", "本版积分规则", "摘要:", "相关阅读", "上一篇：", "最新评论",
    "發表於", "本帖最後由", "只看該作者",
)


@pytest.mark.parametrize("page", CASES, ids=[p.stem for p in CASES])
def test_no_chrome_or_junk_in_bodies(page: Path):
    doc = forumclean.extract(page.read_bytes())
    for post in doc.posts:
        for word in CHROME_WORDS:
            assert word not in post.body, f"{word!r} leaked into post {post.floor}"
        assert not JAMMER_RUN.search(post.body), f"jammer run left in post {post.floor}: {post.body!r}"
        assert "\ufffd" not in post.body


def test_sticky_and_recommended_copies_count_once():
    doc = forumclean.extract((FIXTURES / "x35-sticky-recommend.html").read_bytes())
    ids = [p.id for p in doc.posts]
    assert len(ids) == len(set(ids))
    # The copies of 70004 (sticky, 「顶 来自 4#」) and 70005 (推荐) yield to their own floors.
    assert [p.floor for p in doc.posts if p.id in ("70004", "70005")] == [4, 5]
    # 70021 is shown only as a 推荐 copy (its own floor is on a later page): it stays, floorless.
    lone = [p for p in doc.posts if p.id == "70021"]
    assert len(lone) == 1 and lone[0].floor is None and lone[0].body


def test_relative_time_without_title_is_null():
    doc = forumclean.extract((FIXTURES / "x35-relative-dates.html").read_bytes())
    published = [p.published for p in doc.posts]
    assert published[:4] == ["2024-08-12T21:03:27+08:00", "2024-08-13T22:10:05+08:00",
                             "2024-08-14T23:58:40+08:00", "2024-08-15T00:21:16+08:00"]
    assert published[4] is None


def test_encoded_fixtures_declare_what_their_case_says():
    """Guard the fixtures themselves: the GBK pages must keep their missing declarations."""
    script_only = (FIXTURES / "x34-gbk-script-charset.html").read_bytes()
    assert b"charset = 'gbk'" in script_only and b"<meta charset" not in script_only
    assert b"http-equiv=\"Content-Type\"" not in script_only
    nothing = (FIXTURES / "x34-gbk-no-charset.html").read_bytes()
    assert b"charset" not in nothing.lower()
    for raw in (script_only, nothing):
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    big5 = (FIXTURES / "x35-big5-hant.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        big5.decode("big5")  # it holds HKSCS characters (嘅, 咗): plain Big5 is not enough


def test_expected_files_are_utf8_json_with_real_characters():
    for page in CASES:
        text = page.with_name(page.stem + ".expected.json").read_text(encoding="utf-8")
        json.loads(text)
        assert "\\u" not in text, f"{page.stem}: write expected files with ensure_ascii=False"
