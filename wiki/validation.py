"""What an editor's text must get right before it is saved: the citations, the infobox and
its template calls.

The edit form and the admin show these problems as form errors and save nothing; text that
reaches the renderer another way (an import, the API) shows each problem, marked, where it is.
"""

from .citations import citation_problems
from .infoboxes import infobox_problems
from .transcluding import template_problems


def source_problems(source: str, *, title: str = "") -> list[str]:
    """The problems of `source` saved as the page `title` (a template's own calls checked
    with its new text)."""
    return citation_problems(source) + infobox_problems(source) + template_problems(source, title)
