// The API catalog: the overview's filter (text, topic, provider), deep links into closed schema
// folds, and the try-it forms. Under `intark-docs serve` a form sends to the embedded sandbox; on the
// published site to the gateway of the chosen institution with the reader's own API key, which is
// kept in sessionStorage only (never in the URL, never in localStorage, masked on screen). Every
// message comes from the page (the theme's strings), so the script holds no UI text.
(function () {
  "use strict";
  var store = function (kind) { try { return window[kind]; } catch (e) { return null; } };

  // Overview filter.
  document.querySelectorAll("[data-api-filter]").forEach(function (box) {
    var input = box.querySelector("[data-api-filter-text]");
    var facets = Array.prototype.slice.call(box.querySelectorAll("[data-filter-facet]"));
    var items = document.querySelectorAll("#api-list > li");
    var status = box.querySelector(".filter-status");
    var apply = function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var text = item.getAttribute("data-search") || "";
        var match = words.every(function (w) { return text.indexOf(w) >= 0; }) &&
          facets.every(function (f) {
            if (!f.value) { return true; }
            var kind = f.getAttribute("data-filter-facet");
            var values = (item.getAttribute("data-" + kind) || "").split("|");
            return values.indexOf(f.value) >= 0;
          });
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      var filtered = words.length || facets.some(function (f) { return f.value; });
      status.textContent = filtered ? box.getAttribute("data-msg-count").replace("{shown}", shown).replace("{total}", items.length) : "";
    };
    input.addEventListener("input", apply);
    facets.forEach(function (f) { f.addEventListener("change", apply); });
  });

  // JSON examples are sent as text and coloured here: keys, strings, numbers and literals.
  var TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b/g;
  document.querySelectorAll("code[data-json]").forEach(function (code) {
    var text = code.textContent;
    var out = document.createDocumentFragment();
    var last = 0;
    var span = function (cls, t) { var el = document.createElement("span"); el.className = cls; el.textContent = t; out.appendChild(el); };
    TOKEN.lastIndex = 0;
    for (var m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
      out.appendChild(document.createTextNode(text.slice(last, m.index)));
      if (m[1]) {
        span(m[2] ? "j-key" : "j-str", m[1]);
        if (m[2]) { out.appendChild(document.createTextNode(m[2])); }
      } else {
        span(m[3] ? "j-num" : "j-lit", m[0]);
      }
      last = TOKEN.lastIndex;
    }
    out.appendChild(document.createTextNode(text.slice(last)));
    code.textContent = "";
    code.appendChild(out);
  });

  // A deep link to a property inside closed folds opens them.
  var openTarget = function () {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    var folded = false;
    for (var el = target.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) { el.open = true; folded = true; }
    }
    if (folded) { target.scrollIntoView(); }
  };
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Try it.
  var settings = document.querySelector("[data-try-settings]");
  if (!settings) { return; }
  var msg = function (key) { return settings.getAttribute("data-msg-" + key) || ""; };
  var served = !!document.querySelector('script[src="/_intark/live.js"]');
  var keyHeader = settings.getAttribute("data-key-header");
  var KEY = "intark-api-key";
  var session = store("sessionStorage");
  var local = store("localStorage");
  var readKey = function () { try { return (session && session.getItem(KEY)) || ""; } catch (e) { return ""; } };
  var instance = function () {
    var select = document.querySelector("[data-instance-select]");
    if (select && select.value) { return select.value; }
    try { return (local && local.getItem("intark-instans")) || ""; } catch (e) { return ""; }
  };
  var quote = function (text) { return "'" + String(text).replace(/'/g, "'\\''") + "'"; };

  var requestOf = function (form) {
    var path = form.getAttribute("data-path");
    var query = [];
    var headers = [];
    form.querySelectorAll("[data-in]").forEach(function (input) {
      var name = input.getAttribute("data-name");
      var where = input.getAttribute("data-in");
      var value = input.value;
      if (where === "path") {
        path = path.split("{" + name + "}").join(encodeURIComponent(value));
      } else if (value !== "" && where === "query") {
        query.push(encodeURIComponent(name) + "=" + encodeURIComponent(value));
      } else if (value !== "" && where === "header") {
        headers.push([name, value]);
      }
    });
    var base = "";
    if (!form.hasAttribute("data-direct")) {
      if (served) {
        base = location.origin + "/_intark/sandbox";
      } else {
        var chosen = instance();
        if (!chosen) { return { error: msg("instance") }; }
        base = settings.getAttribute("data-url-pattern").replace("{instans}", chosen);
      }
    }
    var url = base + path + (query.length ? (path.indexOf("?") >= 0 ? "&" : "?") + query.join("&") : "");
    var accept = form.getAttribute("data-accept");
    if (accept) { headers.push(["Accept", accept]); }
    var bodyField = form.querySelector("[data-try-body]");
    var body = bodyField ? bodyField.value : null;
    if (body !== null && form.getAttribute("data-content-type")) { headers.push(["Content-Type", form.getAttribute("data-content-type")]); }
    return { method: form.getAttribute("data-method"), url: url, headers: headers, body: body };
  };

  var showPreview = function (form) {
    var req = requestOf(form);
    var code = form.querySelector("[data-try-preview]");
    var target = form.querySelector("[data-try-target]");
    if (req.error) { code.textContent = ""; target.textContent = req.error; return; }
    target.textContent = served ? msg("sandbox") : msg("gateway") + " " + req.url.split("/").slice(0, 3).join("/");
    var lines = ["curl --include --request " + req.method + " " + quote(req.url)];
    if (!served) { lines.push("  --header " + quote(keyHeader + ": ") + "\"$" + settings.getAttribute("data-key-env") + "\""); }
    req.headers.forEach(function (h) { lines.push("  --header " + quote(h[0] + ": " + h[1])); });
    if (req.body) { lines.push("  --data " + quote(req.body)); }
    code.textContent = lines.join(" \\\n");
  };

  var render = function (box, status, ms, headers, text) {
    box.textContent = "";
    var head = document.createElement("p");
    head.className = "try-status";
    var code = document.createElement("span");
    code.className = "status-code status-" + (status < 300 ? "success" : status < 400 ? "other" : "error");
    code.textContent = String(status);
    head.appendChild(document.createTextNode(msg("status") + ": "));
    head.appendChild(code);
    head.appendChild(document.createTextNode(" (" + ms + " " + msg("time") + ")"));
    box.appendChild(head);
    var details = document.createElement("details");
    var summary = document.createElement("summary");
    summary.textContent = msg("headers");
    var list = document.createElement("pre");
    list.className = "try-headers";
    list.textContent = headers.join("\n");
    details.appendChild(summary);
    details.appendChild(list);
    box.appendChild(details);
    var label = document.createElement("p");
    label.className = "try-body-label";
    label.textContent = msg("body");
    box.appendChild(label);
    var pre = document.createElement("pre");
    pre.className = "try-body";
    pre.tabIndex = 0;
    var shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
    pre.textContent = shown || msg("empty");
    box.appendChild(pre);
  };

  document.querySelectorAll("[data-try]").forEach(function (form) {
    var keyBox = form.querySelector("[data-try-key]");
    var keyInput = form.querySelector("[data-try-key-input]");
    var result = form.parentElement.querySelector("[data-try-result]");
    if (served || form.hasAttribute("data-direct")) {
      keyBox.hidden = true;
    } else {
      keyInput.value = readKey();
      keyInput.addEventListener("input", function () {
        try { if (session) { session.setItem(KEY, keyInput.value); } } catch (e) { /* private mode */ }
        document.querySelectorAll("[data-try-key-input]").forEach(function (other) { if (other !== keyInput) { other.value = keyInput.value; } });
      });
    }
    form.addEventListener("input", function () { showPreview(form); });
    document.querySelectorAll("[data-instance-select]").forEach(function (s) { s.addEventListener("change", function () { showPreview(form); }); });
    showPreview(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var req = requestOf(form);
      if (req.error) { result.textContent = req.error; return; }
      var headers = new Headers();
      req.headers.forEach(function (h) { headers.append(h[0], h[1]); });
      if (!served && !form.hasAttribute("data-direct") && keyInput.value) { headers.set(keyHeader, keyInput.value); }
      var started = Date.now();
      result.textContent = msg("sending");
      var hasBody = req.body !== null && req.method !== "GET" && req.method !== "HEAD";
      fetch(req.url, { method: req.method, headers: headers, body: hasBody ? req.body : undefined, credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer" })
        .then(function (response) {
          return response.text().then(function (text) {
            var lines = [];
            response.headers.forEach(function (value, name) { lines.push(name + ": " + value); });
            render(result, response.status, Date.now() - started, lines, text);
          });
        })
        .catch(function () {
          var crossOrigin = new URL(req.url, location.href).origin !== location.origin;
          result.textContent = crossOrigin ? msg("cors") : msg("network");
        });
    });
  });
})();
