"""Whole threads from many pages (``forumclean.threads``, ``forumclean threads``).

``fixtures/threads/`` holds invented pages of two threads on one site: thread 8801 (10 posts, 4
to a page, a sticky reply of floor 6 repeated at the top of every desktop page) in the desktop
view (pages 1–3, page 2 fetched twice with floor 7 edited in between), the touch view (pages 1–3)
the archiver (pages 1–2 of 3) and the print view (the whole thread, its address not stated); thread 8802 in the desktop view without its middle page; and
a page that names neither its site nor its thread.
"""

from __future__ import annotations

import copy
import csv
import functools
import json
import random
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT

import forumclean
from forumclean.model import Thread
from forumclean.threads import merge, thread_key, threads
from forumclean.threads.group import group_pages
from forumclean.threads.key import page_url, parse_url

PAGES = FIXTURES / "threads"
T1 = "bbs.qinghe.example/thread/8801"
T2 = "bbs.qinghe.example/thread/8802"


def read(name: str, **kwargs) -> forumclean.Document:
    return forumclean.extract((PAGES / name).read_bytes(), input_name=name, **kwargs)


@functools.cache
def _pages() -> tuple[forumclean.Document, ...]:
    return tuple(read(p.name) for p in sorted(PAGES.glob("*.html")))


def all_pages() -> list[forumclean.Document]:
    return copy.deepcopy(list(_pages()))


def by_key(found) -> dict:
    return {t.key: t for t in found}


def source_post(thread: Thread, post) -> forumclean.Post:
    """The post of the page the thread says it took ``post`` from, read afresh."""
    page = read(thread.pages[post.from_page].input)
    return next(p for p in page.posts if p.id == post.id and (p.floor == post.floor or p.floor is None))


def test_a_thread_from_three_views_is_one_record_every_post_once_in_floor_order():
    found = list(threads(all_pages()))
    assert sorted(t.key or "" for t in found) == ["", T1, T2]
    t = by_key(found)[T1]
    assert t.title == "阳台种菜一年，踩过的坑和收获" and t.site == "青禾社区" and t.forum == "家庭园艺"
    assert t.thread_id == "8801" and t.host == "bbs.qinghe.example"
    assert t.url == "https://bbs.qinghe.example/thread-8801-1-1.html"
    assert [p.floor for p in t.posts] == list(range(1, 11))
    assert [p.id for p in t.posts] == [str(88000 + n) for n in range(1, 11)]
    # The sticky reply shows on every desktop page: it counts once, at its own floor.
    assert [p.author for p in t.posts].count("青禾版主") == 1
    assert len(t.pages) == 10 and {p.view for p in t.pages} == {"desktop", "touch", "archiver", "printable"}
    # The desktop view is whole; the archiver's page 3 was not read (a crawler may fetch it).
    assert t.complete and t.missing_floors == []
    assert [(m.view, m.page, m.url) for m in t.missing_pages] == [
        ("archiver", 3, "https://bbs.qinghe.example/archiver/?tid-8801.html&page=3")]


def test_bodies_are_the_extract_of_the_page_that_holds_them_from_the_richest_view():
    t = by_key(threads(all_pages()))[T1]
    for post in t.posts:
        page = t.pages[post.from_page]
        assert page.view == "desktop" and not page.superseded
        held = source_post(t, post)
        assert post.body == held.body and post.published == held.published and post.quotes == held.quotes
    # Desktop times carry seconds and the offset; the touch view's do not.
    assert t.posts[0].published == "2025-03-01T20:05:12+08:00"
    assert t.posts[3].quotes[0].author == "城南花匠"


def test_a_page_fetched_twice_keeps_the_later_fetch_and_warns():
    t = by_key(threads(all_pages()))[T1]
    floor7 = t.posts[6]
    assert floor7.body == "豆角今年结了两茬，第二茬比第一茬多。\n补充：第二茬之前追了一次有机肥，效果明显。"
    assert floor7.edit is not None and floor7.edit.edited == "2025-03-20T09:12+08:00"
    assert t.pages[floor7.from_page].input == "desktop-p2-refetch.html"
    assert [p.input for p in t.pages if p.superseded] == ["desktop-p2.html"]
    edits = [w for w in t.warnings if "differs" in w]
    assert len(edits) == 1
    assert "#7" in edits[0] and "edited" in edits[0] and "desktop-p2-refetch.html" in edits[0]


