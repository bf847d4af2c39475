"""The quality gate as part of the suite: every pinned floor (seeds, dev set, real development
pages read in place from ../shared/eval/real) must hold for the code under test."""
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def test_every_pinned_floor_holds():
    if not (SHARED / "eval" / "score.py").is_file():  # under CI a skip fails the run (conftest.py)
        pytest.skip(f"the quality gate needs the evaluation set beside the repository ({SHARED})")
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "quality_gate.py"), "--shared", str(SHARED)],
                          capture_output=True, text=True, timeout=900, cwd=REPO)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "quality gate: passed" in done.stdout
