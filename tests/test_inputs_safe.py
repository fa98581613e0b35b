"""A batch never overwrites an input, nor reads its own outputs back as inputs (real processes)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from conftest import FIXTURES
from conftest import run_forumclean as forumclean

THREAD = FIXTURES / "x35-thread-quote.html"
DUMP = FIXTURES / "text-zh-hans-lines.txt"


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_an_output_folder_inside_the_input_folder_is_not_read_back(tmp_path: Path):
    crawl = tmp_path / "crawl"
    (crawl / "bbs").mkdir(parents=True)
    shutil.copy(THREAD, crawl / "bbs" / "t501.html")
    shutil.copy(DUMP, crawl / "d1.txt")
    for _ in range(2):  # the second run must not clean the first run's outputs
        p = forumclean("extract", "-o", "crawl/cleaned", "crawl", cwd=tmp_path)
        assert p.returncode == 0, p.stderr
        assert files(crawl / "cleaned") == ["bbs/t501.txt", "d1.txt"]
    assert files(crawl) == ["bbs/t501.html", "cleaned/bbs/t501.txt", "cleaned/d1.txt", "d1.txt"]
    assert (crawl / "d1.txt").read_bytes() == DUMP.read_bytes()


def test_an_output_folder_that_is_the_input_folder_is_refused_before_any_write(tmp_path: Path):
    same = tmp_path / "same"
    same.mkdir()
    shutil.copy(THREAD, same / "x.html")
    shutil.copy(DUMP, same / "x.txt")
    before = {name: (same / name).read_bytes() for name in files(same)}
    p = forumclean("extract", "-o", "same", "same", cwd=tmp_path)
    assert p.returncode == 2
    assert b"Traceback" not in p.stderr and b"input folder" in p.stderr
    assert {name: (same / name).read_bytes() for name in files(same)} == before


def test_an_output_file_that_is_a_named_input_is_an_error_record(tmp_path: Path):
    shutil.copy(THREAD, tmp_path / "x.html")
    shutil.copy(DUMP, tmp_path / "x.txt")
    dump = (tmp_path / "x.txt").read_bytes()
    p = forumclean("extract", "-o", ".", "x.html", "x.txt", cwd=tmp_path)
    assert p.returncode == 1
    # neither input is touched: x.txt is x.html's output name and its own
    assert (tmp_path / "x.txt").read_bytes() == dump
    assert sorted(os.listdir(tmp_path)) == ["x.html", "x.txt"]
    lines = p.stderr.decode().strip().splitlines()
    assert len(lines) == 2 and all("would replace" in line for line in lines), lines

    # -o . with a page whose output name is free: written beside it
    p = forumclean("extract", "-f", "json", "-o", ".", "x.html", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))["input"] == "x.html"


def test_listed_files_are_protected_and_the_output_tree_is_not_listed_back(tmp_path: Path):
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    shutil.copy(THREAD, crawl / "a.html")
    shutil.copy(DUMP, crawl / "a.txt")
    dump = (crawl / "a.txt").read_bytes()
    listing = b"crawl/a.txt\0crawl/a.html\0"
    p = forumclean("extract", "--files-from", "-", "-f", "json", "-o", "crawl", cwd=tmp_path, stdin=listing)
    # a.txt -> crawl/a.json, a.html -> crawl/a.json: the second is a clash within the batch
    assert (crawl / "a.txt").read_bytes() == dump
    assert json.loads((crawl / "a.json").read_text(encoding="utf-8"))["input"] == "crawl/a.txt"
    assert p.returncode == 1 and b"already written" in p.stderr

    # text output lands on the listed dump's own name: refused, the dump stays
    p = forumclean("extract", "--files-from", "-", "-o", "crawl", cwd=tmp_path, stdin=listing)
    assert p.returncode == 1
    assert (crawl / "a.txt").read_bytes() == dump
    assert b"would replace" in p.stderr


def test_a_saved_site_is_read_by_content_and_what_is_left_out_is_counted(tmp_path: Path):
    # What wget and HTTrack save: pages named by their address (query kept, no extension) and
    # server-side endings, beside images, styles and scripts.
    site = tmp_path / "site"
    (site / "static").mkdir(parents=True)
    pages = ["forum.php?mod=viewthread&tid=1", "viewthread.php?tid=1&page=2", "thread-1-1-1",
             "a.asp", "b.php", "c.shtml", "d.xhtml"]
    for name in pages:
        shutil.copy(THREAD, site / name)
    (site / "static" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    (site / "static" / "logo.png?v=2").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    (site / "static" / "style.css").write_text("body { color: red }", encoding="utf-8")
    (site / "static" / "common.js").write_text("var x = 1;", encoding="utf-8")
    (site / "static" / "avatar").write_bytes(b"GIF89a" + bytes(32))  # an image without an ending
    p = forumclean("extract", "-f", "jsonl", "--summary", "site", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    docs = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert sorted(d["input"] for d in docs) == sorted(f"site/{name}" for name in pages)
    assert all(d["kind"] == "thread" for d in docs)
    summary = p.stderr.decode().strip()
    assert "ok 7," in summary and "not pages 5 (2 image, 2 style/script, 1 binary)" in summary, summary
