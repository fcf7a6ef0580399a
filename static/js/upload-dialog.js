// Images dropped or pasted into the editor open a form asking for their alt text, author and
// license (wiki/media/), then are uploaded as a media page and placed at the cursor.
(function () {
  "use strict";
  // The words in the page's language, from the edit page's #editor-words ({% editor_words %},
  // wiki/templatetags/editor_words.py); English when a phrase is not there. {name}: a value.
  const WORDS = JSON.parse((document.getElementById("editor-words") || {}).textContent || "{}");
  const T = (words, values) => (WORDS[words] || words)
    .replace(/\{(\w+)\}/g, (all, name) => (values && name in values ? values[name] : all));
  const dialog = document.querySelector(".upload-dialog");
  const box = document.querySelector(".edit-form .markdownx");
  const text = document.querySelector(".edit-form textarea");
  if (!dialog || !box || !text || !window.DataTransfer) return;
  const form = dialog.querySelector("form");
  const errors = dialog.querySelector(".upload-errors");
  const existingButton = dialog.querySelector("[data-insert-existing]");
  const status = document.querySelector(".upload-status");
  const token = document.querySelector(".edit-form [name=csrfmiddlewaretoken]").value;
  let existing = "";
  // Where the image goes: the caret as it was when the image came in (closing the modal
  // dialog gives the text box its focus back with the caret at its start).
  let caret = [0, 0];
  const ACCEPTED = ["image/png", "image/jpeg", "image/gif", "image/webp"];

  function insert(syntax) {
    const [at, end] = caret;
    const before = text.value.slice(0, at);
    const block = (before && !before.endsWith("\n\n") ? (before.endsWith("\n") ? "\n" : "\n\n") : "") + syntax + "\n\n";
    text.value = before + block + text.value.slice(end);
    text.selectionStart = text.selectionEnd = at + block.length;
    text.dispatchEvent(new Event("input", { bubbles: true }));
    text.focus();
  }

  function open(file) {
    caret = [text.selectionStart, text.selectionEnd];
    const files = new DataTransfer();
    files.items.add(file);
    form.reset();
    form.elements["media-file"].files = files.files;
    form.elements["media-name"].value = file.name;
    dialog.querySelector(".upload-file-name").textContent = `${file.name} (${Math.round(file.size / 1024)} KB)`;
    errors.hidden = true;
    existingButton.hidden = true;
    dialog.showModal();
    form.elements["media-alt"].focus();
  }

  function take(event, list) {
    // Only the formats we take; anything else goes the usual way and is refused with a reason.
    const images = Array.from(list || []).filter((f) => ACCEPTED.includes(f.type));
    if (!images.length) return;
    event.preventDefault();
    event.stopPropagation();
    open(images[0]);
  }

  // The toolbar's Image button (toolbar.js) hands over a file chosen with the file picker.
  box.addEventListener("upload-dialog:open", (event) => open(event.detail.file));
  box.addEventListener("drop", (event) => take(event, event.dataTransfer && event.dataTransfer.files), true);
  box.addEventListener("paste", (event) => take(event, event.clipboardData && event.clipboardData.files), true);

  function showErrors(found) {
    const lines = [];
    Object.entries(found || {}).forEach(([name, messages]) => {
      messages.forEach((m) => lines.push(`${name === "__all__" ? "" : name.replace("_", " ") + ": "}${typeof m === "string" ? m : m.message}`));
    });
    errors.textContent = lines.join(" ") || T("The image could not be uploaded.");
    errors.hidden = false;
  }

  // The dialog's fields are named "media-…" (the edit form has its own "categories").
  function fields() {
    const data = new FormData();
    new FormData(form).forEach((value, key) => data.append(key.replace(/^media-/, ""), value));
    return data;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = await fetch("/upload", {
      method: "POST",
      body: fields(),
      headers: { "X-CSRFToken": token, Accept: "application/json" },
      credentials: "same-origin",
    });
    const data = await answer.json().catch(() => ({}));
    if (answer.ok) {
      dialog.close();
      insert(data.syntax);
      if (status) status.textContent = T("Image uploaded: it was placed at the cursor. Edit its caption in the text.");
      return;
    }
    showErrors(data.errors);
    if (answer.status === 409 && data.syntax) {
      existing = data.syntax;
      existingButton.hidden = false;
    }
  });
  existingButton.addEventListener("click", () => { dialog.close(); insert(existing); });
  dialog.querySelector("[data-cancel]").addEventListener("click", () => dialog.close());
})();
