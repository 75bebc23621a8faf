/* negotiation-kg page script. Data comes from the JSON element and is only ever used as text:
   tooltips, details, legend and options are DOM text nodes (textContent), never innerHTML.
   The layered view (NegkgLayered, layered.js) is the default; filters lay the remaining nodes out again. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("negkg-data").textContent);
  var meta = data.meta;
  var HL = meta.headlineColor;
  var L = meta.layout || { fontPx: 14, minLabelPx: 12 };
  var minScale = L.minLabelPx / L.fontPx + 0.001;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function tipElement(item) {
    var box = el("div", "tip");
    box.appendChild(el("div", "tip-title", item.name || item.label));
    item.tip.forEach(function (row) {
      var r = el("div", "tip-row");
      r.appendChild(el("span", "tip-key", row[0] + ": "));
      r.appendChild(document.createTextNode(row[1]));
      box.appendChild(r);
    });
    return box;
  }

  var byId = {}, edgeById = {}, adj = {}, slots = {}, members = {};
  data.nodes.forEach(function (n) {
    byId[n.id] = n; adj[n.id] = [];
    slots[n.id] = { col: n.col, lane: n.lane, rank: n.rank };
    if (n.group) (members[n.group] || (members[n.group] = [])).push(n.id);
  });
  data.edges.forEach(function (e) { edgeById[e.id] = e; adj[e.from].push(e.to); adj[e.to].push(e.from); });

  var big = data.nodes.length > 500;
  var state = { types: {}, party: "", mech: "", headline: false, search: "", open: {}, layout: "layered" };
  meta.legend.forEach(function (r) { state.types[r.type] = meta.hidden.indexOf(r.type) < 0; });
  if (meta.focus && byId[meta.focus]) state.types[byId[meta.focus].type] = true;  // --focus shows its node's type
  function groupOpen(g) { return state.open[g] === true || !state.types.Negotiation; }
  function handleLabel(n) {
    var k = (members[n.handle] || []).length;
    return n.label + "\n" + (groupOpen(n.handle) ? "▾ click to close" : "▸ " + k + " more — click to open");
  }

  var visNodes = data.nodes.map(function (n) {
    var v = Object.assign({}, meta.styles[n.style]);
    v.id = n.id; v.label = n.label;
    v.title = tipElement(n);
    if (n.handle) v.label = handleLabel(n);
    if (n.hl === 2 && !big) v.shadow = { enabled: true, color: HL, size: 12, x: 0, y: 0 };
    if (n.x !== undefined) { v.x = n.x; v.y = n.y; }
    return v;
  });
  var visEdges = data.edges.map(function (e) {
    var v = Object.assign({}, meta.styles[e.style]);
    v.id = e.id; v.from = e.from; v.to = e.to; v.rel = e.rel;
    v.title = tipElement(e);
    if (slots[e.from].col === slots[e.to].col) v.smooth = { enabled: true, type: "curvedCW", roundness: 0.4 };
    return v;
  });

  var searchSet = null, searchHits = [];
  function passes(n) {
    if (!state.types[n.type]) return false;
    if (state.party && n.parties.indexOf(state.party) < 0) return false;
    if (state.mech && n.mechs.indexOf(state.mech) < 0) return false;
    if (state.headline && !n.hl) return false;
    if (searchSet && !searchSet[n.id]) return false;
    return true;
  }
  function shown(n) {
    if (n.group && !groupOpen(n.group)) return false;
    if (n.handle) {
      return !!state.types[n.type] && (passes(n) || (members[n.handle] || []).some(function (m) { return passes(byId[m]); }));
    }
    return passes(n);
  }
  if (meta.focus && byId[meta.focus] && byId[meta.focus].group) state.open[byId[meta.focus].group] = true;
  var visible = {};
  function recompute() {
    visible = {};
    data.nodes.forEach(function (n) { if (shown(n)) visible[n.id] = true; });
  }
  recompute();

  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visible[n.id] === true; } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return visible[e.from] === true && visible[e.to] === true; } });

  var LAYERED_EDGES = big ? { enabled: false } : { enabled: true, type: "cubicBezier", forceDirection: "horizontal", roundness: 0.45 };
  var FORCE = {
    enabled: true, solver: "barnesHut",
    barnesHut: { gravitationalConstant: -12000, centralGravity: 0.2, springLength: 200, springConstant: 0.03,
                 damping: 0.45, avoidOverlap: 0.6 },
    maxVelocity: 60, minVelocity: 1.0, timestep: 0.5, adaptiveTimestep: true,
    stabilization: { enabled: true, iterations: meta.iterations || 300, updateInterval: 25, fit: true }
  };
  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    nodes: { scaling: { label: { enabled: false } } },
    edges: { smooth: LAYERED_EDGES, selectionWidth: 2, hoverWidth: 1 },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: true },
    physics: { enabled: false }
  };

  var container = document.getElementById("network");
  var status = document.getElementById("status");
  var api = {
    data: data, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, state: state, ready: false,
    readyMs: null, layouts: 0, minScale: minScale,
    visibleNodes: function () { return nodeView.length; },
    visibleEdges: function () { return edgeView.length; }
  };
  window.negkg = api;

  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  api.network = network;
  NegkgLayered.guard(network, minScale);

  function updateStatus() {
    status.textContent = nodeView.length + " of " + data.nodes.length + " nodes, " +
      edgeView.length + " of " + data.edges.length + " edges shown" + (searchSet ? " (" + searchHits.length + " matches)" : "");
  }
  function showDetails(item) {
    var d = document.getElementById("details");
    d.replaceChildren(item ? tipElement(item) : el("p", "hint", "Click a node or an edge."));
  }
  api.showNode = function (id) { showDetails(byId[id]); };
  api.showEdge = function (id) { showDetails(edgeById[id]); };

  function markReady() {
    if (api.ready) return;
    api.ready = true;
    api.readyMs = performance.now();
    document.body.setAttribute("data-ready", "1");
    if (meta.focus && visible[meta.focus]) {
      network.selectNodes([meta.focus]);
      network.focus(meta.focus, { scale: Math.max(network.getScale(), minScale, 1.0), animation: false });
      showDetails(byId[meta.focus]);
    }
    updateStatus();
  }
  api.markReady = markReady;

  // layout: layered (default) or force; ``around`` names the nodes the view should show afterwards
  var generation = 0;
  function layout(around) {
    var mine = ++generation;
    if (state.layout === "force") { force(mine); return; }
    var ids = nodeView.getIds();
    NegkgLayered.run(network, nodes, ids, slots, adj, function (box) {
      if (mine !== generation) return;
      var want = (around || []).filter(function (id) { return visible[id]; });
      NegkgLayered.view(network, want.length ? want : ids, box, minScale, container);
      api.layouts += 1;
      markReady();
      updateStatus();
    });
  }
  function force(mine) {
    network.setOptions({ edges: { smooth: { enabled: false } } });
    if (!meta.physics) {  // large: the precomputed structural layout
      nodes.update(data.nodes.filter(function (n) { return n.x !== undefined; })
        .map(function (n) { return { id: n.id, x: n.x, y: n.y }; }));
      network.fit();
      api.layouts += 1;
      markReady();
      return;
    }
    network.setOptions({ physics: FORCE });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      if (mine === generation) { api.layouts += 1; markReady(); updateStatus(); }
    });
    network.stabilize(meta.iterations || 300);
  }
  api.setLayout = function (mode) {
    state.layout = mode === "force" ? "force" : "layered";
    if (state.layout === "layered") network.setOptions({ physics: { enabled: false }, edges: { smooth: LAYERED_EDGES } });
    layout();
  };
  network.on("stabilizationProgress", function (p) {
    status.textContent = "laying out… " + Math.round(100 * p.iterations / p.total) + "%";
  });

  var handles = data.nodes.filter(function (n) { return n.handle; });
  function refresh(around) {
    recompute();
    var labels = handles.map(function (n) { return { id: n.id, label: handleLabel(n) }; })
      .filter(function (u) { return nodes.get(u.id).label !== u.label; });
    if (labels.length) nodes.update(labels);  // one update: each DataSet change redraws the network
    nodeView.refresh();
    edgeView.refresh();
    if (searchSet) network.selectNodes(searchHits.filter(function (id) { return visible[id]; }));
    updateStatus();
    layout(around);
  }
  api.refresh = refresh;

  function openGroup(g, open) {
    state.open[g] = open;
    refresh(open ? (members[g] || []).concat([byId[g] ? g : "Negotiation:" + g]) : ["Negotiation:" + g]);
  }
  api.openGroup = openGroup;
  api.openAll = function (open) {
    Object.keys(members).forEach(function (g) { state.open[g] = open; });
    refresh();
  };

  network.on("click", function (p) {
    if (p.nodes.length) {
      var n = byId[p.nodes[0]];
      showDetails(n);
      if (n && n.handle) openGroup(n.handle, !groupOpen(n.handle));
    } else if (p.edges.length) showDetails(edgeById[p.edges[0]]);
  });

  function setSearch(q) {
    state.search = q;
    q = q.trim().toLowerCase();
    if (!q) { searchSet = null; searchHits = []; network.unselectAll(); refresh(); return; }
    searchSet = {}; searchHits = [];
    data.nodes.forEach(function (n) {
      if ((n.name + " " + n.id).toLowerCase().indexOf(q) >= 0) {
        searchHits.push(n.id);
        searchSet[n.id] = true;
        adj[n.id].forEach(function (m) { searchSet[m] = true; });
        if (n.group) state.open[n.group] = true;
      }
    });
    refresh(searchHits);
  }

  // controls: built from the data as text
  var types = document.getElementById("types");
  var counts = {};
  data.nodes.forEach(function (n) { counts[n.type] = (counts[n.type] || 0) + 1; });
  meta.legend.forEach(function (r) {
    var lab = el("label", "check");
    var box = el("input");
    box.type = "checkbox"; box.checked = state.types[r.type]; box.value = r.type; box.setAttribute("data-type", r.type);
    box.addEventListener("change", function () { state.types[r.type] = box.checked; refresh(); });
    lab.appendChild(box);
    lab.appendChild(document.createTextNode(" " + r.label + " (" + (counts[r.type] || 0) + ")"));
    types.appendChild(lab);
  });
  function fill(select, pairs) {
    pairs.forEach(function (p) { select.appendChild(new Option(p[1], p[0])); });
  }
  var party = document.getElementById("party"), mech = document.getElementById("mechanism");
  var search = document.getElementById("search"), headline = document.getElementById("headline");
  fill(party, meta.parties);
  fill(mech, meta.mechanisms);
  party.addEventListener("change", function () { state.party = party.value; refresh(); });
  mech.addEventListener("change", function () { state.mech = mech.value; refresh(); });
  headline.addEventListener("change", function () { state.headline = headline.checked; refresh(); });
  var timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { setSearch(search.value); }, 120);
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[name=layout]"), function (r) {
    r.checked = r.value === state.layout;
    r.addEventListener("change", function () { if (r.checked) api.setLayout(r.value); });
  });
  var groupsBox = document.getElementById("groups");
  if (meta.groups) {
    groupsBox.hidden = false;
    document.getElementById("open-all").addEventListener("click", function () { api.openAll(true); });
    document.getElementById("close-all").addEventListener("click", function () { api.openAll(false); });
  }
  document.getElementById("reset").addEventListener("click", function () {
    search.value = ""; party.value = ""; mech.value = ""; headline.checked = false;
    Array.prototype.forEach.call(types.querySelectorAll("input"), function (b) {
      b.checked = meta.hidden.indexOf(b.value) < 0; state.types[b.value] = b.checked;
    });
    state.party = ""; state.mech = ""; state.headline = false; state.open = {};
    searchSet = null; searchHits = []; state.search = "";
    network.unselectAll();
    refresh();
  });

  var legend = document.getElementById("legend");
  function legendRow(swatch, text) {
    var row = el("div", "legend-row");
    row.appendChild(swatch);
    row.appendChild(document.createTextNode(text));
    legend.appendChild(row);
  }
  meta.legend.forEach(function (r) {
    var sw = el("span", "swatch shape-" + r.shape);
    sw.style.background = r.fill; sw.style.borderColor = r.color;
    legendRow(sw, r.label + (meta.hidden.indexOf(r.type) >= 0 ? " (off: tick it above)" : ""));
  });
  (meta.fills || []).forEach(function (f) {
    var sw = el("span", "swatch");
    sw.style.background = f.fill;
    legendRow(sw, f.what + ": " + f.label);
  });
  var hs = el("span", "swatch headline");
  hs.style.borderColor = HL;
  legendRow(hs, meta.kind === "overview" ? "gold border: party in two or more negotiations"
    : "thick gold border: shared interest, value-creating provision, or an interest it serves; thin: on their paths");
  if (meta.kind !== "overview") {
    var es = el("span", "swatch edge");
    es.style.background = HL;
    legendRow(es, "gold edge: a value-creating path (thick: SERVES)");
  }
  var rels = {};
  data.edges.forEach(function (e) { rels[e.rel] = true; });
  Object.keys(rels).sort().forEach(function (rel) {
    var sw = el("span", "swatch edge");
    sw.style.background = (meta.edgeColors || {})[rel] || "#999999";
    legendRow(sw, rel);
  });
  if (meta.groups) legendRow(el("span", "swatch shape-box"), "click a negotiation to open or close its nodes");

  updateStatus();
  if (data.nodes.length === 0) markReady();
  else layout(meta.focus ? [meta.focus] : null);
})();
