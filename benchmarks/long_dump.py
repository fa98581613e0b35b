"""How the text-dump reader scales with a dump's length: CPU time per post on generated dumps.

    PYTHONPATH=. python benchmarks/long_dump.py                    # every shape, 1 000 / 3 000 / 9 710 posts
    PYTHONPATH=. python benchmarks/long_dump.py --shape d7 --sizes 500 5000
    PYTHONPATH=. python benchmarks/long_dump.py --write 9710 --shape x35 > dump.txt   # the dump itself
    PYTHONPATH=. python benchmarks/long_dump.py --corpus ../shared/corpus/text         # CPU per real dump

A generated dump is one long thread page in a given template (invented names and text):

- ``x35``: the desktop X3.5 template as a crawler dumps it (name, 「N#」, 「发表于 T | 只看该作者」,
  the post, the action bar 「回复 使用道具 举报」);
- ``x35-sig``: the same with quotes (「NAME 发表于 T」 and the quoted line) in some posts and a
  signature (the same text under every post of its author) after a blank line;
- ``d7``: Discuz 7.x (innerText of viewthread.php): the author column (name, group, UID, 帖子,
  积分, 注册时间) above 「N#」 and 「发表于 T | 只看该作者」, and 「报告 回复 引用 TOP」 after the post.

Each size is timed as ``forumclean.extract`` on the dump's bytes, CPU time (``time.process_time``),
best of ``--repeat`` runs: total ms and µs per post. The per-post figure stays flat when the
reader is linear in the dump's length. Not a test: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forumclean import extract  # noqa: E402
from forumclean.errors import ForumcleanError  # noqa: E402

_TOP = ["某论坛 - Powered by Discuz!", "", "标题：一个很长的帖子", ""]
_END = ["", "Powered by Discuz! X3.5", "GMT+8, 2024-5-19 10:00"]


def _time(i: int) -> str:
    return f"2024-5-18 {i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}"


def x35(n: int, rng: random.Random) -> list[str]:
    out = list(_TOP)
    for i in range(1, n + 1):
        name = f"用户{rng.randint(1, 400)}"
        out += [name, f"{i}#", f"发表于 {_time(i)} | 只看该作者", "",
                f"第{i}楼的内容，" + "说点什么吧。" * rng.randint(1, 6), "", "回复 使用道具 举报", ""]
    return out + _END


def x35_sig(n: int, rng: random.Random) -> list[str]:
    """Quotes in every fifth post, a signature under every post of a third of the authors.
    (Names are 「路人N」 here: 「用户」 at a line's start reads as the nav bar's link.)"""
    out = list(_TOP)
    for i in range(1, n + 1):
        who = rng.randint(1, 400)
        out += [f"路人{who}", f"{i}#", f"发表于 {_time(i)} | 只看该作者", ""]
        if i > 1 and i % 5 == 0:
            out += [f"路人{rng.randint(1, 400)} 发表于 2024-5-18 09:{i % 60:02d}", f"第{i - 1}楼说的话", ""]
        out += [f"第{i}楼的内容，" + "说点什么吧。" * rng.randint(1, 6)]
        if rng.random() < 0.3:
            out += ["", "还有第二段。" * rng.randint(1, 3)]
        if who % 3 == 0:
            out += ["", f"—— 路人{who}的签名：每天都要开心"]
        out += ["", "回复 使用道具 举报", ""]
    return out + _END


def d7(n: int, rng: random.Random) -> list[str]:
    out = ["某论坛 » 闲聊灌水 » 一个很长的帖子", "", "返回列表", ""]
    for i in range(1, n + 1):
        who = rng.randint(1, 400)
        out += [f"路人{who}", "", "中级会员", "", "UID", f"{1000 + who} ", "帖子", f"{who * 7} ", "积分",
                f"{who * 3} ", "注册时间", "2008-1-14 ", "\t", f"{i}#",
                f"发表于 2010-3-5 {i % 24:02d}:{i % 60:02d} | 只看该作者",
                f"第{i}楼的内容，" + "说点什么吧。" * rng.randint(1, 6), "", "", "\t", "",
                "报告 回复 引用 TOP", "", "\t"]
    return out + ["", "当前时区 GMT+8, 现在时间是 2010-3-6 10:00", "", "Powered by Discuz! 7.2"]


SHAPES: dict[str, Callable[[int, random.Random], list[str]]] = {"x35": x35, "x35-sig": x35_sig, "d7": d7}


def dump(shape: str, n: int) -> bytes:
    return "\n".join(SHAPES[shape](n, random.Random(7))).encode("utf-8")


def cpu(data: bytes, repeat: int) -> tuple[float, int]:
    """Best CPU seconds of ``repeat`` extractions, and the posts found."""
    best = float("inf")
    posts = 0
    for _ in range(repeat):
        t = time.process_time()
        try:
            posts = len(extract(data, input_name="dump.txt").posts)
        except ForumcleanError:
            posts = 0
        best = min(best, time.process_time() - t)
    return best, posts


def scale(shapes: list[str], sizes: list[int], repeat: int, as_json: bool = False) -> None:
    if not as_json:
        print(f"{'shape':8} {'posts':>6} {'found':>6} {'KB':>6} {'ms':>8} {'µs/post':>8}")
    for shape in shapes:
        for n in sizes:
            data = dump(shape, n)
            secs, found = cpu(data, repeat)
            if as_json:
                print(json.dumps({"shape": shape, "posts": n, "found": found, "ms": secs * 1000}), flush=True)
                continue
            print(f"{shape:8} {n:6d} {found:6d} {len(data) // 1024:6d} {secs * 1000:8.0f} "
                  f"{secs * 1e6 / n:8.0f}", flush=True)


def corpus(folder: Path, repeat: int) -> None:
    """CPU per dump over a folder of real dumps (every ``*.txt``), slowest first."""
    rows = []
    for path in sorted(folder.glob("*.txt")):
        data = path.read_bytes()
        secs, found = cpu(data, repeat)
        rows.append((secs, path.name, found, len(data)))
    total = sum(r[0] for r in rows)
    print(f"{len(rows)} dumps, {sum(r[3] for r in rows) // 1024} KB: {total * 1000:.0f} ms in all, "
          f"{total * 1000 / max(1, len(rows)):.2f} ms per dump")
    for secs, name, found, size in sorted(rows, reverse=True)[:8]:
        print(f"  {name:24} {size // 1024:5d} KB {found:4d} posts {secs * 1000:8.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shape", choices=sorted(SHAPES), action="append", help="(repeatable; default: all)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 9710])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--write", type=int, metavar="N", help="print the dump of N posts and stop")
    ap.add_argument("--corpus", type=Path, metavar="DIR", help="time the real dumps in DIR instead")
    ap.add_argument("--json", action="store_true", help="one JSON object per dump timed (for bench.py)")
    args = ap.parse_args()
    shapes = args.shape or list(SHAPES)
    if args.write:
        sys.stdout.buffer.write(dump(shapes[0], args.write))
    elif args.corpus:
        corpus(args.corpus, args.repeat)
    else:
        scale(shapes, args.sizes, args.repeat, args.json)


if __name__ == "__main__":
    main()