def test_fetch_time_decides_which_fetch_is_later():
    """WARC dates (``fetched_at``) order fetches, whatever the input order and footer clocks."""
    pages = [read("desktop-p2-refetch.html", fetched_at="2025-03-06T02:00:00+00:00"),
             read("desktop-p2.html", fetched_at="2025-05-01T00:00:00+00:00")]
    t = merge(pages, T1)
    assert t.posts[2].floor == 7 and t.posts[2].body == "豆角今年结了两茬，第二茬比第一茬多。"
    assert [p.input for p in t.pages if p.superseded] == ["desktop-p2-refetch.html"]


def test_a_post_gone_from_the_later_fetch_is_dropped_and_named():
    earlier = read("desktop-p3.html")
    later = copy.deepcopy(earlier)
    later.input = "p3-later.html"
    later.rendered_at = "2025-06-01T08:00+08:00"
    del later.posts[2]  # floor 10 deleted
    t = merge([later, earlier], T1)
    assert [p.floor for p in t.posts] == [6, 9]
    assert any("#10" in w and "not in the later fetch" in w for w in t.warnings)


def test_a_later_fetch_without_floors_keeps_the_older_fetchs_floors():
    """A robot's later fetch shows no floor numbers: its posts are kept, with the floors the
    older fetch showed (and nothing else of the older fetch)."""
    older = read("desktop-p2.html")
    robot = copy.deepcopy(read("desktop-p2-refetch.html"))
    robot.input = "p2-robot.html"
    for post in robot.posts:
        post.floor = None
    t = merge([older, robot, read("desktop-p1.html"), read("desktop-p3.html")], T1)
    assert [p.floor for p in t.posts] == list(range(1, 11)) and t.complete
    floor7 = t.posts[6]
    assert t.pages[floor7.from_page].input == "p2-robot.html" and "有机肥" in floor7.body


def test_missing_middle_page_and_floors_are_listed():
    t = by_key(threads(all_pages()))[T2]
    assert not t.complete
    assert [(m.view, m.page, m.url) for m in t.missing_pages] == [
        ("desktop", 2, "https://bbs.qinghe.example/thread-8802-2-1.html")]
    assert t.missing_floors == [5, 6, 7, 8]
    assert [p.floor for p in t.posts] == [1, 2, 3, 4, 9]


def test_a_page_without_site_or_thread_stays_a_thread_of_its_own():
    t = by_key(threads(all_pages()))[None]
    assert t.kind == "thread" and not t.complete and t.thread_id is None
    assert [p.input for p in t.pages] == ["no-tid.html"]
    assert "cannot be told" in t.warnings[0] and "no-tid.html" in t.warnings[0]
    assert [p.body for p in t.posts] == [p.body for p in read("no-tid.html").posts]


def test_input_order_does_not_matter():
    docs = all_pages()
    want = {k: v.to_dict() for k, v in by_key(threads(docs)).items()}
    for seed in range(3):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        got = {k: v.to_dict() for k, v in by_key(threads(shuffled)).items()}
        for k in want:  # page lists follow (view, page), posts floors: only input order may differ
            assert got[k]["posts"] == want[k]["posts"] or k is None
            assert got[k]["missing_pages"] == want[k]["missing_pages"]
            assert got[k]["complete"] == want[k]["complete"]


