/* planlens web app: drop or paste plans, see one plan (outline, text, checklist, compliance,
   downloads) or many (the comparison dashboard). Talks to this server's /api only. */
"use strict";
(function () {
  const {h, fill} = window.Planlens;
  const $ = (id) => document.getElementById(id);
  const SUPPORTED = /\.(txt|text|md|html?|xhtml|shtml|docx|pdf|doc|wps|rtf|odt)$/i;
  const TICKS_KEY = "planlens.ticks.v1";
  const app = {config: null, run: null, dashboard: null, dashboardData: null, files: new Map(), view: "intake"};
  window.planlensApp = app;

  // --- small utilities -------------------------------------------------------------------------
  async function api(path, options) {
    const response = await fetch(path, Object.assign({credentials: "same-origin"}, options || {}));
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) throw new Error((body && body.detail) ? String(body.detail) : `${response.status} ${response.statusText}`);
    return body;
  }
  function notice(text, isError) {
    fill($("notice"), text ? h("div", {class: isError ? "notice err" : "notice", role: isError ? "alert" : "status"}, text) : null);
  }
  function progress(value, max, text) {
    $("progress").hidden = false;
    const bar = $("progress-bar");
    if (max > 0) { bar.max = max; bar.value = value; } else { bar.removeAttribute("value"); }
    $("progress-text").textContent = text;
  }
  function fileError(name, problems) {
    $("progress").hidden = false;
    $("file-errors").append(h("li", {class: "file-error"}, `${name}: ${problems.join("; ")}`));
  }
  function show(view) {
    app.view = view;
    $("plan-view").hidden = view !== "plan";
    $("dashboard-view").hidden = view !== "dashboard";
    document.body.classList.toggle("has-view", view !== "intake");
  }
  function loadTicks() {
    try { return JSON.parse(localStorage.getItem(TICKS_KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function saveTick(key, on) {
    const ticks = loadTicks();
    if (on) ticks[key] = 1; else delete ticks[key];
    try { localStorage.setItem(TICKS_KEY, JSON.stringify(ticks)); } catch (e) { /* storage full or off: ticks last this visit */ }
  }
  function shortCommitment(c) {
    const periods = (app.config && app.config.periods) || {};
    const signs = (app.config && app.config.comparators) || {};
    let value = String(c.value);
    if (c.value_max !== null && c.value_max !== undefined && c.value_max !== c.value) value += `–${c.value_max}`;
    const sign = c.comparator in signs ? signs[c.comparator] : (c.comparator || "");
    return `${c.period ? (periods[c.period] || c.period) : ""}${sign}${value}${c.unit}`;
  }

  // --- intake: drop, pick, paste -------------------------------------------------------------
  function entryFiles(entry, prefix, out) {
    return new Promise((resolve) => {
      if (entry.isFile) {
        entry.file((file) => {
          if (!prefix || SUPPORTED.test(file.name)) out.push({file, path: prefix + file.name});
          resolve();
        }, () => resolve());
      } else if (entry.isDirectory) {
        const reader = entry.createReader();
        const children = [];
        const more = () => reader.readEntries(async (batch) => {
          if (!batch.length) {
            children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
            for (const child of children) {
              if (!child.name.startsWith(".")) await entryFiles(child, `${prefix}${entry.name}/`, out);
            }
            resolve();
          } else { children.push(...batch); more(); }
        }, () => resolve());
        more();
      } else resolve();
    });
  }
  async function droppedFiles(dataTransfer) {
    const entries = [...(dataTransfer.items || [])].filter((it) => it.kind === "file")
      .map((it) => (it.webkitGetAsEntry ? it.webkitGetAsEntry() : null));
    if (entries.length && entries.every((e) => e)) {
      const out = [];
      for (const entry of entries) await entryFiles(entry, "", out);
      return out;
    }
    return [...(dataTransfer.files || [])].map((file) => ({file, path: file.name}));
  }
  function pickedFiles(input) {
    const out = [...input.files].map((file) => ({file, path: file.webkitRelativePath || file.name}));
    return input.hasAttribute("webkitdirectory")
      ? out.filter((x) => SUPPORTED.test(x.file.name) && !x.path.split("/").some((p) => p.startsWith("."))) : out;
  }
  function takeFiles(items) {
    $("file-errors").replaceChildren();
    notice("");
    if (!items.length) { notice("No plan files there (.txt .html .docx .pdf …).", true); return; }
    const limits = (app.config && app.config.limits) || {};
    if (limits.max_files && items.length > limits.max_files) {
      notice(`Too many files: ${items.length} (this server takes at most ${limits.max_files} at once).`, true); return;
    }
    const bytes = items.reduce((n, x) => n + x.file.size, 0);
    if (limits.max_upload_bytes && bytes > limits.max_upload_bytes) {
      notice(`Too much to upload: ${(bytes / 1048576).toFixed(1)} MB (the limit is ${(limits.max_upload_bytes / 1048576).toFixed(0)} MB).`, true); return;
    }
    if (items.length === 1) extractOne(items[0]); else startBatch(items);
  }
  app.takeFiles = takeFiles;

  function upload(path, form, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", path);
      xhr.responseType = "json";
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response);
        else reject(new Error((xhr.response && xhr.response.detail) || `${xhr.status} ${xhr.statusText}`));
      };
      xhr.onerror = () => reject(new Error("the server did not answer"));
      xhr.send(form);
    });
  }
  function formOf(items) {
    const form = new FormData();
    for (const x of items) form.append("files", x.file, x.path);
    return form;
  }
  async function extractOne(item) {
    progress(0, 0, `reading ${item.path} …`);
    try {
      const res = await upload("/api/extract", formOf([item]), (a, b) => progress(a, b, `uploading ${item.path} …`));
      finishSingle(res);
    } catch (e) { progress(0, 1, ""); notice(`${item.path}: ${e.message}`, true); }
  }
  async function extractText() {
    const text = $("paste-text").value;
    if (!text.trim()) { notice("Paste the text of a plan first.", true); return; }
    $("file-errors").replaceChildren();
    progress(0, 0, "reading the pasted text …");
    const form = new FormData();
    form.append("text", text);
    form.append("name", "pasted text");
    try { finishSingle(await api("/api/extract", {method: "POST", body: form})); }
    catch (e) { notice(`pasted text: ${e.message}`, true); }
  }
  function finishSingle(res) {
    app.run = res.run; app.files = new Map([[0, res.files[0]]]); app.dashboard = null; app.dashboardData = null;
    const file = res.files[0];
    progress(1, 1, `${file.source.path}: ${file.documents.length} plan(s)`);
    if (file.status !== "ok") { fileError(file.source.path, file.problems); show("intake"); return; }
    showPlan(file, 0, 0);
  }
  async function startBatch(items) {
    progress(0, 1, `uploading ${items.length} files …`);
    let started;
    try {
      started = await upload("/api/runs", formOf(items), (a, b) => progress(a, b, `uploading ${items.length} files: ${Math.round(100 * a / b)}%`));
    } catch (e) { notice(`upload failed: ${e.message}`, true); return; }
    app.run = started.run; app.files = new Map(); app.dashboard = null; app.dashboardData = null;
    let since = 0;
    for (;;) {
      let st;
      try { st = await api(`/api/runs/${encodeURIComponent(app.run)}?since=${since}`); }
      catch (e) { notice(`lost the run: ${e.message}`, true); return; }
      for (const f of st.files) if (f.status !== "ok") fileError(f.name, f.problems);
      since = st.done;
      if (st.status === "reading") progress(st.done, st.total, `read ${st.done} of ${st.total} files${st.errors ? `, ${st.errors} with problems` : ""}`);
      else if (st.status === "comparing") progress(st.total, st.total, `read ${st.total} files; comparing the plans …`);
      else if (st.status === "error") { notice(`the run stopped: ${st.error}`, true); return; }
      else if (st.status === "done") {
        progress(st.total, st.total, `read ${st.total} files${st.errors ? ` (${st.errors} with problems, listed below)` : ""}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    try { showDashboard(await api(`/api/runs/${encodeURIComponent(app.run)}/dashboard`)); }
    catch (e) { notice(`comparison failed: ${e.message}`, true); }
  }

  // --- many plans ------------------------------------------------------------------------------
  function showDashboard(data) {
    app.dashboardData = data;
    app.dashboard = window.Planlens.mountDashboard($("dashboard"), data, {openPlan: (p) => openPlan(p.file, p.doc)});
    show("dashboard");
  }
  async function openPlan(fileIndex, docIndex) {
    try {
      if (!app.files.has(fileIndex)) {
        app.files.set(fileIndex, await api(`/api/runs/${encodeURIComponent(app.run)}/files/${fileIndex}`));
      }
      showPlan(app.files.get(fileIndex), fileIndex, docIndex);
      window.scrollTo(0, 0);
    } catch (e) { notice(`could not open the plan: ${e.message}`, true); }
  }
  app.openPlan = openPlan;

  // --- one plan --------------------------------------------------------------------------------
  function explainList(lines) {
    return h("div", {class: "explain"}, h("ul", null, lines.filter(Boolean).map((x) => h("li", null, x))));
  }
  function extraReasons(record) {
    const why = record.explain || record.reasons || record.why;
    if (!why) return [];
    if (Array.isArray(why)) return why.map((x) => (typeof x === "string" ? x : JSON.stringify(x)));
    if (typeof why === "object") return Object.keys(why).map((k) => `${k}: ${typeof why[k] === "string" ? why[k] : JSON.stringify(why[k])}`);
    return [String(why)];
  }
  function sectionReasons(sec, byId) {
    const parent = sec.parent ? byId.get(sec.parent) : null;
    return [
      sec.label ? `numbered “${sec.label}”: a heading label` : "no label: an unnumbered sub-heading",
      `level ${sec.level} (1 = outermost)${parent ? `, under ${parent.path}` : ", at the top of the plan"}`,
      `path: ${sec.path}`,
      `title: ${sec.title} (the heading up to its first 。：；)`,
      `heading line: ${sec.heading}`,
      `body: ${sec.body.length} characters up to the next heading`,
      ...extraReasons(sec),
    ];
  }
  function commitmentReasons(c) {
    const names = {">=": "at least", "<=": "at most", "=": "exactly", "~": "about"};
    return [
      `quote: 「${c.quote}」 in “${c.sentence}”`,
      `number: ${c.raw_value || c.value} → ${c.value}${c.value_max !== null && c.value_max !== undefined ? `–${c.value_max}` : ""} ${c.unit}`,
      `comparator: ${names[c.comparator] || c.comparator}`,
      `period: ${c.period || "none"} · kind: ${c.kind}`,
      c.subject ? `governs: ${c.subject}` : "governs: (no practice or body found near it)",
      c.verb ? `action: ${c.verb}` : null,
      c.deadline ? `deadline: ${c.deadline}` : null,
      c.section && c.section.path ? `section: ${c.section.path}` : null,
      `confidence: ${c.confidence}${c.optional ? " · borderline (left out with --no-optional)" : ""}`,
      ...extraReasons(c),
    ];
  }
  /** The stage explanations of a file (GET …/explain), fetched once; null when the server has none. */
  function stageReasons(fileIndex) {
    const key = `${app.run}/${fileIndex}`;
    if (!app.explained) app.explained = new Map();
    if (!app.explained.has(key)) {
      app.explained.set(key, fetch(`/api/runs/${encodeURIComponent(app.run)}/files/${fileIndex}/explain`, {credentials: "same-origin"})
        .then((r) => (r.ok ? r.json() : null)).catch(() => null));
    }
    return app.explained.get(key);
  }
  /** The outline stage's lines about the heading on line `lineNo` (1-based) of plan `docIndex`. */
  function headingStageLines(explained, docIndex, lineNo) {
    const doc = explained && (explained.documents || []).find((d) => d.index === docIndex);
    const outline = doc && doc.stages.find((st) => st.stage === "outline");
    return outline ? outline.lines.filter((l) => l.startsWith(`L${lineNo} `) || l.startsWith(`L${lineNo}:`)) : [];
  }
  function planKey(file, doc) { return `${file.source.path}#${doc.index}:${doc.title}`; }

  function renderText(doc) {
    const marks = [];
    for (const sec of doc.sections) marks.push({s: sec.heading_span[0], e: sec.heading_span[1], kind: "h", sec});
    doc.commitments.forEach((c, i) => marks.push({s: c.span[0], e: c.span[1], kind: "c", c, i}));
    marks.sort((a, b) => a.s - b.s || (a.kind === "h" ? -1 : 1));
    const box = h("div", {class: "plan-text", id: "plan-text"});
    let pos = 0;
    let afterHeading = false;
    const text = doc.text;
    const plain = (a, b) => {
      let t = text.slice(a, b);
      if (afterHeading && t.startsWith("\n")) t = t.slice(1);
      afterHeading = false;
      if (t) box.append(document.createTextNode(t));
    };
    for (const m of marks) {
      if (m.s < pos || m.e <= m.s) continue;
      plain(pos, m.s);
      if (m.kind === "h") {
        box.append(h("span", {class: `hd l${m.sec.level}`, id: `sec-${m.sec.id}`}, text.slice(m.s, m.e)));
        afterHeading = true;
      } else {
        box.append(h("mark", {id: `com-${m.i}`, title: shortCommitment(m.c)}, text.slice(m.s, m.e)));
      }
      pos = m.e;
    }
    plain(pos, text.length);
    return box;
  }
  function flash(el) {
    if (!el) return;
    el.scrollIntoView({block: "center"});
    el.classList.add("flash");
    setTimeout(() => el.classList.remove("flash"), 1500);
  }
  function renderTree(doc, fileIndex) {
    const byId = new Map(doc.sections.map((s) => [s.id, s]));
    const kids = new Map();
    for (const sec of doc.sections) {
      const key = sec.parent && byId.has(sec.parent) ? sec.parent : "";
      if (!kids.has(key)) kids.set(key, []);
      kids.get(key).push(sec);
    }
    const branch = (key) => h("ul", null, (kids.get(key) || []).map((sec) => {
      const has = kids.has(sec.id);
      const li = h("li", {"data-section": sec.id});
      const tog = has ? h("button", {type: "button", class: "tog", "aria-label": "fold", onclick: () => {
        li.classList.toggle("closed"); tog.textContent = li.classList.contains("closed") ? "▸" : "▾"; }}, "▾")
        : h("span", {class: "tog"}, "·");
      let why = null;
      li.append(tog,
        h("a", {href: "#", class: "jump", onclick: (e) => {
          e.preventDefault();
          document.querySelectorAll(".tree a.active").forEach((a) => a.classList.remove("active"));
          e.currentTarget.classList.add("active");
          flash(document.getElementById(`sec-${sec.id}`));
        }}, `${sec.label}${sec.title}` || sec.heading),
        h("button", {type: "button", class: "why", title: "why is this a heading?", onclick: () => {
          if (why) { why.remove(); why = null; return; }
          const box = why = explainList(sectionReasons(sec, byId));
          li.insertBefore(why, li.querySelector(":scope > ul"));
          const lineNo = doc.text.slice(0, sec.heading_span[0]).split("\n").length;
          stageReasons(fileIndex).then((explained) => {
            const lines = headingStageLines(explained, doc.index, lineNo);
            if (lines.length && box.isConnected) box.querySelector("ul").append(...lines.map((l) => h("li", {class: "stage"}, `outline decoder: ${l}`)));
          });
        }}, "why?"));
      if (has) li.append(branch(sec.id));
      return li;
    }));
    const tree = branch("");
    tree.className = "tree";
    tree.id = "outline-tree";
    const all = (closed) => () => tree.querySelectorAll("li").forEach((li) => {
      if (li.querySelector(":scope > ul")) { li.classList.toggle("closed", closed); li.querySelector(":scope > .tog").textContent = closed ? "▸" : "▾"; }
    });
    return h("div", null, h("div", {class: "controls"}, h("button", {type: "button", onclick: all(true)}, "fold all"),
      h("button", {type: "button", onclick: all(false)}, "unfold all")),
      doc.sections.length ? tree : h("p", {class: "small"}, "No numbered headings found."));
  }
  const TASK_SOURCES = {item: "an outline leaf (a numbered item with no sub-items)",
    body: "a heading's own text that commits to something", schedule: "a dated row of a schedule",
    paragraph: "a paragraph of a plan without an outline"};
  const clip = (text, n) => (text.length > n ? text.slice(0, n) + " …" : text);
  function taskReasons(t, doc) {
    return [
      `from ${TASK_SOURCES[t.source] || t.source}: 「${clip(t.quote, 160)}」`,
      t.section && t.section.path ? `section: ${t.section.path}` : null,
      t.who && t.who.length ? `who: ${t.who.join("、")}` : "who: (no responsible body named)",
      t.when ? `when: ${t.when}${t.start ? ` (${t.start}${t.end && t.end !== t.start ? ` – ${t.end}` : ""})` : ""}` : null,
      t.recurrence ? `repeats: ${t.recurrence}` : null,
      t.practices && t.practices.length ? `practices: ${t.practices.join("、")}` : null,
      ...(t.commitment_ids || []).map((i) => doc.commitments[i]).filter(Boolean)
        .map((c) => `commitment ${shortCommitment(c)}: 「${c.quote}」 (${c.kind}, confidence ${c.confidence})`),
      ...extraReasons(t),
    ];
  }
  /** The checklist: the plan's tasks when it has them, else its commitments. */
  function checklistItems(doc) {
    if (Array.isArray(doc.tasks) && doc.tasks.length) {
      return doc.tasks.map((t) => ({
        key: `${t.id}:${t.what}`, group: (t.section && t.section.path) || "", text: t.what,
        meta: [t.how_often, t.when, (t.who || []).join("、"), t.detail].filter(Boolean),
        jump: (t.commitment_ids || []).length ? `com-${t.commitment_ids[0]}` : (t.section && t.section.id ? `sec-${t.section.id}` : null),
        reasons: () => taskReasons(t, doc)}));
    }
    return doc.commitments.map((c, i) => ({
      key: `c${i}:${c.quote}`, group: (c.section && c.section.path) || "",
      text: [c.subject, shortCommitment(c), c.verb].filter(Boolean).join(" · "), meta: [`「${c.quote}」`],
      jump: `com-${i}`, reasons: () => commitmentReasons(c)}));
  }
  function renderChecklist(file, doc) {
    const items = checklistItems(doc);
    if (!items.length) return h("p", {class: "small", id: "no-tasks"}, "No tasks or measurable commitments found in this plan.");
    const titles = new Map(doc.sections.map((s) => [s.path, s.title]));
    const ticks = loadTicks();
    const key = planKey(file, doc);
    const counter = h("span", {class: "small", id: "ticked-count"});
    const recount = () => { counter.textContent = `${list.querySelectorAll("input:checked").length} of ${items.length} done`; };
    const list = h("ul", {class: "checklist", id: "checklist"});
    let group = null;
    for (const it of items) {
      if (it.group !== group) {
        group = it.group;
        list.append(h("li", {class: "group"}, group ? `${group} ${titles.get(group) || ""}` : "(before the first heading)"));
      }
      const id = `${key}|${it.key}`;
      const box = h("input", {type: "checkbox", class: "tick", "aria-label": it.text, checked: !!ticks[id]});
      const li = h("li", {class: ticks[id] ? "item done" : "item", "data-key": it.key});
      box.addEventListener("change", () => { saveTick(id, box.checked); li.classList.toggle("done", box.checked); recount(); });
      let why = null;
      li.append(box, h("span", {class: "what"},
        it.jump ? h("a", {href: "#", onclick: (e) => { e.preventDefault(); flash(document.getElementById(it.jump)); }}, it.text) : it.text,
        it.meta.length ? h("div", {class: "small"}, it.meta.join(" · ")) : null),
        h("button", {type: "button", class: "why", title: "why is this here?", onclick: () => {
          if (why) { why.remove(); why = null; return; }
          why = explainList(it.reasons());
          li.after(why);
        }}, "why?"));
      list.append(li);
    }
    recount();
    return h("div", null, counter, list);
  }
  function renderCompliance(doc) {
    const comp = doc.compliance;
    if (!comp) return h("p", {class: "small", id: "no-compliance"}, "No compliance results for this plan.");
    const head = h("p", {class: "small"}, `${comp.organisation}: ${comp.reason}`, comp.norms ? ` · norms: ${comp.norms}` : "");
    if (!comp.checked || !(comp.checks || []).length) return h("div", {id: "compliance"}, head);
    const rows = [];
    for (const c of comp.checks) {
      let why = null;
      const tr = h("tr", null, h("td", null, c.practice), h("td", null, c.required), h("td", null, c.plan || "—"),
        h("td", {class: `o-${c.outcome}`}, c.outcome),
        h("td", null, h("button", {type: "button", class: "why", onclick: () => {
          if (why) { why.remove(); why = null; return; }
          why = h("tr", null, h("td", {colspan: 5}, explainList([
            `norm: ${c.practice} ${c.required} (${c.basis}${c.source ? ", " + c.source : ""})`,
            `plan: ${c.plan || "no number for it"}${c.plan_per_year !== null ? ` = ${c.plan_per_year} a year` : ""}` +
              (c.required_per_year !== null ? `; the norm asks ${c.required_per_year} a year` : ""),
            c.quote ? `「${c.quote}」` : "the plan does not name it",
            c.note || null])));
          tr.after(why);
        }}, "why?")));
      rows.push(tr);
    }
    return h("div", {id: "compliance"}, head, h("table", {id: "compliance-table"},
      h("thead", null, h("tr", null, ["practice", "norm", "plan", "outcome", ""].map((x) => h("th", null, x)))),
      h("tbody", null, rows)));
  }
  function renderPractices(doc) {
    if (!doc.measures.length) return h("p", {class: "small"}, "No practices named.");
    return h("table", {id: "practices-table"}, h("thead", null, h("tr", null, h("th", null, "practice"), h("th", null, "category"),
        h("th", {class: "n"}, "mentions"), h("th", null, "commitments"))),
      h("tbody", null, doc.measures.map((m) => h("tr", null,
        h("td", null, h("a", {href: "#", onclick: (e) => { e.preventDefault(); if (m.section_ids.length) flash(document.getElementById(`sec-${m.section_ids[0]}`)); }}, m.name),
          m.candidate ? h("span", {class: "small"}, " (candidate)") : null),
        h("td", {class: "small"}, m.category), h("td", {class: "n"}, m.count),
        h("td", null, m.commitment_ids.map((i) => doc.commitments[i]).filter(Boolean).map(shortCommitment).join("、"))))));
  }
  function showPlan(file, fileIndex, docIndex) {
    const doc = file.documents[docIndex] || file.documents[0];
    const view = $("plan-view");
    const formats = (app.config && app.config.formats) || [];
    const base = `/api/runs/${encodeURIComponent(app.run)}/files/${fileIndex}/download/`;
    const downloads = h("div", {class: "downloads"}, formats.map((f) =>
      h("a", {href: base + encodeURIComponent(f.name), download: "", class: "download", "data-format": f.name, title: f.label}, f.name)));
    const picker = file.documents.length > 1 ? h("div", {class: "plan-picker"}, h("span", {class: "small"}, `${file.documents.length} plans in this file:`),
      file.documents.map((d, i) => h("button", {type: "button", class: i === docIndex ? "on" : null, onclick: () => showPlan(file, fileIndex, i)},
        `${i + 1}. ${d.title || "(untitled)"}`))) : null;
    const tabsBody = h("div");
    const tabs = [["Checklist", () => renderChecklist(file, doc)], ["Compliance", () => renderCompliance(doc)], ["Practices", () => renderPractices(doc)]];
    const tabBar = h("div", {class: "tabs"});
    tabs.forEach(([name, make], i) => {
      const b = h("button", {type: "button", id: `tab-${name.toLowerCase()}`, class: i === 0 ? "on" : null, onclick: () => {
        tabBar.querySelectorAll("button").forEach((x) => x.classList.remove("on")); b.classList.add("on"); fill(tabsBody, make()); }}, name);
      tabBar.append(b);
    });
    fill(tabsBody, tabs[0][1]());
    fill(view,
      h("div", {class: "plan-head"},
        app.dashboardData ? h("button", {type: "button", id: "back", onclick: () => { show("dashboard"); }}, "← comparison") : null,
        h("h2", {id: "plan-title"}, doc.title || "(untitled plan)"),
        h("span", {class: "small"}, [file.source.path, doc.period ? doc.period.label : null, `${doc.sections.length} sections`,
          doc.tasks ? `${doc.tasks.length} tasks` : null, `${doc.commitments.length} commitments`, `${doc.measures.length} practices`]
          .filter(Boolean).join(" · ")),
        downloads),
      picker,
      h("div", {class: "plan-grid"},
        h("div", {class: "pane", id: "outline-pane"}, h("h3", null, "Outline"), renderTree(doc, fileIndex)),
        h("div", {class: "pane", id: "text-pane"}, renderText(doc)),
        h("div", {class: "pane", id: "side-pane"}, tabBar, tabsBody)));
    show("plan");
  }
  app.showPlan = showPlan;

  // --- wiring ----------------------------------------------------------------------------------
  function wire() {
    const zone = $("dropzone");
    zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", async (e) => {
      e.preventDefault();
      zone.classList.remove("over");
      takeFiles(await droppedFiles(e.dataTransfer));
    });
    document.addEventListener("dragover", (e) => e.preventDefault());
    document.addEventListener("drop", (e) => e.preventDefault());
    $("pick-files").addEventListener("click", () => $("file-input").click());
    $("pick-folder").addEventListener("click", () => $("folder-input").click());
    for (const id of ["file-input", "folder-input"]) {
      $(id).addEventListener("change", (e) => { takeFiles(pickedFiles(e.target)); e.target.value = ""; });
    }
    $("paste-go").addEventListener("click", extractText);
  }
  wire();
  api("/api/config").then((config) => { app.config = config; document.body.dataset.ready = "1"; })
    .catch((e) => notice(`cannot reach the planlens server: ${e.message}`, true));
})();
