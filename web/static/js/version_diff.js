/* Versions side by side: each div.version-diagram is drawn (marked_diagram.js) with its data-added,
 * data-changed and data-removed element ids marked yz-added, yz-changed and yz-removed. A diagram inside a
 * closed <details> is drawn when it is opened. The "select all" box ticks every case that can move.
 */
(function () {
  "use strict";

  var MARKS = [["added", "yz-added"], ["changed", "yz-changed"], ["removed", "yz-removed"]];

  function render(div) { window.YizhanDiagram.draw(div, MARKS); }

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
