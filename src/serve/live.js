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
  // The panel's words come with the findings (`t`, the theme's `dev.panel` strings).
  var words = {};
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
  // Folded when the writer folded it, and by default on phones, where it would cover the page.
  var folded = window.matchMedia("(max-width: 48rem)").matches;
  try {
    var kept = localStorage.getItem("intark-panel");
    if (kept) { folded = kept === "closed"; }
  } catch (e) { /* private mode */ }
  if (folded) { toggle.setAttribute("aria-expanded", "false"); list.hidden = true; }
  // Docked in the corner (a card) or along the bottom (a bar the width of the window); kept.
  var dock = document.createElement("button");
  dock.type = "button";
  dock.className = "intark-dock";
  dock.style.cssText = "position:absolute;top:4px;right:6px;font:12px system-ui,sans-serif;padding:2px 6px;background:#fff;color:#1e2b3c;border:1px solid #a15c00;border-radius:4px;cursor:pointer";
  var docked = false;
  try { docked = localStorage.getItem("intark-panel-dock") === "bottom"; } catch (e) { /* private mode */ }
  var place = function () {
    panel.setAttribute("data-dock", docked ? "bottom" : "corner");
    dock.textContent = (docked ? words.dock_corner : words.dock_bottom) || "";
    panel.style.left = docked ? "0" : "auto";
    panel.style.right = docked ? "0" : "12px";
    panel.style.bottom = docked ? "0" : "12px";
    panel.style.maxWidth = docked ? "none" : "min(36rem,90vw)";
    panel.style.maxHeight = docked ? "35vh" : "50vh";
    panel.style.borderRadius = docked ? "0" : "6px";
    // A bottom bar keeps the end of the page reachable.
    document.body.style.paddingBottom = docked && panel.parentNode ? panel.offsetHeight + "px" : "";
  };
  dock.addEventListener("click", function () {
    docked = !docked;
    try { localStorage.setItem("intark-panel-dock", docked ? "bottom" : "corner"); } catch (e) { /* private mode */ }
    place();
  });
  panel.style.position = "fixed";
  panel.appendChild(dock);
  toggle.style.paddingRight = "7.5rem";

  // Where a finding is in the page: a link or image whose address or text the source line holds,
  // else the smallest block whose text holds the line's words. The same spot is marked in the page.
  var spotOf = function (f) {
    var source = f.source || "";
    var main = document.querySelector("main") || document.body;
    var found = null;
    if (!source) { return null; }
    var texts = [];
    source.replace(/\[([^\]]+)\]\(/g, function (all, text) { texts.push(text.replace(/[*_`]/g, "").trim()); return all; });
    main.querySelectorAll("a[href], img[src]").forEach(function (el) {
      var address = el.getAttribute("href") || el.getAttribute("src");
      if (!found && (source.indexOf(address) >= 0 || texts.indexOf(el.textContent.trim()) >= 0)) { found = el; }
    });
    if (found) { return found; }
    var words = source.replace(/[#*_`>\[\]()!|]+/g, " ").replace(/^\s*([-+]|\d+\.)\s+/, "").replace(/\s+/g, " ").trim();
    if (words.length < 3) { return null; }
    var probe = words.slice(0, 40);
    main.querySelectorAll("p, li, h1, h2, h3, h4, h5, h6, td, th, pre, dt, dd, blockquote").forEach(function (el) {
      if (el.textContent.replace(/\s+/g, " ").indexOf(probe) >= 0 && (!found || el.textContent.length <= found.textContent.length)) { found = el; }
    });
    return found;
  };
  var MARKED = { "broken-link": 1, "broken-anchor": 1, "missing-asset": 1, "malformed-link": 1, "external-link": 1, "todo": 1, "todo-hidden": 1 };
  var mark = function (el, f) {
    el.setAttribute("data-intark-finding", f.rule);
    el.style.outline = "2px dashed " + (f.severity === "error" ? "#b3261e" : "#a15c00");
    el.style.outlineOffset = "2px";
    if (el.tagName === "A") { el.style.textDecoration = "line-through wavy #b3261e"; }
    if (!el.title) { el.title = f.rule + ": " + f.message; }
  };

  function render(data) {
    var findings = data.findings || [];
    words = data.t || {};
    panel.setAttribute("aria-label", words.label || "");
    place();
    list.textContent = "";
    if (!findings.length) {
      if (panel.parentNode) { panel.parentNode.removeChild(panel); }
      document.body.style.paddingBottom = "";
      return;
    }
    toggle.textContent = (words.count || "{n}").replace("{n}", String(findings.length));
    findings.forEach(function (f) {
      var item = document.createElement("li");
      item.className = "intark-finding intark-" + f.severity;
      var where = document.createElement("code");
      where.textContent = f.file + ":" + f.line + ":" + f.column;
      var text = document.createElement("span");
      text.textContent = " " + f.severity + "[" + f.rule + "]: " + f.message;
      item.appendChild(where);
      item.appendChild(text);
      var spot = spotOf(f);
      if (spot && MARKED[f.rule]) { mark(spot, f); }
      if (spot) {
        var jump = document.createElement("button");
        jump.type = "button";
        jump.className = "intark-jump";
        jump.textContent = words.show || "";
        jump.style.cssText = "margin-left:6px;font:inherit;font-size:12px;padding:0 6px;background:#e6f0fa;color:#00458c;border:1px solid #00458c;border-radius:4px;cursor:pointer";
        jump.addEventListener("click", function () {
          spot.scrollIntoView({ block: "center" });
          spot.setAttribute("data-intark-flash", "");
          spot.style.backgroundColor = "#fff1b8";
          setTimeout(function () { spot.style.backgroundColor = ""; spot.removeAttribute("data-intark-flash"); }, 1500);
        });
        item.appendChild(jump);
      }
      if (f.editor) {
        var edit = document.createElement("a");
        edit.className = "intark-edit";
        edit.href = f.editor;
        edit.textContent = words.open_editor || "";
        edit.style.cssText = "margin-left:6px;font-size:12px;color:#00458c";
        item.appendChild(edit);
      }
      if (f.hint) {
        var hint = document.createElement("div");
        hint.style.cssText = "color:#4b5563";
        hint.textContent = f.hint;
        item.appendChild(hint);
      }
      list.appendChild(item);
    });
    if (!panel.parentNode) { document.body.appendChild(panel); }
    place();
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
