/* negotiation-kg, pyvis page (kg.network): the network from the JSON element, laid out in layers (layered.js)
   unless physics is on, and a legend built as DOM text. No data is ever used as markup; vis-network shows
   string tooltips as plain text. */
(function () {
  "use strict";
  var d = JSON.parse(document.getElementById("negkg-pyvis").textContent);
  var container = document.getElementById("negkg-net");
  var nodes = new vis.DataSet(d.nodes), edges = new vis.DataSet(d.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, d.options);
  var api = { network: network, nodes: nodes, edges: edges, ready: false, readyMs: null, minScale: d.minScale };
  window.negkg = api;
  function ready() {
    if (api.ready) return;
    api.ready = true;
    api.readyMs = performance.now();
    document.body.setAttribute("data-ready", "1");
  }
  var slots = {}, adj = {};
  d.nodes.forEach(function (n) {
    adj[n.id] = [];
    if (n.col !== undefined) slots[n.id] = { col: n.col, lane: n.lane, rank: n.rank };
  });
  d.edges.forEach(function (e) {
    if (adj[e.from] && adj[e.to]) { adj[e.from].push(e.to); adj[e.to].push(e.from); }
  });
  var physics = d.options.physics && d.options.physics.enabled !== false;
  NegkgLayered.guard(network, d.minScale);
  if (!d.nodes.length) ready();
  else if (physics) {
    network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: { enabled: false } }); ready(); });
  } else {
    var ids = nodes.getIds();
    NegkgLayered.run(network, nodes, ids, slots, adj, function (box) {
      NegkgLayered.view(network, ids, box, d.minScale, container);
      ready();
    });
  }

  var legend = document.getElementById("negkg-legend");
  (d.legend || []).forEach(function (r) {
    var row = document.createElement("span"), sw = document.createElement("span");
    row.className = "legend-row";
    sw.className = "swatch" + (r.edge ? " edge" : "");
    sw.style.background = r.fill;
    sw.style.borderColor = r.border || r.fill;
    row.appendChild(sw);
    row.appendChild(document.createTextNode(r.label));
    legend.appendChild(row);
  });
})();
