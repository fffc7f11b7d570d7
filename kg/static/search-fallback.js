/* A stand-in for search.js (issue 10) until it lands: delete this file then.
   Defines kgNormalise and kgSearch only when search.js has not defined them. */
(function () {
  "use strict";
  if (!window.kgNormalise) {
    window.kgNormalise = function (text) {
      return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
        .toLowerCase().replace(/\u2019/g, "'").replace(/\s+/g, " ").trim();
    };
  }
  if (!window.kgSearch) {
    window.kgSearch = function (index, text, limit) {
      var needle = window.kgNormalise(text);
      if (!needle) return [];
      var found = [];
      index.forEach(function (item) {
        var names = [item.label].concat(item.aliases || []);
        var best = 0;
        names.forEach(function (name, i) {
          var n = window.kgNormalise(name);
          var score = n === needle ? 100 : n.indexOf(needle) === 0 ? 80 : n.indexOf(needle) >= 0 ? 60 : 0;
          if (score && i > 0) score -= 5;
          if (score > best) best = score;
        });
        if (best) found.push({iri: item.iri, label: item.label, cls: item.cls, detail: item.detail, score: best, href: item.href});
      });
      found.sort(function (a, b) { return b.score - a.score || a.label.length - b.label.length || (a.label < b.label ? -1 : 1); });
      return found.slice(0, limit || 10);
    };
  }
})();
