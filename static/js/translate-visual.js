// The translation view's Visual / Source switch: each part's translation edited as the page
// will look (the edit page's visual editor, static/editor/, one for each part), or as its
// Markdown. The text boxes stay what the form posts: each visual editor writes its Markdown
// back into its box as you type, so a save, a refusal and its form all read the same text.
(function () {
  "use strict";
  var STORE = "encyclopedia.editorMode"; // shared with the edit page (static/editor/src/mount.js)
  var WORDS = JSON.parse((document.getElementById("editor-words") || {}).textContent || "{}");
  function T(words, values) {
    var said = WORDS[words] || words;
    Object.keys(values || {}).forEach(function (name) { said = said.replace("{" + name + "}", values[name]); });
    return said;
  }

  function start() {
    var form = document.querySelector("form.translate-form");
    var api = window.EncyclopediaVisual;
    if (!form || !api || !api.createVisual) return;
    var mode = null;
    var previewTimer = null;
    var previewAsked = 0;
    var parts = Array.prototype.map.call(form.querySelectorAll(".translate-part"), function (section) {
      var text = section.querySelector(".translate-part__target textarea");
      var host = document.createElement("div");
      host.className = "ve-host";
      host.hidden = true;
      text.parentNode.insertBefore(host, text);
      var heading = section.querySelector("h2");
      return { text: text, host: host, visual: null, timer: null, name: heading ? heading.textContent.trim() : "" };
    });
    if (!parts.length) return;

    function sync(part) {
      clearTimeout(part.timer);
      part.timer = null;
      if (mode === "visual" && part.visual) {
        var value = part.visual.serialize();
        if (value !== part.text.value) part.text.value = value;
      }
    }

    // One render of every part together by the preview endpoint (references defined in one
    // part and cited in another): figures and references look as the article will show them.
    function refreshPreview() {
      var asked = ++previewAsked;
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      var body = new FormData();
      body.append("content", parts.map(function (p) { return p.text.value; }).join("\n\n"));
      fetch("/markdownx/markdownify/", { method: "POST", body: body, credentials: "same-origin",
        headers: token ? { "X-CSRFToken": token.value } : {} })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          if (asked !== previewAsked || mode !== "visual") return;
          api.shared.rendered = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
          api.shared.views.forEach(function (v) { v.refresh(); });
          form.dataset.previewed = String(asked);
        })
        .catch(function () { /* the look is a help, never needed to translate */ });
    }

    function schedulePreview() {
      clearTimeout(previewTimer);
      previewTimer = setTimeout(refreshPreview, 1200);
    }

    function visualOf(part) {
      if (part.visual) return part.visual;
      part.visual = api.createVisual(part.host, part.text.value, {
        label: T("Translation of {part} (visual editor)", { part: part.name }),
        onChange: function () {
          if (!part.timer) part.timer = setTimeout(function () { sync(part); }, 150);
          schedulePreview();
        },
      });
      return part.visual;
    }

    // The switch, above the parts.
    var modes = document.createElement("div");
    modes.className = "editor-switch";
    modes.setAttribute("role", "group");
    modes.setAttribute("aria-label", T("Editing mode"));
    var buttons = {};
    [["visual", T("Visual"), T("Edit as the page looks")], ["source", T("Source"), T("Edit the Markdown source")]]
      .forEach(function (entry) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "editor-switch-button";
        button.dataset.mode = entry[0];
        button.textContent = entry[1];
        button.title = entry[2];
        button.addEventListener("click", function () { setMode(entry[0], true); });
        modes.appendChild(button);
        buttons[entry[0]] = button;
      });
    form.insertBefore(modes, parts[0].text.closest(".translate-part"));

    function setMode(wanted, chosen) {
      if (wanted === mode) return;
      parts.forEach(function (part) {
        if (wanted === "visual") {
          var visual = visualOf(part);
          if (visual.serialize() !== part.text.value) visual.load(part.text.value);
          part.host.hidden = false;
          part.text.hidden = true;
        } else {
          sync(part);
          part.host.hidden = true;
          part.text.hidden = false;
        }
      });
      mode = wanted;
      Object.keys(buttons).forEach(function (name) {
        buttons[name].setAttribute("aria-pressed", String(name === wanted));
      });
      form.classList.toggle("is-visual", wanted === "visual");
      var posted = form.querySelector("input[name=editor_mode]");
      if (posted) posted.value = wanted;
      if (chosen) {
        try { window.localStorage.setItem(STORE, wanted); } catch (_) { /* storage refused */ }
      }
      if (wanted === "visual") refreshPreview();
    }

    // Whatever the last keystroke, the boxes hold the visual editors' text when the form goes.
    form.addEventListener("submit", function () { parts.forEach(sync); });

    var first = form.dataset.editorMode;
    if (first !== "visual" && first !== "source") {
      try { first = window.localStorage.getItem(STORE); } catch (_) { first = null; }
    }
    setMode(first === "visual" ? "visual" : "source", false);
    form.dataset.visualReady = "1";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