def test_poorer_views_alone_and_mixed_in():
    touch = [read(f"touch-p{n}.html") for n in (1, 2, 3)]
    archiver = [read(f"archiver-p{n}.html") for n in (1, 2)]
    # Print view and archiver: the print view's posts, the archiver's seconds.
    t = merge([read("printable.html")] + archiver, T1)
    assert len(t.posts) == 10 and t.complete
    assert {t.pages[p.from_page].view for p in t.posts} == {"printable"}
    assert t.posts[0].published == "2025-03-01T20:05:12" and t.posts[9].published == "2025-03-05T22:01"
    # Archiver only: no ids or floors on the page; posts in page order, the view incomplete.
    t = merge(archiver, T1)
    assert [p.author for p in t.posts][:3] == ["绿手指阿禾", "小番茄", "城南花匠"] and len(t.posts) == 8
    assert all(p.floor is None and p.id is None for p in t.posts)
    assert not t.complete and [(m.view, m.page) for m in t.missing_pages] == [("archiver", 3)]
    # Touch and archiver: the archiver's posts are the touch's (matched by author and minute),
    # the touch reading is kept and the archiver's seconds fill in its time.
    t = merge(archiver + touch, T1)
    assert [p.floor for p in t.posts] == list(range(1, 11)) and t.complete
    assert {t.pages[p.from_page].view for p in t.posts} == {"touch"}
    assert t.posts[0].published == "2025-03-01T20:05:12"
    assert t.posts[0].body == touch[0].posts[0].body


def test_a_print_view_without_address_joins_its_thread_by_site_and_title():
    t = by_key(threads(all_pages()))[T1]
    assert [w for w in t.warnings if "joined" in w] == [
        f"printable.html: the page states no thread id; joined to {T1} by its title and its posts"]
    # Its posts are the thread's posts (author and minute), not new ones.
    assert len(t.posts) == 10 and all(t.pages[p.from_page].view == "desktop" for p in t.posts)
    alone = list(threads([read("printable.html")]))
    assert len(alone) == 1 and alone[0].key is None and not alone[0].complete
    assert [p.published for p in alone[0].posts][:1] == ["2025-03-01T20:05"]
    # Two threads of one site with the printed title: the page cannot tell which, it stays apart.
    other = read("gap-p1.html")
    other.title = "阳台种菜一年，踩过的坑和收获"
    found = list(threads([read("desktop-p1.html"), other, read("printable.html")]))
    assert len(found) == 3 and by_key(found)[None].pages[0].input == "printable.html"
    # A page of the same title whose posts are not the thread's is not joined.
    stranger = read("no-tid.html")
    stranger.title = "阳台种菜一年，踩过的坑和收获"
    found = by_key(threads([read("desktop-p1.html"), stranger]))
    assert [p.input for p in found[None].pages] == ["no-tid.html"] and len(found[T1].pages) == 1
    # The caller's page is left as it was.
    page = read("printable.html")
    list(threads([read("desktop-p1.html"), page]))
    assert page.warnings == []


def test_archiver_posts_without_ids_join_the_desktop_posts():
    docs = [read("archiver-p2.html"), read("desktop-p1.html"), read("desktop-p2.html")]
    t = merge(docs, T1)
    assert [p.floor for p in t.posts] == list(range(1, 9))
    assert all(t.pages[p.from_page].view == "desktop" for p in t.posts)


def test_grouping_spills_to_disk_and_gives_the_same_threads(tmp_path):
    docs = all_pages() * 3  # every page thrice: later copies supersede earlier ones
    in_memory = {k: v.to_dict() for k, v in by_key(threads(docs)).items()}
    spilled = {k: v.to_dict() for k, v in by_key(threads(docs, max_memory=1, spill_dir=str(tmp_path))).items()}
    assert spilled == in_memory
    assert list(tmp_path.iterdir()) == []  # the spill files are removed


def test_grouping_keeps_each_threads_pages_in_input_order(tmp_path):
    docs = [forumclean.Document(input=str(i), url=f"https://a.example/thread-{i % 7}-1-1.html", thread_id=str(i % 7))
            for i in range(200)]
    groups = list(group_pages(docs, key=thread_key, max_memory=30_000, spill_dir=str(tmp_path)))
    assert sorted(k for k, _ in groups) == sorted(f"a.example/thread/{n}" for n in range(7))
    for _, pages in groups:
        assert [int(d.input) for d in pages] == sorted(int(d.input) for d in pages)
    assert sum(len(p) for _, p in groups) == 200


