"""The Python fast paths of the HTML families find what the XPaths they replace find.

Each fast path (tag-filtered walks, class-token matchers) stands in for an XPath; these tests
run both over the posts and elements of the HTML fixtures (and, when present, the real-page
corpus) and require the same answer.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from conftest import html_roots
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from forumclean import blocks, page
from forumclean.families import discuz_x, html, message
from forumclean.families.html import xpath
from forumclean.families.thread import ClassChain, IdPrefix, PostIds, guest_extras, pid_of
from forumclean.pipeline import read_page
from forumclean.rules.chrome import cls
from forumclean.rules.strings import NOTICES


def _check_chains(roots: list[etree._Element]) -> int:
    chains = [ClassChain((("div", "authi"), ("a", "xw1")), start_id="favatar"),
              ClassChain((("div", "authi"), ("a", "xw1")))]
    checked = 0
    for root in roots:
        containers = discuz_x.LAYOUT.posts[0](root)
        ids = PostIds(root, [pid_of(c) for c in containers])
        for container in containers:
            pid = pid_of(container) or ""
            for chain in chains:
                found = xpath(str(chain))(container, pid=pid)
                assert chain.first(container, pid) is (found[0] if found else None), str(chain)
                assert chain.first(container, pid, ids) is (found[0] if found else None), str(chain)
                checked += 1
            if pid:
                _check_ids(root, ids, pid)
            for matcher in _ID_PREFIXES:
                found = xpath(str(matcher))(container)
                assert matcher.first(container) is (found[0] if found else None), str(matcher)
        for el in root.iter("div", "cite", "td", "a"):
            assert guest_extras(el) == xpath(_GUEST_EXTRAS)(el)
    return checked


_ID_PREFIXES = [IdPrefix("a", "postnum"), IdPrefix("strong", "postnum"), IdPrefix("em", "authorposton"),
                IdPrefix("*", "postmessage_"), IdPrefix("*", "post")]
_GUEST_EXTRAS = "self::div/em | self::div/a/em | self::cite/em | self::cite/a/em"


_D7_POSTS = ("//div[@id='postlist']//div[starts-with(@id, 'post_') and "
             "translate(substring(@id, 6), '0123456789', '') = ''][not(ancestor::div[starts-with(@id, 'post_')])]"
             " | //table[starts-with(@id, 'pid') and translate(substring(@id, 4), '0123456789', '') = ''"
             " and not(ancestor::div[starts-with(@id, 'post_')])]")


def _check_d7_posts(roots: list[etree._Element]) -> int:
    from forumclean.families import discuz7

    found = 0
    for root in roots:
        walked = discuz7._post_containers(root)
        assert walked == xpath(_D7_POSTS)(root)
        found += len(walked)
    return found


def test_d7_post_containers_are_the_xpaths(fixture_roots):
    assert _check_d7_posts(fixture_roots) > 20
    root = etree.fromstring(
        "<html><body><table id='pid1'/><div id='postlist'><div><div id='post_2'><table id='pid2'/>"
        "<div id='post_3'/></div></div><div id='post_x'/><div id='post_'/><table id='pid4a'/></div>"
        "<div id='post_5'/></body></html>", etree.HTMLParser())
    assert [e.get("id") for e in _check_d7_roots(root)] == ["pid1", "post_2", "post_"]


def _check_d7_roots(root: etree._Element) -> list[etree._Element]:
    from forumclean.families import discuz7

    walked = discuz7._post_containers(root)
    assert walked == xpath(_D7_POSTS)(root)
    return walked


def test_id_prefix_and_guest_extras_by_hand():
    root = etree.fromstring("<div id='postnum0'><p><a id='x'>1</a><a id='postnum5'>2</a></p><em id='postnum7'/>"
                            "<cite><em>ip</em><a><em>m</em><b><em>deep</em></b></a>t</cite></div>")
    assert str(IdPrefix("a", "postnum")) == ".//a[starts-with(@id, 'postnum')]"
    assert IdPrefix("a", "postnum").first(root).text == "2"
    assert IdPrefix("*", "postnum").first(root).get("id") == "postnum5"  # (not the container itself)
    cite = root.find(".//cite")
    assert [e.text for e in guest_extras(cite)] == ["ip", "m"] == [e.text for e in xpath(_GUEST_EXTRAS)(cite)]


def _check_ids(root: etree._Element, ids: PostIds, pid: str) -> None:
    for prefix in ("postmessage_", "postnum", "authorposton", "favatar", "pid", "post_"):
        assert ids.find(prefix, pid) == xpath(f"id(concat('{prefix}', $pid))")(root, pid=pid), prefix


def test_post_ids_look_up_what_id_finds():
    # Ids repeated (a pinned copy shown twice), missing for some posts, and asked for a post
    # the index was not built with.
    root = etree.fromstring(
        "<html><body><div id='post_1'><td id='postmessage_1'>a</td></div>"
        "<div id='post_2'><em id='authorposton2'>t</em></div>"
        "<div id='post_1'><td id='postmessage_1'>copy</td></div>"
        "<p id='postmessage_9'>x</p></body></html>", etree.HTMLParser())
    ids = PostIds(root, ["1", "2", None, "1"])
    for pid in ("1", "2", "9", "7"):
        _check_ids(root, ids, pid)
    assert ids.find("postmessage_", "1")[0].text == "a"
    assert ids.find("postmessage_", "9")[0].text == "x"
    assert ids.find("postmessage_", "2") == []


def test_class_chain_finds_what_its_xpath_finds(fixture_roots):
    assert str(ClassChain((("div", "authi"), ("a", "xw1")), start_id="favatar")) == \
        f"id(concat('favatar', $pid))//div[{cls('authi')}]//a[{cls('xw1')}]"
    assert _check_chains(fixture_roots) > 20


def test_class_chain_needs_each_step_strictly_inside():
    root = etree.fromstring('<div class="authi"><a class="xw1">self</a><p><div class="authi">'
                            '<i><a class="xw1">inner</a></i></div></p></div>')
    chain = ClassChain((("div", "authi"), ("a", "xw1")))
    # The outer div is the root: only the inner div may stand for the first step.
    assert chain.first(root, "").text == "inner"


_SELF_LINKS = ("//a[contains(@onclick, 'copyThreadUrl')]/@href | "
               "//a[contains(@href, 'action=printable') and contains(@href, 'tid=')]/@href | "
               "//form[contains(@action, 'action=reply') and contains(@action, 'tid=')]/@action")
_IMAGES = f".//img[not(ancestor::blockquote) and not(ancestor::div[{cls('quote')}])]"
_QUOTES = f".//div[{cls('quote')}][.//blockquote]"


def _check_walks(roots: list[etree._Element]) -> int:
    checked = 0
    for root in roots:
        assert list(html._thread_self_links(root, 6)) == [str(h) for h in xpath(_SELF_LINKS)(root)[:6]]
        for el in xpath(".//td | .//div | .//blockquote")(root):
            assert message._unquoted_images(el) == xpath(_IMAGES)(el)
            checked += 1
    return checked


def _check_message_candidates(roots: list[etree._Element]) -> int:
    """The candidates ``label_message`` tests hold every element a message rule removes and every
    code box: as testing each element of the body would find."""
    checked = 0
    for root in roots:
        for body in xpath(".//td | .//div")(root)[:400]:
            every = {el: message.message_reason(el) for el in body.iter() if isinstance(el.tag, str)}
            assert dict(message.message_labels(body)) == {el: r for el, r in every.items() if r is not None}
            boxes = {el for el in every if el.tag == "div"
                     and message.CODE_BOX_CLASSES.intersection((el.get("class") or "").split())}
            assert boxes <= set(message._candidates(body))
            checked += 1
    return checked


def test_message_candidates_hold_every_match(fixture_roots):
    assert _check_message_candidates(fixture_roots) > 1000


def test_titled_descendants_walked_are_the_xpaths(fixture_roots):
    # post_time reads ``.//*[@title]`` of a time element by walking it.
    checked = 0
    for root in fixture_roots:
        for el in root.iter("em", "span", "div", "td"):
            walked = [d for d in el.iterdescendants() if isinstance(d.tag, str) and d.get("title") is not None]
            assert walked == xpath(".//*[@title]")(el)
            checked += bool(walked)
    assert checked > 100


def test_tag_walks_find_what_the_xpaths_find(fixture_roots):
    assert _check_walks(fixture_roots) > 1000


def test_quotes_read_by_walk_match_the_xpath(fixture_roots):
    for root in fixture_roots:
        for el in xpath(".//td | .//div")(root):
            walked = [d for d in el.iter("div") if d is not el and html.has_class(d, "quote")
                      and next(d.iter("blockquote"), None) is not None]
            assert walked == xpath(_QUOTES)(el)


@pytest.mark.corpus
def test_fast_paths_on_the_real_pages(corpus_dir):
    roots = html_roots(corpus_dir / "html")
    assert _check_chains(roots) > 100
    assert _check_walks(roots) > 1000
    assert _check_message_candidates(roots) > 1000
    assert _check_d7_posts(roots) > 10


# Every character a browser or ``str.split`` treats as a blank, with letters, CJK and NULs (the
# walk joins its texts with NULs before folding them in one pass).
_BLANKS_AND_TEXT = " \t\r\n\f\v\u00a0\u3000\u200b\ufeff\x1c\x85\u2003\u2028\u205f\0a中."


@given(st.text(alphabet=_BLANKS_AND_TEXT, max_size=40) | st.text(max_size=40))
def test_long_text_fold_is_the_regex_fold(text):
    assert blocks._fold_long(text) == blocks.fold(text)


@given(st.text(alphabet="archiverARCHIVEKk\u0130\u0131\u212a\u017f中 ", max_size=40)
       | st.lists(st.sampled_from(["Archiver", "ARCHIVER", "archiver", "arch\u0131ver", "Arch\u0130ver",
                                   "\u0130", "中文", " ", "archive"]), max_size=8).map("".join))
def test_archiver_words_are_the_case_insensitive_regex_matches(text):
    assert html._archiver_words(text) == [m.span() for m in html._ARCHIVER_WORD.finditer(text)]


_ADDRESS_PARTS = st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "//", "a.b", "bbs.example.com",
                                  ":8080", ":", "/", "./", "../", "x.jpg", ";p", "?q=1", "#f", "%20", " ",
                                  "\t", "[", "]", "@", "\u4e2d", "_~!$&'()*+,="])
_ADDRESSES = st.lists(_ADDRESS_PARTS, max_size=7).map("".join) | st.tuples(
    st.sampled_from(["http://", "https://", "Http://"]), st.sampled_from(["bbs.example.com", "a-b.c", "h", ""]),
    st.lists(_ADDRESS_PARTS, max_size=4).map("".join)).map("".join)


@given(_ADDRESSES, _ADDRESSES)
def test_join_url_fast_path_is_urljoin(href, base):
    try:
        expected = urljoin(base, href) if base else href
    except ValueError:
        expected = href
    assert html.join_url(base, href) == expected


def test_text_of_reads_in_document_order(fixture_roots):
    # A nested element's tail comes after the text it holds: 「<b><i>name</i> 楼主</b> 发表于」.
    el = etree.fromstring("<p>A<b><i>x</i>y<!-- note -->z</b>w<script>var s;</script>v<style>p{}</style></p>")
    assert html.text_of(el) == "Axyzwv"
    checked = 0
    for root in fixture_roots:
        for el in root.iter("div", "td", "span", "a", "p", "script"):
            assert html.text_of(el) == blocks.fold("".join(html._visible_parts(el))).strip()
            checked += 1
    assert checked > 1000


_MARKUP_PARTS = st.sampled_from(["<b>", "</b>", "<i>", "</i>", "x", " y ", "<!-- c -->", "<?pi p?>", "<script>s</script>",
                                 "<style>t</style>", "<br>", "中", "<p>", "</p>", "&amp;"])


@given(st.lists(_MARKUP_PARTS, max_size=12).map("".join))
def test_text_of_fast_path_is_the_walk(inner):
    # The fast path (the XPath string value) for subtrees with nothing but comments to leave
    # out; the walk for the rest: the same text, whatever the subtree holds.
    for node in _elements_of(f"<div>{inner}</div>"):
        assert html.text_of(node) == blocks.fold("".join(html._visible_parts(node))).strip()


def _elements_of(markup: str) -> list[etree._Element]:
    """The elements of ``markup`` read leniently (none where nothing can be read)."""
    root = etree.fromstring(markup, etree.XMLParser(recover=True))
    return [] if root is None else [node for node in root.iter() if isinstance(node.tag, str)]


def _layout_fields() -> list:
    from dataclasses import fields

    from forumclean.families import discuz7, mobile1, touch
    out = []
    for layout in (discuz_x.LAYOUT, discuz7.LAYOUT, mobile1.LAYOUT, touch.LAYOUT):
        for f in fields(layout):
            value = getattr(layout, f.name)
            for field in value if isinstance(value, tuple) else (value,):
                if hasattr(field, "first") and field not in out:
                    out.append(field)
    return out


def test_fields_said_to_find_below_their_root_do(fixture_roots):
    # ``_first_of`` takes such a field's find without climbing to prove it lies below the post.
    fields = _layout_fields()
    assert any(f.below_root for f in fields) and any(not f.below_root for f in fields)
    found = 0
    for root in fixture_roots:
        for ctx in [root, *root.iter("div", "ul", "td", "table")]:
            for field in fields:
                el = field.first(ctx, "1")
                if el is not None and field.below_root:
                    assert el is ctx or any(a is ctx for a in el.iterancestors()), str(field)
                    found += 1
    assert found > 1000


def test_string_value_is_the_joined_itertext(fixture_roots):
    checked = 0
    for root in fixture_roots:
        for el in root.iter("div", "td", "span", "a", "p", "font", "script", "ul"):
            assert html.string_value(el) == "".join(el.itertext())
            checked += 1
    assert checked > 1000


# Pieces of a post body: blanks of every kind the folding knows (and two it leaves), zero-width
# characters, notices split by markup or blanks, hidden text, runs long enough to pass the limit.
_NOTICE_PARTS = st.sampled_from([
    "作者被禁止或删除", "作者被禁止", "或删除", "Hidden Message", "Hidden\n Message", "x" * 50, "中" * 70,
    " " * 120, "\u3000" * 90, "\u200b" * 150, "\ufeff" * 60, "\u2003" * 100, "\xa0" * 80, "\n\t",
    "<br>", "<b>", "</b>", "<i>", "</i>", "<script>作者被禁止或删除</script>", "<style>" + "s" * 300 + "</style>",
    "<!-- c -->", "&amp;", "<p>", "</p>"])


@settings(deadline=None)
@given(st.lists(_NOTICE_PARTS, max_size=14).map("".join))
@example("中" * 184 + "<b>作者被禁止或删除</b>" + " " * 50)  # 192 characters: a notice
@example("中" * 192 + "<b>作者被禁止或删除</b>" + " " * 50)  # 200: too long to be one
@example("\u200b" * 150 + "<i>" + "中" * 150 + "</i>作者被禁止或删除" + " " * 300)
def test_short_notice_is_the_whole_text_test(inner):
    # The bound on the first characters decides only what the whole text would: under 200
    # folded characters and holding a notice.
    for node in _elements_of(f"<div>{inner}</div>"):
        text = html.text_of(node)
        expected = len(text) < 200 and any(n in text for n in NOTICES)
        assert html.is_short_notice(node, NOTICES) is expected


def test_short_notice_on_fixture_bodies(fixture_roots):
    found = checked = 0
    for root in fixture_roots:
        for el in root.iter("div", "td"):
            text = html.text_of(el)
            expected = len(text) < 200 and any(n in text for n in NOTICES)
            assert html.is_short_notice(el, NOTICES) is expected
            found += expected
            checked += 1
    assert checked > 1000 and found > 0


# Pieces long enough to make runs of 16384 characters without markers, and the markers.
_LONG_PARTS = st.sampled_from(["<", ">", "<a", "<a ", "< b", "<1", "x" * 8000, "k=v " * 2100, "中" * 5000,
                               " ", "/>", "<p>" * 3, "\n"])


@given(st.lists(_LONG_PARTS, max_size=14).map("".join))
def test_long_tags_are_the_regex_matches(text):
    assert page.long_tags(text) == [m.span() for m in page._LONG_TAG.finditer(text)]


def test_long_tags_capped():
    tag = "<img " + " ".join(f"a{i}=1" for i in range(3000)) + ">"
    text = "<div>x" * 3 + tag + "y</div>" + "z" * 20000 + "<p " + "q" * 17000 + ">"
    capped, changed = page.cap_attributes(text, limit=1024)
    assert changed == 1
    assert capped.startswith("<div>x" * 3 + "<img " + " ".join(f"a{i}=1" for i in range(1024)) + ">y</div>")
    assert capped.endswith("z" * 20000 + "<p " + "q" * 17000 + ">")  # one attribute: left as it is


@pytest.mark.parametrize("offset", [0, 1, 8191, 8192, 12000])
@pytest.mark.parametrize("run", [16383, 16384, 16385, 16386, 24577, 40000])
def test_long_tags_at_the_edges(offset, run):
    # A tag whose run (letter included) is just under, at and over the regex's 16385 characters,
    # wherever the aligned windows fall; and the same run not closed, or not opened as a tag.
    for text in ("." * offset + "<a" + "b" * (run - 1) + ">tail",
                 "." * offset + "<a" + "b" * (run - 1),
                 "." * offset + "<1" + "b" * (run - 1) + ">",
                 "<" * offset + "a" + "b" * (run - 1) + ">" + "<"):
        assert page.long_tags(text) == [m.span() for m in page._LONG_TAG.finditer(text)]


@given(st.lists(st.sampled_from(["tid", " ", "=", "\u3000", "parseInt('12')", "parseInt( \"7\" )", "t", "d", "id",
                                 "var ", "ptid", "parseInt(x)", "中", "\n"]), max_size=12).map("".join))
@example("var tid = parseInt('12');")
@example("tid=parseInt('3') ptid =\u3000parseInt('4')")
@example("parseInt(x); tid  =  parseInt(\"5\")")
def test_tid_script_is_the_first_regex_match(text):
    found, expected = html._tid_script(text), html._TID_SCRIPT.search(text)
    assert (found.span(), found.group(1)) == (expected.span(), expected.group(1)) if expected else found is None


_PAGER_PARTS = st.sampled_from(["1", " 2", "...", " / ", "/", "9", "1234567", " 页", "页", "頁", "\t", "\n", "下一页",
                                "上一页 ", "[3]", "返回列表", "x", "中", " "])


# The pager line pattern as it was before its page links' digits were taken whole.
_OLD_TEXT_PAGER = re.compile(
    r"(?m)^[ \t]*(?:(?:\.\.\.[ \t]*)?\d{1,6}[ \t]*|\[\d{1,6}\][ \t]*|上一页[ \t]*|上一頁[ \t]*)*"
    r"/[ \t]*(\d{1,6})[ \t]*[页頁](?:[ \t]*(?:下一页|下一頁|返回列表))*[ \t]*$")


@example("1 2 3 ... 9 / 9 页 下一页")
@example("x / 3 页\n  1 2 / 12 頁\n")
@example("/ 1234567 页 / 5 页")
@example("12345671234567 / 9 页")
@settings(deadline=None)
@given(st.lists(_PAGER_PARTS, max_size=10).map("".join))
def test_text_pager_is_the_first_regex_match(text):
    from forumclean.families import pager

    found, expected = pager._text_pager(text), pager._TEXT_PAGER.search(text)
    assert (found.span(), found.group(1)) == (expected.span(), expected.group(1)) if expected else found is None
    if not re.search(r"\d{13}", text):  # (the old pattern takes exponential time on long digit runs)
        old = _OLD_TEXT_PAGER.search(text)
        assert (old.span(), old.group(1)) == (expected.span(), expected.group(1)) if old else expected is None


def test_text_pager_after_a_long_number():
    # A line of digits that is no pager, before the real one (the links' digits once made the
    # pattern try every way of cutting such a run).
    from forumclean.families import pager

    text = "1" * 60 + " x / 3 页\n" + "2" * 60 + "\n1 2 3 / 3 页"
    assert pager._text_pager(text).group(1) == "3"
    assert pager._text_pager(text).start() == text.rindex("\n") + 1


_MD_PARTS = st.sampled_from(["[a](b)", "![i](http://x/y.png)", "](", "#", "# h", "\n", "* * *", "***", "```", "**b**",
                             "*", "`", "x", " ", "中", "[", "]", "(", ")", "**"])


@given(st.lists(_MD_PARTS, max_size=20).map("".join))
def test_markdown_test_is_the_patterns_count(text):
    sample = text[:50000]
    expected = (len(page._MD_LINK.findall(sample)) >= 3 or len(page._MD_LINE.findall(sample)) >= 2
                or len(page._MD_BOLD.findall(sample)) >= 3)
    assert page.looks_like_markdown(text) == expected


def test_head_and_base_read_as_element_path_finds_them(fixture_roots):
    # _head and base_href read the head's children and the first base with an address by lxml's
    # tag filters; ElementPath's find("head") and find(".//base[@href]") are the reference.
    pages = [read_page(b"<html><head><base><base href='http://h.example/a/'><title>t</title></head>"
                       b"<body>x</body></html>"),
             read_page(b"<!-- saved from url=(0030)http://s.example/b/c.html --><html><head>"
                       b"<base href='d/'></head><body>x</body></html>"),
             read_page(b"<html><body><p>no head</p><base href='http://late.example/'></body></html>")]
    pages += [read_page(etree.tostring(root), input_format="html") for root in fixture_roots]
    for pg in pages:
        root = pg.root
        head = root.find("head") if root.find("head") is not None else root
        assert html._head(pg) is head
        b = head.find(".//base[@href]")
        href = (b.get("href") or "").strip() if b is not None else ""
        anchor = html.saved_address(pg)
        expected = href if html._ABSOLUTE.match(href) else \
            ((html.join_url(anchor, href) if href else anchor) if anchor else None)
        assert html.base_href(pg) == expected
    assert [html.base_href(p) for p in pages[:3]] == ["http://h.example/a/", "http://s.example/b/d/",
                                                     "http://late.example/"]


def test_x_desktop_body_is_no_other_familys_page():
    # The X desktop thread body tag settles detection before the other families scan the page
    # for their markup (here a post quoting touch and 6/7 class names).
    from forumclean.families import detect

    markup = ('<html><head><title>t</title></head><body id="{id}" class="pg_viewthread">'
              '<div id="postlist"><div id="post_1"><table><tr><td class="plc">'
              '<div class="message">&lt;td class="t_msgfont" id="postmessage_9"&gt; bm_user</div>'
              '<td class="t_f" id="postmessage_1">hello</td></td></tr></table></div></div></body></html>')
    from forumclean.families import HTML_FAMILIES

    for ident, family in (("nv_forum", "discuz-x"), ("nv_group", "discuz-x")):
        page = read_page(markup.format(id=ident).encode())
        assert html.x_desktop_thread_body(page)
        assert [f.name for f in HTML_FAMILIES if f.signed(page)] == [family]
        assert detect(page).name == family
    assert not html.x_desktop_thread_body(read_page(markup.format(id="viewthread").encode()))


def test_child_steps_read_as_their_xpaths(fixture_roots):
    from forumclean.families import HTML_FAMILIES
    from forumclean.rules import chrome

    tables = [chrome.PAGE_REGIONS, chrome.POST_REGIONS, chrome.TOUCH_POST_REGIONS, chrome.TOUCH_MESSAGE_REGIONS,
              chrome.TOUCH_PAGE_REGIONS, chrome.MOBILE_POST_REGIONS, chrome.MOBILE_PAGE_REGIONS]
    tables += [getattr(f.layout, name) for f in HTML_FAMILIES if hasattr(f, "layout")
               for name in ("message_regions", "post_regions", "page_regions") if hasattr(f.layout, name)]
    simple = {expr for table in tables for expr, _ in table if html._child_step(expr)}
    assert {f"./span[{cls('quote')}]", "./h2", f"./div[{cls('viewsort')}]",
            f".//div[{cls('poll')}] | .//form[@id='poll']"} <= simple
    assert html._child_step(f".//div[{cls('poll')}]//a") is None and html._child_step("./a/b") is None
    assert html._child_step(f".//div[{cls('poll')}] | ./h2") is None
    # Unions in document order, each element once, the context itself left out.
    box = etree.fromstring('<div class="poll"><form id="poll"><div class="poll x">a</div></form>'
                           '<p class="poll"/><div id="poll"/></div>')
    union = f".//div[{cls('poll')}] | .//form[@id='poll'] | .//p[{cls('poll')}]"
    assert html._child_step(union)(box) == xpath(union)(box) == [box[0], box[0][0], box[1]]
    # Any tag, id and class prefixes, conditions joined by 「or」.
    box = etree.fromstring('<div id="ad_x"><p id="ad_1" class="cm"/><b class="cm"/><i class="cmx y"/>'
                           '<span id="xad_2" class="pg"/></div>')
    rule = (f".//*[starts-with(@id, 'ad_')] | .//b[{cls('cm')} or starts-with(@class, 'pg')]"
            f" | .//i[starts-with(@class, 'cm')] | .//span[@id='xad_2' or {cls('zz')}]")
    assert html._child_step(rule)(box) == xpath(rule)(box) == [box[0], box[1], box[2], box[3]]
    elements = [el for root in fixture_roots for el in root.iter("div", "td", "table", "li")]
    for expr in simple:
        for el in elements:
            assert html._child_step(expr)(el) == xpath(expr)(el), expr


def test_d7_author_paths_are_their_xpaths(fixture_roots):
    from forumclean.families import discuz7

    paths = [p for p in discuz7.LAYOUT.author if not isinstance(p, str)]
    assert [str(p) for p in paths] == [f".//td[{cls('postauthor')}]/div[{cls('postinfo')}]/a",
                                       f".//div[{cls('authorinfo')}]/a[{cls('posterlink')}]",
                                       f".//td[{cls('postauthor')}]/div[{cls('avatar')}]"]
    found = 0
    for root in fixture_roots:
        for container in discuz7._post_containers(root):
            for path in paths:
                expected = xpath(str(path))(container)
                assert path.first(container, "") is (expected[0] if expected else None), str(path)
                found += bool(expected)
    assert found > 5
