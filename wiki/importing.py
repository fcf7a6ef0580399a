"""Markdown files (optional YAML front matter) into articles, through the write path."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .models import Article, Contributor, Revision
from .services import article_save
from .sources import normalize_newlines
from .titles import validate_title

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
TITLE_LINE = re.compile(r"\A\s*#[ \t]+(.+?)[ \t]*#*[ \t]*\n")


class ImportFileError(ValueError):
    pass


@dataclass
class ParsedFile:
    title: str
    source: str
    categories: list[str] | None
    contributors: list[tuple[str, str]] = field(default_factory=list)


def _contributor(entry) -> tuple[str, str]:
    if isinstance(entry, dict):
        name, credentials = (
            str(entry.get("name", "")).strip(),
            str(entry.get("credentials", "") or ""),
        )
    else:
        name, _, credentials = str(entry).partition(",")
    if not name.strip():
        raise ImportFileError("a contributor has no name")
    return name.strip(), credentials.strip()


def parse_markdown_file(text: str) -> ParsedFile:
    text = normalize_newlines(text).lstrip("\ufeff")
    meta = {}
    if match := FRONT_MATTER.match(text):
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            raise ImportFileError(f"front matter is not valid YAML ({exc.problem})") from exc
        if not isinstance(meta, dict):
            raise ImportFileError("front matter must be a mapping of keys to values")
        text = text[match.end() :]
    title = meta.get("title")
    if title_match := TITLE_LINE.match(text):
        title = title or title_match.group(1)
        text = text[title_match.end() :].lstrip("\n")
    if not title:
        raise ImportFileError("no title: add `title:` front matter or a first line `# Title`")
    try:
        title = validate_title(str(title))
    except ValueError as exc:
        raise ImportFileError(str(exc)) from exc
    categories = meta.get("categories")
    if isinstance(categories, str):
        categories = [c.strip() for c in categories.split(",")]
    contributors = [_contributor(c) for c in meta.get("contributors") or []]
    return ParsedFile(
        title, text, [str(c) for c in categories] if categories is not None else None, contributors
    )


def import_file(parsed: ParsedFile, *, user=None, summary: str = "Imported") -> Revision | None:
    """Create or update the article; returns the new revision, or None when nothing changed."""
    article = Article.objects.by_title(parsed.title).first() or Article(title=parsed.title)
    credits = []
    for name, credentials in parsed.contributors:
        contributor, created = Contributor.objects.get_or_create(
            name=name, defaults={"credentials": credentials}
        )
        if not created and credentials and contributor.credentials != credentials:
            contributor.credentials = credentials
            contributor.save(update_fields=["credentials"])
        credits.append(contributor)
    result = article_save(
        article=article,
        user=user,
        source=parsed.source,
        base_revision=article.latest_revision_id,
        summary=summary,
        categories=parsed.categories,
        kind=Revision.Kind.IMPORT,
        imported_credits=credits,
        check_permission=False,
    )
    return result.revision


def markdown_paths(paths) -> list[Path]:
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        else:
            found.append(path)
    return found
