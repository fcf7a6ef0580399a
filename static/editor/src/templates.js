import { T } from "./words.js";
// Template calls (`{{Name|param=value}}`, docs/editors.md "Templates") in the visual editor:
// read and written as text, shown as a box, inserted and edited through a form whose fields
// come from the template's templatedata (GET /templates/form.json). An unchanged call keeps
// its exact text; a changed one is written again from the form, its parameters in order.

// ---- The call's text ---------------------------------------------------------------------------

// Where the call opening at `i` (`{{`) ends, or -1: braces balanced, a `|` inside `[[…]]` the
// link's. Only a call of a template by name: not `{{{param}}}`, not `{{#if:…}}`.
export function callEnd(text, i) {
  if (text.slice(i, i + 2) !== "{{" || text[i + 2] === "{" || text[i + 2] === "#") return -1;
  const name = /^\{\{([^{}|#\n]*)(?=\||\}\})/.exec(text.slice(i));
  if (!name || !name[1].trim()) return -1;
  let depth = 0;
  for (let j = i; j < text.length - 1; j++) {
    const two = text.slice(j, j + 2);
    if (two === "{{") { depth++; j++; }
    else if (two === "}}") { depth--; j++; if (!depth) return j + 1; }
  }
  return -1;
}

// `{{Name|a|k=v}}` -> { name, params: [{ key, value, named }] } (positional keys 1, 2, …).
export function parseCall(src) {
  const parts = [];
  let depth = 0;
  let links = 0;
  let start = 2;
  const inner = src.length - 2;
  for (let j = 2; j < inner; j++) {
    const two = src.slice(j, j + 2);
    if (two === "{{" || two === "}}") { depth += two === "{{" ? 1 : -1; j++; continue; }
    if (two === "[[" || two === "]]") { links = Math.max(0, links + (two === "[[" ? 1 : -1)); j++; continue; }
    if (src[j] === "|" && !depth && !links) { parts.push(src.slice(start, j)); start = j + 1; }
  }
  parts.push(src.slice(start, inner));
  const name = parts.shift().trim();
  let position = 0;
  const params = parts.map((part) => {
    const eq = part.indexOf("=");
    if (eq > 0 && !/[{[]/.test(part.slice(0, eq))) return { key: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim(), named: true };
    position++;
    return { key: String(position), value: part.trim(), named: false };
  });
  return { name, params };
}

// The text of a call: the parameters given, in order; an empty optional one left out.
export function writeCall(name, params) {
  let position = 0;
  const parts = [name.trim()];
  for (const p of params) {
    const value = p.value.replace(/\s*\n\s*/g, " ").trim();
    if (!value && !p.keep) continue;
    const positional = !p.named && p.key === String(position + 1) && !value.includes("=");
    if (positional) { position++; parts.push(value); }
    else parts.push(`${p.key}=${value}`);
  }
  return `{{${parts.join("|")}}}`;
}

// ---- The form -----------------------------------------------------------------------------------

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text != null) node.textContent = text;
  return node;
}

const getJSON = (url) => fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
  .then((r) => r.json().then((data) => ({ ok: r.ok, data })));

let dialog = null;

// Open the form: `call` (parsed, or null to insert a new one), `done(text)` receives the
// call written (not called when nothing changed), `back()` returns the focus.
export function openTemplateForm(call, done, back) {
  if (dialog) dialog.remove();
  dialog = el("dialog", { class: "template-dialog", "aria-labelledby": "template-dialog-title" });
  const form = el("form", { method: "dialog", novalidate: "" });
  const title = el("h2", { id: "template-dialog-title" }, call ? T("Edit template: {name}", { name: call.name }) : T("Insert a template"));
  const nameWrap = el("div", { class: "template-name" });
  const nameLabel = el("label", { for: "template-name" }, T("Template"));
  const name = el("input", { id: "template-name", type: "text", autocomplete: "off", spellcheck: "false",
    "aria-describedby": "template-name-help", "aria-controls": "template-suggestions" });
  const help = el("p", { id: "template-name-help", class: "muted" }, T("Type the start of its name, then choose it."));
  const suggestions = el("ul", { id: "template-suggestions", class: "template-suggestions", "aria-label": T("Templates") });
  nameWrap.append(nameLabel, name, help, suggestions);
  const about = el("p", { class: "template-about" });
  const fields = el("div", { class: "template-fields" });
  const error = el("p", { class: "template-error message message--error", role: "alert" });
  error.hidden = true;
  const actions = el("div", { class: "dialog-actions" });
  const submit = el("button", { type: "submit", class: "button" }, call ? T("Apply changes") : T("Insert template"));
  const cancel = el("button", { type: "button", class: "button button--secondary" }, T("Cancel"));
  actions.append(submit, cancel);
  form.append(title, nameWrap, about, fields, error, actions);
  dialog.appendChild(form);
  document.body.appendChild(dialog);

  let loaded = null; // { name, params } of the template the fields are for
  const given = new Map((call ? call.params : []).map((p) => [p.key, p]));

  function field(doc, value) {
    const id = `template-field-${doc.name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
    const wrap = el("div", { class: "template-field" });
    const label = el("label", { for: id }, doc.label || doc.name);
    if (doc.required) label.appendChild(el("span", { class: "required" }, " (required)"));
    const input = el(doc.type === "content" ? "textarea" : "input", { id, "data-param": doc.name, rows: "2" });
    if (doc.type !== "content") { input.type = "text"; input.removeAttribute("rows"); }
    if (doc.required) input.setAttribute("aria-required", "true");
    if (doc.example) input.placeholder = `e.g. ${doc.example}`;
    input.value = value;
    const notes = [doc.description, doc.default ? T("Default: {value}", { value: doc.default }) : ""].filter(Boolean).join(" ");
    wrap.append(label, input);
    if (notes) {
      const note = el("p", { id: `${id}-help`, class: "muted" }, notes);
      input.setAttribute("aria-describedby", note.id);
      wrap.appendChild(note);
    }
    return wrap;
  }

  function show(data) {
    loaded = data;
    fields.replaceChildren();
    about.textContent = data.description || (data.documented ? "" : T("This template documents no parameters: the ones the call has are shown."));
    const docs = [...data.params];
    for (const p of given.values()) if (!docs.some((d) => d.name === p.key)) docs.push({ name: p.key, label: p.key });
    docs.forEach((doc) => fields.appendChild(field(doc, given.has(doc.name) ? given.get(doc.name).value : "")));
  }

  function load(wanted) {
    error.hidden = true;
    return getJSON(`/templates/form.json?name=${encodeURIComponent(wanted)}`).then(({ ok, data }) => {
      if (!ok) { loaded = null; fields.replaceChildren(); about.textContent = data.error || T("No such template."); return; }
      name.value = data.name;
      show(data);
    });
  }

  // The first required field still empty, else the first field.
  function focusFirst() {
    const inputs = [...fields.querySelectorAll("[data-param]")];
    const first = inputs.find((i) => i.getAttribute("aria-required") === "true" && !i.value.trim()) || inputs[0];
    if (first) first.focus();
  }

  let asked = 0;
  name.addEventListener("input", () => {
    const query = name.value.trim();
    const mine = ++asked;
    if (!query) { suggestions.replaceChildren(); return; }
    getJSON(`/templates/form.json?q=${encodeURIComponent(query)}`).then(({ data }) => {
      if (mine !== asked) return;
      suggestions.replaceChildren(...(data.names || []).map((n) => {
        const item = el("li");
        const pick = el("button", { type: "button", class: "template-suggestion" }, n);
        pick.addEventListener("click", () => {
          suggestions.replaceChildren();
          load(n).then(focusFirst);
        });
        item.appendChild(pick);
        return item;
      }));
    });
  });
  // Enter in the name box takes the name as typed (a click on a suggestion takes that one).
  name.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    suggestions.replaceChildren();
    if (name.value.trim()) load(name.value.trim()).then(focusFirst);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!loaded) { error.textContent = T("Choose a template first."); error.hidden = false; name.focus(); return; }
    const missing = [];
    fields.querySelectorAll("[data-param]").forEach((input) => {
      const doc = loaded.params.find((d) => d.name === input.dataset.param);
      const empty = doc && doc.required && !input.value.trim();
      input.setAttribute("aria-invalid", String(!!empty));
      if (empty) missing.push({ input, label: doc.label || doc.name });
    });
    if (missing.length) {
      error.textContent = T(missing.length > 1 ? "Fill in the required fields: {names}." : "Fill in the required field: {names}.",
        { names: missing.map((m) => m.label).join(", ") });
      error.hidden = false;
      missing[0].input.focus();
      return;
    }
    const params = [...fields.querySelectorAll("[data-param]")].map((input) => {
      const before = given.get(input.dataset.param);
      return { key: input.dataset.param, value: input.value, named: before ? before.named : true, keep: !!before && !before.value };
    });
    // In the call's order first, then the others in the form's.
    const order = call ? call.params.map((p) => p.key) : [];
    params.sort((a, b) => (order.indexOf(a.key) + 1 || 1e6) - (order.indexOf(b.key) + 1 || 1e6));
    const unchanged = call && loaded.name === call.name && call.params.every((p) => params.find((q) => q.key === p.key && q.value === p.value))
      && params.every((q) => given.has(q.key) || !q.value.trim());
    const written = unchanged ? null : writeCall(loaded.name, params);
    dialog.close();
    if (written) done(written);
  });
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => { if (back) back(); });
  dialog.showModal();
  if (call) { name.value = call.name; load(call.name).then(focusFirst); }
  else name.focus();
  return dialog;
}

// ---- The box in the document -------------------------------------------------------------------

// A call as a box: the template's name and its values; a click (or Enter) opens the form.
export function templateCallView({ node, getPos, editor }) {
  const dom = el("span", { class: "ve-template", contenteditable: "false" });
  let current = node;
  function draw() {
    const call = parseCall(current.attrs.src);
    const open = el("button", { type: "button", class: "ve-template-open", title: T("Edit this template's values") });
    open.append(el("span", { class: "ve-template-kind" }, T("Template")), ` ${call.name}`);
    const values = call.params.filter((p) => p.value).map((p) => (p.named ? `${p.key}: ${p.value}` : p.value)).join(" · ");
    dom.replaceChildren(open);
    if (values) dom.appendChild(el("span", { class: "ve-template-values" }, values.length > 120 ? values.slice(0, 119) + "…" : values));
    open.addEventListener("click", () => edit());
  }
  function edit() {
    const call = parseCall(current.attrs.src);
    openTemplateForm(call, (text) => {
      const pos = getPos();
      if (typeof pos !== "number") return;
      editor.view.dispatch(editor.state.tr.setNodeMarkup(pos, undefined, { ...current.attrs, src: text }));
    }, () => editor.view.focus());
  }
  draw();
  return {
    dom,
    update(next) {
      if (next.type !== current.type) return false;
      const changed = next.attrs.src !== current.attrs.src;
      current = next;
      if (changed) draw();
      return true;
    },
    stopEvent: (event) => event.target !== dom && dom.contains(event.target),
    ignoreMutation: () => true,
  };
}
