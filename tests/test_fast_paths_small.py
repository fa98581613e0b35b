"""The fast paths of the small-page families (archiver, print view, touch, portal, mobile) find
what the XPaths and rule calls they replace find.

Each test runs the fast path and the code it stands in for over every element of the HTML
fixtures (and, when present, of the real-page corpus) and requires the same answer.
"""

from __future__ import annotations

import re
import sys

import pytest
from conftest import html_roots
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from forumclean.blocks import Block, kept, removed
from forumclean.families import archiver, flat, mobile1, portal, prefilter, printable, touch
from forumclean.families.html import xpath
from forumclean.families.message import label_attachments, message_labels, read_edit, read_images, read_quotes
from forumclean.families.thread import ThreadLayout
from forumclean.model import Post
from forumclean.rules.chrome import PAGE_REGIONS, cls
from forumclean.rules.strings import IMAGE_URL, NOTICES


def _check_plain_leaves(roots: list[etree._Element]) -> int:
    """A leaf that ``flat._plain_leaf`` passes over gets no label from the calls it skips."""
    skipped = 0
    for root in roots:
        for el in root.iter():
            if not flat._plain_leaf(el):
                continue
            verdicts: dict = {}
            assert message_labels(el) == []
            label_attachments(el, verdicts, 0, stop=el.getparent())
            assert verdicts == {}
            skipped += 1
    return skipped


def test_plain_leaves_get_no_message_label(fixture_roots):
    assert _check_plain_leaves(fixture_roots) > 500
    # Attributes, children and the rules' bare tags are never passed over.
    for markup in ('<br class="x"/>', "<font></font>", "<a></a>", "<span></span>", "<p><b>x</b></p>"):
        assert not flat._plain_leaf(etree.fromstring(markup))
    assert not flat._plain_leaf(etree.Comment("x"))
    assert flat._plain_leaf(etree.fromstring("<br/>"))


_FORUM_LINKS = f"//*[@id='nav' or ({cls('subtable')} and {cls('bold')})]//a[contains(@href, 'fid-')]"


def _check_marker_lookups(roots: list[etree._Element]) -> int:
    """The archiver's walks for ``.//strong`` (first) and ``.//*[@title]``, and its forum link."""
    checked = 0
    for root in roots:
        links = xpath(_FORUM_LINKS)(root)
        assert archiver._forum_link(root) is (links[-1] if links else None)
        for tag, name in (("p", "author"), ("div", "t_msg"), ("div", "page"), ("td", "plc")):
            assert archiver._with_class(root, tag, name) == xpath(f"//{tag}[{cls(name)}]")(root)
        current = xpath(f"//div[{cls('page')}]//strong")(root)
        assert archiver._current_page(root) is (current[0] if current else None)
        for el in root.iter("p", "div", "td"):
            found = xpath(".//strong")(el)
            assert next(el.iterdescendants("strong"), None) is (found[0] if found else None)
            titled = [s for s in el.iterdescendants() if type(s.tag) is str and s.get("title") is not None]
            assert titled == xpath(".//*[@title]")(el)
            checked += 1
    return checked


def test_marker_lookups_find_what_the_xpaths_find(fixture_roots):
    assert _check_marker_lookups(fixture_roots) > 1000
    # Nested breadcrumbs, a link outside them, a second <html> after the first.
    root = etree.fromstring(
        '<html><body><div id="nav"><a href="?fid-1.html">a</a><div class="subtable bold">'
        '<a href="?fid-2.html">b</a></div></div><a href="?fid-3.html">c</a></body></html>'
        '<html><body><p class="bold subtable"><i><a href="fid-4">d</a></i></p><a>e</a></body></html>',
        etree.HTMLParser())
    assert [a.text for a in xpath(_FORUM_LINKS)(root)] == ["a", "b", "d"]
    assert archiver._forum_link(root).text == "d"
    pager = etree.fromstring('<html><body><div class="page"><p><strong>1</strong></p></div>'
                             '<strong>x</strong></body></html>')
    assert archiver._current_page(pager).text == "1"
    nested = etree.fromstring('<html><body><div class="page"><div class="x page"><strong>b</strong></div>'
                              '<strong>a</strong></div><div class="page"><strong>c</strong></div></body></html>')
    assert archiver._current_page(nested).text == "b" == xpath(f"//div[{cls('page')}]//strong")(nested)[0].text
    # ``//`` reads the whole document whatever the context element.
    strong = etree.fromstring('<div class="page"><strong>2</strong></div>')[0]
    assert archiver._current_page(strong) is strong is xpath(f"//div[{cls('page')}]//strong")(strong)[0]


