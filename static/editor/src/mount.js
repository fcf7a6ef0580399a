// The edit page: the Visual / Source switch, the visual editor kept in step with the form's
// text box, the toolbar's buttons routed to editor commands, and the page's look of links,
// figures and references taken from the server's preview.
import { createVisual, insertInline } from "./visual.js";
import { redLinks } from "./schema.js";
import { shared } from "./views.js";
import { parseBlock } from "./markdown.js";
import { T } from "./words.js";
import { NodeSelection, TextSelection } from "@tiptap/pm/state";
import { openTemplateForm, parseCall } from "./templates.js";

const STORE = "encyclopedia.editorMode";

function remembered(form) {
  // A signed-in editor's mode comes from their preferences (any browser); a visitor's from
  // this browser's memory; a new editor starts in Source.
  const server = form.dataset.editorMode;
  if (server === "visual" || server === "source") return server;
  try {
    const local = window.localStorage.getItem(STORE);
    if (local === "visual" || local === "source") return local;
  } catch (_) { /* storage refused */ }
  return "source";
}

function remember(form, mode) {
  try { window.localStorage.setItem(STORE, mode); } catch (_) { /* storage refused */ }
  const field = form.querySelector("input[name=editor_mode]");
  if (field) field.value = mode;
}

export function mount() {
  const form = document.querySelector("form.edit-form");
  const text = form && form.querySelector("textarea.markdownx-editor");
  const box = text && text.closest(".markdownx");
  if (!text || !box || window.EncyclopediaVisual.mounted) return;
  window.EncyclopediaVisual.mounted = true;
  const data = document.getElementById("infobox-fields");
  shared.infoboxes = data ? JSON.parse(data.dataset.fields || "{}") : {};
  const head = form.querySelector(".editor-head");
  const status = form.querySelector(".upload-status");

  // The switch.
  const modes = document.createElement("div");
  modes.className = "editor-switch";
  modes.setAttribute("role", "group");
  modes.setAttribute("aria-label", T("Editing mode"));
  const buttons = {};
  [["visual", T("Visual")], ["source", T("Source")]].forEach(([mode, label]) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "editor-switch-button";
    button.dataset.mode = mode;
    button.textContent = label;
    button.title = T(mode === "visual" ? "Edit as the page looks" : "Edit the Markdown source, with its preview");
    button.addEventListener("click", () => setMode(mode, true));
    modes.appendChild(button);
    buttons[mode] = button;
  });
  const host = document.createElement("div");
  host.className = "ve-host";
  host.hidden = true;
  (head || box).parentNode.insertBefore(modes, head || box);
  box.parentNode.insertBefore(host, box);

  let visual = null;
  let mode = "source";
  let synced = text.value;
  let timer = null;

  function sync() {
    clearTimeout(timer);
    timer = null;
    if (mode !== "visual" || !visual) return;
    const value = visual.serialize();
    if (value !== text.value) text.value = value;
    synced = value;
  }

  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, 1200);
  }
  let previewTimer = null;
  let previewAsked = 0;

  // One render of the whole text by the preview endpoint: red links, figures with their
  // credit line, references in AMA style, exactly as the page will show them.
  function refreshPreview() {
    const asked = ++previewAsked;
    const token = form.querySelector("input[name=csrfmiddlewaretoken]");
    const body = new FormData();
    body.append("content", visual ? visual.serialize() : text.value);
    fetch("/markdownx/markdownify/", { method: "POST", body, credentials: "same-origin",
      headers: token ? { "X-CSRFToken": token.value } : {} })
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then((html) => {
        if (asked !== previewAsked || !visual) return;
        shared.rendered = new DOMParser().parseFromString(`<div>${html}</div>`, "text/html");
        shared.views.forEach((v) => v.refresh());
        const missing = new Set();
        shared.rendered.querySelectorAll("a.wikilink.new[title]").forEach((a) => {
          missing.add(a.getAttribute("title").replace(/ \(page does not exist\)$/, ""));
        });
        const state = visual.editor.state;
        visual.editor.view.dispatch(state.tr.setMeta(redLinks, missing).setMeta("addToHistory", false));
        host.dataset.previewed = String(asked);
      })
      .catch(() => { /* the look is a help, never needed to edit */ });
  }

  function ensureVisual() {
    if (visual) return visual;
    const label = form.querySelector(`label[for="${text.id}"]`);
    visual = createVisual(host, text.value, {
      label: label ? `${label.textContent} (visual editor)` : undefined,
      onChange: () => {
        if (!timer) timer = setTimeout(sync, 150);
        schedulePreview();
      },
    });
    synced = text.value;
    visual.editor.view.setProps({
      handleTextInput(view, from, to, typed) {
        // `[[` opens the link form (titles completed as you type), as the source's completion does.
        if (typed === "[" && view.state.doc.textBetween(Math.max(0, from - 1), from) === "[") {
          view.dispatch(view.state.tr.delete(from - 1, to));
          setTimeout(() => run("link"), 0); // once the editor has handled this key
          return true;
        }
        return false;
      },
      // A reference mark clicked, or selected (arrow keys) and Enter: "Edit reference".
      handleClickOn(view, _pos, node) {
        if (node.type.name !== "footnoteRef") return false;
        setTimeout(() => editReference(node.attrs.name), 0);
        return false;
      },
      handleKeyDown(view, event) {
        const sel = view.state.selection;
        if (event.key === "Enter" && sel instanceof NodeSelection && sel.node.type.name === "templateCall") {
          event.preventDefault();
          const at = sel.from;
          openTemplateForm(parseCall(sel.node.attrs.src), (written) => {
            const now = visual.editor.state.doc.nodeAt(at);
            if (now && now.type.name === "templateCall") visual.editor.view.dispatch(visual.editor.state.tr.setNodeMarkup(at, undefined, { src: written }));
          }, () => visual.editor.view.focus());
          return true;
        }
        if (event.key === "Enter" && sel instanceof NodeSelection && sel.node.type.name === "footnoteRef") {
          event.preventDefault();
          editReference(sel.node.attrs.name);
          return true;
        }
        const mod = /Mac|iPhone|iPad/.test(navigator.platform) ? event.metaKey : event.ctrlKey;
        if (mod && !event.shiftKey && !event.altKey && event.key.toLowerCase() === "k") {
          event.preventDefault();
          run("link");
          return true;
        }
        if (mod && event.altKey && /^Digit[0-6]$/.test(event.code)) {
          event.preventDefault();
          run("heading", Number(event.code.slice(5)));
          return true;
        }
        return false;
      },
    });
    refreshPreview();
    return visual;
  }

  function setMode(next, chosen) {
    if (next === mode && visual) { if (chosen) focus(); return; }
    if (next === "visual") {
      const v = ensureVisual();
      if (text.value !== synced) { v.load(text.value); synced = text.value; refreshPreview(); }
      box.hidden = true;
      host.hidden = false;
      mode = "visual";
      v.placeCaret(text.selectionStart || 0);
    } else {
      if (visual && mode === "visual") {
        sync();
        const { caret } = visual.serializeWithCaret();
        box.hidden = false;
        host.hidden = true;
        mode = "source";
        text.setSelectionRange(caret, caret);
        text.dispatchEvent(new Event("input", { bubbles: true })); // the live preview follows
        scrollToCaret(caret);
      } else {
        box.hidden = false;
        host.hidden = true;
        mode = "source";
      }
    }
    buttons.visual.setAttribute("aria-pressed", String(mode === "visual"));
    buttons.source.setAttribute("aria-pressed", String(mode === "source"));
    form.classList.toggle("is-visual", mode === "visual");
    if (chosen) { remember(form, mode); focus(); }
  }

  function focus() {
    if (mode === "visual") visual.editor.view.focus();
    else text.focus();
  }

  // The text box shows the cursor's line: the browser scrolls a focused box to its selection.
  function scrollToCaret(caret) {
    const before = text.value.slice(0, caret);
    const lines = before.split("\n").length;
    const lineHeight = parseFloat(getComputedStyle(text).lineHeight) || 20;
    text.scrollTop = Math.max(0, (lines - 3) * lineHeight);
  }

  // Dialogs that write into the text box (cite, image) or read its cursor: the box first gets
  // the visual text and the cursor, then what they write comes back into the visual editor.
  function handOver() {
    sync();
    const { caret } = visual.serializeWithCaret();
    text.setSelectionRange(caret, caret);
  }
  text.addEventListener("input", () => {
    if (mode !== "visual" || !visual || text.value === synced) return;
    const at = text.selectionStart;
    visual.load(text.value);
    synced = text.value;
    visual.placeCaret(at);
    visual.editor.view.focus();
    refreshPreview();
  });

  function run(id, arg) {
    if (!["link", "cite", "image", "help", "template"].includes(id)) visual.editor.view.focus(); // now, not on the next frame
    const c = visual.editor.chain().focus();
    switch (id) {
      case "heading":
        if (!arg) c.setParagraph().run(); else c.setHeading({ level: arg }).run();
        return true;
      case "bold": c.toggleBold().run(); return true;
      case "italic": c.toggleItalic().run(); return true;
      case "bullets": c.toggleBulletList().run(); return true;
      case "numbers": c.toggleOrderedList().run(); return true;
      case "table": c.insertTable({ rows: 2, cols: 2, withHeaderRow: true }).run(); return true;
      case "table-edit": {
        const command = { "row-below": "addRowAfter", "column-right": "addColumnAfter", "row-remove": "deleteRow",
          "column-remove": "deleteColumn" }[arg];
        if (!command || !visual.editor.can()[command]()) { say("Put the cursor in a table first."); return true; }
        c[command]().run();
        if (command === "addRowAfter") toNextRow();
        return true;
      }
      case "chars": c.insertContent(arg).run(); return true;
      case "undo": c.undo().run(); return true;
      case "redo": c.redo().run(); return true;
      case "infobox": {
        let has = false;
        visual.editor.state.doc.forEach((n) => { if (n.type.name === "infobox") has = true; });
        if (has) { say("This text has an infobox already: an article has one."); return true; }
        const labels = shared.infoboxes[arg] || [];
        const node = parseBlock([`::: infobox ${arg}`, ...labels.map((l) => `${l}: `), ":::"].join("\n"));
        c.insertContentAt(0, { ...node, attrs: { ...node.attrs, src: null, sep: null } }).run();
        setTimeout(() => { const first = host.querySelector(".ve-infobox input"); if (first) first.focus(); }, 0);
        return true;
      }
      case "link": {
        const toolbar = window.EncyclopediaToolbar;
        if (!toolbar) return false;
        const { from, to } = visual.editor.state.selection;
        const chosen = visual.editor.state.doc.textBetween(from, to, " ");
        toolbar.openLink(chosen, (syntax) => insertInline(visual.editor, syntax), () => visual.editor.view.focus());
        return true;
      }
      case "template":
        openTemplateForm(null, (written) => {
          const node = visual.editor.schema.nodes.templateCall.create({ src: written });
          const { from, to } = visual.editor.state.selection;
          visual.editor.view.dispatch(visual.editor.state.tr.replaceWith(from, to, node).scrollIntoView());
          sync();
          schedulePreview();
        }, () => visual.editor.view.focus());
        return true;
      case "cite":
      case "image":
        handOver();
        return false; // the toolbar opens the dialog itself
      default:
        return false;
    }
  }

  // The definition of reference `name` (a footnote block) and where it is.
  function definitionOf(name) {
    let found = null;
    visual.editor.state.doc.forEach((node, pos) => {
      if (!found && node.type.name === "rawBlock" && node.attrs.kind === "footnote"
        && node.attrs.src.startsWith(`[^${name}]:`)) found = { node, pos };
    });
    return found;
  }

  // The cite dialog, filled from the definition; saving it rewrites that block only.
  function editReference(name) {
    const cite = window.EncyclopediaCite;
    const found = definitionOf(name);
    if (!cite || !found) { say(T("The reference [^{name}] has no entry in this text: edit it in Source.", { name })); return; }
    const back = () => visual.editor.view.focus();
    const opened = cite.edit(found.node.attrs.src, (written) => {
      const now = definitionOf(name);
      if (now && written !== now.node.attrs.src) {
        visual.editor.view.dispatch(visual.editor.state.tr.setNodeMarkup(now.pos, undefined, { ...now.node.attrs, src: written }));
        sync();
        schedulePreview();
      }
      back();
    }, back);
    if (!opened) say(T("The reference [^{name}] is free text, not a citation the form can show: edit it in Source.", { name }));
  }

  // After "Add row below": the cursor in the new row's first cell, ready for typing.
  function toNextRow() {
    const state = visual.editor.state;
    const $from = state.selection.$from;
    for (let d = $from.depth; d > 0; d--) {
      if ($from.node(d).type.name !== "tableRow") continue;
      const after = $from.after(d); // the new row starts here
      const sel = TextSelection.near(state.doc.resolve(Math.min(after + 3, state.doc.content.size)));
      visual.editor.view.dispatch(state.tr.setSelection(sel).scrollIntoView());
      return;
    }
  }

  function say(words) {
    words = T(words);
    const box = head && head.querySelector(".toolbar-status");
    if (box) { box.textContent = words; setTimeout(() => { box.textContent = ""; }, 4000); }
    else if (status) status.textContent = words;
  }

  form.addEventListener("submit", sync, true);
  // In the source mode the same form writes the call at the text box's cursor.
  window.EncyclopediaVisual.templateForm = () => {
    const [start, end] = [text.selectionStart, text.selectionEnd];
    openTemplateForm(null, (written) => {
      text.setRangeText(written, start, end, "end");
      text.dispatchEvent(new Event("input", { bubbles: true }));
    }, () => text.focus());
  };
  window.EncyclopediaVisual.active = () => mode === "visual";
  window.EncyclopediaVisual.run = (id, arg) => (mode === "visual" ? run(id, arg) : false);
  window.EncyclopediaVisual.mode = () => mode;
  window.EncyclopediaVisual.setMode = (m) => setMode(m, false);
  window.EncyclopediaVisual.serialize = () => (visual ? visual.serialize() : text.value);
  window.EncyclopediaVisual.editor = () => visual && visual.editor;
  // The round trip over any text, in this page (the tests and bench/editor_ready.py use it).
  window.EncyclopediaVisual.roundTrip = (source) => {
    ensureVisual();
    visual.load(source);
    const out = visual.serialize();
    visual.load(text.value);
    return out;
  };

  // Any text changed by `change(editor)`, written back (the tests' one-word changes use it).
  window.EncyclopediaVisual.edited = (source, change) => {
    ensureVisual();
    visual.load(source);
    change(visual.editor);
    const out = visual.serialize();
    visual.load(text.value);
    return out;
  };

  const asked = new URLSearchParams(window.location.search).get("mode");
  const first = asked === "visual" || asked === "source" ? asked : remembered(form);
  if (asked === "visual" || asked === "source") remember(form, asked);
  setMode(first, false);
  const posted = form.querySelector("input[name=editor_mode]");
  if (posted) posted.value = first; // a save records the mode it was made in
  if (first === "source") {
    buttons.visual.setAttribute("aria-pressed", "false");
    buttons.source.setAttribute("aria-pressed", "true");
  }
  host.dataset.ready = "1";
  document.documentElement.dataset.visualReady = String(performance.now());
}
