"""The signature shortcut of talk pages: "~~~~" becomes the editor's name, with credentials,
linked to their contributor page, and the date, when the page is saved."""

import datetime as dt
import re
from dataclasses import replace

from django.urls import reverse
from django.utils import timezone

from ..services import contributor_for
from ..titles import is_talk_title

SIGNATURE = "~~~~"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!<>|~])")


def signature_for(contributor, when) -> str:
    """'[Edna Marsh, MD](/contributor/Edna_Marsh) 05:30, 2 December 2026 (UTC)'."""
    when = timezone.localtime(when, dt.UTC) if timezone.is_aware(when) else when
    stamp = f"{when:%H:%M}, {when.day} {when:%B %Y} (UTC)"
    if contributor is None:
        return stamp
    name = _MARKDOWN_SPECIAL.sub(r"\\\1", contributor.display_name)
    url = reverse("wiki:contributor", args=[contributor.slug]).replace(")", "%29")
    return f"— [{name}]({url}) {stamp}"


def expand_signatures(text: str, contributor, when) -> str:
    """Replace each "~~~~" of `text`; nothing else changes."""
    if SIGNATURE not in text:
        return text
    return text.replace(SIGNATURE, signature_for(contributor, when))


def reply_text(text: str) -> str:
    """A reply as it is appended under a topic: quoted (indented), signed."""
    body = text.strip()
    if SIGNATURE not in body:
        body += " " + SIGNATURE
    return "\n".join(f"> {line}" if line.strip() else ">" for line in body.splitlines())


def topic_text(text: str) -> str:
    body = text.strip()
    return body if SIGNATURE in body else f"{body} {SIGNATURE}"


def sign_talk_edit(*, article, edit, now):
    """An edit of a talk page by a signed-in editor, its "~~~~" signed as of the save (an edit
    text filter of `services`, added in `WikiConfig.ready`)."""
    user = edit.user
    if not (is_talk_title(article.title) and user is not None and user.is_authenticated):
        return edit
    return replace(edit, text=expand_signatures(edit.text, contributor_for(user), now))
