"""{% editor_words %}: the words of the edit page's scripts (static/js/toolbar.js, the visual
editor's static/editor/src/mount.js) in the page's language, as JSON in #editor-words. The scripts
look each English phrase up there and keep the English when it is missing; the article page's
scripts read theirs from data- attributes instead (its script budget, bench/README.md)."""

from django import template
from django.utils.html import format_html, json_script
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop, pgettext_lazy

register = template.Library()

# The English phrases as the scripts write them.
WORDS = [
    gettext_noop("plus-minus"),
    gettext_noop("greater than or equal"),
    gettext_noop("less than or equal"),
    gettext_noop("alpha"),
    gettext_noop("beta"),
    gettext_noop("gamma"),
    gettext_noop("delta"),
    gettext_noop("kappa"),
    gettext_noop("lambda"),
    gettext_noop("mu"),
    gettext_noop("pi"),
    gettext_noop("sigma"),
    gettext_noop("Section heading (##)"),
    gettext_noop("Subsection (###)"),
    gettext_noop("Sub-subsection (####)"),
    gettext_noop("Paragraph style"),
    gettext_noop("¶ Style"),
    gettext_noop("Bulleted list"),
    gettext_noop("• List"),
    gettext_noop("Numbered list"),
    gettext_noop("1. List"),
    gettext_noop("Edit table"),
    gettext_noop("▦ Rows"),
    gettext_noop("Add row below"),
    gettext_noop("Add column right"),
    gettext_noop("Remove row"),
    gettext_noop("Remove column"),
    gettext_noop("Insert a template"),
    gettext_noop("Cite a source"),
    gettext_noop("Special characters"),
    gettext_noop("Help with editing (opens in a new tab)"),
    gettext_noop("? Help"),
    gettext_noop("Put the cursor in a table first."),
    gettext_noop("The heading row stays: remove the table's text to remove it."),
    gettext_noop("A table keeps one column at least."),
    gettext_noop("This text has an infobox already: an article has one."),
    gettext_noop("The template form needs the editor's script."),
    gettext_noop("More tools"),
    gettext_noop("The reference [^{name}] has no entry in this text: edit it in Source."),
    gettext_noop(
        "The reference [^{name}] is free text, not a citation the form can show: edit it in Source."
    ),
    gettext_noop("Edit template: {name}"),
    gettext_noop("Type the start of its name, then choose it."),
    gettext_noop("Apply changes"),
    gettext_noop("Insert template"),
    gettext_noop("No such template."),
    gettext_noop("Choose a template first."),
    gettext_noop("Edit this template's values"),
    gettext_noop("Templates"),
    gettext_noop("Default: {value}"),
    gettext_noop("Gallery"),
    gettext_noop("Reference"),
    gettext_noop("Kept as typed"),
    gettext_noop("Infobox (kept as typed)"),
    gettext_noop("Article text (visual editor)"),
    gettext_noop("Kept as typed (switch to source to change it)"),
    gettext_noop("This template documents no parameters: the ones the call has are shown."),
    gettext_noop("Fill in the required fields: {names}."),
    gettext_noop("Fill in the required field: {names}."),
    gettext_noop("Template"),
    gettext_noop("A {kind} citation needs: {fields}."),
    gettext_noop("Publication type: {types}"),
    gettext_noop("Looking it up…"),
    gettext_noop("The look-up did not answer; type the reference's fields by hand."),
    gettext_noop("Filled in from the identifier: check the fields, then insert."),
    gettext_noop("Save reference"),
    gettext_noop("Edit reference"),
    gettext_noop(
        "Change what you need and save: only this reference's entry is written again; "
        "its marks in the text stay as they are."
    ),
    gettext_noop("Insert citation"),
    gettext_noop("Cite a source"),
    gettext_noop("Publication type: {types}."),
    gettext_noop("A {kind} reference; no publication type known."),
    gettext_noop("Older than {years} years"),
    gettext_noop("Primary study"),
    gettext_noop("No flag"),
    gettext_noop("Reading the references…"),
    gettext_noop("The sources could not be checked just now; try again later."),
    gettext_noop("This text has no references yet: the Cite button adds one."),
    gettext_noop("The image could not be uploaded."),
    gettext_noop("Image uploaded: it was placed at the cursor. Edit its caption in the text."),
    gettext_noop("Image uploaded: its Markdown was inserted at the cursor."),
    gettext_noop("Cancel"),
    gettext_noop("Article titles"),
    gettext_noop("Formatting"),
    gettext_noop("Write"),
    gettext_noop("Preview"),
    gettext_noop("More ▾"),
    gettext_noop("Editing mode"),
    gettext_noop("Edit as the page looks"),
    gettext_noop("Edit the Markdown source, with its preview"),
    gettext_noop("Edit the Markdown source"),
    gettext_noop("Translation of {part} (visual editor)"),
]
# Words that mean something else elsewhere on the site (English, its translation in context).
IN_CONTEXT = [
    ("Visual", pgettext_lazy("editor mode", "Visual")),
    ("Source", pgettext_lazy("editor mode", "Source")),
    ("Link", pgettext_lazy("editor toolbar", "Link")),
    ("Table", pgettext_lazy("editor toolbar", "Table")),
    ("Image", pgettext_lazy("editor toolbar", "Image")),
    ("Cite", pgettext_lazy("editor toolbar", "Cite")),
    ("Infobox", pgettext_lazy("editor toolbar", "Infobox")),
    ("Undo", pgettext_lazy("editor toolbar", "Undo")),
    ("Redo", pgettext_lazy("editor toolbar", "Redo")),
    ("Bold", pgettext_lazy("editor toolbar", "Bold")),
    ("Italic", pgettext_lazy("editor toolbar", "Italic")),
    ("Paragraph", pgettext_lazy("editor toolbar", "Paragraph")),
    ("times", pgettext_lazy("multiplication sign", "times")),
    ("Code", pgettext_lazy("visual editor: a block of code", "Code")),
    ("Show", pgettext_lazy("write or preview, on a phone", "Show")),
    ("arrow", pgettext_lazy("character name", "arrow")),
    ("micro", pgettext_lazy("character name", "micro")),
    ("degree", pgettext_lazy("character name", "degree")),
]


@register.simple_tag(takes_context=True)
def editor_words(context):
    """The JSON block, with the response's nonce (the content security policy allows no inline
    script without it, data included)."""
    words = {english: gettext(english) for english in WORDS}
    words |= {english: str(said) for english, said in IN_CONTEXT}
    block = json_script(
        {english: said for english, said in words.items() if said != english}, "editor-words"
    )
    nonce = getattr(context.get("request"), "csp_nonce", "")
    return mark_safe(block.replace("<script ", format_html('<script nonce="{}" ', nonce), 1))
