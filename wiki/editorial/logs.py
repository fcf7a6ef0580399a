"""The public log: one entry per editorial action, written by `log_action`, read through
`LogFilter` (the /log page and its Atom feed alike)."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy, ngettext

from ..languages import language_name
from ..permissions import is_suppressor
from .models import LogEntry

USER_PREFIX = "User:"

# What each (type, action) says, after the performer's name, in the reader's language; {target}
# is the page or account.
SENTENCES = {
    ("move", "move"): gettext_lazy("moved {target} to {to}"),
    ("move", "move_redir"): gettext_lazy("moved {target} to {to} over a redirect"),
    ("delete", "delete"): gettext_lazy("deleted {target}"),
    ("delete", "restore"): gettext_lazy("undeleted {target} ({revisions_words} restored)"),
    ("protect", "protect"): gettext_lazy("protected {target} ({level}, {until})"),
    ("protect", "modify"): gettext_lazy("changed the protection of {target} ({level}, {until})"),
    ("protect", "unprotect"): gettext_lazy("removed the protection of {target}"),
    ("block", "block"): gettext_lazy("blocked {target} from editing {scope} ({until})"),
    ("block", "unblock"): gettext_lazy("unblocked {target}"),
    ("rights", "rights"): gettext_lazy("changed the groups of {target} from {old} to {new}"),
    ("patrol", "patrol"): gettext_lazy("marked revision {revision} of {target} as patrolled"),
    ("upload", "upload"): gettext_lazy("uploaded {target}"),
    ("upload", "overwrite"): gettext_lazy("uploaded a new version of {target}"),
    ("review", "review"): gettext_lazy("marked revision {revision} of {target} medically reviewed"),
    ("review", "check"): gettext_lazy("marked revision {revision} of {target} checked"),
    ("import", "import"): gettext_lazy("imported {target}"),
    ("delete", "revision"): gettext_lazy(
        "changed the visibility of revision {revision} of {target} ({changes})"
    ),
    ("suppress", "revision"): gettext_lazy(
        "changed the visibility of revision {revision} of {target} ({changes})"
    ),
    ("translate", "link"): gettext_lazy(
        "linked {target} ({language_name}) and {other} ({other_language_name}) as translations"
    ),
    ("translate", "unlink"): gettext_lazy(
        "unlinked {target} ({language_name}) from its translations: {others}"
    ),
}


def performer_name(user) -> str:
    if user is None or not user.is_authenticated:
        return "the system"
    return user.get_username()


def user_target(user) -> str:
    """How an account is named as a log target."""
    return USER_PREFIX + user.get_username()


def log_action(
    *,
    type: str,
    action: str,
    performer,
    target: str,
    comment: str = "",
    article_id: int | None = None,
    **params,
) -> LogEntry:
    """Record one editorial action in the public log. `params` are what the sentence needs
    (a move's new title `to`, a protection's `level` and `until`…), stored as JSON."""
    return LogEntry.objects.create(
        type=type,
        action=action,
        performer=performer if performer is not None and performer.is_authenticated else None,
        performer_name=performer_name(performer),
        target=target[:300],
        article_id=article_id,
        comment=comment[:500],
        params={k: v for k, v in params.items() if v is not None},
    )


def describe(entry: LogEntry, target=None) -> str:
    """The entry as a sentence after the performer's name, e.g. "moved A to B". With
    `target` (HTML, e.g. a link), the sentence is HTML, every other value escaped."""
    template = str(SENTENCES.get((entry.type, entry.action), "{action} {target}"))
    values = {"action": entry.action, **entry.params}
    if isinstance(count := entry.params.get("revisions"), int):
        values["revisions_words"] = ngettext("%(count)d revision", "%(count)d revisions", count) % {
            "count": count
        }
    for key in ("language", "other_language"):
        if key in entry.params:
            values[f"{key}_name"] = language_name(entry.params[key])
    try:
        if target is None:
            return template.format(target=entry.target, **values)
        return format_html(template, target=target, **values)
    except (KeyError, IndexError, ValueError):
        return f"{entry.action} {entry.target}"


def describe_linked(entry: LogEntry, url: str) -> str:
    """The sentence as HTML, its target a link to `url` ("" for none)."""
    if not url:
        return describe(entry, target=entry.target)
    return describe(entry, target=format_html('<a href="{}">{}</a>', url, entry.target))


def log_translations(sender, *, action, article, others, performer, **kwargs) -> None:
    """Record a link or unlink of translations (`signals.translations_changed`): who, when,
    which articles in which languages. `titles` ("|A|B|") lets the log filtered by any of the
    other pages find the entry too."""
    params = {"language": article.language}
    if action == "link":
        other = others[0]
        params |= {"other": other.title, "other_language": other.language}
    else:
        params["others"] = ", ".join(f"{o.title} ({language_name(o.language)})" for o in others)
    log_action(
        type=LogEntry.Type.TRANSLATE,
        action=action,
        performer=performer,
        target=article.title,
        article_id=article.pk,
        titles="|" + "|".join(o.title for o in others) + "|",
        **params,
    )


def readable_logs(user):
    """The log entries `user` may read: the suppression log is for suppressors alone."""
    entries = LogEntry.objects.all()
    return entries if is_suppressor(user) else entries.exclude(type=LogEntry.Type.SUPPRESS)


def latest_deletion(slug_title: str) -> LogEntry | None:
    """The newest deletion-log entry for a title, if the page's last event there was one (a
    revision's visibility changed since, logged there too, leaves the page deleted)."""
    events = LogEntry.objects.filter(
        type=LogEntry.Type.DELETE, target=slug_title, action__in=("delete", "restore")
    )
    entry = events.first()
    return entry if entry is not None and entry.action == "delete" else None


class LogFilter(forms.Form):
    type = forms.ChoiceField(
        required=False,
        choices=[("", gettext_lazy("All logs")), *LogEntry.Type.choices],
        label=gettext_lazy("Log"),
    )
    performer = forms.CharField(required=False, max_length=150, label=gettext_lazy("Performer"))
    target = forms.CharField(required=False, max_length=300, label=gettext_lazy("Target"))

    def __init__(self, data=None, *, viewer=None):
        super().__init__(data or None)
        self.viewer = viewer
        self.is_valid()

    def value(self, name) -> str:
        return (getattr(self, "cleaned_data", {}).get(name) or "").strip()

    def entries(self):
        entries = readable_logs(self.viewer)
        if kind := self.value("type"):
            entries = entries.filter(type=kind)
        if name := self.value("performer"):
            user = get_user_model().objects.filter(username__iexact=name.replace("_", " "))
            entries = entries.filter(performer__in=user)
        if target := self.value("target"):
            title = target.replace("_", " ")
            # A translation entry names its other pages too: filtered by any of them, it shows.
            entries = entries.filter(
                Q(target__iexact=title)
                | Q(type=LogEntry.Type.TRANSLATE, params__titles__icontains=f"|{title}|")
            )
        return entries

    def query_string(self) -> str:
        return urlencode(self.query_params())

    def query_params(self) -> dict:
        """The active filters, for the pages' links and the feed link."""
        return {k: self.value(k) for k in ("type", "performer", "target") if self.value(k)}
