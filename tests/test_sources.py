"""The whole-article source splits into sections and joins back to one canonical form."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wiki.sources import (
    SourceSection,
    join_source,
    normalize_source,
    replace_section,
    section_text,
    split_source,
    trim_part,
)

line = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\r\n#`~\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
    ),
    max_size=40,
)
text = st.lists(line, max_size=6).map(lambda lines: "".join(f"{x}\n" for x in lines))
body = text.map(trim_part)  # parts as stored: no separating blank lines at their end
heading = (
    st.text(
        alphabet=st.characters(whitelist_categories=("L", "N"), whitelist_characters=" -'()"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
section = st.builds(SourceSection, heading=heading, level=st.integers(1, 6), body=body)


@given(lead=body, sections=st.lists(section, max_size=8))
def test_sections_join_and_split_back_to_the_same_parts(lead, sections):
    source = join_source(lead, sections)
    assert split_source(source) == (lead, sections)
    assert join_source(*split_source(source)) == source


@given(lead=text, sections=st.lists(st.tuples(heading, st.integers(1, 6), text), max_size=8))
def test_any_source_splits_into_a_canonical_form_that_is_stable(lead, sections):
    source = lead + "".join("#" * lvl + " " + h + "\n" + b for h, lvl, b in sections)
    canonical = normalize_source(source)
    assert normalize_source(canonical) == canonical
    assert split_source(canonical) == split_source(source)


def test_blank_lines_between_sections_belong_to_neither_section():
    source = "Lead\n\n\n## A\n\nalpha\n\n\n\n## B\nbeta\n\n"
    lead, sections = split_source(source)
    assert lead == "Lead\n" and [s.body for s in sections] == ["\nalpha\n", "beta\n"]
    assert normalize_source(source) == "Lead\n\n## A\n\nalpha\n\n## B\nbeta\n"


def test_editing_a_section_leaves_the_text_of_its_neighbours_as_it_was():
    source = "Lead\n\n## A\n\nalpha\n\n## B\n\nbeta\n\n## C\n\ngamma\n"
    for typed in ("## B\n\nBETA", "## B\n\nBETA\n", "## B\n\nBETA\n\n\n"):
        new = replace_section(source, 2, typed)
        assert split_source(new)[1][0] == split_source(source)[1][0]
        assert split_source(new)[1][2] == split_source(source)[1][2]
        assert new == "Lead\n\n## A\n\nalpha\n\n## B\n\nBETA\n\n## C\n\ngamma\n"


def test_lead_then_headed_sections():
    lead, sections = split_source("Intro.\n\n## Symptoms\n\nAche.\n\n### Early\nMild.\n")
    assert lead == "Intro.\n"
    assert [(s.level, s.heading) for s in sections] == [(2, "Symptoms"), (3, "Early")]
    assert sections[0].body == "\nAche.\n"


def test_headings_inside_fenced_code_are_not_sections():
    source = "Lead\n\n```\n## not a heading\n```\n\n## Real\nText\n"
    lead, sections = split_source(source)
    assert "## not a heading" in lead
    assert [s.heading for s in sections] == ["Real"]


def test_windows_newlines_are_normalized():
    assert split_source("Lead\r\n## A\r\nx\r\n") == ("Lead\n", [SourceSection("A", 2, "x\n")])


def test_replacing_a_section_keeps_the_others():
    source = "Lead\n## A\nalpha\n## B\nbeta\n"
    assert replace_section(source, 2, "## B\nBETA\n") == "Lead\n\n## A\nalpha\n\n## B\nBETA\n"
    assert replace_section(source, 0, "New lead\n") == "New lead\n\n## A\nalpha\n\n## B\nbeta\n"


def test_a_heading_typed_into_a_section_splits_it():
    source = "Lead\n## A\nalpha\n## B\nbeta\n"
    new = replace_section(source, 1, "## A\nalpha\n## A2\nmore\n")
    assert [s.heading for s in split_source(new)[1]] == ["A", "A2", "B"]


def test_section_numbers_start_at_the_lead():
    source = "Lead\n## A\nalpha\n"
    assert section_text(source, 0) == "Lead\n"
    assert section_text(source, 1) == "## A\nalpha\n"
    with pytest.raises(IndexError):
        section_text(source, 2)
