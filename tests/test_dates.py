"""Discuz times to ISO 8601 (anatomy §5): absolute forms, relative forms, the footer clock."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from forumclean import dates
from forumclean.dates import is_relative, parse_footer_clock, parse_offset, parse_time
from forumclean.families.thread import post_time

CST = "+08:00"
#: Footer render time the relative forms are resolved against.
ANCHOR = "2025-07-07T04:11+08:00"


@pytest.mark.parametrize("text, expected", [
    # desktop X post time: Y-n-j H:i:s, no zero padding
    ("2025-3-13 17:57:01", "2025-03-13T17:57:01+08:00"),
    # elsewhere Y-n-j H:i: precision kept as the page gives it
    ("2025-3-7 9:05", "2025-03-07T09:05+08:00"),
    ("2025/3/13 17:57", "2025-03-13T17:57+08:00"),
    ("2025年3月13日 17:57", "2025-03-13T17:57+08:00"),
    ("13-3-2025 17:57", "2025-03-13T17:57+08:00"),  # the j-n-Y user format
    # 7.x 12-hour clock
    ("2009-12-1 05:51 PM", "2009-12-01T17:51+08:00"),
    ("2009-12-1 12:30 AM", "2009-12-01T00:30+08:00"),
    ("2009-12-1 12:05 PM", "2009-12-01T12:05+08:00"),
    ("2024-1-5 下午 3:20", "2024-01-05T15:20+08:00"),
    # a date alone stays a date
    ("2025-3-7", "2025-03-07"),
    # non-breaking spaces (&nbsp;) between date and time
    ("2025-3-13\u00a017:57", "2025-03-13T17:57+08:00"),
    # the date stops at the first non-date text
    ("发表于 2025-3-13 17:57:01 来自手机", "2025-03-13T17:57:01+08:00"),
    ("Posted on 2024-4-6 16:02:33", "2024-04-06T16:02:33+08:00"),
])
def test_absolute_times(text, expected):
    assert parse_time(text, CST) == expected


def test_no_offset_means_no_offset_suffix():
    assert parse_time("2025-3-13 17:57:01") == "2025-03-13T17:57:01"
    assert parse_time("2025-3-13 17:57", "-05:00") == "2025-03-13T17:57-05:00"


@pytest.mark.parametrize("text", ["2025-2-30 10:00", "2025-3-1 25:00", "2025-13-1 10:00", "", None,
                                  "no date here", "楼主"])
def test_impossible_or_missing_times_are_none(text):
    assert parse_time(text, CST) is None


@pytest.mark.parametrize("text, expected", [
    ("昨天 12:30", "2025-07-06T12:30+08:00"),
    ("昨天\u00a023:10", "2025-07-06T23:10+08:00"),
    ("前天 08:05", "2025-07-05T08:05+08:00"),
    ("Yesterday 09:15", "2025-07-06T09:15+08:00"),
    # contains "yesterday" but means two days back
    ("Day before yesterday 23:00", "2025-07-05T23:00+08:00"),
    ("3 天前 12:30", "2025-07-04T12:30+08:00"),  # 6/7 form with a clock
])
def test_day_relative_forms_with_a_clock_resolve_from_the_render_time(text, expected):
    assert parse_time(text, CST, ANCHOR) == expected


@pytest.mark.parametrize("text", ["3 天前", "3\u00a0小时前", "半小时前", "12 分钟前", "45 秒前", "刚刚",
                                  "3 Hour(s) ago", "Just now"])
def test_relative_forms_without_a_clock_stay_unknown(text):
    # Not exact to the minute: null rather than a guess (GOLD.md).
    assert parse_time(text, CST, ANCHOR) is None
    assert parse_time(text, CST) is None


def test_day_relative_forms_cross_month_and_year():
    assert parse_time("昨天 23:10", CST, "2025-03-01T00:20+08:00") == "2025-02-28T23:10+08:00"
    assert parse_time("前天 10:00", None, "2025-01-01T08:00") == "2024-12-30T10:00"


def test_day_relative_without_anchor_is_none():
    assert parse_time("昨天 12:30", CST) is None


@pytest.mark.parametrize("text, relative", [
    ("3\u00a0小时前", True), ("3 小時前", True), ("12 Minute(s) ago", True), ("3 Hours ago", True),
    ("Just now", True), ("2 Days ago", True), ("刚刚", True), ("剛剛", True), ("昨天 12:30", True),
    ("2025-3-1 12:00", False), ("楼主", False), ("", False),
])
def test_is_relative(text, relative):
    assert is_relative(text) is relative


@pytest.mark.parametrize("sign, hours, expected", [
    ("+", "8", "+08:00"), ("-", "5", "-05:00"), (None, None, "+00:00"), ("+", "5.5", "+05:30"),
    ("+", "0", "+00:00"), ("-", "9.5", "-09:30"),
])
def test_parse_offset(sign, hours, expected):
    assert parse_offset(sign, hours) == expected


@pytest.mark.parametrize("line, expected", [
    ("GMT+8, 2025-7-7 04:11 , Processed in 0.094597 second(s), 26 queries , Gzip On.",
     ("+08:00", "2025-07-07T04:11+08:00")),
    ("GMT+8， 2025-7-7 04:11", ("+08:00", "2025-07-07T04:11+08:00")),  # TW pack: full-width comma
    ("GMT, 2025-7-7 04:11", ("+00:00", "2025-07-07T04:11+00:00")),  # offset 0 prints no number
    ("GMT-5, 2025-12-31 23:59", ("-05:00", "2025-12-31T23:59-05:00")),
    ("GMT+5.5, 2025-7-7 04:11", ("+05:30", "2025-07-07T04:11+05:30")),
    ("GMT+8, 2015-1-14 10:42 PM, Processed in 0.05 second(s), 8 queries, Gzip enabled .",
     ("+08:00", "2015-01-14T22:42+08:00")),  # 7.x
    ("Powered by Discuz! X3.5", (None, None)),
])
def test_footer_clock(line, expected):
    assert parse_footer_clock(line) == expected


def _em(html: str) -> etree._Element:
    return etree.fromstring(f"<em id='authorposton1'>{html}</em>", etree.HTMLParser()).find(".//em")


def test_post_time_prefers_the_title_attribute():
    el = _em('发表于 <span title="2025-7-4 17:57:01">3&nbsp;天前</span>')
    assert post_time(el, CST, ANCHOR) == "2025-07-04T17:57:01+08:00"


def test_post_time_without_title():
    assert post_time(_em("发表于 3&nbsp;天前"), CST, ANCHOR) is None
    assert post_time(_em("发表于 昨天&nbsp;21:14"), CST, ANCHOR) == "2025-07-06T21:14+08:00"
    assert post_time(_em("发表于 昨天&nbsp;21:14"), CST, None) is None
    assert post_time(_em("发表于 2025-7-1 08:00:09"), CST, ANCHOR) == "2025-07-01T08:00:09+08:00"
    assert post_time(_em('<em class="display_none">时间：</em>2025-7-1 08:00'), CST, None) == \
        "2025-07-01T08:00+08:00"
    assert post_time(None, CST, ANCHOR) is None


_TIME_PARTS = st.sampled_from(["2025", "-", "3", "13", "/", ".", "年", "月", "日", " ", "  ", "\u00a0", "\u3000", "\t",
                               "17", ":", "57", "：", "01", "PM", "下午", "12-3-2025", "发表于", "昨天", "3 天前", "x"])


@given(st.lists(_TIME_PARTS, max_size=14).map("".join), st.sampled_from([None, "2025-07-07T04:11+08:00"]))
def test_times_read_unfolded_as_folded(text, anchor):
    # parse_time folds blanks only for the relative forms: the date patterns read the same
    # times from the text as it is as from the text with every run of blanks made one space.
    folded = dates._SPACE.sub(" ", text)
    assert dates.parse_time(text, "+08:00", anchor) == dates.parse_time(folded, "+08:00", anchor)
