"""The content model: articles made of sections, their revisions, credits and links."""

import ipaddress

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Left, Lower, Replace, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy

from .languages import around_slug, content_language, quoted, url_in
from .rendering import render_markdown
from .sources import SourceSection, join_source
from .titles import TALK_PREFIX, UNLISTED_SLUGS, normalize_title, title_to_slug

# The largest 64-bit key, SQLite and PostgreSQL: a bigger id in a URL names nothing.
MAX_ID = 2**63 - 1


def language_field():
    """The language a row's text is in: by default the one being read (the URL's, see
    `wiki.languages`); tasks and importers outside a request write the default language's."""
    return models.CharField(max_length=12, default=content_language)


def loaded_language(row) -> str:
    """The row's language, or, when a list left it out (`.only("title", "slug")`), the one
    being read, which every list is of: no query per row for a URL."""
    return row.__dict__.get("language") or content_language()


class LanguageQuerySet(models.QuerySet):
    def in_language(self, language: str | None = None):
        """The rows of one language: by default the one being read (the URL's)."""
        return self.filter(language=language or content_language())


class Category(models.Model):
    """A category of one language (names are per language: "Headache" and "Cefalea")."""

    name = models.CharField(max_length=200)
    language = language_field()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    description = models.TextField(blank=True)
    # Months between medical reviews of its articles; empty: the site default (review/services).
    review_interval_months = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = LanguageQuerySet.as_manager()

    class Meta:
        ordering, verbose_name_plural = ["name"], "categories"
        constraints = [
            models.UniqueConstraint(fields=["language", "name"], name="category_language_name")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return url_in(loaded_language(self), "wiki:category", args=[self.slug])

    @property
    def slug(self) -> str:
        return self.name.replace(" ", "_")


class ContributorQuerySet(models.QuerySet):
    def by_slug(self, slug: str):
        """Lookup by the name in a contributor URL, where spaces and underscores are one."""
        return self.alias(spaced=Replace("name", models.Value("_"), models.Value(" "))).filter(
            spaced=slug.replace("_", " ")
        )


class Contributor(models.Model):
    """A name credited on articles, with credentials; imported authors have no user account."""

    name = models.CharField(max_length=200, unique=True)
    credentials = models.CharField(
        max_length=100, blank=True, help_text="Shown after the name, e.g. “MD” or “RN, PhD”."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributor",
    )
    bio = models.TextField(blank=True)

    objects = ContributorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        head, tail = around_slug("wiki:contributor")  # not a reverse per row of a list
        return head + quoted(self.slug) + tail

    def clean(self):
        """Refuse names whose URL would not lead back to this contributor."""
        if any(ord(c) < 32 or ord(c) == 127 for c in self.name):
            raise ValidationError({"name": "A display name cannot contain control characters."})
        if any(part in {".", ".."} for part in self.name.split("/")):
            raise ValidationError(
                {"name": "A display name cannot be “.” or “..”, nor have them between slashes."}
            )
        same_url = Contributor.objects.by_slug(self.slug).exclude(pk=self.pk)
        if same_url.exclude(name=self.name).exists():  # the same name: the unique check says so
            raise ValidationError(
                {"name": "Another contributor already has this name (a space and “_” are one)."}
            )

    @property
    def display_name(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def is_address(self) -> bool:
        """An anonymous author known by an IP address (imported from MediaWiki), shown as it."""
        try:
            ipaddress.ip_address(self.name)
        except ValueError:
            return False
        return True

    @property
    def slug(self) -> str:
        """The name in URLs: spaces as underscores, as MediaWiki writes user names."""
        return self.name.replace(" ", "_")


# A redirect page's first line (`redirects.redirect_line`): its target may be missing.
REDIRECT_WORD = "#REDIRECT"
# The lead's first characters, upper case: PostgreSQL reads only those of a long lead.
_OPENING = Upper(Left("lead", len(REDIRECT_WORD)))
# Pages that may be redirects whose target is missing (`redirects.is_broken_redirect` keeps
# those whose first line is a redirect line): few in any wiki, so a partial index of them
# (article_broken_redirects) pages the list without reading every article's lead.
MAY_BE_BROKEN_REDIRECT = Q(redirect_to__isnull=True, lead__icontains=REDIRECT_WORD)


class ArticleQuerySet(LanguageQuerySet):
    def by_title(self, title: str, language: str | None = None):
        """Lookup by title or URL form: spaces and underscores are one, first letter any case;
        in `language`, by default the one being read (titles are per language)."""
        return self.by_slug(title_to_slug(title), language)

    def by_slug(self, slug: str, language: str | None = None):
        return self.in_language(language).filter(slug=slug)

    def by_slugs(self, slugs, language: str | None = None):
        return self.in_language(language).filter(slug__in=slugs)

    def near_title(self, title: str):
        """MediaWiki's near-match for Go: the article of exactly this title (first letter any
        case), else the one article whose title is this ignoring case; None when there is no
        such article or several. `lower(title)` is indexed (article_lower_title)."""
        if exact := self.by_title(title).first():
            return exact
        found = list(
            self.in_language()
            .alias(lower_title=Lower("title"))
            .filter(lower_title=title.lower())[:2]
        )
        return found[0] if len(found) == 1 else None

    def talk_pages(self):
        return self.filter(slug__startswith=TALK_PREFIX)

    def redirects(self):
        """Redirect pages, those whose target is missing too (their source still says so)."""
        return self.alias(opening=_OPENING).filter(
            Q(redirect_to__isnull=False) | Q(opening=REDIRECT_WORD)
        )

    def not_redirects(self):
        return self.filter(redirect_to=None).alias(opening=_OPENING).exclude(opening=REDIRECT_WORD)

    def not_talk_pages(self):
        return self.exclude(slug__startswith=TALK_PREFIX)

    def content_pages(self):
        """What readers' lists show as articles: no talk, help or template pages, no redirects;
        of the language being read (A–Z, random, the sitemaps, the main page's lists)."""
        return (
            self.in_language().not_talk_pages().not_redirects().exclude(slug__regex=UNLISTED_SLUGS)
        )

    def in_category(self, category):
        return self.filter(categories=category)


def _revision_pointer():
    return models.ForeignKey(
        "wiki.Revision", models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )


def stable_revision_id(reviewed_id: int | None, checked_id: int | None) -> int | None:
    """The newest revision of at least the site's `WIKI_STABLE_LEVEL`: what readers may see."""
    return (checked_id or reviewed_id) if settings.WIKI_STABLE_LEVEL == "checked" else reviewed_id


def readers_see_reviewed(show_reviewed: bool | None) -> bool:
    """An article's `show_reviewed` override applied to the site's default."""
    return settings.WIKI_READERS_SEE_REVIEWED if show_reviewed is None else bool(show_reviewed)


# The review state is not content: reverting to an old revision does not unreview the article.
@reversion.register(
    follow=["sections"],
    exclude=[
        "latest_revision",
        "reviewed_revision",
        "checked_revision",
        "show_reviewed",
        "translation_group",
        "translated_from",
        "translated_up_to",
    ],
)
class Article(models.Model):
    class Protection(models.TextChoices):
        NONE = "", gettext_lazy("Editors may edit")
        ADMINS = "admins", gettext_lazy("Administrators only")

    # Unique per language (`article_language_title`, `article_language_slug`): "Migraine" may
    # be an English and a French title; talk pages, templates and help pages are articles too.
    title = models.CharField(max_length=255)
    slug = models.CharField(max_length=255, editable=False)
    language = language_field()
    # The articles about one subject in other languages (`wiki.translations`); None: alone.
    translation_group = models.ForeignKey(
        "wiki.TranslationGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        editable=False,
    )
    # The source article's revision this translation was made from (the translation view sets
    # it; whether the source has moved on since is read against it).
    translated_from = models.ForeignKey(
        "wiki.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        editable=False,
    )
    # The source revision a translation was last marked brought up to date with (None: the one
    # it was made from); the source has moved on when its latest revision is newer.
    translated_up_to = models.ForeignKey(
        "wiki.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    lead = models.TextField(blank=True, help_text="Markdown before the first heading.")
    lead_html = models.TextField(blank=True, editable=False)
    notes_html = models.TextField(blank=True, editable=False)
    # The infobox of its source, parsed (`wiki.infoboxes`): {"type": …, "fields": {…}} or {}.
    infobox = models.JSONField(default=dict, blank=True, editable=False)
    categories = models.ManyToManyField(Category, blank=True, related_name="articles")
    protection = models.CharField(
        max_length=10, choices=Protection.choices, default=Protection.NONE, blank=True
    )
    protection_expires = models.DateTimeField(
        null=True, blank=True, help_text="When the protection ends; empty: it does not."
    )
    redirect_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="redirects"
    )
    # A redirect to a redirect (the editors' list of double redirects reads it by its index).
    # Kept by the database itself: triggers on every insert and on every change of
    # redirect_to, for this row and the rows redirecting to it (migration 0043), so no write
    # path, bulk update or deletion can leave it stale (and a row inserted in SQL without it
    # starts unmarked, for the trigger to mark).
    double_redirect = models.BooleanField(default=False, db_default=False, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False, help_text="Bytes of source.")
    # Set by the write path to its revision's time (an import's may be in the past).
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=None, null=True, editable=False)
    latest_revision = _revision_pointer()
    # The newest revisions marked medically reviewed, and at least "checked" (`wiki.review`).
    reviewed_revision = _revision_pointer()
    checked_revision = _revision_pointer()
    # Its places in the review queues (`wiki.review.services.refresh_review_queue`, kept by
    # each save and review): when the first edit after its last medical review was made, and
    # when its next review is due; None when there is none, or it was never reviewed.
    review_waiting_since = models.DateTimeField(null=True, editable=False)
    review_due = models.DateTimeField(null=True, editable=False)
    # None: the site's default (settings.WIKI_READERS_SEE_REVIEWED); True/False override it.
    show_reviewed = models.BooleanField(
        "readers see the reviewed revision",
        null=True,
        blank=True,
        default=None,
        choices=[
            (None, gettext_lazy("Site default")),
            (True, gettext_lazy("Always: readers see the last reviewed revision")),
            (False, gettext_lazy("Never: readers see the latest revision")),
        ],
        help_text="Whether readers are shown the last medically reviewed revision, with a "
        "notice and a link to the changes pending review; editors always see the latest one.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(Lower("title"), name="article_lower_title"),
            # A list ordered by title (a category's articles: one language already), or by
            # title and id (a template's users: any language) walks this; the unique
            # (language, title) cannot serve an order by title.
            models.Index(fields=["title", "id"], name="article_title_id"),
            # The review queue of articles never reviewed, oldest first (paged by key).
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(reviewed_revision__isnull=True, redirect_to__isnull=True),
                name="article_never_reviewed",
            ),
            # The review queues of articles changed since their last review and of those due
            # for another, the longest waiting first.
            models.Index(
                fields=["review_waiting_since", "id"],
                condition=models.Q(review_waiting_since__isnull=False, redirect_to__isnull=True),
                name="article_review_changed",
            ),
            models.Index(
                fields=["review_due", "id"],
                condition=models.Q(review_due__isnull=False, redirect_to__isnull=True),
                name="article_review_due",
            ),
            # The double and the broken redirects (the editors' /redirects), by title.
            models.Index(
                fields=["title", "id"],
                condition=models.Q(double_redirect=True),
                name="article_double_redirects",
            ),
            models.Index(
                fields=["title", "id"],
                condition=MAY_BE_BROKEN_REDIRECT,
                name="article_broken_redirects",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="article_language_slug"),
            models.UniqueConstraint(fields=["language", "title"], name="article_language_title"),
            # One article per language in a group.
            models.UniqueConstraint(
                fields=["translation_group", "language"], name="article_group_language"
            ),
        ]
        permissions = [
            ("edit_protected_article", "Can edit protected articles"),
            ("review_article", "Can mark revisions as medically reviewed"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = normalize_title(self.title)
        self.slug = title_to_slug(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return url_in(loaded_language(self), "wiki:article", args=[self.slug])

    @property
    def readers_see_reviewed(self) -> bool:
        """Readers are shown the stable revision: the article's override, else the site's."""
        return readers_see_reviewed(self.show_reviewed)

    @property
    def stable_revision_id(self) -> int | None:
        return stable_revision_id(self.reviewed_revision_id, self.checked_revision_id)

    @property
    def readers_shown_reviewed(self) -> bool:
        """Readers (not editors) see the stable revision: they would, and it changed since."""
        stable = self.stable_revision_id
        return self.readers_see_reviewed and stable not in (None, self.latest_revision_id)

    @property
    def is_protected(self) -> bool:
        """Protected now: a protection past its expiry protects nothing (no job lifts it)."""
        return self.protection == self.Protection.ADMINS and (
            self.protection_expires is None or self.protection_expires > timezone.now()
        )

    @cached_property
    def ordered_sections(self) -> list["Section"]:
        return list(self.sections.order_by("position"))

    def forget_sections(self) -> None:
        """Read the sections again next time (they were rewritten)."""
        try:
            del self.ordered_sections
        except AttributeError:
            pass
        getattr(self, "_prefetched_objects_cache", {}).pop("sections", None)

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.forget_sections()  # read again with the rest, not kept from before

    def holds_sections(self) -> bool:
        """Whether this instance holds its sections (a save wrote them, or they were read)."""
        return "ordered_sections" in self.__dict__

    def sections_html(self) -> list[str]:
        """Each section's stored HTML in order: from the sections held, else read (that column
        alone)."""
        if self.holds_sections():
            return [s.html for s in self.ordered_sections]
        in_order = Section.objects.filter(article=self).order_by("position")
        return list(in_order.values_list("html", flat=True))

    def remember_sections(self, sections: list["Section"]) -> None:
        """The sections this instance has just written, its rows as stored: `ordered_sections`
        and `sections.all()` (what django-reversion follows, what the search index and the
        save's subscribers read) give them without reading them back; `forget_sections`
        ends it."""
        ordered = sorted(sections, key=lambda s: s.position)
        self.__dict__["ordered_sections"] = ordered
        self._hold("sections", Section.objects.filter(article=self), ordered)

    def hold_categories(self) -> None:
        """Read the categories, in one query, unless held, and keep them as a prefetch keeps
        them (until they are set again): the serializer reads them from there, where its own
        reading is a server-side cursor on PostgreSQL (three round trips)."""
        if "categories" not in getattr(self, "_prefetched_objects_cache", {}):
            current = self.categories.all()
            self._hold("categories", current, current)

    def prefetch_categories(self, categories: list["Category"]) -> None:
        """Give the article its categories as a prefetch would, without a query (the batch
        importer serializes new articles whose categories it knows)."""
        self._hold("categories", Category.objects.all(), categories)

    def _hold(self, relation: str, rows: models.QuerySet, items) -> None:
        """Keep `items` as a prefetch of `relation` keeps its rows: `self.<relation>.all()`
        gives them without a query. Django 5.2's QuerySet internals, used here alone:
        tests/test_bulk_import.py fails if they change."""
        rows._result_cache = list(items)
        rows._prefetch_done = True
        # A new dict: a copy of the instance (`appending`'s states) shares the old one.
        cache = getattr(self, "_prefetched_objects_cache", {})
        self._prefetched_objects_cache = {**cache, relation: rows}

    def source_sections(self) -> list[SourceSection]:
        return [SourceSection(s.heading, s.level, s.body) for s in self.ordered_sections]

    @property
    def source(self) -> str:
        """The whole-article Markdown: the lead, then every section under its heading."""
        return join_source(self.lead, self.source_sections())


@reversion.register()
class Section(models.Model):
    """One heading of an article and the Markdown under it; position 1 is the first heading."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    heading = models.CharField(max_length=500)
    level = models.PositiveSmallIntegerField(default=2)
    body = models.TextField(blank=True)
    heading_html = models.TextField(blank=True, editable=False)
    anchor = models.CharField(max_length=600, blank=True, editable=False)
    html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="section_position_unique")
        ]

    def __str__(self):
        return f"{self.article} § {self.position}: {self.heading}"


class Revision(models.Model):
    """What one save of an article changed, stored beside django-reversion's snapshot.

    Its primary key is the django-reversion revision's, so revision ids in URLs are the same
    numbers the admin history shows. The article link has no database constraint: the history
    of a deleted article stays, ready for recovery.
    """

    class Kind(models.TextChoices):
        CREATE = "create", gettext_lazy("Created")
        EDIT = "edit", gettext_lazy("Edited")
        REVERT = "revert", gettext_lazy("Reverted")
        UNDO = "undo", gettext_lazy("Undone")
        IMPORT = "import", gettext_lazy("Imported")
        RECOVER = "recover", gettext_lazy("Recovered")
        PROTECT = "protect", gettext_lazy("Protection changed")
        MOVE = "move", gettext_lazy("Moved")
        DELETE = "delete", gettext_lazy("Deleted")

    # The review state a list shows when it annotates it (wiki.review.services); a list that
    # does not (a contributor's edits) reads these, so a template's lookup finds an attribute
    # rather than failing and listing the row's every name (dir()) for each of its rows.
    is_reviewed = is_checked = is_pending = False

    revision = models.OneToOneField(
        "reversion.Revision", primary_key=True, on_delete=models.CASCADE, related_name="wiki"
    )
    article = models.ForeignKey(
        Article, on_delete=models.DO_NOTHING, db_constraint=False, related_name="revisions"
    )
    title = models.CharField(max_length=255)
    # Its article's language, kept here as the title is: recent changes lists a language's
    # edits without a join, deleted articles' too.
    language = models.CharField(max_length=12, default=content_language)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contributor = models.ForeignKey(
        Contributor, null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    created_at = models.DateTimeField(db_index=True)
    summary = models.CharField(max_length=500, blank=True)
    minor = models.BooleanField(default=False)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EDIT)
    size = models.PositiveIntegerField(help_text="Bytes of the whole source after this save.")
    size_delta = models.IntegerField(default=0)
    section = models.PositiveIntegerField(
        null=True, blank=True, help_text="Section number edited (0 = the lead); empty = whole."
    )
    section_heading = models.CharField(max_length=500, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The article's previous revision.",
    )  # fmt: skip
    # Where an imported revision came from ("<site>#<revision id>" for a MediaWiki dump), so
    # that importing the same revision again adds nothing; empty for edits made here.
    origin = models.CharField(max_length=300, blank=True, default="", editable=False)
    # SHA-1 of the revision's whole source as stored, as MediaWiki's rev_sha1 (check_integrity).
    sha1 = models.CharField(max_length=40, blank=True, default="", editable=False)
    tags = models.CharField(max_length=255, blank=True, default="", editable=False)  # "a, b"

    class Meta:
        ordering = ["-revision_id"]
        indexes = [
            models.Index(fields=["article", "-revision"], name="revision_article_newest"),
            # The keys of the lists paged by key (wiki/keyset.py): a contributor's edits,
            # newest first, and recent changes by the time an edit was made.
            models.Index(fields=["contributor", "-revision"], name="revision_contributor_newest"),
            models.Index(fields=["-created_at", "-revision"], name="revision_recent"),
            # A watchlist: the watched pages' edits by time, read from each page's own, never
            # by walking every edit of the wiki made since a busy page's last.
            models.Index(
                fields=["article", "-created_at", "-revision"], name="revision_article_recent"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["origin"], condition=~models.Q(origin=""), name="revision_origin_unique"
            )
        ]

    def __str__(self):
        return f"r{self.pk} of {self.title}"

    def get_absolute_url(self):
        return reverse("wiki:revision", args=[self.slug, self.pk])

    @property
    def slug(self) -> str:
        return self.title.replace(" ", "_")

    @property
    def kind_name(self) -> str:
        """The kind as a list of edits names it ("imported"), as `get_kind_display|lower` did:
        that translated every kind's label (Django hashes all the choices to find one) at
        each of the template engine's looks at the result, about ten a row; this one label."""
        try:
            label = self.Kind(self.kind).label
        except ValueError:  # a kind no longer among the choices: shown as stored
            label = self.kind
        return str(label).lower()


class Credit(models.Model):
    """A contributor credited on an article: from their edits, or imported with the text."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="credits")
    contributor = models.ForeignKey(Contributor, on_delete=models.CASCADE, related_name="credits")
    since = models.DateTimeField()
    imported = models.BooleanField(default=False)
    # Where the credit comes from: the editor's first edit, or the import that credited the
    # name (its history row says so). None: added by hand in the admin.
    revision = models.ForeignKey(
        "wiki.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credits_given",
        help_text="The revision that brought this credit (an edit, or an import).",
    )

    class Meta:
        ordering = ["since", "pk"]
        # An article's credits page is paged by key (wiki/keyset.py) in this order.
        indexes = [
            models.Index(fields=["article", "since", "id"], name="credit_article_since"),
            # A contributor's page lists their credits, the latest first.
            models.Index(fields=["contributor", "since", "id"], name="credit_contributor_since"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["article", "contributor"], name="credit_unique")
        ]

    def __str__(self):
        return f"{self.contributor} on {self.article}"


class Link(models.Model):
    """A wiki link from an article's current text to a title (which may not exist yet)."""

    source = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="outgoing_links")
    target_slug = models.CharField(max_length=255, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target_slug"], name="link_unique")
        ]
        # What links here pages a title's links by the linking article, from either end.
        indexes = [models.Index(fields=["target_slug", "source"], name="link_target_source")]

    def __str__(self):
        return f"{self.source} → {self.target_slug}"


class Portal(models.Model):
    """An entry of the navigation bar and a portal page listing one category's articles, in
    one language (the navigation bar of a language shows its own)."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    language = language_field()
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="portals",
        help_text="The portal page lists this category's articles.",
    )
    link = models.CharField(
        max_length=300,
        blank=True,
        help_text="Optional: a path the navigation entry goes to instead of the portal page.",
    )
    description = models.TextField(blank=True, help_text="Markdown shown at the top of the portal.")
    description_html = models.TextField(blank=True, editable=False)
    position = models.PositiveIntegerField(default=0, help_text="Order in the navigation bar.")
    in_navigation = models.BooleanField(default=True)

    objects = LanguageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="portal_language_slug")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.link or url_in(loaded_language(self), "wiki:portal", args=[self.slug])


class TranslationGroup(models.Model):
    """The articles about one subject, one per language (Migraine, Migraña, صداع نصفي): each
    lists the others in its language menu and its head (`hreflang`). Kept by
    `wiki.translations`; a group left with one article is deleted."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return f"translation group {self.pk}"


class InterlanguageLink(models.Model):
    """An imported article's `[[es:Migraña]]` that names no article here (yet): the other
    language's dump not imported, or a language the site lacks. It becomes a translation
    group link once that article exists (`wiki.interlanguage`), and is written back by the
    MediaWiki export either way."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="interlanguage_links"
    )
    language = models.CharField(max_length=20)  # a Wikipedia language code, maybe not ours
    title = models.CharField(max_length=255)
    slug = models.CharField(max_length=255)  # the title's slug, to find the article by

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="interlanguage_article_language"
            )
        ]
        indexes = [models.Index(fields=["language", "slug"], name="interlanguage_target")]

    def __str__(self):
        return f"{self.language}:{self.title}"


class SiteGeneration(models.Model):
    """One row: the number that retires every cached page when it moves (portals, categories or
    contributor names changed, or an invalidation could not reach the cache). It lives in the
    database, not the cache, so a cache that lost a delete or came back with old data cannot
    replay pages from before the move (see `caching`)."""

    value = models.BigIntegerField()

    class Meta:
        db_table = "wiki_site_generation"

    def __str__(self):
        return f"site generation {self.value}"


class MediaUse(models.Model):
    """An article's current text shows this media file (its "file usage"); by slug, so a use
    of a file not uploaded yet is known too."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="media_uses")
    media_slug = models.CharField(max_length=240, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "media_slug"], name="media_use_unique")
        ]

    def __str__(self):
        return f"{self.article} shows {self.media_slug}"
