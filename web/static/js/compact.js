/* The header's menu at phone width and the inbox's search as you type. Plain script, no framework. */
(function () {
  "use strict";

  // Header: with this script running, phone width shows a Menu button instead of the whole navigation.
  var topbar = document.querySelector(".topbar");
  var toggle = topbar && topbar.querySelector(".menu-toggle");
  if (toggle) {
    topbar.classList.add("has-menu");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = topbar.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && topbar.classList.contains("open")) {
        topbar.classList.remove("open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }

  // Inbox search: the rows on the page narrow at each keystroke; the server's answer (all pages) follows
  // a moment later through the filter form (htmx, debounced).
  function narrow() {
    var search = document.getElementById("inbox-search");
    var list = document.getElementById("inbox-list");
    if (!search || !list) { return; }
    var words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var rows = list.querySelectorAll("tbody tr[data-search]");
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-search").toLowerCase();
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    var none = document.getElementById("inbox-no-match");
    if (none) { none.hidden = shown > 0 || rows.length === 0; }
  }

  document.addEventListener("input", function (event) {
    if (event.target.id === "inbox-search" && !event.isComposing) { narrow(); }
  });
  document.addEventListener("compositionend", function (event) {
    if (event.target.id === "inbox-search") { narrow(); }
  });
  document.body.addEventListener("htmx:afterSwap", narrow);
})();