@pytest.mark.parametrize(("url", "want"), [
    ("http://bbs.example.org/forum.php?mod=viewthread&tid=2&extra=page%3D1&page=3", ("thread", "2", 3)),
    ("http://bbs.example.org/forum.php?mod=viewthread&tid=2&page=2&mobile=2", ("thread", "2", 2)),
    ("http://bbs.example.org/forum.php?mod=viewthread&action=printable&tid=6", ("thread", "6", None)),
    ("https://www.4d4y.com/forum/viewthread.php?tid=572737&page=2", ("thread", "572737", 2)),
    ("https://bbs.example.org/thread-8801-3-1.html", ("thread", "8801", 3)),
    ("http://bbs.example.org/archiver/?tid-4.html", ("thread", "4", None)),
    ("http://bbs.example.org/archiver/?tid-4.html&page=2", ("thread", "4", 2)),
    ("http://bbs.example.org/archiver/tid-4.html?page=2", ("thread", "4", 2)),
    ("http://bbs.example.org/forum.php?mod=redirect&goto=findpost&pid=9&ptid=31", ("thread", "31", None)),
    ("http://bbs.example.org/portal.php?mod=view&aid=1&page=2", ("article", "1", 2)),
    ("http://bbs.example.org/article-12-3.html", ("article", "12", 3)),
    ("http://bbs.example.org/forum.php?mod=forumdisplay&fid=3", (None, None, None)),
])
def test_thread_ids_from_every_views_addresses(url, want):
    assert parse_url(url) == want


def test_page_addresses_for_missing_pages():
    assert page_url("https://a.example/thread-5-1-1.html", "desktop", 4) == "https://a.example/thread-5-4-1.html"
    assert page_url("https://a.example/thread-5-1-1.html", "touch", 2) == "https://a.example/thread-5-2-1.html?mobile=2"
    assert (page_url("http://a.example/bbs/forum.php?mod=viewthread&tid=5", "desktop", 2)
            == "http://a.example/bbs/forum.php?mod=viewthread&tid=5&page=2")
    assert page_url("http://a.example/forum.php?mod=viewthread&tid=5", "archiver", 2) == "http://a.example/archiver/?tid-5.html&page=2"
    assert page_url("http://a.example/portal.php?mod=view&aid=3", "portal", 2) == "http://a.example/portal.php?mod=view&aid=3&page=2"


def test_thread_round_trips_through_json():
    for t in threads(all_pages()):
        data = json.loads(json.dumps(t.to_dict(), ensure_ascii=False))
        assert Thread.from_dict(data) == t


def test_a_comment_pager_inside_a_post_is_not_the_threads():
    page = (PAGES / "gap-p1.html").read_text(encoding="utf-8")
    one_page = page.replace('<div class="pg">', '<div class="pgx">')  # no thread pager
    comments = ('<div id="comment_88102" class="cm"><div class="pgs mbm cl"><div class="pg"><strong>1</strong>'
                '<a href="forum.php?mod=misc&amp;action=commentmore&amp;pid=88102&amp;page=2">2</a></div></div></div>')
    with_comments = one_page.replace("绿萝、龟背竹、吊兰都可以。</td></tr></table></div>",
                                     "绿萝、龟背竹、吊兰都可以。</td></tr></table></div>" + comments)
    assert with_comments != one_page
    assert forumclean.extract(with_comments).page_count is None
    assert forumclean.extract(page).page_count == 3


def test_text_dump_pager_line_gives_the_page_count():
    dump = "标题\n\n1 2 3 ... 9 / 9 页 下一页\n\n#1 楼主 甲 发表于 2025-1-1 10:00\n正文\n"
    page = forumclean.pipeline.read_page(dump, input_format="text")
    from forumclean.families.pager import page_count

    assert page_count(page) == 9
    assert page_count(forumclean.pipeline.read_page("共有 3 人说：正文里 / 5 页 是别的事\n", input_format="text")) is None


