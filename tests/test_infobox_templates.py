"""Infobox types as templates: the shipped medical condition and drug boxes are template pages,
their checks, search and JSON-LD come from the templatedata, an administrator adds a new type
by writing a template, and every existing box renders as it did before (the baseline)."""

import json
import os
from concurrent.futures import ThreadPoolExecutor

from django.apps import apps as global_apps
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client

from wiki.composing import compose
from wiki.models import Article
from wiki.shipped_templates import shipped_sources
from wiki.transcluding import stored_template
from wiki.transclusion.models import Rerender, TemplateUse
from wiki.transclusion.rerendering import rerender_job
from wiki.transclusion.shipping import write_shipped_templates

from .helpers import json_ld
from .infobox_corpus import ANATOMY, BASELINE, HUMERUS, body_html, corpus, digest, stored_form


def post(client, title, text):
    """The edit form as a browser submits it: a new page, or the latest revision edited."""
    slug = title.replace(" ", "_")
    article = Article.objects.filter(title=title).first()
    data = {"title": title, "text": text, "summary": "Edit"}
    if article is not None:
        data["base_revision"] = article.latest_revision_id
    return client.post(f"/wiki/{slug}/edit", data)


def migrated(plan_names):
    """The post-migrate step of a `migrate` that applied these wiki migrations, as Django sends
    it (the suite's own migrate ran with WIKI_SHIP_TEMPLATES off)."""
    loader = MigrationLoader(connection)
    plan = [(loader.get_migration("wiki", name), False) for name in plan_names]
    emit_post_migrate_signal(0, False, "default", plan=plan, apps=global_apps)


def test_the_shipped_infobox_templates_are_pages_after_migrate(db, client, settings):
    settings.WIKI_SHIP_TEMPLATES = True
    shipped = shipped_sources()
    assert set(shipped) == {"Template:Infobox medical condition", "Template:Infobox drug"}
    assert not Article.objects.filter(title__in=shipped).exists()
    migrated(["0023_editor_mode", "0024_infobox_templates"])
    for title, source in shipped.items():
        page = Article.objects.get(title=title)
        assert page.source.strip() == source.strip() and page.latest_revision_id
        shown = client.get(page.get_absolute_url()).content.decode()
        assert "<code>icd10</code>" in shown or "<code>atc</code>" in shown  # its parameters
    # An administrator deletes one: a later migrate (not applying 0024) leaves it deleted.
    Article.objects.filter(title="Template:Infobox drug").delete()
    migrated(["0023_editor_mode"])
    assert not Article.objects.filter(title="Template:Infobox drug").exists()
    # And a migrate applying 0024 again writes only what is missing, nothing twice.
    migrated(["0024_infobox_templates"])
    assert Article.objects.filter(title__in=shipped).count() == 2
    # Without the pages, the shipped types answer: a box renders the same.
    Article.objects.filter(title__in=shipped).delete()
    box = "::: infobox drug\nATC code: N02BE01\n:::\n"
    without = body_html(compose(box, templates=stored_template))
    write_shipped_templates()
    assert body_html(compose(box, templates=stored_template)) == without


def test_every_demo_and_imported_text_renders_as_before(db, settings, tmp_path):
    """The demo's articles and help, every revision of the MediaWiki samples (as the importer
    converts them), generated articles of every construct and boxes of every field and
    problem: byte-identical bodies, infobox data and links, composed as the write path
    composes them now (types from the stored templates), against what the renderer before
    the speed-ups of issue 34 composed (the baseline; RENDER_BASELINE_WRITE=1 writes it)."""
    write_shipped_templates()
    # Generous: a loaded machine must not get a large sample refused as too complex (the
    # render budget is not this test's subject).
    settings.WIKI_RENDER_BUDGET_SECONDS = 60
    texts = corpus()
    if os.environ.get("RENDER_BASELINE_WRITE") == "1":  # with the reference renderer's tree
        BASELINE.write_text(json.dumps(_digests(texts), indent=0, sort_keys=True) + "\n")
    baseline = json.loads(BASELINE.read_text())
    assert set(texts) == set(baseline) and len(texts) > 500
    # The stored templates' text, read here; rendered in a thread of its own, whose renderer
    # (thread-local) no earlier test has used: in long runs one or two large samples were
    # seen to differ in this worker's thread, never alone.
    names = ("Infobox medical condition", "Infobox drug")
    stored = {name: stored_template(name) for name in names}
    assert all(stored.values())
    with ThreadPoolExecutor(1) as pool:
        changed, typed = pool.submit(_render_all, texts, baseline, stored.get, tmp_path).result()
    assert changed == [], f"the bodies rendered now are in {tmp_path}"

    assert typed >= 3  # the shipped templates were really read


def _render_all(texts, baseline, lookup, kept) -> tuple[list[str], int]:
    changed, typed = [], 0
    for key, source in texts.items():
        composition = compose(source, templates=lookup)
        typed += "Template:Infobox drug" in composition.templates
        if digest(stored_form(composition)) != baseline[key]:
            changed.append(key)
            (kept / f"{len(changed)}.html").write_text(f"{key}\n{stored_form(composition)}")
    return changed, typed


