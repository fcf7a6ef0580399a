"""Files of a MediaWiki, imported from a folder as media pages (`wiki.media`), with what their
description pages in the dump say: `{{Information|description=|source=|author=|date=}}` and a
license template (`{{cc-by-sa-4.0}}`, `{{self|cc-by-3.0}}`, `{{PD-…}}`, `{{cc-zero}}`,
`{{Non-free …}}`). A file with no license known (neither its page nor `default_license`) is not
imported, and said so: an image is shown only with its license."""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import mwparserfromhell
from django.core.files.uploadedfile import SimpleUploadedFile

from ..media.models import MediaFile
from ..media.services import DuplicateMedia, MediaEdit, media_upload
from ..uploads import RefusedUpload

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
LICENSES = [
    (re.compile(r"^cc-by-sa-4\.0"), MediaFile.License.CC_BY_SA),
    (re.compile(r"^cc-by-sa-(3\.0|2\.5|2\.0)"), MediaFile.License.CC_BY_SA_3),
    (re.compile(r"^cc-by-4\.0"), MediaFile.License.CC_BY),
    (re.compile(r"^cc-by-(3\.0|2\.5|2\.0)"), MediaFile.License.CC_BY_3),
    (re.compile(r"^(cc-zero|cc0)"), MediaFile.License.CC0),
    (re.compile(r"^(pd|public domain)"), MediaFile.License.PUBLIC_DOMAIN),
    (re.compile(r"^(non-free|fair use)"), MediaFile.License.FAIR_USE),
]
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


@dataclass
class FileFacts:
    description: str = ""
    author: str = ""
    source_url: str = ""
    date: dt.date | None = None
    license: str = ""
    rationale: str = ""


@dataclass
class FilesReport:
    imported: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "name: why"


def file_name(name: str) -> str:
    name = " ".join(name.replace("_", " ").split())
    return name[:1].upper() + name[1:]


def _text(value) -> str:
    return " ".join(mwparserfromhell.parse(str(value)).strip_code().split())


def facts_of(page_text: str) -> FileFacts:
    """What a file description page says of its file."""
    facts = FileFacts()
    code = mwparserfromhell.parse(page_text or "")
    for template in code.filter_templates(recursive=True):
        name = str(template.name).strip().lower().replace("_", " ")
        if name == "information":
            for param, attr in (("description", "description"), ("author", "author")):
                if template.has(param):
                    setattr(facts, attr, _text(template.get(param).value))
            if template.has("source"):
                source = str(template.get("source").value)
                if found := re.search(r"https?://[^\s\]|]+", source):
                    facts.source_url = found.group(0)
            if template.has("date") and (found := ISO_DATE.search(str(template.get("date").value))):
                try:
                    facts.date = dt.date(*map(int, found.groups()))
                except ValueError:
                    pass
        names = [name] + (
            [str(p.value).strip().lower() for p in template.params] if name == "self" else []
        )
        for candidate in names:
            for pattern, license in LICENSES:
                if not facts.license and pattern.match(candidate):
                    facts.license = license
        if name.startswith("non-free use rationale") or name.startswith("fair use rationale"):
            facts.rationale = _text(template)[:2000] or "Fair use rationale on the original wiki."
    if facts.license == MediaFile.License.FAIR_USE and not facts.rationale:
        facts.rationale = "Marked non-free (fair use) on the wiki it was imported from."
    return facts


def import_files(folder, pages: dict[str, str], *, default_author="", default_license=""):
    """Every image in `folder` not yet a media page, with the facts of its page in `pages`
    (file name -> the page's newest text)."""
    report = FilesReport()
    for path in sorted(Path(folder).iterdir()):
        if path.suffix.lower() not in IMAGE_SUFFIXES or not path.is_file():
            continue
        name = file_name(path.name)
        if MediaFile.objects.filter(slug=name.replace(" ", "_")).exists():
            report.already.append(name)
            continue
        facts = facts_of(pages.get(name, ""))
        license = facts.license or default_license
        if not license:
            report.refused.append(f"{name}: no license on its page; give --files-license")
            continue
        author = facts.author or default_author
        if not author:
            report.refused.append(f"{name}: no author on its page; give --files-author")
            continue
        alt = facts.description or Path(name).stem
        try:
            media_upload(
                upload=SimpleUploadedFile(path.name, path.read_bytes()),
                name=name,
                edit=MediaEdit(
                    description=facts.description,
                    alt=alt[:500],
                    author=author[:300],
                    source_url=facts.source_url,
                    license=license,
                    rationale=facts.rationale,
                    date=facts.date,
                    summary="Imported from MediaWiki",
                ),
                user=None,
            )
        except (RefusedUpload, DuplicateMedia, ValueError) as refused:
            report.refused.append(f"{name}: {refused}")
            continue
        report.imported.append(name)
    return report
