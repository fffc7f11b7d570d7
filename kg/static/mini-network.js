/* The small neighbourhood network of an entity page: vis-network, fitted, a click opens the page.
   vis-network (500 kB) is loaded only when the network comes near the window, so the page opens fast;
   window.kgNetworkStatus is set once it is drawn. */
(function () {
  "use strict";
  var box = document.getElementById("kg-network");
  var visSrc = document.currentScript.getAttribute("data-vis");
  var started = false;
  function start() {
    if (started) return;
    started = true;
    if (window.vis && window.vis.Network) { draw(); return; }
    var script = document.createElement("script");
    script.src = visSrc;
    script.onload = draw;
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
  var nodes = data.nodes.map(function (n) {
    if (!(n.group in colours)) colours[n.group] = palette[Object.keys(colours).length % palette.length];
    return {id: n.id, label: n.label.length > 28 ? n.label.slice(0, 27) + "…" : n.label, title: n.label + " (" + n.group + ")",
            color: colours[n.group], shape: "dot", size: n.centre ? 18 : 10, href: n.href,
            font: {size: n.centre ? 16 : 12, bold: !!n.centre}};
  });
  var edges = data.edges.map(function (e) { return {from: e.from, to: e.to, title: e.label, arrows: "to", color: {color: "#b0b8c4"}}; });
  var net = new vis.Network(box, {nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges)}, {
    physics: {solver: "forceAtlas2Based", stabilization: {iterations: 150}},
    interaction: {hover: true, tooltipDelay: 100}
  });
  net.once("stabilizationIterationsDone", function () {
    net.setOptions({physics: false});
    net.fit({animation: false});
    window.kgNetworkStatus = {drawn: nodes.length, edges: edges.length, ms: performance.now() - t0};
  });
  net.on("click", function (params) {
    if (!params.nodes.length) return;
    var node = nodes.find(function (n) { return n.id === params.nodes[0]; });
    if (node && node.href) window.location.href = (window.KG_ROOT || "") + node.href;
  });
  window.kgNetwork = net;
  }
})();
