"""What a browser submits from a form on a page: for tests that post a form back unchanged
(or with one field changed) the way a person's browser would, CRLF line endings included."""

from lxml import html as lxml_html


def form_as_submitted(page: str, *, form: str = "//form[@method='post'][.//textarea]") -> dict:
    """The fields a browser sends when the form is submitted as rendered: named inputs
    (checked boxes and radios only), each textarea with the newline after its start tag
    dropped and its line endings made CRLF (the HTML standard's form-data rules), and each
    select's selected options (the first option when none is). `form` is an XPath; by
    default the first posted form with a text box (the page's header has others)."""
    [form] = lxml_html.fromstring(page).xpath(form)[:1]
    data: dict[str, list[str]] = {}

    def add(name, value):
        data.setdefault(name, []).append(value)

    for field in form.xpath(".//input[@name]|.//textarea[@name]|.//select[@name]"):
        if field.get("disabled") is not None:
            continue
        name = field.get("name")
        if field.tag == "textarea":
            text = field.text or ""
            if text.startswith("\n"):  # the newline after <textarea> is not part of the value
                text = text[1:]
            add(name, text.replace("\r\n", "\n").replace("\n", "\r\n"))
        elif field.tag == "select":
            options = field.xpath(".//option")
            chosen = [o for o in options if o.get("selected") is not None]
            if not chosen and options and field.get("multiple") is None:
                chosen = options[:1]
            for option in chosen:
                add(name, option.get("value", option.text_content()))
        else:
            kind = (field.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and field.get("checked") is None:
                continue
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            add(name, field.get("value", "on" if kind in ("checkbox", "radio") else ""))
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}
