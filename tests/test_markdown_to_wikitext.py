"""Our Markdown written as MediaWiki wikitext, construct by construct (the XML export)."""

import pytest

from wiki.mediawiki.markdown_to_wikitext import escape_text, markdown_to_wikitext


def wikitext(source: str) -> str:
    return markdown_to_wikitext(source).strip()


def test_paragraphs_are_separated_by_a_blank_line_and_joined_lines_stay_one_paragraph():
    assert wikitext("First line\nof one paragraph.\n\nSecond paragraph.") == (
        "First line of one paragraph.\n\nSecond paragraph."
    )


@pytest.mark.parametrize(
    "source, expected",
    [
        ("## Causes", "== Causes =="),
        ("### Risk factors", "=== Risk factors ==="),
        ("#### In children", "==== In children ===="),
        ("## Dose *by weight*", "== Dose ''by weight'' =="),
    ],
)
def test_headings_keep_their_level(source, expected):
    assert wikitext(source) == expected


def test_bold_and_italic():
    assert wikitext("A **firm** and *gentle* and ***both*** touch.") == (
        "A '''firm''' and ''gentle'' and '''''both''''' touch."
    )


def test_apostrophes_next_to_emphasis_do_not_become_markup():
    # A lone apostrophe inside text is harmless; one touching markup, or doubled, is escaped.
    assert wikitext("The **doctor**'s note and 'single' quotes.") == (
        "The '''doctor'''&#39;s note and 'single' quotes."
    )


@pytest.mark.parametrize(
    "source, expected",
    [
        ("See [[Migraine]].", "See [[Migraine]]."),
        ("See [[migraine]].", "See [[migraine]]."),
        ("See [[Migraine|the headache]].", "See [[Migraine|the headache]]."),
        ("See [[Migraine#Treatment]].", "See [[Migraine#Treatment]]."),
        ("See [[Migraine#Treatment|its treatment]].", "See [[Migraine#Treatment|its treatment]]."),
        ("See [[What is pain?]].", "See [[What is pain?]]."),
    ],
)
def test_wiki_links(source, expected):
    assert wikitext(source) == expected


def test_external_links():
    assert wikitext("Read [the guide](https://example.org/guide?a=1).") == (
        "Read [https://example.org/guide?a=1 the guide]."
    )
    assert wikitext("Write to [us](mailto:desk@example.org).") == (
        "Write to [mailto:desk@example.org us]."
    )


def test_bullet_and_numbered_lists_nest():
    source = "- Rest\n- Fluids\n    - Water\n    - Broth\n- Sleep\n\n1. First\n2. Second\n"
    assert wikitext(source) == (
        "* Rest\n* Fluids\n** Water\n** Broth\n* Sleep\n\n# First\n# Second"
    )


def test_a_numbered_list_inside_a_bullet_list():
    assert wikitext("- Steps\n    1. Wash\n    2. Dry\n") == "* Steps\n*# Wash\n*# Dry"


def test_definition_lists():
    assert wikitext("Fever\n:   A raised temperature.\n") == "; Fever\n: A raised temperature."


def test_a_colon_in_a_term_does_not_end_it_but_one_in_a_link_stays():
    assert wikitext("Dose: adults\n:   One a day.\n") == "; Dose&#58; adults\n: One a day."
    assert wikitext("[[Gout: a history]]\n:   A book.\n") == "; [[Gout: a history]]\n: A book."


def test_tables_become_wikitables_with_headers_and_alignment():
    source = "| Drug | Dose |\n|:-----|-----:|\n| Aspirin | 75 mg |\n| Water | *plenty* |\n"
    assert wikitext(source) == (
        '{| class="wikitable"\n'
        "|-\n"
        '! style="text-align:left" | Drug\n'
        '! style="text-align:right" | Dose\n'
        "|-\n"
        '| style="text-align:left" | Aspirin\n'
        '| style="text-align:right" | 75 mg\n'
        "|-\n"
        '| style="text-align:left" | Water\n'
        "| style=\"text-align:right\" | ''plenty''\n"
        "|}"
    )


def test_a_pipe_inside_a_table_cell_stays_text():
    assert "| a &#124; b" in wikitext("| Head |\n|------|\n| a \\| b |\n")


def test_inline_code_and_code_blocks():
    assert wikitext("Type `a < b` here.") == "Type <code>a &lt; b</code> here."
    source = "```\nif a < b:\n    link = '[[x]]'\n```\n"
    assert wikitext(source) == "<pre>if a &lt; b:\n    link = '[[x]]'</pre>"


def test_footnotes_become_refs_with_a_references_list():
    source = (
        "Claim one.[^a] Claim two.[^b] Claim one again.[^a]\n\n[^a]: First *source*.\n[^b]: Second."
    )
    assert wikitext(source) == (
        "Claim one.<ref name=\"note1\">First ''source''.</ref> "
        'Claim two.<ref name="note2">Second.</ref> '
        'Claim one again.<ref name="note1" />'
        "\n\n<references />"
    )


def test_images():
    assert wikitext("![A chart of doses](/media/uploads/chart.png)") == (
        "[[File:chart.png|A chart of doses]]"
    )
    # A remote image is a link in our pages (readers' privacy), and stays one.
    assert wikitext("![Logo](https://example.org/logo.png)") == (
        "[https://example.org/logo.png &#91;Logo&#93;]"
    )


def test_quotes_rules_and_line_breaks():
    assert wikitext("> Quoted advice.") == "<blockquote>\nQuoted advice.\n</blockquote>"
    assert wikitext("Above\n\n---\n\nBelow") == "Above\n\n----\n\nBelow"
    assert wikitext("One  \nTwo") == "One<br /> Two"


def test_inline_html_that_mediawiki_accepts_is_kept():
    assert wikitext("H<sub>2</sub>O and x<sup>2</sup> and <kbd>Ctrl</kbd>") == (
        "H<sub>2</sub>O and x<sup>2</sup> and <kbd>Ctrl</kbd>"
    )


@pytest.mark.parametrize(
    "typed",
    ["{{template}}", "[[not a link", "__NOTOC__", "~~~~", "a | b", "<b>", "see http://x.org"],
)
def test_text_that_would_be_wikitext_markup_is_escaped(typed):
    escaped = escape_text(typed)
    for markup in ("{{", "[[", "__", "~~~", "|", "<", "://"):
        assert markup not in escaped


def test_a_paragraph_starting_with_a_list_or_heading_mark_stays_a_paragraph():
    assert wikitext("\\* not a list") == "&#42; not a list"
    assert wikitext("= not a heading =") == "&#61; not a heading ="
    assert wikitext("\\# not a numbered item").startswith("&#35;")


def test_an_empty_source_is_empty():
    assert markdown_to_wikitext("") == ""
