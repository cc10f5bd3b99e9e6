/* The case file's diagrams (drawn by marked_diagram.js) with done, current and failed elements marked.
 *
 * Contract with cases/show.html: each div.case-diagram carries data-xml-url, data-completed,
 * data-current, data-failed and data-ladder (JSON lists of element ids), data-loading and data-error
 * texts. When drawn it gets data-rendered="true", data-marked="<number of marks applied>" and
 * data-zoom (the scale it opened at). A diagram opens centred on where the case stands (its current
 * elements, else what it has done) at a readable scale, not fitted whole. The supervision ladders
 * (deadline timers and their branches) are hidden until #show-ladders is ticked. The stage stepper's
 * links (a[data-open-diagram]) open their stage's diagram.
 */
(function () {
  "use strict";

  var MARKS = [["completed", "yz-completed"], ["current", "yz-current"], ["failed", "yz-failed"]];
  var READABLE = 0.8;  // below this scale a task's name is too small to read
  var PADDING = 60;

  var ids = window.YizhanDiagram.ids;

  function laddersShown() {
    var toggle = document.getElementById("show-ladders");
    return !!(toggle && toggle.checked);
  }

  function applyLadders(div) {
    var shown = laddersShown();
    div.classList.toggle("hide-ladders", !shown);
    div.setAttribute("data-ladders", shown ? "shown" : "hidden");
  }

  function shapes(registry, list, skip) {
    return list.map(function (id) { return registry.get(id); })
      .filter(function (el) { return el && !el.waypoints && !skip[el.id] && el.type !== "label"; });
  }

  /* Centre the view on the elements where the case stands, at 100% or the largest readable scale. */
  function focus(canvas, registry, div) {
    var ladder = {};
    if (!laddersShown()) { ids(div, "ladder").forEach(function (id) { ladder[id] = true; }); }
    var targets = shapes(registry, ids(div, "current"), ladder);
    if (!targets.length) { targets = shapes(registry, ids(div, "completed"), ladder); }
    if (!targets.length) { canvas.zoom("fit-viewport", "auto"); return; }
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    targets.forEach(function (el) {
      minX = Math.min(minX, el.x); minY = Math.min(minY, el.y);
      maxX = Math.max(maxX, el.x + el.width); maxY = Math.max(maxY, el.y + el.height);
    });
    var outer = canvas.viewbox().outer;
    var width = maxX - minX + 2 * PADDING, height = maxY - minY + 2 * PADDING;
    var scale = Math.max(READABLE, Math.min(1, outer.width / width, outer.height / height));
    var viewWidth = outer.width / scale, viewHeight = outer.height / scale;
    canvas.viewbox({ x: (minX + maxX) / 2 - viewWidth / 2, y: (minY + maxY) / 2 - viewHeight / 2,
                     width: viewWidth, height: viewHeight });
  }

  function render(div) {
    if (div.getAttribute("data-started")) { return; }
    applyLadders(div);
    window.YizhanDiagram.draw(div, MARKS, function (viewer, canvas, registry) {
      ids(div, "ladder").forEach(function (id) {
        [id, id + "_label"].forEach(function (part) { if (registry.get(part)) { canvas.addMarker(part, "yz-ladder"); } });
      });
      focus(canvas, registry, div);
      div.yzViewer = viewer;
      div.setAttribute("data-zoom", String(Math.round(canvas.zoom() * 100) / 100));
    });
  }

  function visible(div) {
    var details = div.closest("details");
    return !details || details.open;
  }

  function openStage(processId, scroll) {
    var details = document.getElementById("diagram-" + processId);
    if (!details) { return; }
    details.open = true;
    var div = details.querySelector("div.case-diagram");
    if (div) { render(div); }
    if (scroll) { details.scrollIntoView({ block: "start" }); }
  }

  document.querySelectorAll("div.case-diagram").forEach(function (div) {
    if (visible(div)) { render(div); }
    var details = div.closest("details");
    if (details) {
      details.addEventListener("toggle", function () { if (details.open) { render(div); } });
    }
  });

  var toggle = document.getElementById("show-ladders");
  if (toggle) {
    toggle.addEventListener("change", function () {
      document.querySelectorAll("div.case-diagram").forEach(applyLadders);
    });
  }

  document.querySelectorAll("a[data-open-diagram]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      openStage(link.getAttribute("data-open-diagram"), true);
      if (window.history && window.history.replaceState) { window.history.replaceState(null, "", link.getAttribute("href")); }
    });
  });

  if (window.location.hash.indexOf("#diagram-") === 0) { openStage(window.location.hash.slice(9), true); }
})();
