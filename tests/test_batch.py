"""Batches: order, workers, resuming, one record per input, time limits, signals, closed pipes."""

from __future__ import annotations

import functools
import io
import itertools
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from forumclean import batch, diff
from forumclean.batch import Options, extract_many, run_batch
from forumclean.inputs import Input, expand, read_list

PAGE = (FIXTURES / "x35-thread-quote.html").read_text(encoding="utf-8")
TITLE = "周末去河边骑车的路线推荐"
FORK = sys.platform.startswith("linux")  # monkeypatches reach workers only through fork


def page(n: int) -> str:
    """The fixture thread with a numbered title, so each output tells which input it came from."""
    return PAGE.replace(TITLE, f"{TITLE} {n}")


def write_pages(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        p = folder / f"p{i:04d}.html"
        p.write_text(page(i), encoding="utf-8")
        paths.append(p)
    return paths


def cli(*args: str, stdin: bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "forumclean", *args], input=stdin, capture_output=True,
                          env=env, timeout=timeout, cwd=ROOT)


# -- inputs ------------------------------------------------------------------------------------

class Trickle(io.RawIOBase):
    """A pipe that hands out a few bytes at a time, and fails if read past what the test allows."""

    def __init__(self, data: bytes, step: int = 7) -> None:
        self.data, self.pos, self.step, self.limit = data, 0, step, len(data)

    def readable(self) -> bool:
        return True

    def read1(self, n: int = -1) -> bytes:
        if self.pos >= self.limit:
            if self.pos < len(self.data):
                raise AssertionError("read ahead of the consumer")
            return b""
        chunk = self.data[self.pos:self.pos + self.step]
        self.pos += len(chunk)
        return chunk

    read = read1


def test_read_list_separators():
    assert list(read_list(io.BytesIO(b"a.html\nb c.html\r\n\n"))) == ["a.html", "b c.html"]
    assert list(read_list(io.BytesIO(b"a\nx.html\0b.html\0"))) == ["a\nx.html", "b.html"]
    assert list(read_list(io.BytesIO(b"only.html"))) == ["only.html"]
    assert list(read_list(io.BytesIO(b""))) == []
    undecodable = list(read_list(io.BytesIO(b"caf\xe9.html\0")))
    assert undecodable == [os.fsdecode(b"caf\xe9.html")]


def test_read_list_streams():
    # A NUL list read from a pipe yields its first paths before the writer has finished.
    data = b"".join(f"dir/{i}.html".encode() + b"\0" for i in range(1000))
    stream = Trickle(data)
    stream.limit = 5000
    got = list(itertools.islice(read_list(stream), 3))
    assert got == ["dir/0.html", "dir/1.html", "dir/2.html"]


def test_expand_is_lazy(tmp_path):
    write_pages(tmp_path, 3)
    gen = expand([str(tmp_path), "-"])
    assert next(gen).name.endswith("p0000.html")


# -- the engine --------------------------------------------------------------------------------

def titles(outcomes) -> list[str | None]:
    return [o.document.title if o.document else None for o in outcomes]


def test_order_follows_input_with_workers(tmp_path):
    paths = write_pages(tmp_path, 40)
    start = time.monotonic()
    got = list(extract_many(paths, jobs=2, window=4))
    assert titles(got) == [f"{TITLE} {i}" for i in range(40)]
    assert time.monotonic() - start < 4  # a full window must not stall the batch (a 5 s wait)
    assert [o.input.name for o in got] == [str(p) for p in paths]


def test_unordered_gives_the_same_outcomes(tmp_path):
    paths = write_pages(tmp_path, 20)
    got = list(extract_many(paths, jobs=2, ordered=False))
    assert sorted(titles(got)) == sorted(f"{TITLE} {i}" for i in range(20))


def test_in_process_bytes_and_named_pages():
    pages = [page(1).encode("utf-8"), ("second.html", page(2).encode("utf-8"))]
    got = list(extract_many(pages, jobs=1, timeout=None))
    assert titles(got) == [f"{TITLE} 1", f"{TITLE} 2"]
    assert [o.document.input for o in got] == ["<0>", "second.html"]


