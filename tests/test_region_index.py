"""The page index answers the page-wide region rules exactly as XPath does (``diff``'s labels)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from forumclean.families.html import xpath
from forumclean.families.prefilter import find_regions, regions_by_container, simple_form
from forumclean.pipeline import read_page
from forumclean.rules.chrome import MOBILE_PAGE_REGIONS, PAGE_REGIONS, POST_REGIONS, TOUCH_PAGE_REGIONS

TABLES = PAGE_REGIONS + TOUCH_PAGE_REGIONS + MOBILE_PAGE_REGIONS

TRICKY = b"""<html><body>
<div id="ft" class="x">a</div><p id="ft">second element with one id</p>
<div class="pg\tx">tab: not the class token pg</div><div class=" pgs  wide ">spaces</div>
<span class="pg">a span, not a div</span><div id="diy_top">diy</div><div class="footer_x">f</div>
<div id="md_x_menu">menu</div><div id="md_y">not a menu</div>
</body></html>"""


def assert_same_as_xpath(data: bytes) -> None:
    root = read_page(data, input_format="html").root
    path = root.getroottree().getpath
    got = {reason_expr: {path(e) for e in found} for found, reason_expr in
           find_regions(root, [(expr, expr) for expr, _ in TABLES], xpath)}
    for expr, _ in TABLES:
        expected = {path(e) for e in xpath(expr)(root)}
        assert got.get(expr, set()) == expected, expr


def test_most_rules_are_answered_from_the_index():
    assert sum(simple_form(expr) is not None for expr, _ in PAGE_REGIONS) > len(PAGE_REGIONS) * 0.7


def test_index_agrees_with_xpath_on_tricky_markup():
    assert_same_as_xpath(TRICKY)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.html")), ids=lambda p: p.name)
def test_index_agrees_with_xpath_on_fixtures(path: Path):
    assert_same_as_xpath(path.read_bytes())


@pytest.mark.corpus
def test_index_agrees_with_xpath_on_the_corpus(corpus_dir: Path):
    for path in sorted((corpus_dir / "html").glob("*.html")):
        assert_same_as_xpath(path.read_bytes())


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("x*.html")) + sorted(FIXTURES.glob("d7*.html")),
                         ids=lambda p: p.name)
def test_post_rules_found_page_wide_as_post_by_post(path: Path):
    root = read_page(path.read_bytes(), input_format="html").root
    getpath = root.getroottree().getpath
    # post containers (not nested in one another, as the families unnest them)
    containers = root.xpath("//table[starts-with(@id, 'pid')]") or root.xpath("//div[starts-with(@id, 'post_')]")
    assert containers
    assert not any(a in containers for c in containers for a in c.iterancestors())
    got = regions_by_container(root, POST_REGIONS, containers, xpath)
    for c in containers:
        expected = [(sorted(getpath(e) for e in xpath(expr)(c)), reason) for expr, reason in POST_REGIONS]
        assert [(sorted(getpath(e) for e in found), reason) for found, reason in got.get(id(c), [])] == [
            (found, reason) for found, reason in expected if found]
