"""Form fields for text people type: where a textarea's text enters the system.

Browsers submit a textarea's lines with CRLF endings (the HTML standard says so); every
parser past the form (sections, infoboxes, galleries, citations, tables) knows LF only. The
fields here hand the rest of the system LF and nothing else, and keep the text as typed
otherwise (no stripping: a section's trailing blank line is part of what the editor sent).
"""

from django import forms

from .sources import normalize_newlines


class MarkdownField(forms.CharField):
    """A Markdown source as an editor typed it, with LF line endings."""

    def __init__(self, *, strip: bool = False, **kwargs):
        super().__init__(strip=strip, **kwargs)

    def to_python(self, value):
        return normalize_newlines(super().to_python(value))
