/* The studio: bpmn-js Modeler on a server-side draft of a process bundle.
 *
 * The page (designer/studio.html) gives the URLs and texts in data attributes. The draft's files are kept
 * here while the designer moves between them (the main process, its stage diagrams, its decision tables);
 * "save" sends them all with the revision they were based on. Problems from the server's checks are drawn
 * on their elements and listed beside the canvas; a change on the canvas re-checks after a pause.
 */
(function () {
  "use strict";

  var root = document.getElementById("studio");
  if (!root) { return; }
  var BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL";
  var DMN_NS = /https?:\/\/www\.omg\.org\/spec\/DMN\//;
  var S = JSON.parse(root.getAttribute("data-strings"));
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var statusNode = document.getElementById("studio-status");
  var tabs = document.getElementById("studio-files");
  var problemList = document.getElementById("studio-problems");
  var problemCount = document.getElementById("studio-problem-count");
  var bpmnBox = document.getElementById("studio-bpmn");
  var dmnBox = document.getElementById("studio-dmn");

  var studio = {
    strings: S,
    urls: {
      draft: root.dataset.draftUrl, check: root.dataset.checkUrl, changes: root.dataset.changesUrl,
      publish: root.dataset.publishUrl, catalogue: root.dataset.catalogueUrl, form: root.dataset.formUrl,
      formPreview: root.dataset.formPreviewUrl, describe: root.dataset.describeUrl, tryDecision: root.dataset.tryUrl,
      deadline: root.dataset.deadlineUrl, groups: root.dataset.groupsUrl, template: root.dataset.templateUrl,
      scenarios: root.dataset.scenariosUrl
    },
    key: root.dataset.key,
    files: {},
    forms: {},
    revision: 0,
    catalogue: null,
    current: null,
    dirty: false,
    problems: [],
    scenarioProblems: [],  // failing scenarios of the last run before publishing, on their failing step's element
    isAdmin: root.dataset.admin === "1"
  };
  var fileChanged = {};
  var checkTimer = null;
  var importing = false;

  function request(method, url, body, accept) {
    var options = { method: method, credentials: "same-origin",
                    headers: { "Accept": accept || "application/json", "X-CSRFToken": csrf } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      var isJson = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      var read = isJson ? response.json() : response.text();
      return read.then(function (data) {
        if (!response.ok) {
          var error = new Error((data && data.message) || ("HTTP " + response.status));
          error.status = response.status;
          error.body = data;
          throw error;
        }
        return data;
      });
    });
  }
  studio.get = function (url) { return request("GET", url); };
  studio.post = function (url, body, accept) { return request("POST", url, body, accept); };

  function status(text, kind) {
    statusNode.textContent = text;
    statusNode.className = kind ? "status-" + kind : "";
  }

  studio.markDirty = function (text) {
    if (importing) { return; }
    studio.dirty = true;
    if (studio.current) { fileChanged[studio.current] = true; }
    status(text || S.unsaved, "dirty");
    window.clearTimeout(checkTimer);
    checkTimer = window.setTimeout(function () { check(true); }, 1200);
  };

  var bpmn = new window.BpmnJS({ container: bpmnBox, keyboard: { bindTo: document },
                                 additionalModules: window.YizhanStudio.translateModules });
  studio.bpmn = bpmn;
  var panel = window.YizhanStudio.panel(studio);
  studio.h = panel.h;
  var decision = window.YizhanStudio.decision(studio);
  var formEditor = window.YizhanStudio.formEditor(studio);

  bpmn.on("commandStack.changed", function () {
    studio.markDirty();
    panel.refresh();
    drawDeadlines();
  });
  bpmn.on("selection.changed", function (event) { panel.show(event.newSelection[0] || null); });
  bpmn.on("element.dblclick", function (event) {
    var bo = event.element.businessObject;
    if (bo.$type === "bpmn:CallActivity" && bo.calledElement) { studio.openCalled(bo.calledElement); }
  });

  function kindOf(name) {
    return /\.dmn$/i.test(name) || DMN_NS.test((studio.files[name] || "").slice(0, 600)) ? "dmn" : "bpmn";
  }

  function parse(name) {
    return new DOMParser().parseFromString(studio.files[name] || "", "application/xml");
  }

  function processesOf(name) {
    if (kindOf(name) !== "bpmn") { return []; }
    return Array.prototype.map.call(parse(name).getElementsByTagNameNS(BPMN_NS, "process"),
                                    function (p) { return p.getAttribute("id"); });
  }

  studio.processIds = function () {
    return Object.keys(studio.files).reduce(function (all, name) { return all.concat(processesOf(name)); }, []);
  };

  studio.decisionIds = function () {
    return Object.keys(studio.files).filter(function (n) { return kindOf(n) === "dmn"; }).reduce(function (all, name) {
      return all.concat(Array.prototype.map.call(parse(name).getElementsByTagName("decision"),
                                                 function (d) { return d.getAttribute("id"); }));
    }, []);
  };

  function fileOfProcess(processId) {
    return Object.keys(studio.files).filter(function (n) { return processesOf(n).indexOf(processId) >= 0; })[0];
  }

  studio.openCalled = function (processId) {
    var name = fileOfProcess(processId);
    if (name) { openFile(name); }
  };

  studio.openForm = function (key, isNew, after) { return formEditor.open(key, isNew, after); };

  studio.previewDeadline = function (props, node) {
    studio.post(studio.urls.deadline, { properties: props }).then(function (answer) {
      node.textContent = S.preview_title;
      var list = studio.h("ul", {});
      answer.rungs.forEach(function (rung) {
        list.appendChild(studio.h("li", { text: rung.name + "：" + readable(rung.at) }));
      });
      node.appendChild(list);
    }).catch(function (problem) { node.textContent = problem.message; });
  };

  function readable(iso) {
    var match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
    if (!match) { return iso; }
    var weekday = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])).getUTCDay();
    return match[2].replace(/^0/, "") + "/" + match[3].replace(/^0/, "") + "（" + S.weekdays[(weekday + 6) % 7] + "）" +
      match[4] + ":" + match[5];
  }

  function stash() {
    var name = studio.current;
    if (!name || !fileChanged[name]) { return Promise.resolve(); }
    var saving = kindOf(name) === "dmn" ? decision.xml() : bpmn.saveXML({ format: true }).then(function (r) { return r.xml; });
    return saving.then(function (xml) { studio.files[name] = xml; });
  }

  function renderTabs() {
    tabs.textContent = "";
    Object.keys(studio.files).forEach(function (name) {
      var button = studio.h("button", { type: "button", role: "tab", "class": "secondary outline small",
                                        "aria-selected": name === studio.current ? "true" : "false",
                                        "data-file": name, text: name, onclick: function () { openFile(name); } });
      tabs.appendChild(button);
    });
  }

  function openFile(name) {
    return stash().then(function () {
      studio.current = name;
      renderTabs();
      importing = true;
      var kind = kindOf(name);
      bpmnBox.hidden = kind !== "bpmn";
      dmnBox.hidden = kind !== "dmn";
      document.getElementById("studio-properties").hidden = kind !== "bpmn";
      var opening = kind === "dmn" ? decision.open(studio.files[name]) : bpmn.importXML(studio.files[name]).then(function (result) {
        keepUnresolvedReferences(result.warnings);
        decision.hide();
        bpmn.get("canvas").zoom("fit-viewport", "auto");
        panel.show(null);
        drawDeadlines();
      });
      return opening.then(function () {
        importing = false;
        drawProblems();
        root.setAttribute("data-open-file", name);
      }).catch(function (error) {
        importing = false;
        status(S.diagram_error.replace("%(error)s", error.message), "error");
      });
    });
  }

  /* SpiffWorkflow reads a multi-instance task's loopDataInputRef/loopDataOutputRef as the name of a case
   * variable, which BPMN calls a reference to an item no diagram declares; bpmn-moddle would drop such a
   * reference when saving. A stand-in item keeps the name, so the diagram saves as it was drawn. */
  function keepUnresolvedReferences(warnings) {
    var moddle = bpmn.get("moddle");
    (warnings || []).forEach(function (warning) {
      if (warning.element && warning.property && warning.value && /unresolved reference/.test(warning.message)) {
        warning.element.set(warning.property, moddle.create("bpmn:Property", { id: warning.value }));
      }
    });
  }

  function drawDeadlines() {
    if (kindOf(studio.current || "") !== "bpmn") { return; }
    var overlays = bpmn.get("overlays");
    overlays.remove({ type: "yz-deadline" });
    bpmn.get("elementRegistry").forEach(function (element) {
      var bo = element.businessObject;
      if (!bo || (bo.$type !== "bpmn:UserTask" && bo.$type !== "bpmn:ManualTask") || element.type === "label") { return; }
      var deadline = window.YizhanStudio.ext.getProps(bo).deadline;
      if (!deadline) { return; }
      var match = /^(working_days|hours_from_now|calendar_days)\((\d+(?:\.\d+)?)\)$/.exec(deadline.trim());
      var text = match ? match[2] + " " + (match[1] === "working_days" ? S.working_days :
        match[1] === "hours_from_now" ? S.hours : S.calendar_days) : deadline;
      overlays.add(element.id, "yz-deadline", { position: { bottom: 8, left: 4 },
        html: '<span class="yz-deadline-badge" title="' + S.deadline + '">' + escapeHtml(S.deadline_short + " " + text) +
              "</span>" });
    });
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function drawProblems() {
    problemList.textContent = "";
    var shown = studio.problems.concat(studio.scenarioProblems);
    var errors = shown.filter(function (p) { return p.severity === "error"; }).length;
    var warnings = shown.length - errors;
    problemCount.textContent = shown.length ? S.errors.replace("%(n)s", errors) + " · " +
      S.warnings.replace("%(n)s", warnings) : "";
    root.setAttribute("data-errors", String(errors));
    if (!shown.length) { problemList.appendChild(studio.h("li", { "class": "muted", text: S.no_problems })); }
    var registry = null, canvas = null, overlays = null;
    if (kindOf(studio.current || "") === "bpmn") {
      registry = bpmn.get("elementRegistry");
      canvas = bpmn.get("canvas");
      overlays = bpmn.get("overlays");
      overlays.remove({ type: "yz-lint" });
      overlays.remove({ type: "yz-scenario" });
      registry.forEach(function (element) {
        canvas.removeMarker(element.id, "yz-lint-error");
        canvas.removeMarker(element.id, "yz-lint-warning");
      });
    }
    var badges = {};
    shown.forEach(function (problem) {
      var here = problem.file === studio.current;
      var item = studio.h("li", { "class": "problem problem-" + problem.severity, "data-element": problem.element_id || "",
                                  "data-rule": problem.rule },
        studio.h("span", { "class": "problem-severity",
                           text: problem.rule === "scenario" ? S.scenario : problem.severity === "error" ? S.error : S.warning }), " ",
        studio.h("button", { type: "button", "class": "link", text: (problem.element_id || problem.file || "") + "：",
                             onclick: function () { reveal(problem); } }),
        " " + problem.message, studio.h("small", { "class": "muted", text: " " + problem.rule + (here ? "" : " · " + problem.file) }));
      problemList.appendChild(item);
      var element = here && registry && problem.element_id ? registry.get(problem.element_id) : null;
      if (element && problem.rule === "scenario") {
        overlays.add(problem.element_id, "yz-scenario", { position: { bottom: -6, left: 0 },
          html: '<span class="yz-scenario-failure" data-testid="scenario-failure" data-element="' +
                escapeHtml(problem.element_id) + '" title="' + escapeHtml(problem.message) + '">' +
                escapeHtml(S.scenario_failed_here + "：" + problem.message) + "</span>" });
      }
      if (element) {
        var worst = badges[problem.element_id];
        badges[problem.element_id] = { count: (worst ? worst.count : 0) + 1,
                                       error: (worst && worst.error) || problem.severity === "error",
                                       title: (worst ? worst.title + "\n" : "") + problem.message };
      }
    });
    Object.keys(badges).forEach(function (id) {
      var badge = badges[id];
      canvas.addMarker(id, badge.error ? "yz-lint-error" : "yz-lint-warning");
      overlays.add(id, "yz-lint", { position: { top: -10, right: 10 },
        html: '<span class="yz-lint-badge ' + (badge.error ? "is-error" : "is-warning") + '" data-element="' +
              escapeHtml(id) + '" title="' + escapeHtml(badge.title) + '">' + badge.count + "</span>" });
    });
  }

  function reveal(problem) {
    var go = problem.file && problem.file !== studio.current && studio.files[problem.file] ? openFile(problem.file)
      : Promise.resolve();
    go.then(function () {
      if (kindOf(studio.current) !== "bpmn" || !problem.element_id) { return; }
      var element = bpmn.get("elementRegistry").get(problem.element_id);
      if (element) {
        bpmn.get("selection").select(element);
        bpmn.get("canvas").scrollToElement(element);
      }
    });
  }

  function check(quiet) {
    return stash().then(function () {
      if (!quiet) { status(S.checking); }
      return studio.post(studio.urls.check, { files: studio.files, forms: studio.forms });
    }).then(function (answer) {
      studio.problems = answer.problems;
      drawProblems();
      if (!quiet) { status(studio.dirty ? S.unsaved : S.saved.replace("%(n)s", studio.revision), studio.dirty ? "dirty" : "ok"); }
    }).catch(function (problem) { status(problem.message, "error"); });
  }

  function save() {
    window.clearTimeout(checkTimer);
    status(S.saving);
    return stash().then(function () {
      return request("PUT", studio.urls.draft, { files: studio.files, forms: studio.forms, revision: studio.revision });
    }).then(function (draft) {
      studio.revision = draft.revision;
      studio.problems = draft.problems;
      studio.scenarioProblems = [];  // they were about the revision before this one
      studio.dirty = false;
      fileChanged = {};
      drawProblems();
      status(S.saved.replace("%(n)s", draft.revision), "ok");
      root.setAttribute("data-revision", String(draft.revision));
      return draft;
    }).catch(function (problem) {
      status(problem.status === 409 ? S.conflict : problem.message, "error");
      throw problem;
    });
  }

  var publishDialog = document.getElementById("studio-publish");
  function openPublish() {
    var ready = studio.dirty || !studio.revision ? save() : Promise.resolve();
    ready.then(function () {
      return studio.post(studio.urls.changes, { files: studio.files });
    }).then(function (changes) {
      var box = document.getElementById("studio-changes");
      box.textContent = "";
      var any = false;
      [["added", S.added], ["removed", S.removed], ["changed", S.changed]].forEach(function (pair) {
        (changes[pair[0]] || []).forEach(function (change) {
          any = true;
          box.appendChild(studio.h("p", { "class": "change change-" + pair[0] },
            studio.h("strong", { text: pair[1] }), " " + (change.name || change.element_id) + " ",
            studio.h("code", { text: change.element_id }),
            change.what && change.what.length ? "（" + change.what.join("、") + "）" : ""));
        });
      });
      if (!any) { box.appendChild(studio.h("p", { "class": "muted", text: S.changes_none })); }
      var errors = studio.problems.filter(function (p) { return p.severity === "error"; });
      var summary = document.getElementById("studio-publish-problems");
      summary.textContent = errors.length ? S.errors.replace("%(n)s", errors.length) + "：" + errors[0].message : "";
      summary.className = errors.length ? "field-error" : "";
      document.getElementById("studio-publish-error").textContent = "";
      publishDialog.showModal();
      runScenarios();
    }).catch(function () { /* the status line says why */ });
  }

  var scenarioBox = document.getElementById("studio-scenarios");
  var overrideBox = document.getElementById("studio-override");
  function runScenarios() {
    scenarioBox.textContent = "";
    scenarioBox.setAttribute("data-state", "running");
    overrideBox.hidden = true;
    scenarioBox.appendChild(studio.h("p", { "class": "muted", text: S.scenarios_running }));
    return studio.post(studio.urls.scenarios, { revision: studio.revision }).then(function (run) {
      scenarioBox.textContent = "";
      studio.scenarioProblems = run.problems;
      drawProblems();
      var total = run.passed + run.failed;
      scenarioBox.setAttribute("data-state", run.failed ? "failed" : "passed");
      scenarioBox.appendChild(studio.h("p", { "class": run.failed ? "field-error" : "ok",
        text: !total ? S.no_scenarios : run.failed ? S.scenarios_failed.replace("%(failed)s", run.failed)
          .replace("%(total)s", total) : S.scenarios_passed.replace("%(n)s", total) }));
      var list = studio.h("ul", { "class": "studio-scenario-results" });
      run.problems.forEach(function (problem) {
        list.appendChild(studio.h("li", { "class": "problem problem-error", "data-element": problem.element_id || "" },
          problem.element_id ? studio.h("button", { type: "button", "class": "link", text: problem.element_id + "：",
                                                     onclick: function () { publishDialog.close(); reveal(problem); } }) : "",
          " " + problem.message));
      });
      scenarioBox.appendChild(list);
      if (run.failed) {
        overrideBox.hidden = false;
        document.getElementById("studio-override-reason").disabled = !studio.isAdmin;
        document.getElementById("studio-override-help").textContent = studio.isAdmin ? S.override_reason_help
          : S.override_admin_only;
      }
    }).catch(function (problem) {
      scenarioBox.textContent = "";
      scenarioBox.setAttribute("data-state", "error");
      scenarioBox.appendChild(studio.h("p", { "class": "field-error", text: problem.message }));
    });
  }

  publishDialog.querySelector('[data-action="close-dialog"]').addEventListener("click", function () { publishDialog.close(); });
  publishDialog.querySelector('[data-action="confirm-publish"]').addEventListener("click", function () {
    var note = document.getElementById("studio-note").value.trim();
    var error = document.getElementById("studio-publish-error");
    if (!note) { error.textContent = S.note_required; return; }
    var body = { revision: studio.revision, note: note };
    if (!overrideBox.hidden && studio.isAdmin) {
      body.scenario_override_reason = document.getElementById("studio-override-reason").value.trim();
      if (!body.scenario_override_reason) { error.textContent = S.override_required; return; }
    }
    studio.post(studio.urls.publish, body).then(function (definition) {
      studio.dirty = false;
      status(S.published.replace("%(n)s", definition.version), "ok");
      window.location.assign(definition.redirect);
    }).catch(function (problem) {
      error.textContent = S.publish_failed + "：" + problem.message;
      if (problem.body && problem.body.problems) {
        var scenarios = problem.body.problems.filter(function (p) { return p.rule === "scenario"; });
        if (scenarios.length) { studio.scenarioProblems = scenarios; } else { studio.problems = problem.body.problems; }
        drawProblems();
      }
    });
  });

  function download() {
    stash().then(function () {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([studio.files[studio.current]], { type: "application/xml" }));
      link.download = studio.current;
      link.click();
      URL.revokeObjectURL(link.href);
    });
  }

  function newFile() {
    var answer = (window.prompt(S.new_file_prompt, "") || "").trim();
    if (!answer) { return; }
    var kind = /\.dmn$/i.test(answer) ? "dmn" : "bpmn";
    var key = answer.replace(/\.(bpmn|dmn)$/i, "");
    var url = studio.urls.template.replace("__kind__", kind) + "?key=" + encodeURIComponent(key);
    studio.get(url).then(function (made) {
      if (studio.files[made.file]) { status(S.file_exists, "error"); return; }
      return stash().then(function () {
        studio.files[made.file] = made.xml;
        fileChanged[made.file] = true;
        return openFile(made.file);
      }).then(function () { studio.markDirty(); });
    }).catch(function (problem) { status(problem.message, "error"); });
  }

  var actions = {
    save: function () { save().catch(function () {}); },
    check: function () { check(false); },
    publish: openPublish,
    download: download,
    "new-file": newFile,
    undo: function () { activeStack().undo(); },
    redo: function () { activeStack().redo(); }
  };

  function activeStack() {
    if (kindOf(studio.current || "") === "dmn") { return decision.modeler.getActiveViewer().get("commandStack"); }
    return bpmn.get("commandStack");
  }

  root.querySelectorAll("[data-action]").forEach(function (button) {
    var action = actions[button.getAttribute("data-action")];
    if (action) { button.addEventListener("click", action); }
  });
  root.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); return; }
      studio.dirty = false;
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (studio.dirty) {
      event.preventDefault();
      event.returnValue = S.leave;
      return S.leave;
    }
  });

  Promise.all([studio.get(studio.urls.draft), studio.get(studio.urls.catalogue)]).then(function (answers) {
    var draft = answers[0];
    studio.catalogue = answers[1];
    studio.files = draft.files;
    studio.forms = draft.forms || {};
    studio.revision = draft.revision;
    studio.problems = draft.problems || [];
    root.setAttribute("data-revision", String(draft.revision));
    var main = fileOfProcess(studio.key) || Object.keys(studio.files)[0];
    status(draft.revision ? S.saved.replace("%(n)s", draft.revision) : S.no_draft, "ok");
    return openFile(main);
  }).then(function () {
    root.setAttribute("data-ready", "true");
  }).catch(function (problem) { status(problem.message, "error"); });

  window.YizhanStudio.instance = studio;
})();
