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
  // The sticky header's real height, for `scroll-margin-top` (style.css): a deep link's target lands
  // below the header at every width.
  var header = document.querySelector(".site-header");
  var headerHeight = function () { return header ? header.getBoundingClientRect().height : 0; };
  var measure = null;
  if (header) {
    measure = function () {
      document.documentElement.style.setProperty("--header-height", Math.ceil(headerHeight()) + "px");
    };
    measure();
    if (window.ResizeObserver) { new ResizeObserver(measure).observe(header); }
  }
  // "On this page" below the TOC column's width (page.html): after the page's own h1 when the
  // content brings one.
  var tocMenu = document.querySelector(".toc-menu");
  if (tocMenu && tocMenu.nextElementSibling && tocMenu.nextElementSibling.tagName === "H1") {
    tocMenu.parentNode.insertBefore(tocMenu.nextElementSibling, tocMenu);
  }
  // Scroll-spy: the TOC marks the last heading that has passed below the header.
  var tocLinks = Array.prototype.slice.call(document.querySelectorAll(".toc a[href^='#']"));
  if (tocLinks.length) {
    var entries = tocLinks.map(function (a) {
      return { link: a, heading: document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1))) };
    }).filter(function (e) { return e.heading; });
    var current = null;
    var spy = function () {
      var line = headerHeight() + 24;
      var next = entries.length ? entries[0] : null;
      entries.forEach(function (e) { if (e.heading.getBoundingClientRect().top <= line) { next = e; } });
      // At the very bottom the last heading is the one being read, even when it cannot reach the top.
      if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2 && entries.length) {
        next = entries[entries.length - 1];
      }
      if (next === current) { return; }
      if (current) { current.link.classList.remove("toc-active"); current.link.removeAttribute("aria-current"); }
      current = next;
      if (current) { current.link.classList.add("toc-active"); current.link.setAttribute("aria-current", "location"); }
    };
    var queued = false;
    window.addEventListener("scroll", function () {
      if (queued) { return; }
      queued = true;
      requestAnimationFrame(function () { queued = false; spy(); });
    }, { passive: true });
    spy();
  }
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
  // Closed folders (not on the way to this page) open in place: their list is taken from the
  // folder's own page, whose sidebar shows it open. The folders opened so are kept across pages.
  var OPENED = "intark-opened-folders";
  var opened = [];
  try { opened = JSON.parse(localStorage.getItem(OPENED) || "[]"); } catch (e) { opened = []; }
  var keepOpened = function (id, open) {
    opened = opened.filter(function (x) { return x !== id; });
    if (open) { opened.push(id); }
    try { localStorage.setItem(OPENED, JSON.stringify(opened)); } catch (e) { /* private mode */ }
  };
  var openInPlace = function (scope) {
    scope.querySelectorAll(".nav-closed[data-folder]").forEach(function (folder) {
      var link = folder.querySelector(":scope > a");
      if (!link || folder.querySelector(":scope > .nav-row")) { return; }
      var id = folder.getAttribute("data-folder");
      var row = document.createElement("div");
      row.className = "nav-row";
      folder.insertBefore(row, link);
      row.appendChild(link);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "nav-fold";
      button.setAttribute("aria-label", t("toggle-folder", { label: link.textContent }));
      var list = null;
      var set = function (open) {
        button.setAttribute("aria-expanded", open ? "true" : "false");
        button.textContent = open ? "▾" : "▸";
        if (list) { list.hidden = !open; }
      };
      var show = function (open) {
        if (!open || list) { set(open); return; }
        fetch(link.href).then(function (r) { return r.text(); }).then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var source = page.querySelector("#sidebar [data-folder='" + id + "'] > ul");
          if (!source || list) { return; }
          list = document.importNode(source, true);
          list.id = "nav-" + id;
          button.setAttribute("aria-controls", list.id);
          folder.appendChild(list);
          openInPlace(list);
          set(true);
        }).catch(function () { /* offline: the link still leads to the folder */ });
      };
      set(false);
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        keepOpened(id, open);
        show(open);
      });
      row.appendChild(button);
      if (opened.indexOf(id) >= 0) { show(true); }
    });
  };
  if (sidebar) { openInPlace(sidebar); }
  // Copy buttons on code blocks, in a strip above the code (style.css) so they never cover it.
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
      var frame = document.createElement("div");
      frame.className = "code-block";
      pre.parentNode.insertBefore(frame, pre);
      frame.appendChild(pre);
      frame.appendChild(button);
    });
  }
  // Tabs (curl / PowerShell): a real tablist with arrow keys; without the script every panel shows.
  // Sets of one kind keep in step: choosing a tab selects it in every set of that kind on the page,
  // and the choice is kept for later pages (localStorage). A set's kind is its Docusaurus group
  // (data-tabs-group: panels matched by data-tab-value, as theme-common's tabsUtils keeps a
  // groupId's value), else the label (every set without a group), unless it stands alone
  // (data-tabs-independent). The chosen tab stays where it was on screen.
  var tabGroups = [];
  var storageKey = function (group) { return group === null ? "intark-tab" : "intark-tab-group:" + group; };
  var chooseTab = function (group, key, origin) {
    var before = origin ? origin.getBoundingClientRect().top : 0;
    tabGroups.forEach(function (set) { if (set.group === group) { set.show(key); } });
    if (origin) { window.scrollBy(0, origin.getBoundingClientRect().top - before); }
    try { localStorage.setItem(storageKey(group), key); } catch (e) { /* private mode */ }
  };
  document.querySelectorAll("[data-tabs]").forEach(function (box, n) {
    var panels = Array.prototype.slice.call(box.querySelectorAll(":scope > .tab-panel"));
    if (panels.length < 2) { return; }
    var independent = box.hasAttribute("data-tabs-independent");
    var group = box.getAttribute("data-tabs-group");
    // Docusaurus `queryString`: `?param=value` chooses the tab, and a choice is written there.
    var query = box.getAttribute("data-tabs-query");
    var keyOf = function (panel) {
      return ((group !== null || query !== null) && panel.getAttribute("data-tab-value")) || panel.getAttribute("data-tab-label");
    };
    var keys = panels.map(keyOf);
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
    var select = function (i) {
      tabs.forEach(function (tab, j) {
        tab.setAttribute("aria-selected", i === j ? "true" : "false");
        tab.tabIndex = i === j ? 0 : -1;
        panels[j].hidden = i !== j;
      });
    };
    var pick = function (i, focus) {
      if (independent) { select(i); } else { chooseTab(group, keys[i], tabs[i]); }
      if (query !== null) {
        var url = new URL(window.location.href);
        url.searchParams.set(query, keys[i]);
        history.replaceState(history.state, "", url);
      }
      if (focus) { tabs[i].focus(); }
    };
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () { pick(i, false); });
      tab.addEventListener("keydown", function (e) {
        if (e.key === "ArrowRight") { pick((i + 1) % tabs.length, true); e.preventDefault(); }
        if (e.key === "ArrowLeft") { pick((i + tabs.length - 1) % tabs.length, true); e.preventDefault(); }
        if (e.key === "Home") { pick(0, true); e.preventDefault(); }
        if (e.key === "End") { pick(tabs.length - 1, true); e.preventDefault(); }
      });
    });
    box.insertBefore(list, box.firstChild);
    box.classList.add("tabs-ready");
    // A set without the chosen tab keeps what it shows.
    if (!independent) {
      tabGroups.push({ group: group, show: function (key) {
        var i = keys.indexOf(key);
        if (i >= 0) { select(i); }
      } });
    }
    // The URL's choice, else the reader's last choice for the kind, else the writer's default,
    // else the first (theme-common tabsUtils: query string, then storage, then default).
    var saved = null;
    if (!independent) {
      try { saved = localStorage.getItem(storageKey(group)); } catch (e) { /* private mode */ }
    }
    var asked = query !== null ? new URLSearchParams(window.location.search).get(query) : null;
    var start = keys.indexOf(asked);
    if (start < 0) { start = keys.indexOf(saved); }
    if (start < 0) { start = panels.findIndex(function (p) { return p.hasAttribute("data-tab-default"); }); }
    select(start < 0 ? 0 : start);
  });
  // Instance selector: examples name the catalog's default instance (`data-default`, rendered into
  // the page) until a reader picks one; the pick is kept and used on every later page.
  var selects = document.querySelectorAll("[data-instance-select]");
  var fallback = "";
  selects.forEach(function (s) { fallback = fallback || s.getAttribute("data-default") || ""; });
  var setInstance = function (value, keep) {
    var shown = value || fallback;
    document.querySelectorAll("[data-instans]").forEach(function (el) { el.textContent = shown || "{instans}"; });
    selects.forEach(function (s) { s.value = shown; });
    if (keep) {
      try { localStorage.setItem("intark-instans", value); } catch (e) { /* private mode */ }
    }
  };
  selects.forEach(function (s) { s.addEventListener("change", function () { setInstance(s.value, true); }); });
  var stored = "";
  try { stored = localStorage.getItem("intark-instans") || ""; } catch (e) { /* private mode */ }
  if (stored && (!selects.length || Array.prototype.some.call(selects[0].options, function (o) { return o.value === stored; }))) {
    setInstance(stored, false);
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
  // A deep link's target was placed by the browser before this script folded the menu and added its
  // controls above it; place it again (not on reload or back, where the browser restores the scroll).
  var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  var navigation = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  if (target && !(navigation && (navigation.type === "reload" || navigation.type === "back_forward"))) {
    if (measure) { measure(); }
    target.scrollIntoView();
  }
})();
