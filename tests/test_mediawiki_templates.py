"""A MediaWiki dump that brings its own templates: they become our templates, and a page's
calls of them stay calls that our template language expands (issue 29, item 7).

The dump is written here (`tests/mediawiki_dumps.py`); the page comes before the templates it
uses in the file, as dumps ordered by page id often have it."""

import io

import pytest
from django.core.management import call_command

from tests.mediawiki_dumps import Page, Rev, dump
from wiki.models import Article
from wiki.services import ArticleEdit, article_save
from wiki.transcluding import expand
from wiki.transclusion.models import Rerender
from wiki.transclusion.services import pages_using, rerender_batch

ABOUT = """<noinclude>{{Documentation}}
This line documents the template and is never transcluded.</noinclude><includeonly>''This \
article is about {{{1|the drug}}}. For {{{2|other uses}}}, see [[{{{3|Warfarin (disambiguation)}}}]].''\
</includeonly><noinclude>
<templatedata>{"description": {"en": "A note above the lead."},
 "params": {"1": {"label": {"en": "Subject"}, "required": true},
            "2": {"label": "Other use"}, "3": {"label": "Other page"}}}</templatedata>
[[Category:Hatnote templates]]</noinclude>"""

NAVBOX = """{| class="navbox"
! {{#switch:{{{group|}}}|drug=Drug classes|disease=Diseases|#default=Medicine}}
|-
| {{{list|}}}{{#if:{{{below|}}}|<br />{{{below}}}|}}
|}<noinclude>Shows a box of links.</noinclude>"""

ANTICOAGULANTS = """{{navbox|group=drug|list=[[Warfarin]] · [[Heparin]] · [[Apixaban|apixaban]]\
|below={{{note|Oral and injected}}}}}"""

DOSE = """'''Dose:''' {{{1}}} mg, {{#expr: {{{1}}} * 2}} mg twice; page {{PAGENAME}}."""

WARFARIN = """{{about|the anticoagulant|the rat poison|Warfarin (pesticide)}}
'''Warfarin''' is an anticoagulant.<ref>{{cite web|title=Warfarin label|url=http://example.org/w}}</ref>

== Dosing ==
{{Dose calc|5}}

{{Unknown box|colour=red}}

== References ==
<references />

{{Anticoagulants}}
"""


def _rev(rid: int, text: str, when="2019-05-01T10:00:00Z") -> Rev:
    return Rev(rid, when, text, user="Mara Lind", comment="page")


def _dump(about=ABOUT, about_id=21) -> str:
    return dump(
        [
            Page("Warfarin", [_rev(11, WARFARIN)], id=1),
            Page("Template:About", [_rev(about_id, about)], ns=10, id=2),
            Page("Template:Navbox", [_rev(31, NAVBOX)], ns=10, id=3),
            Page("Template:Anticoagulants", [_rev(41, ANTICOAGULANTS)], ns=10, id=4),
            Page("Template:Dose calc", [_rev(51, DOSE)], ns=10, id=5),
            Page("Template:Navbox drugs", [_rev(61, "#REDIRECT [[Template:Navbox]]")], ns=10, id=6),
        ]
    )


