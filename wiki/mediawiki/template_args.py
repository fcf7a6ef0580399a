"""A template's parameters, read the way the template handlers need them."""

import html

from mwparserfromhell import nodes as wn


class Args:
    """A template's parameters: positional (1, 2, …) and named (lowercased names)."""

    def __init__(self, node: wn.Template):
        self.positional: list = []
        self.named: dict = {}
        self.order: list[tuple[str, object]] = []
        for param in node.params:
            name = " ".join(str(param.name).split())
            if param.showkey:
                self.named[name.lower()] = param.value
                self.order.append((name, param.value))
            else:
                self.positional.append(param.value)
                self.order.append(("", param.value))
        for n, value in enumerate(self.positional, start=1):
            self.named.setdefault(str(n), value)

    def code(self, *names):
        for name in names:
            value = self.named.get(str(name).lower())
            if value is not None and str(value).strip():
                return value
        return None

    def raw(self, *names) -> str:
        """The plain text of the first parameter given (markup stripped)."""
        value = self.code(*names)
        return plain(value) if value is not None else ""


def plain(code) -> str:
    """A parameter's plain text: markup stripped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(code.strip_code(keep_template_params=False)).split())


def plain_arg(value) -> str:
    return plain(value)


def text_of(cv, args, *names) -> str:
    """The first of the named parameters given, converted to one line of Markdown."""
    code = args.code(*names)
    return cv.flat(code).replace("\n    ", " ") if code is not None else ""


def write(writer, text: str) -> None:
    writer.write(text)
