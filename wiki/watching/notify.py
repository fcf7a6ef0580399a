"""Who is told of a saved revision, by e-mail: watchers of the page (once until they visit
it), earlier writers of a talk page (a reply), and authors of the edits a revert took back;
each as their preferences allow. Called by the write path inside its transaction: the mails
are queued rows, sent after the commit by a job of the task queue (`mail`)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext

from ..languages import reading_in
from ..models import Revision
from ..titles import is_talk_title, subject_title_of, title_to_slug
from .mail import deliver_after_commit, queue_mail
from .models import Preferences, Watch


def preferences_for(user) -> Preferences:
    """The user's preferences, the defaults when they never changed any (not saved then)."""
    try:
        return user.wiki_preferences
    except Preferences.DoesNotExist:
        return Preferences(user=user)


def _absolute(path: str) -> str:
    return settings.WIKI_SITE_URL.rstrip("/") + path


def changes_url(revision: Revision) -> str:
    """Where the mail sends its reader: the diff of the revision, or the revision itself."""
    if revision.parent_id:
        path = reverse("wiki:diff", args=[revision.slug]) + (
            f"?from={revision.parent_id}&to={revision.pk}"
        )
    else:
        path = revision.get_absolute_url()
    return _absolute(path)


def _who(revision: Revision) -> str:
    if revision.contributor is not None:
        return revision.contributor.display_name
    return gettext("Someone")


def _body(revision: Revision, opening: str, closing: str) -> str:
    lines = [
        opening,
        "",
        gettext("Summary: %(summary)s") % {"summary": revision.summary}
        if revision.summary
        else gettext("No summary was given."),
        "",
        gettext("See the changes: %(url)s") % {"url": changes_url(revision)},
        gettext("The page: %(url)s")
        % {"url": _absolute(reverse("wiki:article", args=[revision.slug]))},
        "",
        closing,
        gettext("Your preferences: %(url)s") % {"url": _absolute(reverse("wiki:preferences"))},
    ]
    return "\n".join(lines) + "\n"


def _reachable(user) -> bool:
    return bool(user.is_active and user.email)


def revision_saved(*, revision: Revision, undoes=()) -> None:
    """Queue the mails this revision calls for; one job sends them after the commit. They are
    written in the page's language (its watchers and writers read that language's site), their
    addresses that language's."""
    with reading_in(revision.language or settings.LANGUAGE_CODE):  # the page's, as saved
        _revision_saved(revision=revision, undoes=undoes)


def _revision_saved(*, revision: Revision, undoes=()) -> None:
    title, actor = revision.title, revision.user_id
    site = settings.SITE_NAME
    told = set()
    User = get_user_model()
    if undoes:
        authors = (
            Revision.objects.filter(pk__in=list(undoes))
            .exclude(user=None)
            .exclude(user_id=actor)
            .values_list("user_id", flat=True)
            .distinct()
        )
        for user in User.objects.filter(pk__in=list(authors)).select_related("wiki_preferences"):
            if _reachable(user) and preferences_for(user).notify_reverts:
                told.add(user.pk)
                queue_mail(
                    deliver=False,
                    revision_id=revision.pk,
                    to=user.email,
                    subject=gettext("[%(site)s] Your edit to “%(title)s” was reverted")
                    % {"site": site, "title": title},
                    body=_body(
                        revision,
                        gettext("%(who)s reverted your edit to “%(title)s”.")
                        % {"who": _who(revision), "title": title},
                        gettext("You can discuss the change on the page's talk page."),
                    ),
                )
    if is_talk_title(title):
        writers = (
            Revision.objects.filter(article_id=revision.article_id, pk__lt=revision.pk)
            .exclude(user=None)
            .exclude(user_id=actor)
            .values_list("user_id", flat=True)
            .distinct()
        )
        for user in User.objects.filter(pk__in=list(writers)).exclude(pk__in=told):
            if _reachable(user) and preferences_for(user).notify_replies:
                told.add(user.pk)
                queue_mail(
                    deliver=False,
                    revision_id=revision.pk,
                    to=user.email,
                    subject=gettext("[%(site)s] New reply on “%(title)s”")
                    % {"site": site, "title": title},
                    body=_body(
                        revision,
                        gettext("%(who)s wrote on “%(title)s”, where you took part.")
                        % {"who": _who(revision), "title": title},
                        gettext("You are told because you wrote on this talk page."),
                    ),
                )
    subject_slug = title_to_slug(subject_title_of(title))
    watches = (
        Watch.objects.filter(slug=subject_slug, notified_at=None)
        .exclude(user_id=actor)
        .select_related("user", "user__wiki_preferences")
    )
    notified = []
    for watch in watches:
        user = watch.user
        if user.pk in told or not _reachable(user) or not preferences_for(user).notify_watched:
            continue
        notified.append(watch.pk)
        queue_mail(
            deliver=False,
            revision_id=revision.pk,
            to=user.email,
            subject=gettext("[%(site)s] “%(title)s” was changed by %(who)s")
            % {"site": site, "title": title, "who": _who(revision)},
            body=_body(
                revision,
                gettext("%(who)s changed “%(title)s”, a page on your watchlist.")
                % {"who": _who(revision), "title": title},
                gettext("There will be no other mail about this page until you visit it."),
            ),
        )
    if notified:
        Watch.objects.filter(pk__in=notified).update(notified_at=revision.created_at)
    if told or notified:
        deliver_after_commit()
