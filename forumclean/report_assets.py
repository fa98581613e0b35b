"""The audit report's inline style sheet and script (``report.py`` writes them into the file).

The script builds every page view from its JSON blob with ``createElement``/``textContent`` only:
page text never becomes markup.
"""

REPORT_CSS = r"""
:root { --fg: #1d2125; --dim: #6b7280; --line: #d9dde3; --bg: #fff; --soft: #f5f6f8;
  --rm: #8a8f98; --rmbg: #eceef1; --meta: #0b5f86; --metabg: #e3f1f8; --bad: #fde8e8; --warn: #fff6d6;
  --accent: #2f6fb0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC",
  "Microsoft YaHei", sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 12px 20px 4px; border-bottom: 1px solid var(--line); background: var(--soft); }
h1 { font-size: 18px; margin: 0; }
.sub { margin: 2px 0 6px; color: var(--dim); }
main { padding: 10px 20px 40px; }
#hist { margin: 4px 0 8px; }
#hist figcaption { color: var(--dim); font-size: 12px; margin-bottom: 2px; }
#hist .note { font-style: italic; }
#hist svg { display: block; overflow: visible; }
#hist text { font-size: 10px; fill: var(--dim); }
#hist .hit { fill: transparent; cursor: pointer; }
#hist .bar { fill: #9bb8d8; pointer-events: none; }
#hist .bin:hover .bar, #hist .bin:focus .bar { fill: var(--accent); }
#hist .bin.on .bar { fill: #c0392b; }
#filters { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; margin: 6px 0 10px; }
#filters label { color: var(--dim); }
#filters select, #filters input, #filters button { font: inherit; }
#shown { color: var(--dim); margin-left: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 3px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { position: sticky; top: 0; background: var(--soft); cursor: pointer; user-select: none; white-space: nowrap; }
th.asc::after { content: " \25B2"; font-size: 10px; } th.desc::after { content: " \25BC"; font-size: 10px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td:first-child { overflow-wrap: anywhere; }
td:nth-child(2), td:nth-child(3) { white-space: nowrap; }
tr.bad td { background: var(--bad); } tr.warn td { background: var(--warn); }
td.share { position: relative; min-width: 90px; }
td.share .bar { position: absolute; left: 8px; width: calc((100% - 16px) * var(--share)); bottom: 2px; height: 3px; background: #c0392b; opacity: .55; }
td.warnings { color: #7a4b00; font-size: 12px; } tr.ok td.warnings { color: var(--dim); }
a { color: var(--accent); }
.pnav { display: flex; gap: 14px; align-items: center; margin-bottom: 6px; }
.pnav .pos { color: var(--dim); }
.pageview h2 { font-size: 17px; margin: 4px 0; overflow-wrap: anywhere; }
.facts { color: var(--dim); margin: 0 0 4px; }
.facts b { color: var(--fg); font-weight: 600; }
.pagewarn { margin: 2px 0; color: #7a4b00; }
.pageerror { margin: 8px 0; padding: 8px; background: var(--bad); }
.tools { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; padding: 6px 0 8px;
  border-bottom: 1px solid var(--line); position: sticky; top: 0; background: var(--bg); z-index: 1; }
.legend span { margin-right: 10px; }
.text { margin-top: 8px; }
.text section { margin: 0; padding: 2px 0; }
.text section.post { border-left: 3px solid var(--accent); padding: 0 0 2px 10px; margin-top: 12px; }
.text section.post.cont { margin-top: 0; }
.text section.post h3 { font-size: 13px; margin: 0 0 4px; padding: 2px 8px; background: var(--soft);
  border-top: 1px solid var(--accent); color: var(--accent); }
.line { min-height: 1.5em; overflow-wrap: anywhere; }
.rm { color: var(--rm); }
.rm s { text-decoration-color: #b0b5bd; }
.why, .role { display: inline-block; font-size: 11px; line-height: 1.4; padding: 0 5px; margin: 0 4px 0 0;
  border-radius: 8px; vertical-align: 1px; white-space: nowrap; }
.why { background: var(--rmbg); color: #59606b; }
.rm.cont .why { display: none; }
.meta { color: var(--meta); background: var(--metabg); border-radius: 3px; padding: 0 3px 0 0; }
.role { background: #c6e3f1; color: var(--meta); }
.hide-removed .rm, .hide-removed .line.rmline { display: none; }
"""

