"""What search engines and link previews read about an article: description, OpenGraph and
Twitter card tags, and schema.org JSON-LD (MedicalWebPage, and what its infobox's type
describes: MedicalCondition, Drug…)."""

import json
import re
from html import unescape

from django.utils.safestring import SafeString, mark_safe

from .box_templates import box_type_named
from .infoboxes import schema_org
from .languages import default_language
from .rendering import plain_text, render_inline

# Articles in this category are about a medical condition (schema.org MedicalCondition).
CONDITION_CATEGORY = "Disease Index"
LICENSE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"

# Inside <script>, "</script>" or "<!--" in a string would end or confuse the element: JSON
# allows these characters escaped, so escape them all.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> element that no text in `data` can break out of."""
    payload = json.dumps(data, ensure_ascii=False, indent=None).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


def _text_of(markdown: str) -> str:
    """An infobox value's text, without its markup (links, emphasis, footnote marks)."""
    html, _ = render_inline(markdown)
    html = FOOTNOTE_MARK.sub("", html)
    return unescape(plain_text(html))


FOOTNOTE_MARK = re.compile(r"<sup[^>]*>.*?</sup>", re.DOTALL)


def person(contributor, url: str) -> dict:
    data = {"@type": "Person", "name": contributor.name, "url": url}
    if contributor.credentials:
        data["honorificSuffix"] = contributor.credentials
    return data


def reviewer(review, absolute) -> dict:
    """The reviewer as schema.org has a Person, with the credentials they reviewed under."""
    data = {"@type": "Person", "name": review.reviewer_name}
    if review.contributor_id:
        data["url"] = absolute(review.contributor.get_absolute_url())
    if review.reviewer_credentials:
        data["honorificSuffix"] = review.reviewer_credentials
        data["hasCredential"] = {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": review.reviewer_credentials,
        }
    return data


def article_structured_data(
    *,
    article,
    url: str,
    description: str,
    image: str,
    credits,
    categories,
    site_name: str,
    site_url: str,
    absolute,
    review=None,
    translations=(),
) -> dict:
    """schema.org MedicalWebPage for an article; `absolute` turns a path into a full URL;
    `translations`, its group's other articles (`wiki.translations.Translation`): the default
    language's article names the others as its `workTranslation`, another names the default
    language's as its `translationOfWork`."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": article.title,
        "headline": article.title,
        "description": description,
        "inLanguage": article.language,
        "license": LICENSE_URL,
        "dateCreated": article.created_at.isoformat(),
        "isPartOf": {"@type": "WebSite", "name": site_name, "url": site_url},
        "publisher": {"@type": "Organization", "name": site_name, "url": site_url},
    }
    if article.updated_at:
        data["dateModified"] = article.updated_at.isoformat()

    def work(t):
        url = absolute(t.url)
        return {
            "@type": "MedicalWebPage",
            "@id": url,
            "url": url,
            "name": t.title,
            "inLanguage": t.language,
        }

    if article.language == default_language():
        if translations:
            data["workTranslation"] = [work(t) for t in translations]
    elif source := next((t for t in translations if t.language == default_language()), None):
        data["translationOfWork"] = work(source)
    if credits:
        data["author"] = [person(c, absolute(c.get_absolute_url())) for c in credits]
    if image:
        data["image"] = image
    if review is not None:  # the last medical review (`wiki.review.models.Review`)
        data["lastReviewed"] = review.created_at.date().isoformat()
        data["reviewedBy"] = reviewer(review, absolute)
    names = [c.name for c in categories]
    box = article.infobox or {}
    box_type = box_type_named(box["type"]) if box.get("type") else None
    described = schema_org(box, box_type, name=article.title, url=url, text_of=_text_of)
    if described:
        data["about"] = described
    elif CONDITION_CATEGORY in names:
        data["about"] = {"@type": "MedicalCondition", "name": article.title, "url": url}
    other = [n for n in names if n != CONDITION_CATEGORY]
    if other:
        data["keywords"] = ", ".join(other)
    return data
