"""Templates that make notes: short citations (`{{sfn}}`, `{{harvnb}}`), explanatory notes
(`{{efn}}`), the note lists (`{{reflist}}`, `{{notelist}}`), page numbers and old-style notes."""

import re

from .markup import escape_text
from .template_args import plain_arg, text_of, write


def short_footnote(cv, args, writer, name):  # {{sfn|Author|2000|p=5}}
    text = short_citation(args)
    cv.counts["refs"] += 1
    cv.counts["refs converted"] += 1
    write(writer, cv.references.cite(name="sfn " + text, text=escape_text(text) + "."))


def short_citation(args) -> str:
    authors = [plain_arg(v) for v in args.positional]
    year = authors.pop() if len(authors) > 1 and re.match(r"^\d{4}|n\.d\.", authors[-1]) else ""
    text = " & ".join(authors[:3]) + (f" {year}" if year else "")
    pages = args.raw("p", "page")
    many = args.raw("pp", "pages")
    if pages:
        text += f", p. {pages}"
    elif many:
        text += f", pp. {many}"
    return text


def harvard(cv, args, writer, name):
    write(writer, escape_text(short_citation(args)))


def explanatory_note(cv, args, writer, name):  # {{efn|text}}: a footnote
    cv.counts["refs"] += 1
    cv.counts["refs converted"] += 1
    text = text_of(cv, args, 1, "text")
    write(writer, cv.references.cite(name=args.raw("name"), group="note", text=text))


def tag_reference(cv, args, writer, name):  # {{#tag:ref|text|name=…|group=…}}
    cv.counts["refs"] += 1
    cv.counts["refs converted"] += 1
    text = text_of(cv, args, 1)
    mark = cv.references.cite(name=args.raw("name"), group=args.raw("group"), text=text or None)
    write(writer, mark)


def note_list(cv, args, writer, name):
    refs = args.code("refs")
    if refs is not None:
        cv.references.define_listed(refs)
    cv.references.mark_list(writer)


def page_reference(cv, args, writer, name):  # {{rp|12}}: the page cited, after a note
    write(writer, f"<sup>:{escape_text(args.raw(1))}</sup>" if args.raw(1) else "")


def old_footnote(cv, args, writer, name):  # {{ref|a}} and {{note|a}} of the old style
    label = escape_text(args.raw(1))
    write(writer, f"<sup>\\[{label}\\]</sup>" if name == "ref" else f"^{label} ")
