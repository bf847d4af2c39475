"""The web app and compare.html in a real headless Chromium (Debian's chromium + chromium-driver,
driven by Selenium): drop the seeds, see the comparison, open a plan, tick a task, download it; no
console errors; no request leaves 127.0.0.1; hostile plan text shows as text; filtering 2,000 plans
takes under a second.

Set PLANLENS_UPDATE_SCREENSHOTS=1 to rewrite the README screenshots under docs/.
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

from pipeline.core import extract_text
from pipeline.export.compare import write_comparison
from pipeline.export.html import dashboard_page
from pipeline.server.app import ServerConfig, guarded_app
from pipeline.server.dashboard import dashboard_from_compare

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
DOCS = Path(__file__).resolve().parent.parent / "docs"
UPDATE_SCREENSHOTS = os.environ.get("PLANLENS_UPDATE_SCREENSHOTS") == "1"
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                  "--no-first-run", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-default-apps", "--disable-domain-reliability", "--no-pings",
                  "--window-size=1400,1000", "--lang=zh-CN"]
BROWSER_UI = ("chrome://", "chrome-untrusted://", "devtools://")
from browser_proxy import RecordingProxy  # noqa: E402

HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def _require_browser():
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        pytest.fail(f"browser tests need {', '.join(missing)}: apt-get install chromium chromium-driver "
                    "fonts-noto-cjk (.ci/run does this)", pytrace=False)




@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app served by uvicorn on 127.0.0.1 on a free port, in a thread, for this module."""
    import uvicorn
    temp_root = tmp_path_factory.mktemp("uploads")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = ServerConfig(port=port, temp_root=str(temp_root))
    srv = uvicorn.Server(uvicorn.Config(guarded_app(config), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    end = time.time() + 30
    while not srv.started and time.time() < end:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield {"url": f"http://127.0.0.1:{port}", "temp_root": temp_root}
    srv.should_exit = True
    thread.join(timeout=10)
    sock.close()


class Browser:
    """A Selenium-driven headless Chromium that collects console messages and requested URLs."""

    def __init__(self, downloads: Path):
        _require_browser()
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        self.proxy = RecordingProxy()
        self.profile = tempfile.mkdtemp(prefix="planlens-chromium-")
        self.downloads = downloads
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        options.add_argument(f"--proxy-server=http://127.0.0.1:{self.proxy.port}")
        # The first tab opens on about:blank: chromedriver no longer passes a start page, and
        # Chromium's new-tab page calls Google (www.google.com, its one-google-bar) by itself.
        options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                                  "download.prompt_for_download": False,
                                                  "session.restore_on_startup": 4,
                                                  "session.startup_urls": ["about:blank"],
                                                  "homepage": "about:blank", "homepage_is_newtabpage": False})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        try:
            self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        except Exception:
            self.proxy.close()
            raise
        self.driver.set_script_timeout(30)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        self.console = []
        self.urls = []

    def collect(self):
        """Move new console lines and requested URLs out of the browser's logs."""
        self.console += self.driver.get_log("browser")
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                url, page = message["params"]["request"]["url"], message["params"].get("documentURL", "")
                if not (url.startswith(BROWSER_UI) or page.startswith(BROWSER_UI)):  # the browser's own pages
                    self.urls.append(url)

    def errors(self):
        self.collect()
        return [e for e in self.console if e["level"] in ("SEVERE", "WARNING")]

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def wait(self, condition, timeout=120, what="condition"):
        end = time.time() + timeout
        while time.time() < end:
            value = self.js(f"return ({condition});")
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}: {condition}; console: {self.errors()}")

    def shot(self, name: str, tmp: Path) -> Path:
        path = tmp / name
        self.driver.save_screenshot(str(path))
        if UPDATE_SCREENSHOTS:
            DOCS.mkdir(exist_ok=True)
            shutil.copyfile(path, DOCS / name)
        return path

    def close(self):
        try:
            self.driver.quit()
        finally:
            self.proxy.close()
            shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    b = Browser(tmp_path_factory.mktemp("downloads"))
    yield b
    b.close()


def drop_files(b: Browser, paths):
    """Drop `paths` on the page's drop zone as a person would: a real DataTransfer holding the files."""
    from selenium.webdriver.common.by import By
    b.js("const i = document.createElement('input'); i.type = 'file'; i.multiple = true; i.id = 'test-source';"
         "i.style.display = 'none'; document.body.append(i);")
    b.driver.find_element(By.ID, "test-source").send_keys("\n".join(str(p) for p in paths))
    b.js("const i = document.getElementById('test-source'); const dt = new DataTransfer();"
         "for (const f of i.files) dt.items.add(f); i.remove();"
         "document.getElementById('dropzone').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));")


