// Our Markdown dialect <-> the visual editor's document, without loss.
//
// The source is cut into top-level blocks; each keeps its exact text (`src`) and the
// whitespace before it (`sep`) as node attributes. On the way back a block equal to the node
// it was loaded as is written out as its original text, byte for byte; only a block that was
// edited is written again, in our canonical Markdown, and then only the part that changed
// (the common head and tail of the old and new writing keep the original text). List items
// and table rows carry their own `src` the same way, so a changed item is the only changed
// line. Whatever is not understood becomes a `rawBlock` / `rawInline` atom holding its text.

import { callEnd } from "./templates.js";

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^(#{1,6})[ \t]+(.*?)[ \t]*$/;
const COLON_START = /^:::/;
const COLON_END = /^:::[ \t]*$/;
const BULLET = /^( *)([*+-])([ \t]+)(.*)$/;
const ORDERED = /^( *)(\d{1,9})([.)])([ \t]+)(.*)$/;
const TABLE_SEP = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const FILE_LINE = /^[ \t]*\[\[(?:File|Image)[ \t]*:[^\]]*\]\][ \t]*$/i;
const FOOTNOTE_DEF = /^\[\^[^\]\s]+\]:/;
const INDENTED = /^( {4}|\t)/;
const BLANK = /^[ \t]*$/;
const INFOBOX_START = /^:::[ \t]*infobox[ \t]+(.+?)[ \t]*$/i;
const FIELD_LINE = /^([^:\n]+?)[ \t]*:[ \t]?(.*)$/;

const isBlank = (line) => BLANK.test(line);
const isListLine = (line) => BULLET.test(line) || ORDERED.test(line);

// ---- Cutting the source into top-level blocks ---------------------------------------------------

export function splitBlocks(source) {
  const lines = source.split("\n");
  const starts = [];
  let at = 0;
  for (const line of lines) { starts.push(at); at += line.length + 1; }
  const blocks = [];
  let i = 0;
  let lastEnd = 0; // char offset after the previous block
  while (i < lines.length) {
    if (isBlank(lines[i])) { i++; continue; }
    const end = blockEnd(lines, i); // index of the last line of this block
    const from = starts[i];
    const to = starts[end] + lines[end].length;
    blocks.push({ sep: source.slice(lastEnd, from), text: source.slice(from, to) });
    lastEnd = to;
    i = end + 1;
  }
  return { blocks, trail: source.slice(lastEnd) };
}

function blockEnd(lines, i) {
  const first = lines[i];
  const fence = FENCE.exec(first);
  if (fence) {
    for (let j = i + 1; j < lines.length; j++) {
      const close = FENCE.exec(lines[j]);
      if (close && close[1][0] === fence[1][0] && close[1].length >= fence[1].length && !lines[j].trim().slice(close[0].trim().length).trim()) return j;
    }
    return lines.length - 1;
  }
  if (COLON_START.test(first)) {
    for (let j = i + 1; j < lines.length; j++) if (COLON_END.test(lines[j])) return j;
    return runEnd(lines, i);
  }
  if (HEADING.test(first)) return i;
  let end = runEnd(lines, i);
  // A list or a footnote goes on past blank lines with indented lines or (a list) more items.
  const listy = isListLine(first) || FOOTNOTE_DEF.test(first);
  while (listy) {
    let j = end + 1;
    while (j < lines.length && isBlank(lines[j])) j++;
    if (j >= lines.length || j === end + 1) break;
    if (INDENTED.test(lines[j]) || (isListLine(first) && isListLine(lines[j]) && sameListKind(first, lines[j]))) {
      end = runEnd(lines, j);
    } else break;
  }
  return end;
}

function sameListKind(a, b) {
  return BULLET.test(a) === BULLET.test(b);
}

// The last line of a run of non-blank lines from i, cut before a heading, a fence or a ::: line.
function runEnd(lines, i) {
  let j = i;
  while (j + 1 < lines.length) {
    const next = lines[j + 1];
    if (isBlank(next) || HEADING.test(next) || FENCE.test(next) || COLON_START.test(next)) break;
    j++;
  }
  return j;
}

// ---- One block's text -> a node description ({type, attrs, content}) ----------------------------