def _import(tmp_path, text: str, name="dump.xml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_mediawiki", str(path), "--report", "--jobs", "0", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def imported(tmp_path, db):
    return _import(tmp_path, _dump())


def test_a_dumps_templates_become_ours_with_parameters_conditionals_and_their_docs(imported):
    about = Article.objects.get(title="Template:About")
    assert "{{{1|the drug}}}" in about.source
    assert "[[{{{3|Warfarin (disambiguation)}}}]]" in about.source
    assert "documents the template" not in about.source  # <noinclude> is not the template
    assert "Hatnote templates" not in about.source
    assert "```templatedata" in about.source and '"label": "Subject"' in about.source
    navbox = Article.objects.get(title="Template:Navbox").source
    assert "{{#switch:{{{group|}}}|drug=Drug classes|disease=Diseases|#default=Medicine}}" in navbox
    assert "{{#if:{{{below|}}}|" in navbox
    assert "{{Navbox|group=drug|" in Article.objects.get(title="Template:Anticoagulants").source
    # Templates stay out of the article count and of the readers' skipped-namespace list.
    assert "Template" not in imported.split("Skipped pages of other namespaces:")[1].split("\n")[0]


def test_a_pages_calls_of_the_dumps_templates_render_through_them(imported, client):
    warfarin = Article.objects.get(title="Warfarin")
    assert warfarin.source.startswith("{{About|the anticoagulant|the rat poison|")
    assert "{{Anticoagulants}}" in warfarin.source
    page = client.get("/wiki/Warfarin").content.decode()
    # The hatnote template, expanded with the page's values.
    assert "This article is about the anticoagulant. For the rat poison, see" in page
    assert 'href="/wiki/Warfarin_(pesticide)/edit"' in page  # not an article here (yet)
    # A template using another, whose #switch picks the drug case and #if shows the note.
    assert "Drug classes" in page and "Oral and injected" in page
    assert "<th>Drug classes</th>" in page and ">Heparin</a>" in page
    assert "{{About" not in page and "{{Anticoagulants" not in page and "{{Navbox" not in page
    # The pages using each template are known: changing one re-renders them.
    assert warfarin.pk in pages_using("Template:Navbox")  # through Anticoagulants


def test_what_cannot_be_mapped_is_kept_visibly_and_reported_by_name(imported, client):
    assert "Template:Dose calc: parser function: #expr ×1, parser function: PAGENAME ×1" in (
        imported
    )
    dose = Article.objects.get(title="Template:Dose calc").source
    assert "`{{#expr: {{{1}}} * 2}}`" in dose
    page = client.get("/wiki/Warfarin").content.decode()
    assert "5 mg" in page and "#expr" in page
    # A template the dump lacks: mapped as before (a citation) or kept visibly, and reported.
    assert "Warfarin label" in page
    assert 'title="Template:Unknown box"' in page
    assert "Warfarin: template: Unknown box ×1" in imported
    assert "Templates: 5 imported from the dump; 4 of 6 calls rendered through them" in imported


def test_a_newer_dump_of_a_template_re_renders_the_pages_using_it(imported, tmp_path, client):
    changed = ABOUT.replace("This article is about", "This page covers")
    assert changed != ABOUT
    newer = dump([Page("Template:About", [_rev(22, changed, "2020-01-01T00:00:00Z")], ns=10, id=2)])
    _import(tmp_path, newer, name="newer.xml")
    run = Rerender.objects.get(template_slug="Template:About")  # queued (a worker's job)
    assert Rerender.objects.count() == 1  # the first import queued none: its pages were new
    while rerender_batch(run.pk):
        pass
    page = client.get("/wiki/Warfarin").content.decode()
    assert "This page covers the anticoagulant" in page


def test_a_piped_wiki_link_in_a_calls_value_is_one_value():
    """`{{Main|[[Aspirin|ASA]]}}`: the pipe is the link's, as MediaWiki reads it."""
    body = "See {{{1}}} ({{{2|none}}}); {{#if:{{{1|}}}|[[Heparin|{{{1}}}]]|no}}"
    expanded = expand("{{Main|[[Aspirin|ASA]]}}", lambda name: body).text
    assert expanded == "See [[Aspirin|ASA]] (none); [[Heparin|[[Aspirin|ASA]]]]"


def test_a_template_written_here_is_not_replaced_by_the_dumps(tmp_path, db, client):
    ours = "*See also {{{1}}}.*\n"
    article_save(
        article=Article(title="Template:About"), edit=ArticleEdit(text=ours, base_revision=None)
    )
    out = _import(tmp_path, _dump())
    assert "“Template:About” was written here and is not replaced" in out
    assert Article.objects.get(title="Template:About").source == ours
    warfarin = Article.objects.get(title="Warfarin")
    assert not warfarin.source.startswith("{{About")  # converted as a template the dump lacks
    page = client.get("/wiki/Warfarin").content.decode()
    assert "This article is about the anticoagulant. For the rat poison, see" in page
    assert "Templates: 4 imported from the dump" in out
