"""The ``forumclean extract`` command as a user meets it: inputs (files, directories, stdin),
formats, the output folder, exit status and error reporting.

Most tests drive the click command in-process (CliRunner); ``test_real_process`` runs
``python -m forumclean`` once as a subprocess to check the same behaviours end to end.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT

from forumclean.cli import main

THREAD = FIXTURES / "x35-thread-quote.html"  # 3 posts, title 周末去河边骑车的路线推荐
GBK = FIXTURES / "x34-gbk-script-charset.html"  # 2 posts
PORTAL = FIXTURES / "portal-article.html"
NONE_PAGE = FIXTURES / "forum-list.html"  # a Discuz page with no posts: kind none, not a failure

THREAD_TITLE = "周末去河边骑车的路线推荐"
THREAD_BODY_LINE = "路面平整，适合新手，中途有两个补水点。"
GBK_TITLE = "老房翻新水电改造踩过的坑"
PORTAL_TITLE = "青溪古镇春季游园会四月开幕"


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2 mixes stderr into output unless told not to
    except TypeError:
        return CliRunner()


def invoke(*args: str, input: bytes | None = None):
    return runner().invoke(main, ["extract", *args], input=input, catch_exceptions=False)


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def assert_clean_stderr(stderr: str, failures: int) -> list[str]:
    """One line per failed input, no traceback."""
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == failures, stderr
    return lines


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    """A crawl folder with pages in sub-folders (and a file that is not a page)."""
    root = tmp_path / "crawl"
    (root / "bbs" / "2024").mkdir(parents=True)
    (root / "news").mkdir()
    shutil.copy(THREAD, root / "bbs" / "2024" / "t501.html")
    shutil.copy(GBK, root / "bbs" / "t45120.htm")
    shutil.copy(PORTAL, root / "news" / "a356.html")
    (root / "news" / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(64))  # not a page suffix: skipped
    return root


# -- output formats --------------------------------------------------------------------------------

def test_text_is_the_default_output():
    result = invoke(str(THREAD))
    assert result.exit_code == 0
    out = result.stdout
    assert out.splitlines()[0] == THREAD_TITLE
    assert THREAD_BODY_LINE in out
    assert "青柳骑士" in out and "2024-05-18T09:12:45+08:00" in out
    assert "湿地公园周末人多吗？想带孩子一起去。" in out
    for chrome in ("使用道具", "只看该作者", "Powered by", "8 b2 K5", "骑车让生活慢下来"):
        assert chrome not in out
    assert result.stderr == ""


def test_json_output_is_one_document():
    result = invoke("--format", "json", str(THREAD))
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["input"] == str(THREAD)
    assert doc["kind"] == "thread" and doc["title"] == THREAD_TITLE
    assert [p["floor"] for p in doc["posts"]] == [1, 2, 3]
    expected = json.loads((FIXTURES / "x35-thread-quote.expected.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in doc.items() if k != "input"} == expected


def test_jsonl_output_is_one_line_per_input_in_order():
    result = invoke("--format", "jsonl", str(THREAD), str(GBK), str(NONE_PAGE))
    assert result.exit_code == 0
    records = jsonl(result.stdout)
    assert [r["input"] for r in records] == [str(THREAD), str(GBK), str(NONE_PAGE)]
    assert [r["kind"] for r in records] == ["thread", "thread", "none"]
    assert records[1]["title"] == GBK_TITLE and records[1]["encoding"] == "gb18030"
    assert len(result.stdout.splitlines()) == 3


def test_several_files_in_text_keep_their_order():
    result = invoke(str(THREAD), str(GBK))
    assert result.exit_code == 0
    out = result.stdout
    assert THREAD_TITLE in out and GBK_TITLE in out
    assert out.index(THREAD_TITLE) < out.index(GBK_TITLE)
    # each input is named, so a reader can tell the documents apart
    assert str(THREAD) in out and str(GBK) in out


def test_a_directory_is_searched_recursively_for_pages(crawl: Path):
    result = invoke("--format", "jsonl", str(crawl))
    assert result.exit_code == 0
    records = jsonl(result.stdout)
    names = sorted(Path(r["input"]).relative_to(crawl).as_posix() for r in records)
    assert names == ["bbs/2024/t501.html", "bbs/t45120.htm", "news/a356.html"]
    titles = {Path(r["input"]).name: r["title"] for r in records}
    assert titles == {"t501.html": THREAD_TITLE, "t45120.htm": GBK_TITLE, "a356.html": PORTAL_TITLE}


# -- stdin -----------------------------------------------------------------------------------------

def test_stdin_dash():
    result = invoke("--format", "json", "-", input=GBK.read_bytes())
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["input"] == "-"
    assert doc["title"] == GBK_TITLE and doc["encoding"] == "gb18030"


def test_stdin_is_the_default_without_paths():
    result = invoke(input=THREAD.read_bytes())
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == THREAD_TITLE


def test_stdin_with_files():
    result = invoke("--format", "jsonl", str(THREAD), "-", input=PORTAL.read_bytes())
    assert result.exit_code == 0
    records = jsonl(result.stdout)
    assert [(r["input"], r["title"]) for r in records] == [(str(THREAD), THREAD_TITLE), ("-", PORTAL_TITLE)]


# -- output folder ----------------------------------------------------------------------------------

def outputs(out: Path) -> dict[str, Path]:
    return {p.relative_to(out).with_suffix("").as_posix(): p for p in out.rglob("*") if p.is_file()}


def test_output_dir_keeps_the_relative_layout(crawl: Path, tmp_path: Path):
    out = tmp_path / "cleaned"
    result = invoke("--format", "json", "-o", str(out), str(crawl))
    assert result.exit_code == 0
    assert result.stdout == ""  # documents went to files
    files = outputs(out)
    assert sorted(files) == ["bbs/2024/t501", "bbs/t45120", "news/a356"]
    doc = json.loads(files["bbs/2024/t501"].read_text(encoding="utf-8"))
    assert doc["title"] == THREAD_TITLE and len(doc["posts"]) == 3
    assert json.loads(files["news/a356"].read_text(encoding="utf-8"))["kind"] == "article"


def test_output_dir_text_files(tmp_path: Path):
    out = tmp_path / "txt"
    result = invoke("-o", str(out), str(THREAD), str(GBK))
    assert result.exit_code == 0
    files = outputs(out)
    assert sorted(files) == ["x34-gbk-script-charset", "x35-thread-quote"]
    text = files["x35-thread-quote"].read_text(encoding="utf-8")
    assert text.splitlines()[0] == THREAD_TITLE and THREAD_BODY_LINE in text


def test_output_dir_is_atomic_and_goes_on_past_failures(crawl: Path, tmp_path: Path):
    (crawl / "news" / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    out = tmp_path / "cleaned"
    result = invoke("--format", "json", "-o", str(out), str(crawl))
    assert result.exit_code == 1
    (line,) = assert_clean_stderr(result.stderr, 1)
    assert "broken.html" in line
    files = outputs(out)
    # the three good pages were written; nothing half-written or temporary is left behind
    assert sorted(files) == ["bbs/2024/t501", "bbs/t45120", "news/a356"]
    leftovers = [p.name for p in out.rglob("*") if p.name.startswith(".") or p.suffix in (".tmp", ".part")]
    assert leftovers == []
    for p in files.values():
        json.loads(p.read_text(encoding="utf-8"))


def test_output_dir_replaces_an_earlier_output(tmp_path: Path):
    out = tmp_path / "cleaned"
    out.mkdir()
    for _ in range(2):
        assert invoke("--format", "json", "-o", str(out), str(THREAD)).exit_code == 0
    files = list(out.iterdir())
    assert len(files) == 1
    assert json.loads(files[0].read_text(encoding="utf-8"))["title"] == THREAD_TITLE


# -- exit status and errors ------------------------------------------------------------------------

def test_exit_0_when_every_input_is_cleaned_even_pages_without_posts():
    result = invoke("--format", "jsonl", str(NONE_PAGE), str(FIXTURES / "message-missing-thread.html"))
    assert result.exit_code == 0
    assert [r["kind"] for r in jsonl(result.stdout)] == ["none", "none"]
    assert result.stderr == ""


def test_exit_1_when_some_input_fails_and_the_rest_is_processed(tmp_path: Path):
    missing = tmp_path / "missing.html"
    binary = tmp_path / "photo.html"
    binary.write_bytes(b"\xff\xd8\xff\xe0" + bytes(300))
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = invoke("--format", "jsonl", str(missing), str(THREAD), str(binary), str(empty), str(GBK))
    assert result.exit_code == 1
    records = jsonl(result.stdout)
    assert [r["input"] for r in records] == [str(missing), str(THREAD), str(binary), str(empty), str(GBK)]
    ok = [r for r in records if "error" not in r]
    assert [r["title"] for r in ok] == [THREAD_TITLE, GBK_TITLE]
    errors = {r["input"]: r["error"] for r in records if "error" in r}
    assert set(errors) == {str(missing), str(binary), str(empty)}
    for err in errors.values():
        assert set(err) == {"type", "message"} and err["message"]
    assert errors[str(binary)]["type"] == "decode"
    lines = assert_clean_stderr(result.stderr, 3)
    for name in (missing, binary, empty):
        assert sum(str(name) in line for line in lines) == 1


def test_exit_1_in_text_mode_keeps_errors_out_of_stdout(tmp_path: Path):
    missing = tmp_path / "gone.html"
    result = invoke(str(missing), str(THREAD))
    assert result.exit_code == 1
    assert THREAD_TITLE in result.stdout and "gone.html" not in result.stdout
    (line,) = assert_clean_stderr(result.stderr, 1)
    assert "gone.html" in line


def test_binary_on_stdin_is_an_input_failure():
    result = invoke("-", input=b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert result.exit_code == 1
    (line,) = assert_clean_stderr(result.stderr, 1)
    assert "PNG" in line


@pytest.mark.parametrize("args", [
    ["--format", "xml", str(THREAD)],
    ["--no-such-option", str(THREAD)],
    ["--family", "no-such-family", str(THREAD)],
    ["--input-format", "pdf", str(THREAD)],
])
def test_exit_2_on_usage_errors(args):
    result = invoke(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert result.stdout == ""  # nothing was processed


def test_unknown_command_is_a_usage_error():
    result = runner().invoke(main, ["clean-everything"])
    assert result.exit_code == 2


def test_help_shows_examples():
    result = runner().invoke(main, ["extract", "--help"])
    assert result.exit_code == 0
    out = result.stdout
    assert "Examples:" in out
    for example in ("forumclean extract page.html", "--format json", "--format jsonl", "extract -",
                    "-o cleaned/"):
        assert example in out
    assert "Exit status" in out
    assert runner().invoke(main, ["--help"]).exit_code == 0


# -- one real process --------------------------------------------------------------------------------

def test_real_process(crawl: Path, tmp_path: Path):
    """``python -m forumclean extract`` end to end: stdin, several files, output folder, exit codes."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))

    def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "forumclean", "extract", *args], input=stdin,
                              capture_output=True, env=env, cwd=tmp_path, timeout=120)

    # stdin
    p = run("--format", "json", "-", stdin=GBK.read_bytes())
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout.decode("utf-8"))["title"] == GBK_TITLE

    # several files plus a missing one: the rest is processed, exit 1, one clean line on stderr
    p = run("--format", "jsonl", str(THREAD), "missing.html", str(PORTAL))
    assert p.returncode == 1
    records = jsonl(p.stdout.decode("utf-8"))
    assert [r.get("title") for r in records] == [THREAD_TITLE, None, PORTAL_TITLE]
    assert records[1]["input"] == "missing.html" and records[1]["error"]["type"]
    stderr = p.stderr.decode("utf-8")
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1 and "missing.html" in stderr

    # output folder, relative layout kept, nothing left over
    out = tmp_path / "cleaned"
    p = run("--format", "json", "-o", str(out), str(crawl))
    assert p.returncode == 0, p.stderr
    assert sorted(outputs(out)) == ["bbs/2024/t501", "bbs/t45120", "news/a356"]
    assert not [q for q in out.rglob("*") if q.name.startswith(".")]

    # usage error
    p = run("--format", "xml", str(THREAD))
    assert p.returncode == 2
    assert b"Traceback" not in p.stderr


# -- the README shows real output ------------------------------------------------------------------

def readme_block(command: str) -> str:
    """The console output printed under ``$ command`` in README.md."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"$ {command}\n") + len(command) + 3
    return readme[start:readme.index("```", start)]


def test_readme_commands_show_real_output(monkeypatch):
    page = "fixtures/x35-thread-quote.html"
    monkeypatch.chdir(ROOT)  # the README runs the commands from the repository root
    text = invoke(page).stdout
    as_json = invoke("--format", "json", page).stdout
    assert readme_block(f"forumclean extract {page}") == text
    assert readme_block(f"forumclean extract --format json {page}") == as_json
