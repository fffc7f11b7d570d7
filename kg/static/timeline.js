/* The timeline page: vis-timeline over every dated event, with filters by class, group, place and years. */
(function () {
  "use strict";
  var t0 = performance.now();
  var items = JSON.parse(document.getElementById("kg-timeline-data").textContent);
  function slug(text) { return String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-"); }
  var data = new vis.DataSet(items.map(function (it) {
    var cls = slug(it.cls);
    var kind = /law|amendment|program|resolution|policy|article/.test(cls) ? " cls-legal" : "";
    var content = document.createElement("span");
    content.textContent = it.content;
    return {id: it.id, content: content, start: it.start, end: it.end, type: it.end ? "range" : "box",
            className: "cls-" + cls + kind, raw: it,
            title: it.content + " — " + it.cls + ", " + it.date + (it.places.length ? ", " + it.places.join(", ") : "")
              + (it.groups.length ? "; " + it.groups.join(", ") : "")};
  }));
  var filters = {cls: "", group: "", place: "", from: null, to: null};
  var view = new vis.DataView(data, {filter: function (item) {
    var r = item.raw;
    return (!filters.cls || r.cls === filters.cls) && (!filters.group || r.groups.indexOf(filters.group) >= 0)
      && (!filters.place || r.places.indexOf(filters.place) >= 0)
      && (filters.from === null || r.year >= filters.from) && (filters.to === null || r.year <= filters.to);
  }});
  var box = document.getElementById("kg-timeline");
  var timeline = new vis.Timeline(box, view, {
    /* the wheel scrolls the rows (more than a window holds), Ctrl + wheel or a pinch zooms, a drag moves in time */
    stack: true, zoomKey: "ctrlKey", verticalScroll: true, maxHeight: Math.max(400, window.innerHeight - 230), orientation: "top",
    margin: {item: {horizontal: 2, vertical: 4}}, xss: {disabled: false}
  });
  timeline.on("click", function (props) {
    if (props.item === null || props.item === undefined) return;
    var item = data.get(props.item);
    if (item && item.raw.href) window.location.href = (window.KG_ROOT || "") + item.raw.href;
  });
  function apply() {
    filters.cls = document.getElementById("tl-class").value;
    filters.group = document.getElementById("tl-group").value;
    filters.place = document.getElementById("tl-place").value;
    var from = parseInt(document.getElementById("tl-from").value, 10);
    var to = parseInt(document.getElementById("tl-to").value, 10);
    filters.from = isNaN(from) ? null : from;
    filters.to = isNaN(to) ? null : to;
    view.refresh();
    document.getElementById("tl-count").textContent = view.length;
    timeline.fit({animation: false});
  }
  ["tl-class", "tl-group", "tl-place", "tl-from", "tl-to"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", apply);
  });
  document.getElementById("tl-reset").addEventListener("click", function () {
    ["tl-class", "tl-group", "tl-place", "tl-from", "tl-to"].forEach(function (id) { document.getElementById(id).value = ""; });
    apply();
  });
  window.kgTimeline = timeline;
  timeline.once("changed", function () {
    window.kgStatus = {drawn: view.length, edges: 0, ms: performance.now() - t0};
  });
})();
