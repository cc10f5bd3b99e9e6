/* Yizhan's own fields on BPMN elements: `spiffworkflow:property` children of `extensionElements`.
 *
 * The studio keeps them as bpmn-moddle's generic elements, so every other extension a diagram carries
 * (Camunda's, SpiffArena's) stays as it was drawn. Every change goes through `modeling`, so it can be
 * undone like any other edit on the canvas.
 */
(function () {
  "use strict";

  var SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core";
  var DIALECTS = ["camunda", "activiti", "flowable"];

  function propertiesElement(bo) {
    var values = (bo.extensionElements && bo.extensionElements.values) || [];
    for (var i = 0; i < values.length; i += 1) {
      if (values[i].$type === "spiffworkflow:properties") { return values[i]; }
    }
    return null;
  }

  function children(element) { return (element && element.$children) || []; }

  /** name -> value of the element's Yizhan properties. */
  function getProps(bo) {
    var found = {};
    children(propertiesElement(bo)).forEach(function (child) {
      if (child.$type === "spiffworkflow:property" && child.name) { found[child.name] = child.value || ""; }
    });
    return found;
  }

  /** Set (or, with an empty value, remove) one property, as one undoable command. */
  function setProp(modeler, element, name, value) {
    var moddle = modeler.get("moddle");
    var bo = element.businessObject;
    var values = (bo.extensionElements && bo.extensionElements.values) || [];
    var old = propertiesElement(bo);
    var kept = [];
    var replaced = false;
    children(old).forEach(function (child) {
      if (child.$type === "spiffworkflow:property" && child.name === name) {
        replaced = true;
        if (value) { kept.push(moddle.createAny("spiffworkflow:property", SPIFF, { name: name, value: value })); }
      } else if (child.$type === "spiffworkflow:property") {
        kept.push(moddle.createAny("spiffworkflow:property", SPIFF, { name: child.name, value: child.value }));
      } else {
        kept.push(child);
      }
    });
    if (!replaced && value) { kept.push(moddle.createAny("spiffworkflow:property", SPIFF, { name: name, value: value })); }
    var others = values.filter(function (v) { return v !== old; });
    var fresh = [];
    if (kept.length) {
      var holder = moddle.createAny("spiffworkflow:properties", SPIFF, {});
      holder.$children = kept;
      fresh = [holder];
    }
    var position = old ? values.indexOf(old) : others.length;
    var all = others.slice(0, position).concat(fresh, others.slice(position));
    var extension = all.length ? moddle.create("bpmn:ExtensionElements", { values: all }) : undefined;
    modeler.get("modeling").updateProperties(element, { extensionElements: extension });
  }

  /** Body text of a generic child such as `spiffworkflow:calledDecisionId`. */
  function getText(bo, type) {
    var values = (bo.extensionElements && bo.extensionElements.values) || [];
    for (var i = 0; i < values.length; i += 1) {
      if (values[i].$type === type) { return values[i].$body || ""; }
    }
    return "";
  }

  function setText(modeler, element, type, text) {
    var moddle = modeler.get("moddle");
    var bo = element.businessObject;
    var values = ((bo.extensionElements && bo.extensionElements.values) || []).filter(function (v) {
      return v.$type !== type;
    });
    if (text) {
      var node = moddle.createAny(type, SPIFF, {});
      node.$body = text;
      values.push(node);
    }
    var extension = values.length ? moddle.create("bpmn:ExtensionElements", { values: values }) : undefined;
    modeler.get("modeling").updateProperties(element, { extensionElements: extension });
  }

  /** Another modeler's attribute (camunda:candidateGroups, activiti:assignee, ...), as drawn. */
  function dialectAttr(bo, name) {
    var attrs = bo.$attrs || {};
    for (var i = 0; i < DIALECTS.length; i += 1) {
      var value = attrs[DIALECTS[i] + ":" + name];
      if (value) { return value; }
    }
    return "";
  }

  window.YizhanStudio = window.YizhanStudio || {};
  window.YizhanStudio.ext = { getProps: getProps, setProp: setProp, getText: getText, setText: setText,
                              dialectAttr: dialectAttr, SPIFF: SPIFF };
})();