def drag_folder(b: Browser, folder: Path):
    """Drag a folder from the desktop onto the drop zone (DevTools input events: a real drop whose
    items are file-system entries, so the page walks the folder)."""
    x, y = b.js("const r = document.getElementById('dropzone').getBoundingClientRect();"
                "return [r.x + r.width / 2, r.y + r.height / 2];")
    data = {"items": [], "files": [str(folder)], "dragOperationsMask": 1}
    for kind in ("dragEnter", "dragOver", "drop"):
        b.driver.execute_cdp_cmd("Input.dispatchDragEvent", {"type": kind, "x": x, "y": y, "data": data})


def open_app(b: Browser, server):
    b.driver.get(server["url"] + "/")
    b.wait("document.body.dataset.ready === '1'", 30, "the page to load its config")


def assert_local_only(b: Browser, base: str):
    b.collect()
    resources = b.js("return performance.getEntriesByType('resource').map(e => e.name);")
    outside = [u for u in b.urls + resources
               if not (u.startswith(base + "/") or u.startswith(("data:", "blob:", "file:", "about:")))]
    assert outside == [], f"requests outside {base}: {outside}"
    assert b.proxy.page_hosts() == []


# --- the web app -----------------------------------------------------------------------------


def test_drop_the_seeds_open_a_plan_tick_and_download(browser, server, seed_paths, tmp_path):
    b = browser
    open_app(b, server)
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    drop_files(b, list(seed_paths) + [bad])
    b.wait("document.querySelectorAll('#plans-table tbody tr').length === 6", what="six plans in the table")
    assert b.js("return document.getElementById('plan-count').textContent") == "6 of 6 plans"
    # the file that could not be read is listed; the others went on
    errors = b.js("return [...document.querySelectorAll('#file-errors li')].map(li => li.textContent)")
    assert len(errors) == 1 and errors[0].startswith("empty.txt: ")
    assert b.js("const p = document.getElementById('progress-bar'); return p.value === p.max")
    # 三会一课 is named by all six plans
    row = b.js("""return [...document.querySelectorAll('#matrix-table tbody tr')]
                    .map(tr => [...tr.children].map(td => td.textContent))
                    .find(cells => cells[0] === '三会一课')""")
    assert row is not None and row[2].strip() == "6/6" and all(c.strip() for c in row[3:9]), row
    b.js("window.scrollTo(0, 0)")
    b.shot("browser-dashboard.png", tmp_path)
    # open the plan with the most commitments: its outline, text, checklist
    b.js("""const rows = [...document.querySelectorAll('#plans-table tbody tr')];
            rows.sort((a, b) => Number(b.children[4].textContent) - Number(a.children[4].textContent));
            rows[0].querySelector('a.plan-link').click();""")
    b.wait("!document.getElementById('plan-view').hidden && document.querySelector('#checklist .tick')",
           what="the plan view")
    title = b.js("return document.getElementById('plan-title').textContent")
    assert title == "学校2026年三会一课工作计划"
    assert b.js("return document.querySelectorAll('#outline-tree li').length") >= 10
    # explain a checklist item on demand: the evidence it rests on, quoted
    b.js("document.querySelector('#checklist button.why').click()")
    assert re.search(r"「.+」", b.js("return document.querySelector('#side-pane .explain').textContent"), re.S)
    # tick the first task; the tick is kept in local storage and shown again when the plan reopens
    b.js("document.querySelector('#checklist .tick').click()")
    assert b.js("return document.querySelector('#checklist .tick').checked")
    stored = json.loads(b.js("return localStorage.getItem('planlens.ticks.v1')"))
    assert len(stored) == 1 and next(iter(stored)).startswith("002_115f02c79655d629.txt#0:学校2026年三会一课工作计划|")
    assert b.js("return document.getElementById('ticked-count').textContent").startswith("1 of ")
    b.js("window.scrollTo(0, 0)")
    b.shot("browser-plan.png", tmp_path)
    # a heading in the tree jumps to it in the text
    target = b.js("""const a = document.querySelectorAll('#outline-tree a.jump')[2]; a.click();
                     return a.closest('li').dataset.section;""")
    assert b.js(f"return document.getElementById('sec-{target}').classList.contains('flash')")
    # explain a heading on demand
    b.js("document.querySelector('#outline-tree button.why').click()")
    assert "level 1 (1 = outermost)" in b.js("return document.querySelector('#outline-tree .explain').textContent")
    # fold a branch
    assert b.js("const t = document.querySelector('#outline-tree button.tog'); t.click(); return t.closest('li').classList.contains('closed')")
    b.js("document.getElementById('back').click()")
    b.wait("!document.getElementById('dashboard-view').hidden", what="the dashboard again")
    b.js("document.querySelector('#plans-table a.plan-link[data-plan=\"5\"]').click()")
    b.wait("document.querySelector('#checklist .tick')", what="the plan again")
    assert b.js("return document.querySelector('#checklist .tick').checked")
    # download: the xlsx when this install has its writer, else the JSON
    formats = b.js("return [...document.querySelectorAll('a.download')].map(a => a.dataset.format)")
    assert {"md", "json"} <= set(formats)
    fmt = "xlsx" if "xlsx" in formats else "json"
    b.js(f"document.querySelector('a.download[data-format={fmt}]').click()")
    path = b.downloads / f"002_115f02c79655d629.{fmt}"
    end = time.time() + 30
    while not path.exists() and time.time() < end:
        time.sleep(0.1)
    assert path.exists(), f"no download in {sorted(p.name for p in b.downloads.iterdir())}"
    data = path.read_bytes()
    if fmt == "xlsx":
        assert data[:2] == b"PK"
    else:
        assert json.loads(data)["documents"][0]["title"] == title
    assert b.errors() == []
    assert_local_only(b, server["url"])
    assert list(Path(server["temp_root"]).iterdir()) == []  # upload folders removed after the run


