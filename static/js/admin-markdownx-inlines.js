// django-markdownx initialises its editors once, on page load. Rows added with
// "Add another section" are copies of the (already initialised) empty form, so they get no
// live preview. On each new row: clear the copied init flag and load markdownx's script
// again; its ready handler then initialises every editor that has no instance yet.
(function () {
  "use strict";
  document.addEventListener("formset:added", function (event) {
    var row = event.target;
    var editors = row.querySelectorAll(".markdownx-editor");
    if (!editors.length) return;
    editors.forEach(function (editor) { editor.removeAttribute("data-markdownx-init"); });
    row.querySelectorAll(".markdownx-preview").forEach(function (p) { p.innerHTML = ""; });
    var original = document.querySelector('script[src*="markdownx/js/markdownx"]');
    if (!original) return;
    var again = document.createElement("script");
    again.src = original.src;
    document.body.appendChild(again);
  });
})();
