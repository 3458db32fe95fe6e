// intark-docs dev server: live reload and the findings panel. Injected by `serve` only; never part of
// a built site.
(function () {
  "use strict";
  var route = location.pathname;
  var scrollKey = "intark-scroll:" + route;
  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    window.addEventListener("load", function () { window.scrollTo(0, parseInt(saved, 10)); });
  }
  var panel = document.createElement("aside");
  panel.id = "intark-findings";
  panel.setAttribute("aria-label", "Funn på denne siden");
  panel.style.cssText = "position:fixed;right:12px;bottom:12px;z-index:1000;max-width:min(36rem,90vw);max-height:50vh;overflow:auto;" +
    "background:#fff;color:#1e2b3c;border:2px solid #a15c00;border-radius:6px;font:14px/1.4 system-ui,sans-serif;box-shadow:0 2px 12px rgba(0,0,0,.2)";
  var toggle = document.createElement("button");
  toggle.type = "button";
  toggle.setAttribute("aria-expanded", "true");
  toggle.style.cssText = "display:block;width:100%;text-align:left;font:inherit;font-weight:700;padding:6px 10px;background:#fff5dd;color:#1e2b3c;border:0;cursor:pointer";
  var list = document.createElement("ol");
  list.style.cssText = "margin:0;padding:6px 10px 8px 28px";
  panel.appendChild(toggle);
  panel.appendChild(list);
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    list.hidden = !open;
    try { localStorage.setItem("intark-panel", open ? "open" : "closed"); } catch (e) { /* private mode */ }
  });
  try {
    if (localStorage.getItem("intark-panel") === "closed") { toggle.setAttribute("aria-expanded", "false"); list.hidden = true; }
  } catch (e) { /* private mode */ }

  function render(data) {
    var findings = data.findings || [];
    list.textContent = "";
    if (!findings.length) {
      if (panel.parentNode) { panel.parentNode.removeChild(panel); }
      return;
    }
    toggle.textContent = "intark-docs: " + findings.length + (findings.length === 1 ? " funn" : " funn") + " på denne siden";
    findings.forEach(function (f) {
      var item = document.createElement("li");
      item.className = "intark-finding intark-" + f.severity;
      var where = document.createElement("code");
      where.textContent = f.file + ":" + f.line + ":" + f.column;
      var text = document.createElement("span");
      text.textContent = " " + f.severity + "[" + f.rule + "]: " + f.message;
      item.appendChild(where);
      item.appendChild(text);
      if (f.hint) {
        var hint = document.createElement("div");
        hint.style.cssText = "color:#4b5563";
        hint.textContent = f.hint;
        item.appendChild(hint);
      }
      list.appendChild(item);
    });
    if (!panel.parentNode) { document.body.appendChild(panel); }
  }

  function refresh() {
    fetch("/_intark/findings?route=" + encodeURIComponent(route), { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(render)
      .catch(function () { /* server restarting */ });
  }

  var events = new EventSource("/_intark/events");
  events.addEventListener("rebuild", function (e) {
    var data = JSON.parse(e.data);
    var mine = data.all || (data.routes || []).indexOf(route) >= 0 || (data.routes || []).indexOf(decodeURI(route)) >= 0;
    if (mine) {
      sessionStorage.setItem(scrollKey, String(window.scrollY));
      location.reload();
    } else {
      refresh();
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
})();
