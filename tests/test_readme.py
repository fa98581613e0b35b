"""README.md tells the truth: every ``console`` example is run and its output compared, and the
tables of fields and error types are the code's."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT

from forumclean.errors import error_types
from forumclean.model import Document, Post

README = (ROOT / "README.md").read_text(encoding="utf-8")
ELLIPSIS = "…"


def console_examples() -> list[tuple[str, str]]:
    """(command, output shown) for every ``$ command`` line of the README's console blocks."""
    out = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        command, shown = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    out.append((command, "\n".join(shown)))
                command, shown = line[2:], []
            else:
                shown.append(line)
        if command is not None:
            out.append((command, "\n".join(shown)))
    return out


def run_shell(command: str) -> str:
    """The command as the README's reader runs it, from the repository root, with this
    checkout's forumclean."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PY=sys.executable)
    script = 'forumclean() { "$PY" -m forumclean "$@"; }\nset -o pipefail\n' + command
    p = subprocess.run(["bash", "-c", script], capture_output=True, env=env, cwd=ROOT, timeout=120,
                       stdin=subprocess.DEVNULL)
    assert p.returncode == 0, p.stderr.decode()
    return p.stdout.decode("utf-8")


def assert_shows(shown: str, actual: str) -> None:
    """Equal, or for an excerpt (lines of ``…`` where output is left out) each shown run of lines
    found in the output, in order."""
    lines = actual.rstrip("\n").split("\n")
    shown_lines = shown.rstrip("\n").split("\n")
    if ELLIPSIS not in shown_lines:
        assert shown_lines == lines
        return
    at = 0
    runs: list[list[str]] = [[]]
    for line in shown_lines:
        if line == ELLIPSIS:
            runs.append([])
        else:
            runs[-1].append(line)
    for run in (r for r in runs if r):
        for i in range(at, len(lines) - len(run) + 1):
            if lines[i:i + len(run)] == run:
                at = i + len(run)
                break
        else:
            raise AssertionError(f"not in the output (after line {at}):\n" + "\n".join(run))


EXAMPLES = console_examples()


def test_the_readme_has_console_examples():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("command,shown", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_console_example_shows_real_output(command: str, shown: str):
    assert_shows(shown, run_shell(command))


def test_json_field_table_is_the_documents_fields():
    section = README[README.index("## The JSON document"):]
    section = section[:section.index("\n## ")]
    names = set()
    for row in re.findall(r"^\| ([^|]+) \|", section, re.M):
        names.update(re.findall(r"`(\w+)`", row))
    rows = re.findall(r"^\| `(\w+)`", section, re.M)
    assert len(rows) == len(set(rows)), "a field listed twice"
    doc = Document(kind="none").to_dict()
    assert names == set(doc)
    post_fields = re.search(r"`posts` \| list of `\{([^}]*)\}`", section).group(1)
    assert [f.strip() for f in post_fields.split(",")] == [f.name for f in dataclasses.fields(Post)]


def test_error_types_listed_are_the_codes():
    listed = re.search(r"\(types: (.*?)\)\.", README, re.S).group(1)
    assert sorted(re.findall(r"`([a-z-]+)`", listed)) == error_types()
