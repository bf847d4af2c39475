/* planlens front end: shared helpers. Every piece of plan text goes into the page as a text node or
   an attribute value (never parsed as HTML), so a plan holding <script> shows as text. */
"use strict";
(function () {
  const SVG_NS = "http://www.w3.org/2000/svg";

  function append(el, kids) {
    for (const kid of kids.flat(Infinity)) {
      if (kid === null || kid === undefined || kid === false) continue;
      el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return el;
  }

  function setAttrs(el, attrs) {
    if (!attrs) return el;
    for (const key of Object.keys(attrs)) {
      const value = attrs[key];
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") el.setAttribute("class", value);
      else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    return el;
  }

  /** h("td", {class: "n"}, "text", child…): an element whose strings become text nodes. */
  function h(tag, attrs, ...kids) {
    return append(setAttrs(document.createElement(tag), attrs), kids);
  }

  /** The same for SVG elements. */
  function s(tag, attrs, ...kids) {
    return append(setAttrs(document.createElementNS(SVG_NS, tag), attrs), kids);
  }

  /** Remove every child of `el`, then append `kids`. */
  function fill(el, ...kids) {
    el.replaceChildren();
    return append(el, kids);
  }

  function fmtScore(x) { return (Math.round(x * 100) / 100).toFixed(2); }

  const OUTCOME_LABELS = {met: "met", partial: "partial", missing: "missing", unknown: "unknown"};

  /** A pager: {page, size}; returns [slice, controls element]. */
  function pager(items, state, size, rerender, what) {
    const pages = Math.max(1, Math.ceil(items.length / size));
    if (state.page >= pages) state.page = pages - 1;
    if (state.page < 0) state.page = 0;
    const from = state.page * size;
    const slice = items.slice(from, from + size);
    const go = (p) => () => { state.page = p; rerender(); };
    const controls = h("div", {class: "pager"},
      h("button", {type: "button", disabled: state.page === 0, onclick: go(state.page - 1), "aria-label": "previous page"}, "‹"),
      h("span", {class: "pager-text"},
        items.length ? `${from + 1}–${from + slice.length} of ${items.length} ${what}` : `0 ${what}`),
      h("button", {type: "button", disabled: state.page >= pages - 1, onclick: go(state.page + 1), "aria-label": "next page"}, "›"));
    return [slice, controls];
  }

  window.Planlens = {h, s, fill, fmtScore, pager, OUTCOME_LABELS};
})();
