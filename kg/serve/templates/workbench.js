// The workbench: builds every element from /api/meta and /api/run answers with textContent (never markup).
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var META = null;
  var state = { src: null, columns: [], rows: [], sort: null };
  window.negkg = { ready: false, runs: 0 };

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  function setStatus(text, error) {
    var s = $("status");
    s.textContent = text;
    s.className = error ? "error" : "";
  }

  function showTab(name) {
    ["library", "cypher", "sparql"].forEach(function (t) {
      $("panel-" + t).hidden = t !== name;
      $("tab-" + t).setAttribute("aria-pressed", String(t === name));
    });
  }

  // --- the library as forms ---------------------------------------------------------------
  function question() {
    var name = $("lib-name").value;
    return META.library.filter(function (q) { return q.name === name; })[0];
  }

  function buildForm() {
    var q = question();
    var form = $("lib-form");
    form.textContent = "";
    $("lib-desc").textContent = q.description;
    q.params.forEach(function (p) {
      var label = el("label", p.name + (p.required ? " (required)" : "") + ": " + p.description + " ", { "class": "block" });
      var values = p.values ? (META.values[p.values] || []) : null;
      var input;
      if (values && values.length <= 300) {
        input = el("select");
        input.appendChild(el("option", p.required ? "choose…" : "(any)", { value: "" }));
        values.forEach(function (v) { input.appendChild(el("option", v[1] === v[0] ? v[0] : v[0] + " — " + v[1], { value: v[0] })); });
      } else {
        input = el("input", null, { type: "text", autocomplete: "off" });
        if (values) {
          var list = el("datalist", null, { id: "values-" + p.name });
          values.forEach(function (v) { list.appendChild(el("option", v[1], { value: v[0] })); });
          label.appendChild(list);
          input.setAttribute("list", list.id);
        }
      }
      input.id = "param-" + p.name;
      input.dataset.param = p.name;
      label.appendChild(input);
      form.appendChild(label);
    });
  }

  function librarySource() {
    var src = new URLSearchParams();
    src.set("q", $("lib-name").value);
    src.set("lang", $("lib-lang").value);
    Array.prototype.forEach.call($("lib-form").querySelectorAll("[data-param]"), function (i) {
      if (i.value !== "") { src.set("p." + i.dataset.param, i.value); }
    });
    return src;
  }

  function cypherSource() {
    var src = new URLSearchParams();
    src.set("cypher", $("cy-text").value);
    $("cy-params").value.split("\n").forEach(function (line) {
      var at = line.indexOf("=");
      if (line.trim() && at > 0) { src.set("p." + line.slice(0, at).trim(), line.slice(at + 1)); }
    });
    return src;
  }

  function sparqlSource() {
    var src = new URLSearchParams();
    src.set("sparql", $("sp-text").value);
    return src;
  }

  // --- results --------------------------------------------------------------------------------
  function cellText(v) {
    if (v === null || v === undefined) { return ""; }
    if (Array.isArray(v) && v.every(function (x) { return x === null || typeof x !== "object"; })) { return v.join("; "); }
    if (typeof v === "object") { return JSON.stringify(v); }
    return String(v);
  }

  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") { return a - b; }
    return cellText(a).localeCompare(cellText(b), undefined, { numeric: true });
  }

  function drawTable() {
    var thead = $("table").tHead, tbody = $("table").tBodies[0];
    thead.textContent = "";
    tbody.textContent = "";
    var tr = el("tr");
    state.columns.forEach(function (c, i) {
      var th = el("th", c, { scope: "col", "data-col": String(i) });
      if (state.sort && state.sort.col === i) { th.setAttribute("aria-sort", state.sort.dir > 0 ? "ascending" : "descending"); }
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    var frag = document.createDocumentFragment();
    state.rows.forEach(function (r) {
      var row = el("tr");
      state.columns.forEach(function (c) { row.appendChild(el("td", cellText(r[c]))); });
      frag.appendChild(row);
    });
    tbody.appendChild(frag);
  }

  function sortBy(col) {
    var dir = state.sort && state.sort.col === col ? -state.sort.dir : 1;
    var name = state.columns[col];
    state.sort = { col: col, dir: dir };
    state.rows.sort(function (a, b) { return dir * compare(a[name], b[name]); });
    drawTable();
  }

  function withFormat(path, src, key, value) {
    var p = new URLSearchParams(src);
    p.set(key, value);
    return path + "?" + p.toString();
  }

  function updateLinks() {
    if (!state.src) { return; }
    $("dl-csv").href = withFormat("/api/run", state.src, "format", "csv");
    $("dl-json").href = withFormat("/api/run", state.src, "format", "json");
    $("export-link").href = withFormat("/api/export", state.src, "format", $("export-format").value);
    $("report-link").href = withFormat("/report", state.src, "format", $("report-format").value);
  }

  function show(src, res) {
    state.src = src;
    state.sort = null;
    $("graph").hidden = true;
    $("graph").removeAttribute("src");
    $("graph-toggle").textContent = "Show graph";
    $("graph-text").hidden = true;
    if (res.kind === "boolean") {
      state.columns = ["boolean"];
      state.rows = [{ boolean: res.boolean }];
      setStatus("ASK: " + res.boolean + " (" + res.ms + " ms)");
    } else if (res.kind === "graph") {
      state.columns = [];
      state.rows = [];
      $("graph-text").textContent = res.text;
      $("graph-text").hidden = false;
      setStatus(res.triples + " triples (" + res.ms + " ms)" + (res.truncated ? "; cut at the server's cap" : ""));
    } else {
      state.columns = res.columns;
      state.rows = res.rows;
      setStatus(res.rows.length + " rows (" + res.ms + " ms)" + (res.message ? "; " + res.message : ""));
    }
    $("dl-csv").hidden = $("dl-json").hidden = res.kind !== "rows";
    $("actions").hidden = false;
    updateLinks();
    drawTable();
  }

  function run(src) {
    setStatus("running…");
    return fetch("/api/run", {
      method: "POST", credentials: "same-origin", body: src.toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" }
    }).then(function (resp) {
      if (!resp.ok) {
        return resp.text().then(function (t) {
          state.src = null;
          state.columns = [];
          state.rows = [];
          $("actions").hidden = true;
          drawTable();
          setStatus(t.trim(), true);
        });
      }
      return resp.json().then(function (res) { show(src, res); });
    }).catch(function (e) {
      setStatus("request failed: " + e, true);
    }).then(function () { window.negkg.runs += 1; });
  }

  // --- schemas and examples -------------------------------------------------------------------
  function section(parent, title, items) {
    var d = el("details");
    d.appendChild(el("summary", title));
    var ul = el("ul");
    items.forEach(function (it) {
      var li = el("li");
      li.appendChild(el("code", it[0]));
      if (it[1]) { li.appendChild(document.createTextNode(" " + it[1])); }
      ul.appendChild(li);
    });
    d.appendChild(ul);
    parent.appendChild(d);
    return d;
  }

  function buildSchemas() {
    var cs = META.cypher_schema, cy = $("cy-schema");
    cy.appendChild(el("h2", "Labels and properties"));
    cs.labels.forEach(function (l) {
      section(cy, l.label, l.properties.map(function (p) { return [p[0], p[1]]; }));
    });
    cy.appendChild(el("h2", "Relationship types"));
    section(cy, "all types", cs.relationships.map(function (r) {
      var ends = r.endpoints.map(function (e) { return "(:" + e[0] + ")→(:" + e[1] + ")"; }).join(", ");
      var props = r.properties.map(function (p) { return p[0]; }).join(", ");
      return [r.type, ends + (props ? "; " + props : "")];
    })).open = true;
    var ss = META.sparql_schema, sp = $("sp-schema");
    sp.appendChild(el("h2", "Prefixes"));
    section(sp, "declared for you", Object.keys(ss.prefixes).map(function (k) { return [k + ":", ss.prefixes[k]]; })).open = true;
    sp.appendChild(el("h2", "Ontology"));
    section(sp, "classes", ss.classes.map(function (c) { return [c.name, c.comment]; }));
    section(sp, "properties", ss.properties.map(function (p) {
      return [p.name, [p.domain, "→", p.range].join(" ") + (p.comment ? " — " + p.comment : "")];
    }));
  }

  function buildExamples() {
    META.library.forEach(function (q) {
      $("cy-example").appendChild(el("option", q.name, { value: q.name }));
      $("sp-example").appendChild(el("option", q.name, { value: q.name }));
    });
    $("cy-example").addEventListener("change", function () {
      var q = META.library.filter(function (x) { return x.name === $("cy-example").value; })[0];
      if (!q) { return; }
      $("cy-text").value = q.cypher;
      $("cy-params").value = q.params.map(function (p) { return p.name + "="; }).join("\n");
    });
    $("sp-example").addEventListener("change", function () {
      var q = META.library.filter(function (x) { return x.name === $("sp-example").value; })[0];
      if (q) { $("sp-text").value = q.sparql; }
    });
  }

  function fill(select, values, labels) {
    values.forEach(function (v) { select.appendChild(el("option", labels ? labels[v] : v, { value: v })); });
  }

  function start(meta) {
    META = meta;
    $("engines").textContent = "Cypher: " + meta.engines.cypher + " · SPARQL: " + meta.engines.sparql +
      " · limits: " + meta.limits.timeout + " s, " + meta.limits.max_rows + " rows";
    fill($("lib-name"), meta.library.map(function (q) { return q.name; }));
    fill($("lib-lang"), Object.keys(meta.engines), Object.keys(meta.engines).reduce(function (o, k) {
      o[k] = k + " (" + meta.engines[k] + ")"; return o; }, {}));
    fill($("export-format"), meta.exports);
    fill($("report-format"), meta.reports);
    $("export-format").value = meta.exports.indexOf("graphml") >= 0 ? "graphml" : meta.exports[0];
    $("report-format").value = "html";
    buildForm();
    buildSchemas();
    buildExamples();
    window.negkg.ready = true;
  }

  Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (b) {
    b.addEventListener("click", function () { showTab(b.dataset.tab); });
  });
  $("lib-name").addEventListener("change", buildForm);
  $("lib-run").addEventListener("click", function () { run(librarySource()); });
  $("cy-run").addEventListener("click", function () { run(cypherSource()); });
  $("sp-run").addEventListener("click", function () { run(sparqlSource()); });
  $("export-format").addEventListener("change", updateLinks);
  $("report-format").addEventListener("change", updateLinks);
  $("table").tHead.addEventListener("click", function (e) {
    var th = e.target.closest("th");
    if (th) { sortBy(Number(th.dataset.col)); }
  });
  $("graph-toggle").addEventListener("click", function () {
    var f = $("graph");
    if (f.hidden && state.src) {
      f.src = withFormat("/view", state.src, "v", "1");
      f.hidden = false;
      $("graph-toggle").textContent = "Hide graph";
    } else {
      f.hidden = true;
      $("graph-toggle").textContent = "Show graph";
    }
  });
  fetch("/api/meta", { credentials: "same-origin" }).then(function (r) {
    if (!r.ok) { throw new Error("HTTP " + r.status); }
    return r.json();
  }).then(start).catch(function (e) { setStatus("cannot load the workbench: " + e, true); });
})();