# -- the command line --------------------------------------------------------------------------

def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "forumclean", "threads", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_cli_writes_one_jsonl_record_per_thread():
    run = run_cli("-j", "2", str(PAGES.relative_to(ROOT)))
    assert run.returncode == 0, run.stderr
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert sorted(r["key"] or "" for r in records) == ["", T1, T2]
    lib = by_key(threads(forumclean.extract((PAGES / p).read_bytes(), input_name=str(PAGES.relative_to(ROOT) / p))
                         for p in sorted(x.name for x in PAGES.glob("*.html"))))
    for r in records:
        assert r == lib[r["key"]].to_dict()


def test_cli_text_view_prints_the_thread_as_extract_prints_a_page():
    run = run_cli("--format", "text", *(str((PAGES / f"desktop-p{n}.html").relative_to(ROOT)) for n in (3, 1)))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[:2] == [f"==> {T1} <==", "阳台种菜一年，踩过的坑和收获"]
    heads = [line for line in lines if line.startswith("#")]
    assert heads[0] == "#1 · 绿手指阿禾 · 2025-03-01T20:05:12+08:00"
    assert [h.split(" · ")[0] for h in heads] == ["#1", "#2", "#3", "#4", "#6", "#9", "#10"]


def test_cli_failed_input_is_an_error_record_and_the_rest_go_on(tmp_path):
    bad = tmp_path / "empty.html"
    bad.write_bytes(b"")
    listing = "\n".join([str(bad), str(PAGES / "gap-p1.html"), str(tmp_path / "absent.html")]) + "\n"
    run = run_cli("--files-from", "-", stdin=listing)
    assert run.returncode == 1
    records = [json.loads(line) for line in run.stdout.splitlines()]
    errors = [r for r in records if "error" in r]
    assert sorted(e["error"]["type"] for e in errors) == ["decode", "read"]
    assert [r["key"] for r in records if "error" not in r] == [T2]
    assert len(run.stderr.splitlines()) == 2


# -- the corpus's own views of one thread ------------------------------------------------------

