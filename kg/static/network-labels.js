/* Labels of a vis-network that can be read: the view fitted to the nodes and to their labels, the labels of
   the most central nodes only, none overlapping another or a panel, none cut at an edge.

   window.kgLabels(network, dataset, items, options) -> {fit, relabel, boxes}
     items:   [{id, label, rank, font}]: full label, rank by centrality (0 = most central), font size of
              the node in canvas units (its size on screen when the scale is 1);
     options: container (the network's element), limit (labels on the first view), top (an element whose
              bottom is the top of the drawing area, such as a heading panel), obstacles (elements labels
              must not cover), minPx/maxPx (label size on screen), maxScale (no blowing up of small networks).

   fit() chooses a scale and a centre such that every node, and the labels of the most central ones, lie
   in the drawing area; then the labels are chosen greedily by rank, each shown only if its box lies
   inside the area and overlaps no label already shown, no obstacle and no dot of a more central node.
   relabel() chooses again for the view as it is (after a zoom or a drag): more labels as one zooms in.
   When the drawing area changes size, the labels are chosen again at once (fit() for the first view,
   relabel() for a view the reader moved), before vis-network draws the resized view.
   A node pointed at shows its label. A label's box is the one vis-network draws for a dot: centred
   under the node, its top (r + 4) * scale + size / 2 pixels below the centre. Nothing here reads or
   writes markup: labels are drawn on the canvas. */
