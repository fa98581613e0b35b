"""Text dumps of pages whose HTML we know: every HTML fixture (and, marked ``corpus``, every real
page) rendered to text the ways dumps are made in the wild — w3m, lynx, html2text, inscriptis and
an ``innerText`` walk — and read back by the text-dump reader. The HTML extraction of the same
page is the reference: the dump should give the same posts, authors and text.

The renders are made once per session (``tmp_path_factory`` holds them), not once per test.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES
from text_renderers import RENDERERS, RendererMissing

from forumclean import extract
from forumclean.evaluate import f1

# Not a Discuz page: the HTML side reads it with readability; a dump of it has no Discuz landmark.
NOT_DISCUZ = {"generic-article"}


def _render_all(pages: list[Path], cache: Path) -> dict[str, dict[str, str | None]]:
    """{page stem: {renderer: text or None (renderer missing)}}, made once and kept in ``cache``."""
    out: dict[str, dict[str, str | None]] = {}
    for page in pages:
        data = page.read_bytes()
        out[page.stem] = {}
        for name, render in RENDERERS.items():
            try:
                out[page.stem][name] = render(data)
            except RendererMissing:
                out[page.stem][name] = None
    cache.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return out


def _compare(pages: list[Path], renders: dict[str, dict[str, str | None]]) -> dict[str, list[dict]]:
    """Per renderer, one row per page: body F1, post count, authors against the HTML reading."""
    rows: dict[str, list[dict]] = defaultdict(list)
    for page in pages:
        html = extract(page.read_bytes()).to_dict()
        for name, text in renders[page.stem].items():
            if text is None:
                continue
            dump = extract(text, input_format="text").to_dict()
            want = "\n".join(p["body"] for p in html["posts"])
            got = "\n".join(p["body"] for p in dump["posts"])
            score = 1.0 if not want and not got else f1(want, got)[2]
            authors = [p["author"] for p in html["posts"]]
            rows[name].append({
                "page": page.stem, "f1": score, "kind": dump["kind"] == html["kind"],
                "posts": len(dump["posts"]) == len(html["posts"]),
                "authors": sum(a == b["author"] for a, b in zip(authors, dump["posts"], strict=False)),
                "all_authors": len(authors),
            })
    return rows


@pytest.fixture(scope="session")
def fixture_renders(tmp_path_factory) -> tuple[list[Path], dict[str, list[dict]]]:
    pages = [p for p in sorted(FIXTURES.glob("*.html")) if p.stem not in NOT_DISCUZ]
    renders = _render_all(pages, tmp_path_factory.mktemp("renders") / "fixtures.json")
    return pages, _compare(pages, renders)


@pytest.fixture(scope="session")
def corpus_renders(tmp_path_factory) -> dict[str, list[dict]]:
    html = CORPUS / "html"
    if not html.is_dir():
        pytest.skip(f"real-page corpus not found at {html} (it sits beside the checkout in CI)")
    pages = sorted(html.glob("*.html"))
    renders = _render_all(pages, tmp_path_factory.mktemp("renders") / "corpus.json")
    return _compare(pages, renders)


def _renderer_rows(rows: dict[str, list[dict]], name: str) -> list[dict]:
    if name not in rows:
        pytest.skip(f"renderer {name} is not installed here")
    return rows[name]


def test_renderers_available():
    # at least two ways of making a dump: the in-process ones need no system package
    assert {"innertext", "html2text"} <= set(RENDERERS)


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_fixture_dumps_read_as_their_html(fixture_renders, name):
    _pages, rows = fixture_renders
    got = _renderer_rows(rows, name)
    n = len(got)
    mean = sum(r["f1"] for r in got) / n
    posts = sum(r["posts"] for r in got) / n
    authors = sum(r["authors"] for r in got) / max(1, sum(r["all_authors"] for r in got))
    lost = [r["page"] for r in got if r["f1"] == 0 and r["kind"]]
    assert mean >= 0.88, (name, round(mean, 3), sorted((round(r["f1"], 2), r["page"]) for r in got)[:8])
    assert posts >= 0.78, (name, [r["page"] for r in got if not r["posts"]])
    assert authors >= 0.75, (name, round(authors, 3))
    assert not lost, (name, lost)  # no page of posts loses all its text
    # a page with posts reads as a page with posts, a page without as ``none``
    assert [r["page"] for r in got if not r["kind"]] == [], name


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_corpus_dumps_read_as_their_html(corpus_renders, name):
    got = _renderer_rows(corpus_renders, name)
    n = len(got)
    mean = sum(r["f1"] for r in got) / n
    posts = sum(r["posts"] for r in got) / n
    authors = sum(r["authors"] for r in got) / max(1, sum(r["all_authors"] for r in got))
    assert mean >= 0.95, (name, round(mean, 3), sorted((round(r["f1"], 2), r["page"]) for r in got)[:8])
    assert posts >= 0.95, (name, [r["page"] for r in got if not r["posts"]])
    assert authors >= 0.9, (name, round(authors, 3))
    assert [r["page"] for r in got if not r["kind"]] == [], name