@pytest.mark.corpus
def test_corpus_multi_view_threads(corpus_dir):
    """The local renders hold one thread in several views (desktop, robot, touch, simple,
    archiver, print; some fetched twice, a portal article in two pages). Read with the address
    they were fetched from, each thread is one record, every post once, each body the extract of
    the page the thread names, the post count that of the gold file of its desktop page."""
    html = corpus_dir / "html"
    with open(html / "manifest.tsv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r.get("url_fetched")]
    docs = {}
    for r in rows:
        docs[r["id"]] = forumclean.extract((html / f"{r['id']}.html").read_bytes(), url=r["url_fetched"],
                                           input_name=r["id"])
    found = list(threads(docs.values()))
    by = by_key(found)
    assert len(found) == len({t.key for t in found}) + sum(1 for t in found if t.key is None) - (None in by)
    multi = [t for t in found if t.key and len({p.view for p in t.pages}) > 1]
    assert len(multi) >= 8
    for t in multi:
        ids = [p.id for p in t.posts if p.id]
        assert len(ids) == len(set(ids)), t.key
        floors = [p.floor for p in t.posts if p.floor is not None]
        assert floors == sorted(floors), t.key
        for post in t.posts:
            page = docs[t.pages[post.from_page].input]
            assert post.body in [p.body for p in page.posts], (t.key, post.floor)
        desktop = [p for p in t.pages if p.view in ("desktop", "portal") and not p.superseded]
        if desktop:
            gold = json.loads((html / f"{desktop[0].input}.gold.json").read_text(encoding="utf-8"))
            want = len(gold["posts"]) if t.kind == "thread" else len(desktop)
            assert len(t.posts) == want, t.key
    article = by["nanchuang.example.com/article/1"]
    assert len(article.posts) == 2 and [article.pages[p.from_page].page for p in article.posts] == [1, 2]
    assert article.complete and article.warnings == []  # page 1 fetched twice, unchanged

    # Saved as files, without the addresses: the print views (which state none) find their
    # threads by site name and title; each thread has the same pages as above.
    # Text-browser dumps of these pages (which name the site their own way) join too; their posts
    # are the threads' posts (matched by floor, or author and minute), none added.
    bare = [forumclean.extract((html / f"{r['id']}.html").read_bytes(), input_name=r["id"]) for r in rows]
    ids = {r["id"] for r in rows}
    dumps = [p for p in sorted((corpus_dir / "text").glob("r*.txt")) if p.stem[1:4] in ids]
    bare += [forumclean.extract(p.read_bytes(), input_name=p.stem) for p in dumps]
    saved = by_key(threads(bare))
    joined = 0
    for t in multi:
        html_pages = [p.input for p in saved[t.key].pages if p.view != "text"]
        assert sorted(html_pages) == sorted(p.input for p in t.pages), t.key
        joined += sum(p.view == "text" for p in saved[t.key].pages)
        got = saved[t.key].posts
        assert [(p.floor, p.author, p.body) for p in got] == [(p.floor, p.author, p.body) for p in t.posts], t.key
    assert joined >= 30


def test_readme_shows_real_output():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "forumclean threads --format text fixtures/threads/gap-p3.html fixtures/threads/gap-p1.html"
    start = readme.index(f"$ {command}\n") + len(command) + 3
    shown = readme[start:readme.index("```", start)]
    run = run_cli(*command.split()[2:])
    assert run.returncode == 0 and run.stdout == shown
    # The JSON record shown beside it, its elided lists aside.
    record = json.loads(run_cli(*command.split()[4:]).stdout)
    block = readme[readme.index('```json\n{\n  "key": "bbs.qinghe.example/thread/8802"') + 8:]
    block = block[:block.index("```")]
    for field in ("key", "title", "url", "site", "host", "forum", "thread_id", "complete", "missing_pages",
                  "missing_floors", "warnings"):
        assert json.dumps(record[field], ensure_ascii=False) in block.replace("\n", ""), field
    assert json.dumps(record["posts"][-1], ensure_ascii=False)[1:-1].replace(", ", ",") in \
        " ".join(block.split()).replace(", ", ",")


@pytest.mark.corpus
def test_corpus_page_counts_match_the_manifest(corpus_dir):
    """Pages the manifest notes as 「page N/M」 (desktop 7.2, archiver, portal) read as page N of M."""
    import re

    html = corpus_dir / "html"
    with open(html / "manifest.tsv", encoding="utf-8") as fh:
        noted = {r["id"]: re.search(r"\bpage (\d+)/(\d+)", r["notes"]) for r in csv.DictReader(fh, delimiter="\t")}
    noted = {k: (int(m.group(1)), int(m.group(2))) for k, m in noted.items() if m}
    assert len(noted) >= 5
    for name, (page, count) in noted.items():
        doc = forumclean.extract((html / f"{name}.html").read_bytes())
        assert (doc.page, doc.page_count) == (page, count), name


def test_readme_library_example_runs(capsys):
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Whole threads"):readme.index("## What was removed")]
    code = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(code) == 1
    exec(code[0], {"paths": [str(p) for p in sorted(PAGES.glob("gap-*.html"))]})  # noqa: S102
    assert capsys.readouterr().out == f"{T2} 5 False [2]\n"


def test_cli_takes_the_shared_input_options():
    """--url gives a page that states no address its thread (a print view fetched by hand)."""
    url = "https://bbs.qinghe.example/forum.php?mod=viewthread&action=printable&tid=8801"
    run = run_cli("--url", url, "-j", "1", "--timeout", "0", str((PAGES / "printable.html").relative_to(ROOT)))
    assert run.returncode == 0, run.stderr
    (record,) = [json.loads(line) for line in run.stdout.splitlines()]
    assert record["key"] == T1 and record["complete"] and len(record["posts"]) == 10
    assert record["pages"][0]["view"] == "printable"
    bad = run_cli("--input-format", "html", "--family", "no-such-family", "x.html")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
