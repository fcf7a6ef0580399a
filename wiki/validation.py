"""What an editor's text must get right before it is saved: the citations and the infobox.

The edit form and the admin show these problems as form errors and save nothing; text that
reaches the renderer another way (an import, the API) shows each problem, marked, where it is.
"""

from .citations import citation_problems
from .infoboxes import infobox_problems


def source_problems(source: str) -> list[str]:
    return citation_problems(source) + infobox_problems(source)
