"""Shared test helpers: where the fixtures and the real-page corpus live."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def run_forumclean(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """``python -m forumclean ARGS`` run from ``cwd`` with this checkout's package, output captured."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "forumclean", *args], input=stdin, capture_output=True,
                          env=env, cwd=cwd, timeout=120)


def html_roots(folder: Path) -> list:
    """The parsed trees of the ``*.html`` pages in ``folder`` (pages forumclean refuses left out)."""
    from forumclean.errors import ForumcleanError
    from forumclean.pipeline import read_page

    roots = []
    for path in sorted(folder.glob("*.html")):
        try:
            roots.append(read_page(path.read_bytes(), input_format="html").root)
        except ForumcleanError:
            continue
    return roots


@pytest.fixture(scope="module")
def fixture_roots() -> list:
    """The fixture pages' trees, parsed once per test module (a module's checks may move posts)."""
    roots = html_roots(FIXTURES)
    assert len(roots) > 50
    return roots


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"real-page corpus not found at {CORPUS} (it sits beside the checkout in CI)")
    return CORPUS
