"""Watching pages: a watch covers an article and its talk page, by the article's slug."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..titles import subject_title_of, title_to_slug
from .models import Preferences, Watch
from .notify import preferences_for


def watched_slug(title_or_slug: str) -> str:
    """The slug a watch of this page (or of its talk page) is stored under."""
    return title_to_slug(subject_title_of(title_to_slug(title_or_slug)))


def is_watching(user, title: str) -> bool:
    if not (user and user.is_authenticated):
        return False
    return Watch.objects.filter(user=user, slug=watched_slug(title)).exists()


def watch_page(*, user, title: str) -> None:
    try:
        with transaction.atomic():
            Watch.objects.get_or_create(
                user=user, slug=watched_slug(title), defaults={"visited_at": timezone.now()}
            )
    except IntegrityError:  # watched at the same moment in another request
        pass


def unwatch_page(*, user, title: str) -> None:
    Watch.objects.filter(user=user, slug=watched_slug(title)).delete()


def page_visited(user, title: str) -> bool:
    """The watcher saw the page: mark the visit, and mail them again on the next change.
    Whether they watch it (the same query says so)."""
    if not (user and user.is_authenticated):
        return False
    marked = Watch.objects.filter(user=user, slug=watched_slug(title)).update(
        visited_at=timezone.now(), notified_at=None
    )
    return marked > 0


def watches_moved(old_title: str, new_title: str) -> None:
    """A moved article keeps its watchers (a watcher of both titles keeps one watch)."""
    old, new = watched_slug(old_title), watched_slug(new_title)
    if old == new:
        return
    both = Watch.objects.filter(slug=new).values_list("user_id", flat=True)
    Watch.objects.filter(slug=old, user_id__in=list(both)).delete()
    Watch.objects.filter(slug=old).update(slug=new)


def watch_by_default(user, title: str) -> bool:
    """The "watch this page" box of the editor: ticked when the page is watched already or
    the user's preferences say pages they edit are watched (the default)."""
    return is_watching(user, title) or preferences_for(user).watch_edits


EDITOR_MODES = ("visual", "source")


def editor_mode_of(user) -> str:
    """The mode the editor opens in for `user`: the one their preferences fix, else the one
    they last saved in; "" when not known (an anonymous visitor, or never saved)."""
    if not (user and user.is_authenticated):
        return ""
    preferences = preferences_for(user)
    return preferences.editor_mode or preferences.last_editor_mode


def remember_editor_mode(user, mode: str) -> None:
    """Keep the mode `user` just saved in, for the next Edit tab on any browser."""
    if mode in EDITOR_MODES and user and user.is_authenticated:
        if preferences_for(user).last_editor_mode != mode:
            Preferences.objects.update_or_create(user=user, defaults={"last_editor_mode": mode})
