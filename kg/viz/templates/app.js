/* negotiation-kg page script. Data comes from the JSON element and is only ever used as text:
   tooltips, details, legend and options are DOM text nodes (textContent), never innerHTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("negkg-data").textContent);
  var meta = data.meta;
  var HL = meta.headlineColor;

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

  var byId = {}, edgeById = {}, adj = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; adj[n.id] = []; });
  data.edges.forEach(function (e) { edgeById[e.id] = e; adj[e.from].push(e.to); adj[e.to].push(e.from); });

  var big = !meta.physics || data.nodes.length > 500;
  var visNodes = data.nodes.map(function (n) {
    var s = meta.styles[n.type] || { color: "#999999", shape: "dot", size: 12 };
    var strong = n.hl === 2;
    var v = {
      id: n.id, label: n.label, shape: s.shape, size: strong ? Math.round(s.size * 1.5) : s.size,
      color: { background: s.color, border: strong ? HL : s.color,
               highlight: { background: s.color, border: "#000000" }, hover: { background: s.color, border: "#000000" } },
      borderWidth: strong ? 5 : 1, borderWidthSelected: strong ? 6 : 3, title: tipElement(n),
      font: { size: strong ? 17 : n.type === "Party" || n.type === "Negotiation" ? 20 : 13, color: "#1a1a1a",
              strokeWidth: 3, strokeColor: "#ffffff" }
    };
    if (s.shape === "box" || s.shape === "ellipse" || s.shape === "database") v.widthConstraint = { maximum: 190 };
    if (strong && !big) v.shadow = { enabled: true, color: HL, size: 14, x: 0, y: 0 };
    if (n.x !== undefined) { v.x = n.x; v.y = n.y; }
    return v;
  });
  var visEdges = data.edges.map(function (e) {
    var c = (meta.edgeColors || {})[e.rel] || "#999999";
    var v = {
      id: e.id, from: e.from, to: e.to, label: e.label, title: tipElement(e),
      width: e.hl === 2 ? 6 : e.hl === 1 ? 3 : 1, dashes: e.rel === "CITES",
      color: { color: e.hl ? HL : c, highlight: "#000000", hover: "#000000", opacity: e.hl ? 1.0 : 0.75 }
    };
    if (e.hl) v.font = { size: 13, color: "#5a4500", strokeWidth: 4, strokeColor: "#ffffff" };
    return v;
  });

  var state = { types: {}, party: "", mech: "", headline: false, search: "" };
  meta.legend.forEach(function (r) { state.types[r.type] = true; });
  var visible = {};
  var searchSet = null, searchHits = [];

  function shown(n) {
    if (!state.types[n.type]) return false;
    if (state.party && n.parties.indexOf(state.party) < 0) return false;
    if (state.mech && n.mechs.indexOf(state.mech) < 0) return false;
    if (state.headline && !n.hl) return false;
    if (searchSet && !searchSet[n.id]) return false;
    return true;
  }
  function recompute() {
    visible = {};
    data.nodes.forEach(function (n) { if (shown(n)) visible[n.id] = true; });
  }
  recompute();

  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visible[n.id] === true; } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return visible[e.from] === true && visible[e.to] === true; } });

  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    nodes: { scaling: { label: { enabled: false, drawThreshold: 6 } } },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.5 } },
      smooth: false,
      font: { size: 10, color: "#555555", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" },
      scaling: { label: { enabled: false, drawThreshold: 6 } },
      selectionWidth: 2, hoverWidth: 1
    },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: true },
    physics: meta.physics ? {
      enabled: true, solver: "barnesHut",
      barnesHut: { gravitationalConstant: -12000, centralGravity: 0.2, springLength: 170, springConstant: 0.03,
                   damping: 0.45, avoidOverlap: 0.5 },
      maxVelocity: 60, minVelocity: 1.0, timestep: 0.5, adaptiveTimestep: true,
      stabilization: { enabled: true, iterations: meta.iterations || 300, updateInterval: 25, fit: true }
    } : { enabled: false }
  };

  var container = document.getElementById("network");
  var status = document.getElementById("status");
  var api = {
    data: data, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, ready: false, readyMs: null,
    visibleNodes: function () { return nodeView.length; },
    visibleEdges: function () { return edgeView.length; }
  };
  window.negkg = api;

  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  api.network = network;

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
      network.focus(meta.focus, { scale: 1.0, animation: false });
      showDetails(byId[meta.focus]);
    }
    updateStatus();
  }
  api.markReady = markReady;
  if (meta.physics) {
    network.on("stabilizationProgress", function (p) {
      status.textContent = "laying out… " + Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      markReady();
    });
    network.once("stabilized", markReady);
  } else {
    network.once("afterDrawing", markReady);
  }
  if (data.nodes.length === 0) markReady();

  network.on("click", function (p) {
    if (p.nodes.length) showDetails(byId[p.nodes[0]]);
    else if (p.edges.length) showDetails(edgeById[p.edges[0]]);
  });

  function refresh() {
    recompute();
    nodeView.refresh();
    edgeView.refresh();
    if (searchSet) network.selectNodes(searchHits.filter(function (id) { return visible[id]; }));
    updateStatus();
  }
  api.refresh = refresh;

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
      }
    });
    refresh();
  }

  // controls: built from the data as text
  var types = document.getElementById("types");
  var counts = {};
  data.nodes.forEach(function (n) { counts[n.type] = (counts[n.type] || 0) + 1; });
  meta.legend.forEach(function (r) {
    var lab = el("label", "check");
    var box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = r.type; box.setAttribute("data-type", r.type);
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
  document.getElementById("reset").addEventListener("click", function () {
    search.value = ""; party.value = ""; mech.value = ""; headline.checked = false;
    Array.prototype.forEach.call(types.querySelectorAll("input"), function (b) { b.checked = true; state.types[b.value] = true; });
    state.party = ""; state.mech = ""; state.headline = false;
    setSearch("");
    network.fit();
  });

  var legend = document.getElementById("legend");
  meta.legend.forEach(function (r) {
    var row = el("div", "legend-row");
    var sw = el("span", "swatch shape-" + r.shape);
    sw.style.background = r.color;
    row.appendChild(sw);
    row.appendChild(document.createTextNode(r.label + " (" + r.shape + ")"));
    legend.appendChild(row);
  });
  var hlRow = el("div", "legend-row");
  var hs = el("span", "swatch headline");
  hs.style.borderColor = HL;
  hlRow.appendChild(hs);
  hlRow.appendChild(document.createTextNode(meta.kind === "overview"
    ? "gold border: party in two or more negotiations"
    : "gold border: shared interest, value-creating provision, or an interest it serves"));
  legend.appendChild(hlRow);
  if (meta.kind !== "overview") {
    var eRow = el("div", "legend-row");
    var es = el("span", "swatch edge");
    es.style.background = HL;
    eRow.appendChild(es);
    eRow.appendChild(document.createTextNode("thick gold edge: SERVES link of a value-creating provision; thinner: who holds the interest"));
    legend.appendChild(eRow);
  }
  updateStatus();
})();
