// intark-docs theme script: progressive enhancement only. Every page reads and navigates without it.
(function () {
  "use strict";
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
  // Copy buttons on code blocks.
  if (navigator.clipboard) {
    document.querySelectorAll("pre.code").forEach(function (pre) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Kopier";
      button.setAttribute("aria-label", "Kopier koden");
      button.addEventListener("click", function () {
        var code = pre.querySelector("code");
        navigator.clipboard.writeText(code ? code.innerText : pre.innerText).then(function () {
          button.textContent = "Kopiert";
          setTimeout(function () { button.textContent = "Kopier"; }, 1500);
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
      if (status) { status.textContent = words.length ? shown + " av " + items.length + " API-er" : ""; }
    });
  });
})();
