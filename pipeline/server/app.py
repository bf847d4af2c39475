"""The web app `planlens serve` runs: a FastAPI application serving the front end (static files in
this package) and the JSON API it calls.

I/O edge: reads uploads (staged by pipeline/server/runs.py in temp folders
removed after each run), answers HTTP. Every request passes `Guard` first:
the Host check (loopback names only unless bound elsewhere), the token when
one is set, the upload size cap.
"""
from __future__ import annotations

import hmac
import json
import threading
from dataclasses import dataclass
from http.cookies import SimpleCookie
from importlib import resources
from pathlib import PurePath
from typing import Any, Dict, List, Optional, Sequence, Tuple
from urllib.parse import parse_qs, quote, urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from .. import __version__
from ..export.json import result_to_dict
from ..model import FileResult
from . import exports
from .dashboard import build_dashboard, compare_dict, dashboard_from_compare
from .runs import Run, RunStore, display_name, read_staged, read_text_upload, stage_uploads

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
TOKEN_COOKIE = "planlens_token"
MB = 1024 * 1024


@dataclass(frozen=True)
class ServerConfig:
    """What `planlens serve` was started with."""

    host: str = "127.0.0.1"
    port: int = 8765
    token: Optional[str] = None  # required on every request when set
    max_upload_bytes: int = 256 * MB  # one request's body
    max_files: int = 5000  # files in one request
    max_text_chars: int = 5_000_000  # pasted text
    # Host header names accepted; None accepts any (a non-loopback bind, protected by the token)
    allowed_hosts: Optional[Tuple[str, ...]] = LOOPBACK_HOSTS
    temp_root: Optional[str] = None  # where upload folders are made (default: the system temp folder)


def is_loopback(host: str) -> bool:
    """True for the names and addresses of this machine's loopback interface."""
    return host in LOOPBACK_HOSTS or host.startswith("127.")


class BodyTooLarge(Exception):
    """A request body passed the upload cap while it was being read."""