@pytest.mark.corpus
def test_small_family_fast_paths_on_the_real_pages(corpus_dir):
    roots = html_roots(corpus_dir / "html")
    assert _check_plain_leaves(roots) > 1000
    assert _check_marker_lookups(roots) > 1000


def test_post_lines_read_a_relabelled_line_afresh():
    body = kept("body", 0)
    lines = [[Block("[b]bold[/b] text", body)], [Block("more", body)]]
    tidier = flat._PostLines(lines, [0, 1], 0, Post(), None)
    assert tidier.text(0) == "[b]bold[/b] text" and tidier.live() == [0, 1]
    tidier.drop(0, removed("BBCode tag", 0), 0, 3)
    assert tidier.text(0) == "bold[/b] text"
    tidier.drop(1, removed("notice", 0))
    assert tidier.text(1) == "" and tidier.live() == [0]


def test_marker_time_reads_a_title_first():
    marker = etree.fromstring('<p><strong>ann</strong> 发表于 <span title="2024-8-16 09:30">1 小时前</span></p>')

    class _Doc:
        timezone = "+08:00"

    assert archiver._marker_time(marker, "ann", _Doc()) == "2024-08-16T09:30+08:00"


# The touch layout as it was written in XPath: each ClassPath must print as its XPath.
_AUTHI = cls("authi")
_GREY_HEAD = f"{cls('grey')} and not({cls('rela')})"
_TOUCH_POSTS = (f"//div[{cls('plc')} and starts-with(@id, 'pid') and "
                "translate(substring(@id, 4), '0123456789', '') = '']"
                f" | //div[{cls('postlist')}]/div[{cls('plc')} and not(@id)]")
_TOUCH_PATHS = {
    "body": [f".//div[{cls('message')}]"],
    "floor": [f".//ul[{_AUTHI}]/li[{cls('mtit')}]/span[{cls('y')}]", f".//ul[{_AUTHI}]/li[{_GREY_HEAD}]/em"],
    "author": [f".//ul[{_AUTHI}]/li[{cls('mtit')}]/span[{cls('z')}]/a", f".//ul[{_AUTHI}]/li[{_GREY_HEAD}]/b/a",
               f".//ul[{_AUTHI}]/li[{cls('mtit')}]/span[{cls('z')}]", f".//ul[{_AUTHI}]/li[{_GREY_HEAD}]/b"],
    "time": [f".//ul[{_AUTHI}]/li[{cls('mtime')}]", f".//ul[{_AUTHI}]/li[{cls('grey')} and {cls('rela')}]"],
    "title": [f"//div[{cls('viewthread')}]/div[{cls('view_tit')}]", f"//div[{cls('view_tit')}]",
              f"//div[{cls('postlist')}]/h2"],
    "forum": [f"//div[{cls('header')}]/h2/a"],
}


def _class_paths() -> list[touch.ClassPath]:
    paths = []
    for name, written in _TOUCH_PATHS.items():
        fast = [p for p in getattr(touch.LAYOUT, name) if isinstance(p, touch.ClassPath)]
        assert [str(p) for p in fast] == written, name
        paths.extend(fast)
    return paths


_MOBILE_POSTS = (f"//div[{cls('bm_c')} and starts-with(@id, 'post_') and "
                 "translate(substring(@id, 6), '0123456789', '') = '']")


def _check_touch_paths(roots: list[etree._Element]) -> int:
    paths = _class_paths()
    assert str(mobile1._INF) == f"//div[{cls('bm_inf')}]/font"
    checked = 0
    for root in roots:
        assert touch._posts(root) == xpath(_TOUCH_POSTS)(root)
        assert mobile1._posts(root) == xpath(_MOBILE_POSTS)(root)
        inf = xpath(str(mobile1._INF))(root)
        assert mobile1._INF.first(root, "") is (inf[0] if inf else None)
        contexts = [root, *root.iter("div", "ul", "li", "td")]
        for path in paths:
            for ctx in contexts if not path.page else [root, *contexts[1:20]]:
                found = xpath(str(path))(ctx)
                assert path.first(ctx, "") is (found[0] if found else None), str(path)
                checked += 1
    return checked


