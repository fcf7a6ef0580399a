import { T } from "./words.js";

// How the atoms look in the visual editor: a preserved block (its text, and for figures,
// galleries and references how the page shows them), and the infobox as a form of its fields.

// Filled by visual.js: the infobox types' field labels, and what the last preview rendered.
export const shared = { infoboxes: {}, rendered: null, views: new Set() };

const LABELS = {
  figure: T("Image"), gallery: T("Gallery"), footnote: T("Reference"), code: T("Code"),
  block: T("Kept as typed"), infobox: T("Infobox (kept as typed)"),
};

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text != null) node.textContent = text;
  return node;
}

const slugOf = (name) => name.trim().replace(/\s+/g, "_");

function figureNames(src, kind) {
  const names = [];
  if (kind === "gallery") {
    src.split("\n").slice(1, -1).forEach((line) => {
      const m = /^[ \t]*(?:(?:File|Image)[ \t]*:)?([^|\n]+?)[ \t]*(?:\|.*)?$/i.exec(line);
      if (m && line.trim()) names.push(m[1]);
    });
  } else {
    const re = /\[\[(?:File|Image)[ \t]*:([^|\]]+)/gi;
    let m;
    while ((m = re.exec(src))) names.push(m[1]);
  }
  return names;
}

// The rendered look of one preserved block, from the preview's HTML (sanitized by the server).
function renderedPart(kind, src) {
  const html = shared.rendered;
  if (!html) return null;
  if (kind === "figure" || kind === "gallery") {
    const wrap = el("div", { class: kind === "gallery" ? "gallery" : "ve-figures" });
    for (const name of figureNames(src, kind)) {
      const slug = "File:" + slugOf(name);
      const fig = [...html.querySelectorAll("figure")].find((f) => {
        const a = f.querySelector("a[href]");
        return a && decodeURIComponent(a.getAttribute("href")).endsWith(slug);
      });
      if (fig) wrap.appendChild(document.importNode(fig, true));
    }
    return wrap.childNodes.length ? wrap : null;
  }
  if (kind === "footnote") {
    const name = /^\[\^([^\]\s]+)\]/.exec(src);
    if (!name) return null;
    const item = footnoteItem(name[1]);
    if (!item) return null;
    const copy = document.importNode(item, true);
    copy.querySelectorAll(".backlinks, .footnote-backref").forEach((a) => a.remove());
    const box = el("div", { class: "ve-citation" });
    box.append(...copy.childNodes);
    box.querySelectorAll("a").forEach((a) => a.setAttribute("tabindex", "-1"));
    return box;
  }
  return null;
}

function footnoteItem(name) {
  const html = shared.rendered;
  if (!html) return null;
  return [...html.querySelectorAll(".footnote li[id]")].find((li) => li.id.endsWith(":" + name) || li.id.endsWith("-" + name));
}

// A footnote mark: its number as on the page, its reference (AMA style) as its tooltip.
export function footnoteView({ node }) {
  const dom = el("sup", { class: "ve-footnote", contenteditable: "false" }, `[${node.attrs.name}]`);
  const view = {
    dom,
    refresh() {
      const item = footnoteItem(node.attrs.name);
      if (!item) return;
      const copy = item.cloneNode(true);
      copy.querySelectorAll(".backlinks, .footnote-backref").forEach((a) => a.remove());
      const number = [...item.parentNode.children].indexOf(item) + 1;
      dom.textContent = `[${number}]`;
      dom.title = copy.textContent.replace(/\s+/g, " ").trim();
    },
    ignoreMutation: () => true,
    destroy() { shared.views.delete(view); },
  };
  shared.views.add(view);
  view.refresh();
  return view;
}

// Each image's name, caption and alt text, read from its line (the credit comes with the
// rendered figure, from the file's own page).
function figureFacts(src, kind) {
  const list = el("ul", { class: "ve-figure-facts" });
  const lines = kind === "gallery" ? src.split("\n").slice(1, -1) : src.split("\n");
  for (const line of lines) {
    const inner = kind === "gallery" ? line.trim() : (/\[\[(.*)\]\]/.exec(line) || [])[1];
    if (!inner) continue;
    const [name, ...options] = inner.split("|");
    let alt = "";
    let caption = "";
    for (const option of options.map((o) => o.trim())) {
      if (/^alt=/i.test(option)) alt = option.slice(4).trim();
      else if (!/^(thumb|upright|frameless|left|right|center)$/i.test(option) && option) caption = option;
    }
    const item = el("li", {}, name.replace(/^(File|Image)\s*:/i, "").trim());
    if (caption) item.appendChild(el("span", {}, ` — caption: ${caption}`));
    item.appendChild(el("span", { class: alt ? "" : "ve-missing" }, alt ? ` — alt text: ${alt}` : " — no alt text"));
    list.appendChild(item);
  }
  return list;
}