def _digests(texts) -> dict[str, str]:
    names = ("Infobox medical condition", "Infobox drug")
    stored = {name: stored_template(name) for name in names}

    def each():
        return {k: digest(stored_form(compose(s, templates=stored.get))) for k, s in texts.items()}

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(each).result()


def test_a_bad_icd10_code_is_a_form_error_naming_the_parameter(editor_client, make_article):
    article = make_article(title="Migraine", source="Migraine is a headache disorder.\n")
    box = "::: infobox medical condition\nICD-10: G4\n:::\nMigraine is a headache disorder.\n"
    response = post(editor_client, "Migraine", box)
    assert response.status_code == 400
    assert "“G4” is not a valid ICD-10 (like G43.1 or A00–B99)." in response.content.decode()
    # The template call (of the shipped page) is the same box, checked the same way.
    write_shipped_templates()
    call = "{{Infobox medical condition|icd10=G4}}\nMigraine is a headache disorder.\n"
    response = post(editor_client, "Migraine", call)
    assert "“G4” is not a valid ICD-10" in response.content.decode()
    article.refresh_from_db()
    assert article.infobox == {}  # nothing saved


def test_an_administrator_adds_an_anatomy_box_by_writing_a_template(admin_client_):
    client = admin_client_
    # A type the checks do not know is refused, naming the parameter.
    response = post(client, "Template:Infobox anatomy", ANATOMY.replace('"url"', '"link"'))
    assert response.status_code == 400
    assert "The parameter “atlas” has the type “link”" in response.content.decode()
    assert post(client, "Template:Infobox anatomy", ANATOMY).status_code == 302
    own = client.get("/wiki/Template:Infobox_anatomy").content.decode()
    assert "<caption>Anatomy</caption>" in own and "not an infobox type" not in own
    # Its values are checked as its parameters' types say.
    wrong = HUMERUS.replace("13303", "thirteen").replace("https://", "ftp://")
    shown = post(client, "Humerus", wrong).content.decode()
    assert "“thirteen” is not a valid FMA ID (a number" in shown
    assert "“ftp://atlas.example.org/humerus” is not a valid Atlas page" in shown
    assert post(client, "Humerus", HUMERUS).status_code == 302
    humerus = Article.objects.get(title="Humerus")
    assert humerus.infobox["type"] == "anatomy"
    assert humerus.infobox["fields"]["artery"].startswith("Posterior circumflex")
    reader = Client()
    page = reader.get("/wiki/Humerus").content.decode()
    assert '<table class="infobox"><caption>Humerus</caption>' in page
    assert '<th scope="row">FMA ID</th>\n<td>13303</td>' in page
    about = json_ld(page)["about"]
    assert about["@type"] == "AnatomicalStructure" and about["name"] == "Humerus"
    assert about["alternateName"] == ["os humeri"]
    assert about["arterialSupply"][0] == {
        "@type": "Artery",
        "name": "Posterior circumflex humeral artery",
    }
    assert about["nerveSupply"] == [{"@type": "Nerve", "name": "Axillary nerve"}]
    # Its values are searched (a word only the box holds).
    found = reader.get("/search", {"q": "circumflex"}).content.decode()
    assert 'href="/wiki/Humerus"' in found
    # The editor's Infobox menu offers the new type with its fields.
    editor_page = client.get("/wiki/Humerus/edit").content.decode()
    assert "anatomy&quot;: [&quot;Name&quot;, &quot;Latin&quot;" in editor_page
    # The call writes the same box as the block.
    call = (
        "{{Infobox anatomy|name=Humerus|latin=os humeri|system=Skeletal system"
        "|artery=Posterior circumflex humeral artery, anterior circumflex humeral artery"
        "|nerve=Axillary nerve|fma=13303|atlas=https://atlas.example.org/humerus}}\n"
        "The **humerus** is the long bone of the upper arm.\n"
    )
    assert body_html(compose(call, templates=stored_template)) == body_html(
        compose(HUMERUS, templates=stored_template)
    )


def test_a_box_is_a_use_of_its_template_and_follows_its_changes(
    admin_client_, django_capture_on_commit_callbacks, settings
):
    client = admin_client_
    write_shipped_templates()
    box = "::: infobox drug\nName: Paracetamol\nATC code: N02BE01\n:::\nA painkiller.\n"
    assert post(client, "Paracetamol", box).status_code == 302
    template = Article.objects.get(title="Template:Infobox drug")
    assert TemplateUse.objects.filter(template_slug=template.slug).exists()
    assert "Paracetamol" in client.get(f"/wiki/{template.slug}/uses").content.decode()
    relabelled = template.source.replace('"label": "ATC code"', '"label": "ATC"')
    with django_capture_on_commit_callbacks(execute=False):
        assert post(client, template.title, relabelled).status_code == 302
    rerender_job(Rerender.objects.filter(template_slug=template.slug).first().pk)
    page = Client().get("/wiki/Paracetamol").content.decode()
    assert '<th scope="row">ATC</th>' in page and "ATC code" not in page