export function parseBlock(text) {
  const lines = text.split("\n");
  const first = lines[0];
  let m;
  if ((m = HEADING.exec(first)) && lines.length === 1 && !/[ \t]#+$/.test(first)) {
    return { type: "heading", attrs: { level: m[1].length }, content: parseInline(m[2]) };
  }
  if ((m = INFOBOX_START.exec(first)) && lines.length > 1 && COLON_END.test(lines[lines.length - 1])) {
    const fields = [];
    for (const line of lines.slice(1, -1)) {
      const f = FIELD_LINE.exec(line);
      if (!f || isBlank(line)) return raw(text, "infobox");
      fields.push({ label: f[1].trim(), value: f[2], raw: line, origValue: f[2] });
    }
    return { type: "infobox", attrs: { kind: m[1], fields } };
  }
  if (COLON_START.test(first)) return raw(text, /gallery/i.test(first) ? "gallery" : "block");
  if ((m = FENCE.exec(first)) && lines.length > 1) {
    const last = lines[lines.length - 1];
    if (!FENCE.test(last) || !last.trim().startsWith(m[1])) return raw(text, "code");
    const info = first.trim().slice(m[1].length);
    const body = lines.slice(1, -1).join("\n");
    return { type: "codeBlock", attrs: { fence: m[1], info, indent: first.slice(0, first.indexOf(m[1])) },
      content: body ? [{ type: "text", text: body }] : [] };
  }
  if (lines.every((l) => FILE_LINE.test(l))) return raw(text, "figure");
  if (FOOTNOTE_DEF.test(first)) return raw(text, "footnote");
  if (isListLine(first)) return parseList(lines) || raw(text, "block");
  if (lines.length >= 2 && first.includes("|") && TABLE_SEP.test(lines[1]) && lines[1].includes("-")) {
    return parseTable(lines) || raw(text, "block");
  }
  if (first.startsWith(">")) return parseQuote(lines) || raw(text, "block");
  if (INDENTED.test(first) || /^ {0,3}</.test(first) || /^ {0,3}([-*_])( *\1){2,} *$/.test(first)
      || /^\[[^\]]+\]:/.test(first) || first.startsWith("#")
      || (lines.length >= 2 && /^ {0,3}(=+|-+)[ \t]*$/.test(lines[lines.length - 1]))
      ) {
    return raw(text, "block");
  }
  return { type: "paragraph", content: parseInline(text) };
}

function raw(text, kind) {
  return { type: "rawBlock", attrs: { kind, src: text } };
}

function parseQuote(lines) {
  if (!lines.every((l) => /^>/.test(l))) return null;
  const inner = lines.map((l) => l.replace(/^> ?/, ""));
  const paras = [];
  let current = [];
  const rawLines = [];
  lines.forEach((line, n) => {
    if (isBlank(inner[n])) {
      if (current.length) paras.push({ lines: current, raw: rawLines.splice(0) });
      current = [];
      rawLines.length = 0;
    } else { current.push(inner[n]); rawLines.push(line); }
  });
  if (current.length) paras.push({ lines: current, raw: rawLines.splice(0) });
  if (!paras.length) return null;
  for (const p of paras) {
    const b = parseBlock(p.lines.join("\n"));
    if (b.type !== "paragraph") return null;
    p.node = b;
  }
  if (lines.some((l, n) => isBlank(inner[n]) && l.trim() !== ">")) return null;
  return { type: "blockquote", content: paras.map((p) => p.node) };
}

// Lists: items with their marker, nested lists by indentation; each item keeps its text.
function parseList(lines) {
  const items = [];
  const base = listMarker(lines[0]);
  if (!base) return null;
  let current = null;
  let pendingSep = "";
  for (const line of lines) {
    const mk = listMarker(line);
    if (mk && mk.indent.length === base.indent.length && mk.ordered === base.ordered) {
      if (current) items.push(current);
      current = { lines: [line], sep: pendingSep };
      pendingSep = "";
    } else if (!current) return null;
    else current.lines.push(line);
  }
  if (current) items.push(current);
  const out = [];
  let sep = "\n";
  for (const item of items) {
    // An item's own text ends at its last non-blank line; the blank lines after it are the
    // next item's separator.
    let last = item.lines.length - 1;
    while (last > 0 && isBlank(item.lines[last])) last--;
    const own = item.lines.slice(0, last + 1);
    const node = parseItem(own, base);
    if (!node) return null;
    node.attrs.sep = out.length ? sep : "";
    out.push(node);
    sep = "\n" + item.lines.slice(last + 1).map((l) => l + "\n").join("");
  }
  return {
    type: base.ordered ? "orderedList" : "bulletList",
    attrs: base.ordered ? { start: Number(base.number) } : {},
    content: out,
  };
}

