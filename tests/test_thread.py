"""Floor labels (anatomy §4.5): the custom names, numbered floors and pinned copies."""

from __future__ import annotations

import pytest

from forumclean.families.thread import floor_of


@pytest.mark.parametrize("label, expected", [
    ("楼主", (1, False)), ("樓主", (1, False)), ("沙发", (2, False)), ("沙發", (2, False)),
    ("板凳", (3, False)), ("地板", (4, False)), ("Thread Starter", (1, False)),
    ("5#", (5, False)), ("11 #", (11, False)), ("1楼", (1, False)), ("#7", (7, False)),
    # pinned copies at the top of page 1
    ("推荐", (None, True)), ("推薦", (None, True)),
    ("顶 来自 4#", (4, True)),  # X3.5 sticky reply: 「顶」 em + 「来自 4#」
    ("来自 12#", (12, True)),  # X3.4 sticky reply: an icon, then 「来自 12#」
    ("頂 來自 3#", (3, True)),
    ("", (None, False)), ("   ", (None, False)), ("地下室", (None, False)),
])
def test_floor_of(label, expected):
    assert floor_of(label) == expected
