// The header's colour scheme switch (issue 22): system, light and dark in turn. The choice is kept in
// localStorage under the key that partials/scheme-head.html reads to apply it before the first paint;
// the stylesheets follow `data-theme` on the root element (style.css through `color-scheme`, the
// syntax stylesheet through its scoped rules), and follow the system when it is absent.
(function () {
  var KEY = "intark-color-scheme";
  var ORDER = ["system", "light", "dark"];
  var root = document.documentElement;
  var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-scheme-switch]"));
  var chosen = function () {
    var value = root.getAttribute("data-theme");
    return value === "light" || value === "dark" ? value : "system";
  };
  // The button's name says the scheme in use (its state); the icon shows it too.
  var show = function () {
    var choice = chosen();
    buttons.forEach(function (button) {
      var label = button.getAttribute("data-t-" + choice) || choice;
      button.setAttribute("data-choice", choice);
      button.setAttribute("aria-label", label);
      button.title = label;
      button.querySelectorAll(".scheme-text").forEach(function (text) { text.textContent = label; });
    });
  };
  var apply = function (choice) {
    if (choice === "light" || choice === "dark") {
      root.setAttribute("data-theme", choice);
    } else {
      root.removeAttribute("data-theme");
    }
    show();
  };
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      var next = ORDER[(ORDER.indexOf(chosen()) + 1) % ORDER.length];
      apply(next);
      try {
        if (next === "system") { localStorage.removeItem(KEY); } else { localStorage.setItem(KEY, next); }
      } catch (e) { /* private mode: the choice holds for this page only */ }
    });
    button.hidden = false;
  });
  // A choice made in another tab of the site applies here too.
  window.addEventListener("storage", function (e) {
    if (e.key === KEY || e.key === null) { apply(e.newValue || "system"); }
  });
  show();
})();
