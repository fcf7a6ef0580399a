"""Is the wiki whole? After a restore, a disk fault or a hand-made change in the database:
every article's current row equals its latest snapshot, every revision's stored text has the
SHA-1 recorded when it was made, and every media file's bytes have the SHA-256 they were
stored under. `manage.py check_integrity` runs it; each problem names what to look at.

It reads everything once, a batch at a time: its work grows with the wiki, its memory does not."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db.models import Prefetch

from .media.models import MediaFile, MediaRevision
from .models import Article, Revision, Section
from .snapshots import load_snapshots
from .sources import SourceSection, join_source

BATCH = 500


@dataclass(frozen=True)
class Problem:
    kind: str  # article, revision, media
    where: str
    what: str

    def __str__(self):
        return f"{self.kind} {self.where}: {self.what}"


def _batches(queryset) -> Iterator[list]:
    last = 0
    while rows := list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH]):
        yield rows
        last = rows[-1].pk


def article_problems() -> Iterator[Problem]:
    """Each article's row (title, text) against the snapshot of its latest revision."""
    articles = Article.objects.prefetch_related(
        Prefetch("sections", queryset=Section.objects.order_by("position"))
    )
    for rows in _batches(articles):
        snapshots = load_snapshots(a.latest_revision_id for a in rows if a.latest_revision_id)
        for article in rows:
            where = f"{article.pk} “{article.title}”"
            snapshot = snapshots.get(article.latest_revision_id)
            if snapshot is None:
                yield Problem("article", where, "its latest revision has no snapshot")
            elif snapshot.title != article.title:
                yield Problem("article", where, f"titled “{snapshot.title}” in its latest revision")
            elif snapshot.source != _source(article):
                yield Problem(
                    "article", where, f"its text differs from revision {snapshot.revision_id}"
                )


def revision_problems() -> Iterator[Problem]:
    """Each revision's snapshot against the SHA-1 recorded when it was made."""
    revisions = Revision.objects.only("pk", "sha1", "title")
    for rows in _batches(revisions):
        snapshots = load_snapshots(r.pk for r in rows)
        for revision in rows:
            where = f"{revision.pk} of “{revision.title}”"
            snapshot = snapshots.get(revision.pk)
            if snapshot is None:
                yield Problem("revision", where, "its snapshot is missing")
            elif revision.sha1 and _sha1(snapshot.source) != revision.sha1:
                yield Problem("revision", where, "its stored text does not match its SHA-1")


def _source(article) -> str:
    sections = [SourceSection(s.heading, s.level, s.body) for s in article.sections.all()]
    return join_source(article.lead, sections)


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()  # noqa: S324  (an identity, not a secret)


def _file_problem(name: str, sha256: str) -> str:
    digest = hashlib.sha256()
    try:
        with default_storage.open(name, "rb") as stored:
            for chunk in iter(lambda: stored.read(1 << 20), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return f"its file {name} is missing"
    return "" if digest.hexdigest() == sha256 else f"the bytes of {name} do not match its SHA-256"


def media_problems() -> Iterator[Problem]:
    """Each media file's current file and every version's, against their SHA-256."""
    for model, label in ((MediaFile, "File:{}"), (MediaRevision, "version {}")):
        for rows in _batches(model.objects.only("pk", "file", "sha256")):
            for row in rows:
                if what := _file_problem(row.file, row.sha256):
                    name = row.name if model is MediaFile else row.pk
                    yield Problem("media", label.format(name), what)


def problems() -> Iterator[Problem]:
    yield from article_problems()
    yield from revision_problems()
    yield from media_problems()