REPORT_JS = r"""
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var overview = $("overview"), pageView = $("page"), tbody = document.querySelector("#rows tbody");
  // Record fields (report.py's _overview_record): the table's columns, then these.
  var INDEX = 10, CODES = 11, LEVEL = 12, BIN = 13, SHARE = 7, SLICE = 500;
  var records = JSON.parse($("overview-data").textContent);
  records.forEach(function (r, k) { r.o = k; });
  var heads = Array.prototype.slice.call(document.querySelectorAll("#rows th"));
  var baseTitle = document.title, overviewScroll = 0;
  var state = { bin: null, key: "suspicion", dir: -1, limit: SLICE };
  var order = records.slice(), visible = order;
  var collator = new Intl.Collator(undefined, { numeric: true });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // -- overview: the table drawn a slice at a time, filters, sorting, histogram ----------------
  function rowElement(r) {
    if (r.tr) return r.tr;
    var tr = el("tr", r[LEVEL]), a = el("a", null, r[0]), td = el("td");
    tr.dataset.i = r[INDEX];
    a.href = "#p" + r[INDEX];
    td.appendChild(a);
    tr.appendChild(td);
    heads.forEach(function (th, col) {
      if (col === 0) return;
      var cell = el("td", th.classList.contains("num") ? "num" : null,
                    col === SHARE ? Math.round(r[col] * 100) + "%" : r[col]);
      if (col === SHARE) {
        var bar = el("span", "bar");
        bar.style.setProperty("--share", r[col]);
        cell.classList.add("share");
        cell.insertBefore(bar, cell.firstChild);
      }
      if (th.dataset.key === "warnings") cell.classList.add("warnings");
      tr.appendChild(cell);
    });
    r.tr = tr;
    return tr;
  }

  function draw() {
    var frag = document.createDocumentFragment();
    visible.slice(0, state.limit).forEach(function (r) { frag.appendChild(rowElement(r)); });
    tbody.replaceChildren(frag);
    var drawn = Math.min(state.limit, visible.length), rest = visible.length - drawn;
    $("shown").textContent = visible.length + " of " + records.length + " pages" +
      (rest ? " (first " + drawn + " shown)" : "");
    $("more").hidden = !rest;
    $("more-rows").textContent = "show " + Math.min(rest, SLICE) + " more";
  }

  function matches(r, fam, warn, name) {
    return (!fam || r[1] === fam) &&
      (!warn || (warn === "-" ? r[CODES].length === 0 : r[CODES].indexOf(warn) >= 0)) &&
      (state.bin === null || String(r[BIN]) === state.bin) &&
      (!name || r[0].toLowerCase().indexOf(name) >= 0);
  }

  function applyFilters() {
    var fam = $("f-family").value, warn = $("f-warn").value, name = $("f-name").value.toLowerCase();
    visible = order.filter(function (r) { return matches(r, fam, warn, name); });
    document.querySelectorAll("#hist .bin").forEach(function (g) {
      g.classList.toggle("on", g.dataset.bin === state.bin);
    });
    draw();
  }

  function sortBy(th) {
    var col = th.cellIndex, numeric = th.classList.contains("num");
    // First click: numbers largest first, names A to Z; a second click reverses.
    var dir = state.key === th.dataset.key ? -state.dir : (numeric ? -1 : 1);
    state.key = th.dataset.key; state.dir = dir;
    order.sort(function (a, b) {
      var c = numeric ? a[col] - b[col] : collator.compare(a[col], b[col]);
      return c * dir || a.o - b.o;
    });
    heads.forEach(function (h) { h.classList.remove("asc", "desc"); });
    th.classList.add(dir > 0 ? "asc" : "desc");
    applyFilters();
  }

  heads.forEach(function (th) {
    th.addEventListener("click", function () { sortBy(th); });
    th.addEventListener("keydown", function (ev) { if (ev.key === "Enter") sortBy(th); });
    if (th.dataset.key === state.key) th.classList.add("desc");
  });
  ["f-family", "f-warn"].forEach(function (id) { $(id).addEventListener("change", applyFilters); });
  $("f-name").addEventListener("input", applyFilters);
  $("f-clear").addEventListener("click", function () {
    $("f-family").value = ""; $("f-warn").value = ""; $("f-name").value = ""; state.bin = null; applyFilters();
  });
  $("more-rows").addEventListener("click", function () { state.limit += SLICE; draw(); });
  $("all-rows").addEventListener("click", function () { state.limit = Infinity; draw(); });
  document.querySelectorAll("#hist .bin").forEach(function (g) {
    function pick() { state.bin = state.bin === g.dataset.bin ? null : g.dataset.bin; applyFilters(); }
    g.addEventListener("click", pick);
    g.addEventListener("keydown", function (ev) { if (ev.key === "Enter") pick(); });
  });

  // -- page view ------------------------------------------------------------------------------
  function postHeading(d, post) {
    var parts = ["post " + (post + 1)], p = d.posts && d.posts[post];
    if (p) {
      if (p[0] !== null) parts.push("#" + p[0]);
      if (p[1]) parts.push(p[1]);
      if (p[2]) parts.push(p[2]);
    }
    return parts.join(" \u00b7 ");
  }

  function run(kind, role, text, continued) {
    var span;
    if (kind === "+") return el("span", "body", text);
    if (kind === "=") {
      span = el("span", "meta");
      span.dataset.role = role;
      span.title = "metadata: " + role;
      span.appendChild(el("span", "role", role));
      span.appendChild(document.createTextNode(text));
      return span;
    }
    span = el("span", continued ? "rm cont" : "rm");
    span.dataset.reason = role;
    span.title = "removed: " + role;
    span.appendChild(el("span", "why", role));
    span.appendChild(el("s", null, text));
    return span;
  }

  function endLine(line) {
    if (line && line.querySelector(":scope > :not(.rm)") === null) line.classList.add("rmline");
  }

  // Sections: page chrome (no post), each post under its heading; a post resumed after chrome
  // between its parts (an advert) continues without a second heading.
  function pageText(d) {
    var text = el("div", "text"), section = null, sectionPost, line = null, lineNo = null;
    var lastPost = -1, lastRemoved = null;
    (d.rows || []).forEach(function (r) {
      var ln = r[0], kind = r[1], role = r[2], post = r[4];
      if (section === null || post !== sectionPost) {
        endLine(line);
        line = null; lastRemoved = null; sectionPost = post;
        section = el("section", post === null ? "chrome" : "post");
        if (post !== null) {
          section.dataset.post = post;
          if (post > lastPost) section.appendChild(el("h3", null, postHeading(d, post)));
          else section.classList.add("cont");
          lastPost = Math.max(lastPost, post);
        }
        text.appendChild(section);
      }
      if (line === null || ln !== lineNo) {
        endLine(line);
        line = el("div", "line"); line.dir = "auto"; lineNo = ln;
        section.appendChild(line);
      }
      var key = kind === "-" ? role : null;
      line.appendChild(run(kind, role, r[3], key !== null && key === lastRemoved));
      lastRemoved = key;
    });
    endLine(line);
    return text;
  }

  function neighbours(i) {
    var at = function (list) { return list.findIndex(function (r) { return r[INDEX] === +i; }); };
    var list = visible, k = at(list);
    if (k < 0) { list = order; k = at(list); }
    var link = function (r) { return r ? r[INDEX] : undefined; };
    return { k: k, n: list.length, prev: link(list[k - 1]), next: link(list[k + 1]) };
  }

  function navigation(i) {
    var nav = el("nav", "pnav"), nb = neighbours(i), back = el("a", null, "\u2190 overview");
    back.href = "#";
    nav.appendChild(back);
    [["prev", "\u2039 previous"], ["next", "next \u203a"]].forEach(function (pair) {
      var to = nb[pair[0]], a = el(to !== undefined ? "a" : "span", pair[0], pair[1]);
      if (to !== undefined) a.href = "#p" + to;
      nav.appendChild(a);
    });
    nav.appendChild(el("span", "pos", (nb.k + 1) + " of " + nb.n + " in the table's order"));
    return nav;
  }

  function facts(d) {
    var p = el("p", "facts"), f = d.figures || [0, 0, 0, 0];
    var items = [["family", d.family], ["kind", d.kind], ["posts", (d.posts || []).length],
      ["kept", f[0]], ["metadata", f[1]], ["removed", f[2] + " (" + Math.round(f[3] * 100) + "%)"]];
    items.forEach(function (kv, k) {
      if (k) p.appendChild(document.createTextNode(" \u00b7 "));
      p.appendChild(document.createTextNode(kv[0] + " "));
      p.appendChild(el("b", null, kv[1] === null ? "\u2013" : kv[1]));
    });
    p.appendChild(document.createTextNode(" characters"));
    return p;
  }

  function tools() {
    var bar = el("div", "tools"), label = el("label"), box = el("input");
    box.type = "checkbox"; box.id = "hide-removed";
    box.checked = document.body.classList.contains("hide-removed");
    box.addEventListener("change", function () { document.body.classList.toggle("hide-removed", box.checked); });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" hide removed text"));
    bar.appendChild(label);
    var legend = el("span", "legend");
    legend.appendChild(el("span", "body", "kept as post body"));
    legend.appendChild(run("=", "role", "metadata"));
    legend.appendChild(run("-", "reason", "removed"));
    bar.appendChild(legend);
    return bar;
  }

  function renderPage(i, d) {
    var root = el("article", "pageview");
    root.dataset.i = i;
    root.appendChild(navigation(i));
    root.appendChild(el("h2", null, d.name));
    root.appendChild(facts(d));
    if (d.title) root.appendChild(el("p", "facts", "title: " + d.title));
    if (d.url) root.appendChild(el("p", "facts", "address: " + d.url));
    (d.warnings || []).forEach(function (w) { if (w !== "error") root.appendChild(el("p", "pagewarn", "\u26a0 " + w)); });
    if (d.error) { root.appendChild(el("p", "pageerror", "could not be cleaned: " + d.error)); return root; }
    root.appendChild(tools());
    root.appendChild(pageText(d));
    return root;
  }

  function open(i) {
    var blob = $("d" + i);
    if (!blob) return false;
    var d = JSON.parse(blob.textContent);
    pageView.replaceChildren(renderPage(i, d));
    overview.hidden = true; pageView.hidden = false;
    document.title = d.name + " \u00b7 " + baseTitle;
    return true;
  }

  function route() {
    var m = /^#p(\d+)$/.exec(location.hash);
    if (!overview.hidden) overviewScroll = window.scrollY;
    if (m && open(m[1])) { window.scrollTo(0, 0); return; }
    pageView.hidden = true; pageView.replaceChildren(); overview.hidden = false;
    document.title = baseTitle;
    window.scrollTo(0, overviewScroll);
  }

  document.addEventListener("keydown", function (ev) {
    if (pageView.hidden || ev.target.tagName === "INPUT" || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var which = { ArrowLeft: ".pnav a.prev", ArrowRight: ".pnav a.next" }[ev.key];
    var link = which && pageView.querySelector(which);
    if (link) location.hash = link.getAttribute("href");
  });
  window.addEventListener("hashchange", route);
  window.forumcleanReport = { open: open, route: route, sortBy: sortBy, applyFilters: applyFilters };
  applyFilters();
  route();
})();
"""