function listMarker(line) {
  let m = BULLET.exec(line);
  if (m) return { indent: m[1], marker: m[2], space: m[3], rest: m[4], ordered: false };
  m = ORDERED.exec(line);
  if (m) return { indent: m[1], number: m[2], delim: m[3], space: m[4], rest: m[5], ordered: true };
  return null;
}

function parseItem(lines, base) {
  const mk = listMarker(lines[0]);
  const marker = mk.ordered ? mk.delim : mk.marker;
  const textLines = [mk.rest];
  let i = 1;
  for (; i < lines.length; i++) {
    const l = lines[i];
    const nested = listMarker(l);
    if (nested && nested.indent.length > base.indent.length) break;
    if (isBlank(l)) return null;
    textLines.push(l);
  }
  const content = [{ type: "paragraph", content: parseInline(textLines.join("\n")) }];
  if (i < lines.length) {
    const rest = lines.slice(i);
    if (rest.some(isBlank)) return null;
    const nestedList = parseList(rest);
    if (!nestedList) return null;
    content.push(nestedList);
  }
  return {
    type: "listItem",
    attrs: { src: lines.join("\n"), marker, indent: mk.indent, space: mk.space },
    content,
  };
}

// Tables: header row, the separator row kept as written, body rows each keeping its line.
function splitRow(line) {
  let s = line.trim();
  const lead = s.startsWith("|");
  const trail = s.endsWith("|") && !s.endsWith("\\|");
  if (lead) s = s.slice(1);
  if (trail && s.length) s = s.slice(0, -1);
  const cells = [];
  let cur = "";
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && s[i + 1] === "|") { cur += "\\|"; i++; continue; }
    if (c === "[" && s[i + 1] === "[") { depth++; cur += "[["; i++; continue; }
    if (c === "]" && s[i + 1] === "]" && depth) { depth--; cur += "]]"; i++; continue; }
    if (c === "|" && !depth) { cells.push(cur); cur = ""; continue; }
    cur += c;
  }
  cells.push(cur);
  return { cells: cells.map((c) => c.trim()), lead, trail };
}

function parseTable(lines) {
  const head = splitRow(lines[0]);
  const width = head.cells.length;
  const rows = [{ line: lines[0], cells: head.cells, header: true }];
  for (const line of lines.slice(2)) {
    if (!line.includes("|")) return null;
    const row = splitRow(line);
    rows.push({ line, cells: row.cells, header: false });
  }
  // A row of another width than the heading's is not a grid the editor can keep: as typed.
  if (rows.some((row) => row.cells.length !== width)) return null;
  const content = rows.map((row, n) => {
    const cells = row.cells.map((text) => ({ type: row.header ? "tableHeader" : "tableCell",
      content: [{ type: "paragraph", content: parseInline(text) }] }));
    return { type: "tableRow", attrs: { src: row.line, sep: n === 0 ? "" : "\n" }, content: cells };
  });
  return { type: "table", attrs: { delim: lines[1], pipes: head.lead ? "both" : "none" }, content };
}

// ---- Inline text -> text nodes with marks, and atoms for what is kept as typed ---------------------

