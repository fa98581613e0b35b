"""The one-walk XPath subset gives exactly lxml's XPath results, in document order."""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from lxml import etree

from forumclean.families.select import compile_expr, select, select_many
from forumclean.pipeline import read_page
from forumclean.rules.chrome import MESSAGE_REGIONS, PAGE_REGIONS, POST_REGIONS, cls

TRICKY = """<html><head><title>t</title><base href="http://x/"></head><body id="b">
<div id="postlist" class="pl  bm">
 <div id="post_1" class="po
 x"><div class="pcbs"><form id="f1"><i class="pstatus">e</i></form></div>
  <div class="showhide"><h4>h</h4><p><h4>deep</h4></p></div>
  <table><tr class="ad threadad"><td class="pls">a</td></tr></table>
  <font style="font-size: 0px">j</font><span id="ratelog_1" class="po">r</span>
  <div class="blockcode"><em>copy</em><div><span class="cpb">c</span></div></div>
  <blockquote>q<blockquote>qq</blockquote></blockquote><div class="\u3000po">nbsp</div>
 </div>
 <div id="post_2" class="x"><div id="ad_thread9" class="a_pr ad">ad</div><a href="forum-2-1.html">f</a></div>
</div><div id="postlist">dup</div></body></html>"""

EXTRA = [
    ".//div[@class]", ".//*[@id='postlist']", ".//*[starts-with(@id, 'post_') or @class='x']",
    ".//div[contains(@class, 'bm')]", ".//a[starts-with(@href, 'forum-')]", "//*[@id='postlist']",
    ".//h4", ".//div/h4", ".//div//h4", ".//p/h4", ".//*[@id]", ".//*", ".//table//td[@class]",
    ".//blockquote", ".//div[@id='post_1']//span", f".//div[{cls('po')}]//*[{cls('pstatus')}]",
    ".//div[1]", "./div", ".//div[@id and @class]", "//body/div/@id", ".//*[contains(@title, '')]",
    ".//span[starts-with(@id, '')]", ".//div[@id='']",
]


def trees():
    out = [etree.fromstring(TRICKY, etree.HTMLParser())]
    for path in sorted(FIXTURES.glob("*.html")):
        out.append(read_page(path.read_bytes()).root)
    return out


@pytest.mark.parametrize("tree", trees(), ids=lambda t: str(len(t)))
def test_same_results_as_xpath(tree):
    exprs = [e for e, _ in PAGE_REGIONS + POST_REGIONS + MESSAGE_REGIONS] + EXTRA
    for scope in [tree, *tree.iter("div", "body", "table")]:
        want = [etree.XPath(e)(scope) for e in exprs]
        assert select_many(scope, exprs) == want
        for e, w in zip(exprs, want, strict=True):
            assert select(scope, e) == w, e


def test_what_compiles():
    assert all(compile_expr(e) for e, _ in POST_REGIONS + MESSAGE_REGIONS)
    for unsupported in (".//div[1]", "./div", ".//div[@id and @class]", "//body/div/@id",
                        ".//a | //b", ".//div[not(@id)]"):
        assert compile_expr(unsupported) is None, unsupported


@pytest.mark.corpus
def test_same_results_on_real_pages(corpus_dir):
    from forumclean.families.discuz_x import LAYOUT

    exprs = [e for e, _ in POST_REGIONS + MESSAGE_REGIONS]
    for path in sorted((corpus_dir / "html").glob("*.html")):
        try:
            root = read_page(path.read_bytes()).root
        except Exception:
            continue
        for scope in etree.XPath(LAYOUT.posts)(root) + [root]:
            assert select_many(scope, exprs) == [etree.XPath(e)(scope) for e in exprs], path.name


@pytest.mark.parametrize("html", [
    '<a name="pt">a</a><p>x</p>',  # libxml2 files <a name> under id() too
    '<a name="pt">a</a><div id="pt"><a href="forum-1">f</a></div>',
    '<div id="pt"><a href="forum-1">f</a></div><div id="pt"><a href="forum-2">g</a></div>',  # repeated
    '<div id="pt"><a href="forum-1">f</a><a href="forum-3">h</a></div><p id="x"><a href="forum-4">i</a></p>',
])
def test_id_lookups_match_a_full_walk(html):
    from forumclean.page import Page

    root = Page(f"<html><body>{html}</body></html>", "html").root
    for expr in ("//*[@id='pt']", "//*[@id='pt']//a", "//div[@id='pt']/a[last()]", "//p[@id='pt']",
                 "//*[@id='pt']//a | //*[@id='x']/a"):
        assert select(root, expr) == etree.XPath(expr)(root), (html, expr)


def test_id_lookups_when_the_parser_stopped_reporting():
    # libxml2 reports at most 100 errors a document: past that a repeated id may go unseen.
    from forumclean.page import Page, duplicate_ids

    many = "".join(f'<i id="d{i}"></i><i id="d{i}"></i>' for i in range(120))
    root = Page(f'<html><body>{many}<p id="pt">1</p><p id="pt">2</p></body></html>', "html").root
    assert duplicate_ids(root) is None
    assert [p.text for p in select(root, "//*[@id='pt']")] == ["1", "2"]