def test_a_folder_loads_with_progress(browser, server, corpus_dir, tmp_path):
    from selenium.webdriver.common.by import By
    b = browser
    open_app(b, server)
    folder = tmp_path / "学校计划"
    shutil.copytree(corpus_dir, folder / "seeds")
    (folder / "seeds" / ".hidden.txt").write_text("not a plan", encoding="utf-8")
    (folder / "notes.xyz").write_text("not a plan file", encoding="utf-8")
    drag_folder(b, folder)
    b.wait("document.querySelectorAll('#plans-table tbody tr').length === 6", what="six plans from the dropped folder")
    assert "read 2 files" in b.js("return document.getElementById('progress-text').textContent")
    sources = b.js("return [...document.querySelectorAll('#plans-table td.src')].map(td => td.textContent)")
    assert set(sources) == {f"学校计划/seeds/{p.name}" for p in corpus_dir.iterdir()}  # the folder's own paths
    # the folder picker does the same
    open_app(b, server)
    b.driver.find_element(By.ID, "folder-input").send_keys(str(folder))
    b.wait("document.querySelectorAll('#plans-table tbody tr').length === 6", what="six plans from the picked folder")
    # filters: search and practice
    b.js("const q = document.getElementById('plan-search'); q.value = '三会一课'; q.dispatchEvent(new Event('input'))")
    assert b.js("return document.getElementById('plan-count').textContent") == "1 of 6 plans"
    b.js("const q = document.getElementById('plan-search'); q.value = ''; q.dispatchEvent(new Event('input'))")
    b.js("""const s = document.getElementById('filter-practice');
            s.value = [...s.options].find(o => o.textContent.startsWith('三会一课 ')).value;
            s.dispatchEvent(new Event('change'))""")
    assert b.js("return document.getElementById('plan-count').textContent") == "6 of 6 plans"
    assert b.js("return document.querySelectorAll('#graph-svg circle').length") > 20
    assert b.errors() == []
    assert_local_only(b, server["url"])


def test_pasted_hostile_plan_renders_as_text(browser, server):
    b = browser
    open_app(b, server)
    text = f"{HOSTILE}2026年党建工作计划\n一、组织生活{HOSTILE}\n每月至少召开1次支部委员会{HOSTILE}。\n"
    b.js("document.getElementById('paste-text').value = arguments[0]; document.getElementById('paste-go').click()", text)
    b.wait("!document.getElementById('plan-view').hidden", what="the pasted plan")
    assert b.js("return document.getElementById('plan-text').textContent").count(HOSTILE) == 3
    assert "组织生活<img" in b.js("return document.getElementById('outline-tree').textContent")
    assert b.js("return document.querySelectorAll('#plan-view img, #plan-view script').length") == 0
    assert b.js("return window.__pwned === undefined")
    assert b.errors() == []
    assert_local_only(b, server["url"])


# --- compare.html --------------------------------------------------------------------------------


