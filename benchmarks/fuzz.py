"""Mutation fuzzing of ``forumclean.extract`` over the fixtures and the real pages.

    PYTHONPATH=. python benchmarks/fuzz.py --inputs 100000            # the long run
    PYTHONPATH=. python benchmarks/fuzz.py --inputs 2000 --jobs 1     # a quick look

Seeds are read at run time from ``fixtures/`` and, when present, ``../shared/corpus`` and
``../shared/samples`` (never copied). Every input is a deterministic mutation of a seed (or of two),
chosen by ``--seed`` and its index, so any finding is reproduced with ``--only INDEX``.
For each input the run checks the library's contract: a ``Document`` or a
``forumclean.errors.ForumcleanError``; JSON output that round-trips; body text that comes from
the page. It prints inputs, outcomes, errors by type, contract breaks (tracebacks), the slowest
input and the time taken; inputs that break the contract are saved under ``--save`` to replay.
Exit status 1 if any input broke the contract.
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import os
import random
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import forumclean  # noqa: E402
from forumclean.errors import ForumcleanError  # noqa: E402
from forumclean.model import Document  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from hostile_util import is_subsequence, visible_chars  # noqa: E402  (the test suite's oracle)

#: Seconds one input may take before it counts as a hang.
TIMEOUT = 60

_TOKENS = [
    b"<", b">", b"</", b"<div>", b"</div>", b"<table>", b"</td>", b"<tr>", b"<p>", b"<br>", b"<font>",
    b"<!--", b"-->", b"<script>", b"</script>", b"<style>", b"<![CDATA[", b"]]>", b"<?xml ?>",
    b"&", b"&#", b"&#0;", b"&#x110000;", b"&#xD800;", b"&#99999999999;", b"&amp", b"&nbsp;", b"&bogus;",
    b"\x00", b"\xff", b"\xfe\xff", b"\xef\xbb\xbf", b"\x1b[31m", b"\r", b"\n\n\n", b"\t",
    b'"', b"'", b"=", b"<meta charset=gbk>", b"<meta charset=utf-16>", b"<meta charset=big5>",
    b'<meta http-equiv="Content-Type" content="text/html; charset=x-bogus">',
    b'<div id="postlist">', b'<div id="post_1">', b'<td class="t_f" id="postmessage_1">',
    b'<em id="authorposton1">', b'<a id="postnum1">', b'<div class="quote"><blockquote>',
    b'<i class="pstatus">', b'<font class="jammer">', b'<div id="article_content">',
    b'<span id="thread_subject">', b'<body id="nv_forum" class="pg_viewthread">',
    "本帖最后由".encode(), "发表于 2024-5-18 09:12".encode(), "来源：http://".encode(),
    "\u4e2d\u6587".encode("gbk"), "\u4e2d\u6587".encode("big5"), "\u4e2d\u6587".encode("utf-8"),
    b"GMT+8, 2024-5-18 12:11", b"<img src=", b'style="display:none"', b"<base href=",
]
_LABELS = ["utf-8", "gbk", "gb2312", "big5", "utf-16", "utf-16le", "utf-7", "utf-32", "latin-1",
           "shift_jis", "rot13", "base64", "x-user-defined", "bogus", "", "unicode", "hz", "iso-2022-jp"]
_MAGIC = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"\x1f\x8b\x08", b"%PDF-1.4\n", b"PK\x03\x04",
          b"GIF89a", b"\x7fELF"]


def load_seeds() -> list[bytes]:
    """Fixtures and real pages, read where they lie."""
    paths = sorted((ROOT / "fixtures").glob("*.html")) + sorted((ROOT / "fixtures").glob("*.txt"))
    shared = ROOT.parent / "shared"
    for sub in ("corpus/html", "corpus/text", "samples"):
        folder = shared / sub
        if folder.is_dir():
            paths += sorted(p for p in folder.iterdir() if p.suffix in (".html", ".htm", ".txt"))
    return [p.read_bytes() for p in paths]


def _span(rng: random.Random, data: bytes) -> tuple[int, int]:
    a = rng.randrange(len(data) + 1)
    b = min(len(data), a + int(rng.expovariate(1 / 200)))
    return a, b


def mutate(rng: random.Random, seeds: list[bytes]) -> tuple[str, bytes]:
    """One hostile input: its operator's name and its bytes."""
    data = rng.choice(seeds)
    op = rng.choice(["truncate", "flip", "insert_bytes", "delete", "duplicate", "tokens", "tokens",
                     "transcode", "mixed", "charset", "splice", "repeat", "nest", "garbage", "magic",
                     "strip", "stack"])
    if op == "truncate":
        data = data[: rng.randrange(len(data) + 1)]
    elif op == "flip":
        b = bytearray(data)
        for _ in range(rng.randint(1, 64)):
            if b:
                b[rng.randrange(len(b))] = rng.randrange(256)
        data = bytes(b)
    elif op == "insert_bytes":
        pos = rng.randrange(len(data) + 1)
        data = data[:pos] + rng.randbytes(rng.randint(1, 512)) + data[pos:]
    elif op == "delete":
        a, b = _span(rng, data)
        data = data[:a] + data[b:]
    elif op == "duplicate":
        a, b = _span(rng, data)
        pos = rng.randrange(len(data) + 1)
        data = data[:pos] + data[a:b] + data[pos:]
    elif op == "tokens":
        b = bytearray(data)
        for _ in range(rng.randint(1, 32)):
            pos = rng.randrange(len(b) + 1)
            b[pos:pos] = rng.choice(_TOKENS)
        data = bytes(b)
    elif op == "transcode":
        text = data.decode("utf-8", "replace")
        codec = rng.choice(["gb18030", "gbk", "big5", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
                            "utf-8-sig", "big5hkscs"])
        data = text.encode(codec, "replace")
    elif op == "mixed":
        text = data.decode("utf-8", "replace")
        cut = rng.randrange(len(text) + 1)
        data = text[:cut].encode("utf-8") + text[cut:].encode(rng.choice(["gbk", "big5"]), "replace")
    elif op == "charset":
        label = rng.choice(_LABELS).encode()
        data = data.replace(b"charset=utf-8", b"charset=" + label).replace(
            b"charset=gbk", b"charset=" + label)
        if rng.random() < 0.5:
            data = b'<meta charset="' + rng.choice(_LABELS).encode() + b'">' + data
    elif op == "splice":
        other = rng.choice(seeds)
        data = data[: rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1):]
    elif op == "repeat":
        a, b = _span(rng, data)
        times = min(rng.choice([10, 100, 1000, 10000]), 2_000_000 // max(1, b - a))
        data = data[:a] + data[a:b] * times + data[b:]
    elif op == "nest":
        pos = rng.randrange(len(data) + 1)
        n = rng.choice([50, 300, 3000, 30000])
        tag = rng.choice([b"div", b"font", b"table", b"span", b"td", b"blockquote"])
        closed = rng.random() < 0.5
        data = data[:pos] + b"<" + tag + b">" * 1 + (b"<" + tag + b">") * n + b"x" + (
            (b"</" + tag + b">") * n if closed else b"") + data[pos:]
    elif op == "garbage":
        data = rng.randbytes(rng.choice([0, 1, 7, 100, 4096, 65536]))
    elif op == "magic":
        data = rng.choice(_MAGIC) + (data if rng.random() < 0.5 else rng.randbytes(256))
    elif op == "strip":
        ch = rng.choice([b"<", b">", b'"', b"/", b"\n", b" "])
        data = data.replace(ch, b"")
    elif op == "stack":  # several mutations in a row
        for _ in range(rng.randint(2, 5)):
            _, data = mutate(rng, [data])
    return op, data


def check(data: bytes, deep: bool) -> tuple[str, str | None]:
    """(outcome, contract break or None) for one input."""
    try:
        doc = forumclean.extract(data)
    except ForumcleanError as exc:
        return f"error:{type(exc).__name__}", None
    except Exception:
        return "traceback", traceback.format_exc(limit=8)
    try:
        back = Document.from_dict(json.loads(json.dumps(doc.to_dict(), ensure_ascii=False)))
        if back != doc:
            return "traceback", "JSON round trip changed the document"
        if deep:
            seen = visible_chars(data)
            for post in doc.posts:
                body = "".join(post.body.split())
                if body and not is_subsequence(body, seen):
                    return "traceback", f"post body not in the page's text: {post.body[:80]!r}"
    except Exception:
        return "traceback", traceback.format_exc(limit=8)
    return f"ok:{doc.kind}", None


_SEEDS: list[bytes] = []


def _init(seeds: list[bytes]) -> None:
    global _SEEDS
    _SEEDS = seeds
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def run_one(args: tuple[int, int]) -> tuple[int, str, str, float, int, str | None, bytes | None]:
    seed, index = args
    rng = random.Random(f"{seed}:{index}")
    op, data = mutate(rng, _SEEDS)
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIMEOUT)
    start = time.perf_counter()
    try:
        outcome, problem = check(data, deep=index % 10 == 0)
    except _Timeout:
        outcome, problem = "traceback", f"timeout: over {TIMEOUT} s"
    finally:
        signal.alarm(0)
    took = time.perf_counter() - start
    return index, op, outcome, took, len(data), problem, data if problem else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--only", type=int, default=None, help="replay one input by its index")
    ap.add_argument("--save", default="fuzz-findings", help="folder for inputs that break the contract")
    args = ap.parse_args(argv)

    seeds = load_seeds()
    indices = [args.only] if args.only is not None else range(args.inputs)
    outcomes: collections.Counter = collections.Counter()
    by_op: collections.Counter = collections.Counter()
    problems: list[tuple[int, str, str]] = []
    slowest = (0.0, -1, "", 0)
    total_bytes = 0
    start = time.time()
    work = ((args.seed, i) for i in indices)
    if args.jobs > 1:
        pool = multiprocessing.Pool(args.jobs, initializer=_init, initargs=(seeds,))
        results = pool.imap_unordered(run_one, work, chunksize=50)
    else:
        _init(seeds)
        pool = None
        results = map(run_one, work)
    done = 0
    try:
        for index, op, outcome, took, size, problem, data in results:
            done += 1
            total_bytes += size
            outcomes[outcome] += 1
            by_op[op] += 1
            if took > slowest[0]:
                slowest = (took, index, op, size)
            if problem:
                problems.append((index, op, problem))
                save = Path(args.save)
                save.mkdir(parents=True, exist_ok=True)
                (save / f"{args.seed}-{index}.bin").write_bytes(data or b"")
                print(f"[{index}] {op}: {problem.strip().splitlines()[-1]}", file=sys.stderr)
            if done % 5000 == 0:
                print(f"... {done} inputs, {time.time() - start:.0f} s", file=sys.stderr, flush=True)
    finally:
        if pool is not None:
            pool.terminate()
    elapsed = time.time() - start
    print(f"seeds: {len(seeds)} pages; seed {args.seed}; jobs {args.jobs}")
    print(f"inputs: {done} ({total_bytes / 1e6:.0f} MB) in {elapsed:.0f} s "
          f"({done / max(elapsed, 1e-9):.0f}/s)")
    print("outcomes:")
    for k, v in sorted(outcomes.items()):
        print(f"  {k:28} {v}")
    print("mutations: " + ", ".join(f"{k} {v}" for k, v in sorted(by_op.items())))
    print(f"slowest input: #{slowest[1]} ({slowest[2]}, {slowest[3] / 1e6:.1f} MB) {slowest[0]:.2f} s")
    print(f"contract breaks (tracebacks, hangs, bad JSON, invented text): {len(problems)}")
    for index, op, problem in problems[:20]:
        print(f"  #{index} {op}: {problem.strip().splitlines()[-1]}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