(function () {
  "use strict";
  var FACE = "Arial, Helvetica, sans-serif";
  var PAD = 2;  // pixels kept free around each label
  var LINE = 1.0;  // label height per pixel of font, as vis-network computes it for one line

  function kgLabels(network, dataset, items, options) {
    var opt = {limit: 25, minPx: 12, maxPx: 16, margin: 10, maxScale: 1.0, maxLabelPx: 220, obstacles: [], top: null};
    Object.keys(options || {}).forEach(function (k) { opt[k] = options[k]; });
    var ctx = document.createElement("canvas").getContext("2d");
    var byRank = items.slice().sort(function (a, b) { return a.rank - b.rank; });
    var byId = {};
    items.forEach(function (it) { byId[it.id] = it; });
    var applied = {};  // id -> "label|size" as last given to vis-network; the page starts with no label
    items.forEach(function (it) { applied[it.id] = "|"; });
    var widths = {};
    var firstScale = null;
    var lastBoxes = [];

    // text widths grow in proportion to the font size: measured once at 100 px, scaled (PAD absorbs rounding)
    ctx.font = "100px " + FACE;
    function measure(text, px) {
      if (!(text in widths)) { widths[text] = ctx.measureText(text).width; }
      return widths[text] * px / 100;
    }
    function screenFont(it, scale) {
      return Math.round(Math.max(opt.minPx, Math.min(opt.maxPx, (it.font || 16) * scale)) * 2) / 2;
    }
    // the label on at most two lines of at most maxWidth, the second cut with an ellipsis if need be
    // (the full name is in the tooltip); returns {text, width, lines}
    function cut(line, px, maxWidth) {
      if (measure(line, px) <= maxWidth) { return line; }
      var lo = 0, hi = line.length;
      while (lo < hi) {
        var mid = Math.ceil((lo + hi) / 2);
        if (measure(line.slice(0, mid).trim() + "…", px) <= maxWidth) { lo = mid; } else { hi = mid - 1; }
      }
      return line.slice(0, lo).trim() + "…";
    }
    function text(it, px, maxWidth) {
      var full = String(it.label || "").replace(/\s+/g, " ").trim(), lines;
      if (measure(full, px) <= maxWidth) {
        lines = [full];
      } else {
        var words = full.split(" "), first = words[0], i = 1;
        while (i < words.length && measure(first + " " + words[i], px) <= maxWidth) { first += " " + words[i]; i++; }
        lines = [cut(first, px, maxWidth)];
        if (i < words.length) { lines.push(cut(words.slice(i).join(" "), px, maxWidth)); }
      }
      var width = Math.max.apply(null, lines.map(function (l) { return measure(l, px); }));
      return {text: lines.join("\n"), width: width, lines: lines.length};
    }
    function rectOf(el, frame) {
      if (!el || el.offsetParent === null) { return null; }
      var r = el.getBoundingClientRect();
      if (!r.width || !r.height) { return null; }
      return {l: r.left - frame.left, t: r.top - frame.top, r: r.right - frame.left, b: r.bottom - frame.top};
    }
    // the drawing area in the container's pixels: the container less a margin and the heading above it
    function area() {
      var frame = opt.container.getBoundingClientRect();
      var a = {x0: opt.margin, y0: opt.margin, x1: frame.width - opt.margin, y1: frame.height - opt.margin,
               width: frame.width, height: frame.height, obstacles: []};
      var head = rectOf(opt.top, frame);
      if (head && head.r > 0 && head.l < frame.width && head.b > 0) {
        a.y0 = Math.max(a.y0, head.b + opt.margin);
      }
      opt.obstacles.forEach(function (el) {
        var r = rectOf(el, frame);
        if (r && r.r > 0 && r.l < frame.width && r.b > 0 && r.t < frame.height) { a.obstacles.push(r); }
      });
      if (a.y1 - a.y0 < 0.5 * frame.height) { a.y0 = opt.margin; }  // a heading taller than half: draw under it
      return a;
    }
    function maxWidth(a) { return Math.max(60, Math.min(opt.maxLabelPx, 0.4 * (a.x1 - a.x0))); }
    var radii = {};
    function radius(id) {
      if (!(id in radii)) {
        var node = network.body.nodes[id];
        radii[id] = node && node.options && typeof node.options.size === "number" ? node.options.size : 10;
      }
      return radii[id];
    }
    // canvas to the network element's pixels, as network.canvasToDOM computes it, without a call per node
    function toScreen() {
      var scale = network.getScale(), origin = network.canvasToDOM({x: 0, y: 0});
      return function (p) { return {x: p.x * scale + origin.x, y: p.y * scale + origin.y}; };
    }
    // a label's box relative to its node's centre on screen, at a scale
    function labelBox(it, scale, a) {
      var px = screenFont(it, scale), shown = text(it, px, maxWidth(a)), w = shown.width;
      var top = (radius(it.id) + 4) * scale + px / 2;
      return {px: px, text: shown.text, l: -w / 2, r: w / 2, t: top, b: top + px * LINE * shown.lines};
    }
    // the extent on screen of every node and of the given labels, at a scale, the origin at canvas (0, 0)
    // the canvas extent of the nodes, dots included (the same at every scale)
    function nodeExtent(positions) {
      var e = {l: Infinity, r: -Infinity, t: Infinity, b: -Infinity};
      Object.keys(positions).forEach(function (id) {
        var p = positions[id], rad = radius(id);
        e.l = Math.min(e.l, p.x - rad); e.r = Math.max(e.r, p.x + rad);
        e.t = Math.min(e.t, p.y - rad); e.b = Math.max(e.b, p.y + rad);
      });
      return e;
    }
    var nodesBox = null;
    function extent(positions, labelled, scale, a) {
      var n = nodesBox || nodeExtent(positions);
      var e = {l: n.l * scale, r: n.r * scale, t: n.t * scale, b: n.b * scale};
      labelled.forEach(function (it) {
        var p = positions[it.id];
        if (!p) { return; }
        var box = labelBox(it, scale, a);
        e.l = Math.min(e.l, p.x * scale + box.l - PAD); e.r = Math.max(e.r, p.x * scale + box.r + PAD);
        e.b = Math.max(e.b, p.y * scale + box.b + PAD);
      });
      return e;
    }
    // the largest scale (up to maxScale) at which the nodes and the given labels fit the area
    function fitScale(positions, labelled, a) {
      var w = a.x1 - a.x0, h = a.y1 - a.y0;
      function fits(scale) {
        var e = extent(positions, labelled, scale, a);
        return e.r - e.l <= w && e.b - e.t <= h;
      }
      if (fits(opt.maxScale)) { return opt.maxScale; }
      var lo = 1e-4, hi = opt.maxScale;
      for (var i = 0; i < 40; i++) {
        var mid = Math.sqrt(lo * hi);
        if (fits(mid)) { lo = mid; } else { hi = mid; }
      }
      return lo;
    }
    function overlaps(p, q) { return p.l < q.r && q.l < p.r && p.t < q.b && q.t < p.b; }
    // the dots on screen (their inner part) in a grid of cells, so that labels can keep off other nodes
    var CELL = 64;
    function dots(positions, scale, a, screen) {
      var grid = {};
      Object.keys(positions).forEach(function (id) {
        var rad = radius(id) * scale;
        if (rad < 3) { return; }  // specks: a label may cross them
        var at = screen(positions[id]);
        if (at.x + rad < 0 || at.y + rad < 0 || at.x - rad > a.width || at.y - rad > a.height) { return; }
        var inner = 0.75 * rad, box = {id: id, rank: byId[id] ? byId[id].rank : 0, l: at.x - inner, r: at.x + inner, t: at.y - inner, b: at.y + inner};
        for (var cx = Math.floor(box.l / CELL); cx <= Math.floor(box.r / CELL); cx++) {
          for (var cy = Math.floor(box.t / CELL); cy <= Math.floor(box.b / CELL); cy++) {
            (grid[cx + "," + cy] = grid[cx + "," + cy] || []).push(box);
          }
        }
      });
      return grid;
    }
    function hitsDot(grid, r, rank) {
      for (var cx = Math.floor(r.l / CELL); cx <= Math.floor(r.r / CELL); cx++) {
        for (var cy = Math.floor(r.t / CELL); cy <= Math.floor(r.b / CELL); cy++) {
          var cell = grid[cx + "," + cy] || [];
          for (var k = 0; k < cell.length; k++) {
            if (cell[k].rank < rank && overlaps(r, cell[k])) { return true; }
          }
        }
      }
      return false;
    }
    // the labels to show: the first `limit` nodes in view by rank, each if it fits the view and covers
    // no label already shown, no panel and no dot of a more central node
    function choose(limit, a) {
      var scale = network.getScale(), shown = [], considered = 0;
      var positions = network.getPositions(), screen = toScreen(), grid = dots(positions, scale, a, screen);
      for (var i = 0; i < byRank.length && considered < limit; i++) {
        var it = byRank[i], p = positions[it.id];
        if (!p || !it.label) { continue; }
        var at = screen(p);
        if (at.x < 0 || at.y < a.y0 - opt.margin || at.x > a.width || at.y > a.height) { continue; }
        considered++;
        var box = labelBox(it, scale, a);
        var r = {l: at.x + box.l - PAD, r: at.x + box.r + PAD, t: at.y + box.t - PAD, b: at.y + box.b + PAD};
        if (r.l < 0 || r.t < a.y0 - opt.margin || r.r > a.width || r.b > a.height) { continue; }
        if (a.obstacles.some(function (o) { return overlaps(r, o); })) { continue; }
        if (shown.some(function (s) { return overlaps(r, s.box); })) { continue; }
        if (hitsDot(grid, r, it.rank)) { continue; }
        shown.push({id: it.id, text: box.text, px: box.px, box: r});
      }
      return shown;
    }
    function apply(shown, scale) {
      var want = {};
      shown.forEach(function (s) { want[s.id] = s; });
      var updates = [];
      items.forEach(function (it) {
        var s = want[it.id];
        var label = s ? s.text : "", size = s ? s.px / scale : (it.font || 16);
        var key = label + "|" + (s ? size.toFixed(3) : "");
        if (applied[it.id] === key) { return; }
        applied[it.id] = key;
        updates.push({id: it.id, label: label, font: {size: size}});
      });
      if (updates.length) { dataset.update(updates); }
      lastBoxes = shown;
    }
    function limitNow() {
      if (firstScale === null) { return opt.limit; }
      var ratio = network.getScale() / firstScale;
      return Math.min(items.length, Math.max(opt.limit, Math.round(opt.limit * ratio * ratio)));
    }
    function fit() {
      var a = area(), positions = network.getPositions();
      moved = false;
      if (!Object.keys(positions).length) { return; }
      nodesBox = nodeExtent(positions);
      var used = byRank.filter(function (it) { return it.label; }).slice(0, opt.limit);
      var bare = fitScale(positions, [], a);
      var scale = fitScale(positions, used, a);
      if (scale < 0.75 * bare) {  // long labels at the rim would shrink all: make room for the first few only
        used = used.slice(0, 5);
        scale = fitScale(positions, used, a);
      }
      var e = extent(positions, used, scale, a);
      nodesBox = null;
      var offX = (a.x0 + a.x1) / 2 - (e.l + e.r) / 2, offY = (a.y0 + a.y1) / 2 - (e.t + e.b) / 2;
      network.moveTo({position: {x: (a.width / 2 - offX) / scale, y: (a.height / 2 - offY) / scale}, scale: scale,
                      animation: false});
      firstScale = scale;
      apply(choose(opt.limit, a), scale);
    }
    function relabel() {
      if (firstScale === null) { return; }
      apply(choose(limitNow(), area()), network.getScale());
    }
    // a node pointed at shows its label (over the others if need be) until the pointer leaves it
    var hovered = null;
    network.on("hoverNode", function (p) {
      var it = byId[p.node];
      if (!it || !it.label || lastBoxes.some(function (b) { return b.id === p.node; })) { return; }
      var scale = network.getScale(), px = screenFont(it, scale), shown = text(it, px, maxWidth(area()));
      hovered = p.node;
      applied[p.node] = "hover";
      dataset.update({id: p.node, label: shown.text, font: {size: px / scale}});
    });
    network.on("blurNode", function (p) {
      if (hovered !== p.node) { return; }
      hovered = null;
      applied[p.node] = "|";
      dataset.update({id: p.node, label: "", font: {size: byId[p.node].font || 16}});
    });
    var timer = null, moved = false;
    function later() { clearTimeout(timer); timer = setTimeout(relabel, 60); }
    network.on("zoom", function () { moved = true; later(); });
    network.on("dragEnd", function () { moved = true; later(); });
    network.on("animationFinished", later);
    // the drawing area changed size (the window, a scroll bar, a panel, a headless screenshot's viewport):
    // vis-network emits "resize" and then scales its view in proportion to the new size, so the labels
    // are chosen again in a microtask, once that is done and before the next frame is drawn, never a
    // timer later: a label chosen for the old size can lie past the new edge. The first view is fitted
    // again; a view the reader moved is kept.
    network.on("resize", function () {
      if (firstScale === null) { return; }
      clearTimeout(timer);
      Promise.resolve().then(function () { if (moved) { relabel(); } else { fit(); } });
    });
    return {fit: fit, relabel: relabel, boxes: function () { return lastBoxes; }};
  }
  window.kgLabels = kgLabels;
})();
