"""Templates: `Template:` pages with documented parameters, called as {{Name|p=v}} from pages,
expanded at save, checked on the edit form, their users re-rendered when they change."""

from django.core.cache import cache
from django.test import Client

from wiki.editorial.moves import article_move
from wiki.models import Article, Revision
from wiki.transclusion.models import Rerender, TemplateUse
from wiki.transclusion.rerendering import rerender_job
from wiki.transclusion.services import rerender_batch, start_rerender

from .conftest import save
from .helpers import HATNOTE, sitemap_text

NOTICE = """> **{{#if:{{{title|}}}|{{{title}}}|Notice}}**: {{#switch:{{{level|}}}
|high=Seek medical care now.
|low=Mention it at your next visit.
|#default=Ask a clinician.}} {{#ifeq:{{{child|}}}|yes|Children: see a paediatrician.|}}

```templatedata
{"params": {"title": {"label": "Title"}, "level": {"label": "Urgency", "type": "string"},
            "child": {"label": "About children", "type": "boolean"}}}
```
"""


def make_template(make_article, editor, name, body):
    return make_article(title=f"Template:{name}", source=body, user=editor)


def page_text(client, slug):
    return client.get(f"/wiki/{slug}").content.decode()


def post_edit(client, slug, text):
    """Submit the editor as a browser would, based on the page's latest revision."""
    base = Article.objects.get(slug=slug).latest_revision_id
    data = {"text": text, "summary": "Edit", "base_revision": base}
    return client.post(f"/wiki/{slug}/edit", data)


def test_a_template_documents_its_parameters_and_a_page_using_it_shows_it_expanded(
    client, make_article, editor
):
    make_template(make_article, editor, "Hatnote", HATNOTE)
    template_page = page_text(client, "Template:Hatnote")
    assert "A line at the top of an article" in template_page
    assert "<td>Page</td>" in template_page and "Asthma (disambiguation)" in template_page
    assert "What uses this template" in template_page

    make_article(title="Asthma", source="{{Hatnote|page=Asthma (disambiguation)}}\n\nA disease.\n")
    shown = page_text(client, "Asthma")
    assert "For other uses, see" in shown
    assert 'href="/wiki/Asthma_(disambiguation)/edit"' in shown  # a red link, rendered
    assert "{{Hatnote" not in shown
    article = Article.objects.get(title="Asthma")
    assert article.source.startswith("{{Hatnote|page=Asthma (disambiguation)}}")  # kept as typed
    assert list(TemplateUse.objects.filter(article=article).values_list("template_slug", flat=True))
    assert TemplateUse.objects.get(article=article).template_slug == "Template:Hatnote"


def test_conditionals_choose_the_text(client, make_article, editor):
    make_template(make_article, editor, "Notice", NOTICE)
    make_article(
        title="Chest pain",
        source="{{Notice|title=Warning|level=high|child=yes}}\n\nText.\n\n{{Notice}}\n",
    )
    shown = page_text(client, "Chest_pain")
    assert (
        "<strong>Warning</strong>: Seek medical care now. Children: see a paediatrician." in shown
    )
    assert "<strong>Notice</strong>: Ask a clinician." in shown


