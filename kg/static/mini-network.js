/* The small neighbourhood network of an entity page: vis-network, a click opens the page.
   vis-network (500 kB) and the label placement (network-labels.js, shared with the network pages) are
   loaded only when the network comes near the window, so the page opens fast. The view is fitted to
   the nodes and their labels, the entity's label first, then its neighbours' by degree, none
   overlapping; window.kgNetworkStatus is set once it is drawn. */
(function () {
  "use strict";
  var box = document.getElementById("kg-network");
  var visSrc = document.currentScript.getAttribute("data-vis");
  var labelsSrc = document.currentScript.getAttribute("data-labels");
  var started = false;
  function start() {
    if (started) return;
    started = true;
    load(window.vis && window.vis.Network ? null : visSrc, function () {
      load(window.kgLabels ? null : labelsSrc, draw);
    });
  }
  function load(src, then) {
    if (!src) { then(); return; }
    var script = document.createElement("script");
    script.src = src;
    script.onload = then;
    document.body.appendChild(script);
  }
  window.kgDrawNetwork = start;
  if ("IntersectionObserver" in window) {
    new IntersectionObserver(function (entries, observer) {
      if (entries.some(function (e) { return e.isIntersecting; })) { observer.disconnect(); start(); }
    }, {rootMargin: "400px"}).observe(box);
  } else {
    start();
  }
  function draw() {
  var t0 = performance.now();
  var data = JSON.parse(document.getElementById("kg-network-data").textContent);
  var palette = ["#1c7ed6", "#d62728", "#2f9e44", "#7048e8", "#e67700", "#0c8599", "#862e9c", "#795548", "#495057", "#c2255c", "#66a80f", "#f59f00"];
  var colours = {};
  var degree = {};
  data.edges.forEach(function (e) { degree[e.from] = (degree[e.from] || 0) + 1; degree[e.to] = (degree[e.to] || 0) + 1; });
  var nodes = data.nodes.map(function (n) {
    if (!(n.group in colours)) colours[n.group] = palette[Object.keys(colours).length % palette.length];
    return {id: n.id, label: "", fullLabel: n.label, title: n.label + " (" + n.group + ")",
            color: colours[n.group], shape: "dot", size: n.centre ? 18 : 10, href: n.href, centre: !!n.centre,
            font: {size: n.centre ? 16 : 13, bold: !!n.centre}};
  });
  var ranked = nodes.slice().sort(function (a, b) {
    return (b.centre - a.centre) || ((degree[b.id] || 0) - (degree[a.id] || 0)) || (a.fullLabel < b.fullLabel ? -1 : 1);
  });
  ranked.forEach(function (n, i) { n.rank = i; });
  var edges = data.edges.map(function (e) { return {from: e.from, to: e.to, title: e.label, arrows: "to", color: {color: "#b0b8c4"}}; });
  var dataset = new vis.DataSet(nodes);
  var net = new vis.Network(box, {nodes: dataset, edges: new vis.DataSet(edges)}, {
    physics: {solver: "forceAtlas2Based", forceAtlas2Based: {avoidOverlap: 1}, stabilization: {iterations: 150}},
    interaction: {hover: true, tooltipDelay: 100}
  });
  var labels = window.kgLabels(net, dataset, nodes.map(function (n) {
    return {id: n.id, label: n.fullLabel, rank: n.rank, font: n.font.size};
  }), {container: box, limit: 40, minPx: 12, maxPx: 14, maxLabelPx: 180, maxScale: 1.2});
  net.once("stabilizationIterationsDone", function () {
    net.setOptions({physics: false});
    labels.fit();
    net.once("afterDrawing", function () {
      window.kgNetworkStatus = {drawn: nodes.length, edges: edges.length, ms: performance.now() - t0,
                                labels: labels.boxes().length};
    });
    net.redraw();
  });
  net.on("click", function (params) {
    if (!params.nodes.length) return;
    var node = nodes.find(function (n) { return n.id === params.nodes[0]; });
    if (node && node.href) window.location.href = (window.KG_ROOT || "") + node.href;
  });
  window.kgNetwork = net;
  }
})();
