// The editor's "Cite a source" helper: builds a citation in our syntax (wiki/citations.py)
// from a form, puts its mark where the cursor is and its definition at the end of the text.
(function () {
  "use strict";
  const helper = document.querySelector(".cite-helper");
  const text = document.querySelector(".edit-form textarea");
  if (!helper || !text) return;
  helper.hidden = false;
  const field = (name) => helper.querySelector(`[data-cite="${name}"]`);
  const kind = field("kind");
  const error = helper.querySelector(".cite-error");
  const order = ["authors", "title", "chapter", "editors", "edition", "journal", "website",
    "publisher", "year", "volume", "issue", "pages", "url", "accessed", "doi", "pmid", "pmcid",
    "isbn"];
  const required = { journal: ["title", "journal"], book: ["title"], web: ["title", "url"] };

  function showFields() {
    helper.querySelectorAll("[data-kinds]").forEach((label) => {
      label.hidden = !label.dataset.kinds.split(" ").includes(kind.value);
    });
  }

  function shown(name) {
    const input = field(name);
    return input && !input.closest("label").hidden;
  }

  function value(name) {
    return shown(name) ? field(name).value.replace(/\s+/g, " ").replace(/\|/g, "&#124;").trim() : "";
  }

  function referenceName() {
    const typed = value("name").replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");
    if (typed) return typed;
    const first = (value("authors").split(/[,;]/)[0] || value("title")).split(" ")[0];
    const base = (first.replace(/[^A-Za-z0-9]/g, "") || "ref") + value("year");
    let name = base;
    for (let n = 2; text.value.includes(`[^${name}]`); n++) name = `${base}-${n}`;
    return name;
  }

  function insert() {
    const missing = required[kind.value].filter((name) => !value(name));
    if (missing.length) {
      error.textContent = `A ${kind.value} citation needs: ${missing.join(", ")}.`;
      error.hidden = false;
      field(missing[0]).focus();
      return;
    }
    error.hidden = true;
    const name = referenceName();
    const fields = order.filter((f) => value(f)).map((f) => `${f}: ${value(f)}`);
    const definition = `[^${name}]: cite ${kind.value} | ${fields.join(" | ")}`;
    const at = text.selectionEnd;
    const mark = `[^${name}]`;
    let body = text.value.slice(0, at) + mark + text.value.slice(at);
    body = body.replace(/\s*$/, "") + `\n\n${definition}\n`;
    text.value = body;
    text.selectionStart = text.selectionEnd = at + mark.length;
    text.dispatchEvent(new Event("input", { bubbles: true }));
    helper.querySelectorAll("input").forEach((input) => { input.value = ""; });
    text.focus();
  }

  kind.addEventListener("change", showFields);
  helper.querySelector("[data-cite-insert]").addEventListener("click", insert);
  showFields();
})();
