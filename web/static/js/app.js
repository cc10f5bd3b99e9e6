/* Yizhan pages: CSRF for htmx requests, polite inbox refresh, repeatable form rows. No framework. */
(function () {
  "use strict";

  var csrf = document.querySelector('meta[name="csrf-token"]');

  document.body.addEventListener("htmx:configRequest", function (event) {
    if (csrf) { event.detail.headers["X-CSRFToken"] = csrf.getAttribute("content"); }
  });

  // The inbox refreshes every minute, but never under the clerk's hands: not while a reason is
  // being typed or a reassign/return box is open.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var list = document.getElementById("inbox-list");
    if (!list || event.detail.elt !== list) { return; }
    var busy = list.querySelector("details[open]") || list.contains(document.activeElement);
    if (busy) { event.preventDefault(); }
  });

  // After a tab switch the filter form keeps the chosen tab.
  document.body.addEventListener("htmx:afterSwap", function () {
    var list = document.getElementById("inbox-list");
    var form = document.getElementById("inbox-filters");
    if (list && form && form.elements.scope) { form.elements.scope.value = list.getAttribute("data-scope"); }
  });

  // Rows of a repeated group (the parties of a dispute): add from the template, remove a row.
  function renumber(fieldset) {
    var rows = fieldset.querySelectorAll("tbody tr.row");
    var prefix = fieldset.getAttribute("data-rows");
    rows.forEach(function (row, index) {
      row.setAttribute("data-index", String(index));
      row.querySelectorAll("[name]").forEach(function (input) {
        input.name = input.name.replace(new RegExp("^" + prefix + "-\\d+-"), prefix + "-" + index + "-");
        if (input.id) { input.id = "f-" + input.name; }
      });
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.classList.contains("add-row")) {
      var fieldset = target.closest("fieldset.rows");
      var template = fieldset.querySelector("template.row-template");
      var body = fieldset.querySelector("tbody");
      var index = body.querySelectorAll("tr.row").length;
      var html = template.innerHTML.replace(/__i__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      renumber(fieldset);
      var first = body.lastElementChild.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    } else if (target.classList.contains("remove-row")) {
      var set = target.closest("fieldset.rows");
      var row = target.closest("tr.row");
      if (set.querySelectorAll("tbody tr.row").length > 1) { row.remove(); renumber(set); }
      else { row.querySelectorAll("input, textarea").forEach(function (i) { i.value = ""; }); }
    }
  });

  // Dates and numbers the browser rejects are shown beside the field before the server sees them.
  document.addEventListener("invalid", function (event) {
    var field = event.target.closest(".field");
    if (field) { field.classList.add("has-error"); }
  }, true);
})();
