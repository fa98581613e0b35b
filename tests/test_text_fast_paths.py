"""The text reader's fast paths give the answers of the work they skip.

Each fast path (a test of a line's text alone, remembered per text; a cheaper test standing in
for several rules) lets the reader skip work whose answer it knows. These tests run both over
the lines of the text fixtures, generated dumps and (when present) the real dumps, and require
the same answer.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from forumclean import blocks, textrules
from forumclean.page import Page
from forumclean.pipeline import run
from forumclean.rules.strings import JAMMER_RUN, has_jammer_pairs
from forumclean.text import linerules
from forumclean.text import state as reader_state
from forumclean.text.heads import may_be_head
from forumclean.text.layout import LAYOUTS
from forumclean.text.prep import (
    Piece,
    Unit,
    _line_unit,
    display_col,
    header_columns,
    link_numbers,
    single_spaced,
    units_of,
)
from forumclean.text.reader import TextReader


def _long_dump_module():
    """``benchmarks/long_dump.py``: it writes long dumps in several templates."""
    spec = importlib.util.spec_from_file_location("long_dump", ROOT / "benchmarks" / "long_dump.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


long_dump = _long_dump_module()

# Lines of the templates (header parts, floor marks, author columns, touch headers, printable
# headers) and text around them, for generated dumps.
_LINES = ["发表于 2025-3-13 17:57:01", "甲 发表于 2025-3-13 17:57 | 只看该作者", "发表于", "2025-3-13 17:57 | 只看该作者",
          "楼主", "沙发", "5#", "5 #", "#5", "第5楼", "12楼", "楼主橘子汽水", "来自 3# 乙", "顶 来自 3# 乙", "3 天前",
          "刚刚", "half hour ago", "作者: 甲 时间: 2025-3-1 12:00", "作者：甲  时间：2025-3-1 12:00 正文",
          "甲 | 楼主 | 2008-9-7 10:04 | 只看该作者", "1楼 时间: 2025-3-1 12:00 来自 北京 |只看该作者",
          "查看11 | 回复2 | 2008-3-7 19:54:07 | 显示全部楼层", "Posted on 2025-3-1 12:00", "POST ON 2025-3-1",
          "2# 乙", "乙", "编辑 2025-3-1 12:00", "收藏", "UID", "1234", "积分", "中级会员", "回复 使用道具 举报",
          "报告 回复 引用 TOP", "正文一句话。", "> 引", "<blockquote>", "</blockquote>", "_11_ #", "", "x"]


def _reader(text: str) -> TextReader:
    return TextReader(Page(text, "text"))


def _skipped_lines_have_no_header(text: str) -> int:
    """For every line ``may_be_head`` rules out, each header reader finds nothing there;
    returns how many lines were checked."""
    reader = _reader(text)
    checked = 0
    for i, unit in enumerate(reader.units):
        t = unit.norm
        if not t or may_be_head(t):
            continue
        for read in (reader._printable_head, reader._verb_head, reader._compact_head, reader._touch_head):
            assert read(i, t) is None, (read.__name__, t)
        checked += 1
    return checked


@given(st.lists(st.one_of(st.sampled_from(_LINES), st.text(max_size=20)), max_size=30))
@settings(max_examples=200, deadline=None)
def test_lines_ruled_out_as_headers_hold_none(lines):
    _skipped_lines_have_no_header("\n".join(lines))


def test_lines_ruled_out_as_headers_hold_none_in_the_fixtures():
    checked = sum(_skipped_lines_have_no_header(p.read_text(encoding="utf-8")) for p in FIXTURES.glob("text-*.txt"))
    assert checked > 100


def test_header_lines_are_not_ruled_out():
    for t in ["发表于 2025-3-13 17:57:01", "5#", "作者: 甲 时间: 2025-3-1 12:00", "甲 | 楼主 | 2008-9-7 10:04 | 只看该作者",
              "楼主橘子汽水", "来自 3# 乙"]:
        assert may_be_head(t), t
    for t in ["回复 使用道具 举报", "UID", "中级会员", "正文一句话。"]:
        assert not may_be_head(t), t


@pytest.mark.corpus
def test_lines_ruled_out_as_headers_hold_none_in_real_dumps(corpus_dir: Path):
    assert sum(_skipped_lines_have_no_header(p.read_text(encoding="utf-8", errors="replace"))
               for p in sorted((corpus_dir / "text").glob("*.txt"))) > 1000


# -- plain lines: pieces and text forms shared by the lines that repeat a text -----------------------

def _unit_fields(unit: Unit) -> tuple:
    return (unit.line, tuple(unit.pieces), unit.first, unit.col, unit.left, unit.quote, unit.heading, unit.rule,
            unit.quote_open, unit.quote_close, unit.avatar, unit.extra, unit.raw, unit.text, unit.norm, unit.blank)


def _units_one_by_one(text: str) -> list[Unit]:
    """``units_of`` of a dump without table columns, each line read on its own."""
    out = []
    for i, line in enumerate(text.replace("\u200f", "").replace("\u200e", "").splitlines()):
        line = line.rstrip()
        lead = len(line) - len(line.lstrip())
        out.append(_line_unit(i, line, False, display_col(line, lead) if lead else 0))
    return out


@given(st.lists(st.one_of(st.sampled_from(_LINES + ["  缩进的行", "\t", "* 列表", "- 列表", "[img]", "&amp;", "（全角）",
                                                    "ＡＢＣ　１２", "a\u3000b"]), st.text(max_size=20)), max_size=30))
@settings(max_examples=200, deadline=None)
def test_shared_plain_lines_read_as_lines_read_alone(lines):
    text = "\n".join(lines)
    assume(not header_columns(text.splitlines()) and not link_numbers(text.splitlines()))
    assert [_unit_fields(u) for u in units_of(text, False)] == [_unit_fields(u) for u in _units_one_by_one(text)]


def test_shared_plain_lines_read_as_lines_read_alone_in_a_long_dump():
    text = "\n".join(["路人1", "", "UID", "1001 ", "\t", "1#", "发表于 2010-3-5 10:00 | 只看该作者", "正文&amp;", "[img]"] * 3)
    units = units_of(text, False)
    assert [_unit_fields(u) for u in units] == [_unit_fields(u) for u in _units_one_by_one(text)]
    assert units[0].pieces is units[9].pieces  # (one tuple for a text)


# -- the line rules: a table per state of the post -------------------------------------------------

def _verdicts(text: str) -> list:
    result = run(text, input_format="text", full=True)
    return [(b.text, b.verdict) for b in result.blocks] + [result.document.to_dict()]


def _whole_table(layout: str) -> tuple[dict, dict]:
    """Every rule of the layout in every state, for every line (what the tables per state and
    the tables without the structural rules leave out, kept)."""
    table = tuple((r.test, r.reason, r.state) for r in linerules.RULES if r.layouts is None or layout in r.layouts)
    whole = {state: table for state in (linerules.BODY_STATE, linerules.TAIL, linerules.AFTER)}
    return whole, whole


def _dumps(folder: Path) -> list[str]:
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.txt"))]


def test_rule_tables_per_state_read_as_the_whole_table(monkeypatch):
    texts = _dumps(FIXTURES) + [long_dump.dump(shape, 40).decode() for shape in long_dump.SHAPES]
    fast = [_verdicts(t) for t in texts]
    monkeypatch.setattr(linerules, "rules_for", _whole_table)
    assert [_verdicts(t) for t in texts] == fast


def test_a_rule_only_in_a_state_takes_every_line_there_and_none_elsewhere():
    reader = _reader((FIXTURES / "text-zh-hans-lines.txt").read_text(encoding="utf-8"))
    reader.run()
    scan = linerules.PostScan(reader, 0, len(reader.units), reader.doc.posts[0], None)
    rules = [r for r in linerules.RULES if r.only_in]
    assert {r.only_in for r in rules} == {linerules.AFTER, linerules.TAIL}
    for rule in rules:
        for state in (linerules.BODY_STATE, linerules.TAIL, linerules.AFTER):
            scan.state = state
            for i, unit in enumerate(reader.units):
                assert rule.test(scan, i, unit.norm) is (state == rule.only_in), (rule.name, state, unit.norm)


@pytest.mark.corpus
def test_rule_tables_per_state_read_as_the_whole_table_on_real_dumps(corpus_dir: Path, monkeypatch):
    texts = _dumps(corpus_dir / "text")
    fast = [_verdicts(t) for t in texts]
    monkeypatch.setattr(linerules, "rules_for", _whole_table)
    assert [_verdicts(t) for t in texts] == fast


def test_read_after_bar_stands_for_the_state_table():
    # read_after_bar reads most lines past the action bar without the table: it stands for the
    # table's first two rules (marked quotes, the left column) and the third, which takes all.
    first_two = list(linerules.RULES[:2])
    assert [r.name for r in first_two] == ["marked quote", "left column"]
    for layout in [*LAYOUTS, "desktop"]:
        table = linerules.rules_for(layout)[0][linerules.AFTER]
        assert [test for test, _reason, _state in table] == [r.test for r in first_two] + [linerules._after_bar]


# -- the shared text rules: a line with too few spaces holds no jammer run ------------------------------

@given(st.text(alphabet=st.sampled_from(list(" !#-;?@AZaz~5:\u3000中，")), max_size=60) | st.text(max_size=40))
@settings(max_examples=500, deadline=None)
def test_a_jammer_run_holds_enough_spaces(text):
    m = JAMMER_RUN.search(text)
    assert m is None or m.group().count(" ") >= textrules._JAMMER_SPACES
    if text.count(" ") < textrules._JAMMER_SPACES:
        assert m is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(32, 59), st.integers(63, 126)), min_size=5, max_size=15),
       st.lists(st.sampled_from("YNyn|AB"), min_size=5, max_size=15))
def test_jammer_pairs_tell_runs_from_spaced_letters(pairs, letters):
    # What jammer() writes (each pair: chr(32..59), a space, chr(63..126)) with two pairs or more
    # led by another character than a space is taken; space-led pairs alone are not.
    run = "".join(f"{chr(a)} {chr(b)}" for a, b in pairs)
    assert has_jammer_pairs(run) is (sum(a != 32 for a, _ in pairs) >= 2)
    assert not has_jammer_pairs(" " + " ".join(letters))


def test_a_jammer_run_is_found_with_its_spaces():
    assert JAMMER_RUN.search("正文 a b c d e f g h") and JAMMER_RUN.search("1 a2 b3 c4 d5 e")


# -- reading a dump's lines: early answers ---------------------------------------------------------------

def _double_spaced_by_list(text: str) -> bool:
    """Whether ``single_spaced`` halves ``text``'s spacing, by the list of its text lines."""
    filled = [i for i, line in enumerate(text.rstrip("\r\n").split("\n")) if line.strip()]
    return len(filled) >= 20 and not any(b == a + 1 for a, b in zip(filled, filled[1:], strict=False))


