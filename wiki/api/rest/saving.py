"""Writes through the edit door, their refusals answered as JSON errors."""

from django.conf import settings
from django.urls import reverse
from ninja import Status

from ...antiabuse.captcha import captcha_answered, new_challenge
from ...antiabuse.holding import EditHeld
from ...antiabuse.services import CaptchaNeeded
from ...editing.services import EditRequest, SourceRefused, article_edit_submit
from ...limits import client_address
from ...models import Article
from ...permissions import EditRefused
from ...services import ArticleEdit, EditConflict, SourceTooLarge, TitleTaken
from ...sources import source_size
from ...titles import InvalidTitle
from ..errors import ApiError
from .answers import absolute


def check_size(text: str) -> None:
    if source_size(text) > settings.WIKI_MAX_SOURCE_BYTES:
        raise ApiError(
            413,
            f"The text is larger than {settings.WIKI_MAX_SOURCE_BYTES:,} bytes.",
            code="too_large",
        )


def _conflict(conflict: EditConflict) -> ApiError:
    return ApiError(
        409,
        "Someone saved this article since your base revision and the changes overlap. "
        "Nothing was saved; merge the texts and send again with the latest revision.",
        code="edit_conflict",
        latest_revision=conflict.latest_revision_id,
        current_text=conflict.current_source,
        your_text=conflict.your_source,
    )


def _submit(request, article: Article, edit: ArticleEdit, answer, interface: str):
    door = EditRequest(
        edit=edit,
        address=client_address(request),
        interface=interface,
        captcha_solved=answer is not None
        and captcha_answered(answer.captcha_id, answer.captcha_answer),
    )
    try:
        return article_edit_submit(article=article, request=door)
    except SourceRefused as refused:  # every problem named, as the edit form lists them
        raise ApiError(
            400, f"Nothing was saved. {refused}", code=refused.code, problems=refused.problems
        ) from None
    except EditHeld:
        raise  # not an error: answered by `save`
    except CaptchaNeeded as refused:
        raise ApiError(
            400, str(refused), code="captcha", captcha=new_challenge(request), **refused.details
        ) from None
    except EditRefused as refused:
        details = getattr(refused, "details", {})  # the blocklist's matches
        raise ApiError(refused.status, str(refused), code=refused.code, **details) from None
    except EditConflict as conflict:
        raise _conflict(conflict) from None
    except SourceTooLarge as exc:
        raise ApiError(413, str(exc), code="too_large") from None
    except TitleTaken:
        raise ApiError(409, "An article with this title exists.", code="title_taken") from None
    except InvalidTitle as exc:
        raise ApiError(400, f"Not a valid title: {exc}", code="invalid_title") from None
    except IndexError:
        raise ApiError(404, "The article has no such section.", code="no_such_section") from None


def save(
    request, article: Article, edit: ArticleEdit, *, status=200, answer=None, interface="rest"
):
    """The edit through the edit door ("revert" for a revert); answers what was saved.
    `answer`: the request's `schemas.CaptchaAnswer`, when it may carry one."""
    try:
        result = _submit(request, article, edit, answer, interface)
    except EditHeld as held:  # 202: accepted, not published; waits for an editor
        return Status(
            202,
            {
                "title": article.title,
                "held": True,
                "held_edit_id": held.held.pk,
                "code": held.code,
                "message": str(held),
                "queue_url": absolute(request, reverse("wiki:held_edits")),
            },
        )
    saved = result.article
    return Status(
        status,
        {
            "title": saved.title,
            "url": absolute(request, saved.get_absolute_url()),
            "revision_id": saved.latest_revision_id,
            "unchanged": result.unchanged,
            "merged": result.merged,
        },
    )
