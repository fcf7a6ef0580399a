// The edit page's visual mode (docs/editors.md, "The visual editor"; docs/developers.md for the
// round trip). It edits the same text box the form posts: switching to source, saving,
// "Show changes" and the toolbar's dialogs read the Markdown it writes back there, so every
// save goes through the one write path.
import { Editor } from "@tiptap/core";
import { TextSelection } from "@tiptap/pm/state";
import { extensions, redLinks, normalTitle } from "./schema.js";
import { sourceToDoc, nodeToMarkdown, minimalChange, parseInline } from "./markdown.js";
import { shared } from "./views.js";
import { mount } from "./mount.js";
import { T } from "./words.js";

const CARET = "\uE000"; // a private-use character marking the cursor while writing Markdown

// ---- The document and its Markdown -------------------------------------------------------------

export function createVisual(host, source, options = {}) {
  let originals = new Map();
  let trail = "";
  const editor = new Editor({
    element: host,
    extensions,
    // Tiptap's own style sheet would go in as an inline <style>, which the site's content
    // security policy refuses (style-src 'self'): its rules are in css/visual-editor.css.
    injectCSS: false,
    content: { type: "doc", content: [{ type: "paragraph" }] },
    editorProps: { attributes: { class: "ve-content", role: "textbox", "aria-multiline": "true",
      "aria-label": options.label || T("Article text (visual editor)"), spellcheck: "true" } },
    onUpdate: () => options.onChange && options.onChange(),
  });

  function remember(doc) {
    originals = new Map();
    doc.descendants((node) => {
      if (node.attrs && node.attrs.src != null) originals.set(node.type.name + "\u0000" + node.attrs.src, node);
      return node.type.name !== "paragraph" && node.type.name !== "heading";
    });
  }

  function load(text) {
    const parsed = sourceToDoc(text);
    trail = parsed.trail;
    let doc;
    try {
      doc = editor.schema.nodeFromJSON(parsed.doc);
      doc.check();
    } catch (e) {
      // A block the schema refuses is kept as typed.
      doc = editor.schema.nodeFromJSON({ type: "doc", content: parsed.doc.content.map((n) => {
        try { editor.schema.nodeFromJSON(n).check(); return n; }
        catch (_) { return { type: "rawBlock", attrs: { kind: "block", src: n.attrs.src, sep: n.attrs.sep } }; }
      }) });
    }
    if (!doc.childCount) doc = editor.schema.nodeFromJSON({ type: "doc", content: [{ type: "paragraph" }] });
    const state = editor.state;
    const tr = state.tr.replaceWith(0, state.doc.content.size, doc.content).setMeta("addToHistory", false);
    tr.setSelection(TextSelection.atStart(tr.doc));
    editor.view.dispatch(tr);
    remember(editor.state.doc);
    if (serialize() !== text) {
      // Never rewrite what is not understood: the whole text as one preserved block.
      console.warn("visual editor: round trip failed, text kept as typed");
      window.EncyclopediaVisual.keptWhole = (window.EncyclopediaVisual.keptWhole || 0) + 1;
      const whole = editor.schema.nodeFromJSON({ type: "doc", content: [{ type: "rawBlock", attrs: { kind: "block", src: text, sep: "" } }] });
      editor.view.dispatch(editor.state.tr.replaceWith(0, editor.state.doc.content.size, whole.content).setMeta("addToHistory", false));
      trail = "";
      remember(editor.state.doc);
    }
  }

  const ctx = {
    emit(node, write) {
      const src = node.attrs.src;
      if (src == null) return write();
      const orig = originals.get(node.type.name + "\u0000" + src);
      if (orig && orig.eq(node)) return src;
      if (!orig) return write();
      return minimalChange(src, nodeToMarkdown(orig, ctx), write());
    },
  };

  function serializeDoc(doc) {
    let out = "";
    doc.forEach((node, _offset, index) => {
      const sep = node.attrs.sep != null ? node.attrs.sep : index === 0 ? "" : "\n\n";
      out += (index === 0 ? sep : sep || "\n\n") + ctx.emit(node, () => nodeToMarkdown(node, ctx));
    });
    return out + trail;
  }

  function serialize() { return serializeDoc(editor.state.doc); }

  // The Markdown and the offset of the cursor in it.
  function serializeWithCaret() {
    const { from } = editor.state.selection;
    const $pos = editor.state.doc.resolve(from);
    if (!$pos.parent.inlineContent) {
      // Between blocks (an atom is selected): the start of the block after.
      const index = $pos.index(0);
      const text = serialize();
      return { text, caret: Math.min(blockOffset(index), text.length) };
    }
    const tr = editor.state.tr.insertText(CARET, from);
    const marked = serializeDoc(tr.doc);
    const text = serialize();
    const at = marked.indexOf(CARET);
    return { text, caret: at < 0 ? 0 : at };
  }

  function blockOffset(index) {
    const doc = editor.state.doc;
    let out = "";
    for (let i = 0; i < index && i < doc.childCount; i++) {
      const node = doc.child(i);
      const sep = node.attrs.sep != null ? node.attrs.sep : i === 0 ? "" : "\n\n";
      out += sep + ctx.emit(node, () => nodeToMarkdown(node, ctx));
    }
    return out.length + (index < doc.childCount ? (doc.child(index).attrs.sep || (index ? "\n\n" : "")).length : 0);
  }

  // Put the cursor in the block holding `offset` of the Markdown.
  function placeCaret(offset) {
    const doc = editor.state.doc;
    let at = 0;
    let pos = 0;
    let target = 0;
    let targetStart = 0;
    let targetNode = doc.firstChild;
    for (let i = 0; i < doc.childCount; i++) {
      const node = doc.child(i);
      const sep = node.attrs.sep != null ? node.attrs.sep : i === 0 ? "" : "\n\n";
      at += sep.length;
      if (at > offset && i > 0) break;
      target = pos;
      targetStart = at;
      targetNode = node;
      at += ctx.emit(node, () => nodeToMarkdown(node, ctx)).length;
      pos += node.nodeSize;
    }
    const exact = exactPosition(target, targetNode, offset - targetStart);
    const sel = exact != null ? TextSelection.create(doc, exact)
      : TextSelection.near(doc.resolve(Math.min(target + 1, doc.content.size)));
    editor.view.dispatch(editor.state.tr.setSelection(sel).scrollIntoView());
  }

  // In a paragraph or heading, the position whose Markdown offset is `within`: each position
  // tried with a marker written there (a block is short; this runs on a switch, not a key).
  function exactPosition(blockPos, node, within) {
    if (!node || !node.isTextblock || within <= 0) return null;
    for (let i = 0; i <= node.content.size; i++) {
      const tr = editor.state.tr.insertText(CARET, blockPos + 1 + i);
      const written = nodeToMarkdown(tr.doc.nodeAt(blockPos), ctx);
      const at = written.indexOf(CARET);
      if (at >= within) return blockPos + 1 + i;
    }
    return blockPos + 1 + node.content.size;
  }

  load(source);
  return { editor, load, serialize, serializeWithCaret, placeCaret };
}

// Insert Markdown inline syntax (a link the dialog wrote) at the selection, as nodes.
export function insertInline(editor, syntax) {
  const json = parseInline(syntax);
  const nodes = json.map((n) => editor.schema.nodeFromJSON(n));
  const { from, to } = editor.state.selection;
  const tr = editor.state.tr.replaceWith(from, to, nodes);
  editor.view.dispatch(tr.scrollIntoView());
  editor.view.focus();
}

if (typeof window !== "undefined") {
  window.EncyclopediaVisual = { createVisual, insertInline, sourceToDoc, normalTitle, redLinks, shared };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
}
