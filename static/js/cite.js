// The editor's T("Cite a source") helper: builds a citation in our syntax (wiki/citations.py)
// from a form, puts its mark where the cursor is and its definition at the end of the text.
// A pasted DOI, PMID, PMCID, ISBN or web address is looked up on our server (never by the
// browser at a third party) and fills the form, with hints on the source's type and age.
(function () {
  "use strict";
  // The words in the page's language, from the edit page's #editor-words ({% editor_words %},
  // wiki/templatetags/editor_words.py); English when a phrase is not there. {name}: a value.
  const WORDS = JSON.parse((document.getElementById("editor-words") || {}).textContent || "{}");
  const T = (words, values) => (WORDS[words] || words)
    .replace(/\{(\w+)\}/g, (all, name) => (values && name in values ? values[name] : all));
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
    if (editing) { saveEdit(); return; }
    const missing = required[kind.value].filter((name) => !value(name));
    if (missing.length) {
      error.textContent = T("A {kind} citation needs: {fields}.", { kind: kind.value, fields: missing.join(", ") });
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
    if (found.hints.types.length) facts.push(T("Publication type: {types}", { types: found.hints.types.join(", ") }));
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
    status.textContent = T("Looking it up…");
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
      found = { error: T("The look-up did not answer; type the reference's fields by hand.") };
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
    status.textContent = T("Filled in from the identifier: check the fields, then insert.");
    showHints(found);
    reuseName = found.reuse;
    if (reuseName && !editing) {
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

  // ---- Editing a reference already in the text (the visual editor's T("Edit reference")) --------
  // The definition's `cite <type> | key: value | …` fills the form; saving rewrites only the
  // fields that changed, in place (unknown keys, their order and line breaks stay as typed).
  const ALIASES = { author: "authors", vauthors: "authors", editor: "editors", "access-date": "accessed",
    accessdate: "accessed", pmc: "pmcid", location: "place", site: "website", work: "website",
    page: "pages", number: "issue" };
  const START = /^\[\^([^\]\s]+)\]:[ \t]*cite[ \t]+([A-Za-z]+)/i;
  let editing = null;
  const insertButton = helper.querySelector("[data-cite-insert]");
  const summary = helper.querySelector("summary");
  const legend = helper.querySelector("#cite-legend");
  const legendText = legend.textContent;
  const cancelButton = document.createElement("button");
  cancelButton.type = "button";
  cancelButton.className = "button button--secondary";
  cancelButton.textContent = T("Cancel");
  cancelButton.hidden = true;
  insertButton.after(cancelButton);

  // The parts of a definition's text after `cite <type>`: each "| key: value" with where its value is.
  function parts(rest) {
    const found = [];
    let depth = 0;
    let start = -1;
    for (let i = 0; i <= rest.length; i++) {
      const c = rest[i];
      if (c === "[" || c === "(") depth++;
      else if ((c === "]" || c === ")") && depth) depth--;
      else if (i === rest.length || (c === "|" && depth === 0)) {
        if (start >= 0) {
          const part = rest.slice(start + 1, i);
          const m = /^(\s*)([A-Za-z][A-Za-z0-9 _-]*?)(\s*[:=]\s*)([\s\S]*?)(\s*)$/.exec(part);
          if (m) {
            const key = m[2].toLowerCase().replace(/[_ ]/g, "-");
            const at = start + 1 + m[1].length + m[2].length + m[3].length;
            found.push({ key: ALIASES[key] || key, from: start, valueFrom: at, valueTo: at + m[4].length,
              value: m[4].replace(/\s+/g, " ") });
          }
        }
        start = i;
      }
    }
    return found;
  }

  // What the form can show of `definition`, or null (a free-text note: edit it in Source).
  function readDefinition(definition) {
    const start = START.exec(definition);
    if (!start || !required[start[2].toLowerCase()]) return null;
    const rest = definition.slice(start[0].length);
    if (rest.trim() && !/^\s*\|/.test(rest)) return null;
    return { name: start[1], kind: start[2].toLowerCase(), head: start[0], rest, parts: parts(rest) };
  }

  function edit(definition, done, cancelled) {
    const read = readDefinition(definition);
    if (!read) return false;
    editing = { read, definition, done, cancelled };
    helper.querySelectorAll(".cite-fields input").forEach((input) => { input.value = ""; });
    clearFound();
    error.hidden = true;
    kind.value = read.kind;
    showFields();
    read.parts.forEach((p) => { const input = field(p.key); if (input && !input.value) input.value = p.value.replace(/&#124;/g, "|"); });
    field("name").value = read.name;
    field("name").readOnly = true;
    insertButton.textContent = T("Save reference");
    summary.textContent = T("Edit reference");
    legend.textContent = T("Change what you need and save: only this reference's entry is written again; its marks in the text stay as they are.");
    cancelButton.hidden = false;
    reuse.hidden = true;
    helper.open = true;
    helper.scrollIntoView({ block: "nearest" });
    field("title").focus();
    return true;
  }

  function endEdit() {
    editing = null;
    insertButton.textContent = T("Insert citation");
    summary.textContent = T("Cite a source");
    legend.textContent = legendText;
    cancelButton.hidden = true;
    field("name").readOnly = false;
    helper.querySelectorAll("input").forEach((input) => { input.value = ""; });
    clearFound();
    error.hidden = true;
    helper.open = false;
  }

  function saveEdit() {
    const missing = required[kind.value].filter((name) => !value(name));
    if (missing.length) {
      error.textContent = T("A {kind} citation needs: {fields}.", { kind: kind.value, fields: missing.join(", ") });
      error.hidden = false;
      field(missing[0]).focus();
      return;
    }
    const { read, definition, done } = editing;
    let rest = read.rest;
    // From the end, so the positions found stay right.
    [...read.parts].reverse().forEach((p) => {
      // A key the form has not (or a second one of the same key): kept as typed.
      if (!order.includes(p.key) || !shown(p.key) || read.parts.find((q) => q.key === p.key) !== p) return;
      const now = value(p.key);
      if (now === p.value.replace(/&#124;/g, "|").replace(/\|/g, "&#124;").trim()) return;
      if (!now) rest = rest.slice(0, p.from) + rest.slice(p.valueTo).replace(/^[ \t]*/, "");
      else rest = rest.slice(0, p.valueFrom) + now + rest.slice(p.valueTo);
    });
    const added = order.filter((f) => value(f) && !read.parts.some((p) => p.key === f))
      .map((f) => ` | ${f}: ${value(f)}`).join("");
    if (added) {
      const tail = rest.match(/\s*$/)[0];
      rest = rest.slice(0, rest.length - tail.length) + added + tail;
    }
    const head = kind.value === read.kind ? read.head : read.head.replace(/[A-Za-z]+$/, kind.value);
    const written = head + rest;
    endEdit();
    done(written === definition ? definition : written);
  }

  cancelButton.addEventListener("click", () => {
    const cancelled = editing && editing.cancelled;
    endEdit();
    if (cancelled) cancelled();
  });
  helper.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && editing) { event.preventDefault(); cancelButton.click(); }
  });
  window.EncyclopediaCite = { edit, readDefinition };

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
