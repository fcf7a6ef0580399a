"""References (`<ref>`, `{{efn}}`, `{{sfn}}`) as our footnotes: `[^label]` where the
reference stands, the definitions together where `<references/>` or `{{reflist}}` stands (or at
the end). A named reference used again points at the same footnote, which Python-Markdown
numbers once and links back to from every use."""

import re

from .cite_templates import our_citations
from .tag_attributes import attr

LABEL_CHARS = re.compile(r"[^A-Za-z0-9_-]+")
MISSING = "The source cites this reference by name but never gives its text."


class References:
    def __init__(self, converter):
        self.converter = converter
        self.labels: dict[tuple[str, str], str] = {}  # (group, name) -> footnote label
        self.texts: dict[str, str] = {}  # label -> definition (Markdown, flat)
        self.order: list[str] = []
        self.used_labels: set[str] = set()
        self.placeholder: int | None = None  # the block where the definitions go

    def cite(self, *, name: str = "", group: str = "", text: str | None = None) -> str:
        """A use of a reference, defining it when `text` is given: its footnote mark."""
        name, group = " ".join(name.split()), " ".join(group.split())
        key = (group, name)
        label = self.labels.get(key) if name else None
        if label is None:
            label = self._new_label(name, group)
            if name:
                self.labels[key] = label
            self.order.append(label)
        if text is not None and text.strip() and not self.texts.get(label):
            self.texts[label] = text.strip()
        return f"[^{label}]"

    def define(self, *, name: str, group: str = "", text: str) -> None:
        """A list-defined reference (inside `{{reflist|refs=…}}` or `<references>`)."""
        key = (" ".join(group.split()), " ".join(name.split()))
        label = self.labels.get(key)
        if label is None:
            label = self._new_label(name, group)
            self.labels[key] = label
        if text.strip() and not self.texts.get(label):
            self.texts[label] = text.strip()

    def define_listed(self, code) -> None:
        """The `<ref name=…>` inside `<references>…</references>` (or `{{reflist|refs=}}`):
        references cited by name elsewhere, defined here."""
        for ref in code.filter_tags(recursive=False):
            if str(ref.tag).strip().lower() == "ref" and ref.contents is not None:
                text = self.converter.flat(ref.contents)
                self.define(name=attr(ref, "name"), group=attr(ref, "group"), text=text)

    def _new_label(self, name: str, group: str) -> str:
        base = LABEL_CHARS.sub("-", f"{group}-{name}" if group else name).strip("-")
        base = base[:40] or f"{group or 'ref'}"
        label, n = base, 1
        if not name:
            label = f"{base}-{len(self.used_labels) + 1}"
        while label in self.used_labels:
            n += 1
            label = f"{base}-{n}"
        self.used_labels.add(label)
        return label

    def mark_list(self, writer) -> None:
        """Where `<references/>` or `{{reflist}}` stands: the definitions go there once."""
        if self.placeholder is None and writer is self.converter.top_writer:
            writer.newline()
            writer.write(self.converter.add_block("", "") + "\n")
            self.placeholder = len(self.converter.blocks) - 1

    def definitions(self) -> str:
        lines = []
        for label in self.order:
            text = self.texts.get(label) or MISSING
            if label not in self.texts:
                self.converter.unconverted["ref: used but never defined"] += 1
            lines.append(f"[^{label}]: {our_citations(text, whole_reference=True)}")
        return "\n".join(lines)
