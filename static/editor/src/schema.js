import { T } from "./words.js";
// The visual editor's document: Tiptap's nodes and marks for what Markdown has, with the
// attributes that keep each block's original text, and our own atoms (infobox, raw blocks,
// raw inline text, footnote marks) and wiki links.
import { Node, Mark, Extension } from "@tiptap/core";
import Document from "@tiptap/extension-document";
import Paragraph from "@tiptap/extension-paragraph";
import Text from "@tiptap/extension-text";
import Bold from "@tiptap/extension-bold";
import Italic from "@tiptap/extension-italic";
import Code from "@tiptap/extension-code";
import Heading from "@tiptap/extension-heading";
import Blockquote from "@tiptap/extension-blockquote";
import CodeBlock from "@tiptap/extension-code-block";
import { BulletList, OrderedList, ListItem } from "@tiptap/extension-list";
import { Table, TableRow, TableHeader, TableCell } from "@tiptap/extension-table";
import { UndoRedo } from "@tiptap/extensions";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { footnoteView, infoboxView, rawBlockView } from "./views.js";
import { templateCallView } from "./templates.js";

const hidden = (def = null) => ({ default: def, keepOnSplit: false, rendered: false });

// Attributes that say where a node came from; never shown, never copied to a split half.
const Origin = Extension.create({
  name: "origin",
  addGlobalAttributes() {
    return [
      { types: ["paragraph", "heading", "blockquote", "codeBlock", "bulletList", "orderedList", "table"],
        attributes: { src: hidden(), sep: hidden() } },
      { types: ["listItem"], attributes: { src: hidden(), sep: hidden(), marker: { default: null, rendered: false },
        indent: { default: null, rendered: false }, space: { default: null, rendered: false } } },
      { types: ["tableRow"], attributes: { src: hidden(), sep: hidden() } },
      { types: ["table"], attributes: { delim: hidden(), pipes: { default: "both", rendered: false } } },
      { types: ["codeBlock"], attributes: { fence: { default: "```", rendered: false }, info: { default: "", rendered: false },
        indent: { default: "", rendered: false } } },
      { types: ["bold", "italic"], attributes: { d: { default: "*", rendered: false } } },
      { types: ["code"], attributes: { ticks: { default: 1, rendered: false } } },
    ];
  },
});

const RawBlock = Node.create({
  name: "rawBlock",
  group: "block",
  atom: true,
  selectable: true,
  addAttributes() {
    return { kind: { default: "block", rendered: false }, src: { default: "", rendered: false }, sep: hidden() };
  },
  renderHTML() { return ["div", { class: "ve-raw" }]; },
  addNodeView() { return rawBlockView; },
});

const Infobox = Node.create({
  name: "infobox",
  group: "block",
  atom: true,
  selectable: true,
  addAttributes() {
    return { kind: { default: "medical condition", rendered: false }, fields: { default: [], rendered: false },
      src: hidden(), sep: hidden() };
  },
  renderHTML() { return ["div", { class: "ve-infobox" }]; },
  addNodeView() { return infoboxView; },
});

const RawInline = Node.create({
  name: "rawInline",
  group: "inline",
  inline: true,
  atom: true,
  addAttributes() { return { src: { default: "", rendered: false } }; },
  renderHTML({ node }) {
    return ["code", { class: "ve-raw-inline", title: T("Kept as typed (switch to source to change it)") }, node.attrs.src];
  },
});

// A template call (`{{Name|…}}`): its text kept whole, edited through the template form.
const TemplateCall = Node.create({
  name: "templateCall",
  group: "inline",
  inline: true,
  atom: true,
  selectable: true,
  addAttributes() { return { src: { default: "", rendered: false } }; },
  renderHTML({ node }) { return ["span", { class: "ve-template" }, node.attrs.src]; },
  addNodeView() { return templateCallView; },
});

const FootnoteRef = Node.create({
  name: "footnoteRef",
  group: "inline",
  inline: true,
  atom: true,
  addAttributes() { return { name: { default: "", rendered: false } }; },
  renderHTML({ node }) {
    return ["sup", { class: "ve-footnote", "data-footnote": node.attrs.name }, `[${node.attrs.name}]`];
  },
  addNodeView() { return footnoteView; },
});

const WikiLink = Mark.create({
  name: "wikiLink",
  inclusive: false,
  excludes: "link wikiLink",
  addAttributes() {
    return { target: { default: "", rendered: false }, piped: { default: false, rendered: false } };
  },
  renderHTML({ mark }) {
    return ["a", { class: "wikilink", "data-target": mark.attrs.target, title: mark.attrs.target }, 0];
  },
});

const Link = Mark.create({
  name: "link",
  inclusive: false,
  excludes: "link wikiLink",
  addAttributes() {
    return { href: { default: "", rendered: false }, title: { default: null, rendered: false } };
  },
  renderHTML({ mark }) {
    return ["a", { class: "external", "data-href": mark.attrs.href, title: mark.attrs.href }, 0];
  },
});

// Links to articles that do not exist are red, as on the page (the set comes from the preview).
export const redLinks = new PluginKey("redLinks");
export const normalTitle = (t) => {
  const s = String(t).split("#")[0].replace(/_/g, " ").replace(/\s+/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
};
const RedLinks = Extension.create({
  name: "redLinks",
  addProseMirrorPlugins() {
    const build = (doc, missing) => {
      const found = [];
      if (!missing.size) return DecorationSet.empty;
      doc.descendants((node, pos) => {
        if (!node.isText) return;
        const mark = node.marks.find((m) => m.type.name === "wikiLink");
        if (mark && missing.has(normalTitle(mark.attrs.target))) {
          found.push(Decoration.inline(pos, pos + node.nodeSize, { class: "new", title: `${mark.attrs.target} (page does not exist)` }));
        }
      });
      return DecorationSet.create(doc, found);
    };
    return [new Plugin({
      key: redLinks,
      state: {
        init: () => ({ missing: new Set(), deco: DecorationSet.empty }),
        apply(tr, value, _old, state) {
          const missing = tr.getMeta(redLinks) || value.missing;
          if (!tr.docChanged && missing === value.missing) return value;
          return { missing, deco: build(state.doc, missing) };
        },
      },
      props: { decorations(state) { return redLinks.getState(state).deco; } },
    })];
  },
});

export const extensions = [
  Document, Paragraph, Text, Bold, Italic, Code, Heading.configure({ levels: [1, 2, 3, 4, 5, 6] }),
  Blockquote, CodeBlock, BulletList, OrderedList, ListItem,
  // Tab moves between cells and, from the last, out of the editor (no keyboard trap).
  Table.extend({ addKeyboardShortcuts() {
    return { Tab: () => this.editor.commands.goToNextCell(), "Shift-Tab": () => this.editor.commands.goToPreviousCell() };
  } }).configure({ resizable: false }), TableRow, TableHeader, TableCell,
  UndoRedo, Origin, RawBlock, Infobox, RawInline, TemplateCall, FootnoteRef, WikiLink, Link, RedLinks,
];
