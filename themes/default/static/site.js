// intark-docs theme script: progressive enhancement only. Every page reads and navigates without it.
(function () {
  "use strict";
  // UI strings in the page's language, from the theme's tables (data-t-NAME on <body>); `{name}`
  // placeholders are filled from `args`.
  var t = function (name, args) {
    var text = document.body.getAttribute("data-t-" + name) || "";
    return text.replace(/\{(\w+)\}/g, function (all, key) {
      return args && Object.prototype.hasOwnProperty.call(args, key) ? String(args[key]) : all;
    });
  };
  // Phone-width menu: collapsed behind a button once the script runs.
  var toggle = document.querySelector(".nav-toggle");
  var sidebar = document.getElementById("sidebar");
  if (toggle && sidebar) {
    var narrow = window.matchMedia("(max-width: 48rem)");
    var apply = function () {
      toggle.hidden = !narrow.matches;
      var open = !narrow.matches || toggle.getAttribute("aria-expanded") === "true";
      sidebar.classList.toggle("collapsed", !open);
    };
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function () {
      toggle.setAttribute("aria-expanded", toggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
      apply();
    });
    narrow.addEventListener("change", apply);
    apply();
  }
  // Open folders in the sidebar can be folded; the choice is kept while browsing.
  document.querySelectorAll(".nav-open").forEach(function (folder) {
    var row = folder.querySelector(".nav-row");
    var list = folder.querySelector(":scope > ul");
    if (!row || !list) { return; }
    var label = row.querySelector("a, span").textContent;
    var key = "intark-folded:" + label;
    list.id = list.id || "nav-" + folder.getAttribute("data-folder");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "nav-fold";
    button.setAttribute("aria-controls", list.id);
    button.setAttribute("aria-label", t("toggle-folder", { label: label }));
    var set = function (open) {
      folder.classList.toggle("nav-folded", !open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = open ? "▾" : "▸";
    };
    var folded = false;
    try { folded = sessionStorage.getItem(key) === "1"; } catch (e) { /* private mode */ }
    set(!folded);
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      set(open);
      try { sessionStorage.setItem(key, open ? "0" : "1"); } catch (e) { /* private mode */ }
    });
    row.appendChild(button);
  });
  // Copy buttons on code blocks.
  if (navigator.clipboard) {
    document.querySelectorAll("pre.code").forEach(function (pre) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = t("copy");
      button.setAttribute("aria-label", t("copy-label"));
      button.addEventListener("click", function () {
        var code = pre.querySelector("code");
        navigator.clipboard.writeText(code ? code.innerText : pre.innerText).then(function () {
          button.textContent = t("copied");
          setTimeout(function () { button.textContent = t("copy"); }, 1500);
        });
      });
      pre.appendChild(button);
    });
  }
  // Tabs (curl / PowerShell): a real tablist with arrow keys; without the script both panels show.
  document.querySelectorAll("[data-tabs]").forEach(function (box, n) {
    var panels = Array.prototype.slice.call(box.querySelectorAll(":scope > .tab-panel"));
    if (panels.length < 2) { return; }
    var list = document.createElement("div");
    list.setAttribute("role", "tablist");
    list.className = "tablist";
    var tabs = panels.map(function (panel, i) {
      var id = "tabs-" + n + "-" + i;
      var tab = document.createElement("button");
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.id = id + "-tab";
      tab.textContent = panel.getAttribute("data-tab-label");
      tab.setAttribute("aria-controls", id);
      panel.id = id;
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      list.appendChild(tab);
      return tab;
    });
    var select = function (i, focus) {
      tabs.forEach(function (tab, j) {
        tab.setAttribute("aria-selected", i === j ? "true" : "false");
        tab.tabIndex = i === j ? 0 : -1;
        panels[j].hidden = i !== j;
      });
      if (focus) { tabs[i].focus(); }
      try { localStorage.setItem("intark-tab", tabs[i].textContent); } catch (e) { /* private mode */ }
    };
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () { select(i, false); });
      tab.addEventListener("keydown", function (e) {
        if (e.key === "ArrowRight") { select((i + 1) % tabs.length, true); e.preventDefault(); }
        if (e.key === "ArrowLeft") { select((i + tabs.length - 1) % tabs.length, true); e.preventDefault(); }
        if (e.key === "Home") { select(0, true); e.preventDefault(); }
        if (e.key === "End") { select(tabs.length - 1, true); e.preventDefault(); }
      });
    });
    box.insertBefore(list, box.firstChild);
    box.classList.add("tabs-ready");
    var saved = null;
    try { saved = localStorage.getItem("intark-tab"); } catch (e) { /* private mode */ }
    var start = tabs.findIndex(function (t) { return t.textContent === saved; });
    select(start < 0 ? 0 : start, false);
  });
  // Instance selector: rewrites {instans} in every example and remembers the choice.
  var selects = document.querySelectorAll("[data-instance-select]");
  var setInstance = function (value) {
    document.querySelectorAll("[data-instans]").forEach(function (el) { el.textContent = value || "{instans}"; });
    selects.forEach(function (s) { s.value = value; });
    try { localStorage.setItem("intark-instans", value); } catch (e) { /* private mode */ }
  };
  selects.forEach(function (s) { s.addEventListener("change", function () { setInstance(s.value); }); });
  if (selects.length) {
    var stored = "";
    try { stored = localStorage.getItem("intark-instans") || ""; } catch (e) { /* private mode */ }
    if (stored) { setInstance(stored); }
  }
  // Catalog filter.
  document.querySelectorAll("[data-filter]").forEach(function (input) {
    var items = document.querySelectorAll(input.getAttribute("data-filter"));
    var status = document.getElementById(input.getAttribute("aria-describedby"));
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var text = item.getAttribute("data-search") || item.textContent.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      if (status) { status.textContent = words.length ? t("filter-status", { shown: shown, total: items.length }) : ""; }
    });
  });
  // Search: the index built with the site (/intark-search/), read by search.js, which is loaded on
  // first use. A combobox with a listbox of results: `/` focuses it, arrows move, Enter opens, Escape
  // closes.
  var searchBox = document.querySelector("[data-search]");
  var here = document.currentScript && document.currentScript.src;
  if (searchBox) {
    searchBox.hidden = false;
    var input = document.getElementById("sok");
    var list = document.getElementById("sok-resultater");
    var status = document.getElementById("sok-status");
    var engine = null;
    var active = -1;
    var timer = null;
    var load = function () {
      if (!engine) {
        engine = new Promise(function (resolve, reject) {
          var script = document.createElement("script");
          script.src = (here || "/_theme/site.js").replace(/site\.js(\?.*)?$/, "search.js");
          script.onload = function () { resolve(new window.IntarkSearch.Index("/intark-search/")); };
          script.onerror = function () { engine = null; reject(new Error("search.js")); };
          document.head.appendChild(script);
        });
      }
      return engine;
    };
    var close = function () {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    };
    var options = function () { return list.querySelectorAll("[role=option]"); };
    var mark = function (i) {
      var items = options();
      if (!items.length) { return; }
      active = (i + items.length) % items.length;
      items.forEach(function (item, j) { item.setAttribute("aria-selected", j === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    };
    // The full results page: `data-search-page` on the search box (the site's route base + /sok/).
    var pageUrl = function (query) {
      return (searchBox.getAttribute("data-search-page") || "/docs/sok/") + "?q=" + encodeURIComponent(query);
    };
    var show = function (results, query) {
      var count = window.IntarkSearch.render(list, results, { url: pageUrl(query), label: t("all-hits", { query: query }) });
      list.hidden = count === 0;
      // On phones the panel is fixed below the box (style.css); the box's bottom edge is measured here.
      list.style.setProperty("--search-top", Math.round(input.getBoundingClientRect().bottom + 4) + "px");
      input.setAttribute("aria-expanded", count ? "true" : "false");
      status.textContent = t(results.length ? "hits" : "no-hits", { n: results.length, query: query });
      active = -1;
    };
    var run = function () {
      var raw = input.value;
      var query = raw.trim();
      if (!query) { close(); status.textContent = ""; return; }
      var typing = !/\s$/.test(raw);
      load().then(function (index) {
        return index.search(query, 6, typing);
      }).then(function (results) {
        if (input.value.trim() === query) { show(results, query); }
      }).catch(function () { status.textContent = t("unavailable"); });
    };
    // The full results page (templates/search.html) fills itself from `?q=`.
    var resultsPage = document.querySelector("[data-search-results]");
    if (resultsPage) {
      load().then(function (index) { return window.IntarkSearch.resultsPage(index, resultsPage); });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    input.addEventListener("focus", load);
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { mark(active + 1); e.preventDefault(); }
      else if (e.key === "ArrowUp") { mark(active - 1); e.preventDefault(); }
      else if (e.key === "Enter") {
        // Enter opens the chosen result, or with none chosen the full results page.
        var pick = active >= 0 ? options()[active] : null;
        if (pick) { location.href = pick.querySelector("a").href; e.preventDefault(); }
        else if (input.value.trim()) { location.href = pageUrl(input.value.trim()); e.preventDefault(); }
      } else if (e.key === "Escape") { close(); input.value = ""; status.textContent = ""; }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
      if (e.key === "/" && !typing) { e.preventDefault(); input.focus(); }
    });
  }
})();