@given(st.lists(st.sampled_from(["行", "", " ", "\t", "\u3000", "x y"]), max_size=60), st.booleans())
@settings(max_examples=300, deadline=None)
def test_single_spaced_decides_as_the_list_of_text_lines(lines, doubled):
    text = "\n\n".join(lines) if doubled else "\n".join(lines)
    assert (single_spaced(text) != text) == _double_spaced_by_list(text)


@given(st.lists(st.text(alphabet="12 ab]References:", max_size=12), max_size=30))
@settings(max_examples=200, deadline=None)
def test_a_dump_without_brackets_has_no_link_numbers(lines):
    assert link_numbers(lines) == {}


def test_author_columns_after_the_action_bars_are_read_when_the_last_post_has_one():
    # (the last post's column decides whether every post's author is read after its bar)
    post = "{n}#\n发表于 2024-5-18 10:0{n}:01 | 只看该作者\n\n第{n}楼的内容。\n\n回复 使用道具 举报\n\n"
    column = "{name}\n{name} 当前离线\n积分\n12\n"
    text = "某论坛 - Powered by Discuz!\n\n标题：作者在帖子下面\n\n" + "".join(
        post.format(n=n) + column.format(name=name) for n, name in ((1, "甲"), (2, "乙"))) + \
        "\nPowered by Discuz! X3.5\n"
    doc = run(text, input_format="text").document
    assert [(p.author, p.body) for p in doc.posts] == [("甲", "第1楼的内容。"), ("乙", "第2楼的内容。")]
    # without the last column, a column after a bar is the next post's, above its header
    cut = text.replace("乙\n乙 当前离线\n积分\n12\n", "")
    assert [p.author for p in run(cut, input_format="text").document.posts] == [None, "甲"]