def test_the_edit_form_refuses_unknown_and_missing_parameters_and_unknown_templates(
    editor_client, make_article, editor
):
    make_template(make_article, editor, "Hatnote", HATNOTE)
    page = make_article(title="Asthma", source="A disease.\n")

    response = post_edit(editor_client, "Asthma", "{{Hatnote|pgae=Asthma (disambiguation)}}\n")
    errors = response.content.decode()
    assert response.status_code == 400
    assert "“Template:Hatnote” has no parameter “pgae”" in errors
    assert "“Template:Hatnote” needs the parameter “page”" in errors

    response = post_edit(editor_client, "Asthma", "{{Hatnoet|page=X}}\n\nA disease.\n")
    assert "There is no template “Template:Hatnoet”" in response.content.decode()
    page.refresh_from_db()
    assert page.source == "A disease.\n"  # nothing saved
    assert Revision.objects.filter(article=page).count() == 1

    response = post_edit(
        editor_client, "Asthma", "{{Hatnote|page=Asthma (disambiguation)}}\n\nA.\n"
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert "For other uses" in page.lead_html


def test_a_changed_template_re_renders_every_page_using_it_without_a_revision(
    editor_client, make_article, editor, settings, django_capture_on_commit_callbacks
):
    client = Client()  # an anonymous reader, whose pages are cached whole
    make_template(make_article, editor, "Hatnote", HATNOTE)
    make_template(make_article, editor, "Disambig", "{{Hatnote|page={{{1}}} (disambiguation)}}")
    direct = [
        make_article(title=f"Condition {i}", source="{{Hatnote|page=Other}}\n\nText.\n")
        for i in range(3)
    ]
    through = make_article(title="Asthma", source="{{Disambig|Asthma}}\n\nText.\n")
    for article in [*direct, through]:
        page_text(client, article.slug)  # cached for anonymous readers
        assert client.get(f"/wiki/{article.slug}")["X-Page-Cache"] == "hit"
    revisions = Revision.objects.count()

    template = Article.objects.get(title="Template:Hatnote")
    with django_capture_on_commit_callbacks(execute=False):  # the job waits in the queue
        response = post_edit(
            editor_client, "Template:Hatnote", HATNOTE.replace("For ", "About other pages: ")
        )
    assert response.status_code == 302
    run = Rerender.objects.filter(template_slug="Template:Hatnote").first()  # the latest
    assert "Re-rendering the pages that use this template is queued" in page_text(
        editor_client, template.slug
    )
    settings.WIKI_TEMPLATE_RERENDER_BATCH = 2
    rerender_job(run.pk)  # the worker's first batch
    run.refresh_from_db()
    # Three pages call it, Template:Disambig calls it and Asthma calls Template:Disambig.
    assert (run.done, run.total) == (2, 5)
    assert "Re-rendering 2 of 5 pages that use this template" in page_text(
        editor_client, template.slug
    )
    rerender_job(run.pk)  # the next batches (inline, each queues the next: not here)
    rerender_job(run.pk)
    run.refresh_from_db()
    assert run.finished and run.done == 5
    for article in [*direct, through]:
        response = client.get(f"/wiki/{article.slug}")
        assert response["X-Page-Cache"] == "miss"  # purged
        assert "About other pages: other uses, see" in response.content.decode()
    assert "Asthma_(disambiguation)" in page_text(client, through.slug)
    # The template's edit is its one new revision: the pages using it have none.
    assert Revision.objects.count() == revisions + 1
    for article in direct:
        assert article.revisions.count() == 1
    assert "were re-rendered: 5 of 5 pages" in page_text(editor_client, template.slug)


def test_re_rendering_runs_from_the_queue_after_the_template_is_saved(
    client, make_article, editor, settings, django_capture_on_commit_callbacks
):
    settings.WIKI_TASKS_INLINE = True
    settings.WIKI_TEMPLATE_RERENDER_BATCH = 1
    template = make_template(make_article, editor, "Hatnote", HATNOTE)
    for i in range(3):
        make_article(title=f"Condition {i}", source="{{Hatnote|page=Other}}\n\nText.\n")
    with django_capture_on_commit_callbacks(execute=True):
        save(template, editor, HATNOTE.replace("see", "read"))
    for i in range(3):
        assert "For other uses, read" in page_text(client, f"Condition_{i}")
    run = Rerender.objects.filter(template_slug=template.slug).first()
    assert run.finished and run.done == run.total == 3


def test_loops_and_depth_are_refused_with_a_message(editor_client, make_article, editor):
    make_template(make_article, editor, "Ping", "ping")
    make_template(make_article, editor, "Pong", "{{Ping}}")
    response = post_edit(editor_client, "Template:Ping", "{{Pong}}")  # Ping → Pong → Ping
    assert "Template loop: Template:Ping → Template:Pong → Template:Ping" in (
        response.content.decode()
    )
    for i in range(25):
        make_template(
            make_article, editor, f"Level {i}", f"{{{{Level {i + 1}}}}}" if i < 24 else "."
        )
    response = post_edit(editor_client, "Template:Ping", "{{Level 0}}")
    assert "Templates nested more than 20 deep" in response.content.decode()


def test_an_expansion_too_large_is_refused(editor_client, make_article, editor):
    make_template(make_article, editor, "Ten", "{{{1}}}" * 10)
    nested = "x" * 100
    for _ in range(6):
        nested = f"{{{{Ten|{nested}}}}}"
    make_article(title="Big", source="Small.\n")
    response = post_edit(editor_client, "Big", f"{nested}\n")
    assert "the expanded text would be longer than 500,000 characters" in (
        response.content.decode()
    )


def test_an_old_revision_shows_the_templates_as_they_were_and_the_diff_is_unchanged(
    editor_client, make_article, editor
):
    template = make_template(make_article, editor, "Hatnote", HATNOTE)
    page = make_article(title="Asthma", source="{{Hatnote|page=Other}}\n\nFirst.\n")
    first = page.latest_revision_id
    save(page, editor, "{{Hatnote|page=Other}}\n\nSecond.\n")
    diff_before = editor_client.get(f"/wiki/Asthma/diff?from={first}&to={page.latest_revision_id}")
    save(template, editor, HATNOTE.replace("For ", "Not to be confused: "))
    rerender_batch(start_rerender(template.slug).pk)
    page.refresh_from_db()
    assert "Not to be confused" in page.lead_html
    old = editor_client.get(f"/wiki/Asthma/revision/{first}").content.decode()
    assert "For other uses, see" in old and "Not to be confused" not in old
    assert "Templates are shown as they were when this revision was saved" in old
    diff_after = editor_client.get(f"/wiki/Asthma/diff?from={first}&to={page.latest_revision_id}")
    assert diff_after.context["diff"] == diff_before.context["diff"]
    assert "Not to be confused" not in diff_after.content.decode()


def test_what_uses_this_template_lists_the_pages_calling_it(client, make_article, editor):
    make_template(make_article, editor, "Hatnote", HATNOTE)
    make_template(make_article, editor, "Disambig", "{{Hatnote|page={{{1}}} (disambiguation)}}")
    make_article(title="Asthma", source="{{Hatnote|page=X}}\n\nA.\n")
    make_article(title="Gout", source="{{Disambig|Gout}}\n\nA.\n")
    make_article(title="Plain", source="No template.\n")
    listed = page_text(client, "Template:Hatnote/uses")
    assert ">Asthma</a>" in listed and ">Template:Disambig</a>" in listed
    assert ">Plain</a>" not in listed and ">Gout</a>" not in listed
    assert "3 pages use it in all" in listed  # Gout through Template:Disambig
    assert client.get("/wiki/Asthma/uses").status_code == 404


def test_templates_are_kept_out_of_the_index_search_random_and_sitemap(
    client, make_article, editor
):
    make_template(make_article, editor, "Hatnote", HATNOTE)
    make_article(title="Hypertension", source="High blood pressure; other uses.\n")
    assert "Template:" not in client.get("/").content.decode()
    index = client.get("/index/H").content.decode() + client.get("/index/T").content.decode()
    assert "Template:Hatnote" not in index
    sitemap = sitemap_text(client)
    assert "Hypertension" in sitemap and "Template" not in sitemap
    results = client.get("/search", {"q": "other uses", "fulltext": "1"}).content.decode()
    assert "Hypertension" in results and "Template:Hatnote" not in results
    for _ in range(10):
        assert "Template" not in client.get("/random")["Location"]
    assert client.get("/wiki/Template:Hatnote").status_code == 200  # reached by its URL


def test_code_is_never_expanded_and_a_call_in_a_code_span_stays_as_typed(
    client, make_article, editor
):
    make_template(make_article, editor, "Hatnote", HATNOTE)
    make_article(title="Help page", source="Write `{{Hatnote|page=X}}` at the top.\n")
    assert "<code>{{Hatnote|page=X}}</code>" in page_text(client, "Help_page")
    cache.clear()


def test_the_live_preview_shows_the_template_expanded(editor_client, make_article, editor):
    make_template(make_article, editor, "Hatnote", HATNOTE)
    preview = editor_client.post("/markdownx/markdownify/", {"content": "{{Hatnote|page=Gout}}"})
    assert "For other uses, see" in preview.content.decode()


def test_a_moved_template_keeps_working_through_its_redirect(client, make_article, editor):
    template = make_template(make_article, editor, "Hatnote", HATNOTE)
    article_move(article=template, new_title="Template:About", user=editor, reason="Clearer")
    make_article(title="Asthma", source="{{Hatnote|page=Other}}\n\n{{About|page=Else}}\n")
    shown = page_text(client, "Asthma")
    body = shown[shown.index("<article") : shown.index("</article>")]
    assert body.count("For other uses, see") == 2 and "{{" not in body


def test_a_moved_templates_users_by_its_old_name_are_listed_and_re_rendered(
    client, make_article, editor
):
    template = make_template(make_article, editor, "Hatnote", HATNOTE)
    make_article(title="Asthma", source="{{Hatnote|page=Other}}\n\nA.\n")
    article_move(article=template, new_title="Template:About", user=editor, reason="Clearer")
    make_article(title="Gout", source="{{About|page=Else}}\n\nB.\n")
    listed = page_text(client, "Template:About/uses")
    assert ">Asthma</a>" in listed and ">Gout</a>" in listed  # the old name's caller too
    save(Article.objects.get(title="Template:About"), editor, HATNOTE.replace("see", "read"))
    rerender_batch(start_rerender("Template:About").pk)
    assert "For other uses, read" in page_text(client, "Asthma")
