/* Search box of every site page: kgSearch (search.js, the same ranking as kg search) over window.KG_SEARCH_INDEX.
   The index (search-index.js, a script so that it loads from file:// too) is fetched when a search box
   is first used, so that pages open without it. */
(function () {
  "use strict";
  var index = [];
  var root = window.KG_ROOT || "";
  var hrefs = {};
  var loading = null;
  function withIndex(callback) {
    if (window.KG_SEARCH_INDEX) {
      if (!index.length) {
        index = window.KG_SEARCH_INDEX;
        index.forEach(function (item) { hrefs[item.iri] = item.href; });
      }
      callback();
      return;
    }
    if (!loading) {
      loading = [];
      var script = document.createElement("script");
      script.src = root + "search-index.js";
      script.onload = function () { var waiting = loading; loading = null; withIndex(function () { waiting.forEach(function (f) { f(); }); }); };
      document.body.appendChild(script);
    }
    loading.push(callback);
  }
  window.kgSearchReady = function () { return !!window.KG_SEARCH_INDEX && !loading; };

  function attach(input, list, limit) {
    if (!input || !list) return;
    var active = -1;
    function render() { withIndex(draw); }
    function draw() {
      var found = window.kgSearch(index, input.value, limit);
      list.textContent = "";
      active = -1;
      found.forEach(function (hit) {
        var href = hit.href || hrefs[hit.iri];
        if (!href) return;
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = root + href;
        a.textContent = hit.label;
        var cls = document.createElement("span");
        cls.className = "cls";
        cls.textContent = " " + (hit.cls || "") + (hit.detail ? " · " + hit.detail : "");
        a.appendChild(cls);
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = !input.value.trim();
      if (input.value.trim() && !list.children.length) {
        var none = document.createElement("li");
        none.textContent = "No name or alias matches.";
        none.className = "none";
        list.appendChild(none);
      }
    }
    input.addEventListener("input", render);
    input.addEventListener("focus", function () { withIndex(function () {}); });
    input.addEventListener("keydown", function (ev) {
      var links = list.querySelectorAll("a");
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        active = Math.max(0, Math.min(links.length - 1, active + (ev.key === "ArrowDown" ? 1 : -1)));
        Array.prototype.forEach.call(list.children, function (li, i) { li.classList.toggle("active", i === active); });
      } else if (ev.key === "Enter" && links.length) {
        window.location.href = links[Math.max(active, 0)].href;
      } else if (ev.key === "Escape") {
        list.hidden = true;
      }
    });
    document.addEventListener("click", function (ev) { if (!list.contains(ev.target) && ev.target !== input) list.hidden = true; });
  }
  /* The sticky header's height as --top (site.css), so that an anchor or a table head lands below it. */
  var header = document.querySelector("header.top");
  function measure() {
    var style = document.documentElement.style;
    if (header && window.getComputedStyle(header).position === "sticky") style.setProperty("--top", header.offsetHeight + "px");
    else style.removeProperty("--top");
  }
  measure();
  window.addEventListener("resize", measure);
  attach(document.getElementById("kg-search"), document.getElementById("kg-search-results"), 12);
  attach(document.getElementById("kg-search-home"), document.getElementById("kg-search-home-results"), 20);
})();
