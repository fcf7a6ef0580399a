// The editor's "Cite a source" helper: builds a citation in our syntax (wiki/citations.py)
// from a form, puts its mark where the cursor is and its definition at the end of the text.
// A pasted DOI, PMID, PMCID, ISBN or web address is looked up on our server (never by the
// browser at a third party) and fills the form, with hints on the source's type and age.
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
    "publisher", "place", "year", "volume", "issue", "pages", "url", "accessed", "doi", "pmid", "pmcid",
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
    clearFound();
    text.focus();
  }

  const identifier = helper.querySelector("[data-cite-identifier]");
  const status = helper.querySelector(".cite-status");
  const hints = helper.querySelector(".cite-hints");
  const reuse = helper.querySelector(".cite-reuse");
  let reuseName = "";

  function clearFound() {
    hints.hidden = reuse.hidden = true;
    status.textContent = "";
  }

  function showHints(found) {
    const facts = [];
    if (found.hints.types.length) facts.push(`Publication type: ${found.hints.types.join(", ")}`);
    if (found.hints.age !== null) {
      const age = found.hints.age;
      facts.push(`published ${found.fields.year}` + (age > 0 ? ` (${age} year${age === 1 ? "" : "s"} ago)` : ""));
    }
    const sentence = facts.join("; ");
    helper.querySelector("[data-cite-facts]").textContent = sentence ? sentence.charAt(0).toUpperCase() + sentence.slice(1) + "." : "";
    const flags = helper.querySelector(".cite-flags");
    flags.replaceChildren(...found.hints.messages.map((message) => {
      const item = document.createElement("li");
      item.textContent = message;
      return item;
    }));
    hints.hidden = !sentence && !found.hints.messages.length;
  }

  async function lookUp() {
    const wanted = identifier.value.trim();
    if (!wanted) return;
    clearFound();
    status.textContent = "Looking it up…";
    const body = new FormData();
    body.append("identifier", wanted);
    body.append("text", text.value);
    if (helper.dataset.article) body.append("article", helper.dataset.article);
    const token = document.querySelector("[name=csrfmiddlewaretoken]");
    let found;
    try {
      const response = await fetch(helper.dataset.lookupUrl, {
        method: "POST", body, credentials: "same-origin",
        headers: token ? { "X-CSRFToken": token.value } : {},
      });
      found = await response.json();
    } catch (failure) {
      found = { error: "The look-up did not answer; type the reference's fields by hand." };
    }
    if (found.error) {
      status.textContent = `${found.error} You can type the fields below.`;
      return;
    }
    kind.value = found.kind;
    showFields();
    helper.querySelectorAll(".cite-fields input").forEach((input) => {
      input.value = found.fields[input.dataset.cite] || "";
    });
    status.textContent = "Filled in from the identifier: check the fields, then insert.";
    showHints(found);
    reuseName = found.reuse;
    if (reuseName) {
      helper.querySelector("[data-cite-reuse-name]").textContent = `[^${reuseName}]`;
      reuse.hidden = false;
    }
  }

  function citeAgain() {
    const at = text.selectionEnd;
    const mark = `[^${reuseName}]`;
    text.value = text.value.slice(0, at) + mark + text.value.slice(at);
    text.selectionStart = text.selectionEnd = at + mark.length;
    text.dispatchEvent(new Event("input", { bubbles: true }));
    helper.querySelectorAll("input").forEach((input) => { input.value = ""; });
    clearFound();
    text.focus();
  }

  identifier.addEventListener("paste", () => setTimeout(lookUp, 0));
  identifier.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      lookUp();
    }
  });
  helper.querySelector("[data-cite-lookup]").addEventListener("click", lookUp);
  helper.querySelector("[data-cite-reuse]").addEventListener("click", citeAgain);
  kind.addEventListener("change", showFields);
  helper.querySelector("[data-cite-insert]").addEventListener("click", insert);
  showFields();
})();
