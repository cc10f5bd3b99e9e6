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
      else { row.querySelectorAll("input, textarea, select").forEach(function (i) { i.value = ""; }); }
    }
  });

  // What the browser rejects is shown beside the field before the server sees it, in the form's own
  // words (`data-problem`) rather than the browser's "match the requested format".
  document.addEventListener("invalid", function (event) {
    var input = event.target;
    var field = input.closest(".field");
    if (field) { field.classList.add("has-error"); }
    if (input.validity && input.validity.patternMismatch && input.getAttribute("data-problem")) {
      input.setCustomValidity(input.getAttribute("data-problem"));
    }
  }, true);

  // An 18-digit resident ID number carries a check digit (GB 11643): weights 7 9 10 5 8 4 2 1 6 3 ...
  var ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var ID_CHECKS = "10X98765432";
  function idCheckFails(value) {
    if (!/^[1-9][0-9]{16}[0-9Xx]$/.test(value)) { return false; }  // the pattern speaks for the shape
    var sum = 0;
    for (var i = 0; i < 17; i += 1) { sum += Number(value.charAt(i)) * ID_WEIGHTS[i]; }
    return ID_CHECKS.charAt(sum % 11) !== value.charAt(17).toUpperCase();
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.setCustomValidity) { return; }
    input.setCustomValidity("");
    if (input.getAttribute("data-format") === "cn-resident-id" && idCheckFails(input.value)) {
      input.setCustomValidity(input.getAttribute("data-check-problem") || "");
    }
  }, true);

  // A field whose choices may not include another field's choice (the lead department among the
  // cooperating ones): that choice is unticked and disabled while it is chosen there.
  function applyNotIn(fieldset) {
    var other = document.getElementById(fieldset.getAttribute("data-not-in"));
    var chosen = other ? other.value : "";
    fieldset.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      var excluded = chosen !== "" && box.value === chosen;
      if (excluded) { box.checked = false; }
      box.disabled = excluded;
      box.closest("label").classList.toggle("excluded", excluded);
      box.closest("label").hidden = excluded;
    });
  }

  document.querySelectorAll("fieldset[data-not-in]").forEach(function (fieldset) {
    applyNotIn(fieldset);
    var other = document.getElementById(fieldset.getAttribute("data-not-in"));
    if (other) { other.addEventListener("change", function () { applyNotIn(fieldset); }); }
  });
})();
