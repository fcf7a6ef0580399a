"""Templates: the pages using one (directly or through other templates) and a text expanded
as a page would show it."""

from ninja import Router

from ...models import Article
from ...titles import TEMPLATE_PREFIX, InvalidTitle, title_to_slug, validate_title
from ...transcluding import expand_as, template_problems
from ...transclusion.models import TemplateUse
from ...transclusion.services import pages_using
from .. import schemas
from ..errors import ApiError
from .answers import ERRORS, SUMMARY_FIELDS, article_summary
from .paging import DEFAULT_LIMIT, Limit, keyset

templates = Router(tags=["templates"])


def _title(raw: str, *, template: bool) -> str:
    raw = raw.replace("_", " ")
    if template and not raw.startswith(TEMPLATE_PREFIX):
        raw = TEMPLATE_PREFIX + raw
    try:
        return validate_title(raw)
    except InvalidTitle as exc:
        raise ApiError(400, f"Not a valid title: {exc}", code="invalid_title") from None


@templates.get(
    "/{path:name}/uses",
    response={200: schemas.TemplateUses, **ERRORS},
    summary="The pages using a template",
)
def template_uses(request, name: str, cursor: str | None = None, limit: Limit = DEFAULT_LIMIT):
    """By page id; `direct` is false for a page using it through another template. `name`
    with or without `Template:`; a template not written yet may have users too."""
    title = _title(name, template=True)
    slug = title_to_slug(title)
    ids = pages_using(slug)
    users = Article.objects.filter(pk__in=ids).only(*SUMMARY_FIELDS)
    rows, next_cursor = keyset(users, cursor=cursor, limit=limit)
    direct = set(
        TemplateUse.objects.filter(template_slug=slug, article__in=rows).values_list(
            "article_id", flat=True
        )
    )
    return {
        "template": title,
        "exists": Article.objects.by_slug(slug).exists(),
        "total": len(ids),
        "items": [{**article_summary(request, a), "direct": a.pk in direct} for a in rows],
        "next_cursor": next_cursor,
    }


@templates.post(
    "/expand", response={200: schemas.Expanded, **ERRORS}, summary="Expand a text's templates"
)
def expand_text(request, payload: schemas.ExpandRequest):
    """The text with its template calls expanded from the templates as they are now (nothing
    is saved), the templates used, and the problems a save of it would be refused for."""
    title = _title(payload.title, template=False) if payload.title.strip() else ""
    expansion = expand_as(payload.text, title)
    problems = template_problems(payload.text, title)  # as the edit door words them
    return {"text": expansion.text, "templates": sorted(expansion.used), "problems": problems}
