/* Versions side by side: each div.version-diagram is drawn with bpmn-js (the vendored NavigatedViewer) and its
 * data-added, data-changed and data-removed element ids (JSON lists) are marked yz-added, yz-changed and
 * yz-removed. When drawn it gets data-rendered="true" and data-marked="<marks applied>". A diagram inside a
 * closed <details> is drawn when it is opened.
 */
(function () {
  "use strict";

  var MARKS = [["added", "yz-added"], ["changed", "yz-changed"], ["removed", "yz-removed"]];

  function ids(div, name) {
    try { return JSON.parse(div.getAttribute("data-" + name) || "[]"); } catch (e) { return []; }
  }

  function fail(div, error) {
    div.textContent = (div.getAttribute("data-error") || "") + " " + String((error && error.message) || error || "");
    div.setAttribute("data-rendered", "error");
  }

  function render(div) {
    if (div.getAttribute("data-started")) { return; }
    div.setAttribute("data-started", "true");
    div.textContent = div.getAttribute("data-loading") || "";
    if (typeof window.BpmnJS !== "function") { fail(div, "bpmn-js is not loaded"); return; }
    fetch(div.getAttribute("data-xml-url"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (xml) {
        div.textContent = "";
        var viewer = new window.BpmnJS({ container: div });
        return viewer.importXML(xml).then(function () { return viewer; });
      })
      .then(function (viewer) {
        var canvas = viewer.get("canvas"), registry = viewer.get("elementRegistry"), marked = 0;
        MARKS.forEach(function (pair) {
          ids(div, pair[0]).forEach(function (id) {
            if (registry.get(id)) { canvas.addMarker(id, pair[1]); marked += 1; }
          });
        });
        canvas.zoom("fit-viewport", "auto");
        div.setAttribute("data-marked", String(marked));
        div.setAttribute("data-rendered", "true");
      })
      .catch(function (error) { fail(div, error); });
  }

  document.querySelectorAll("div.version-diagram").forEach(function (div) {
    var details = div.closest("details");
    if (!details || details.open) { render(div); }
    if (details) {
      details.addEventListener("toggle", function () {
        if (details.open) { details.querySelectorAll("div.version-diagram").forEach(render); }
      });
    }
  });

  document.querySelectorAll("input[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll("input[name='case']:not([disabled])").forEach(function (c) { c.checked = box.checked; });
    });
  });
})();
