"""``diff`` takes inputs the way ``extract`` does and runs on the same batch engine (real processes):
every page of a folder or a WARC is shown, every name the tool prints is accepted back as an input,
and ``--summary`` runs on workers, sorted or streamed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from conftest import run_forumclean as forumclean

from forumclean import diff

THREAD = FIXTURES / "x35-thread-quote.html"
ARCHIVER = FIXTURES / "archiver-x-thread.html"
DUMP = FIXTURES / "text-zh-hans-lines.txt"


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    folder = tmp_path / "crawl"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(THREAD, folder / "a.html")
    shutil.copy(ARCHIVER, folder / "sub" / "b.html")
    shutil.copy(DUMP, folder / "c.txt")
    return folder


def test_diff_over_a_folder_shows_every_page_under_its_name(crawl: Path):
    p = forumclean("diff", "crawl", cwd=crawl.parent)
    assert p.returncode == 0, p.stderr
    out = p.stdout.decode()
    heads = [line for line in out.splitlines() if line.startswith("==> ")]
    assert heads == ["==> crawl/a.html <==", "==> crawl/c.txt <==", "==> crawl/sub/b.html <=="]
    single = forumclean("diff", "crawl/sub/b.html", cwd=crawl.parent).stdout.decode()
    assert "==>" not in single and single in out  # each page's rows, exactly as shown alone
    # several files and --files-from as with extract
    p = forumclean("diff", "--files-from", "-", "-f", "unified", cwd=crawl.parent,
                   stdin=b"crawl/a.html\ncrawl/c.txt\n")
    assert p.returncode == 0, p.stderr
    assert [ln for ln in p.stdout.decode().splitlines() if ln.startswith("+++ ")] == [
        "+++ b/crawl/a.html", "+++ b/crawl/c.txt"]
    # json: one array
    p = forumclean("diff", "-f", "json", "crawl/a.html", "crawl/c.txt", cwd=crawl.parent)
    assert [d["input"] for d in json.loads(p.stdout)] == ["crawl/a.html", "crawl/c.txt"]


def test_summary_runs_on_workers_sorted_or_streamed(crawl: Path):
    (crawl / "empty.html").write_bytes(b"")
    p = forumclean("diff", "--summary", "-j", "2", "crawl", cwd=crawl.parent)
    assert p.returncode == 1
    rows = [line.split("\t") for line in p.stdout.decode().splitlines()]
    assert rows[0] == list(diff.SUMMARY_COLUMNS)
    assert rows[1][0] == "crawl/empty.html" and rows[1][-1].startswith("error: ")  # suspect first
    assert sorted(r[0] for r in rows[1:]) == ["crawl/a.html", "crawl/c.txt", "crawl/empty.html",
                                              "crawl/sub/b.html"]
    assert p.stderr.decode().strip() == "forumclean: crawl/empty.html: empty input (no text)"
    p = forumclean("diff", "--summary", "--no-sort", "-f", "jsonl", "-j", "2", "crawl", cwd=crawl.parent)
    assert [json.loads(line)["input"] for line in p.stdout.decode().splitlines()] == [
        "crawl/a.html", "crawl/c.txt", "crawl/empty.html", "crawl/sub/b.html"]


def test_diff_over_a_warc_and_its_record_names_taken_back(tmp_path: Path):
    pytest.importorskip("warcio", reason="WARC input needs the 'warc' extra")
    from warc_records import Rec, write_warc

    write_warc(tmp_path / "crawl.warc.gz", [
        Rec("https://bbs.example/thread-1-1-1.html", THREAD.read_bytes()),
        Rec("https://bbs.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png"),
        Rec("https://bbs.example/archiver/?tid-2.html", ARCHIVER.read_bytes()),
    ])
    p = forumclean("diff", "--summary", "-f", "jsonl", "--no-sort", "crawl.warc.gz", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    names = [json.loads(line)["input"] for line in p.stdout.decode().splitlines()]
    assert len(names) == 2 and all(n.startswith("crawl.warc.gz#") for n in names)

    p = forumclean("diff", "crawl.warc.gz", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert [ln for ln in p.stdout.decode().splitlines() if ln.startswith("==> ")] == [
        f"==> {n} <==" for n in names]

    # every printed name is an input again, for extract and diff alike
    for name in names:
        doc = json.loads(forumclean("extract", "-f", "json", name, cwd=tmp_path).stdout)
        assert doc["input"] == name and doc["kind"] == "thread" and doc["fetched_at"]
        p = forumclean("diff", name, cwd=tmp_path)
        assert p.returncode == 0 and "@ post 1" in p.stdout.decode()
    # an offset that holds no page record is an error record, not a crash
    p = forumclean("extract", "-f", "jsonl", "crawl.warc.gz#1", cwd=tmp_path)
    assert p.returncode == 1 and json.loads(p.stdout)["error"]["type"] == "warc"
    assert b"Traceback" not in p.stderr


def test_a_closed_pipe_ends_diff_quietly_as_extract():
    for command in ("diff --summary fixtures", "diff fixtures", "extract fixtures"):
        p = subprocess.run(["bash", "-c", f"set -o pipefail; '{sys.executable}' -m forumclean {command} | head -1"],
                           capture_output=True, cwd=ROOT, timeout=120,
                           env=dict(os.environ, PYTHONPATH=str(ROOT)))
        assert p.returncode == 141 and p.stderr == b"", (command, p.stderr)
        assert len(p.stdout.splitlines()) == 1
