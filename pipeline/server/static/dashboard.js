/* planlens comparison dashboard: plans table, practices × plans, commitments side by side,
   compliance heat-map, similar plans, graph. Reads the dashboard dict (pipeline/server/dashboard.py)
   and nothing else; the same file runs in the web app and inside compare.html. */
"use strict";
(function () {
  const {h, s, fill, fmtScore, pager} = window.Planlens;
  const PAGE = 50;           // plans table rows per page
  const MATRIX_COLUMNS = 20; // plans shown as matrix / heat-map columns at once
  const MATRIX_ROWS = 40;    // practices per matrix page
  const SIDE_ROWS = 40;      // plans per side-by-side page

  function mountDashboard(root, data, hooks) {
    hooks = hooks || {};
    const plans = data.plans || [];
    const measures = data.measures || [];
    const norms = data.norms || [];
    const compliance = data.compliance || [];
    const OUTCOMES = data.outcomes || ["meets", "weaker", "vague", "missing", "unknown"];
    const MARK = {meets: "✓", weaker: "↓", vague: "?", missing: "✗", unknown: "·"};
    // Precomputed per plan: lower-case search text, mentions by measure, compliance counts.
    const rows = plans.map((p, i) => {
      const mentions = new Map(p.measures.map(([m, n]) => [m, n]));
      const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0]));
      for (const [, outcome] of (compliance[i] || [])) counts[outcome] = (counts[outcome] || 0) + 1;
      return {i, p, mentions, counts, hay: `${p.letter} ${p.title} ${p.source}`.toLowerCase(),
              src: p.source.toLowerCase()};
    });
    const sideByMeasure = new Map((data.side || []).map((x) => [x.measure, new Map(x.cells)]));
    const state = {q: "", practice: "", outcome: "", source: "", sort: "letter", desc: false,
                   table: {page: 0}, matrix: {page: 0}, side: {page: 0}, sideMeasure: "",
                   chosen: plans.length ? 0 : -1, filtered: rows};

    const el = {};
    const sources = [...new Set(plans.map((p) => p.source))].sort();
    const outcomesPresent = new Set(compliance.flat().map((x) => x[1]));

    // --- controls -------------------------------------------------------------------------
    el.q = h("input", {type: "search", id: "plan-search", placeholder: "search title, source, letter",
                       "aria-label": "search plans", oninput: () => { state.q = el.q.value.trim().toLowerCase(); refilter(); }});
    el.practice = h("select", {id: "filter-practice", "aria-label": "filter by practice",
                               onchange: () => { state.practice = el.practice.value; refilter(); }},
      h("option", {value: ""}, "any practice"),
      measures.map((m, i) => h("option", {value: String(i)}, `${m.name} (${m.plans})`)));
    el.outcome = h("select", {id: "filter-outcome", "aria-label": "filter by compliance outcome",
                              onchange: () => { state.outcome = el.outcome.value; refilter(); }},
      h("option", {value: ""}, "any compliance"),
      [...OUTCOMES].reverse().filter((o) => outcomesPresent.has(o) && o !== "meets")
        .map((o) => h("option", {value: o}, `a norm ${o}`)),
      norms.length ? h("option", {value: "all-met"}, "every norm met") : null,
      h("option", {value: "none"}, "no compliance data"));
    el.sourceList = h("datalist", {id: "source-list"}, sources.slice(0, 5000).map((x) => h("option", {value: x})));
    el.source = h("input", {type: "search", id: "filter-source", list: "source-list", placeholder: "source contains",
                            "aria-label": "filter by source", oninput: () => { state.source = el.source.value.trim().toLowerCase(); refilter(); }});
    el.count = h("span", {class: "count", id: "plan-count"});
    el.table = h("div", {class: "table-wrap"});
    el.matrix = h("div", {class: "table-wrap"});
    el.side = h("div");
    el.heat = h("div", {class: "table-wrap"});
    el.similar = h("div");
    el.graph = h("div", {class: "graph"});

    const nFiles = sources.length;
    fill(root,
      h("p", {class: "summary"}, `${plans.length} plan(s) from ${nFiles} file(s); ${measures.length} distinct practice(s).`),
      h("section", {id: "dash-plans"}, h("h2", null, "Plans"),
        h("div", {class: "controls"}, el.q, el.practice, el.outcome, el.source, el.sourceList, el.count), el.table),
      h("section", {id: "dash-matrix"}, h("h2", null, "Practices × plans"),
        h("p", {class: "small"}, "Coverage: the share of the plans shown (after filtering) that name the practice. " +
          `Columns: the plans on the current page of the table (at most ${MATRIX_COLUMNS}). Click a practice to filter by it.`),
        el.matrix),
      h("section", {id: "dash-side"}, h("h2", null, "Commitments side by side"), el.side),
      h("section", {id: "dash-heat"}, h("h2", null, "Compliance"), el.heat),
      h("section", {id: "dash-similar"}, h("h2", null, "Similar plans"), el.similar),
      h("section", {id: "dash-graph"}, h("h2", null, "Graph"), el.graph));

    // --- filtering and sorting -------------------------------------------------------------
    function keep(r) {
      if (state.q && !r.hay.includes(state.q)) return false;
      if (state.source && !r.src.includes(state.source)) return false;
      if (state.practice !== "" && !r.mentions.has(Number(state.practice))) return false;
      if (state.outcome) {
        const total = (compliance[r.i] || []).length;
        if (state.outcome === "none") return total === 0;
        if (state.outcome === "all-met") return total > 0 && r.counts.meets === total;
        if (!r.counts[state.outcome]) return false;
      }
      return true;
    }
    const SORTS = {
      letter: (a, b) => a.i - b.i,
      title: (a, b) => a.p.title.localeCompare(b.p.title, "zh") || a.i - b.i,
      source: (a, b) => a.p.source.localeCompare(b.p.source) || a.i - b.i,
      practices: (a, b) => a.p.measures.length - b.p.measures.length || a.i - b.i,
      commitments: (a, b) => a.p.commitments - b.p.commitments || a.i - b.i,
      compliance: (a, b) => (a.counts.meets - a.counts.missing) - (b.counts.meets - b.counts.missing) || a.i - b.i,
      mentions: (a, b) => (a.mentions.get(Number(state.practice)) || 0) - (b.mentions.get(Number(state.practice)) || 0) || a.i - b.i,
    };
    function refilter() {
      state.table.page = 0; state.matrix.page = 0; state.side.page = 0;
      const out = rows.filter(keep);
      const cmp = SORTS[state.sort] || SORTS.letter;
      out.sort(state.desc ? (a, b) => cmp(b, a) : cmp);
      state.filtered = out;
      render();
    }
    function sortBy(key) {
      if (state.sort === key) state.desc = !state.desc; else { state.sort = key; state.desc = key !== "letter" && key !== "title" && key !== "source"; }
      refilter();
    }

    // --- renderers -------------------------------------------------------------------------
    function planLink(r) {
      return h("a", {href: "#", class: "plan-link", "data-plan": r.i, onclick: (e) => { e.preventDefault(); choose(r.i, true); }},
        r.p.title || "(untitled)");
    }
    function choose(i, open) {
      state.chosen = i;
      renderSimilar();
      if (open && hooks.openPlan && plans[i].file !== null && plans[i].file !== undefined) hooks.openPlan(plans[i]);
      else if (open) el.similar.scrollIntoView({block: "start"});
    }
    function complianceCell(r) {
      const total = (compliance[r.i] || []).length;
      if (!total) return r.p.compliance_note ? h("td", {class: "miss", title: r.p.compliance_note}, "n/a") : h("td", {class: "miss"}, "—");
      const bar = h("span", {class: "cbar", title: OUTCOMES.filter((o) => r.counts[o]).map((o) => `${r.counts[o]} ${o}`).join(", ") + ` of ${total}`},
        OUTCOMES.map((o) => r.counts[o] ? h("i", {class: `o-${o}`, style: `width:${100 * r.counts[o] / total}%`}) : null));
      return h("td", null, bar, ` ${r.counts.meets}/${total}`);
    }
    function renderTable() {
      const [slice, controls] = pager(state.filtered, state.table, PAGE, render, "plans");
      const arrow = (key) => state.sort === key ? (state.desc ? " ▾" : " ▴") : "";
      const th = (key, label, cls) => h("th", {class: `sortable ${cls || ""}`, "data-sort": key, onclick: () => sortBy(key)}, label + arrow(key));
      const withMentions = state.practice !== "";
      fill(el.table, controls, h("table", {id: "plans-table"},
        h("thead", null, h("tr", null, th("letter", ""), th("title", "title"), th("source", "source"),
          th("practices", "practices", "n"), th("commitments", "commitments", "n"), th("compliance", "compliance"),
          withMentions ? th("mentions", `${measures[Number(state.practice)].name} mentions`, "n") : null)),
        h("tbody", null, slice.map((r) => h("tr", {"data-plan": r.i, class: r.i === state.chosen ? "chosen" : null},
          h("td", null, r.p.letter), h("td", null, planLink(r)), h("td", {class: "src"}, r.p.source),
          h("td", {class: "n"}, r.p.measures.length), h("td", {class: "n"}, r.p.commitments), complianceCell(r),
          withMentions ? h("td", {class: "n"}, r.mentions.get(Number(state.practice)) || "") : null)))));
      el.count.textContent = `${state.filtered.length} of ${plans.length} plans`;
    }
    function pagePlans() {
      const from = state.table.page * PAGE;
      return state.filtered.slice(from, from + Math.min(PAGE, MATRIX_COLUMNS));
    }
    function renderMatrix() {
      const shown = state.filtered;
      const named = new Array(measures.length).fill(0);
      for (const r of shown) for (const [m] of r.p.measures) named[m] += 1;
      const order = measures.map((m, i) => i).filter((i) => named[i] > 0).sort((a, b) => named[b] - named[a] || a - b);
      const cols = pagePlans();
      const [slice, controls] = pager(order, state.matrix, MATRIX_ROWS, renderMatrix, "practices");
      fill(el.matrix, controls, h("table", {id: "matrix-table", class: "matrix"},
        h("thead", null, h("tr", null, h("th", null, "practice"), h("th", null, "category"), h("th", null, "coverage"),
          cols.map((r) => h("th", {class: "n", title: r.p.title}, r.p.letter)))),
        h("tbody", null, slice.map((mi) => {
          const pct = shown.length ? named[mi] / shown.length : 0;
          return h("tr", {"data-measure": mi},
            h("td", null, h("a", {href: "#", onclick: (e) => { e.preventDefault(); el.practice.value = String(mi); state.practice = String(mi); refilter(); el.table.scrollIntoView({block: "start"}); }}, measures[mi].name)),
            h("td", {class: "small"}, measures[mi].category),
            h("td", {class: "cov"}, h("span", {class: "bar"}, h("i", {style: `width:${(100 * pct).toFixed(1)}%`})),
              ` ${named[mi]}/${shown.length}`),
            cols.map((r) => { const n = r.mentions.get(mi); return h("td", {class: n ? "n hit" : "n"}, n || ""); }));
        }))));
    }
    function renderSide() {
      const withNumbers = (data.side || []).map((x) => x.measure);
      if (!withNumbers.length) { fill(el.side, h("p", null, "No practice carries a number in any plan.")); return; }
      if (state.sideMeasure === "" || !sideByMeasure.has(Number(state.sideMeasure))) {
        state.sideMeasure = String(state.practice !== "" && sideByMeasure.has(Number(state.practice)) ? state.practice : withNumbers[0]);
      }
      const mi = Number(state.sideMeasure);
      const cells = sideByMeasure.get(mi);
      const select = h("select", {id: "side-practice", "aria-label": "practice", onchange: () => { state.sideMeasure = select.value; state.side.page = 0; renderSide(); }},
        withNumbers.map((m) => h("option", {value: String(m), selected: m === mi}, measures[m].name)));
      const legend = data.legend || {};
      const named = state.filtered.filter((r) => r.mentions.has(mi) || cells.has(r.i));
      const [slice, controls] = pager(named, state.side, SIDE_ROWS, renderSide, "plans naming it");
      fill(el.side, h("div", {class: "controls"}, h("label", null, "practice ", select),
          h("span", {class: "small"}, `${legend.named_without_number || "提及"}: named without a number; plans that do not name it are left out`)),
        controls,
        h("table", {id: "side-table"}, h("thead", null, h("tr", null, h("th", null, ""), h("th", null, "plan"), h("th", null, "commitments as read"))),
          h("tbody", null, slice.map((r) => {
            const cell = cells.get(r.i) || legend.named_without_number || "提及";
            return h("tr", null, h("td", null, r.p.letter), h("td", null, planLink(r)),
              h("td", {class: cell === (legend.named_without_number || "提及") ? "vague" : ""}, cell));
          }))));
    }
    function renderHeat() {
      if (!norms.length) {
        fill(el.heat, h("p", {class: "small", id: "no-compliance"}, "No compliance results in this comparison."));
        return;
      }
      const cols = pagePlans();
      const byPlan = new Map(cols.map((r) => [r.i, new Map((compliance[r.i] || []).map(([n, o, d]) => [n, [o, d]]))]));
      fill(el.heat, h("p", {class: "small"}, "Norms × the plans on the current page of the table. ",
          OUTCOMES.map((o) => h("span", {class: `key o-${o}`}, `${MARK[o] || ""} ${o}`))),
        h("table", {id: "heat-table", class: "heat"},
          h("thead", null, h("tr", null, h("th", null, "norm"), cols.map((r) => h("th", {class: "n", title: r.p.title}, r.p.letter)))),
          h("tbody", null, norms.map((name, ni) => h("tr", null, h("td", null, name),
            cols.map((r) => {
              const x = byPlan.get(r.i).get(ni);
              return x ? h("td", {class: `o-${x[0]}`, title: `${r.p.letter} · ${name}: ${x[0]}${x[1] ? " — " + x[1] : ""}`}, MARK[x[0]] || "·")
                       : h("td", {class: "miss", title: r.p.compliance_note || "not checked"}, "");
            }))))));
    }
    function renderSimilar() {
      if (state.chosen < 0) { fill(el.similar, h("p", null, "No plans.")); return; }
      const i = state.chosen;
      const p = plans[i];
      // the plans on the current page of the table (and the chosen one): a short list at any size
      const from = state.table.page * PAGE;
      const options = state.filtered.slice(from, from + PAGE).map((r) => r.i);
      if (!options.includes(i)) options.unshift(i);
      const select = h("select", {id: "similar-plan", "aria-label": "plan", onchange: () => choose(Number(select.value), false)},
        options.map((j) => h("option", {value: String(j), selected: j === i}, `${plans[j].letter} ${plans[j].title}`)));
      const mine = new Set(p.measures.map(([m]) => m));
      const list = (key, label) => {
        const items = ((data.similar || {})[key] || [])[i] || [];
        return h("div", {class: "sim"}, h("h3", null, label),
          items.length ? h("ol", null, items.map(([j, score]) => {
            const shared = plans[j].measures.filter(([m]) => mine.has(m)).map(([m]) => measures[m].name);
            return h("li", null, h("b", null, fmtScore(score)), " ", plans[j].letter, " ",
              h("a", {href: "#", onclick: (e) => { e.preventDefault(); choose(j, false); }}, plans[j].title || "(untitled)"),
              h("div", {class: "small"}, `${shared.length} shared practice(s): ${shared.slice(0, 12).join("、")}${shared.length > 12 ? " …" : ""}`));
          })) : h("p", {class: "small"}, "none"));
      };
      fill(el.similar, h("div", {class: "controls"}, h("label", null, "plan ", select),
          h("span", {class: "small"}, "(the plans on this page of the table; click a title there to choose any)"),
          hooks.openPlan && p.file !== null && p.file !== undefined
            ? h("button", {type: "button", onclick: () => hooks.openPlan(p)}, "open this plan") : null),
        h("p", {class: "small"}, `${p.source} · ${p.measures.length} practice(s) · ${p.commitments} commitment(s)`),
        h("div", {class: "sims"}, list("jaccard", "by practices (Jaccard)"), list("cosine", "by wording (TF-IDF cosine)")));
    }
    function renderGraph() {
      const g = data.graph;
      if (!g || !g.nodes.length) { fill(el.graph, h("p", null, "Nothing to draw.")); return; }
      const W = 1100, H = 760, M = 60;
      const X = (n) => M + n.x * (W - 2 * M), Y = (n) => M + n.y * (H - 2 * M);
      const nodes = g.nodes;
      // with many nodes, only practices named by more than one plan carry a label (the rest: hover)
      const crowded = nodes.length > 60;
      const svg = s("svg", {viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "graph of plans and practices", id: "graph-svg"});
      const edges = s("g", {stroke: "#888", "stroke-opacity": "0.3"});
      for (const [a, b, w] of g.edges) {
        edges.append(s("line", {x1: X(nodes[a]).toFixed(1), y1: Y(nodes[a]).toFixed(1), x2: X(nodes[b]).toFixed(1), y2: Y(nodes[b]).toFixed(1),
                                "stroke-width": (0.6 + Math.log1p(w) * 0.8).toFixed(2)}));
      }
      svg.append(edges);
      for (const n of nodes) {
        const x = X(n), y = Y(n);
        if (n.kind === "plan") {
          const p = plans[n.ref];
          svg.append(s("g", {class: "node plan", onclick: () => choose(n.ref, false)},
            s("title", null, `${p.letter}: ${p.title} (${p.source})`),
            s("circle", {cx: x.toFixed(1), cy: y.toFixed(1), r: 13, fill: "#b22222"}),
            s("text", {x: x.toFixed(1), y: (y + 4).toFixed(1), "font-size": 12, "font-weight": "bold", fill: "#fff", "text-anchor": "middle"}, p.letter)));
        } else {
          const m = measures[n.ref];
          const r = 4 + 9 * n.size;
          svg.append(s("g", {class: "node measure", onclick: () => { el.practice.value = String(n.ref); state.practice = String(n.ref); refilter(); }},
            s("title", null, `${m.name} · ${m.category} · ${m.plans} plan(s), ${m.mentions} mention(s)`),
            s("circle", {cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1), fill: g.categories[n.category] || "#999", "fill-opacity": "0.85"}),
            (g.mode === "plans" ? (!crowded || m.plans > 1) : r > 7) ? s("text", {x: (x + r + 2).toFixed(1), y: (y + 4).toFixed(1), "font-size": 11, fill: "#222"}, m.name) : null));
        }
      }
      const legend = h("div", {class: "legend"}, g.mode === "plans" ? h("span", null, h("i", {style: "background:#b22222"}), "plan") : null,
        Object.keys(g.categories).sort().map((c) => h("span", null, h("i", {style: `background:${g.categories[c]}`}), c)));
      fill(el.graph, h("p", {class: "small"}, g.mode === "plans"
          ? "Plans (red) link to the practices they name; a practice grows with the number of plans naming it. Hover for details, click to filter."
          : `${plans.length} plans: practices only, sized by the plans naming them, each linked to the practices most often named with it. Click a practice to filter.`),
        svg, legend);
    }
    function render() { renderTable(); renderMatrix(); renderSide(); renderHeat(); renderSimilar(); }

    render();
    renderGraph();
    return {state, refilter, render,
            setFilter(opts) { // used by tests and links: {q, practice, outcome, source}
              if ("q" in opts) { el.q.value = opts.q; state.q = opts.q.trim().toLowerCase(); }
              if ("source" in opts) { el.source.value = opts.source; state.source = opts.source.trim().toLowerCase(); }
              if ("practice" in opts) { el.practice.value = String(opts.practice); state.practice = String(opts.practice); }
              if ("outcome" in opts) { el.outcome.value = opts.outcome; state.outcome = opts.outcome; }
              refilter();
            }};
  }

  window.Planlens.mountDashboard = mountDashboard;
})();
