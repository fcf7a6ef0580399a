"""action=edit: a whole page, a section, a new section, or text added before or after, through
the edit door; its refusals answered with MediaWiki's error codes."""

import datetime as dt
import re

from django.conf import settings

from ...antiabuse.captcha import captcha_answered, new_challenge
from ...antiabuse.holding import EditHeld
from ...antiabuse.services import CaptchaNeeded, EditDenied, EditWarned, LinkBlocked
from ...editing.services import EditRequest, article_edit_submit
from ...limits import EditLimited, client_address
from ...models import Article, Revision
from ...permissions import EditRefused
from ...rendering import RenderTooComplex
from ...services import ArticleEdit, EditConflict, SourceTooLarge, TitleTaken
from ...sources import normalize_newlines, section_text, source_size
from ...titles import InvalidTitle, title_to_slug, validate_title
from .login import check_token, csrf_token
from .params import CONTENT_MODEL, Failure, Params, parse_timestamp, timestamp

# The young-account limits (wiki/limits.py) as MediaWiki names its refusals.
LIMIT_CODES = {"too_many_saves": "ratelimited", "too_many_links": "toomanyexternallinks"}
TEXT_PARAMETERS = ("text", "appendtext", "prependtext")
ARTICLE_EXISTS = "The article you tried to create has been created already."


def refusal_failure(refused: EditRefused) -> Failure:
    """The edit door's refusal as MediaWiki answers it: its error code, and its words."""
    if isinstance(refused, LinkBlocked):  # as SpamBlacklist answers, with what matched
        return Failure("spamblacklist", str(refused), spamblacklist=refused.details)
    if isinstance(refused, EditHeld):  # as Moderation answers a queued edit
        return Failure("moderation-edit-queued", str(refused), held_edit=refused.held.pk)
    if isinstance(refused, EditWarned | EditDenied):  # as AbuseFilter answers
        return Failure(refused.code, str(refused), abusefilter=refused.details)
    if isinstance(refused, EditLimited):
        return Failure(LIMIT_CODES[refused.code], str(refused))
    if refused.code == "protected":
        return Failure("protectedpage", "This page has been protected to prevent editing.")
    if refused.code == "blocked":
        return Failure("blocked", str(refused))
    if refused.code == "source_problems":
        return Failure("sourceproblems", f"Nothing was saved. {refused}")
    return Failure("permissiondenied", "You don't have permission to edit this page.")


def check_editor(request, p: Params) -> None:
    """assert=user, the CSRF token, and a signed-in user, in the order MediaWiki checks."""
    if p.get("assert") == "user" and not request.user.is_authenticated:
        raise Failure("assertuserfailed", "You are no longer logged in.")
    check_token(request, p.get("token"), csrf_token(request))
    if not request.user.is_authenticated:
        raise Failure("notloggedin", "Please log in to edit.")


def _article_to_edit(p: Params, title: str = "title", pageid: str = "pageid") -> Article:
    """The page by pageid= or title= (a new, unsaved Article when no page has the title)."""
    if p.has(pageid):
        article = Article.objects.filter(pk=p.int(pageid)).first()
        if article is None:
            raise Failure("nosuchpageid", f"There is no page with ID {p.get(pageid)}.")
        return article
    raw_title = p.get(title)
    if not raw_title:
        raise Failure("missingparam", f'The "{title}" parameter must be set.')
    try:
        valid = validate_title(raw_title)
    except InvalidTitle as exc:
        raise Failure("invalidtitle", f'Bad title "{raw_title}": {exc}') from None
    return Article.objects.by_slug(title_to_slug(valid)).first() or Article(title=valid)


def existing_article(p: Params, title: str = "title", pageid: str = "pageid") -> Article:
    """The page named by title= or pageid= (move's from= and fromid=); missingtitle when no
    page has the title."""
    article = _article_to_edit(p, title, pageid)
    if article._state.adding:
        raise Failure("missingtitle", "The page you specified doesn't exist.")
    return article


def _check_request(creating: bool, p: Params) -> None:
    if creating and p.flag("nocreate"):
        raise Failure("missingtitle", "The page you specified doesn't exist.")
    if not creating and p.flag("createonly"):
        raise Failure("articleexists", ARTICLE_EXISTS)
    if not any(p.has(name) for name in TEXT_PARAMETERS):
        raise Failure(
            "missingparam",
            'One of the parameters "text", "appendtext" and "prependtext" is required.',
        )


def _with_new_section(current: str, p: Params) -> str:
    """section=new: the text under a heading (sectiontitle, else the summary) at the end."""
    heading = p.get("sectiontitle") or p.get("summary", "")
    added = f"## {heading}\n\n{p.get('text', '')}" if heading else p.get("text", "")
    return (current.rstrip("\n") + "\n\n" if current else "") + added


def _section_number(raw: str | None) -> int | None:
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        raise Failure(
            "invalidsection", 'The "section" parameter must be a valid section ID or "new".'
        )
    return int(raw)


def _sent_text(current: str, section: int | None, p: Params) -> str:
    """text=, else the page (or section) with prependtext and appendtext around it."""
    if p.has("text"):
        return p.get("text", "")
    try:
        existing = section_text(current, section) if section is not None else current
    except IndexError:
        raise Failure("nosuchsection", f"There is no section {section}.") from None
    return p.get("prependtext", "") + existing + p.get("appendtext", "")