def test_inputs_are_pulled_lazily_and_workers_stop():
    pulled = []

    def endless():
        for i in itertools.count():
            pulled.append(i)
            yield page(i).encode("utf-8")

    outcomes = extract_many(endless(), jobs=2, window=8)
    first = list(itertools.islice(outcomes, 5))
    outcomes.close()
    assert titles(first) == [f"{TITLE} {i}" for i in range(5)]
    assert len(pulled) <= 5 + 8 + 2  # a bounded window, never the whole input
    assert not multiprocessing.active_children()


def test_bad_options_fail_up_front():
    with pytest.raises(ValueError, match="unknown family"):
        next(extract_many([b"x"], family="no-such-family"))


def _flaky_run(data, **kwargs):
    """Stands in for the pipeline: hangs or dies on marked pages (inherited by forked workers)."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    if "HANG-HERE" in text:
        time.sleep(60)
    if "DIE-HERE" in text:
        os.kill(os.getpid(), signal.SIGKILL)
    if "BUG-HERE" in text:
        raise KeyError("simulated bug")
    return _real_run(data, **kwargs)


_real_run = batch.run


@pytest.mark.skipif(not FORK, reason="needs fork so workers see the stand-in pipeline")
def test_one_record_per_input_whatever_happens(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "run", _flaky_run)
    good = write_pages(tmp_path / "good", 4)
    (tmp_path / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "hang.html").write_text(page(99) + "<!-- HANG-HERE -->", encoding="utf-8")
    (tmp_path / "die.html").write_text(page(98) + "<!-- DIE-HERE -->", encoding="utf-8")
    (tmp_path / "bug.html").write_text(page(97) + "<!-- BUG-HERE -->", encoding="utf-8")
    items = [good[0], tmp_path / "binary.html", tmp_path / "missing.html", good[1],
             tmp_path / "hang.html", Input(str(tmp_path), str(tmp_path), "dir"), tmp_path / "empty.html",
             tmp_path / "die.html", good[2], tmp_path / "bug.html", good[3]]
    start = time.monotonic()
    got = list(extract_many(items, jobs=2, timeout=1.5))
    assert time.monotonic() - start < 20
    assert [o.input.name for o in got] == [i.name if isinstance(i, Input) else str(i) for i in items]
    kinds = [o.error["error"]["type"] if o.error else o.status for o in got]
    assert kinds == ["ok", "decode", "read", "ok", "timeout", "read", "decode", "crash", "ok", "internal",
                     "ok"]
    assert titles(got)[8] == f"{TITLE} 2"  # workers replaced after the hang and the crash go on
    assert not multiprocessing.active_children()


@pytest.mark.skipif(not FORK, reason="needs fork so workers see the stand-in pipeline")
def test_timeout_with_one_job_uses_a_worker(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "run", _flaky_run)
    pages = [("hang", (page(1) + "HANG-HERE").encode()), ("ok", page(2).encode())]
    got = list(extract_many(pages, jobs=1, timeout=1.0))
    assert [o.error["error"]["type"] if o.error else o.status for o in got] == ["timeout", "ok"]


@pytest.mark.skipif(not FORK, reason="needs fork so workers see the stand-in pipeline")
def test_output_dir_with_hangs_and_crashes(tmp_path, monkeypatch):
    # Workers write temporary files that the main process renames: a page that hangs or kills its
    # worker costs only its own record, and no temporary file is left.
    monkeypatch.setattr(batch, "run", _flaky_run)
    good = write_pages(tmp_path / "in", 12)
    (tmp_path / "in" / "p0003.html").write_text(page(3) + "<!-- HANG-HERE -->", encoding="utf-8")
    (tmp_path / "in" / "p0007.html").write_text(page(7) + "<!-- DIE-HERE -->", encoding="utf-8")
    out = tmp_path / "out"
    failures = []
    tally = run_batch(expand([str(tmp_path / "in")]), Options(fmt="json"), out_dir=str(out),
                      report=failures.append, jobs=2, timeout=1.0)
    assert (tally.ok, tally.failed) == (10, 2)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        p.name.replace(".html", ".json") for p in good if p.name not in ("p0003.html", "p0007.html"))
    assert [f.split(": ")[1] for f in failures] == ["no result within 1 s (page abandoned)",
                                                    "worker process died (signal 9)"]


def test_outcome_text_when_rendered(tmp_path):
    paths = write_pages(tmp_path, 3)
    got = list(extract_many(paths, jobs=2, render=True, options=Options(fmt="jsonl")))
    assert [json.loads(o.text)["title"] for o in got] == [f"{TITLE} {i}" for i in range(3)]
    assert all(o.document is None for o in got)


_BIG_PAGES = """
import sys
from forumclean.batch import extract_many
page = sys.stdin.buffer.read()
got = list(extract_many([page] * 12, jobs=2))
print(sum(len(o.document.text) for o in got))
"""


def test_large_pages_as_bytes_do_not_block_the_pipes():
    # Page bytes going out and documents coming back, both larger than a pipe's buffer: the
    # main process must never wait to send while a worker waits to send back (a deadlock).
    big = page(0).replace("从北桥出发", "从北桥出发" + "长" * 100_000).encode("utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, "-c", _BIG_PAGES], input=big, capture_output=True, env=env,
                         timeout=60)
    assert res.returncode == 0, res.stderr
    assert int(res.stdout) > 12 * 100_000


def test_run_batch_tally_and_jsonl(tmp_path):
    paths = write_pages(tmp_path, 3)
    items = list(expand([str(p) for p in paths] + [str(tmp_path / "nope.html")]))
    out = io.StringIO()
    failures = []
    tally = run_batch(items, Options(fmt="jsonl"), out=out, report=failures.append, jobs=2)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["input"] for r in records] == [i.name for i in items]
    assert (tally.ok, tally.none, tally.failed) == (3, 0, 1)
    assert records[-1]["error"]["type"] == "read" and len(failures) == 1
    assert tally.summary().startswith("ok 3, none 0, failed 1, ")


# -- the command line --------------------------------------------------------------------------

def test_cli_jobs_give_identical_output(tmp_path):
    write_pages(tmp_path / "in", 12)
    (tmp_path / "in" / "broken.html").write_bytes(b"\x00\x01\x02" * 100)
    one = cli("extract", "-f", "jsonl", "-j", "1", "--timeout", "0", str(tmp_path / "in"))
    two = cli("extract", "-f", "jsonl", "-j", "2", str(tmp_path / "in"))
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    lines = one.stdout.decode().splitlines()
    assert len(lines) == 13 and json.loads(lines[0])["input"].endswith("broken.html")
    assert one.stderr.decode().count("\n") == 1  # the one failure, no summary: not a terminal


def test_cli_files_from_nul_list_on_stdin(tmp_path):
    paths = write_pages(tmp_path, 3)
    listing = b"".join(os.fsencode(p) + b"\0" for p in reversed(paths))
    res = cli("extract", "--files-from", "-", "-f", "jsonl", "-q", stdin=listing)
    assert res.returncode == 0 and res.stderr == b""
    assert [json.loads(x)["title"] for x in res.stdout.splitlines()] == [f"{TITLE} {i}" for i in (2, 1, 0)]


def test_cli_skip_existing_resumes(tmp_path):
    write_pages(tmp_path / "in", 5)
    out = tmp_path / "out"
    first = cli("extract", "-o", str(out), "-f", "json", "--summary", str(tmp_path / "in"))
    assert first.returncode == 0
    assert "ok 5, none 0, failed 0" in first.stderr.decode()
    (out / "p0002.json").unlink()
    kept = (out / "p0001.json").stat().st_mtime_ns
    again = cli("extract", "-o", str(out), "-f", "json", "--skip-existing", "--summary", str(tmp_path / "in"))
    assert "ok 1, none 0, failed 0, skipped 4" in again.stderr.decode()
    assert (out / "p0002.json").exists() and (out / "p0001.json").stat().st_mtime_ns == kept
    assert cli("extract", "--skip-existing", str(tmp_path / "in")).returncode == 2


def test_cli_quiet_and_exit_status(tmp_path):
    res = cli("extract", "-q", "--summary", "-f", "jsonl", str(tmp_path / "missing.html"))
    assert res.returncode == 1 and res.stderr == b""
    assert json.loads(res.stdout)["error"]["type"] == "read"


def test_cli_forced_progress_off_a_terminal(tmp_path):
    write_pages(tmp_path, 3)
    res = cli("extract", "--progress", "-f", "jsonl", str(tmp_path))
    assert res.returncode == 0
    assert len(res.stdout.splitlines()) == 3
    assert "ok 3, none 0, failed 0" in res.stderr.decode()


SLOW_CLI = """
import sys, time
from forumclean import batch
real = batch.run
def slow(data, **kw):
    time.sleep(0.02)
    return real(data, **kw)
