"""The long mutation-fuzz run (``benchmarks/fuzz.py``) as a test: excluded by default.

    python -m pytest -m fuzz -n 0 -s     # 100 000 inputs (FORUMCLEAN_FUZZ_INPUTS to change)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.fuzz
def test_fuzz_run_keeps_the_contract(tmp_path):
    inputs = os.environ.get("FORUMCLEAN_FUZZ_INPUTS", "100000")
    seed = os.environ.get("FORUMCLEAN_FUZZ_SEED", "1")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fuzz.py"), "--inputs", inputs, "--seed", seed,
                           "--save", str(tmp_path / "findings")], env=env, cwd=ROOT)
    assert proc.returncode == 0, f"contract breaks: inputs saved in {tmp_path / 'findings'}"