def test_compare_html_is_the_dashboard_and_escapes_plan_text(browser, tmp_path):
    b = browser
    results = [extract_text(f"{HOSTILE}{name}2026年党建工作计划\n一、组织生活\n落实三会一课制度，每月至少召开1次支部委员会。",
                            path=f"{HOSTILE}{i}.txt") for i, name in enumerate(("甲校", "乙校"))]
    write_comparison(results, tmp_path)
    html = (tmp_path / "compare.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html and "__pwned=2</script>" not in html
    b.driver.get((tmp_path / "compare.html").as_uri())
    b.wait("document.querySelectorAll('#plans-table tbody tr').length === 2", 30, "the two plans")
    cells = b.js("return [...document.querySelectorAll('#plans-table tbody tr')].map(tr => tr.children[2].textContent)")
    assert cells == [f"{HOSTILE}0.txt", f"{HOSTILE}1.txt"]
    assert b.js("return document.querySelectorAll('#dashboard img, #dashboard script').length") == 0
    assert b.js("return window.__pwned === undefined")
    assert b.errors() == []
    assert b.proxy.page_hosts() == []


def synthetic_dashboard(n_plans=2000, n_measures=160, n_norms=12, seed=7):
    """A dashboard dict of `n_plans` made-up plans (random practices, compliance and neighbours)."""
    rnd = random.Random(seed)
    letters = [f"P{i}" for i in range(n_plans)]
    names = [f"做法{k:03d}" for k in range(n_measures)]
    mentions = {name: {} for name in names}
    for letter in letters:
        for name in rnd.sample(names, rnd.randint(15, 45)):
            mentions[name][letter] = rnd.randint(1, 5)
    compare = {
        "plans": [{"letter": l, "id": f"区{i % 40:02d}/学校{i:04d}.txt#0", "title": f"第{i:04d}小学党支部2026年党建工作计划",
                   "source": f"区{i % 40:02d}/学校{i:04d}.txt", "index": 0, "commitments": rnd.randint(0, 30)}
                  for i, l in enumerate(letters)],
        "measures": [{"name": n, "category": f"类{k % 9}", "plans": sorted(mentions[n]), "mentions": mentions[n],
                      "community": k % 7} for k, n in enumerate(names)],
        "side_by_side": [{"measure": n, "cells": {l: f"每月≥{rnd.randint(1, 4)}次" for l in mentions[n]}} for n in names[:40]],
        "legend": {"not_named": "—", "named_without_number": "提及"},
    }
    norms = [f"规范{k:02d}" for k in range(n_norms)]
    extras = {p["id"]: {"compliance": [{"norm": nm, "outcome": rnd.choice(["met", "partial", "missing"]), "detail": ""}
                                       for nm in norms]} for p in compare["plans"]}
    drawing = {"mode": "practices", "categories": {f"类{k}": "#1f77b4" for k in range(9)},
               "nodes": [{"kind": "measure", "ref": n, "label": n, "x": rnd.random(), "y": rnd.random(),
                          "size": rnd.random(), "category": f"类{k % 9}"} for k, n in enumerate(names)],
               "edges": sorted({tuple(sorted(rnd.sample(range(n_measures), 2))) + (rnd.randint(1, 50),) for _ in range(400)})}
    data = dashboard_from_compare(compare, drawing, extras)
    data["similar"] = {key: [[[rnd.randrange(n_plans), round(rnd.random(), 3)] for _ in range(5)] for _ in range(n_plans)]
                       for key in ("jaccard", "cosine")}
    return data


TIMED = """
const done = arguments[arguments.length - 1];
const t0 = performance.now();
(function () { %s })();
requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
"""


def test_filtering_2000_plans_takes_under_a_second(browser, tmp_path):
    b = browser
    page = tmp_path / "big.html"
    page.write_text(dashboard_page(synthetic_dashboard()), encoding="utf-8")
    start = time.time()
    b.driver.get(page.as_uri())
    b.wait("document.querySelectorAll('#plans-table tbody tr').length === 50", 60, "the first page of plans")
    load_s = time.time() - start
    assert b.js("return document.getElementById('plan-count').textContent") == "2000 of 2000 plans"
    steps = {
        "search": "const q = document.getElementById('plan-search'); q.value = '第01'; q.dispatchEvent(new Event('input'));",
        "practice": "const s = document.getElementById('filter-practice'); s.value = '3'; s.dispatchEvent(new Event('change'));",
        "outcome": "const s = document.getElementById('filter-outcome'); s.value = 'missing'; s.dispatchEvent(new Event('change'));",
        "source": "const q = document.getElementById('filter-source'); q.value = '区07'; q.dispatchEvent(new Event('input'));",
        "clear": "window.planlensDashboard.setFilter({q: '', practice: '', outcome: '', source: ''});",
        "sort": "document.querySelector('#plans-table th[data-sort=commitments]').click();",
        "next page": "document.querySelector('#dash-plans .pager button:last-child').click();",
    }
    timings = {}
    for name, script in steps.items():
        timings[name] = b.driver.execute_async_script(TIMED % script)
    print(f"\n2,000 plans: page load {load_s:.2f} s; " + ", ".join(f"{k} {v:.0f} ms" for k, v in timings.items()))
    assert max(timings.values()) < 1000, timings
    assert b.js("return document.getElementById('plan-count').textContent") == "2000 of 2000 plans"
    assert b.js("return document.querySelectorAll('#plans-table tbody tr').length") == 50
    assert b.js("return document.querySelectorAll('#heat-table tbody tr').length") == 12
    assert b.js("return document.querySelectorAll('#graph-svg circle').length") == 160  # practices, not plans
    assert b.errors() == []
    assert b.proxy.page_hosts() == []
