/* Decision tables: dmn-js on the draft's DMN files, and a "try it" panel that runs the table as drawn in
 * the server's sandbox (the same DMN engine a case's grading uses) and marks the rule that matched. */
(function () {
  "use strict";

  window.YizhanStudio = window.YizhanStudio || {};
  window.YizhanStudio.decision = function (studio) {
    var S = studio.strings;
    var h = studio.h;
    var container = document.getElementById("studio-trial");
    var translated = { additionalModules: window.YizhanStudio.translateModules };
    var modeler = new window.DmnJS({ container: "#studio-dmn", common: { keyboard: { bindTo: document } },
                                     drd: translated, decisionTable: translated, literalExpression: translated });
    var described = [];

    modeler.on("views.changed", function () {
      var viewer = modeler.getActiveViewer();
      if (viewer && !viewer.__yizhanWatched) {
        viewer.__yizhanWatched = true;
        viewer.get("eventBus").on("commandStack.changed", function () { studio.markDirty(); });
      }
    });

    function control(column) {
      var type = (column.type || "").toLowerCase();
      if (type === "boolean") {
        var choice = h("select", { "data-column": column.id, "data-testid": "trial-" + column.id });
        [["false", S.no], ["true", S.yes]].forEach(function (o) { choice.appendChild(h("option", { value: o[0], text: o[1] })); });
        return choice;
      }
      var number = ["integer", "long", "number", "double"].indexOf(type) >= 0;
      return h("input", { type: number ? "number" : "text", step: "any", "data-column": column.id,
                          "data-testid": "trial-" + column.id });
    }

    function value(node, column) {
      var type = (column.type || "").toLowerCase();
      if (type === "boolean") { return node.value === "true"; }
      if (node.type === "number") { return node.value === "" ? null : Number(node.value); }
      return node.value;
    }

    function mark(ruleIds) {
      document.querySelectorAll("#studio-dmn tr.yz-matched, #studio-dmn tr.yz-winner").forEach(function (row) {
        row.classList.remove("yz-matched", "yz-winner");
      });
      ruleIds.forEach(function (id, index) {
        var cell = document.querySelector('#studio-dmn td[data-row-id="' + id + '"]');
        if (cell && cell.parentElement) { cell.parentElement.classList.add(index === 0 ? "yz-winner" : "yz-matched"); }
      });
    }

    function renderPanel(decision, xml) {
      container.textContent = "";
      container.hidden = false;
      container.appendChild(h("h2", { text: S.try_title + " · " + (decision.name || decision.id) }));
      var form = h("form", { "class": "studio-trial-form" });
      var controls = decision.inputs.map(function (column) {
        var node = control(column);
        form.appendChild(h("label", { "class": "studio-field" }, h("span", { text: column.label }), node,
                           h("small", { "class": "muted code", text: column.expression || "" })));
        return [node, column];
      });
      var result = h("div", { "class": "studio-trial-result", "data-testid": "trial-result", "aria-live": "polite" });
      var run = h("button", { type: "submit", text: S.run, "data-testid": "trial-run" });
      form.appendChild(run);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var columns = {};
        controls.forEach(function (pair) { columns[pair[1].id] = value(pair[0], pair[1]); });
        currentXml().then(function (text) {
          return studio.post(studio.urls.tryDecision, { dmn: text, decision_id: decision.id, columns: columns });
        }).then(function (trial) {
          result.textContent = "";
          if (!trial.matched.length) {
            result.appendChild(h("p", { text: S.no_match }));
          } else {
            result.appendChild(h("p", {}, h("strong", { text: S.matched + "：" }),
                                 trial.matched.map(function (r) { return "#" + r.row + " " + r.description; }).join("；")));
          }
          var list = h("dl", {});
          Object.keys(trial.output).forEach(function (name) {
            list.appendChild(h("dt", { text: name }));
            list.appendChild(h("dd", { "data-testid": "trial-output-" + name, text: String(trial.output[name]) }));
          });
          result.appendChild(h("p", {}, h("strong", { text: S.output })));
          result.appendChild(list);
          mark(trial.matched.map(function (r) { return r.id; }));
        }).catch(function (problem) {
          result.textContent = problem.message;
        });
      });
      container.appendChild(form);
      container.appendChild(result);
    }

    function currentXml() {
      return modeler.saveXML({ format: true }).then(function (r) { return r.xml; });
    }

    return {
      modeler: modeler,
      open: function (xml) {
        return modeler.importXML(xml).then(function () {
          var table = modeler.getViews().filter(function (v) { return v.type === "decisionTable"; })[0];
          return table ? modeler.open(table) : null;
        }).then(function () {
          return studio.post(studio.urls.describe, { dmn: xml });
        }).then(function (answer) {
          described = answer.decisions;
          if (described.length) { renderPanel(described[0], xml); }
        });
      },
      xml: currentXml,
      hide: function () { container.hidden = true; },
      decisions: function () { return described; }
    };
  };
})();
