"""Installation: the lexicons travel with the package, a broken install says so, `--version`.

`test_installed_package_writes_what_the_source_writes` is the real thing: a copy of the
checkout is installed into a fresh venv (`pip install DIR`, the wheel `python -m build` makes,
`pip install -e DIR`), and `planlens run` from another folder must write, byte for byte, what
the source tree writes. It takes a minute or two (marked `install`; CI runs it).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from pipeline import __version__, lexicons

REPO = Path(__file__).resolve().parent.parent
# What a clone would not carry (or what a build leaves behind).
NOT_IN_A_CLONE = shutil.ignore_patterns(".git", "outputs", "build", "dist", "*.egg-info", "__pycache__",
                                        ".pytest_cache", ".hypothesis", ".benchmarks", ".venv")


def _run(args, cwd, env=None, timeout=600):
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def _tree(folder: Path):
    """{relative path: bytes} of every file under `folder`."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PLANLENS_LEXICONS", "VIRTUAL_ENV")}
    env.update(extra)
    return env


def test_version_option_prints_the_package_version():
    done = _run([sys.executable, "-m", "pipeline", "--version"], cwd=REPO)
    assert done.stdout.strip() == f"planlens {__version__}"


def test_lexicons_are_read_from_the_checkout_when_not_installed():
    assert lexicons.lexicon_dir() == REPO / "lexicons"


@pytest.mark.parametrize("missing,command", [("units.tsv", "extract"), ("units.tsv", "run"),
                                             ("userdict.txt", "run")])  # extract never segments
def test_a_missing_lexicon_is_one_line_about_the_installation_not_the_input(tmp_path, missing, command):
    broken = tmp_path / "lexicons"
    shutil.copytree(REPO / "lexicons", broken)
    (broken / missing).unlink()
    plan = tmp_path / "plan.txt"
    plan.write_text("学校党支部2026年工作计划\n一、主要工作\n支部委员会每月召开1次会议。\n", encoding="utf-8")
    env = _clean_env(PYTHONPATH=str(REPO), PLANLENS_LEXICONS=str(broken))
    args = [command, plan] + (["-o", tmp_path / "out"] if command == "run" else [])
    done = subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    lines = done.stderr.splitlines()
    assert done.returncode == 1
    assert lines == [f"planlens: installation is missing lexicons/{missing} (looked in PLANLENS_LEXICONS={broken})"]


def test_a_malformed_lexicon_names_the_file_and_line_not_the_input(tmp_path):
    broken = tmp_path / "lexicons"
    shutil.copytree(REPO / "lexicons", broken)
    good = (REPO / "lexicons" / "units.tsv").read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(good) if line.strip() and not line.startswith("#"))
    bad = good[:header + 1] + ["次" + "\t" * (good[header].count("\t") + 2) + "x"] + good[header + 1:]
    (broken / "units.tsv").write_text("\n".join(bad) + "\n", encoding="utf-8")
    plan = tmp_path / "plan.txt"
    plan.write_text("学校党支部2026年工作计划\n一、主要工作\n支部委员会每月召开1次会议。\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(plan)], cwd=tmp_path,
                          env=_clean_env(PYTHONPATH=str(REPO), PLANLENS_LEXICONS=str(broken)),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [done.stderr.strip()]
    assert f"lexicons/units.tsv:{header + 2}: " in done.stderr and str(plan) not in done.stderr


@pytest.mark.install
def test_installed_package_writes_what_the_source_writes(tmp_path):
    clone = tmp_path / "clone"
    shutil.copytree(REPO, clone, ignore=NOT_IN_A_CLONE)
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    # the reference: the source tree itself
    reference = tmp_path / "reference"
    _run([sys.executable, "-m", "pipeline", "run", corpus, "-o", reference], cwd=elsewhere,
         env=_clean_env(PYTHONPATH=str(REPO)))
    expected = _tree(reference)
    assert any(name.endswith(".json") for name in expected) and "planlens.sqlite" in expected

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python, planlens = bindir / "python", bindir / "planlens"
    env = _clean_env(PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")

    def run_installed(name: str) -> None:
        out = tmp_path / name
        _run([planlens, "run", corpus, "-o", out], cwd=elsewhere, env=env)
        assert _tree(out) == expected, f"{name}: outputs differ from the source tree's"

    # 1. pip install DIR (what pipx and a plain install do)
    _run([python, "-m", "pip", "install", "-q", clone], cwd=elsewhere, env=env)
    run_installed("out-install")

    # a broken installation says so, in one line, naming no input
    installed = Path(_run([python, "-c", "import pipeline.lexicons as l; print(l.lexicon_dir())"],
                          cwd=elsewhere, env=env).stdout.strip())
    assert installed.parts[-3:] == ("pipeline", "data", "lexicons") and "site-packages" in installed.parts
    (installed / "units.tsv").rename(installed / "units.tsv.away")
    done = subprocess.run([str(planlens), "run", str(corpus), "-o", str(tmp_path / "broken")], cwd=elsewhere,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"planlens: installation is missing lexicons/units.tsv (looked in {installed})"]
    (installed / "units.tsv.away").rename(installed / "units.tsv")

    # 2. the wheel `python -m build` makes from the clone
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", dist, clone], cwd=elsewhere, env=_clean_env())
    wheel = next(dist.glob("planlens-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for lexicon in (REPO / "lexicons").iterdir():
        assert f"pipeline/data/lexicons/{lexicon.name}" in names
    assert "pipeline/schema/plan.schema.json" in names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    _run([python, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", wheel], cwd=elsewhere, env=env)
    run_installed("out-wheel")

    # 3. pip install -e DIR
    _run([python, "-m", "pip", "uninstall", "-q", "-y", "planlens"], cwd=elsewhere, env=env)
    _run([python, "-m", "pip", "install", "-q", "--no-deps", "-e", clone], cwd=elsewhere, env=env)
    run_installed("out-editable")