def test_touch_class_paths_find_what_their_xpaths_find(fixture_roots):
    assert _check_touch_paths(fixture_roots) > 10000


def test_touch_class_paths_on_edge_shapes():
    page = etree.fromstring(
        '<html><body><div class="postlist"><div class="plc">a</div><div class="plc" id="pid">b</div>'
        '<div class="plc" id="pid12a">c</div><div class="plc x" id="pid٣">d</div>'
        '<div class="plc" id="pid7"><ul class="authi"><li class="grey rela">t</li>'
        '<li class="grey"><em>5</em><b><a>name</a></b></li></ul>'
        '<ul class="authi"><li class="mtit"><span class="y">1</span></li></ul></div></div>'
        '<p><span class="y">stray</span></p></body></html>')
    assert [d.text for d in touch._posts(page)] == ["a", "b", None] == \
        [d.text for d in xpath(_TOUCH_POSTS)(page)]
    boxes = etree.fromstring('<html><body><div class="bm_c" id="post_12">a</div><div class="bm_c" id="post_">b</div>'
                             '<div class="bm_c" id="post_1x">c</div><div class="bm_c x" id="POST_1">d</div>'
                             '<div id="post_3" class="bm">e</div></body></html>')
    assert [d.text for d in mobile1._posts(boxes)] == ["a", "b"] == [d.text for d in xpath(_MOBILE_POSTS)(boxes)]
    post = touch._posts(page)[2]
    for path in _class_paths():
        found = xpath(str(path))(post)
        assert path.first(post, "") is (found[0] if found else None), str(path)
    # A path's first step is strictly below the context: the ul itself is not its own ul.
    ul = post[0]
    floor = touch.LAYOUT.floor[1]
    assert floor.first(ul, "") is None and xpath(str(floor))(ul) == []
    assert floor.first(post, "").text == "5"


def test_touch_class_paths_with_nested_first_steps():
    # The first-step elements (ul.authi) nest and hold matches before, inside and after one
    # another: each path still finds what its XPath finds first, from every context.
    page = etree.fromstring(
        '<html><body><div class="plc" id="pid1"><div class="message"><ul class="authi"><li class="x">'
        '<ul class="authi"><li class="mtit"><span class="z"><a>inner</a></span><span class="y">2</span>'
        '</li></ul></li><li class="mtit"><span class="z"><a>outer</a></span></li>'
        '<li class="grey"><b>b1</b><em>3</em></li></ul>'
        '<ul class="authi"><li class="mtime">t</li><li class="grey rela">r</li></ul>'
        '<ul class="authi x"><li class="grey"><ul class="authi"><li class="grey"><b><a>deep</a></b></li></ul>'
        '</li></ul></div></div></body></html>')
    checked = 0
    for path in _class_paths():
        for ctx in page.iter():
            found = xpath(str(path))(ctx)
            assert path.first(ctx, "") is (found[0] if found else None), (str(path), ctx.tag)
            checked += bool(found)
    assert checked > 20


@pytest.mark.corpus
def test_touch_class_paths_on_the_real_pages(corpus_dir):
    assert _check_touch_paths(html_roots(corpus_dir / "html")) > 10000


def _div_rules() -> list[str]:
    rules = [expr for lay in (portal._DESKTOP, portal._TOUCH) for expr, _ in lay.regions if isinstance(expr, str)]
    rules += [expr for expr, _ in PAGE_REGIONS]
    # Tokens the pages use often, and one rule of another tag (which a div index does not answer).
    rules += [f"//div[{cls(t)}]" for t in ("cl", "pg", "plc", "message", "authi", "bm", "pl", "wp", "z", "y")]
    rules.append(f"//p[{cls('xg1')}]")
    return [r for r in rules if prefilter.class_rule(r) is not None]


_COMMENTS = "//*[@id='comment'] | //*[starts-with(@id, 'comment_')] | //form[@id='cform']"