const INLINE_RAW = [
  /^\\[\\`*_{}[\]()#+\-.!|>~^=:<&]/, // an escape
  /^!\[[^\]\n]*\]\([^)\n]*\)/, // an image
  /^<(?:https?:|mailto:)[^>\s]+>/, // an autolink
  /^<\/?[A-Za-z][^<>\n]*>/, // inline HTML
  /^<!--[\s\S]*?-->/,
  /^&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]+);/i,
  /^\[\[(?:[:]?(?:File|Image|Category|Media)[ \t]*:)[^\]\n]*\]\]/i,
];

export function parseInline(text, marks = []) {
  const out = [];
  let plain = "";
  const flush = () => { if (plain) { out.push(textNode(plain, marks)); plain = ""; } };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const c = text[i];
    let m;
    if ("\\!<&[".includes(c)) {
      const rawMatch = INLINE_RAW.map((re) => re.exec(rest)).find(Boolean);
      if (rawMatch) {
        flush();
        out.push({ type: "rawInline", attrs: { src: rawMatch[0] }, marks: marks.length ? marks : undefined });
        i += rawMatch[0].length;
        continue;
      }
    }
    if (c === "{" && (m = callEnd(text, i)) > 0) {
      flush();
      out.push({ type: "templateCall", attrs: { src: text.slice(i, m) }, marks: marks.length ? marks : undefined });
      i = m;
      continue;
    }
    if (c === "[" && (m = /^\[\^([^\]\s]+)\]/.exec(rest)) && !/^\[\^[^\]\s]+\]:/.test(rest)) {
      flush();
      out.push({ type: "footnoteRef", attrs: { name: m[1] }, marks: marks.length ? marks : undefined });
      i += m[0].length;
      continue;
    }
    if (c === "[" && (m = /^\[\[([^\]|\n]+)(?:\|([^\]\n]*))?\]\]/.exec(rest))) {
      flush();
      const label = m[2] === undefined ? m[1] : m[2];
      if (!label || /[*_`\\<&[]/.test(label)) {
        out.push({ type: "rawInline", attrs: { src: m[0] }, marks: marks.length ? marks : undefined });
      } else {
        const mark = { type: "wikiLink", attrs: { target: m[1], piped: m[2] !== undefined } };
        out.push(textNode(label, [...marks, mark]));
      }
      i += m[0].length;
      continue;
    }
    if (c === "[" && (m = /^\[((?:[^\]\[\n]|\[[^\]\n]*\])+)\]\(([^)\s]+)(?:[ \t]+"([^"\n]*)")?\)/.exec(rest))) {
      flush();
      const mark = { type: "link", attrs: { href: m[2], title: m[3] === undefined ? null : m[3] } };
      out.push(...parseInline(m[1], [...marks, mark]));
      i += m[0].length;
      continue;
    }
    if (c === "`" && (m = /^(`+)([\s\S]*?[^`])\1(?!`)/.exec(rest))) {
      flush();
      out.push(textNode(m[2], [...marks, { type: "code", attrs: { ticks: m[1].length } }]));
      i += m[0].length;
      continue;
    }
    if ((c === "*" || c === "_") && (m = emphasis(text, i))) {
      flush();
      const mark = m.strong ? { type: "bold", attrs: { d: m.delim } } : { type: "italic", attrs: { d: m.delim } };
      out.push(...parseInline(m.inner, [...marks, mark]));
      i = m.end;
      continue;
    }
    plain += c;
    i++;
  }
  flush();
  return mergeText(out);
}

function emphasis(text, i) {
  const c = text[i];
  const prev = text[i - 1] || " ";
  for (const n of [2, 1]) {
    const delim = c.repeat(n);
    if (text.slice(i, i + n) !== delim || text[i + n] === c && n === 1) continue;
    const after = text[i + n];
    if (!after || /\s/.test(after)) continue;
    if (c === "_" && /[A-Za-z0-9]/.test(prev)) continue;
    // the closing delimiter: not preceded by space, not followed (for _) by a word character
    let j = i + n + 1;
    while (j <= text.length - n) {
      if (text[j] === "\\") { j += 2; continue; }
      if (text[j] === "`") {
        const close = text.indexOf("`", j + 1);
        if (close > 0) { j = close + 1; continue; }
      }
      if (text.slice(j, j + n) === delim && !/\s/.test(text[j - 1])
          && !(n === 1 && text[j + 1] === c && text.slice(j, j + 2) !== delim + c)
          && !(c === "_" && /[A-Za-z0-9]/.test(text[j + n] || ""))) {
        if (n === 1 && text[j + 1] === c) { j += 2; continue; }
        const inner = text.slice(i + n, j);
        if (!inner.includes("\n\n")) return { strong: n === 2, delim: c, inner, end: j + n };
      }
      j++;
    }
  }
  return null;
}

function textNode(text, marks) {
  const node = { type: "text", text };
  if (marks.length) node.marks = marks;
  return node;
}

function mergeText(nodes) {
  return nodes.filter((n) => n.type !== "text" || n.text);
}

// ---- Document (JSON) from a whole source -----------------------------------------------------------

export function sourceToDoc(source) {
  const { blocks, trail } = splitBlocks(source);
  const content = blocks.map((block) => {
    let node;
    try { node = parseBlock(block.text); } catch (e) { node = raw(block.text, "block"); }
    node.attrs = { ...(node.attrs || {}), src: block.text, sep: block.sep };
    return node;
  });
  return { doc: { type: "doc", content }, trail };
}

// ---- Writing Markdown again ----------------------------------------------------------------------

const MARK_ORDER = ["link", "wikiLink", "bold", "italic", "code"];

function sameMark(a, b) {
  return a.type.name === b.type.name && JSON.stringify(a.attrs) === JSON.stringify(b.attrs);
}

