/* The case file's diagrams: bpmn-js (vendored NavigatedViewer) with done, current and failed elements marked.
 *
 * Contract with cases/show.html: each div.case-diagram carries data-xml-url, data-completed,
 * data-current and data-failed (JSON lists of element ids), data-loading and data-error texts.
 * When drawn it gets data-rendered="true" and data-marked="<number of marks applied>".
 */
(function () {
  "use strict";

  var MARKS = [["completed", "yz-completed"], ["current", "yz-current"], ["failed", "yz-failed"]];

  function ids(div, name) {
    try { return JSON.parse(div.getAttribute("data-" + name) || "[]"); } catch (e) { return []; }
  }

  function fail(div, error) {
    div.textContent = div.getAttribute("data-error") || "";
    var detail = document.createElement("p");
    detail.className = "yz-diagram-error";
    detail.textContent = String((error && error.message) || error || "");
    div.appendChild(detail);
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
        var canvas = viewer.get("canvas");
        var registry = viewer.get("elementRegistry");
        canvas.zoom("fit-viewport", "auto");
        var marked = 0;
        MARKS.forEach(function (pair) {
          ids(div, pair[0]).forEach(function (id) {
            if (registry.get(id)) { canvas.addMarker(id, pair[1]); marked += 1; }
          });
        });
        div.setAttribute("data-marked", String(marked));
        div.setAttribute("data-rendered", "true");
      })
      .catch(function (error) { fail(div, error); });
  }

  function visible(div) {
    var details = div.closest("details");
    return !details || details.open;
  }

  document.querySelectorAll("div.case-diagram").forEach(function (div) {
    if (visible(div)) { render(div); }
    var details = div.closest("details");
    if (details) {
      details.addEventListener("toggle", function () { if (details.open) { render(div); } });
    }
  });
})();
