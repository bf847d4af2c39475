"""The web app's API through FastAPI's test client: extract, runs, dashboard, downloads, compare,
limits (413), token and Host checks, upload names never reaching the disk, temp folders removed,
the shipped front end (local files only, plan text never parsed as HTML)."""
from __future__ import annotations

import json
import re
import time
import warnings
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the test client's note about its HTTP library
    from fastapi.testclient import TestClient

from pipeline import cli
from pipeline.export.compare import COMPARE_SCHEMA
from pipeline.server import exports
from pipeline.server.app import ServerConfig, guarded_app, is_loopback
from pipeline.server.dashboard import compliance_of, dashboard_from_compare, outcome_word
from pipeline.server.runs import disk_name, display_name, temp_folders

BASE = "http://127.0.0.1:8765"
PLAN = "2026年党建工作计划\n一、组织生活\n落实三会一课制度，每月至少召开1次支部委员会。\n二、学习\n全年不少于4次集中学习。\n"
STATIC = Path(__file__).resolve().parent.parent / "pipeline" / "server" / "static"


def client(**config) -> TestClient:
    return TestClient(guarded_app(ServerConfig(**config)), base_url=BASE)


@pytest.fixture()
def temp_root(tmp_path):
    root = tmp_path / "tmp"
    root.mkdir()
    return root


@pytest.fixture()
def api(temp_root):
    return client(temp_root=str(temp_root))


def wait_done(c: TestClient, run_id: str, timeout: float = 120) -> dict:
    end = time.time() + timeout
    while time.time() < end:
        state = c.get(f"/api/runs/{run_id}").json()
        if state["status"] in ("done", "error"):
            return state
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not finish in {timeout} s")


def seed_files(seed_paths):
    return [("files", (p.name, p.read_bytes(), "text/plain")) for p in seed_paths]


# --- extract -----------------------------------------------------------------------------


