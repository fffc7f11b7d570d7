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
    margin: {item: {horizontal: 2, vertical: 4}}, align: "left", xss: {disabled: false}
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
    widen();
  }
  // vis-timeline fits the view to the items' dates, not to their names: a period's name that runs past
  // its end, or a name near an edge, is cut at the edge (every name starts at its item's date, align
  // "left", so it is mostly the right edge; a long name wraps, site.css). The view is widened on the side
  // where a name is cut and measured again, a few times at most. A name W pixels wide starting at date s
  // stays W pixels wide as the view widens, so the end E must satisfy s + W * (E - start) / P <= E in a
  // panel P pixels wide; on the left, a step of what is cut, measured again.
  function widen() {
    var panel = box.querySelector(".vis-panel.vis-center");
    if (!panel) return;
    for (var round = 0; round < 5; round++) {
      var p = panel.getBoundingClientRect(), w = timeline.getWindow(), start = +w.start, end = +w.end;
      var perPx = (end - start) / p.width, needEnd = end, needStart = start;
      box.querySelectorAll(".vis-item .vis-item-content").forEach(function (el) {
        var r = el.getBoundingClientRect(), frac = (r.width + 16) / p.width;
        if (!r.width || frac >= 0.9) return;
        if (r.right + 4 > p.right) {
          needEnd = Math.max(needEnd, (start + (r.left - 8 - p.left) * perPx - start * frac) / (1 - frac));
        }
        if (r.left - 4 < p.left) needStart = Math.min(needStart, start - (p.left - r.left + 12) * perPx);
      });
      if (needEnd <= end && needStart >= start) return;
      timeline.setWindow(needStart, needEnd, {animation: false});
      timeline.redraw();
    }
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
    widen();
    window.kgStatus = {drawn: view.length, edges: 0, ms: performance.now() - t0};
  });
})();