export function inlineToMarkdown(nodes, order = MARK_ORDER, atLineStart = true) {
  if (!order.length) return nodes.map((n, k) => leafText(n, atLineStart && k === 0)).join("");
  const [name, ...rest] = order;
  let out = "";
  let k = 0;
  while (k < nodes.length) {
    const mark = nodes[k].marks.find((mk) => mk.type.name === name);
    if (!mark) {
      let j = k;
      while (j < nodes.length && !nodes[j].marks.some((mk) => mk.type.name === name)) j++;
      out += inlineToMarkdown(nodes.slice(k, j), rest, atLineStart && k === 0 && !out);
      k = j;
      continue;
    }
    let j = k;
    while (j < nodes.length && nodes[j].marks.some((mk) => sameMark(mk, mark))) j++;
    const run = nodes.slice(k, j).map((n) => n.mark(n.marks.filter((mk) => !sameMark(mk, mark))));
    out += wrapMark(mark, run, rest);
    k = j;
  }
  return out;
}

function wrapMark(mark, run, rest) {
  const name = mark.type.name;
  if (name === "code") {
    const ticks = "`".repeat(mark.attrs.ticks || 1);
    return ticks + run.map((n) => n.text || "").join("") + ticks;
  }
  if (name === "wikiLink") {
    const label = run.map((n) => n.isText ? n.text : leafText(n)).join("");
    const target = mark.attrs.target;
    return label === target && !mark.attrs.piped || label === target ? `[[${target}]]` : `[[${target}|${label.replace(/[[\]|]/g, "")}]]`;
  }
  const inner = inlineToMarkdown(run, rest, false);
  if (name === "link") {
    const title = mark.attrs.title == null ? "" : ` "${mark.attrs.title}"`;
    return `[${inner}](${mark.attrs.href}${title})`;
  }
  const d = (mark.attrs.d || "*").repeat(name === "bold" ? 2 : 1);
  // spaces at the edges stay outside the marks, as Markdown needs
  const lead = inner.match(/^\s*/)[0];
  const tail = inner.slice(lead.length).match(/\s*$/)[0];
  const core = inner.slice(lead.length, inner.length - tail.length);
  return core ? lead + d + core + d + tail : inner;
}

function leafText(node, atLineStart) {
  if (node.type.name === "rawInline" || node.type.name === "templateCall") return node.attrs.src;
  if (node.type.name === "footnoteRef") return `[^${node.attrs.name}]`;
  if (node.type.name === "hardBreak") return "  \n";
  return escapeText(node.text || "", atLineStart);
}

