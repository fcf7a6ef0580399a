// django-markdownx makes Tab type a tab character in its editors: keyboard users cannot leave
// the text box (WCAG 2.1.2) and a tab before "## Symptoms" turns the heading into a code block.
// Here Tab and Shift+Tab move focus, as in any text box; markdownx's explicit shortcuts stay:
// Ctrl+] indents the line (or the selected lines) with a tab, Ctrl+[ takes one tab away.
(function () {
  "use strict";
  document.addEventListener(
    "keydown",
    function (event) {
      if (event.key !== "Tab" || event.ctrlKey || event.altKey || event.metaKey) return;
      var target = event.target;
      if (target instanceof HTMLTextAreaElement && target.classList.contains("markdownx-editor")) {
        // The document's capture listener runs before markdownx's own on the textarea:
        // stopping the event there leaves the browser's focus move to happen.
        event.stopPropagation();
      }
    },
    true
  );
})();
