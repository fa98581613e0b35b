"""``blocks.walk`` reads a tree as a walk by start and end events would.

The walk takes its elements from lxml's ``iter()`` and finds where each ends from the next
one's parent. These tests hold it to the plain walk by ``iterwalk`` events (kept here as the
reference) on generated trees (void and non-void ``<br>``, invisible elements holding others,
comments, hidden styles, labelled elements and tails, nested roots) and on every fixture page.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from forumclean import blocks
from forumclean.blocks import PAGE_CHROME, Block, Verdict, kept, removed
from forumclean.errors import ForumcleanError
from forumclean.families import detect
from forumclean.pipeline import read_page


def _events_walk(roots: Iterable[etree._Element], verdicts: dict, start: Verdict = PAGE_CHROME) -> list[Block]:
    """The walk by ``iterwalk``'s events: the walk before the start-only one, with the text after
    a comment kept (the parser drops comments, but a tree built otherwise may hold them)."""
    pieces: list[tuple[str, Verdict, bool]] = []  # (raw text, verdict, a line break comes before)
    append = pieces.append
    get_verdict = verdicts.get
    newline = True  # a line break is pending before the next text
    tails = any(type(k) is tuple for k in verdicts)  # labelled tails (see ``tail``)
    invisible, breaking = blocks._INVISIBLE, blocks._BREAKING

    hidden_style = blocks._HIDDEN_STYLE.search
    br = None  # the last <br> started: its end event needs no look at its tag
    for root, inherited in blocks._placed(list(roots), verdicts, start):
        stack = [inherited]
        skip_depth = 0  # > 0 while inside an invisible element
        for event, el in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
            if event == "comment" or event == "pi":  # only its tail shows
                text = el.tail
                if not skip_depth and text and el is not root and not (newline and text.isspace()):
                    append((text, get_verdict(("tail", el), stack[-1]) if tails else stack[-1], newline))
                    newline = False
            elif event == "start":
                if skip_depth:
                    skip_depth += 1
                    continue
                tag = el.tag
                if tag == "br":  # most elements of a post: void, so no verdict to hand down
                    newline = True
                    br = el
                    continue
                verdict = get_verdict(el)
                if verdict is None:
                    verdict = stack[-1]
                    if verdict is not blocks.HIDDEN:  # (is_hidden, inline)
                        # One call lists the attribute names: most elements have neither,
                        # and two get() calls cost three times as much.
                        names = el.keys()
                        if names and ("style" in names or "hidden" in names):
                            style = el.get("style")
                            if (style and hidden_style(style)) or el.get("hidden") is not None:
                                verdict = blocks.HIDDEN
                stack.append(verdict)
                if tag in invisible:
                    skip_depth = 1
                    continue
                if tag in breaking:
                    newline = True
                text = el.text
                if text and not (newline and text.isspace()):  # (blanks after a break show nothing)
                    append((text, verdict, newline))
                    newline = False
            else:
                if skip_depth:
                    skip_depth -= 1
                    if skip_depth:
                        continue
                if el is br or el.tag == "br":
                    newline = True
                else:
                    stack.pop()
                    if el.tag in breaking:
                        newline = True
                text = el.tail
                if text and el is not root and not (newline and text.isspace()):
                    append((text, get_verdict(("tail", el), stack[-1]) if tails else stack[-1], newline))
                    newline = False
        newline = True
    return blocks._merge(pieces)


_TAGS = ["div", "p", "span", "br", "br", "br", "script", "td", "a", "font", "style", "li", "!comment"]
_TEXTS = st.sampled_from(["", "", " ", "x", "\n  ", "a b", "\u3000", "中"])
_VERDICTS = [kept("body", 0), kept("body", 1), removed("ad"), kept("author", 0)]


@st.composite
def _trees(draw, depth: int = 0) -> etree._Element:
    tag = draw(st.sampled_from(_TAGS if depth else ["div", "td", "br", "span"]))
    if tag == "!comment":
        el = etree.Comment(draw(_TEXTS))
    else:
        el = etree.Element(tag)
        el.text = draw(_TEXTS) or None
        style = draw(st.sampled_from([None, None, "color:red", "display: none", "visibility:hidden"]))
        if style:
            el.set("style", style)
        if draw(st.integers(0, 9)) == 0:
            el.set("hidden", "")
        if depth < 4:
            for child in draw(st.lists(_trees(depth + 1), max_size=4)):
                el.append(child)
    el.tail = draw(_TEXTS) or None
    return el


@settings(max_examples=300, deadline=None)
@given(_trees(), st.data())
def test_walk_is_the_event_walk_on_generated_trees(tree, data):
    wrapper = etree.Element("body")
    wrapper.append(tree)
    elements = list(wrapper.iter())
    verdicts: dict = {}
    for el in data.draw(st.lists(st.sampled_from(elements), max_size=5)):
        verdicts[el] = data.draw(st.sampled_from(_VERDICTS))
    for el in data.draw(st.lists(st.sampled_from(elements), max_size=3)):
        verdicts[blocks.tail(el)] = data.draw(st.sampled_from(_VERDICTS))
    # Roots in any order, some inside others (a broken page's title holding the posts).
    roots = data.draw(st.lists(st.sampled_from([e for e in elements if isinstance(e.tag, str)]), max_size=4))
    assert blocks.walk(roots, verdicts) == _events_walk(roots, verdicts)
    assert blocks.walk([wrapper], verdicts) == _events_walk([wrapper], verdicts)


def test_walk_is_the_event_walk_on_every_fixture():
    checked = 0
    for path in sorted(FIXTURES.rglob("*.html")):
        try:
            page = read_page(path.read_bytes(), input_format="html")
            labelled = detect(page).label(page, full=True)
        except ForumcleanError:
            continue
        for roots in (labelled.roots, page.bodies):
            assert blocks.walk(roots, labelled.verdicts) == _events_walk(roots, labelled.verdicts), path.name
        checked += 1
    assert checked > 50


def test_verdicts_are_values_that_cannot_change():
    import dataclasses
    import pickle

    v = Verdict(True, "body", 2)
    assert (v.keep, v.role, v.post, v.is_body) == (True, "body", 2, True)
    assert not Verdict(False, "body", 2).is_body and not kept("author", 2).is_body
    assert v == kept("body", 2) and hash(v) == hash(kept("body", 2)) and v != kept("body", 3)
    assert repr(removed("ad")) == "Verdict(keep=False, role='ad', post=None)"
    assert pickle.loads(pickle.dumps(v)) == v and pickle.loads(pickle.dumps(v)).is_body
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.role = "ad"  # type: ignore[misc]