def _host_name(value: str) -> str:
    """The name part of a Host header (`[::1]:8765` → `::1`, `127.0.0.1:80` → `127.0.0.1`)."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware in front of every request: Host check, token, body size cap (413)."""

    def __init__(self, app, config: ServerConfig):
        self.app = app
        self.config = config

    async def _refuse(self, send, status: int, detail: str) -> None:
        body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    def _given_token(self, headers: Dict[str, str], query: Dict[str, List[str]]) -> Tuple[Optional[str], bool]:
        """(token the request carries, whether it came in the query string)."""
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip(), False
        if "x-planlens-token" in headers:
            return headers["x-planlens-token"], False
        if "cookie" in headers:
            cookie = SimpleCookie()
            try:
                cookie.load(headers["cookie"])
            except Exception:
                cookie = SimpleCookie()
            if TOKEN_COOKIE in cookie:
                return cookie[TOKEN_COOKIE].value, False
        if query.get("token"):
            return query["token"][0], True
        return None, False

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        cfg = self.config
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if cfg.allowed_hosts is not None and _host_name(headers.get("host", "")) not in cfg.allowed_hosts:
            return await self._refuse(send, 421, "this server answers to 127.0.0.1 / localhost only")
        origin = headers.get("origin")
        if cfg.allowed_hosts is not None and origin is not None and _host_name(urlsplit(origin).netloc) not in cfg.allowed_hosts:
            # a page from elsewhere posting to this machine (cross-site request)
            return await self._refuse(send, 403, f"requests from pages of {origin} are refused")
        from_query = False
        if cfg.token:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            given, from_query = self._given_token(headers, query)
            if given is None or not hmac.compare_digest(given.encode("utf-8"), cfg.token.encode("utf-8")):
                return await self._refuse(send, 401, "token required: open the address planlens serve "
                                                     "printed (…?token=…) or send 'Authorization: Bearer TOKEN'")
        length = headers.get("content-length")
        limit = cfg.max_upload_bytes
        if length is not None and length.isdigit() and int(length) > limit:
            return await self._refuse(send, 413, f"upload too large: {int(length) / MB:.1f} MB "
                                                 f"(the limit is {limit / MB:.0f} MB)")
        seen = 0
        started = False

        async def counted_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge()
            return message

        async def send_wrapper(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if from_query:  # the page's later requests carry the token as a cookie
                    cookie = (f"{TOKEN_COOKIE}={quote(cfg.token, safe='')}; Path=/; HttpOnly; "
                              "SameSite=Strict").encode("latin-1")
                    message = dict(message, headers=list(message.get("headers", [])) + [(b"set-cookie", cookie)])
            await send(message)

        try:
            await self.app(scope, counted_receive, send_wrapper)
        except BodyTooLarge:
            if not started:
                await self._refuse(send, 413, f"upload too large (the limit is {limit / MB:.0f} MB)")


# --- helpers ------------------------------------------------------------------------------

MULTIPART_BODY = {
    "requestBody": {"content": {"multipart/form-data": {"schema": {
        "type": "object",
        "properties": {
            "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                      "description": "plan files (.txt .html .docx .pdf …); the file name is shown, never used on disk"},
            "text": {"type": "string", "description": "plan text pasted instead of (or besides) files"},
            "name": {"type": "string", "description": "the name to show for the pasted text"},
        }}}}}}


def file_summary(index: int, name: str, result: FileResult) -> Dict[str, Any]:
    """One read file as the progress view lists it: name, status, problems, its plans in brief."""
    return {"index": index, "name": name, "status": result.status,
            "problems": [p.message for p in result.problems],
            "plans": [{"doc": d.index, "title": d.title, "sections": len(d.sections),
                       "commitments": len(d.commitments)} for d in result.documents]}


def run_state(run: Run, since: int = 0) -> Dict[str, Any]:
    """A run's progress as GET /api/runs/{id} gives it; `files` from position `since` on, as read."""
    done = run.done
    files = [file_summary(i, run.names[i], r) for i, r in enumerate(run.results[since:], since) if r is not None]
    return {"run": run.id, "kind": run.kind, "status": run.status, "total": len(run.names), "done": done,
            "errors": sum(1 for r in run.results if r is not None and not r.ok),
            "error": run.error, "files": files, "dashboard": run.dashboard is not None}


def comparison_of(results: Sequence[Optional[FileResult]]):
    """(Comparison, its graph or None, extras {plan id: document_extras}) of the readable results."""
    from ..export import compare as compare_export
    from ..export.json import document_to_dict
    from ..graph import plan_entries
    from .dashboard import document_extras
    readable = [(i, r) for i, r in enumerate(results) if r is not None and r.documents]
    position = {id(r): i for i, r in readable}
    rs = [r for _, r in readable]
    if hasattr(compare_export, "comparison_of_results"):  # the comparison built from per-plan summaries
        c, g = compare_export.comparison_of_results(rs), None
    else:
        from ..graph import build_graph, compare, plans_from_results
        plans = plans_from_results(rs)
        g = build_graph(plans)
        c = compare(plans, g)
    extras = {pid: document_extras(document_to_dict(d), position[id(r)], d.index) for pid, r, d in plan_entries(rs)}
    return c, g, extras


def dashboard_of(results: Sequence[Optional[FileResult]]) -> Dict[str, Any]:
    """The dashboard dict of a run's readable results (an empty one when none has a plan)."""
    if not any(r is not None and r.documents for r in results):
        return dashboard_from_compare({})
    c, g, extras = comparison_of(results)
    return build_dashboard(c, g, extras)


def _download_name(display: str, extension: str) -> str:
    stem = PurePath(display).stem or "plan"
    return f"{stem}{extension}"


def _content_disposition(filename: str) -> str:
    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _static(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


# --- the application ---------------------------------------------------------------------


def create_app(config: ServerConfig = ServerConfig()) -> FastAPI:
    """The FastAPI app for `config` (routes only; `guarded_app` puts `Guard` in front)."""
    app = FastAPI(title="planlens", version=__version__, docs_url=None, redoc_url=None,
                  description="Chinese work plans → outline, checklist, compliance, comparison. "
                              "Every endpoint the planlens web page uses; other tools may call them.")
    store = RunStore()
    app.state.config = config
    app.state.runs = store

    async def read_form(request: Request):
        try:
            form = await request.form(max_files=config.max_files + 1, max_fields=config.max_files + 16,
                                      max_part_size=config.max_upload_bytes)
        except BodyTooLarge:
            raise HTTPException(413, f"upload too large (the limit is {config.max_upload_bytes / MB:.0f} MB)")
        except HTTPException:
            raise
        except Exception as exc:  # a malformed body
            raise HTTPException(400, f"could not read the upload ({exc})")
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
        if len(files) > config.max_files:
            raise HTTPException(413, f"too many files: {len(files)} (the limit is {config.max_files} per request)")
        return form, files

    def stage(files: Sequence[UploadFile]):
        names = [display_name(f.filename, i) for i, f in enumerate(files)]
        folder, paths = stage_uploads([(n, f.file) for n, f in zip(names, files)], config.temp_root)
        return names, folder, paths

    def get_run(run_id: str) -> Run:
        run = store.get(run_id)
        if run is None:
            raise HTTPException(404, f"no run {run_id!r} (runs are kept in memory while the server runs)")
        return run

    def get_result(run: Run, index: int) -> FileResult:
        if not 0 <= index < len(run.results) or run.results[index] is None:
            raise HTTPException(404, f"run {run.id} has no file {index} read yet")
        return run.results[index]

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(_static("index.html"), headers={"cache-control": "no-store"})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(_static("docs.html"))

    @app.get("/api/formats", summary="Download formats offered")
    def formats() -> List[Dict[str, str]]:
        """The formats one read file can be downloaded in (md and json always; xlsx and ics when installed)."""
        return [{"name": e.name, "label": e.label, "extension": e.extension} for e in exports.available_formats()]

    @app.get("/api/config", summary="What the page needs to know")
    def page_config() -> Dict[str, Any]:
        """Download formats, the upload limits, and how commitments are written (period labels such
        as month → 每月 and comparator signs, from lexicons/periods.tsv and the commitments stage)."""
        from ..commitments import COMPARATOR_SIGNS, grammar
        return {"version": __version__, "formats": formats(),
                "limits": {"max_files": config.max_files, "max_upload_bytes": config.max_upload_bytes,
                           "max_text_chars": config.max_text_chars},
                "periods": dict(grammar().period_labels), "comparators": dict(COMPARATOR_SIGNS)}

    @app.post("/api/extract", summary="Read plan files or pasted text", openapi_extra=MULTIPART_BODY)
    async def extract(request: Request) -> Dict[str, Any]:
        """Multipart `files` and/or `text` → `{"run": id, "files": [per-file JSON, …]}` (the JSON of
        `planlens extract --format json`, see pipeline/schema/plan.schema.json), read now. A file that
        cannot be read comes back with `status: "error"` and its problem; the others are read all the same."""
        form, files = await read_form(request)
        text = form.get("text")
        text = text if isinstance(text, str) and text.strip() else None
        if not files and text is None:
            raise HTTPException(400, "send plan files as 'files' or plan text as 'text'")
        if text is not None and len(text) > config.max_text_chars:
            raise HTTPException(413, f"pasted text too long: {len(text)} characters "
                                     f"(the limit is {config.max_text_chars})")
        names, results = [], []
        if files:
            names, folder, paths = stage(files)
            run = Run(id="", names=names, results=[None] * len(names))
            await run_in_threadpool(read_staged, run, folder, paths)
            results = list(run.results)
        if text is not None:
            name = display_name(form.get("name") if isinstance(form.get("name"), str) else "", len(names))
            if name.startswith("upload-"):
                name = "pasted text"
            names.append(name)
            results.append(await run_in_threadpool(read_text_upload, text, name))
        run = store.new(names, "extract")
        run.results = results
        run.status = "done"
        return {"run": run.id, "files": [result_to_dict(r) for r in results]}

    def work(run: Run, folder, paths) -> None:
        try:
            read_staged(run, folder, paths)
            run.status = "comparing"
            run.dashboard = dashboard_of(run.results)
            run.status = "done"
        except Exception as exc:  # the run reports it; the server goes on
            run.status = "error"
            run.error = f"{type(exc).__name__}: {exc}"

    @app.post("/api/runs", status_code=202, summary="Start reading a batch of files",
              openapi_extra=MULTIPART_BODY)
    async def start_run(request: Request) -> Dict[str, Any]:
        """Multipart `files` → `{"run": id, "total": n}` at once; the files are read in the background
        (follow with GET /api/runs/{id}), then compared (GET /api/runs/{id}/dashboard)."""
        form, files = await read_form(request)
        if not files:
            raise HTTPException(400, "send plan files as 'files'")
        names, folder, paths = await run_in_threadpool(stage, files)
        run = store.new(names, "batch")
        threading.Thread(target=work, args=(run, folder, paths), name=f"planlens-run-{run.id}", daemon=True).start()
        return {"run": run.id, "total": len(names)}

    @app.get("/api/runs/{run_id}", summary="A batch's progress")
    def get_run_state(run_id: str, since: int = 0) -> Dict[str, Any]:
        """Status (`reading`, `comparing`, `done`, `error`), files read so far (from position `since`),
        per-file problems as they come."""
        return run_state(get_run(run_id), max(0, since))

    @app.delete("/api/runs/{run_id}", summary="Forget a run")
    def delete_run(run_id: str) -> Dict[str, Any]:
        """Drop a run's results from memory."""
        get_run(run_id)
        store.drop(run_id)
        return {"run": run_id, "deleted": True}

    @app.get("/api/runs/{run_id}/dashboard", summary="The comparison dashboard of a batch")
    def get_dashboard(run_id: str) -> Dict[str, Any]:
        """The dashboard data (plans, practices, side-by-side commitments, similar plans, compliance,
        graph) once the batch is read and compared; 409 while it is still being read."""
        run = get_run(run_id)
        if run.dashboard is None:
            if run.kind == "extract" and run.status == "done":
                run.dashboard = dashboard_of(run.results)
            else:
                raise HTTPException(409, f"run {run_id} is {run.status}; the dashboard comes when it is done")
        return run.dashboard

    @app.get("/api/runs/{run_id}/files/{index}", summary="One read file's JSON")
    def get_file(run_id: str, index: int) -> Dict[str, Any]:
        """The per-file JSON (pipeline/schema/plan.schema.json) of file `index` of the run."""
        return result_to_dict(get_result(get_run(run_id), index))

    @app.get("/api/runs/{run_id}/files/{index}/download/{fmt}", summary="Download one file's result")
    def download(run_id: str, index: int, fmt: str) -> Response:
        """File `index` of the run in format `fmt` (see GET /api/formats), as an attachment."""
        run = get_run(run_id)
        result = get_result(run, index)
        if fmt not in {e.name for e in exports.available_formats()}:
            raise HTTPException(404, f"no download format {fmt!r} here "
                                     f"(offered: {', '.join(e.name for e in exports.available_formats())})")
        if not result.documents:
            raise HTTPException(409, f"{run.names[index]}: nothing to download ({'; '.join(p.message for p in result.problems)})")
        exporter = exports.EXPORTERS[fmt]
        data = exports.export_bytes(fmt, result)
        return Response(data, media_type=exporter.media_type, headers={
            "content-disposition": _content_disposition(_download_name(run.names[index], exporter.extension))})

    @app.get("/api/runs/{run_id}/files/{index}/explain", summary="Why a file was read as it was")
    def explain(run_id: str, index: int) -> Dict[str, Any]:
        """The reasons the pipeline's stages give for file `index` (as `planlens extract --explain`
        prints them), per plan and stage: `{"available": true, "documents": [{"index", "stages":
        [{"stage", "heading", "lines"}]}]}`; `available` is false (and no documents) when this install
        has no explainer."""
        result = get_result(get_run(run_id), index)
        try:
            from ..explain import explain_result
        except ImportError:
            return {"available": False, "documents": []}
        return {"available": True, "documents": [{"index": doc.index, "stages": [
            {"stage": sec.stage, "heading": sec.heading, "lines": list(sec.lines)} for sec in sections]}
            for doc, sections in explain_result(result)]}

    @app.post("/api/compare", summary="Compare plans", openapi_extra={"requestBody": {"content": {
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
            "run": {"type": "string", "description": "compare the files of this run instead of uploading"}}}}}}})
    async def compare_endpoint(request: Request) -> Dict[str, Any]:
        """Multipart `files` (or `run`: a run's id) → compare.json (the shape `planlens compare` writes,
        pipeline/export/compare.py) with the dashboard data under `dashboard`."""
        form, files = await read_form(request)
        run_id = form.get("run")
        if isinstance(run_id, str) and run_id:
            run = get_run(run_id)
            if run.status not in ("done", "comparing"):
                raise HTTPException(409, f"run {run_id} is still {run.status}")
            results = list(run.results)
        elif files:
            names, folder, paths = await run_in_threadpool(stage, files)
            run = Run(id="", names=names, results=[None] * len(names))
            await run_in_threadpool(read_staged, run, folder, paths)
            results = list(run.results)
        else:
            raise HTTPException(400, "send plan files as 'files' or a run id as 'run'")
        return await run_in_threadpool(_compare_payload, results)

    app.mount("/static", StaticFiles(packages=[(__package__, "static")]), name="static")
    return app


