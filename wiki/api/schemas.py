"""The shapes of the REST API's answers and requests (its OpenAPI components)."""

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, Field, StrictBool


class ErrorDetail(Schema):
    code: str = Field(description="Machine-readable: e.g. article_not_found, edit_conflict.")
    message: str
    status: int
    problems: list[str] | None = Field(
        None, description="source_problems: each problem of the text (a citation, a template call)."
    )


class Error(Schema):
    error: ErrorDetail


class Contributor(Schema):
    name: str
    credentials: str
    display_name: str
    url: str


EXCERPT = "The lead's prose, cut short: never the infobox, lists or headings."


class ArticleSummary(Schema):
    title: str
    url: str
    revision_id: int | None
    modified: dt.datetime | None
    size: int
    excerpt: str = Field(description=EXCERPT)


class ArticleList(Schema):
    items: list[ArticleSummary]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null: done.")


class Section(Schema):
    number: int = Field(description="0 is the lead; the number `section=` takes when editing.")
    heading: str
    level: int
    anchor: str
    source: str


class Link(Schema):
    title: str
    exists: bool


class Infobox(Schema):
    type: str = Field(
        description="Its type: “medical condition”, “drug” or one an administrator added "
        "(the template “Template:Infobox <type>”)."
    )
    fields: dict[str, str] = Field(description="Field key → its Markdown value.")


class Review(Schema):
    reviewed_revision_id: int | None = Field(description="The last medically reviewed revision.")
    reviewed_at: dt.datetime | None
    reviewer: str | None = Field(description="Name and credentials, as they were.")
    note: str
    edits_since: int = Field(description="Revisions made after the reviewed one.")
    readers_see_reviewed: bool = Field(
        description="Readers are shown the last reviewed revision (the article's setting, "
        "else the site's default WIKI_READERS_SEE_REVIEWED)."
    )
    readers_revision_id: int | None = Field(
        description="The revision readers (who are not editors) are shown: the stable one "
        "while newer edits await review and readers_see_reviewed, else the latest."
    )
    checked_revision_id: int | None = Field(
        description="The newest revision marked at least checked (a medical review counts)."
    )
    stable_level: str = Field(
        description="The level a revision needs to be the stable one readers are shown: "
        "“reviewed” or “checked” (the site's WIKI_STABLE_LEVEL)."
    )
    readers_revision_level: str | None = Field(
        description="The level of readers_revision_id: “reviewed” (medically), “checked” "
        "(not vandalism, not a medical review) or null."
    )


class Article(Schema):
    title: str
    url: str
    revision_id: int | None
    created: dt.datetime
    modified: dt.datetime | None
    size: int
    protected: bool
    redirect_to: str | None
    excerpt: str = Field(description=EXCERPT)
    source: str = Field(description="The whole Markdown source.")
    content_model: str = "markdown"
    sections: list[Section]
    html: str = Field(
        description="The rendered, sanitized body of the latest revision (revision_id), as "
        "editors see it."
    )
    readers_html: str = Field(
        description="The body readers are shown (of review.readers_revision_id): the last "
        "medically reviewed revision while newer edits await review, else the same as html."
    )
    categories: list[str]
    credits: list[Contributor]
    links_out: list[Link]
    links_in: list[str] = Field(description="Titles of articles whose text links here.")
    infobox: Infobox | None = Field(description="The article's infobox, parsed; null without one.")
    review: Review


class RevisionInfo(Schema):
    id: int
    parent_id: int | None
    title: str
    timestamp: dt.datetime
    contributor: str | None
    summary: str
    minor: bool
    kind: str
    size: int
    size_delta: int
    section: int | None
    review_level: str | None = Field(
        description="The highest mark on this revision: “reviewed” (medically reviewed, by a "
        "reviewer), “checked” (an editor verified it is not vandalism) or null."
    )
    text_hidden: bool = Field(False, description="An administrator hid the text.")
    summary_hidden: bool = Field(False, description="An administrator hid the summary.")
    contributor_hidden: bool = Field(False, description="An administrator hid the author.")


class RevisionList(Schema):
    items: list[RevisionInfo]
    next_cursor: str | None


class RevisionSource(RevisionInfo):
    source: str
    content_model: str = "markdown"


class DiffRow(Schema):
    kind: str = Field(description="context, added, removed, changed or skipped")
    old_html: str
    new_html: str
    skipped: int


class DiffSection(Schema):
    status: str = Field(description="unchanged, changed, added or removed")
    heading: str
    old_number: int | None
    new_number: int | None
    moved: bool
    rows: list[DiffRow]


class Diff(Schema):
    from_revision: int
    to_revision: int
    title_change: list[str] | None
    unified: str = Field(description="A unified diff of the two Markdown sources.")
    sections: list[DiffSection]


class SearchHit(Schema):
    title: str
    url: str
    snippet_html: str = Field(description="Escaped text with the matched words in <mark>.")


