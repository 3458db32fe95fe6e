// The 404 page (issue 22): the three pages whose routes are closest to the missing address (edit
// distance over the whole route, or over the last part when a page moved to another folder), and the
// address's words in its search box. The site's pages come from the file named by the suggestions'
// `data-suggestions` (`[[url, title], …]`), fetched only here, so no page of the site carries them.
(function () {
  var suggestions = document.querySelector("[data-suggestions]");
  if (!suggestions) { return; }
  var last = function (route) { var parts = route.split("/").filter(Boolean); return parts.length ? parts[parts.length - 1] : ""; };
  var decode = function (text) { try { return decodeURIComponent(text); } catch (e) { return text; } };
  var missing = decode(location.pathname).toLowerCase();
  var box = document.getElementById("sok-404");
  if (box && !box.value) { box.value = last(missing).replace(/[-_]+/g, " ").replace(/\.html?$/, ""); }
  var distance = function (a, b) {
    var row = [];
    for (var j = 0; j <= b.length; j++) { row.push(j); }
    for (var i = 1; i <= a.length; i++) {
      var diagonal = row[0];
      row[0] = i;
      for (var k = 1; k <= b.length; k++) {
        var above = row[k];
        row[k] = Math.min(row[k] + 1, row[k - 1] + 1, diagonal + (a[i - 1] === b[k - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length];
  };
  fetch(suggestions.getAttribute("data-suggestions")).then(function (r) {
    if (!r.ok) { throw new Error(r.status); }
    return r.json();
  }).then(function (pages) {
    var closest = pages.map(function (page) {
      var route = decode(page[0]).toLowerCase();
      return { url: page[0], title: page[1], d: Math.min(distance(missing, route), distance(last(missing), last(route)) + 3) };
    }).sort(function (x, y) { return x.d - y.d; }).slice(0, 3);
    var list = suggestions.querySelector("ul");
    closest.forEach(function (c) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = c.url;
      a.textContent = c.title;
      li.appendChild(a);
      list.appendChild(li);
    });
    suggestions.hidden = closest.length === 0;
  }).catch(function () { /* offline or no list: the search box and the home link remain */ });
})();
