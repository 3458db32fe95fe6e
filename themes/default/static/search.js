// intark-docs search client. Reads the static bundle that `intark-docs build` writes under
// /intark-search/ (formats: src/search/bundle.rs) and fetches only what a query needs: the dictionary
// of each word's two-letter prefix, the postings packs of the matching terms, and the documents of the
// pages shown. Loaded by site.js on first use; no server code, so it works from any static host.
(function (root) {
  "use strict";

  // Snowball's Norwegian stemmer, the algorithm rust-stemmers runs when the index is built (a test
  // compares the two on every word of the guide).
  var VOWELS = "aeiouyæåø";
  var S_ENDING = "bcdfghjlmnoprtvyz";
  var MAIN = [
    ["hetenes", 1], ["hetene", 1], ["hetens", 1], ["heten", 1], ["heter", 1], ["endes", 1],
    ["edes", 1], ["enes", 1], ["ande", 1], ["ende", 1], ["erte", 3], ["het", 1], ["ede", 1],
    ["ane", 1], ["ene", 1], ["ens", 1], ["ers", 1], ["ets", 1], ["ert", 3], ["ast", 1], ["en", 1],
    ["ar", 1], ["er", 1], ["as", 1], ["es", 1], ["et", 1], ["a", 1], ["e", 1], ["s", 2]
  ];
  var OTHER = ["hetslov", "eleg", "elig", "elov", "slov", "leg", "eig", "lig", "els", "lov", "ig"];
  var isVowel = function (c) { return c !== undefined && VOWELS.indexOf(c) >= 0; };
  var endsWith = function (chars, end, suffix) {
    if (end < suffix.length) { return false; }
    return chars.slice(end - suffix.length, end).join("") === suffix;
  };
  var stemNorwegian = function (word) {
    var c = Array.from(word);
    var n = c.length;
    if (n < 3) { return word; }
    // R1: after the first non-vowel that follows a vowel, and at least three letters in.
    var p1 = n;
    var i = 0;
    while (i < n && !isVowel(c[i])) { i++; }
    if (i < n) {
      while (i < n && isVowel(c[i])) { i++; }
      if (i < n) { p1 = Math.max(i + 1, 3); }
    }
    var end = n;
    for (var m = 0; m < MAIN.length; m++) {
      var suffix = MAIN[m][0];
      if (end - suffix.length >= p1 && endsWith(c, end, suffix)) {
        if (MAIN[m][1] === 1) {
          end -= suffix.length;
        } else if (MAIN[m][1] === 2) {
          var before = c[end - 2];
          if (S_ENDING.indexOf(before) >= 0 || (before === "k" && end >= 3 && !isVowel(c[end - 3]))) { end -= 1; }
        } else {
          c.splice(end - suffix.length, suffix.length, "e", "r");
          end = end - suffix.length + 2;
        }
        break;
      }
    }
    if (end - 2 >= p1 && (endsWith(c, end, "dt") || endsWith(c, end, "vt"))) { end -= 1; }
    for (var o = 0; o < OTHER.length; o++) {
      if (end - OTHER[o].length >= p1 && endsWith(c, end, OTHER[o])) { end -= OTHER[o].length; break; }
    }
    return c.slice(0, end).join("");
  };
  var stemmerFor = function (lang) {
    var primary = String(lang || "").split(/[-_]/)[0].toLowerCase();
    return primary === "nb" || primary === "nn" || primary === "no" ? stemNorwegian : function (w) { return w; };
  };

  var WORD = /[\p{L}\p{N}]+/gu;
  var words = function (text) { return (text.toLowerCase().match(WORD) || []); };
  var chars = function (s) { return Array.from(s).length; };
  var keyOf = function (term) { return Array.from(term).slice(0, 2).join(""); };
  var hex = function (key) {
    return Array.prototype.map.call(new TextEncoder().encode(key), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  };
  // Edit distance with adjacent transpositions, giving up above `max`.
  var distance = function (a, b, max) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) { return max + 1; }
    var prev2 = null, prev = [], cur;
    for (var j = 0; j <= b.length; j++) { prev[j] = j; }
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a[i - 1] === b[k - 1] ? 0 : 1;
        var v = Math.min(prev[k] + 1, cur[k - 1] + 1, prev[k - 1] + cost);
        if (prev2 && i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) { v = Math.min(v, prev2[k - 2] + 1); }
        cur[k] = v;
        if (v < best) { best = v; }
      }
      if (best > max) { return max + 1; }
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  };
  var escapeHtml = function (s) {
    return s.replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  };

  // Postings of one term: [{page, count, sections: [[section, inHeading], …]}].
  var decode = function (bytes, df) {
    var at = 0;
    var next = function () {
      var n = 0, shift = 0, b;
      do { b = bytes[at++]; n += (b & 0x7f) * Math.pow(2, shift); shift += 7; } while (b >= 0x80 && at < bytes.length);
      return n;
    };
    var out = [];
    var page = 0;
    for (var d = 0; d < df && at < bytes.length; d++) {
      page += next();
      var count = next();
      var n = next();
      var section = 0;
      var sections = [];
      for (var s = 0; s < n; s++) { var v = next(); section += Math.floor(v / 2); sections.push([section, v % 2 === 1]); }
      out.push({ page: page, count: count, sections: sections });
    }
    return out;
  };

  function Index(base) {
    this.base = base;
    this.files = {};
    this.meta = null;
  }
  Index.prototype.get = function (name, binary) {
    if (!this.files[name]) {
      this.files[name] = fetch(this.base + name).then(function (r) {
        if (!r.ok) { throw new Error(name + ": HTTP " + r.status); }
        return binary ? r.arrayBuffer().then(function (b) { return new Uint8Array(b); }) : r.json();
      });
      var files = this.files;
      this.files[name].catch(function () { delete files[name]; });
    }
    return this.files[name];
  };
  Index.prototype.load = function () {
    var self = this;
    if (!this.meta) {
      this.meta = this.get("meta.json").then(function (meta) {
        meta.keySet = {};
        meta.keys.forEach(function (k) { meta.keySet[k] = true; });
        meta.stem = stemmerFor(meta.lang);
        return meta;
      });
      this.meta.catch(function () { self.meta = null; });
    }
    return this.meta;
  };
  Index.prototype.dictionary = function (meta, key) {
    if (!meta.keySet[key]) { return Promise.resolve([]); }
    return this.get("d/" + hex(key) + ".json");
  };
  Index.prototype.postings = function (key, entry) {
    return this.get("x/" + hex(key) + "-" + entry[2] + ".bin", true).then(function (pack) {
      return decode(pack.subarray(entry[3], entry[3] + entry[4]), entry[1]);
    });
  };

  // The terms a query word stands for: exact (stem or word as typed); else, for the word being typed
  // (three letters or more), the three commonest terms it begins; else terms one or two edits away.
  // Each with a weight.
  var matchWord = function (dict, word, stem, typing) {
    var found = [];
    dict.forEach(function (e) { if (e[0] === stem || e[0] === word) { found.push({ entry: e, weight: 1 }); } });
    if (typing && !found.length && chars(word) >= 3) {
      var longer = dict.filter(function (e) {
        return e[0].indexOf(word) === 0;
      }).sort(function (a, b) { return b[1] - a[1]; }).slice(0, 3);
      longer.forEach(function (e) { found.push({ entry: e, weight: 0.7 }); });
    }
    if (found.length) { return found; }
    var max = chars(stem) >= 8 ? 2 : 1;
    return dict.map(function (e) {
      return { entry: e, d: Math.min(distance(e[0], stem, max), distance(e[0], word, max)) };
    }).filter(function (x) { return x.d <= max; })
      .sort(function (a, b) { return a.d - b.d || b.entry[1] - a.entry[1]; })
      .slice(0, 3)
      .map(function (x) { return { entry: x.entry, weight: x.d === 1 ? 0.5 : 0.35, typo: true }; });
  };

  var TITLE = 8, HEADING = 5;

  // Search: up to `limit` pages, best first, each as {url, title, crumbs, excerpt (HTML with <mark>),
  // sections: [{url, heading, excerpt}]}: the page itself (its top when its title or intro matched,
  // else its best section) and up to `SECTIONS` more of its matching sections under it.
  // `typing`: the last word may still be growing (prefix matches count).
  Index.prototype.search = function (query, limit, typing) {
    var self = this;
    return this.load().then(function (meta) {
      var list = words(query).filter(function (w) { var n = chars(w); return n >= 2 && n <= 40; });
      var seen = {};
      list = list.filter(function (w) { if (seen[w]) { return false; } seen[w] = true; return true; });
      if (!list.length) { return []; }
      var stems = list.map(meta.stem);
      return Promise.all(list.map(function (w, k) {
        var keys = [keyOf(stems[k]), keyOf(w)].filter(function (key, i, a) { return a.indexOf(key) === i; });
        return Promise.all(keys.map(function (key) { return self.dictionary(meta, key).then(function (d) { return { key: key, dict: d }; }); }))
          .then(function (dicts) {
            var matched = [];
            dicts.forEach(function (d) {
              matchWord(d.dict, w, stems[k], typing && k === list.length - 1).forEach(function (m) { m.key = d.key; matched.push(m); });
            });
            return Promise.all(matched.map(function (m) {
              return self.postings(m.key, m.entry).then(function (p) { m.postings = p; return m; });
            }));
          });
      })).then(function (perWord) {
        var terms = {};
        perWord.forEach(function (matches) { matches.forEach(function (m) { terms[m.entry[0]] = true; }); });
        return Promise.all(rank(meta, list.length, perWord, limit).map(function (r) {
          return self.get("p/" + r.page + ".json").then(function (doc) { return present(doc, r, terms, meta.stem); });
        }));
      });
    });
  };

  var SECTIONS = 2;

  var rank = function (meta, n, perWord, limit) {
    var pages = {};
    perWord.forEach(function (matches, k) {
      matches.forEach(function (m) {
        var idf = Math.log(1 + meta.pages / Math.max(1, m.entry[1]));
        m.postings.forEach(function (p) {
          var page = pages[p.page] || (pages[p.page] = { page: p.page, words: [], sections: {} });
          page.words[k] = Math.max(page.words[k] || 0, m.weight);
          var body = 1 + 0.25 * Math.log(p.count);
          p.sections.forEach(function (s) {
            var score = m.weight * idf * (body + (s[1] ? (s[0] === 0 ? TITLE : HEADING) : 0));
            var sec = page.sections[s[0]] || (page.sections[s[0]] = []);
            sec[k] = Math.max(sec[k] || 0, score);
          });
        });
      });
    });
    var results = Object.keys(pages).map(function (id) {
      var page = pages[id];
      var perWordBest = [];
      var scored = Object.keys(page.sections).map(function (s) {
        var sec = page.sections[s];
        var total = 0;
        for (var k = 0; k < n; k++) {
          total += sec[k] || 0;
          perWordBest[k] = Math.max(perWordBest[k] || 0, sec[k] || 0);
        }
        return { section: Number(s), score: total };
      }).sort(function (a, b) { return b.score - a.score || a.section - b.section; });
      var spread = perWordBest.reduce(function (a, b) { return a + b; }, 0);
      var strength = page.words.reduce(function (a, b) { return a + (b || 0); }, 0);
      return { page: page.page, sections: scored, strength: strength, score: scored[0].score + 0.25 * spread };
    });
    results.sort(function (a, b) { return b.strength - a.strength || b.score - a.score || a.page - b.page; });
    return results.slice(0, limit);
  };

  // A page's result: the page (its top when the title or intro matched, else its best section) and
  // its other matching sections, each with an excerpt around its first matching word.
  var present = function (doc, r, terms, stem) {
    var at = function (n) { return doc.s[Math.min(n, doc.s.length - 1)] || ["", "", ""]; };
    var textOf = function (n) {
      var text = at(n)[2];
      if (!text && n === 0) {
        var withText = doc.s.find(function (s) { return s[2]; });
        text = withText ? withText[2] : "";
      }
      return text;
    };
    var urlOf = function (n) { var a = n > 0 ? at(n)[0] : ""; return doc.u + (a ? "#" + a : ""); };
    var top = r.sections.some(function (s) { return s.section === 0; }) ? 0 : r.sections[0].section;
    var sections = r.sections.filter(function (s) { return s.section !== top && s.section > 0; })
      .slice(0, SECTIONS)
      .map(function (s) {
        return { url: urlOf(s.section), heading: at(s.section)[1], excerpt: excerpt(textOf(s.section), terms, stem) };
      });
    return {
      url: urlOf(top),
      title: doc.t,
      heading: top > 0 ? at(top)[1] : "",
      crumbs: doc.b || [],
      excerpt: excerpt(textOf(top), terms, stem),
      sections: sections
    };
  };

  var EXCERPT_WORDS = 24;
  var excerpt = function (text, terms, stem) {
    var spans = [];
    var re = new RegExp(WORD.source, "gu");
    var m;
    var first = -1;
    while ((m = re.exec(text)) !== null && spans.length < 5000) {
      var lower = m[0].toLowerCase();
      var hit = terms[lower] === true || terms[stem(lower)] === true;
      if (hit && first < 0) { first = spans.length; }
      spans.push({ start: m.index, end: m.index + m[0].length, hit: hit });
    }
    if (!spans.length) { return escapeHtml(text.slice(0, 200)); }
    var from = Math.max(0, (first < 0 ? 0 : first) - 6);
    var to = Math.min(spans.length, from + EXCERPT_WORDS);
    var out = from > 0 ? "… " : "";
    var pos = spans[from].start;
    for (var i = from; i < to; i++) {
      out += escapeHtml(text.slice(pos, spans[i].start));
      var w = escapeHtml(text.slice(spans[i].start, spans[i].end));
      out += spans[i].hit ? "<mark>" + w + "</mark>" : w;
      pos = spans[i].end;
    }
    if (to < spans.length) { out += " …"; } else { out += escapeHtml(text.slice(pos)); }
    return out;
  };

  // Fill a list with results: each page (breadcrumb, title, excerpt), its sections under it, and last a
  // link to the full results page (`more`: {url, label}) when there is one. As listbox options (the
  // panel), or with `plain` as a list of links (the results page). Returns the number of items.
  var render = function (list, results, more, plain) {
    list.textContent = "";
    var n = 0;
    var option = function (url, parts, className) {
      var item = document.createElement("li");
      if (!plain) {
        item.setAttribute("role", "option");
        item.id = "sok-treff-" + n;
        item.setAttribute("aria-selected", "false");
      }
      n++;
      if (className) { item.className = className; }
      var link = document.createElement("a");
      link.href = url;
      if (!plain) { link.tabIndex = -1; }
      parts.forEach(function (p) {
        if (!p[1]) { return; }
        var span = document.createElement("span");
        span.className = p[0];
        if (p[2]) { span.innerHTML = p[1]; } else { span.textContent = p[1]; } // excerpts: escaped by excerpt().
        link.appendChild(span);
      });
      item.appendChild(link);
      if (!plain) { item.addEventListener("mousedown", function (e) { e.preventDefault(); location.href = link.href; }); }
      list.appendChild(item);
    };
    results.forEach(function (r) {
      option(r.url, [
        ["search-crumbs", r.crumbs.join(" › ")],
        ["search-title", r.title || r.url],
        ["search-heading", r.heading && r.heading !== r.title ? r.heading : ""],
        ["search-excerpt", r.excerpt, true]
      ], "search-page");
      r.sections.forEach(function (s) {
        option(s.url, [["search-heading", s.heading], ["search-excerpt", s.excerpt, true]], "search-section");
      });
    });
    if (more && results.length) { option(more.url, [["search-more", more.label]], "search-all"); }
    return n;
  };

  // UI strings come from the theme's translations, as `data-t-*` attributes on `<body>` (base.html).
  var uiText = function (name, args) {
    var text = (typeof document === "object" && document.body && document.body.getAttribute("data-t-" + name)) || "";
    return text.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(args, key) ? String(args[key]) : all;
    });
  };

  // The full results page (templates/search.html): the query from `?q=`, up to `PAGE_LIMIT` pages.
  var PAGE_LIMIT = 50;
  var resultsPage = function (index, root) {
    var query = (new URLSearchParams(location.search).get("q") || "").trim();
    var input = root.querySelector("input[name=q]");
    var list = root.querySelector("ol");
    var status = root.querySelector("[aria-live]");
    if (input) { input.value = query; }
    if (!query) { status.textContent = ""; return Promise.resolve(0); }
    return index.search(query, PAGE_LIMIT, false).then(function (results) {
      render(list, results, null, true);
      status.textContent = uiText(results.length ? "hits" : "no-hits", { n: results.length, query: query });
      return results.length;
    }, function () { status.textContent = uiText("unavailable", {}); });
  };

  var api = { Index: Index, render: render, resultsPage: resultsPage, stemNorwegian: stemNorwegian, words: words, distance: distance };
  if (typeof module === "object" && module.exports) { module.exports = api; } else { root.IntarkSearch = api; }
})(typeof self !== "undefined" ? self : this);
