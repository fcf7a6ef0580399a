"""Templates that stand as a line or block of their own: hatnotes (main article, see
also, about) and quotations."""

import re

from .file_links import FILE_NAMESPACES
from .markup import escape_text
from .template_args import plain_arg, text_of


def hatnote(lead: str, *, joiner: str = " and "):
    def render(cv, args, writer, name):
        targets = [plain_arg(v) for v in args.positional if plain_arg(v)]
        if not targets:
            return False
        linked = joiner.join(f"[[{escape_title(t)}]]" for t in targets[:6])
        writer.newline()
        writer.write(f"\n<i>{lead} {linked}</i>\n\n")

    return render


def escape_title(title: str) -> str:
    """A hatnote's target as a link's: a category or a file linked with a leading ":", as
    MediaWiki's hatnotes link them (bare, `[[Category:X]]` would file the page there)."""
    title = re.sub(r"[\[\]|{}<>]", "", title).strip()
    namespace, colon, _ = title.partition(":")
    if colon and namespace.strip().lower() in {"category", *FILE_NAMESPACES}:
        return ":" + title
    return title


def about(cv, args, writer, name):  # {{about|A|B|C}}: "This article is about A. For B, see C."
    values = [plain_arg(v) for v in args.positional]
    sentence = f"This article is about {escape_text(values[0])}." if values and values[0] else ""
    pairs = values[1:]
    for use, target in zip(pairs[::2], pairs[1::2], strict=False):
        if target:
            sentence += f" For {escape_text(use or 'other uses')}, see [[{escape_title(target)}]]."
    writer.newline()
    writer.write(f"\n<i>{sentence.strip() or 'See also the other uses of this name.'}</i>\n\n")


def hatnote_text(cv, args, writer, name):  # {{hatnote|free text}}
    text = text_of(cv, args, 1, "text")
    if not text:
        return False
    writer.newline()
    writer.write(f"\n<i>{text}</i>\n\n")


def quote(cv, args, writer, name):
    code = args.code(1, "text", "quote")
    if code is None:
        return False
    people = (text_of(cv, args, 2, "author", "sign"), text_of(cv, args, 3, "source"))
    cv.quotation(code, writer, source=", ".join(x for x in people if x))
