"""What an editor's text must get right before it is saved: the citations, the infobox and
its template calls.

The edit form and the admin show these problems as form errors and save nothing; text that
reaches the renderer another way (an import, the API) shows each problem, marked, where it is.
"""

from .box_templates import box_types
from .citations import citation_problems
from .infobox_types import resolving, type_problems
from .infoboxes import infobox_problems
from .titles import TEMPLATE_PREFIX
from .transcluding import expand, stored_template, template_data, template_problems


def source_problems(source: str, *, title: str = "") -> list[str]:
    """The problems of `source` saved as the page `title` (a template's own calls checked
    with its new text)."""
    return (
        citation_problems(source) + _box_problems(source, title) + template_problems(source, title)
    )


def _box_problems(source: str, title: str) -> list[str]:
    """An article's infobox, checked as its type's template has it, after its template calls
    are expanded (`{{Infobox drug|atc=…}}` is checked as the block it writes); a template's own
    page: its infobox type's definition."""
    if title.startswith(TEMPLATE_PREFIX):
        return type_problems(template_data(source)[0])
    with_calls = expand(source, stored_template).text if "{{" in source else source
    with resolving(box_types(stored_template)):
        return infobox_problems(with_calls)
