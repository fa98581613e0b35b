"""Conventions every command and the library keep (real processes where the file system, the
terminal or signals are involved)."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

import forumclean

THREAD = FIXTURES / "x35-thread-quote.html"
PORTAL = FIXTURES / "portal-article.html"
ENV = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def forumclean_cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "forumclean", *args], capture_output=True, env=ENV,
                          timeout=120, **kwargs)


def test_json_of_several_inputs_is_one_array_jsonl_one_line_each():
    p = forumclean_cli("extract", "-f", "json", str(THREAD), str(PORTAL), "missing.html")
    assert p.returncode == 1
    docs = json.loads(p.stdout)  # the whole output is one JSON value
    assert [d.get("title") is not None for d in docs] == [True, True, False]
    assert docs[2]["error"]["type"] == "read"
    one = json.loads(forumclean_cli("extract", "-f", "json", str(THREAD)).stdout)
    assert isinstance(one, dict) and one["kind"] == "thread"
    lines = forumclean_cli("extract", "-f", "jsonl", str(THREAD), str(PORTAL)).stdout.splitlines()
    assert [json.loads(x)["kind"] for x in lines] == ["thread", "article"]


@pytest.mark.parametrize("command", ["extract", "diff"])
def test_no_input_on_a_terminal_is_a_usage_error_not_a_wait(command: str):
    leader, follower = pty.openpty()
    try:
        p = subprocess.run([sys.executable, "-m", "forumclean", command], stdin=follower,
                           capture_output=True, env=ENV, timeout=30)
    finally:
        os.close(leader)
        os.close(follower)
    assert p.returncode == 2
    assert b"no input" in p.stderr and b"Usage:" in p.stderr


def wait_reading_stdin(pid: int, limit: float = 30.0) -> None:
    """Until the process sits in read(0, …) (Linux on x86-64 shows it in /proc; elsewhere a pause)."""
    syscall = Path(f"/proc/{pid}/syscall")
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if syscall.read_text().startswith("0 0x0 "):  # read (syscall 0) on fd 0
                return
        except OSError:  # no /proc, or not allowed to look
            break
        time.sleep(0.05)
    time.sleep(3)


@pytest.mark.parametrize("command", [["extract"], ["diff"], ["diff", "--summary"]])
def test_ctrl_c_ends_every_command_with_130(command: list[str]):
    # The page is still being read from stdin when Ctrl-C comes.
    proc = subprocess.Popen([sys.executable, "-m", "forumclean", *command, "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, start_new_session=True)
    wait_reading_stdin(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    proc.stdin.close()
    assert proc.returncode == 130, err
    assert b"Aborted" not in err and b"Traceback" not in err
    assert b"stopped by SIGINT" in err


def test_library_takes_paths_and_refuses_a_file_name_it_cannot_read(tmp_path: Path, monkeypatch):
    by_bytes = forumclean.extract(THREAD.read_bytes())
    assert forumclean.extract(THREAD).posts == by_bytes.posts  # os.PathLike
    monkeypatch.chdir(FIXTURES)
    doc = forumclean.extract("x35-thread-quote.html")  # a str naming an existing file
    assert doc.posts == by_bytes.posts and doc.input == "x35-thread-quote.html"
    with pytest.raises(forumclean.ReadError, match="page.html: no such file"):
        forumclean.extract("page.html")
    # a page's own text is still a page, however short
    assert forumclean.extract("hello").kind == "none"
    assert forumclean.extract(THREAD.read_text(encoding="utf-8")).posts == by_bytes.posts


def test_importing_the_library_leaves_the_batch_engine_unloaded():
    code = ("import sys, forumclean; print('forumclean.batch' in sys.modules, 'multiprocessing' in sys.modules);"
            "forumclean.extract_many; print('forumclean.batch' in sys.modules)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, timeout=60)
    assert p.stdout.split() == ["False", "False", "True"], p.stderr


def test_text_dump_bodies_fold_no_break_spaces_as_html_bodies_do(tmp_path: Path):
    # A browser's copy of a page keeps &nbsp; as U+00A0; the HTML reader folds it while walking.
    dump = (FIXTURES / "text-zh-hans-lines.txt").read_text(encoding="utf-8")
    line = "选种：小番茄比大番茄好养，挂果也多。"
    assert line in dump
    (tmp_path / "nbsp.txt").write_text(dump.replace(line, "选种：\u00a0\u00a0小番茄比大番茄好养，\u00a0挂果也多。"),
                                       encoding="utf-8")
    p = forumclean_cli("extract", "-f", "json", str(tmp_path / "nbsp.txt"))
    assert p.returncode == 0, p.stderr
    body = json.loads(p.stdout)["posts"][0]["body"]
    assert "\u00a0" not in body and "选种： 小番茄比大番茄好养， 挂果也多。" in body


def test_extract_leaves_the_cycle_collector_as_it_found_it():
    import gc

    assert gc.isenabled()
    forumclean.extract(THREAD.read_bytes())
    assert gc.isenabled()
    with pytest.raises(forumclean.DecodeError):
        forumclean.extract(b"")  # also when the page is refused
    assert gc.isenabled()
    gc.disable()
    try:
        forumclean.extract(THREAD.read_bytes())
        assert not gc.isenabled()  # a caller's choice stands
    finally:
        gc.enable()
