/* The API page: the OpenAPI document the framework generates, listed as text (no CDN viewer). */
"use strict";
(function () {
  const {h, fill} = window.Planlens;
  const root = document.getElementById("api");
  fetch("/openapi.json").then((r) => r.json()).then((doc) => {
    const items = [];
    for (const path of Object.keys(doc.paths).sort()) {
      for (const method of Object.keys(doc.paths[path])) {
        const op = doc.paths[path][method];
        const params = (op.parameters || []).map((p) => `${p.name} (${p.in}${p.required ? ", required" : ""})`);
        const body = op.requestBody && op.requestBody.content ? Object.keys(op.requestBody.content) : [];
        const props = body.length && op.requestBody.content[body[0]].schema && op.requestBody.content[body[0]].schema.properties;
        items.push(h("section", {class: "op"},
          h("h2", null, `${method.toUpperCase()} ${path}`, op.summary ? ` — ${op.summary}` : ""),
          op.description ? h("p", {class: "desc"}, op.description) : null,
          params.length ? h("p", {class: "small"}, "parameters: " + params.join(", ")) : null,
          body.length ? h("p", {class: "small"}, `body: ${body.join(", ")}`,
            props ? " — fields: " + Object.keys(props).map((k) => `${k}: ${props[k].description || props[k].type}`).join("; ") : "") : null));
      }
    }
    fill(root, h("p", null, `${doc.info.title} ${doc.info.version}: ${doc.info.description || ""}`), items);
  }).catch((e) => fill(root, h("p", {class: "err"}, `could not read /openapi.json: ${e}`)));
})();
