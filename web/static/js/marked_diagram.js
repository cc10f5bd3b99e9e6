/* Draw one BPMN diagram into a div with bpmn-js (the vendored NavigatedViewer) and mark elements on it.
 *
 * window.YizhanDiagram.draw(div, marks, placed): div carries data-xml-url, data-loading and data-error;
 * marks is a list of [data attribute, css class] pairs, each attribute a JSON list of element ids. A div is
 * drawn once. When drawn, placed(viewer, canvas, registry) may move the view, then the div gets
 * data-marked="<number of marks applied>" and data-rendered="true" (or "error" with the reason shown).
 * Used by the case file's diagrams and by the versions-side-by-side pages.
 */
(function () {
  "use strict";

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

  function draw(div, marks, placed) {
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
        marks.forEach(function (pair) {
          ids(div, pair[0]).forEach(function (id) {
            if (registry.get(id)) { canvas.addMarker(id, pair[1]); marked += 1; }
          });
        });
        if (placed) { placed(viewer, canvas, registry); } else { canvas.zoom("fit-viewport", "auto"); }
        div.setAttribute("data-marked", String(marked));
        div.setAttribute("data-rendered", "true");
      })
      .catch(function (error) { fail(div, error); });
  }

  window.YizhanDiagram = { draw: draw, ids: ids };
})();