def test_comment_regions_are_the_union():
    assert dict(portal._DESKTOP.regions)[portal._comment_regions] == "comments"
    # Ids repeated (id() names the first), a form and a div called cform, a second <html>.
    root = etree.fromstring(
        '<html><body><div id="comment_2">a</div><div id="comment">b</div><form id="cform">c</form>'
        '<div id="cform">d</div><p id="comment">e</p><i id="xcomment_1">f</i></body></html>'
        '<html><body><span id="comment_x">g</span></body></html>', etree.HTMLParser())
    assert [el.text for el in portal._comment_regions(root)] == ["a", "b", "c", "g"] == \
        [el.text for el in xpath(_COMMENTS)(root)]


def _check_class_index(roots: list[etree._Element]) -> int:
    rules = _div_rules()
    assert len(rules) > 10
    checked = 0
    for root in roots:
        divs = prefilter.ClassIndex(root, "div")
        for expr in rules:
            found = divs.find(expr)
            if prefilter.class_rule(expr)[0] != "div":
                assert found is None
                continue
            assert found == xpath(expr)(root), expr
            checked += 1
        assert portal._comment_regions(root) == xpath(_COMMENTS)(root)
        meta = portal._DESKTOP.meta
        assert str(meta) == f"//div[{cls('h')}]/p[{cls('xg1')}]"
        found = xpath(str(meta))(root)
        assert meta.first(root, "") is (found[0] if found else None)
    return checked


def test_class_index_finds_what_the_class_rules_find(fixture_roots):
    assert _check_class_index(fixture_roots) > 1000
    assert prefilter.class_rule(f"//div[{cls('s')}]") == ("div", "s")
    for other in (f"//div[{cls('a')} or {cls('b')}]", f"//div[{cls('a')}]/p", "//*[@id='x']",
                  f".//div[{cls('a')}]", f"//div[{cls('a')}] | //p"):
        assert prefilter.class_rule(other) is None


def test_class_index_reads_every_top_level_element():
    # libxml2 puts a second <html> beside the first: ``//`` reaches it, and so does the index.
    root = etree.fromstring('<html><body><div class="s x">a</div></body></html>'
                            '<html><body><div class=" s">b</div><div class="s\tx">c</div></body></html>',
                            etree.HTMLParser())
    rule = f"//div[{cls('s')}]"
    assert [d.text for d in prefilter.ClassIndex(root, "div").find(rule)] == ["a", "b"] == \
        [d.text for d in xpath(rule)(root)]


@pytest.mark.corpus
def test_class_index_on_the_real_pages(corpus_dir):
    assert _check_class_index(html_roots(corpus_dir / "html")) > 1000


# Pieces of the plain-text lines of archiver and print-view bodies: BBCode, addresses, notices.
_LINE_PIECES = st.sampled_from(["[", "]", "/", "[b]", "[/b]", "[url=", "[URL=http://a.b/x]", "[img]", "[/img]",
                                "[quote]", "[/quote]", "[attach]12[/attach]", "http://", "https://a.b/c.jpg",
                                "ftp:/", ":/", "://", " ", "\n", "x", "中文", "*", NOTICES[0], NOTICES[0][:3],
                                "本帖隐藏的内容需要", "İ", "K"])
_LINES = st.lists(_LINE_PIECES, max_size=10).map("".join) | st.text(max_size=30)


@given(_LINES, st.integers(min_value=0, max_value=40))
def test_bbcode_search_from_the_first_bracket_is_the_search(text, pos):
    start = text.find("[", pos)
    fast = flat._BBCODE.search(text, start) if start >= 0 else None
    slow = flat._BBCODE.search(text, pos)
    assert (fast.span(), fast.lastgroup) == (slow.span(), slow.lastgroup) if slow else fast is None


@given(_LINES)
def test_line_prefilters_are_the_patterns(text):
    assert bool(flat._NOTICE.search(text)) == any(n in text for n in NOTICES)
    if "://" not in text:
        assert IMAGE_URL.findall(text) == []
    if "[" not in text:
        assert "[url=" not in text.lower()


