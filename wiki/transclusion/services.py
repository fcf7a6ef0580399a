"""The users of templates, recorded at each save, and their re-rendering after a change."""

import functools

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..infoboxes import box_template_titles
from ..models import Article
from ..services import article_rerender
from ..tasks import job_enqueue, job_enqueue_on_commit
from ..titles import is_template_title, title_to_slug
from ..transcluding import stored_template, template_calls
from .models import Rerender, TemplateUse

RERENDER_JOB = "wiki.transclusion.rerendering.rerender_job"


def record_uses(article: Article) -> None:
    """The template rows of the article as its current text calls them (an infobox block is a
    use of its type's template)."""
    had_sections = article.holds_sections()
    calls = template_calls(article.source) | box_template_titles(article.source)
    calls.discard(article.title)  # an infobox template's own box is not a use of itself
    wanted = {title_to_slug(t) for t in calls}
    if not had_sections:  # the saver's instance stays as it was (it may read them later)
        article.forget_sections()
    have = set(article.template_uses.values_list("template_slug", flat=True))
    if have - wanted:
        article.template_uses.filter(template_slug__in=have - wanted).delete()
    TemplateUse.objects.bulk_create(
        [TemplateUse(article=article, template_slug=s) for s in sorted(wanted - have)]
    )


def _names(template_slugs: list[str]) -> list[str]:
    """The templates' slugs and those of the redirects left by moving them: a page calling
    a moved template by its old name uses it through that redirect."""
    moved_from = Article.objects.filter(redirect_to__slug__in=template_slugs)
    return [*template_slugs, *moved_from.values_list("slug", flat=True)]


def pages_using(template_slug: str) -> list[int]:
    """The ids of the pages using the template, directly, by an old name (a redirect) or
    through other templates (each once, a template's users before the users of the templates
    using it); linear in the number of use rows followed."""
    found: dict[int, None] = {}
    seen, todo = {template_slug}, [template_slug]
    while todo:
        todo = _names(todo)
        seen.update(todo)
        rows = TemplateUse.objects.filter(template_slug__in=todo)
        todo = []
        for article_id, slug in rows.values_list("article_id", "article__slug").order_by("pk"):
            found.setdefault(article_id)
            if is_template_title(slug.replace("_", " ")) and slug not in seen:
                seen.add(slug)
                todo.append(slug)
    return list(found)


def direct_users(template_slug: str):
    """The pages calling the template by name (or by an old name it was moved from), by title."""
    ids = TemplateUse.objects.filter(template_slug__in=_names([template_slug])).values("article_id")
    return Article.objects.filter(pk__in=ids).order_by("title", "pk")


def start_rerender(template_slug: str) -> Rerender:
    """Queue the re-rendering of every page using the template (after this transaction)."""
    run = Rerender.objects.create(template_slug=template_slug)
    job_enqueue_on_commit(RERENDER_JOB, run.pk)
    return run


def rerender_batch(run_id: int) -> bool:
    """Re-render the next WIKI_TEMPLATE_RERENDER_BATCH pages of the run; True when more are
    left. The first batch lists the pages (as they are when the job runs)."""
    run = Rerender.objects.filter(pk=run_id).first()
    if run is None or run.finished:
        return False
    if run.total == 0 and not run.article_ids:
        run.article_ids = pages_using(run.template_slug)
        run.total = len(run.article_ids)
        run.save(update_fields=["article_ids", "total"])
    batch = run.article_ids[run.done : run.done + settings.WIKI_TEMPLATE_RERENDER_BATCH]
    templates = functools.cache(stored_template)  # each template read once a batch
    for article in Article.objects.filter(pk__in=batch).order_by("pk"):
        article_rerender(article, templates)
    Rerender.objects.filter(pk=run.pk).update(done=F("done") + len(batch))
    if run.done + len(batch) >= run.total:
        Rerender.objects.filter(pk=run.pk).update(finished_at=timezone.now())
        return False
    return True


def rerender_all(run_id: int) -> None:
    """The job: one batch, then the next batch queued as a job of its own."""
    with transaction.atomic():
        more = rerender_batch(run_id)
    if more:
        job_enqueue(RERENDER_JOB, run_id)


def latest_rerender(template_slug: str) -> Rerender | None:
    return Rerender.objects.filter(template_slug=template_slug).first()


def templates_used(article_ids) -> dict[int, set[str]]:
    """The slugs of the templates each page uses, directly or through other templates (as
    MediaWiki's templatelinks holds them), templates that do not exist included."""
    direct: dict[int, set[str]] = {pk: set() for pk in article_ids}
    for article_id, slug in TemplateUse.objects.filter(article_id__in=direct).values_list(
        "article_id", "template_slug"
    ):
        direct[article_id].add(slug)
    inside: dict[str, set[str]] = {}  # a template's slug -> the slugs its own text calls
    todo = set().union(*direct.values())
    while todo:
        rows = TemplateUse.objects.filter(article__slug__in=todo)
        inside.update({slug: set() for slug in todo})
        for slug, used in rows.values_list("article__slug", "template_slug"):
            inside[slug].add(used)
        todo = set().union(*(inside[s] for s in todo)) - inside.keys()
    found = {}
    for article_id, slugs in direct.items():
        found[article_id], todo = set(), list(slugs)
        while todo:
            slug = todo.pop()
            if slug not in found[article_id]:
                found[article_id].add(slug)
                todo.extend(inside.get(slug, ()))
    return found
