/* A task form's JSON Schema in a text editor, checked as it is typed, with a live preview drawn by the
 * server with the same renderer as the task page. Kept forms go into the draft (`studio.forms`). */
(function () {
  "use strict";

  var TEMPLATE = {
    title: "", type: "object", additionalProperties: false,
    properties: { opinion: { type: "string", title: "办理意见", maxLength: 2000, "x-widget": "textarea" } },
    required: ["opinion"]
  };

  window.YizhanStudio = window.YizhanStudio || {};
  window.YizhanStudio.formEditor = function (studio) {
    var S = studio.strings;
    var dialog = document.getElementById("studio-form-editor");
    var area = document.getElementById("studio-form-json");
    var preview = document.getElementById("studio-form-preview");
    var error = document.getElementById("studio-form-error");
    var keyLabel = document.getElementById("studio-form-key");
    var state = { key: null, schema: null, valid: false, after: null, timer: null };

    function parse() {
      try {
        var schema = JSON.parse(area.value);
        error.textContent = "";
        return schema;
      } catch (e) {
        error.textContent = S.form_invalid_json.replace("%(error)s", e.message);
        return null;
      }
    }

    function render() {
      var schema = parse();
      state.valid = false;
      if (!schema) { return Promise.resolve(); }
      return studio.post(studio.urls.formPreview, { key: state.key, schema: schema }, "text/html")
        .then(function (html) {
          preview.innerHTML = html;  // rendered by the server from the schema, escaped there
          state.schema = schema;
          state.valid = true;
        })
        .catch(function (problem) { error.textContent = problem.message; });
    }

    area.addEventListener("input", function () {
      window.clearTimeout(state.timer);
      state.timer = window.setTimeout(render, 400);
    });

    dialog.querySelector('[data-action="keep-form"]').addEventListener("click", function () {
      window.clearTimeout(state.timer);
      render().then(function () {
        if (!state.valid) { return; }
        studio.forms[state.key] = state.schema;
        studio.markDirty(S.form_saved);
        dialog.close();
        if (state.after) { state.after(); }
      });
    });
    dialog.querySelector('[data-action="close-dialog"]').addEventListener("click", function () { dialog.close(); });

    return {
      open: function (key, isNew, after) {
        state.key = key;
        state.after = after || null;
        keyLabel.textContent = key;
        preview.textContent = "";
        error.textContent = "";
        var known = studio.forms[key];
        var loading = known ? Promise.resolve(known) : (isNew ? Promise.resolve(Object.assign({}, TEMPLATE, { title: key }))
          : studio.get(studio.urls.form.replace("__key__", encodeURIComponent(key))).then(function (r) { return r.schema; }));
        return loading.then(function (schema) {
          area.value = JSON.stringify(schema, null, 2);
          dialog.showModal();
          return render();
        });
      }
    };
  };
})();
