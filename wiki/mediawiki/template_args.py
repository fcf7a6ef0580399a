"""A template's parameters, read the way the template handlers need them."""

import html

from mwparserfromhell import nodes as wn


class Args:
    """A template's parameters: positional (1, 2, …) and named (lowercased names)."""

    def __init__(self, node: wn.Template):
        self.positional: list = []
        self.named: dict = {}  # name -> value, for the values that are not blank
        self.order: list[tuple[str, object]] = []
        self.plain: dict[int, str] = {}
        given = {}
        for param in node.params:
            name = " ".join(str(param.name).split())
            if param.showkey:
                given[name.lower()] = param.value
                self.order.append((name, param.value))
            else:
                self.positional.append(param.value)
                self.order.append(("", param.value))
        for n, value in enumerate(self.positional, start=1):
            given.setdefault(str(n), value)
        self.named = {k: v for k, v in given.items() if str(v).strip()}

    def code(self, *names):
        """The first of the parameters named that is given and not blank, else None."""
        for name in names:
            value = self.named.get(name.lower() if isinstance(name, str) else str(name))
            if value is not None:
                return value
        return None

    def raw(self, *names) -> str:
        """The plain text of the first parameter given (markup stripped)."""
        value = self.code(*names)
        if value is None:
            return ""
        text = self.plain.get(id(value))
        if text is None:
            text = self.plain[id(value)] = plain(value)
        return text


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