// Escape only what would otherwise be read as markup, so unchanged words stay as typed.
export function escapeText(text, atLineStart) {
  let out = text
    .replace(/\\(?=[\\`*_[\]])/g, "\\\\")
    .replace(/`/g, "\\`")
    .replace(/\*(?=\S)|(?<=\S)\*/g, "\\*")
    .replace(/(?<![A-Za-z0-9])_(?=\S)|(?<=\S)_(?![A-Za-z0-9])/g, "\\_")
    .replace(/\[(?=\[|\^)|\](?=\(|\])/g, "\\$&")
    .replace(/<(?=[A-Za-z/!])/g, "&lt;");
  if (atLineStart) out = out.replace(/^(#{1,6}[ \t]|>|[-+][ \t]|(\d+)([.)])[ \t]|:::)/, "\\$1");
  return out;
}

// The Markdown of one node, canonical (its original text is used by `emit` when unchanged).
export function nodeToMarkdown(node, ctx) {
  switch (node.type.name) {
    case "paragraph":
      return inlineToMarkdown(children(node));
    case "heading":
      return "#".repeat(node.attrs.level) + " " + inlineToMarkdown(children(node), MARK_ORDER, false);
    case "codeBlock": {
      const fence = node.attrs.fence || "```";
      return (node.attrs.indent || "") + fence + (node.attrs.info || "") + "\n" + node.textContent + "\n" + (node.attrs.indent || "") + fence;
    }
    case "blockquote":
      return children(node).map((p) => nodeToMarkdown(p, ctx).split("\n").map((l) => (l ? "> " + l : ">")).join("\n")).join("\n>\n");
    case "bulletList":
    case "orderedList":
      return listToMarkdown(node, ctx, "");
    case "table":
      return tableToMarkdown(node, ctx);
    case "infobox":
      return infoboxToMarkdown(node);
    case "rawBlock":
      return node.attrs.src;
    default:
      return node.attrs.src || node.textContent;
  }
}

function children(node) {
  const out = [];
  node.forEach((c) => out.push(c));
  return out;
}

function listToMarkdown(list, ctx, indent) {
  const ordered = list.type.name === "orderedList";
  let out = "";
  let number = list.attrs.start == null ? 1 : list.attrs.start;
  children(list).forEach((item, n) => {
    const sep = n === 0 ? "" : item.attrs.sep || "\n";
    out += sep + ctx.emit(item, () => itemToMarkdown(item, ctx, ordered, number, indent));
    number++;
  });
  return out;
}

function itemToMarkdown(item, ctx, ordered, number, indent) {
  const own = item.attrs.indent != null ? item.attrs.indent : indent;
  const marker = ordered ? `${number}${item.attrs.marker && /[.)]/.test(item.attrs.marker) ? item.attrs.marker : "."}`
    : (item.attrs.marker && /^[*+-]$/.test(item.attrs.marker) ? item.attrs.marker : "*");
  const space = item.attrs.space || " ";
  const prefix = own + marker + space;
  const pad = " ".repeat(prefix.length);
  let out = "";
  children(item).forEach((child, n) => {
    if (child.type.name === "paragraph") {
      const text = inlineToMarkdown(children(child)).split("\n").join("\n" + (n === 0 ? "" : pad));
      out += n === 0 ? prefix + text : "\n" + pad + text;
    } else if (child.type.name === "bulletList" || child.type.name === "orderedList") {
      const nestedIndent = own + " ".repeat(Math.max(2, marker.length + space.length));
      out += "\n" + listToMarkdown(child, { ...ctx, indent: nestedIndent }, nestedIndent)
        .split("\n").map((l) => (l.startsWith(nestedIndent) || !l ? l : nestedIndent + l)).join("\n");
    } else {
      out += "\n" + pad + nodeToMarkdown(child, ctx);
    }
  });
  if (!children(item).length) out = prefix;
  return out;
}

function cellText(cell) {
  const parts = children(cell).map((p) => inlineToMarkdown(children(p), MARK_ORDER, false).replace(/\n/g, " "));
  return parts.join(" ").replace(/(?<!\\)\|/g, "\\|");
}

function tableToMarkdown(table, ctx) {
  const rows = children(table);
  const both = table.attrs.pipes !== "none";
  const line = (cells) => (both ? "| " + cells.join(" | ") + " |" : cells.join(" | "));
  const width = rows.length ? rows[0].childCount : 0;
  let delim = table.attrs.delim;
  if (!delim || splitRow(delim).cells.length !== width) delim = line(Array(width).fill("---"));
  let out = "";
  rows.forEach((row, n) => {
    out += (n === 0 ? "" : "\n") + ctx.emit(row, () => line(children(row).map(cellText)));
    if (n === 0) out += "\n" + delim;
  });
  return out;
}

function infoboxToMarkdown(node) {
  const lines = [`::: infobox ${node.attrs.kind}`];
  for (const f of node.attrs.fields || []) {
    if (f.raw != null && f.value === f.origValue) { lines.push(f.raw); continue; }
    if (!String(f.value).trim()) continue;
    const rawLabel = f.raw != null ? f.raw.slice(0, f.raw.indexOf(":")) : f.label;
    lines.push(`${rawLabel}: ${String(f.value).replace(/\n/g, " ")}`);
  }
  lines.push(":::");
  return lines.join("\n");
}

// The smallest change. The original text may differ from the canonical writing of the node it
// was loaded as (spacing, an escape…); when the edit lies wholly before or after the part where
// they differ, the original text is kept around it.
export function minimalChange(original, oldWritten, newWritten) {
  if (oldWritten === original) return newWritten;
  const head = (a, b) => { let n = 0; const m = Math.min(a.length, b.length); while (n < m && a[n] === b[n]) n++; return n; };
  const tail = (a, b, limit) => { let n = 0; while (n < limit && a[a.length - 1 - n] === b[b.length - 1 - n]) n++; return n; };
  const p = head(oldWritten, newWritten);
  const s = tail(oldWritten, newWritten, Math.min(oldWritten.length, newWritten.length) - p);
  const P = head(original, oldWritten);
  const S = tail(original, oldWritten, Math.min(original.length, oldWritten.length) - P);
  const oldLen = oldWritten.length;
  if (oldLen - s <= P) return newWritten.slice(0, newWritten.length - s) + original.slice(oldLen - s);
  if (p >= oldLen - S) return original.slice(0, original.length - (oldLen - p)) + newWritten.slice(p);
  return newWritten;
}