def _compare_payload(results: Sequence[Optional[FileResult]]) -> Dict[str, Any]:
    if not any(r is not None and r.documents for r in results):
        raise HTTPException(422, "no file held a readable plan: "
                                 + "; ".join(str(p) for r in results if r is not None for p in r.problems))
    c, g, extras = comparison_of(results)
    out = compare_dict(c, g)
    out["dashboard"] = build_dashboard(c, g, extras)
    out["problems"] = [str(p) for r in results if r is not None for p in r.problems]
    return out


def guarded_app(config: ServerConfig = ServerConfig()):
    """`create_app(config)` behind `Guard` (the FastAPI app is its `.app`): what uvicorn serves and tests call."""
    app = create_app(config)
    return Guard(app, config)


def serve(config: ServerConfig, open_browser: bool = False) -> None:
    """Run the app with uvicorn on config.host:config.port until interrupted."""
    import uvicorn
    import webbrowser

    host = f"[{config.host}]" if ":" in config.host else config.host
    url = f"http://{host}:{config.port}/"
    if config.token:
        url += f"?token={quote(config.token, safe='')}"
    server = uvicorn.Server(uvicorn.Config(guarded_app(config), host=config.host, port=config.port,
                                           log_level="warning", access_log=False))
    if open_browser:
        def opener():
            import time
            while not server.started and not server.should_exit:
                time.sleep(0.05)
            if server.started:
                webbrowser.open(url)
        threading.Thread(target=opener, daemon=True).start()
    print(f"planlens: serving on {url} (Ctrl+C stops)", flush=True)
    server.run()