def _new_text(current: str, p: Params) -> tuple[str, int | None]:
    """The text to save (LF line endings, as the wiki stores them) and the section it
    replaces (None: the whole page)."""
    if p.get("section") == "new":
        text, section = _with_new_section(current, p), None
    else:
        section = _section_number(p.get("section"))
        text = _sent_text(current, section, p)
    text = normalize_newlines(text)  # browsers and bots send CRLF; the wiki stores LF
    if source_size(text) > settings.WIKI_MAX_SOURCE_BYTES:
        raise Failure(
            "contenttoobig",
            f"The content you supplied exceeds the article size limit of "
            f"{settings.WIKI_MAX_SOURCE_BYTES // 1024} kilobytes.",
        )
    return text, section


CATEGORY_LINE = re.compile(
    r"^[ \t]*\[\[[ \t]*Category[ \t]*:[ \t]*([^\]|\n]+?)[ \t]*(?:\|[^\]\n]*)?\]\][ \t]*\n?",
    re.IGNORECASE | re.MULTILINE,
)


def _category_links(article: Article, text: str) -> tuple[str, list[str] | None]:
    """A bot adds a category as MediaWiki keeps them, a `[[Category:X]]` line in the text
    (pywikibot's category.py): here categories are the article's own field, so such lines
    are taken out of the text and X added to the article's categories. (None: no such line,
    the categories stay as they are.)"""
    added = [" ".join(name.replace("_", " ").split()) for name in CATEGORY_LINE.findall(text)]
    if not added:
        return text, None
    kept = CATEGORY_LINE.sub("", text).rstrip() + ("\n" if text.endswith("\n") else "")
    current = (
        [] if article._state.adding else list(article.categories.values_list("name", flat=True))
    )
    return kept, current + [name[:1].upper() + name[1:] for name in added]


def _base_revision(article: Article, p: Params, user) -> int | None:
    """The revision the client started from (`_started_from`); the latest when every
    revision since was the same account's, as MediaWiki never finds an edit conflicting with
    its own author's (a bot's append, then its prepend on the page it loaded before)."""
    base = _started_from(article, p)
    if base is None or base == article.latest_revision_id or not user.is_authenticated:
        return base
    others = Revision.objects.filter(article_id=article.pk, pk__gt=base).exclude(user_id=user.pk)
    return base if others.exists() else article.latest_revision_id


def _started_from(article: Article, p: Params) -> int | None:
    """The revision the client started from: baserevid, else the one current at
    basetimestamp, else the latest (MediaWiki does not detect conflicts without either).

    basetimestamp has whole seconds: of several revisions saved in that second, the oldest is
    taken, so a save the client may not have seen is merged (or is a conflict), never lost."""
    if p.has("baserevid"):
        base = p.int("baserevid")
        if not Revision.objects.filter(pk=base, article_id=article.pk).exists():
            raise Failure("nosuchrevid", f"There is no revision with ID {base}.")
        return base
    if p.get("basetimestamp"):
        second = parse_timestamp(p.get("basetimestamp"))
        revisions = Revision.objects.filter(article_id=article.pk).values_list("pk", flat=True)
        found = (
            revisions.filter(
                created_at__gte=second, created_at__lt=second + dt.timedelta(seconds=1)
            )
            .order_by("created_at", "revision_id")
            .first()
        ) or revisions.filter(created_at__lt=second).order_by("-created_at", "-revision_id").first()
        return found or article.latest_revision_id
    return article.latest_revision_id


def _submit(
    request, article: Article, edit: ArticleEdit, p: Params | None = None, *, interface="action-api"
):
    """Through the edit door; what it refuses is a Failure with MediaWiki's code (a captcha to
    answer is not: ConfirmEdit answers it as a result, see `action_edit`)."""
    door = EditRequest(
        edit=edit,
        address=client_address(request),
        interface=interface,
        captcha_solved=p is not None and captcha_answered(p.get("captchaid"), p.get("captchaword")),
    )
    try:
        return article_edit_submit(article=article, request=door)
    except CaptchaNeeded:
        raise
    except EditRefused as refused:
        raise refusal_failure(refused) from None
    except EditConflict:
        raise Failure("editconflict", "Edit conflict.") from None
    except SourceTooLarge as exc:
        raise Failure("contenttoobig", str(exc)) from None
    except TitleTaken:
        raise Failure("articleexists", ARTICLE_EXISTS) from None
    except IndexError:
        raise Failure("nosuchsection", f"There is no section {edit.section}.") from None
    except RenderTooComplex as exc:
        raise Failure("toocomplex", str(exc)) from None


def _answer(result, *, old_revid: int | None, creating: bool, p: Params) -> dict:
    saved = result.article
    out = {
        "result": "Success",
        "pageid": saved.pk,
        "title": saved.title,
        "contentmodel": CONTENT_MODEL,
    }
    if result.unchanged:
        p.set_flag(out, "nochange", True)
    else:
        out.update(
            oldrevid=old_revid or 0,
            newrevid=result.revision.pk,
            newtimestamp=timestamp(result.revision.created_at),
        )
        p.set_flag(out, "new", creating)
    return {"edit": out}


def action_edit(request, p: Params) -> dict:
    check_editor(request, p)
    article = _article_to_edit(p)
    creating = article._state.adding
    _check_request(creating, p)
    text, section = _new_text("" if creating else article.source, p)
    text, categories = _category_links(article, text)
    old_revid = article.latest_revision_id
    edit = ArticleEdit(
        text=text,
        base_revision=None if creating else _base_revision(article, p, request.user),
        section=section,
        user=request.user,
        summary=p.get("summary", "")[:500],
        minor=p.flag("minor") and not p.flag("notminor"),
        categories=categories,
    )
    try:
        result = _submit(request, article, edit, p)
    except CaptchaNeeded:  # as ConfirmEdit: answer with captchaid= and captchaword=
        return {"edit": {"result": "Failure", "captcha": new_challenge(request)}}
    return _answer(result, old_revid=old_revid, creating=creating, p=p)
