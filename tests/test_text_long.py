"""Long text dumps: a thread page of hundreds of posts reads post by post, as a short one does.

The dumps are generated here (invented names and text, Discuz-shaped), in two templates: X3.5 as a
crawler dumps it (name, 「N#」, 「发表于 T | 只看该作者」, the post, 「回复 使用道具 举报」), with a
quote in some posts and a signature under every post of some authors; and Discuz 7.x (the author
column, name, group, UID, 帖子, 积分, 注册时间, above 「N#」, 「报告 回复 引用 TOP」 after the post).
"""

from __future__ import annotations

import random

import pytest

from forumclean import extract

POSTS = 300


def _x35(n: int) -> tuple[str, list[dict]]:
    rng = random.Random(3)
    authors = [rng.randint(1, 60) for _ in range(n)]
    lines = ["某论坛 - Powered by Discuz!", "", "标题：一个很长的帖子", ""]
    want = []
    for i, who in enumerate(authors, 1):
        text = f"第{i}楼的内容，" + "说点什么吧。" * rng.randint(1, 4)
        lines += [f"路人{who}", f"{i}#", f"发表于 2024-5-18 {i % 24:02d}:{i % 60:02d}:{i * 7 % 60:02d} | 只看该作者", ""]
        quote = None
        if i > 1 and i % 5 == 0:
            quote = f"第{i - 1}楼说过的话"
            lines += [f"路人{rng.randint(1, 60)} 发表于 2024-5-18 09:{i % 60:02d}", quote, ""]
        lines += [text]
        if who % 3 == 0 and authors.count(who) >= 2:
            # (a signature is known as the same ending under every post of its author)
            lines += ["", f"—— 路人{who}的签名：每天都要开心"]
        lines += ["", "回复 使用道具 举报", ""]
        want.append({"floor": i, "author": f"路人{who}", "body": text, "quote": quote,
                     "published": f"2024-05-18T{i % 24:02d}:{i % 60:02d}:{i * 7 % 60:02d}+08:00"})
    lines += ["", "Powered by Discuz! X3.5", "GMT+8, 2024-5-19 10:00"]
    return "\n".join(lines), want


def _d7(n: int) -> tuple[str, list[dict]]:
    rng = random.Random(5)
    lines = ["某论坛 » 闲聊灌水 » 一个很长的帖子", "", "返回列表", ""]
    want = []
    for i in range(1, n + 1):
        who = rng.randint(1, 60)
        text = f"第{i}楼的内容，" + "说点什么吧。" * rng.randint(1, 4)
        lines += [f"路人{who}", "", "中级会员", "", "UID", f"{1000 + who} ", "帖子", f"{who * 7} ", "积分",
                  f"{who * 3} ", "注册时间", "2008-1-14 ", "\t", f"{i}#",
                  f"发表于 2010-3-5 {i % 24:02d}:{i % 60:02d} | 只看该作者", text, "", "", "\t", "",
                  "报告 回复 引用 TOP", "", "\t"]
        want.append({"floor": i, "author": f"路人{who}", "body": text, "quote": None,
                     "published": f"2010-03-05T{i % 24:02d}:{i % 60:02d}"})
    lines += ["", "当前时区 GMT+8, 现在时间是 2010-3-6 10:00", "", "Powered by Discuz! 7.2"]
    return "\n".join(lines), want


@pytest.mark.parametrize("template", [_x35, _d7], ids=["x35", "d7"])
def test_every_post_of_a_long_dump(template):
    dump, want = template(POSTS)
    doc = extract(dump.encode("utf-8"))
    assert doc.kind == "thread"
    assert len(doc.posts) == POSTS
    assert [p.floor for p in doc.posts] == [w["floor"] for w in want]
    assert [p.published for p in doc.posts] == [w["published"] for w in want]
    # (the first post's author column sits among the page's top lines, which are read apart)
    assert [p.author for p in doc.posts[1:]] == [w["author"] for w in want[1:]]
    # each body is the post's own text: no quote, no signature, no author column of the next post
    assert [p.body for p in doc.posts] == [w["body"] for w in want]
    assert [p.quotes[0].text if p.quotes else None for p in doc.posts] == [w["quote"] for w in want]
