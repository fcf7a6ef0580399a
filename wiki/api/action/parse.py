"""action=parse: a stored article's page (by page, pageid or oldid) or a text rendered as it
would be saved, with the parts prop= asks for."""

from ...models import Article, Revision
from ...reading import article_page
from ...rendering import RenderTooComplex, render_markdown
from ...sources import split_source
from ...titles import InvalidTitle, validate_title
from .params import Failure, Params

DEFAULT_PROPS = "text|categories|links|sections|revid|displaytitle"


def _parse_text(p: Params, props: list[str]) -> dict:
    try:
        html = render_markdown(p.get("text", ""))
    except RenderTooComplex as exc:
        raise Failure("toocomplex", str(exc)) from None
    out = {"title": p.get("title", "API"), "pageid": 0}
    if "text" in props:
        out["text"] = p.wrapped(html)
    return {"parse": out}


def _article_to_parse(p: Params) -> Article:
    if p.has("pageid"):
        article = Article.objects.filter(pk=p.int("pageid")).first()
    elif p.has("oldid"):
        info = Revision.objects.filter(pk=p.int("oldid")).first()
        article = Article.objects.filter(pk=info.article_id).first() if info else None
    else:
        try:
            article = Article.objects.by_title(validate_title(p.get("page", ""))).first()
        except InvalidTitle:
            article = None
    if article is None:
        raise Failure("missingtitle", "The page you specified doesn't exist.")
    return article


def _revid(article: Article, p: Params):
    return article.latest_revision_id


def _displaytitle(article: Article, p: Params):
    return article.title


def _text(article: Article, p: Params):
    return p.wrapped(article_page(article).content)


def _wikitext(article: Article, p: Params):
    return p.wrapped(article.source)


def _categories(article: Article, p: Params) -> list[dict]:
    categories = []
    for category in article.categories.all():
        entry = {"sortkey": ""}
        p.named(entry, "category", category.name)
        categories.append(entry)
    return categories


def _links(article: Article, p: Params) -> list[dict]:
    targets = sorted(article.outgoing_links.values_list("target_slug", flat=True))
    existing = set(Article.objects.by_slugs(targets).values_list("slug", flat=True))
    links = []
    for target in targets:
        entry = {"ns": 0}
        p.set_flag(entry, "exists", target in existing)
        p.named(entry, "title", target.replace("_", " "))
        links.append(entry)
    return links


def _sections(article: Article, p: Params) -> list[dict]:
    _, sections = split_source(article.source)
    stored = article.ordered_sections
    return [
        {
            "toclevel": max(1, s.level - 1),
            "level": str(s.level),
            "line": s.heading,
            "number": str(n),
            "index": str(n),
            "fromtitle": article.slug,
            "anchor": stored[n - 1].anchor if n <= len(stored) else "",
        }
        for n, s in enumerate(sections, start=1)
    ]


# prop= values in the order they appear in the answer.
PARTS = (
    ("revid", _revid),
    ("displaytitle", _displaytitle),
    ("text", _text),
    ("wikitext", _wikitext),
    ("categories", _categories),
    ("links", _links),
    ("sections", _sections),
)


def action_parse(request, p: Params) -> dict:
    props = p.list("prop", DEFAULT_PROPS)
    if p.has("text") and not (p.has("page") or p.has("pageid") or p.has("oldid")):
        return _parse_text(p, props)
    article = _article_to_parse(p)
    out: dict = {"title": article.title, "pageid": article.pk}
    for name, part in PARTS:
        if name in props:
            out[name] = part(article, p)
    return {"parse": out}