export function rawBlockView({ node }) {
  const dom = el("div", { class: `ve-raw ve-raw--${node.attrs.kind}`, contenteditable: "false" });
  const label = el("div", { class: "ve-raw-label" }, LABELS[node.attrs.kind] || LABELS.block);
  const look = el("div", { class: "ve-raw-look" });
  const source = el("pre", { class: "ve-raw-src" }, node.attrs.src);
  dom.append(label, look);
  if (node.attrs.kind === "figure" || node.attrs.kind === "gallery") dom.appendChild(figureFacts(node.attrs.src, node.attrs.kind));
  dom.appendChild(source);
  const view = {
    dom,
    refresh() {
      const part = renderedPart(node.attrs.kind, node.attrs.src);
      look.replaceChildren(...(part ? [part] : []));
      if (node.attrs.kind === "footnote" && part) source.hidden = true;
    },
    update(next) {
      if (next.type !== node.type || next.attrs.src !== node.attrs.src || next.attrs.kind !== node.attrs.kind) return false;
      node = next;
      return true;
    },
    ignoreMutation: () => true,
    stopEvent: () => false,
    destroy() { shared.views.delete(view); },
  };
  shared.views.add(view);
  view.refresh();
  return view;
}

const normalLabel = (s) => String(s).replace(/[\s_-]+/g, "").toLowerCase();

// The infobox: one labelled box per field of its type; a change updates the node's fields
// (only the changed line is written again); the server validates on save, as for the source.
export function infoboxView({ node, getPos, editor }) {
  const dom = el("fieldset", { class: "ve-infobox", contenteditable: "false" });
  let current = node;
  function draw() {
    dom.replaceChildren();
    dom.appendChild(el("legend", {}, `Infobox: ${current.attrs.kind}`));
    const fields = current.attrs.fields || [];
    const known = shared.infoboxes[current.attrs.kind] || [];
    const rows = fields.map((f, index) => ({ label: f.label, value: f.value, index }));
    for (const label of known) {
      if (!fields.some((f) => normalLabel(f.label) === normalLabel(label))) rows.push({ label, value: "", index: -1 });
    }
    rows.forEach((row) => {
      const id = `ve-infobox-${normalLabel(row.label)}`;
      const wrap = el("div", { class: "ve-field" });
      const lab = el("label", { for: id }, row.label);
      const input = el("input", { id, type: "text", "data-label": row.label });
      input.value = row.value;
      input.addEventListener("input", () => setField(row, input.value));
      wrap.append(lab, input);
      dom.appendChild(wrap);
    });
  }
  function setField(row, value) {
    const fields = (current.attrs.fields || []).map((f) => ({ ...f }));
    if (row.index >= 0) {
      fields[row.index].value = value;
    } else {
      const known = shared.infoboxes[current.attrs.kind] || [];
      const existing = fields.find((f) => f.raw == null && normalLabel(f.label) === normalLabel(row.label));
      if (existing) existing.value = value;
      else {
        // In the type's order, after the fields that come before it.
        const rank = (label) => known.findIndex((k) => normalLabel(k) === normalLabel(label));
        const mine = rank(row.label);
        let at = fields.length;
        for (let i = fields.length - 1; i >= 0; i--) { if (rank(fields[i].label) > mine) at = i; }
        fields.splice(at, 0, { label: row.label, value, raw: null });
      }
    }
    const pos = getPos();
    if (typeof pos !== "number") return;
    editor.view.dispatch(editor.state.tr.setNodeMarkup(pos, undefined, { ...current.attrs, fields }));
  }
  draw();
  return {
    dom,
    update(next) {
      if (next.type !== current.type) return false;
      const redraw = next.attrs.kind !== current.attrs.kind || (next.attrs.fields || []).length !== (current.attrs.fields || []).length;
      current = next;
      if (redraw) {
        // A field added by typing in it: drawn again, the typing goes on where it was.
        const active = dom.contains(document.activeElement) ? document.activeElement : null;
        const label = active && active.dataset.label;
        const caret = active ? active.selectionStart : 0;
        draw();
        const again = label && dom.querySelector(`input[data-label="${CSS.escape(label)}"]`);
        if (again) { again.focus(); again.setSelectionRange(caret, caret); }
      }
      else {
        (next.attrs.fields || []).forEach((f) => {
          const input = dom.querySelector(`input[data-label="${CSS.escape(f.label)}"]`);
          if (input && input !== document.activeElement && input.value !== f.value) input.value = f.value;
        });
      }
      return true;
    },
    stopEvent: (event) => event.target !== dom && dom.contains(event.target),
    ignoreMutation: () => true,
  };
}
