"""Under CI a skipped test fails the run; expected failures and passes are untouched."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = Path(__file__).with_name("conftest.py")
INNER = """
import pytest

def test_passes():
    assert True

def test_skips():
    pytest.skip("no such tool here")

@pytest.mark.skipif(True, reason="marked to skip")
def test_marked():
    pass

@pytest.mark.xfail(strict=True, reason="known miss")
def test_known_miss():
    assert False
"""


@pytest.mark.parametrize("ci,outcomes", [
    ("true", dict(passed=1, failed=1, errors=1, xfailed=1)),  # a skipif mark skips in setup: an error
    ("1", dict(passed=1, failed=1, errors=1, xfailed=1)),
    ("", dict(passed=1, skipped=2, xfailed=1)),
    ("false", dict(passed=1, skipped=2, xfailed=1)),
])
def test_skips_fail_only_under_ci(pytester, monkeypatch, ci, outcomes):
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(test_inner=INNER)
    monkeypatch.setenv("CI", ci)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(**outcomes)
    if outcomes.get("failed"):
        result.stdout.fnmatch_lines(["*skipped under CI, which counts as a failure*no such tool here*"])


def test_a_module_skipped_at_collection_fails_under_ci(pytester, monkeypatch):
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(test_inner="import pytest\npytest.importorskip('no_such_module_xyz')\n\ndef test_x():\n    pass\n")
    monkeypatch.setenv("CI", "true")
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*skipped under CI*no_such_module_xyz*"])