batch.run = slow
from forumclean.cli import main
main(sys.argv[1:], prog_name="forumclean")
"""


@pytest.mark.parametrize("sig,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_stops_cleanly(tmp_path, sig, code):
    write_pages(tmp_path / "in", 400)
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", SLOW_CLI, "extract", "-o", str(out), "-f", "json",
                             "-j", "2", str(tmp_path / "in")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    def outputs() -> int:  # (workers write temporary files ahead of the renames)
        return len([p for p in out.iterdir() if not p.name.startswith(".")]) if out.is_dir() else 0

    while outputs() <= 20 and time.monotonic() < deadline:
        time.sleep(0.02)
    # A terminal's Ctrl-C reaches the whole process group; SIGTERM usually just the parent.
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert f"stopped by {signal.Signals(sig).name}: ok " in err.decode()
    assert "Traceback" not in err.decode()
    written = list(out.iterdir())
    assert 20 < len(written) < 400
    assert not [p for p in written if p.name.startswith(".forumclean-")]
    for p in written:
        json.loads(p.read_text(encoding="utf-8"))  # every file complete


def test_closed_pipe_ends_quietly(tmp_path):
    write_pages(tmp_path, 150)  # well past a pipe's buffer
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    res = subprocess.run(["bash", "-c", f"set -o pipefail; '{sys.executable}' -m forumclean extract "
                          f"-f jsonl '{tmp_path}' | head -1"],
                         capture_output=True, env=env, timeout=60, cwd=ROOT)
    assert res.stderr == b""
    assert len(res.stdout.splitlines()) == 1
    assert res.returncode in (0, 141)


def test_cli_unordered_gives_every_record(tmp_path):
    write_pages(tmp_path, 10)
    res = cli("extract", "-f", "jsonl", "--unordered", "-j", "2", str(tmp_path))
    assert res.returncode == 0
    got = sorted(json.loads(x)["title"] for x in res.stdout.splitlines())
    assert got == sorted(f"{TITLE} {i}" for i in range(10))


@pytest.mark.skipif(not FORK, reason="needs fork so workers see the stand-in pipeline")
@pytest.mark.parametrize("job", ["extract", "diff-summary"])
def test_a_page_that_hangs_or_kills_its_worker_has_its_record_in_its_place(tmp_path, monkeypatch, job):
    # The batch records those pages itself (no worker finished them); their records and rows are
    # written where the input stands, as a worker's failures are.
    monkeypatch.setattr(batch, "run", _flaky_run)
    good = write_pages(tmp_path / "in", 5)
    (tmp_path / "in" / "p0001.html").write_text(page(1) + "<!-- HANG-HERE -->", encoding="utf-8")
    (tmp_path / "in" / "p0003.html").write_text(page(3) + "<!-- DIE-HERE -->", encoding="utf-8")
    out = io.StringIO()
    if job == "extract":
        options, run_job = Options(fmt="jsonl"), None
    else:
        options, run_job = Options(), functools.partial(diff.page_job, view=diff.View("summary-jsonl"))
    tally = run_batch(expand([str(tmp_path / "in")]), options, out=out, many=True, jobs=2, timeout=1.0, job=run_job)
    assert (tally.ok, tally.failed) == (3, 2)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [Path(r["input"]).name for r in records] == [p.name for p in good]
    failed = [r for r in records if r.get("error")]
    assert [Path(r["input"]).name for r in failed] == ["p0001.html", "p0003.html"]
