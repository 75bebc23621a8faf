/* negotiation-kg layered view: from slots (column, lane, rank; computed in Python by kg.viz.layout) to
   coordinates, from the size vis-network measured for each label box. Shared by the gallery pages and by
   kg.network (pyvis). Columns left to right; lanes (one per negotiation) top to bottom; within a lane and
   column, nodes in rank order, each as close to the mean height of its already placed neighbours as the
   nodes above it allow. Nothing here reads data as markup. */
var NegkgLayered = (function () {
  "use strict";
  var ROW_GAP = 14, COL_GAP = 56, LANE_GAP = 56, PAD = 20;

  /* bounding box of each node relative to its position, as vis-network measured it at the last drawing */
  function measure(network, ids) {
    var pos = network.getPositions(ids), out = {};
    ids.forEach(function (id) {
      var bb = network.getBoundingBox(id), p = pos[id];
      if (bb && p) out[id] = { l: bb.left - p.x, r: bb.right - p.x, t: bb.top - p.y, b: bb.bottom - p.y };
      else out[id] = { l: -60, r: 60, t: -15, b: 15 };
    });
    return out;
  }

  /* positions {id: {x, y}} of ``ids``: slots {id: {col, lane, rank}}, adjacency {id: [ids]}, boxes from measure() */
  function pack(ids, slots, adj, box) {
    var cols = {}, lanes = {}, y = {}, x = {};
    ids.forEach(function (id) {
      var s = slots[id] || { col: 99, lane: -1, rank: 0 };
      var w = box[id].r - box[id].l;
      cols[s.col] = Math.max(cols[s.col] || 0, w);
      var lane = lanes[s.lane] || (lanes[s.lane] = {});
      (lane[s.col] || (lane[s.col] = [])).push(id);
    });
    var colKeys = Object.keys(cols).map(Number).sort(function (a, b) { return a - b; });
    var left = 0;
    colKeys.forEach(function (c) {
      cols[c] = { left: left, width: cols[c] };
      left += cols[c].width + COL_GAP;
    });
    function rank(a, b) { return (slots[a] ? slots[a].rank : 0) - (slots[b] ? slots[b].rank : 0) || (a < b ? -1 : 1); }
    function centre(id) { return y[id] + (box[id].t + box[id].b) / 2; }
    function desired(id) {
      var sum = 0, k = 0;
      (adj[id] || []).forEach(function (m) { if (y[m] !== undefined) { sum += centre(m); k += 1; } });
      return k ? sum / k : null;
    }
    function column(list, top) {  // stack one column's nodes from ``top`` down; return the bottom
      var bottom = top - ROW_GAP;
      list.sort(rank).forEach(function (id) {
        var h = box[id].b - box[id].t, d = desired(id);
        var t = Math.max(d === null ? -Infinity : d - h / 2, bottom + ROW_GAP, top);
        y[id] = t - box[id].t;
        bottom = t + h;
      });
      return bottom;
    }
    var cursor = 0;
    Object.keys(lanes).map(Number).filter(function (l) { return l >= 0; }).sort(function (a, b) { return a - b; })
      .forEach(function (l) {
        var bottom = cursor, keys = Object.keys(lanes[l]).map(Number).sort(function (a, b) { return a - b; });
        keys.forEach(function (c) { bottom = Math.max(bottom, column(lanes[l][c], cursor)); });
        cursor = bottom + (keys.length === 1 && lanes[l][keys[0]].length === 1 ? ROW_GAP : LANE_GAP);
      });
    if (lanes[-1]) {  // nodes between lanes: next to their neighbours
      Object.keys(lanes[-1]).map(Number).sort(function (a, b) { return a - b; }).forEach(function (c) {
        var list = lanes[-1][c].sort(rank), first = list.length ? desired(list[0]) : null;
        column(list, first === null ? 0 : Math.min(0, first - (box[list[0]].b - box[list[0]].t) / 2));
      });
    }
    var out = {};
    ids.forEach(function (id) {
      var c = cols[(slots[id] || { col: 99 }).col];
      x[id] = c.left + c.width / 2 - (box[id].l + box[id].r) / 2;
      out[id] = { x: Math.round(x[id]), y: Math.round(y[id]) };
    });
    return out;
  }

  /* the default view: everything when that keeps labels at least minScale large, else the top left at minScale */
  function view(network, ids, box, minScale, container) {
    if (!ids.length) return;
    var pos = network.getPositions(ids);
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    ids.forEach(function (id) {
      var p = pos[id], b = box[id];
      if (!p || !b) return;
      x0 = Math.min(x0, p.x + b.l); x1 = Math.max(x1, p.x + b.r);
      y0 = Math.min(y0, p.y + b.t); y1 = Math.max(y1, p.y + b.b);
    });
    var W = Math.max(container.clientWidth - 2 * PAD, 50), H = Math.max(container.clientHeight - 2 * PAD, 50);
    var fit = Math.min(W / Math.max(x1 - x0, 1), H / Math.max(y1 - y0, 1));
    var scale = Math.min(Math.max(fit, minScale), 1.25);
    var cx = (x1 - x0) * scale <= W ? (x0 + x1) / 2 : x0 + W / 2 / scale;
    var cy = (y1 - y0) * scale <= H ? (y0 + y1) / 2 : y0 + H / 2 / scale;
    network.moveTo({ position: { x: cx, y: cy }, scale: scale, animation: false });
  }

  /* keep labels readable when the container resizes (vis-network scales the view with it) until the reader zooms */
  function guard(network, minScale) {
    var zoomed = false;
    network.on("zoom", function () { zoomed = true; });
    network.on("resize", function () {  // vis-network rescales the view right after this event: act after it
      setTimeout(function () {
        if (!zoomed && network.getScale() < minScale) network.moveTo({ scale: minScale, animation: false });
      }, 0);
    });
  }

  /* lay out the nodes ``ids`` shown by ``network`` (their items in the DataSet ``dataset``), then call done(box) */
  function run(network, dataset, ids, slots, adj, done) {
    network.once("afterDrawing", function () {
      var box = measure(network, ids);
      var pos = pack(ids, slots, adj, box), now = network.getPositions(ids);
      var moved = ids.filter(function (id) { return !now[id] || now[id].x !== pos[id].x || now[id].y !== pos[id].y; });
      if (moved.length) dataset.update(moved.map(function (id) { return { id: id, x: pos[id].x, y: pos[id].y }; }));
      network.once("afterDrawing", function () { done(box); });
      network.redraw();
    });
    network.redraw();
  }

  return { measure: measure, pack: pack, view: view, run: run, guard: guard, ROW_GAP: ROW_GAP, COL_GAP: COL_GAP };
})();
