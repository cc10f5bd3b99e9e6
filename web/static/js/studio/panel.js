/* The properties panel: Yizhan's own fields of the selected element, with choices read from the server
 * (departments, forms, deadline units and ladders, messages, the variables a condition may use).
 *
 * `YizhanStudio.panel(studio)` returns {show(element)}; `studio` gives the modeler, the catalogue, the
 * strings, the draft's forms and files, and callbacks (openForm, openCalled, previewDeadline).
 */
(function () {
  "use strict";

  var ext = window.YizhanStudio.ext;
  var HUMAN = ["bpmn:UserTask", "bpmn:ManualTask"];
  var GATEWAYS = ["bpmn:ExclusiveGateway", "bpmn:InclusiveGateway"];
  var DEADLINE = /^\s*(working_days|hours_from_now|calendar_days)\((\d+(?:\.\d+)?)\)\s*$/;
  var LEAD = /^\s*(\d+(?:\.\d+)?)\s*(h?)\s*$/i;

  function h(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === undefined || value === null || value === false) { return; }
      if (key === "text") { node.textContent = value; } else if (key.slice(0, 2) === "on") {
        node.addEventListener(key.slice(2), value);
      } else { node.setAttribute(key, value === true ? "" : value); }
    });
    for (var i = 2; i < arguments.length; i += 1) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) { continue; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function select(options, current, onchange, testid) {
    var node = h("select", { "data-testid": testid, onchange: function () { onchange(node.value); } });
    options.forEach(function (option) {
      node.appendChild(h("option", { value: option[0], selected: option[0] === current ? "selected" : null,
                                      text: option[1] }));
    });
    return node;
  }

  function field(label, control, help) {
    return h("label", { "class": "studio-field" }, h("span", { text: label }), control,
             help ? h("small", { "class": "muted", text: help }) : null);
  }

  function is(bo, types) { return types.indexOf(bo.$type) >= 0; }

  function laneOf(element) {
    var bo = element.businessObject;
    var lanes = (bo.lanes || []);
    if (lanes.length) { return lanes[lanes.length - 1]; }
    return null;
  }

  function departmentOfLane(lane, departments) {
    if (!lane) { return null; }
    for (var i = 0; i < departments.length; i += 1) {
      if (departments[i].id === lane.id || departments[i].name === (lane.name || "").trim()) {
        return departments[i];
      }
    }
    return null;
  }

  window.YizhanStudio = window.YizhanStudio || {};
  window.YizhanStudio.panel = function (studio) {
    var S = studio.strings;
    var container = document.getElementById("studio-properties");
    var current = null;

    function modeler() { return studio.bpmn; }
    function modeling() { return modeler().get("modeling"); }
    function moddle() { return modeler().get("moddle"); }
    function cat() { return studio.catalogue || { departments: [], forms: [], ladders: [], messages: [], variables: [] }; }

    function nameField(element) {
      var bo = element.businessObject;
      var input = h("input", { type: "text", value: bo.name || "", "data-testid": "prop-name",
                               onchange: function () { modeling().updateLabel(element, input.value); } });
      return field(S.name, input);
    }

    function laneSection(element) {
      var departments = cat().departments;
      var found = departmentOfLane(element.businessObject, departments);
      var options = [["", "—"]].concat(departments.map(function (d) { return [d.id, d.name]; }));
      return field(S.lane_department, select(options, found ? found.id : "", function (value) {
        var chosen = departments.filter(function (d) { return d.id === value; })[0];
        if (chosen) { modeling().updateProperties(element, { name: chosen.name }); }
      }, "prop-lane-department"));
    }

    function departmentSection(element, props) {
      var departments = cat().departments;
      var lane = departmentOfLane(laneOf(element), departments);
      var value = props.department || "";
      var fixed = /^'([a-z_]+)'$|^"([a-z_]+)"$/.exec(value);
      var mode = !value ? "" : (fixed ? (fixed[1] || fixed[2]) : "__data__");
      var options = [["", S.by_lane + (lane ? "（" + lane.name + "）" : "")]]
        .concat(departments.map(function (d) { return [d.id, d.name]; }))
        .concat([["__data__", S.from_data]]);
      var expression = h("input", { type: "text", value: mode === "__data__" ? value : "",
                                    placeholder: "lead_department", hidden: mode !== "__data__" ? "hidden" : null,
                                    onchange: function () { ext.setProp(modeler(), element, "department", expression.value.trim()); } });
      var chooser = select(options, mode, function (choice) {
        if (choice === "__data__") { expression.hidden = false; expression.focus(); return; }
        ext.setProp(modeler(), element, "department", choice ? "'" + choice + "'" : "");
      }, "prop-department");
      var wrap = h("div", {}, field(S.department, chooser,
                                    !lane && !value ? S.no_lane : (lane ? S.lane_is.replace("%(lane)s", lane.name) : null)),
                   expression);
      var groups = ext.dialectAttr(element.businessObject, "candidateGroups");
      var assignee = ext.dialectAttr(element.businessObject, "assignee");
      if (groups) {
        wrap.appendChild(h("p", { "class": "muted small-text" }, S.camunda_groups.replace("%(groups)s", groups), " ",
                           h("a", { href: studio.urls.groups, text: S.map_groups })));
      }
      if (assignee) {
        wrap.appendChild(h("p", { "class": "muted small-text", text: S.camunda_assignee.replace("%(user)s", assignee) }));
      }
      return wrap;
    }

    function formSection(element, props) {
      var keys = cat().forms.map(function (f) { return [f.key, f.title + "（" + f.key + "）"]; });
      Object.keys(studio.forms).forEach(function (key) {
        var title = (studio.forms[key] && studio.forms[key].title) || key;
        keys = keys.filter(function (k) { return k[0] !== key; });
        keys.push([key, title + "（" + key + "）"]);
      });
      var current = props.formKey || ext.dialectAttr(element.businessObject, "formKey");
      var chooser = select([["", S.no_form]].concat(keys), props.formKey || "", function (value) {
        ext.setProp(modeler(), element, "formKey", value);
      }, "prop-form");
      var edit = h("button", { type: "button", "class": "secondary outline small", text: S.edit_form,
                               disabled: props.formKey ? null : "disabled", "data-testid": "prop-edit-form",
                               onclick: function () { studio.openForm(props.formKey); } });
      var create = h("button", { type: "button", "class": "secondary outline small", text: S.new_form,
                                 onclick: function () {
                                   var key = window.prompt(S.key_prompt, "");
                                   if (key && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) {
                                     studio.openForm(key, true, function () { ext.setProp(modeler(), element, "formKey", key); });
                                   }
                                 } });
      return h("div", {}, field(S.form, chooser, current && !props.formKey ? current : null),
               h("div", { "class": "studio-buttons" }, edit, create));
    }

    function deadlineSection(element, props) {
      var parsed = DEADLINE.exec(props.deadline || "");
      var unit = parsed ? parsed[1] : (props.deadline ? "__expr__" : "");
      var amount = h("input", { type: "number", min: "0", step: "1", value: parsed ? parsed[2] : "",
                                "data-testid": "prop-deadline-amount", "class": "narrow" });
      var expression = h("input", { type: "text", value: unit === "__expr__" ? props.deadline : "",
                                    hidden: unit === "__expr__" ? null : "hidden", placeholder: "working_days(3)" });
      var units = select([["", S.no_deadline], ["working_days", S.working_days], ["hours_from_now", S.hours],
                          ["calendar_days", S.calendar_days], ["__expr__", "…"]], unit, function () { write(); },
                         "prop-deadline-unit");
      var ladder = select(cat().ladders.map(function (l) { return [l.id, l.title]; }), props.ladder || "full",
                          function (value) { ext.setProp(modeler(), element, "ladder", value === "full" ? "" : value); },
                          "prop-ladder");
      var lead = LEAD.exec(props.reminderLead || "");
      var leadAmount = h("input", { type: "number", min: "0", step: "1", "class": "narrow",
                                    value: lead ? lead[1] : "", placeholder: "1", "data-testid": "prop-reminder-lead" });
      var leadUnit = select([["", S.working_days], ["h", S.hours]], lead ? lead[2].toLowerCase() : "", function () {
        writeLead();
      }, "prop-reminder-unit");
      var preview = h("div", { "class": "deadline-preview muted small-text", "data-testid": "prop-deadline-preview" });

      function write() {
        var value = "";
        if (units.value === "__expr__") {
          expression.hidden = false;
          value = expression.value.trim();
        } else if (units.value && amount.value !== "") {
          value = units.value + "(" + Number(amount.value) + ")";
        }
        if (units.value !== "__expr__" || value) { ext.setProp(modeler(), element, "deadline", value); }
      }
      function writeLead() {
        var value = leadAmount.value === "" ? "" : Number(leadAmount.value) + (leadUnit.value === "h" ? "h" : "");
        ext.setProp(modeler(), element, "reminderLead", value);
      }
      amount.addEventListener("change", write);
      expression.addEventListener("change", write);
      leadAmount.addEventListener("change", writeLead);
      if (props.deadline) { studio.previewDeadline(props, preview); }
      var rows = [h("div", { "class": "studio-inline" }, amount, units), expression];
      var section = h("fieldset", { "class": "studio-deadline" }, h("legend", { text: S.deadline }));
      rows.forEach(function (row) { section.appendChild(row); });
      if (props.deadline) {
        section.appendChild(field(S.ladder, ladder));
        section.appendChild(field(S.reminder_lead, h("div", { "class": "studio-inline" }, leadAmount, leadUnit)));
        section.appendChild(preview);
      }
      return section;
    }

    function roleSection(element, props) {
      return field(S.role, select([["", S.anyone], ["head", S.head], ["supervisor", S.supervisor]], props.role || "",
                                  function (value) { ext.setProp(modeler(), element, "role", value); }, "prop-role"));
    }

    function conditionSection(element) {
      var bo = element.businessObject;
      var source = bo.sourceRef;
      if (!source || !is(source, GATEWAYS)) { return null; }
      var text = bo.conditionExpression ? (bo.conditionExpression.body || "") : "";
      var area = h("textarea", { rows: "2", "class": "code", "data-testid": "prop-condition", spellcheck: "false" });
      area.value = text;
      area.addEventListener("change", function () {
        var body = area.value.trim();
        modeling().updateProperties(element, {
          conditionExpression: body ? moddle().create("bpmn:FormalExpression", { body: body }) : undefined });
      });
      var chips = h("div", { "class": "studio-chips" });
      cat().variables.forEach(function (name) {
        chips.appendChild(h("button", { type: "button", "class": "chip", text: name, onclick: function () {
          area.value = (area.value ? area.value + " " : "") + name;
          area.dispatchEvent(new Event("change"));
        } }));
      });
      var isDefault = source.default === bo;
      var gateway = modeler().get("elementRegistry").get(source.id);
      var checkbox = h("input", { type: "checkbox", checked: isDefault ? "checked" : null, onchange: function () {
        modeling().updateProperties(gateway, { "default": checkbox.checked ? bo : undefined });
      } });
      return h("div", {}, field(S.condition, area), h("details", {}, h("summary", { text: S.variables }), chips),
               h("label", { "class": "studio-check" }, checkbox, " " + S.default_flow));
    }

    function timerSection(element) {
      var bo = element.businessObject;
      var definition = (bo.eventDefinitions || []).filter(function (d) { return d.$type === "bpmn:TimerEventDefinition"; })[0];
      if (!definition) { return null; }
      var kind = definition.timeDate ? "timeDate" : (definition.timeCycle ? "timeCycle" : "timeDuration");
      var text = definition[kind] ? definition[kind].body || "" : "";
      var input = h("input", { type: "text", value: text, "class": "code", "data-testid": "prop-timer" });
      var kinds = select([["timeDate", "timeDate"], ["timeDuration", "timeDuration"], ["timeCycle", "timeCycle"]], kind,
                         function () { write(); });
      function write() {
        var props = { timeDate: undefined, timeDuration: undefined, timeCycle: undefined };
        props[kinds.value] = moddle().create("bpmn:FormalExpression", { body: input.value.trim() });
        modeling().updateModdleProperties(element, definition, props);
      }
      input.addEventListener("change", write);
      return h("div", {}, field(S.timer, h("div", { "class": "studio-inline" }, kinds, input),
                                "working_days(3) · hours_from_now(4) · PT5M · R3/PT1H"));
    }

    function messageSection(element) {
      var bo = element.businessObject;
      var holder = bo.$type === "bpmn:ReceiveTask" ? bo :
        (bo.eventDefinitions || []).filter(function (d) { return d.$type === "bpmn:MessageEventDefinition"; })[0];
      if (!holder) { return null; }
      var definitions = modeler().getDefinitions();
      var messages = (definitions.rootElements || []).filter(function (r) { return r.$type === "bpmn:Message"; });
      var names = messages.map(function (m) { return m.name || m.id; });
      cat().messages.forEach(function (name) { if (names.indexOf(name) < 0) { names.push(name); } });
      var currentName = holder.messageRef ? (holder.messageRef.name || holder.messageRef.id) : "";
      var input = h("input", { type: "text", value: currentName, list: "studio-message-names", "data-testid": "prop-message" });
      var list = h("datalist", { id: "studio-message-names" });
      names.forEach(function (name) { list.appendChild(h("option", { value: name })); });
      input.addEventListener("change", function () {
        var name = input.value.trim();
        if (!name) { return; }
        var message = messages.filter(function (m) { return (m.name || m.id) === name; })[0];
        if (!message) {
          message = moddle().create("bpmn:Message", { id: "Message_" + name.replace(/[^A-Za-z0-9_]/g, "_"), name: name });
          message.$parent = definitions;
          definitions.rootElements.push(message);
        }
        modeling().updateModdleProperties(element, holder, { messageRef: message });
      });
      return h("div", {}, field(S.message, input), list);
    }

    function scriptSection(element) {
      var bo = element.businessObject;
      var area = h("textarea", { rows: "5", "class": "code", spellcheck: "false", "data-testid": "prop-script" });
      area.value = bo.script || "";
      area.addEventListener("change", function () { modeling().updateProperties(element, { script: area.value }); });
      return field(S.script, area, "notify(kind, text) · supervise(level, text)");
    }

    function callSection(element) {
      var bo = element.businessObject;
      var processes = studio.processIds();
      var chooser = select([["", "—"]].concat(processes.map(function (p) { return [p, p]; })), bo.calledElement || "",
                           function (value) { modeling().updateProperties(element, { calledElement: value || undefined }); },
                           "prop-called");
      var open = h("button", { type: "button", "class": "secondary outline small", text: S.open_called,
                               onclick: function () { studio.openCalled(bo.calledElement); } });
      return h("div", {}, field(S.called, chooser), open);
    }

    function decisionSection(element) {
      var ids = studio.decisionIds();
      var currentId = ext.getText(element.businessObject, "spiffworkflow:calledDecisionId");
      return field("DMN", select([["", "—"]].concat(ids.map(function (d) { return [d, d]; })), currentId, function (value) {
        ext.setText(modeler(), element, "spiffworkflow:calledDecisionId", value);
      }, "prop-decision"));
    }

    function show(element) {
      current = element;
      container.textContent = "";
      if (!element || element.type === "label") {
        container.appendChild(h("p", { "class": "muted", text: S.nothing_selected }));
        return;
      }
      var bo = element.businessObject;
      var props = ext.getProps(bo);
      container.appendChild(h("h2", {}, bo.$type.replace("bpmn:", ""), " ", h("code", { text: bo.id })));
      if (bo.$type !== "bpmn:Process" && bo.$type !== "bpmn:Collaboration") { container.appendChild(nameField(element)); }
      var sections = [];
      if (bo.$type === "bpmn:Lane") { sections.push(laneSection(element)); }
      if (is(bo, HUMAN)) {
        sections.push(departmentSection(element, props), formSection(element, props), deadlineSection(element, props),
                      roleSection(element, props));
      }
      if (bo.$type === "bpmn:SequenceFlow") { sections.push(conditionSection(element)); }
      if (bo.$type === "bpmn:ScriptTask") { sections.push(scriptSection(element)); }
      if (bo.$type === "bpmn:CallActivity") { sections.push(callSection(element)); }
      if (bo.$type === "bpmn:BusinessRuleTask") { sections.push(decisionSection(element)); }
      sections.push(timerSection(element), messageSection(element));
      sections.forEach(function (section) { if (section) { container.appendChild(section); } });
    }

    return {
      show: show,
      refresh: function () {
        var focused = container.contains(document.activeElement) ? document.activeElement.getAttribute("data-testid") : null;
        var registry = modeler().get("elementRegistry");
        show(current && registry.get(current.id) ? registry.get(current.id) : null);
        var again = focused ? container.querySelector('[data-testid="' + focused + '"]') : null;
        if (again) { again.focus(); }
      },
      h: h
    };
  };
})();