def test_squash_takes_out_what_the_space_pattern_takes():
    # Every code point: ``\s`` and ``str.isspace`` (what ``str.split`` splits at) agree.
    space = re.compile(r"\s")
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if bool(space.match(c)) != c.isspace()] == []
    text = " a\u3000b\xa0\x1cc\u200bd\ufeff\n中 "
    assert flat._squash(text) == re.sub(r"\s+", "", text)


def test_touch_authors_have_nothing_the_default_exclusions_take(fixture_roots):
    # Touch leaves author_exclude empty: its author paths end at elements the default
    # exclusions (``self::div/…``, ``self::cite/…``) never match.
    default = ThreadLayout(posts="//x", body="//x").author_exclude
    assert touch.LAYOUT.author_exclude == () == mobile1.LAYOUT.author_exclude
    assert {path.steps[-1][0] for path in touch.LAYOUT.author} <= {"a", "span", "b"}
    # (the simple-mobile author is a link: ``…/a[contains(@href, …)]``)
    assert [re.search(r"/(\w+)\[[^/]*$", expr).group(1) for expr in mobile1.LAYOUT.author] == ["a"]
    checked = 0
    for root in fixture_roots:
        for el in root.iter("a", "span", "b"):
            for expr in default:  # (XPaths, or functions of the element)
                assert (xpath(expr)(el) if isinstance(expr, str) else expr(el)) == []
            checked += 1
    assert checked > 1000


def _check_print_view_walks(roots: list[etree._Element]) -> int:
    checked = 0
    for root in roots:
        assert printable._rules(root) == xpath("//hr[@noshade]")(root)
        h1 = xpath("//body/h1")(root)
        assert printable._site_heading(root) is (h1[0] if h1 else None)
        for el in root.iter("hr", "table", "br", "b", "p"):
            assert printable._footer_cells(el) == xpath("following-sibling::table[1]//td")(el)
            checked += 1
    return checked


def test_print_view_walks_find_what_the_xpaths_find(fixture_roots):
    assert _check_print_view_walks(fixture_roots) > 1000


@pytest.mark.corpus
def test_print_view_walks_on_the_real_pages(corpus_dir):
    assert _check_print_view_walks(html_roots(corpus_dir / "html")) > 1000


_HEAD_PIECES = st.sampled_from(["static/js/mobile/", "STATIC/JS/MOBILE/", "static/image/mobile/", "/touch/",
                                "/TOUCH/", "mobile=2", "Mobile=Yes", "mobile=no", "ſtatic/js/mobile/", "moBile",
                                "<script src=\"", "\">", " ", "x", "中", "\u0130", "\u0131", "\u212a"])


@given(st.lists(_HEAD_PIECES, max_size=8).map("".join) | st.text(max_size=30))
def test_mobile_assets_test_is_the_pattern(head):
    low = head.lower()
    assert touch._has_mobile_assets(head) == bool(("mobile" in low or "/touch/" in low)
                                                 and touch._MOBILE_ASSETS.search(head))


def _check_fact_free_runs(roots: list[etree._Element]) -> int:
    """A run ``printable._may_hold_facts`` passes over has no quote, edit note or image."""
    skipped = 0
    for root in roots:
        for parent in root.iter():
            children = list(parent)
            for run in ([children] + [[c] for c in children]) if children else ():
                if printable._may_hold_facts(run):
                    continue
                view = flat.fact_view(run)
                assert read_quotes(view, None) == [] and read_edit(view, None) is None
                assert read_images(view, "http://example.org/") == []
                skipped += 1
    return skipped


def test_fact_free_runs_hold_no_facts(fixture_roots):
    assert _check_fact_free_runs(fixture_roots) > 1000
    held = etree.fromstring("<p>a<br/>本帖最后由 x 于 2024-1-1 编辑<b>b</b></p>")
    assert printable._may_hold_facts(list(held)) and printable._may_hold_facts(list(held)[:1])
    assert not printable._may_hold_facts(list(held)[1:])
    assert printable._may_hold_facts([etree.fromstring('<span><img src="a.jpg"/></span>')])


@pytest.mark.corpus
def test_fact_free_runs_on_the_real_pages(corpus_dir):
    assert _check_fact_free_runs(html_roots(corpus_dir / "html")) > 1000
