"""Real pages from ../shared/corpus scored against their gold files (GOLD.md's rules)."""

from __future__ import annotations

import pytest

from forumclean.evaluate import evaluate, summarise

pytestmark = pytest.mark.corpus

# Families the foundation covers, and the figures they must reach.
FOUNDATION = {"desktop-x", "portal", "negative"}


def test_foundation_families_meet_targets(corpus_dir):
    scores = evaluate(corpus_dir / "html", families=FOUNDATION)
    assert scores, "no scored pages"
    s = summarise(scores, "foundation")
    low = [(x.id, round(x.f1, 3)) for x in scores if x.gold_kind != "none" and x.f1 < 0.85]
    assert s.mean_f1 >= 0.97, s
    assert not low, low
    assert s.posts_exact >= 0.95, s
    assert s.dates >= 0.98, s
    assert s.authors >= 0.98, s
    assert s.titles >= 0.95, s
    wrong_none = [x.id for x in scores if x.gold_kind == "none" and not x.none_right]
    assert not wrong_none, wrong_none
