"""Comparison exports: six files, whole and byte-identical across runs, readable by networkx, escaped,
and an HTML page that opens in a headless browser with no console errors and no network requests."""
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from pipeline import cli
from pipeline.core import extract_file, extract_text
from pipeline.errors import OutputError
from pipeline.export import compare as compare_export
from pipeline.export.compare import OUTPUT_NAMES, write_comparison


@pytest.fixture(scope="module")
def seed_results(seed_paths):
    return [extract_file(p) for p in seed_paths]


@pytest.fixture(scope="module")
def seed_outputs(seed_results, tmp_path_factory):
    out = tmp_path_factory.mktemp("compare")
    paths = write_comparison(seed_results, out)
    return out, paths


def test_six_files_written_and_nothing_else(seed_outputs):
    out, paths = seed_outputs
    assert [p.name for p in paths] == list(OUTPUT_NAMES)
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_NAMES)  # no temp files left


def test_two_runs_are_byte_identical(seed_results, seed_outputs, tmp_path):
    out, _ = seed_outputs
    write_comparison(list(reversed(seed_results)), tmp_path)
    for name in OUTPUT_NAMES:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_graph_files_read_back(seed_outputs):
    out, _ = seed_outputs
    for g in (nx.read_graphml(out / "graph.graphml"), nx.read_gexf(out / "graph.gexf"),
              nx.node_link_graph(json.loads((out / "graph.json").read_text(encoding="utf-8")), edges="links")):
        plans = [n for n, d in g.nodes(data=True) if d["kind"] == "plan"]
        measures = [n for n, d in g.nodes(data=True) if d["kind"] == "measure"]
        assert len(plans) == 6 and len(measures) >= 25
        sanhui = [n for n, d in g.nodes(data=True) if d.get("label") == "三会一课"][0]
        assert {n for n in g[sanhui] if n in plans} == set(plans)


def test_compare_json_shape(seed_outputs):
    data = json.loads((seed_outputs[0] / "compare.json").read_text(encoding="utf-8"))
    assert data["schema"] == compare_export.COMPARE_SCHEMA
    assert [p["letter"] for p in data["plans"]] == list("ABCDEF")
    assert "三会一课" in data["spread"]["common"]
    n = len(data["plans"])
    assert len(data["similarity"]["jaccard"]) == n and len(data["similarity"]["tfidf_cosine"][0]) == n
    assert len(data["matrix"]["counts"]) == len(data["matrix"]["measures"]) == len(data["measures"])


def test_compare_md_lists_side_by_side_lines(seed_outputs):
    md = (seed_outputs[0] / "compare.md").read_text(encoding="utf-8")
    assert re.search(r"^- 支部委员会: A — · .* · F 每月≥1次", md, re.M)


HOSTILE = [
    pytest.param("<script>alert(1)</script>", id="script-tag"),
    pytest.param('a"b\'c&d', id="quotes-and-ampersand"),
    pytest.param("甲|乙", id="pipe-in-markdown"),
]


@pytest.mark.parametrize("title", HOSTILE)
def test_plan_text_is_escaped(title, tmp_path):
    results = [extract_text(f"{title}2026年党建工作计划\n一、组织生活\n落实三会一课制度。", path=f"p{i}.txt")
               for i in range(2)]
    write_comparison(results, tmp_path)
    html = (tmp_path / "compare.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "alert(1)</script>" not in html
    md = (tmp_path / "compare.md").read_text(encoding="utf-8")
    if "|" in title:
        assert "甲\\|乙" in md


def test_html_is_self_contained(seed_outputs):
    html = (seed_outputs[0] / "compare.html").read_text(encoding="utf-8")
    assert "<script src" not in html and "@import" not in html and "url(" not in html
    refs = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert refs == ["data:,"]  # the empty favicon, so that no browser asks for /favicon.ico
    assert set(re.findall(r"https?://[^\s\"<]+", html)) == {"http://www.w3.org/2000/svg"}
    data = re.search(r'<script type="application/json" id="planlens-data">(.*?)</script>', html, re.S).group(1)
    assert len(json.loads(data)["plans"]) == 6


def test_failed_write_leaves_old_file_and_no_temp(seed_results, tmp_path, monkeypatch):
    write_comparison(seed_results, tmp_path)
    before = (tmp_path / "compare.md").read_bytes()

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputError, match="graph.graphml"):
        write_comparison(seed_results[:1], tmp_path)
    assert (tmp_path / "compare.md").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OUTPUT_NAMES)


def test_cli_compare_on_the_seeds(seed_paths, tmp_path):
    result = CliRunner().invoke(cli.main, ["compare", *map(str, seed_paths), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OUTPUT_NAMES)


def test_cli_compare_bad_input_is_one_line_and_exit_1(seed_paths, tmp_path):
    result = CliRunner().invoke(cli.main, ["compare", str(seed_paths[0]), str(tmp_path / "missing.txt"),
                                           "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "missing.txt: no such file" in result.output
    assert (tmp_path / "out" / "compare.html").exists()


# --- the page in a real browser ------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
from browser_proxy import BROWSER_SERVICE_HOSTS, RecordingProxy  # noqa: E402


def open_in_chromium(page: Path, profile: Path):
    """(console lines, hosts the page asked for, dumped DOM) of `page` in headless Chromium."""
    proxy = RecordingProxy()
    try:
        proc = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-default-apps", "--disable-domain-reliability", "--no-pings",
             f"--user-data-dir={profile}", f"--proxy-server=http://127.0.0.1:{proxy.port}",
             "--proxy-bypass-list=<-loopback>", "--enable-logging=stderr", "--v=0",
             "--virtual-time-budget=3000", "--dump-dom", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120)
    finally:
        proxy.close()
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    return console, sorted(set(proxy.hosts) - BROWSER_SERVICE_HOSTS), proc.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium)")
def test_chromium_harness_sees_errors_and_requests(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><meta charset="utf-8"><script>console.error("boom")</script>'
                    '<img src="http://example.invalid/x.png">', encoding="utf-8")
    console, hosts, _ = open_in_chromium(page, tmp_path / "profile")
    assert any("boom" in line for line in console)
    assert "example.invalid" in hosts


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium)")
def test_compare_html_opens_clean_in_chromium(seed_outputs, tmp_path):
    console, hosts, dom = open_in_chromium(seed_outputs[0] / "compare.html", tmp_path / "profile")
    assert console == [] and hosts == []
    assert "<svg" in dom and "三会一课" in dom


@pytest.mark.parametrize("workers", ["0", "-1", "x"])
def test_cli_compare_rejects_bad_worker_counts(seed_paths, tmp_path, workers):
    result = CliRunner().invoke(cli.main, ["compare", str(seed_paths[0]), "-o", str(tmp_path), "--workers", workers])
    assert result.exit_code == 2