def test_extract_text_gives_the_per_file_json(api, repo_root):
    r = api.post("/api/extract", data={"text": PLAN, "name": "我的计划.txt"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"run", "files"} and len(body["files"]) == 1
    schema = json.loads((repo_root / "pipeline/schema/plan.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(body["files"][0], schema)
    doc = body["files"][0]["documents"][0]
    assert body["files"][0]["source"]["path"] == "我的计划.txt"
    assert [s["title"] for s in doc["sections"]] == ["组织生活", "学习"]
    assert any(c["quote"] == "每月至少召开1次" for c in doc["commitments"])


def test_extract_files_bad_ones_are_reported_the_rest_read(api, temp_root):
    files = [("files", ("good.txt", PLAN.encode("utf-8"), "text/plain")),
             ("files", ("empty.txt", b"", "text/plain")),
             ("files", ("tool.exe", b"MZ\x00\x01binary", "application/octet-stream"))]
    r = api.post("/api/extract", files=files)
    assert r.status_code == 200, r.text
    out = r.json()["files"]
    assert [f["status"] for f in out] == ["ok", "error", "error"]
    assert out[0]["documents"] and out[0]["source"]["path"] == "good.txt"
    assert out[1]["source"]["path"] == "empty.txt" and "empty" in out[1]["problems"][0]
    assert "unsupported file type '.exe'" in out[2]["problems"][0]
    assert temp_folders(str(temp_root)) == []  # the upload folder is gone


def test_a_failure_on_pasted_text_is_its_problem_not_a_500(api, monkeypatch):
    def broken(text, path):
        raise RuntimeError("boom")
    monkeypatch.setattr("pipeline.server.runs.extract_text", broken)
    r = api.post("/api/extract", data={"text": PLAN, "name": "x.txt"})
    assert r.status_code == 200
    f = r.json()["files"][0]
    assert f["status"] == "error" and f["problems"] == ["internal error (RuntimeError: boom)"]


def test_extract_needs_files_or_text(api):
    r = api.post("/api/extract", data={"text": "   "})
    assert r.status_code == 400 and "files" in r.json()["detail"]


@pytest.mark.parametrize("name, shown", [
    ("../../evil.txt", "evil.txt"),
    ("/etc/cron.d/x.txt", "etc/cron.d/x.txt"),
    ("..\\..\\windows\\x.txt", "windows/x.txt"),
])
def test_upload_names_are_shown_never_used_on_disk(api, temp_root, tmp_path, name, shown):
    before = sorted(p.name for p in tmp_path.iterdir())
    r = api.post("/api/extract", files=[("files", (name, PLAN.encode("utf-8"), "text/plain"))])
    assert r.status_code == 200, r.text
    f = r.json()["files"][0]
    assert f["source"]["path"] == shown
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written beside the temp root
    assert not Path("/tmp/evil.txt").exists() and list(temp_root.iterdir()) == []


@pytest.mark.parametrize("raw, position, shown, disk", [
    ("学校/计划.DOCX", 4, "学校/计划.DOCX", "00004.docx"),
    ("C:\\plans\\a.pdf", 0, "plans/a.pdf", "00000.pdf"),
    ("x.tar.gz;rm -rf", 1, "x.tar.gz;rm -rf", "00001"),
    ("./././", 2, "upload-3", "00002"),
    ("a\x00b\n\u202e.txt", 5, "ab.txt", "00005.txt"),
    ("a" * 300 + ".txt", 3, "a" * 196 + ".txt", "00003.txt"),
])
def test_display_and_disk_names(raw, position, shown, disk):
    assert display_name(raw, position) == shown
    assert disk_name(display_name(raw, position), position) == disk


# --- batches, dashboard, downloads ----------------------------------------------------------


def test_batch_of_seeds_reads_compares_and_downloads(api, seed_paths, temp_root):
    r = api.post("/api/runs", files=seed_files(seed_paths))
    assert r.status_code == 202, r.text
    run = r.json()["run"]
    state = wait_done(api, run)
    assert state["status"] == "done" and state["done"] == state["total"] == len(seed_paths)
    assert sum(len(f["plans"]) for f in state["files"]) == 6
    assert api.get(f"/api/runs/{run}?since=1").json()["files"][0]["index"] == 1
    dash = api.get(f"/api/runs/{run}/dashboard").json()
    assert len(dash["plans"]) == 6
    m = [x["name"] for x in dash["measures"]].index("三会一课")
    assert all(any(mi == m for mi, _ in p["measures"]) for p in dash["plans"])
    assert dash["graph"]["mode"] == "plans" and dash["graph"]["nodes"]
    assert all(len(row) <= 5 for row in dash["similar"]["jaccard"])
    p = dash["plans"][-1]
    f = api.get(f"/api/runs/{run}/files/{p['file']}").json()
    assert f["documents"][p["doc"]]["title"] == p["title"]
    md = api.get(f"/api/runs/{run}/files/{p['file']}/download/md")
    assert md.status_code == 200 and md.text.startswith("# ") and "三会一课" in md.text
    assert md.headers["content-disposition"].startswith('attachment; filename="002_')
    js = api.get(f"/api/runs/{run}/files/{p['file']}/download/json")
    assert js.json()["documents"][p["doc"]]["title"] == p["title"]
    assert api.get(f"/api/runs/{run}/files/0/download/docx").status_code == 404
    assert temp_folders(str(temp_root)) == []
    assert api.delete(f"/api/runs/{run}").status_code == 200
    assert api.get(f"/api/runs/{run}").status_code == 404


def test_a_batch_with_a_bad_file_goes_on(api):
    files = [("files", ("a.txt", PLAN.encode("utf-8"), "text/plain")), ("files", ("b.txt", b"", "text/plain")),
             ("files", ("c.txt", PLAN.replace("党建", "支部").encode("utf-8"), "text/plain"))]
    run = api.post("/api/runs", files=files).json()["run"]
    state = wait_done(api, run)
    assert [f["status"] for f in state["files"]] == ["ok", "error", "ok"] and state["errors"] == 1
    assert state["files"][1]["problems"] and state["files"][1]["name"] == "b.txt"
    assert len(api.get(f"/api/runs/{run}/dashboard").json()["plans"]) == 2
    assert api.get(f"/api/runs/{run}/files/1/download/md").status_code == 409


def test_unknown_run_is_404(api):
    assert api.get("/api/runs/nope").status_code == 404
    assert api.get("/api/runs/nope/dashboard").status_code == 404


def test_compare_endpoint_gives_compare_json_and_dashboard(api, seed_paths):
    r = api.post("/api/compare", files=seed_files(seed_paths))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["schema"] == COMPARE_SCHEMA and len(body["plans"]) == 6
    assert "三会一课" in body["spread"]["common"] and len(body["dashboard"]["plans"]) == 6
    run = api.post("/api/extract", data={"text": PLAN}).json()["run"]
    again = api.post("/api/compare", data={"run": run}).json()
    assert len(again["plans"]) == 1


def test_formats_registry():
    names = [e.name for e in exports.available_formats()]
    assert names[:1] == ["md"] and "json" in names
    assert set(names) <= set(exports.EXPORTERS)
    with pytest.raises(KeyError):
        exports.export_bytes("nope", None)


def test_a_format_whose_writer_is_missing_is_not_offered(monkeypatch, api):
    monkeypatch.setitem(exports.EXPORTERS, "odt", exports.Exporter(
        "odt", "pipeline.export.no_such_module", lambda result: "", "application/x", ".odt", "missing"))
    assert "odt" not in [f["name"] for f in api.get("/api/formats").json()]


# --- limits and safety ------------------------------------------------------------------------


def test_too_many_files_is_413(temp_root):
    c = client(max_files=2, temp_root=str(temp_root))
    files = [("files", (f"{i}.txt", PLAN.encode("utf-8"), "text/plain")) for i in range(3)]
    for path in ("/api/extract", "/api/runs"):
        r = c.post(path, files=files)
        assert r.status_code == 413 and "too many files: 3" in r.json()["detail"]
    assert temp_folders(str(temp_root)) == []


def test_too_large_upload_is_413(temp_root):
    c = client(max_upload_bytes=4096, temp_root=str(temp_root))
    r = c.post("/api/extract", files=[("files", ("big.txt", ("计划" * 4000).encode("utf-8"), "text/plain"))])
    assert r.status_code == 413 and "upload too large" in r.json()["detail"]


def test_too_large_streamed_body_is_413():
    c = client(max_upload_bytes=4096)

    def body():
        for _ in range(10):
            yield b"x" * 1000
    r = c.post("/api/extract", content=body(), headers={"content-type": "multipart/form-data; boundary=zz"})
    assert r.status_code == 413 and "upload too large" in r.json()["detail"]


def test_pasted_text_limit_is_413():
    c = client(max_text_chars=100)
    r = c.post("/api/extract", data={"text": PLAN * 10})
    assert r.status_code == 413 and "pasted text too long" in r.json()["detail"]


def test_host_header_must_name_this_machine():
    c = client()
    assert c.get("/api/formats", headers={"host": "attacker.example"}).status_code == 421
    for host in ("127.0.0.1:8765", "localhost:8765", "[::1]:8765"):
        assert c.get("/api/formats", headers={"host": host}).status_code == 200


def test_requests_from_other_sites_pages_are_refused():
    c = client()
    for origin in ("http://attacker.example", "null", "http://127.0.0.1.attacker.example:8765"):
        r = c.post("/api/extract", data={"text": PLAN}, headers={"origin": origin})
        assert r.status_code == 403 and "refused" in r.json()["detail"], origin
    assert c.post("/api/extract", data={"text": PLAN}, headers={"origin": BASE}).status_code == 200


def test_token_is_checked_on_every_request():
    c = TestClient(guarded_app(ServerConfig(host="0.0.0.0", token="s3cret", allowed_hosts=None)),
                   base_url="http://192.0.2.10:8765")
    for path in ("/", "/api/formats", "/static/app.js", "/openapi.json"):
        r = c.get(path)
        assert r.status_code == 401 and "token required" in r.json()["detail"], path
    assert c.get("/api/formats", headers={"authorization": "Bearer wrong"}).status_code == 401
    assert c.get("/api/formats", headers={"authorization": "Bearer s3cret"}).status_code == 200
    assert c.get("/api/formats", headers={"x-planlens-token": "s3cret"}).status_code == 200
    assert c.post("/api/extract", data={"text": PLAN}).status_code == 401
    page = c.get("/?token=s3cret")
    assert page.status_code == 200 and "planlens_token=s3cret" in page.headers["set-cookie"]
    assert "HttpOnly" in page.headers["set-cookie"]
    assert c.get("/api/formats").status_code == 200  # the cookie now carries it
    c.cookies.clear()
    assert c.get("/api/formats").status_code == 401


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                            ("127.0.0.2", True), ("0.0.0.0", False), ("192.168.1.5", False)])
def test_loopback_names(host, loopback):
    assert is_loopback(host) is loopback


def test_serve_elsewhere_needs_a_token_and_warns(monkeypatch):
    seen = {}
    monkeypatch.setattr("pipeline.server.app.serve", lambda config, open_browser=False: seen.update(config=config))
    r = CliRunner().invoke(cli.main, ["serve", "--host", "0.0.0.0"])
    assert r.exit_code == 2 and "--token" in r.output and not seen
    r = CliRunner().invoke(cli.main, ["serve", "--host", "0.0.0.0", "--token", "t", "--port", "9000"])
    assert r.exit_code == 0, r.output
    assert "warning: listening on 0.0.0.0" in r.output
    assert seen["config"].token == "t" and seen["config"].allowed_hosts is None and seen["config"].port == 9000
    r = CliRunner().invoke(cli.main, ["serve", "--max-files", "7"])
    assert r.exit_code == 0 and seen["config"].host == "127.0.0.1" and seen["config"].max_files == 7
    assert seen["config"].allowed_hosts and "warning" not in r.output


# --- documentation and the front end -----------------------------------------------------------


def test_openapi_documents_the_api(api):
    doc = api.get("/openapi.json").json()
    for path in ("/api/extract", "/api/compare", "/api/runs", "/api/runs/{run_id}",
                 "/api/runs/{run_id}/dashboard", "/api/runs/{run_id}/files/{index}/download/{fmt}"):
        assert path in doc["paths"], path
    assert "multipart/form-data" in doc["paths"]["/api/extract"]["post"]["requestBody"]["content"]
    page = api.get("/docs")
    assert page.status_code == 200 and "/openapi.json" in page.text


def test_pages_load_only_local_files(api):
    for path in ("/", "/docs"):
        html = api.get(path).text
        refs = re.findall(r'(?:src|href)="([^"]*)"', html)
        assert refs and all(r.startswith("/") or r == "data:," for r in refs), refs
        for r in refs:
            if r.startswith("/static/"):
                assert api.get(r).status_code == 200, r


def test_static_files_reach_no_network_and_never_parse_text_as_html():
    for f in sorted(STATIC.iterdir()):
        text = f.read_text(encoding="utf-8")
        urls = set(re.findall(r"https?://[^\s\"'<>)]+", text))
        assert urls <= {"http://www.w3.org/2000/svg"}, (f.name, urls)
        if f.suffix == ".js":
            for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
                assert sink not in text, (f.name, sink)
        assert "@import" not in text and "url(" not in text, f.name


# --- the dashboard adapter ------------------------------------------------------------------------


def small_compare():
    return {
        "plans": [{"letter": "A", "id": "a.txt#0", "title": "甲", "source": "a.txt", "index": 0, "commitments": 2},
                  {"letter": "B", "id": "b.txt#0", "title": "乙", "source": "b.txt", "index": 0, "commitments": 0},
                  {"letter": "C", "id": "c.txt#0", "title": "丙", "source": "c.txt", "index": 0, "commitments": 1}],
        "measures": [{"name": "三会一课", "category": "组织生活", "plans": ["A", "B", "C"],
                      "mentions": {"A": 2, "B": 1, "C": 1}, "community": 0},
                     {"name": "主题党日", "category": "组织生活", "plans": ["A"], "mentions": {"A": 3}, "community": 0}],
        "side_by_side": [{"measure": "主题党日", "cells": {"A": "每月≥1次", "B": "—", "C": "—"}}],
        "similarity": {"jaccard": [[1.0, 0.5, 0.5], [0.5, 1.0, 1.0], [0.5, 1.0, 1.0]],
                       "tfidf_cosine": [[1.0, 0.2, 0.0], [0.2, 1.0, 0.7], [0.0, 0.7, 1.0]]},
        "gaps": [{"plan": "B", "measure": "主题党日", "status": "omitted", "committed": 1, "others": 2}],
        "legend": {"not_named": "—", "named_without_number": "提及"},
    }


def test_dashboard_adapter_reads_compare_json():
    extras = {"a.txt#0": {"file": 0, "doc": 0, "compliance": [{"norm": "支部委员会 每月≥1次", "outcome": "meets", "detail": "每月≥1次"}]},
              "b.txt#0": {"file": 1, "doc": 0, "compliance": [{"norm": "支部委员会 每月≥1次", "outcome": "missing", "detail": ""},
                                                             {"norm": "党课 每季度≥1次", "outcome": "weaker", "detail": "每年≥2次"}]},
              "c.txt#0": {"compliance": [], "compliance_note": "团委: the 条例 does not apply"}}
    d = dashboard_from_compare(small_compare(), None, extras)
    assert [p["measures"] for p in d["plans"]] == [[[0, 2], [1, 3]], [[0, 1]], [[0, 1]]]
    assert d["side"] == [{"measure": 1, "cells": [[0, "每月≥1次"]]}]
    assert d["similar"]["jaccard"][1] == [[2, 1.0], [0, 0.5]]
    assert d["similar"]["cosine"][0] == [[1, 0.2]]  # zero scores are not similar
    assert d["norms"] == ["支部委员会 每月≥1次", "党课 每季度≥1次"]
    assert d["compliance"] == [[[0, "meets", "每月≥1次"]], [[0, "missing", ""], [1, "weaker", "每年≥2次"]], []]
    assert d["plans"][2]["compliance_note"].startswith("团委")
    assert d["gaps"] == [{"plan": 1, "measure": 1, "status": "omitted", "committed": 1, "others": 2}]
    assert d["plans"][1]["file"] == 1 and d["plans"][2]["file"] is None
    assert dashboard_from_compare({})["plans"] == []


def test_dashboard_adapter_reads_top_k_nearest():
    compare = small_compare()
    compare["similarity"] = {"nearest": [
        {"plan": "A", "jaccard": [{"plan": "B", "score": 0.5}, {"plan": "C", "score": 0.25}], "tfidf_cosine": []},
        {"plan": "B", "jaccard": [{"plan": "C", "score": 1.0}], "tfidf_cosine": [{"plan": "C", "score": 0.7}]},
        {"plan": "C", "jaccard": [], "tfidf_cosine": [{"plan": "B", "score": 0.7}, {"plan": "ZZ", "score": 0.1}]}],
        "jaccard": None, "tfidf_cosine": None}
    compare["side_by_side"] = [{"measure": "主题党日", "cells": {"A": "每月≥1次"}}]  # only plans naming it
    d = dashboard_from_compare(compare)
    assert d["similar"]["jaccard"] == [[[1, 0.5], [2, 0.25]], [[2, 1.0]], []]
    assert d["similar"]["cosine"] == [[], [[2, 0.7]], [[1, 0.7]]]
    assert d["side"] == [{"measure": 1, "cells": [[0, "每月≥1次"]]}]


@pytest.mark.parametrize("value, word", [
    ("meets", "meets"), ("weaker", "weaker"), ("vague", "vague"), ("missing", "missing"),
    ("MISSING", "missing"), (None, "unknown"), ("met", "unknown"), (True, "unknown"),
])
def test_outcome_words(value, word):
    assert outcome_word(value) == word


def test_compliance_of_a_document():
    doc = {"compliance": {"checked": True, "organisation": "党支部", "reason": "", "norms": "lexicons/norms.tsv",
                          "checks": [{"practice": "党课", "required": "每季度≥1次", "outcome": "vague", "plan": "",
                                      "note": "named without a number"},
                                     {"practice": "支部委员会", "required": "每月≥1次", "outcome": "meets", "plan": "每月≥1次"},
                                     {"outcome": "meets"}, "junk"]}}
    assert compliance_of(doc) == ([{"norm": "党课 每季度≥1次", "outcome": "vague", "detail": "named without a number"},
                                   {"norm": "支部委员会 每月≥1次", "outcome": "meets", "detail": "每月≥1次"}], None)
    assert compliance_of({"compliance": {"checked": False, "reason": "团委 is no party body", "checks": []}}) == \
        ([], "团委 is no party body")
    assert compliance_of({}) == ([], None) and compliance_of({"compliance": None}) == ([], None)


def test_the_xlsx_and_ics_downloads_call_their_writers(monkeypatch, api):
    import sys
    import types
    seen = {}
    xlsx = types.ModuleType("pipeline.export.xlsx")
    xlsx.workbook_bytes = lambda documents: seen.setdefault("xlsx", b"PK\x03\x04" + str(len(documents)).encode())
    ics = types.ModuleType("pipeline.export.ics")
    ics.calendar_text = lambda documents, keys: seen.setdefault("ics", "BEGIN:VCALENDAR\r\n" + ",".join(keys))
    monkeypatch.setitem(sys.modules, "pipeline.export.xlsx", xlsx)
    monkeypatch.setitem(sys.modules, "pipeline.export.ics", ics)
    assert [f["name"] for f in api.get("/api/formats").json()] == ["md", "xlsx", "ics", "json"]
    run = api.post("/api/extract", files=[("files", ("学校/计划.txt", PLAN.encode("utf-8"), "text/plain"))]).json()["run"]
    r = api.get(f"/api/runs/{run}/files/0/download/xlsx")
    assert r.status_code == 200 and r.content == b"PK\x03\x041"
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''%E8%AE%A1%E5%88%92.xlsx" in r.headers["content-disposition"]
    r = api.get(f"/api/runs/{run}/files/0/download/ics")
    assert r.text == "BEGIN:VCALENDAR\r\n计划.txt#0" and r.headers["content-type"].startswith("text/calendar")


def test_explain_endpoint_gives_the_stages_reasons(monkeypatch, api):
    import sys
    import types
    run = api.post("/api/extract", data={"text": PLAN}).json()["run"]
    monkeypatch.setitem(sys.modules, "pipeline.explain", None)  # no explainer in this install
    assert api.get(f"/api/runs/{run}/files/0/explain").json() == {"available": False, "documents": []}
    fake = types.ModuleType("pipeline.explain")
    section = types.SimpleNamespace(stage="outline", heading="outline: 2 candidates, 2 headings",
                                    lines=("L2 + level 1  一、组织生活  first_of_level+2.0",))
    fake.explain_result = lambda result: tuple((doc, (section,)) for doc in result.documents)
    monkeypatch.setitem(sys.modules, "pipeline.explain", fake)
    body = api.get(f"/api/runs/{run}/files/0/explain").json()
    assert body == {"available": True, "documents": [{"index": 0, "stages": [
        {"stage": "outline", "heading": "outline: 2 candidates, 2 headings",
         "lines": ["L2 + level 1  一、组织生活  first_of_level+2.0"]}]}]}
    assert api.get(f"/api/runs/{run}/files/9/explain").status_code == 404


def test_serve_open_opens_the_page_once_the_server_is_up(monkeypatch):
    import threading
    import uvicorn
    import webbrowser
    from pipeline.server.app import serve
    opened = threading.Event()
    urls = []

    def fake_run(self, sockets=None):
        assert not urls  # nothing opened before the server is up
        self.started = True
        opened.wait(5)
    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    monkeypatch.setattr(webbrowser, "open", lambda url: (urls.append(url), opened.set()))
    serve(ServerConfig(port=8123, token="a b"), open_browser=True)
    assert urls == ["http://127.0.0.1:8123/?token=a%20b"]