class SearchResults(Schema):
    query: str
    total: int
    page: int
    per_page: int
    did_you_mean: str
    results: list[SearchHit]


class Suggestions(Schema):
    query: str
    titles: list[str]


class Change(RevisionInfo):
    article_url: str
    bot: bool = Field(description="Made by an account in the Bots group (MediaWiki's bot flag).")


class ChangeList(Schema):
    items: list[Change]
    next_cursor: str | None


class CategoryInfo(Schema):
    name: str
    url: str
    description: str
    parent: str | None
    articles: int


class CategoryList(Schema):
    items: list[CategoryInfo]
    next_cursor: str | None


class CategoryDetail(CategoryInfo):
    members: list[ArticleSummary]
    next_cursor: str | None


class ContributorInfo(Contributor):
    edits: int


class ContributorList(Schema):
    items: list[ContributorInfo]
    next_cursor: str | None


class ContributorDetail(ContributorInfo):
    bio: str
    credited_on: list[str]


# Writes: a request is taken only as the document types it (not 0 for false, not "5" for 5).


def _json_integer(value):
    """A JSON integer (5, or 5.0 as JSON Schema counts it), not a string or a boolean."""
    if isinstance(value, str | bool):
        raise ValueError("Input should be an integer")
    return value


Integer = Annotated[int, BeforeValidator(_json_integer)]


class CaptchaAnswer(Schema):
    captcha_id: str = Field(
        "",
        max_length=100,
        description="A new account adding links to other sites first gets a 400 `captcha` "
        "error with a challenge (`captcha.id`, its picture `captcha.url`, its sound "
        "`captcha.audio`): send the same request again with its id and the characters.",
    )
    captcha_answer: str = Field("", max_length=100)


class ArticleCreate(CaptchaAnswer):
    title: str = Field(max_length=255)
    text: str
    summary: str = Field("", max_length=500)
    categories: list[str] | None = None


class ArticleUpdate(CaptchaAnswer):
    text: str = Field(description="The whole source, or the text of `section` alone.")
    base_revision: Integer | None = Field(
        None,
        description="The revision your text started from: a later save is merged or is a 409. "
        "Leave it out only to overwrite whatever is current.",
    )
    section: Integer | None = Field(None, ge=0, description="0 = the lead, 1 = the first heading…")
    summary: str = Field("", max_length=500)
    minor: StrictBool = False
    categories: list[str] | None = None


class SaveAnswer(Schema):
    title: str
    url: str
    revision_id: int | None
    unchanged: bool = Field(description="True: the text was the same, no revision was made.")
    merged: bool = Field(description="True: a concurrent edit was merged in with yours.")


class HeldAnswer(Schema):
    """202: the edit was accepted but not published; it waits for an editor's review."""

    title: str
    held: bool = Field(description="Always true: nothing was published yet.")
    held_edit_id: int
    code: str = Field(description='"moderation-edit-queued"')
    message: str
    queue_url: str = Field(description="Where the author follows it, and editors review it.")


class ConflictDetail(ErrorDetail):
    latest_revision: int | None
    current_text: str
    your_text: str


class Conflict(Schema):
    error: ConflictDetail


class ReviewRequest(Schema):
    level: str = Field(
        "reviewed",
        description="“checked” (any editor: not vandalism) or “reviewed” (medically; "
        "Reviewers only).",
    )
    note: str = Field("", max_length=500)
    literature_to: str | None = Field(
        None,
        description="A medical review only: the month the literature was reviewed to, YYYY-MM.",
    )


class ReviewMark(Schema):
    revision_id: int
    level: str
    reviewer: str = Field(description="Name and credentials, as they were.")
    note: str
    literature_to: dt.date | None
    created: dt.datetime


class RevertRequest(Schema):
    revision_id: Integer
    summary: str = Field("", max_length=500)


class Upload(Schema):
    url: str
    markdown: str


class TemplateUser(ArticleSummary):
    direct: bool = Field(description="Calls the template by name; false: through another template.")


class TemplateUses(Schema):
    template: str = Field(description="The template's page title, e.g. Template:Hatnote.")
    exists: bool
    total: int = Field(description="Pages using it, directly or through other templates.")
    items: list[TemplateUser]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null: done.")


class ExpandRequest(Schema):
    text: str = Field(description="Markdown with template calls, e.g. {{Hatnote|page=Gout}}.")
    title: str = Field(
        "",
        description="The page the text is expanded as: on a template's own page its "
        "parameters show their defaults.",
    )


class Expanded(Schema):
    text: str = Field(description="The Markdown with every template call expanded.")
    templates: list[str] = Field(description="The templates the expansion used, by title.")
    problems: list[str] = Field(
        description="What a save of the text would be refused for (unknown templates and "
        "parameters, missing required ones, loops, bounds)."
    )
