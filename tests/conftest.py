"""Shared fixtures: where the repository and its seed corpus are, a helper that
writes a plan to a temp file, and the `--update-golden` switch.

Under CI (`CI` set to anything but "", "0", "false"), a skipped test is reported as a
failure: a test that needs Chromium, LibreOffice or qpdf must run there, never pass by
skipping. Expected failures (xfail) are not skips and stay as they are.

Keep this small and generic: every test module may use it.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, List, Union

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
UPDATE_GOLDEN_ENV = "PLANLENS_UPDATE_GOLDEN"


def under_ci() -> bool:
    """True when the suite runs under CI (the `CI` environment variable is set and not false)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def _fail_skip_under_ci(report) -> None:
    if under_ci() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, which counts as a failure: {_skip_reason(report)}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_skip_under_ci(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_skip_under_ci(outcome.get_result())


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", default=False,
        help="rewrite tests/golden/*/expected.json and outline.txt from the current pipeline "
             f"(same as {UPDATE_GOLDEN_ENV}=1); review the diff before committing")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout's top folder (holds pipeline/, corpus/, lexicons/)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def corpus_dir(repo_root: Path) -> Path:
    """The bundled seed corpus folder."""
    return repo_root / "corpus"


@pytest.fixture(scope="session")
def seed_paths(corpus_dir: Path) -> List[Path]:
    """The seed plan files in corpus/, sorted by name."""
    return sorted(p for p in corpus_dir.iterdir() if p.is_file() and not p.name.startswith("."))


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when golden files may be rewritten (`--update-golden` or PLANLENS_UPDATE_GOLDEN=1)."""
    return bool(request.config.getoption("--update-golden")) or os.environ.get(UPDATE_GOLDEN_ENV) == "1"


WritePlan = Callable[..., Path]


@pytest.fixture
def write_plan(tmp_path: Path) -> WritePlan:
    """Return `write(content, name="plan.txt", encoding="utf-8", newline="\\n") -> Path`.

    Writes `content` under tmp_path (sub-folders in `name` are created). A str is
    encoded with `encoding` after its "\\n" are replaced by `newline`; bytes are
    written as they are.
    """

    def write(content: Union[str, bytes], name: str = "plan.txt", encoding: str = "utf-8",
              newline: str = "\n") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.replace("\n", newline).encode(encoding)
        path.write_bytes(content)
        return path

    return write
