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
})();