def test_structural_rules_leave_other_lines_alone():
    # read_line skips the structural rules for a line outside marked quotes and the left column
    reader = _reader((FIXTURES / "text-markdown.txt").read_text(encoding="utf-8"))
    reader.run()
    rules = [r for r in linerules.RULES if r.structural]
    assert [r.name for r in rules] == ["marked quote", "left column"]
    scan = linerules.PostScan(reader, 0, len(reader.units), reader.doc.posts[0], None)
    checked = 0
    for i, unit in enumerate(reader.units):
        if unit.quote_open or unit.quote_close or unit.left:
            continue
        for rule in rules:
            before = (list(reader.v), scan.in_quote, scan.state, len(scan.post.quotes))
            assert rule.test(scan, i, unit.norm) is False
            assert (list(reader.v), scan.in_quote, scan.state, len(scan.post.quotes)) == before
            checked += 1
    assert checked > 20


def test_a_units_text_forms_follow_its_pieces():
    unit = units_of("ＡＢ　 c [img] 尾", False)[0]
    assert (unit.raw, unit.text, unit.norm, unit.blank) == ("ＡＢ　 c  尾", "ＡＢ c 尾", "AB c 尾", False)
    right = unit.split(3)
    assert (unit.raw, unit.text, unit.norm) == ("ＡＢ　", "ＡＢ", "AB")
    assert (right.raw, right.text, right.norm) == (" c  尾", "c 尾", "c 尾")
    unit.pieces = [Piece("  ", False), Piece("[x]", True)]
    assert (unit.raw, unit.text, unit.norm, unit.blank) == ("  ", "", "", True)


@given(st.sampled_from(["body", "user sidebar", "author", "page chrome"]), st.none() | st.integers(0, 5000))
def test_the_readers_verdicts_are_the_blocks_verdicts(role, post):
    for made, reference in ((reader_state.removed, blocks.removed), (reader_state.kept, blocks.kept)):
        got = made(role) if post is None else made(role, post)
        want = reference(role) if post is None else reference(role, post)
        assert got == want and got.is_body == want.is_body and got.post == want.post
