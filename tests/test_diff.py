"""``forumclean diff``: the views over the labelled blocks, the summary, and the property that
the kept body blocks of ``run(full=True)`` are exactly what ``extract`` returns."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, SHARED
from hypothesis import given, settings
from hypothesis import strategies as st

from forumclean import assemble, diff, families
from forumclean.blocks import Block, kept, removed
from forumclean.cli import main
from forumclean.errors import ForumcleanError
from forumclean.evaluate import evaluate, f1
from forumclean.families.base import Family, Labelled
from forumclean.inputs import expand
from forumclean.model import Document, Post
from forumclean.pipeline import Result, run

QUOTE_PAGE = FIXTURES / "x35-thread-quote.html"


def invoke(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, ["diff", *args], input=input, catch_exceptions=False)


# -- the page view -------------------------------------------------------------------------------

def test_plain_markers_on_a_thread_fixture():
    res = invoke(str(QUOTE_PAGE))
    assert res.exit_code == 0, res.stderr
    out = res.stdout.splitlines()
    # Page chrome, each with its reason.
    for line in ("- [top bar] 设为首页收藏本站",
                 "- [navigation] 门户 论坛 家园",
                 "- [breadcrumb] 柳岸社区 » 论坛 › 骑行天地 › 周末去河边骑车的路线推荐",
                 "- [user sidebar] 12 主题 80 回帖 455 积分 中级会员",
                 "- [post header] |只看该作者|阅读模式",
                 "- [edit note] 本帖最后由 青柳骑士 于 2024-5-18 09:30 编辑",
                 "- [jammer] 8 b2 K5 q: Z0 f",
                 "- [signature] 骑车让生活慢下来",
                 "- [action bar] 回复 使用道具 举报",
                 "- [quote] 青柳骑士 发表于 2024-5-18 09:12 从北桥出发，沿着河堤一直往东",
                 "- [back-to-top] 返回顶部"):
        assert line in out, line
    # Metadata captures.
    for line in ("= [title] 周末去河边骑车的路线推荐", "= [counters] 查看: 268|回复: 2",
                 "= [author] 青柳骑士", "= [floor] 楼主", "= [published] 发表于 2024-5-18 09:12:45"):
        assert line in out, line
    assert any(x.startswith("= [clock] GMT+8, 2024-5-18 12:11") for x in out)
    assert "@ post 2 · #2 · 小河边 · 2024-05-18T10:02:11+08:00" in out
    # The kept rows are the extracted bodies, line for line, and nothing else.
    doc = run(QUOTE_PAGE.read_bytes()).document
    body_rows = [x[2:] for x in out if x.startswith("+ ")]
    assert body_rows == [line for p in doc.posts for line in p.body.splitlines()]
    assert all(re.match(r"^[-+=@] ", x) for x in out), [x for x in out if not re.match(r"^[-+=@] ", x)]


def test_diff_shows_posts_after_the_pages_own_end():
    # Markup after </html> can start a second <html> beside the first; extraction reads its
    # posts, so the diff must show them as kept too (it once walked the first body only).
    data = QUOTE_PAGE.read_bytes()
    at = data.index(b'<div id="postlist"')
    spliced = data[:at] + b"</body></html>" + data[at:]
    r = diff.explain(spliced)
    kept_text = "\n".join(b.text for b in r.blocks if b.verdict.is_body)
    posts = run(spliced).document.posts
    assert len(posts) == len(run(data).document.posts) >= 2
    for post in posts:
        assert post.body and post.body.splitlines()[0] in kept_text


def test_rows_order_follows_the_page():
    r = diff.explain(QUOTE_PAGE.read_bytes())
    rows = diff.rows(r.blocks)
    roles = [row.role for row in rows]
    assert roles.index("navigation") < roles.index("title") < roles.index("signature") < roles.index("footer")
    assert [row.line for row in rows] == sorted(row.line for row in rows)
    # Unmerged, every run of text keeps its own row; merged, a menu reads as one row.
    assert len(diff.rows(r.blocks, merge=False)) > len(rows)


def test_color_view_only_when_asked_or_on_a_terminal():
    res = invoke("--format", "color", str(QUOTE_PAGE))
    assert res.exit_code == 0
    assert "\x1b[" in res.stdout and "navigation" in res.stdout
    assert "\x9b" not in invoke(str(QUOTE_PAGE)).stdout and "\x1b[" not in invoke(str(QUOTE_PAGE)).stdout


def test_page_view_reads_stdin_and_reports_bad_input():
    res = invoke("-", input=QUOTE_PAGE.read_bytes())
    assert res.exit_code == 0 and "= [title] 周末去河边骑车的路线推荐" in res.stdout
    res = invoke("-", input=b"")
    assert res.exit_code == 1 and res.stdout == "" and "forumclean: -:" in res.stderr
    res = invoke("/nonexistent/page.html")
    assert res.exit_code == 1 and "cannot read" in res.stderr
    assert invoke("--format", "tsv", str(QUOTE_PAGE)).exit_code == 2


# -- unified -----------------------------------------------------------------------------------

def _patch_sides(patch: str) -> tuple[list[str], list[str]]:
    """Both sides of a one-hunk-or-more unified diff made with full context."""
    old, new = [], []
    for line in patch.splitlines()[2:]:
        if line.startswith("@@"):
            continue
        tag, text = line[:1], line[1:]
        if tag in " -":
            old.append(text)
        if tag in " +":
            new.append(text)
    return old, new


def test_unified_diff_goes_from_page_text_to_extracted_text():
    res = invoke("--format", "unified", str(QUOTE_PAGE))
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0] == f"--- a/{str(QUOTE_PAGE).lstrip('/')}"
    assert lines[1] == f"+++ b/{str(QUOTE_PAGE).lstrip('/')}"
    assert re.match(r"^@@ -\d+(,\d+)? \+\d+(,\d+)? @@", lines[2])
    assert "-8 b2 K5 q: Z0 f 回程可以走南岸的林荫道，风景更好。" in lines
    assert "+回程可以走南岸的林荫道，风景更好。" in lines
    # With full context the two sides are the page text and the cleaned text.
    r = diff.explain(QUOTE_PAGE.read_bytes())
    old, new = _patch_sides(diff.unified(r, "p.html", context=10_000))
    assert old == diff.page_lines(r.blocks)
    doc = run(QUOTE_PAGE.read_bytes()).document
    assert "\n".join(new) == "\n".join(p.body for p in doc.posts if p.body)


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_unified_diff_is_a_patch_git_accepts(tmp_path):
    patch = tmp_path / "page.patch"
    patch.write_text(invoke("--format", "unified", str(QUOTE_PAGE)).stdout, encoding="utf-8")
    proc = subprocess.run(["git", "apply", "--stat", str(patch)], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "x35-thread-quote.html" in proc.stdout
    assert re.search(r"1 file changed, \d+ insertions?\(\+\), \d+ deletions?\(-\)", proc.stdout)


# -- json --------------------------------------------------------------------------------------

def test_json_lists_every_block_with_its_verdict():
    res = invoke("--format", "json", str(QUOTE_PAGE))
    data = json.loads(res.stdout)
    assert set(data) == {"input", "family", "kind", "title", "posts", "blocks"}
    assert data["family"] == "discuz-x" and data["posts"] == 3
    for b in data["blocks"]:
        assert set(b) == {"line", "text", "keep", "role", "kind", "post"}
        assert isinstance(b["text"], str) and b["text"]
        assert b["kind"] == ("removed" if not b["keep"] else "body" if b["role"] == "body" else "meta")
        assert b["post"] is None or isinstance(b["post"], int)
    lines = [b["line"] for b in data["blocks"]]
    assert lines == sorted(lines)
    reasons = {b["role"] for b in data["blocks"] if not b["keep"]}
    assert {"navigation", "signature", "quote", "jammer", "edit note", "footer"} <= reasons
    body0 = [b["text"] for b in data["blocks"] if b["kind"] == "body" and b["post"] == 0]
    assert "".join(body0).startswith("从北桥出发")


# -- a text dump labelled line by line (Labelled.blocks) ------------------------------------------

# An invented dump in the shape of a Discuz X3.5 page saved as text, with the labels a text family
# gives its lines. The source and disclaimer lines are labelled body: the shared line rules
# relabel them.
DUMP = [
    ("找回密码 立即注册", removed("header")),
    ("门户 论坛 排行榜", removed("navigation")),
    ("查看: 40|回复: 0", kept("counters")),
    ("河畔图书馆新增两百个自习座位", kept("title")),
    ("[复制链接]", removed("title extras")),
    ("12 主题 3 回帖 88 积分", removed("user sidebar", 0)),
    ("发表于 2025-4-2 09:15:00", kept("published", 0)),
    ("| 显示全部楼层 |阅读模式", removed("post header", 0)),
    ("河畔图书馆三楼改造完成，新增两百个自习座位。", kept("body", 0)),
    ("开放时间延长到晚上十点。", kept("body", 0)),
    ("来源:https://news.example.org/library/42", kept("body", 0)),
    ("免责声明:本站转载内容仅供参考。", kept("body", 0)),
    ("您需要登录后才可以回帖 登录 | 立即注册", removed("reply form")),
    ("GMT+8, 2025-4-3 10:00 , Processed in 0.05 second(s), 20 queries .", kept("clock")),
    ("Powered by Discuz! X3.5", removed("footer")),
]


class HandLabelledDump(Family):
    name = "hand-labelled"
    input_format = "text"

    def claims(self, page) -> bool:
        return True

    def label(self, page, full: bool = False) -> Labelled:
        doc = Document(family=self.name, kind="thread", title="河畔图书馆新增两百个自习座位")
        doc.posts.append(Post(floor=1, published="2025-04-02T09:15:00+08:00"))
        return Labelled(doc=doc, blocks=[Block(text, v) for text, v in DUMP])


def test_text_dump_blocks_render_with_their_reasons(monkeypatch):
    monkeypatch.setattr(families, "TEXT_FAMILIES", [HandLabelledDump()])
    text = "\n".join(t for t, _ in DUMP)
    r = diff.explain(text, input_format="text")
    assert r.document.family == "hand-labelled"
    assert r.document.source_urls == ["https://news.example.org/library/42"]
    out = diff.render_plain(r.document, diff.rows(r.blocks)).splitlines()
    assert out == [
        "- [header] 找回密码 立即注册",
        "- [navigation] 门户 论坛 排行榜",
        "= [counters] 查看: 40|回复: 0",
        "= [title] 河畔图书馆新增两百个自习座位",
        "- [title extras] [复制链接]",
        "@ post 1 · #1 · 2025-04-02T09:15:00+08:00",
        "- [user sidebar] 12 主题 3 回帖 88 积分",
        "= [published] 发表于 2025-4-2 09:15:00",
        "- [post header] | 显示全部楼层 |阅读模式",
        "+ 河畔图书馆三楼改造完成，新增两百个自习座位。",
        "+ 开放时间延长到晚上十点。",
        "= [source] 来源:https://news.example.org/library/42",
        "- [disclaimer] 免责声明:本站转载内容仅供参考。",
        "- [reply form] 您需要登录后才可以回帖 登录 | 立即注册",
        "= [clock] GMT+8, 2025-4-3 10:00 , Processed in 0.05 second(s), 20 queries .",
        "- [footer] Powered by Discuz! X3.5",
    ]
    assert r.document.posts[0].body == "河畔图书馆三楼改造完成，新增两百个自习座位。\n开放时间延长到晚上十点。"
    old, new = _patch_sides(diff.unified(r, "dump.txt", context=100))
    assert old == [t for t, _ in DUMP] and new == r.document.posts[0].body.splitlines()


# -- summary -------------------------------------------------------------------------------------

def _row(name: str, warnings: list[str], unexplained: int = 0, removed: int = 100) -> diff.SummaryRow:
    return diff.SummaryRow(input=name, family="discuz-x", kind="thread", posts=1, kept=100,
                           removed=removed, unexplained=unexplained, warnings=warnings)


def test_summary_ranking_puts_suspect_pages_first():
    rows = [
        _row("fine.html", []),
        _row("minor.html", ["no-title"]),
        _row("generic.html", ["generic"]),
        _row("broken.html", ["error"]),
        _row("lost.html", ["no-post", "unexplained 90%"], unexplained=180),
        _row("half.html", ["unexplained 30%"], unexplained=60),
        _row("most.html", ["unexplained 80%"], unexplained=160),
        _row("a-fine.html", []),
    ]
    order = [r.input for r in diff.sort_rows(rows)]
    assert order == ["lost.html", "broken.html", "most.html", "half.html", "generic.html", "minor.html",
                     "a-fine.html", "fine.html"]
    # Unknown notes count a little, never more than a real warning.
    assert _row("x", ["note: odd"]).suspicion < _row("y", ["no-title"]).suspicion


def _result(doc: Document, blocks: list[Block]) -> Result:
    return Result(doc, blocks)


def test_summary_warnings():
    doc = Document(family="discuz", kind="none", thread_id="123")
    chrome = [Block("页面" * 150, removed("not a post page"))]
    row = diff.summarize(_result(doc, chrome), "p")
    assert row.warnings[0] == "no-post" and row.warnings[1].startswith("unexplained 100%")
    assert row.removed == 300 and row.share_removed == 1.0

    # A list page (no thread id, address not a thread) with recognised chrome is not suspect.
    doc = Document(family="discuz", kind="none", thread_id="0", url="https://bbs.example.org/forum-2-1.html")
    assert diff.summarize(_result(doc, [Block("列表" * 150, removed("thread list"))]), "p").warnings == []

    doc = Document(family="generic", kind="article", title="T", posts=[Post(body="正文\ufffd")])
    row = diff.summarize(_result(doc, [Block("正文" * 150 + "\ufffd", kept("body", 0))]), "p")
    assert row.warnings == ["generic", "decoding 1×U+FFFD", "nothing-removed 0%"]

    doc = Document(family="discuz-x", kind="thread", title="T", posts=[Post(body="", published=None)])
    row = diff.summarize(_result(doc, [Block("菜单" * 200, removed("navigation"))]), "p")
    assert row.warnings == ["nothing-kept", "no-date"]


def test_summary_command_tsv_jsonl_and_errors(tmp_path):
    shutil.copy(QUOTE_PAGE, tmp_path / "good.html")
    (tmp_path / "empty.html").write_bytes(b"")
    res = invoke("--summary", str(tmp_path))
    assert res.exit_code == 1
    rows = [line.split("\t") for line in res.stdout.splitlines()]
    assert rows[0] == list(diff.SUMMARY_COLUMNS)
    assert rows[1][0].endswith("empty.html") and rows[1][-1].startswith("error: ")
    good = rows[2]
    assert good[0].endswith("good.html") and good[1:5] == ["discuz-x", "thread", "3", "100"]
    assert 0.3 < float(good[7]) < 0.9
    assert "empty.html" in res.stderr

    listing = f"{tmp_path / 'good.html'}\n".encode()
    res = invoke("--summary", "--format", "jsonl", "--files-from", "-", input=listing)
    assert res.exit_code == 0
    (record,) = [json.loads(line) for line in res.stdout.splitlines()]
    assert record["family"] == "discuz-x" and record["posts"] == 3 and record["warnings"] == []
    assert record["kept"] + record["meta"] + record["removed"] > 0 and record["suspicion"] == 0

    res = invoke("--summary", "--format", "table", str(tmp_path / "good.html"))
    assert res.exit_code == 0 and "discuz-x" in res.stdout and "good.html" in res.stdout
    assert invoke("--summary", "--format", "unified", str(tmp_path)).exit_code == 2


# -- the property: what diff keeps is what extract returns ---------------------------------------

def _pages(folder: Path, patterns: tuple[str, ...] = ("*.html", "*.htm", "*.txt")) -> list[Path]:
    return sorted(p for pattern in patterns for p in folder.glob(pattern))


def assert_diff_agrees_with_extract(path: Path) -> None:
    data = path.read_bytes()
    try:
        extracted = run(data).document
    except ForumcleanError:
        with pytest.raises(ForumcleanError):
            run(data, full=True)
        return
    full = run(data, full=True)
    bodies = assemble.post_bodies(full.blocks, len(full.document.posts))
    assert bodies == [p.body for p in extracted.posts], path
    assert full.document.title == extracted.title, path
    assert [(p.author, p.published) for p in full.document.posts] == \
        [(p.author, p.published) for p in extracted.posts], path
    assert full.document.source_urls == extracted.source_urls, path


FIXTURE_PAGES = _pages(FIXTURES)


@pytest.mark.parametrize("path", FIXTURE_PAGES, ids=[p.name for p in FIXTURE_PAGES])
def test_kept_blocks_equal_extract_on_fixtures(path):
    assert_diff_agrees_with_extract(path)


def test_chrome_rules_never_reach_into_a_post_body():
    # Class and id names that are page chrome elsewhere, used inside a message.
    page = QUOTE_PAGE.read_text(encoding="utf-8").replace(
        "路面平整，适合新手，中途有两个补水点。",
        '<div class="area">路面平整，</div><div class="nav">适合新手，</div><span class="tip">中途有两个补水点。</span>')
    assert page != QUOTE_PAGE.read_text(encoding="utf-8")
    full = run(page, full=True)
    assert assemble.post_bodies(full.blocks, 3) == [p.body for p in run(page).document.posts]
    assert "适合新手" in full.document.posts[0].body


@pytest.mark.corpus
def test_kept_blocks_equal_extract_on_every_corpus_page(corpus_dir):
    pages = (_pages(corpus_dir / "html") + _pages(corpus_dir / "text")
             + _pages(SHARED / "samples"))
    assert len(pages) > 100
    for path in pages:
        assert_diff_agrees_with_extract(path)


@pytest.mark.corpus
def test_summary_flags_pages_that_score_badly(corpus_dir):
    f1 = {}
    for folder, ext in (("html", ".html"), ("text", ".txt")):
        for s in evaluate(corpus_dir / folder):
            f1[str(corpus_dir / folder / (s.id + ext))] = s.f1
    items = list(expand([str(corpus_dir / "html"), str(corpus_dir / "text")]))
    rows = diff.sort_rows(diff.summary_row(item) for item in items)
    bad = [i for i, r in enumerate(rows) if f1.get(r.input, 1.0) < 0.8]
    clean = [i for i, r in enumerate(rows) if not r.warnings]
    assert clean, "every page flagged"
    unflagged = [rows[i].input for i in bad if not rows[i].warnings]
    assert not unflagged, unflagged
    # Every badly scored page comes before every page without a warning.
    assert max(bad, default=-1) < min(clean)


BLOG = """<html><head><title>A walk by the river - Example Blog</title></head><body>
<div id="menu"><a href="/">Home</a> <a href="/about">About</a></div>
<div id="main"><h1>A walk by the river</h1>
<p>We started at the old bridge and followed the river east for twelve kilometres, past the mill.</p>
<p>The path is flat and suits beginners; there are two water points on the way and a cafe.</p>
<p>Come back along the south bank: the trees give shade all afternoon, and the view is better.</p>
</div>
<div id="bottom">Copyright 2024 Example Blog</div>
</body></html>"""


def test_generic_pages_show_each_text_once():
    r = diff.explain(BLOG)
    assert r.document.family == "generic"
    out = diff.render_plain(r.document, diff.rows(r.blocks)).splitlines()
    assert out[0] == "- [outside main content] Home About"
    assert out[-1] == "- [outside main content] Copyright 2024 Example Blog"
    body = [x[2:] for x in out if x.startswith("+ ")]
    assert body == run(BLOG).document.posts[0].body.splitlines()
    assert len(body) == 4 and body[0] == "A walk by the river"
    texts = [b.text for b in r.blocks]
    assert len(texts) == len(set(texts))


@pytest.mark.corpus
def test_user_sample_every_line_has_a_fitting_verdict(corpus_dir):
    """The issue's example: a Discuz X3.5 news repost saved as text. Needs a text-dump family;
    until one claims the page (it falls back to ``generic``) there is nothing to check."""
    path = SHARED / "samples" / "discuz-x35-news-repost.txt"
    r = diff.explain(path.read_bytes())
    if r.document.family == "generic":
        pytest.skip("no text-dump family claims the sample yet")
    rows = diff.rows(r.blocks, merge=False)

    def marks(needle: str) -> set[str]:
        found = {row.mark for row in rows if needle in row.text}
        assert found, needle
        return found

    # Header, navigation, author card, post header, reply box, footer: removed.
    for needle in ("找回密码", "扫一扫", "热搜:", "[复制链接]", "中级会员", "本版积分规则",
                   "小黑屋", "Powered by Discuz!", "返回顶部"):
        assert marks(needle) == {"-"}, needle
    # Counters, the post header and the footer clock are read (metadata) or removed, never body.
    for needle in ("查看: 81", "显示全部楼层", "GMT+8"):
        assert "+" not in marks(needle), needle
    assert [row.role for row in rows if "来源:" in row.text] == ["source"]
    assert [row.role for row in rows if row.text.startswith("免责声明")] == ["disclaimer"]
    assert not [row for row in rows if row.mark == "-" and row.role in diff.VAGUE_REASONS]
    gold = json.loads((SHARED / "samples" / "discuz-x35-news-repost.gold.json").read_text("utf-8"))
    kept_text = "\n".join(row.text for row in rows if row.mark == "+")
    assert f1(gold["posts"][0]["body"], kept_text)[2] > 0.95


# Control characters are made spaces in the views (they would break lines in a pager or patch).
_texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12)
_verdicts = st.sampled_from([kept("body", 0), kept("body", 1), kept("title"), kept("author", 0),
                             removed("navigation"), removed("quote", 0), removed("signature", 1)])


@given(st.lists(st.tuples(_texts, _verdicts, st.booleans()), max_size=30))
@settings(max_examples=150, deadline=None)
def test_views_hold_for_any_blocks(spec):
    blocks = [Block(text, v, newline) for text, v, newline in spec]
    doc = Document(kind="thread", posts=[Post(), Post()])
    result = Result(doc, blocks)
    plain = diff.render_plain(doc, diff.rows(blocks))
    assert all(re.match(r"^[-+=@] ", line) for line in plain.splitlines())
    # Kept rows are the assembled bodies' lines; the unified diff's sides are page and bodies.
    bodies = assemble.post_bodies(blocks, 2)
    old, new = _patch_sides(diff.unified(result, "p", context=10_000))
    if old or new:
        assert old == diff.page_lines(blocks)
        assert new == diff.cleaned_lines(result)
    assert sorted(diff.cleaned_lines(result)) == sorted(x for b in bodies for x in b.splitlines())
    records = diff.records(blocks)
    assert "".join(r["text"] for r in records) == "".join(b.text for b in blocks)
