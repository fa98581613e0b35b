"""Pages as custom themes render them: class names and non-Discuz ids of the theme's own, extra
wrappers around posts, the author column on the other side (``tests/restyle.py``). Posts are
found by what Discuz itself writes (post ids, member links, the language pack's words), so a
restyled copy must read as the page does.

The fixtures run in the default suite; the real pages (``../shared``) are marked corpus.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES
from restyle import author_column_right, rename_theme_names, wrap_posts

import forumclean
from forumclean.decode import decode_page
from forumclean.evaluate import corpus_pages, forumclean_extractor, read_manifest, score_page

VARIANTS: dict[str, Callable[[str], bytes]] = {
    "theme-names": rename_theme_names,
    "wrapped-posts": wrap_posts,
    "author-column-right": author_column_right,
}

# Pages whose only landmarks are the class names the rewrite changes, so no reading by
# structure can be asked of them: the print view's bodies are unwrapped (their message markup
# cannot be told from a theme's), the 5.x archiver and the touch portal article carry no ids,
# and guests' names in 6/7 and X user columns are bare text in a classed box.
NOT_BY_STRUCTURE = {
    "theme-names": {"printable-x", "printable-7", "archiver-5-thread", "touch-x35-portal-article",
                    "d72-guest-relative-gmt0", "x32-anonymous-guest-deleted", "touch-x35-debate-guests"},
}

HTML_FIXTURES = sorted(p for p in FIXTURES.glob("*.html"))


def _posts(doc: forumclean.Document) -> tuple:
    return doc.kind, [(p.author, p.published, p.body) for p in doc.posts]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("page", HTML_FIXTURES, ids=[p.stem for p in HTML_FIXTURES])
def test_a_restyled_fixture_reads_as_the_page_does(page: Path, variant: str):
    if page.stem in NOT_BY_STRUCTURE.get(variant, ()):
        pytest.skip("landmarks are only class names (see NOT_BY_STRUCTURE)")
    data = page.read_bytes()
    original = forumclean.extract(data)
    copy = forumclean.extract(VARIANTS[variant](decode_page(data).text))
    assert _posts(copy) == _posts(original)


def test_the_rewrites_change_what_they_say():
    """Guard the rewrites themselves: names renamed outside bodies, Discuz ids and body markup
    kept, posts wrapped, the user column moved."""
    text = (FIXTURES / "x35-thread-quote.html").read_text(encoding="utf-8")
    renamed = rename_theme_names(text).decode("utf-8")
    assert 'id="postlist"' not in renamed and 'class="pls' not in renamed
    assert 'id="postmessage_9001"' in renamed and 'id="authorposton9001"' in renamed
    assert '<div class="quote">' in renamed  # inside a body: the renderer's, not the theme's
    assert wrap_posts(text).decode("utf-8").count('class="th-post-card"') == 6  # div#post_ and table#pid
    moved = author_column_right(text).decode("utf-8")
    assert moved.index('id="postmessage_9001"') < moved.index('id="favatar9001"')


@pytest.fixture(scope="module")
def corpus_originals() -> list[tuple[str, str, str, dict, tuple]]:
    folder = CORPUS / "html"
    if not folder.is_dir():
        pytest.skip(f"real-page corpus not found at {folder} (it sits beside the checkout in CI)")
    manifest = read_manifest(folder)
    out = []
    for pid, page, gold_path in corpus_pages(folder):
        data = page.read_bytes()
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        family = manifest.get(pid, {}).get("family", "")
        out.append((pid, family, decode_page(data).text, gold,
                    _facts(score_page(gold, forumclean_extractor(data, page), pid))))
    return out


def _facts(s) -> tuple:
    return round(s.f1, 3), s.posts_exact, s.dates_right, s.authors_right, s.title_right, s.url_right


@pytest.mark.corpus
@pytest.mark.parametrize("variant", VARIANTS)
def test_a_restyled_real_page_scores_as_the_page_does(corpus_originals, variant):
    worse = []
    for pid, family, text, gold, plain in corpus_originals:
        if family == "printable" and variant == "theme-names":
            continue  # unwrapped bodies: see NOT_BY_STRUCTURE
        copy = _facts(score_page(gold, forumclean_extractor(VARIANTS[variant](text), Path(pid)), pid))
        # A copy may read better (a theme-free reading keeps what a class rule dropped), never worse.
        if copy[0] < plain[0] or any(c < p for c, p in zip(copy[1:], plain[1:], strict=True)):
            worse.append((pid, plain, copy))
    assert len(corpus_originals) >= 80
    assert not worse, worse


def test_a_portal_article_of_a_theme_without_the_landmarks_is_still_an_article():
    """The touch article's only landmarks are class names; renamed, the body tag Discuz writes
    for the view (``body#portal.pg_view``) still says it is an article: readability finds it."""
    data = (FIXTURES / "touch-x35-portal-article.html").read_bytes()
    doc = forumclean.extract(rename_theme_names(decode_page(data).text))
    assert doc.kind == "article" and doc.title == "河滨步道二期下月完工"
    assert doc.posts[0].published == "2025-04-18T09:30"
    assert "二期步道沿河东岸铺设" in doc.posts[0].body and "最新评论" not in doc.posts[0].body
