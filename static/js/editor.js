// The edit form: say clearly when an image upload is refused, and warn before leaving unsaved text.
(function () {
  "use strict";
  // The words in the page's language, from the edit page's #editor-words ({% editor_words %},
  // wiki/templatetags/editor_words.py); English when a phrase is not there. {name}: a value.
  var WORDS = JSON.parse((document.getElementById("editor-words") || {}).textContent || "{}");
  function T(words) { return WORDS[words] || words; }
  var form = document.querySelector("form.edit-form");
  if (!form) return;
  var status = form.querySelector(".upload-status");
  var editor = form.querySelector("textarea.markdownx-editor");

  function say(text, isError) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("upload-status--error", !!isError);
  }

  var box = form.querySelector(".markdownx");
  if (box && editor) {
    box.addEventListener("markdownx.fileUploadEnd", function () {
      say(T("Image uploaded: its Markdown was inserted at the cursor."), false);
    });
    box.addEventListener("markdownx.fileUploadError", function (event) {
      var answer = (event.detail && event.detail[0]) || {};
      var reason = (answer.image && answer.image[0]) || T("The image could not be uploaded.");
      say(reason, true);
      // markdownx then inserts a placeholder at the cursor; take it out again.
      var at = editor.selectionStart;
      setTimeout(function () {
        var placeholder = "Invalid response";
        if (editor.value.substr(at, placeholder.length) === placeholder) {
          editor.value = editor.value.slice(0, at) + editor.value.slice(at + placeholder.length);
          editor.selectionStart = editor.selectionEnd = at;
        }
      }, 0);
    });
  }

  var initial = editor ? editor.value : null;
  var submitting = false;
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && editor && editor.value !== initial) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
