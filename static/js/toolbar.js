// The source editor's toolbar, `[[` link completion and, on phones, the Write / Preview switch.
// Loaded by the edit page only (templates/wiki/edit.html). Every change goes through the
// browser's own "insertText" command, so the text box's undo stack keeps working and its input
// event updates the live preview; the syntax written is ours (wiki/rendering/links.py for
// [[Title]] and [[Title|label]]).
(function () {
  "use strict";
  const text = document.querySelector(".edit-form textarea.markdownx-editor");
  const box = text && text.closest(".markdownx");
  if (!text || !box || !window.fetch) return;
  // The words in the page's language: the edit page's #editor-words, from {% editor_words %}
  // (wiki/templatetags/editor_words.py); English when a word is not there.
  const WORDS = JSON.parse((document.getElementById("editor-words") || {}).textContent || "{}");
  const T = (words) => WORDS[words] || words;
  // Titles are the language's: its prefix ("/es") from the page's home address (base.html).
  const PREFIX = (document.body.getAttribute("data-home") || "/").replace(/\/$/, "");
  const SUGGEST_URL = `${PREFIX}/search/suggest`;
  const HELP_URL = "/wiki/Help:Editing"; // a help page of demo/help/, loaded by load_demo
  const MAC = /Mac|iPhone|iPad/.test(navigator.platform);
  const MOD = MAC ? "⌘" : "Ctrl";
  let counter = 0;
  const newId = (stem) => `${stem}-${++counter}`;

  // ---- Changing the text ------------------------------------------------------------------

  // Replace [start, end) with `value`, then select [selStart, selEnd) counted from `start`.
  function replace(start, end, value, selStart, selEnd) {
    if (box.classList.contains("is-previewing")) setMode(false); // a tool used while previewing
    text.focus();
    text.setSelectionRange(start, end);
    const done = value ? document.execCommand("insertText", false, value)
                       : document.execCommand("delete", false);
    if (!done) { // browsers without the command on text boxes: same result, no undo step
      text.setRangeText(value, start, end, "end");
      text.dispatchEvent(new Event("input", { bubbles: true }));
    }
    const from = start + (selStart === undefined ? value.length : selStart);
    const to = start + (selEnd === undefined ? (selStart === undefined ? value.length : selStart) : selEnd);
    text.setSelectionRange(from, to);
  }

  const selection = () => [text.selectionStart, text.selectionEnd, text.value.slice(text.selectionStart, text.selectionEnd)];

  // Bold, italic: wrap the selection (leaving its outer spaces outside) or insert a placeholder
  // selected for typing; pressed again on a wrapped selection, take the marks away.
  function wrap(mark, placeholder) {
    let [start, end, chosen] = selection();
    const lead = chosen.length - chosen.trimStart().length;
    const tail = chosen.length - chosen.trimEnd().length;
    start += lead;
    end -= tail;
    chosen = text.value.slice(start, end);
    const v = text.value;
    if (chosen && v.slice(start - mark.length, start) === mark && v.slice(end, end + mark.length) === mark
        && !(mark === "*" && v.slice(start - 2, start) === "**" && v.slice(end, end + 2) === "**")) {
      replace(start - mark.length, end + mark.length, chosen, 0, chosen.length);
      return;
    }
    const inner = chosen || placeholder;
    replace(start, end, mark + inner + mark, mark.length, mark.length + inner.length);
  }

  // The whole lines the selection touches.
  function lines() {
    const v = text.value;
    const start = v.lastIndexOf("\n", text.selectionStart - 1) + 1;
    let end = v.indexOf("\n", text.selectionEnd - (text.selectionEnd > text.selectionStart && v[text.selectionEnd - 1] === "\n" ? 1 : 0));
    if (end < 0) end = v.length;
    return [start, end, v.slice(start, end).split("\n")];
  }

  // A block (table, list) goes on lines of its own, with a blank line around it.
  function insertBlock(block, selStart, selEnd) {
    const [start, end, chosen] = selection();
    const before = text.value.slice(0, start);
    const after = text.value.slice(end);
    const lead = !before || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const trail = after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : after ? "\n\n" : "\n";
    replace(start, end, lead + block + trail, lead.length + selStart, lead.length + selEnd);
    return chosen;
  }

  function heading(level) {
    const [start, end, rows] = lines();
    const prefix = level ? "#".repeat(level) + " " : "";
    if (rows.length === 1 && !rows[0].trim()) {
      const placeholder = level ? "Heading" : "";
      replace(start, end, prefix + placeholder, prefix.length, prefix.length + placeholder.length);
      return;
    }
    const changed = rows.map((row) => prefix + row.replace(/^#{1,6}\s+/, ""));
    const value = changed.join("\n");
    replace(start, end, value, rows.length === 1 ? prefix.length : 0, value.length);
  }

  function list(numbered) {
    const [start, end, rows] = lines();
    const marker = (i) => (numbered ? `${i + 1}. ` : "- ");
    const listed = /^(\s*)([-*+]|\d+[.)])\s+/;
    if (rows.length === 1 && !rows[0].trim()) {
      replace(start, end, marker(0) + "List item", marker(0).length, marker(0).length + 9);
      return;
    }
    // Already this kind of list: take the markers away; otherwise (re)mark every line.
    const same = rows.every((row) => !row.trim() || (numbered ? /^\s*\d+[.)]\s/ : /^\s*[-*+]\s/).test(row));
    let n = 0;
    const changed = rows.map((row) => {
      if (!row.trim()) return row;
      const bare = row.replace(listed, "$1");
      return same ? bare : marker(n++) + bare;
    });
    const value = changed.join("\n");
    replace(start, end, value, value.length, value.length);
  }

  function table() {
    const block = "| Heading | Heading |\n| --- | --- |\n| Cell | Cell |\n| Cell | Cell |";
    insertBlock(block, 2, 9);
  }

  // ---- Tables: rows and columns where the caret is ------------------------------------------
  // A table is a run of lines starting with "|": a header row, a separator row (---), body rows.
  // Changes touch only the cells added or removed, so the other rows keep their bytes and the
  // diff shows exactly the change.

  // The unescaped pipes of a row, as offsets in it.
  const pipes = (row) => Array.from(row.matchAll(/(?<!\\)\|/g), (m) => m.index);

  function tableAt() {
    const v = text.value;
    const all = v.split("\n");
    let offset = 0;
    let at = -1;
    for (let i = 0; i < all.length; i++) {
      if (text.selectionStart <= offset + all[i].length) { at = i; break; }
      offset += all[i].length + 1;
    }
    const isRow = (row) => row !== undefined && row.trimStart().startsWith("|");
    if (at < 0 || !isRow(all[at])) return null;
    let first = at;
    while (isRow(all[first - 1])) first--;
    let last = at;
    while (isRow(all[last + 1])) last++;
    if (last - first < 1 || !/^[\s|:-]+$/.test(all[first + 1]) || !all[first + 1].includes("-")) return null;
    const starts = [];
    let o = 0;
    for (let i = 0; i < all.length; i++) { starts.push(o); o += all[i].length + 1; }
    const caret = text.selectionStart - starts[at];
    const bars = pipes(all[at]);
    const column = Math.max(0, Math.min(bars.filter((p) => p < caret).length - 1, bars.length - 2));
    return { rows: all.slice(first, last + 1), row: at - first, column, start: starts[first],
      end: starts[last] + all[last].length };
  }

  const status = document.createElement("p");
  status.className = "toolbar-status";
  status.setAttribute("role", "status");
  function say(words) {
    status.textContent = T(words);
    clearTimeout(say.timer);
    say.timer = setTimeout(() => { status.textContent = ""; }, 6000);
  }

  // Replace the table by `rows`, with the caret at `row`, `column` (at its text, `select`
  // characters of it selected: a placeholder to type over).
  function rewrite(found, rows, row, column, select = 0) {
    const before = rows.slice(0, row).reduce((n, r) => n + r.length + 1, 0);
    const bars = pipes(rows[row]);
    const inCell = bars[Math.min(column, bars.length - 1)] + 2;
    const caret = before + Math.min(inCell, rows[row].length);
    replace(found.start, found.end, rows.join("\n"), caret, caret + select);
  }

  function tableEdit(what) {
    const found = tableAt();
    if (!found) { say("Put the cursor in a table first."); text.focus(); return; }
    const rows = found.rows.slice();
    const widths = pipes(rows[0]).length - 1;
    const separator = rows[1];
    const spaced = /\|\s+:?-/.test(separator);
    if (what === "row-below") {
      const at = Math.max(found.row, 1) + 1; // below the separator at least
      rows.splice(at, 0, "|" + "  |".repeat(Math.max(widths, 1)));
      rewrite(found, rows, at, 0);
    } else if (what === "row-remove") {
      if (found.row < 2) { say("The heading row stays: remove the table's text to remove it."); text.focus(); return; }
      rows.splice(found.row, 1);
      rewrite(found, rows, Math.min(found.row, rows.length - 1), found.column);
    } else if (what === "column-right") {
      const c = found.column;
      const changed = rows.map((r, i) => {
        const bars = pipes(r);
        const cell = i === 0 ? " Heading " : i === 1 ? (spaced ? " --- " : "---") : "  ";
        if (c + 1 < bars.length) return r.slice(0, bars[c + 1] + 1) + cell + "|" + r.slice(bars[c + 1] + 1);
        return r + (r.trimEnd().endsWith("|") ? "" : " |") + cell + "|";
      });
      rewrite(found, changed, found.row, c + 1, found.row === 0 ? "Heading".length : 0);
    } else if (what === "column-remove") {
      if (widths < 2) { say("A table keeps one column at least."); text.focus(); return; }
      const c = found.column;
      const changed = rows.map((r) => {
        const bars = pipes(r);
        if (c + 1 < bars.length) return r.slice(0, bars[c] + 1) + r.slice(bars[c + 1] + 1);
        return bars.length > c ? r.slice(0, bars[c]) : r;
      });
      rewrite(found, changed, found.row, Math.max(0, c - 1));
    }
  }

  // ---- Infobox: the skeleton of a typed box (its fields from wiki/infoboxes.py) -------------

  const infoboxData = document.getElementById("infobox-fields");
  const INFOBOXES = infoboxData ? JSON.parse(infoboxData.dataset.fields) : {};

  function infobox(kind) {
    if (/^:::[ \t]*infobox/im.test(text.value)) {
      say("This text has an infobox already: an article has one.");
      text.focus();
      return;
    }
    const fields = INFOBOXES[kind].map((label) => `${label}: `);
    const block = [`::: infobox ${kind}`, ...fields, ":::"].join("\n");
    const first = `::: infobox ${kind}\n`.length + fields[0].length;
    insertBlock(block, first, first);
  }

  function insertChar(ch) {
    const [start, end] = selection();
    replace(start, end, ch);
  }

  function undo(redo) {
    if (box.classList.contains("is-previewing")) setMode(false);
    text.focus();
    document.execCommand(redo ? "redo" : "undo", false);
  }

  // ---- Title completion (in the text after `[[`, and in the link dialog) ------------------

  const normal = (title) => {
    const t = title.replace(/_/g, " ").replace(/\s+/g, " ").trim();
    return t.charAt(0).toUpperCase() + t.slice(1);
  };

  // A listbox of titles for `field`: query() says what to look up (null: nothing),
  // accept(title) puts the chosen one in; place(list) positions it.
  function completer(field, { query, accept, place }) {
    const list = document.createElement("ul");
    list.id = newId("title-suggestions");
    list.className = "suggestions title-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", T("Article titles"));
    list.hidden = true;
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-controls", list.id);
    if (field.getAttribute("role") === "combobox") field.setAttribute("aria-expanded", "false");
    let active = -1;
    let asked = null;
    let timer = null;
    let controller = null;

    const items = () => list.querySelectorAll("[role=option]");
    const isOpen = () => !list.hidden;

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      asked = null;
      field.removeAttribute("aria-activedescendant");
      if (field.hasAttribute("aria-expanded")) field.setAttribute("aria-expanded", "false");
    }

    function highlight(index) {
      const all = items();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach((item, i) => item.setAttribute("aria-selected", i === active ? "true" : "false"));
      field.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function show(typed, titles) {
      list.textContent = "";
      const exists = titles.some((t) => normal(t) === normal(typed));
      const shown = exists ? titles : titles.concat([typed]);
      shown.forEach((title, i) => {
        const item = document.createElement("li");
        item.id = `${list.id}-${i}`;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.dataset.title = title;
        item.textContent = title; // text, never HTML
        if (!exists && i === shown.length - 1) {
          item.classList.add("missing");
          const note = document.createElement("span");
          note.className = "missing-note";
          note.textContent = " — no article yet (red link)";
          item.appendChild(note);
        }
        item.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(title);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      if (field.hasAttribute("aria-expanded")) field.setAttribute("aria-expanded", "true");
      place(list);
      highlight(0);
    }

    function choose(title) {
      close();
      accept(normal(title));
    }

    function ask() {
      const typed = query();
      if (typed === null || !typed.trim()) { close(); return; }
      if (typed === asked) return;
      asked = typed;
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(`${SUGGEST_URL}?q=${encodeURIComponent(typed.trim())}`, {
        headers: { Accept: "application/x-suggestions+json" }, signal: controller.signal,
      })
        .then((answer) => (answer.ok ? answer.json() : [typed, []]))
        .then((data) => {
          if (query() === typed && document.activeElement === field) {
            show(typed.trim(), Array.isArray(data[1]) ? data[1] : []);
          }
        })
        .catch(() => { /* no suggestion: the editor types the title */ });
    }

    field.addEventListener("input", () => {
      if (query() === null) { close(); return; }
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    // On the window, before the page's own capture listener (markdownx-keyboard.js) lets Tab
    // move the focus: while the list is open, Tab and Enter take the highlighted title.
    window.addEventListener("keydown", (event) => {
      if (event.target !== field || !isOpen()) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); close(); }
      else if ((event.key === "Enter" || event.key === "Tab") && active >= 0 && !event.shiftKey) {
        event.preventDefault();
        event.stopPropagation();
        choose(items()[active].dataset.title);
      }
    }, true);
    field.addEventListener("blur", () => setTimeout(close, 150));
    field.addEventListener("click", close);
    return { list, close };
  }

  // In the text: the title being typed after an open `[[` on the caret's line.
  function typedLink() {
    if (text.selectionStart !== text.selectionEnd) return null;
    const before = text.value.slice(0, text.selectionStart);
    const open = before.lastIndexOf("[[");
    if (open < 0) return null;
    const typed = before.slice(open + 2);
    if (/[\]\[|\n]/.test(typed) || typed.length > 120) return null;
    if (/^(File|Image|Category|Media):/i.test(typed)) return null;
    return { open, typed };
  }

  // Where the caret is in the text box, in pixels from its top left (a mirror of its text).
  function caretPoint() {
    const mirror = document.createElement("div");
    const style = getComputedStyle(text);
    ["fontFamily", "fontSize", "fontWeight", "lineHeight", "letterSpacing", "paddingTop",
      "paddingLeft", "paddingRight", "borderTopWidth", "borderLeftWidth", "borderRightWidth",
      "boxSizing", "tabSize"].forEach((p) => { mirror.style[p] = style[p]; });
    mirror.className = "caret-mirror";
    mirror.style.width = `${text.offsetWidth}px`;
    mirror.textContent = text.value.slice(0, text.selectionStart);
    const mark = document.createElement("span");
    mark.textContent = "\u200b";
    mirror.appendChild(mark);
    document.body.appendChild(mirror);
    const point = { top: mark.offsetTop + mark.offsetHeight - text.scrollTop, left: mark.offsetLeft };
    mirror.remove();
    return point;
  }

  const textCompletion = completer(text, {
    query: () => { const found = typedLink(); return found ? found.typed : null; },
    accept: (title) => {
      const found = typedLink();
      if (!found) return;
      const end = text.selectionStart;
      const closes = text.value.slice(end, end + 2) === "]]" ? 2 : 0;
      replace(found.open, end + closes, `[[${title}]]`);
    },
    place: (list) => {
      const point = caretPoint();
      list.style.top = `${text.offsetTop + Math.min(point.top, text.clientHeight) + 2}px`;
      list.style.left = `${text.offsetLeft + Math.min(point.left, text.clientWidth - 220)}px`;
    },
  });
  box.classList.add("has-completion");
  box.appendChild(textCompletion.list);

  // ---- The link dialog --------------------------------------------------------------------

  const EXTERNAL = /^(https?:\/\/|www\.)\S+$/i;
  const linkDialog = document.createElement("dialog");
  linkDialog.className = "link-dialog";
  linkDialog.setAttribute("aria-labelledby", "link-dialog-title");
  linkDialog.innerHTML = `
    <form method="dialog" class="link-dialog-form" novalidate>
      <h2 id="link-dialog-title">Insert a link</h2>
      <div class="link-field">
        <label for="link-target">Article title or web address</label>
        <input id="link-target" type="text" role="combobox" autocomplete="off" spellcheck="false">
      </div>
      <label for="link-label">Text to show <span class="muted">(optional)</span></label>
      <input id="link-label" type="text">
      <p class="muted link-hint">An article title gives <code>[[Title]]</code> (or <code>[[Title|text]]</code>); an address starting with https:// gives <code>[text](https://…)</code>.</p>
      <p class="link-error message message--error" role="alert" hidden></p>
      <div class="dialog-actions">
        <button type="submit" class="button" value="insert">Insert link</button>
        <button type="button" class="button button--secondary" data-cancel>Cancel</button>
      </div>
    </form>`;
  document.body.appendChild(linkDialog);
  const target = linkDialog.querySelector("#link-target");
  const label = linkDialog.querySelector("#link-label");
  const linkError = linkDialog.querySelector(".link-error");
  let linkRange = [0, 0];
  const dialogCompletion = completer(target, {
    query: () => (EXTERNAL.test(target.value.trim()) ? null : target.value),
    accept: (title) => { target.value = title; },
    place: (list) => {
      list.style.top = `${target.offsetTop + target.offsetHeight}px`;
      list.style.left = `${target.offsetLeft}px`;
      list.style.width = `${target.offsetWidth}px`;
    },
  });
  target.parentNode.appendChild(dialogCompletion.list);

  // In the visual mode (static/editor/) the dialog is the same: `prefill` is the selected text,
  // `done` receives the syntax written, `back` returns the focus.
  let linkDone = null;
  let linkBack = null;
  function openLink(prefill, done, back) {
    linkDone = typeof done === "function" ? done : null;
    linkBack = typeof back === "function" ? back : null;
    let [start, end, chosen] = selection();
    if (linkDone) chosen = prefill || "";
    linkRange = [start, end];
    const bare = chosen.trim();
    target.value = EXTERNAL.test(bare) ? bare : "";
    label.value = EXTERNAL.test(bare) ? "" : bare;
    linkError.hidden = true;
    linkDialog.showModal();
    target.focus();
  }

  linkDialog.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    const where = target.value.trim();
    const shown = label.value.replace(/\s+/g, " ").trim();
    if (!where) {
      linkError.textContent = "Type an article title or a web address.";
      linkError.hidden = false;
      target.focus();
      return;
    }
    let syntax;
    if (EXTERNAL.test(where)) {
      const url = /^www\./i.test(where) ? `https://${where}` : where;
      syntax = `[${(shown || url).replace(/[[\]]/g, "")}](${url.replace(/[()\s]/g, encodeURIComponent)})`;
    } else if (/[[\]|{}<>#\n]/.test(where.replace(/#[^#]*$/, ""))) {
      linkError.textContent = "A title cannot contain [ ] | { } < >.";
      linkError.hidden = false;
      target.focus();
      return;
    } else {
      const title = normal(where);
      syntax = !shown || normal(shown) === title ? `[[${title}]]` : `[[${title}|${shown.replace(/[[\]|]/g, "")}]]`;
    }
    const done = linkDone;
    linkDone = null;
    linkDialog.close();
    if (done) done(syntax);
    else replace(linkRange[0], linkRange[1], syntax);
  });
  linkDialog.querySelector("[data-cancel]").addEventListener("click", () => linkDialog.close());
  linkDialog.addEventListener("close", () => {
    dialogCompletion.close();
    const back = linkBack;
    linkBack = null;
    linkDone = null;
    if (back) back(); else text.focus();
  });
  window.EncyclopediaToolbar = { openLink };

  // ---- Cite and image: the dialogs that already exist ----------------------------------------

  function openCite() {
    const opener = document.querySelector("[data-cite-open]");
    if (opener) { opener.click(); return; }
    const helper = document.querySelector(".cite-helper");
    if (!helper) return;
    helper.open = true;
    helper.scrollIntoView({ block: "nearest" });
    const first = helper.querySelector("select, input");
    if (first) first.focus();
  }

  const picker = document.createElement("input");
  picker.type = "file";
  picker.accept = "image/png,image/jpeg,image/gif,image/webp";
  picker.hidden = true;
  picker.setAttribute("aria-hidden", "true");
  picker.tabIndex = -1;
  box.parentNode.appendChild(picker);
  picker.addEventListener("change", () => {
    const file = picker.files && picker.files[0];
    picker.value = "";
    if (file) box.dispatchEvent(new CustomEvent("upload-dialog:open", { detail: { file } }));
  });
  const canUpload = !!document.querySelector(".upload-dialog");

  // ---- The toolbar ------------------------------------------------------------------------

  const CHARACTERS = [["±", "plus-minus"], ["µ", "micro"], ["°", "degree"], ["≥", "greater than or equal"],
    ["≤", "less than or equal"], ["×", "times"], ["→", "arrow"], ["α", "alpha"], ["β", "beta"],
    ["γ", "gamma"], ["δ", "delta"], ["κ", "kappa"], ["λ", "lambda"], ["μ", "mu"], ["π", "pi"],
    ["σ", "sigma"]];
  const HEADINGS = [["Paragraph", 0], ["Section heading (##)", 2], ["Subsection (###)", 3],
    ["Sub-subsection (####)", 4]];

  // id, name, face (what the button shows), shortcut, action or menu.
  const TOOLS = [
    { id: "heading", name: "Paragraph style", face: "¶ Style", menu: HEADINGS.map(([name, level]) =>
      ({ name, keys: `${MOD}+Alt+${level}`, arg: level, run: () => heading(level) })) },
    { id: "bold", name: "Bold", face: "B", keys: `${MOD}+B`, run: () => wrap("**", "bold text") },
    { id: "italic", name: "Italic", face: "I", keys: `${MOD}+I`, run: () => wrap("*", "italic text") },
    { id: "link", name: "Link", face: "Link", keys: `${MOD}+K`, run: openLink },
    { id: "bullets", name: "Bulleted list", face: "• List", keys: `${MOD}+Shift+8`, run: () => list(false) },
    { id: "numbers", name: "Numbered list", face: "1. List", keys: `${MOD}+Shift+7`, run: () => list(true) },
    { id: "table", name: "Table", face: "Table", run: table },
    { id: "table-edit", name: "Edit table", face: "▦ Rows", menu: [
      { name: "Add row below", arg: "row-below", run: () => tableEdit("row-below") },
      { name: "Add column right", arg: "column-right", run: () => tableEdit("column-right") },
      { name: "Remove row", arg: "row-remove", run: () => tableEdit("row-remove") },
      { name: "Remove column", arg: "column-remove", run: () => tableEdit("column-remove") }] },
    { id: "infobox", name: "Infobox", face: "Infobox", when: () => Object.keys(INFOBOXES).length > 0,
      menu: Object.keys(INFOBOXES).map((kind) => ({ name: `Infobox: ${kind}`, arg: kind, run: () => infobox(kind) })) },
    { id: "template", name: "Insert a template", face: "{{ }}",
      run: () => (window.EncyclopediaVisual && window.EncyclopediaVisual.templateForm
        ? window.EncyclopediaVisual.templateForm() : say("The template form needs the editor's script.")) },
    { id: "cite", name: "Cite a source", face: "Cite", run: openCite, when: () => !!document.querySelector(".cite-helper, [data-cite-open]") },
    { id: "image", name: "Image", face: "Image", run: () => picker.click(), when: () => canUpload },
    { id: "chars", name: "Special characters", face: "Ω", menu: CHARACTERS.map(([ch, name]) =>
      ({ name: `${ch} ${T(name)}`, face: ch, arg: ch, run: () => insertChar(ch) })), grid: true },
    { id: "undo", name: "Undo", face: "↶", keys: `${MOD}+Z`, run: () => undo(false) },
    { id: "redo", name: "Redo", face: "↷", keys: MAC ? "⌘+Shift+Z" : "Ctrl+Y", run: () => undo(true) },
    { id: "help", name: "Help with editing (opens in a new tab)", face: "? Help", run: () => window.open(HELP_URL, "_blank", "noopener") },
  ].filter((tool) => !tool.when || tool.when());
  TOOLS.forEach(function translate(tool) {
    tool.name = T(tool.name);
    if (tool.face) tool.face = T(tool.face);
    if (Array.isArray(tool.menu)) tool.menu.forEach(translate);
  });
  // In the visual mode the buttons act on the visual editor (static/editor/src/mount.js).
  const routed = (id, arg, run) => () => {
    const visual = window.EncyclopediaVisual;
    if (visual && visual.run && visual.run(id, arg)) return;
    run();
  };
  TOOLS.forEach((tool) => {
    if (tool.run) tool.run = routed(tool.id, undefined, tool.run);
    (tool.menu || []).forEach((item) => { item.run = routed(tool.id, item.arg, item.run); });
  });
  // What moves into "More" first when the row is too narrow: the last of these first.
  const KEEP = ["heading", "bold", "italic", "link", "bullets", "numbers", "cite", "help", "chars", "table",
    "table-edit", "infobox", "template", "image", "undo", "redo"];

  const head = document.createElement("div");
  head.className = "editor-head";
  const bar = document.createElement("div");
  bar.className = "editor-toolbar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", T("Formatting"));
  bar.setAttribute("aria-controls", text.id);

  function tooltip(tool) { return tool.keys ? `${tool.name} (${tool.keys})` : tool.name; }

  function makeButton(tool) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `tool tool--${tool.id}`;
    button.dataset.tool = tool.id;
    button.title = tooltip(tool);
    if (tool.keys) button.setAttribute("aria-keyshortcuts", tool.keys.replace("⌘", "Meta").replace("Ctrl", "Control"));
    const face = document.createElement("span");
    face.setAttribute("aria-hidden", "true");
    face.textContent = tool.face;
    const name = document.createElement("span");
    name.className = "visually-hidden";
    name.textContent = tool.name;
    button.append(face, name);
    return button;
  }

  // A menu (paragraph style, characters, More): opened from `opener`, arrow keys move,
  // Enter or Space chooses, Escape closes and gives focus back.
  let openMenu = null;
  function makeMenu(items, label, grid) {
    const menu = document.createElement("div");
    menu.className = grid ? "tool-menu tool-menu--grid" : "tool-menu";
    menu.setAttribute("role", "menu");
    menu.id = newId("tool-menu");
    menu.setAttribute("aria-label", label);
    menu.hidden = true;
    items.forEach((item) => {
      const entry = document.createElement("button");
      entry.type = "button";
      entry.setAttribute("role", "menuitem");
      entry.tabIndex = -1;
      entry.title = item.keys ? `${item.name} (${item.keys})` : item.name;
      if (item.face) {
        entry.setAttribute("aria-label", item.name);
        entry.textContent = item.face;
      } else {
        entry.textContent = item.name;
        if (item.keys) {
          const keys = document.createElement("span");
          keys.className = "menu-keys";
          keys.textContent = item.keys;
          entry.appendChild(keys);
        }
      }
      entry.addEventListener("click", () => { closeMenu(false); item.run(); });
      item.entry = entry;
      menu.appendChild(entry);
    });
    const columns = grid ? 4 : 1;
    menu.addEventListener("keydown", (event) => {
      const entries = Array.from(menu.querySelectorAll("[role=menuitem]")).filter((e) => !e.hidden);
      const at = entries.indexOf(document.activeElement);
      const step = { ArrowDown: columns, ArrowUp: -columns, ArrowRight: grid ? 1 : 0, ArrowLeft: grid ? -1 : 0 }[event.key];
      if (step) {
        event.preventDefault();
        entries[(at + step + entries.length) % entries.length].focus();
      } else if (event.key === "Home" || event.key === "End") {
        event.preventDefault();
        entries[event.key === "Home" ? 0 : entries.length - 1].focus();
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        closeMenu(true);
      } else if (event.key === "Tab") {
        closeMenu(false);
      }
    });
    head.appendChild(menu); // beside the row, which hides what overflows
    return menu;
  }

  function showMenu(menu, opener, last) {
    closeMenu(false);
    menu.hidden = false;
    opener.setAttribute("aria-expanded", "true");
    openMenu = { menu, opener };
    menu.style.left = `${Math.max(0, Math.min(opener.offsetLeft, bar.clientWidth - menu.offsetWidth))}px`;
    const entries = Array.from(menu.querySelectorAll("[role=menuitem]")).filter((e) => !e.hidden);
    entries[last ? entries.length - 1 : 0].focus();
  }

  function closeMenu(refocus) {
    if (!openMenu) return;
    const { menu, opener } = openMenu;
    openMenu = null;
    menu.hidden = true;
    opener.setAttribute("aria-expanded", "false");
    if (refocus) opener.focus();
  }

  function menuButton(button, menu) {
    button.setAttribute("aria-haspopup", "menu");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", menu.id);
    button.addEventListener("click", () => (openMenu && openMenu.menu === menu ? closeMenu(true) : showMenu(menu, button)));
    button.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        showMenu(menu, button, event.key === "ArrowUp");
      }
    });
  }

  const buttons = [];
  TOOLS.forEach((tool) => {
    tool.button = makeButton(tool);
    bar.appendChild(tool.button);
    buttons.push(tool.button);
    if (tool.menu) {
      tool.menuEl = makeMenu(tool.menu, tool.name, tool.grid);
      menuButton(tool.button, tool.menuEl);
    } else {
      // Keep the text box's selection: a pressed button must not take the focus first.
      tool.button.addEventListener("mousedown", (event) => event.preventDefault());
      tool.button.addEventListener("click", () => tool.run());
    }
  });

  // "More": the tools that do not fit on the row, as a menu.
  const more = { id: "more", name: T("More tools"), face: T("More ▾") };
  more.button = makeButton(more);
  bar.appendChild(more.button);
  buttons.push(more.button);
  const moreItems = TOOLS.map((tool) => ({
    name: tool.name,
    keys: tool.keys,
    run: tool.menu ? () => showMenu(tool.menuEl, more.button) : tool.run,
  }));
  more.menuEl = makeMenu(moreItems, T("More tools"), false);
  menuButton(more.button, more.menuEl);

  // Roving tabindex: one stop in the tab order, arrow keys between the buttons.
  let current = buttons[0];
  const visible = () => buttons.filter((b) => !b.hidden);
  function rove(button, focus) {
    current = button;
    buttons.forEach((b) => { b.tabIndex = b === button ? 0 : -1; });
    if (focus) button.focus();
  }
  bar.addEventListener("keydown", (event) => {
    if (!event.target.classList.contains("tool")) return;
    const shown = visible();
    const at = shown.indexOf(event.target);
    let next = null;
    if (event.key === "ArrowRight") next = shown[(at + 1) % shown.length];
    else if (event.key === "ArrowLeft") next = shown[(at - 1 + shown.length) % shown.length];
    else if (event.key === "Home") next = shown[0];
    else if (event.key === "End") next = shown[shown.length - 1];
    if (next) { event.preventDefault(); closeMenu(false); rove(next, true); }
  });
  bar.addEventListener("focusin", (event) => { if (event.target.classList.contains("tool")) rove(event.target, false); });
  document.addEventListener("mousedown", (event) => { if (openMenu && !head.contains(event.target)) closeMenu(false); });

  // Fit the row: show every tool, then move the least used into "More" until the row fits.
  function fit() {
    closeMenu(false);
    TOOLS.forEach((tool, i) => { tool.button.hidden = false; moreItems[i].entry.hidden = true; });
    more.button.hidden = true;
    if (bar.scrollWidth <= bar.clientWidth) { if (current.hidden) rove(visible()[0], false); return; }
    more.button.hidden = false;
    const order = KEEP.slice().reverse();
    for (const id of order) {
      if (bar.scrollWidth <= bar.clientWidth) break;
      const i = TOOLS.findIndex((tool) => tool.id === id);
      if (i < 0) continue;
      TOOLS[i].button.hidden = true;
      moreItems[i].entry.hidden = false;
    }
    if (current.hidden) rove(visible()[0], false);
  }

  // ---- Shortcuts in the text box ----------------------------------------------------------

  const byId = (id) => TOOLS.find((tool) => tool.id === id);
  text.addEventListener("keydown", (event) => {
    if (!(MAC ? event.metaKey : event.ctrlKey)) return;
    let action = null;
    const key = event.key.toLowerCase();
    if (event.altKey) {
      // Ctrl+Alt+digit: Ctrl+digit alone switches the browser's tabs.
      if (/^Digit[0234]$/.test(event.code)) {
        const level = Number(event.code.slice(5));
        event.preventDefault();
        heading(level);
      }
      return;
    }
    if (!event.shiftKey && key === "b") action = byId("bold").run;
    else if (!event.shiftKey && key === "i") action = byId("italic").run;
    else if (!event.shiftKey && key === "k") action = openLink;
    else if (event.shiftKey && event.code === "Digit8") action = () => list(false);
    else if (event.shiftKey && event.code === "Digit7") action = () => list(true);
    if (action) { event.preventDefault(); action(); }
  });

  // ---- Write / Preview on narrow screens ----------------------------------------------------

  const preview = box.querySelector(".markdownx-preview");
  const modes = document.createElement("div");
  modes.className = "editor-modes";
  modes.setAttribute("role", "group");
  modes.setAttribute("aria-label", T("Show"));
  const modeButtons = ["Write", "Preview"].map((name) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "editor-mode";
    button.textContent = T(name);
    button.addEventListener("click", () => setMode(name === "Preview"));
    modes.appendChild(button);
    return button;
  });
  function setMode(previewing) {
    box.classList.toggle("is-previewing", previewing);
    modeButtons[0].setAttribute("aria-pressed", previewing ? "false" : "true");
    modeButtons[1].setAttribute("aria-pressed", previewing ? "true" : "false");
    if (preview && !preview.id) preview.id = newId("editor-preview");
    if (previewing && preview) preview.focus();
  }
  if (preview) {
    preview.tabIndex = -1;
    preview.setAttribute("aria-label", T("Preview"));
    preview.dataset.label = T("Preview");  // its heading (site.css), in the page's language
    preview.setAttribute("role", "region");
    setMode(false);
  }

  head.insertBefore(bar, head.firstChild);
  head.appendChild(status);
  if (preview) head.appendChild(modes);
  box.parentNode.insertBefore(head, box);
  const narrow = window.matchMedia("(max-width: 700px)");
  const refit = () => { if (!narrow.matches) setMode(false); fit(); };
  if (narrow.addEventListener) narrow.addEventListener("change", refit);
  window.addEventListener("resize", fit);
  rove(buttons[0], false);
  fit();
})();
