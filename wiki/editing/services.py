"""The edit door: every interface a person edits through (the edit and section forms, new
articles, talk, the REST API, /api.php, undo and revert, the admin) builds an `EditRequest` and
calls `article_edit_submit`, which runs the checks every writer obeys, then saves through the
core's write path (`services.article_save`).

The checks: who may edit (`permissions.require_edit`: the role, protection, and the holds the
capabilities add, editorial's blocks), what the text must get right
(`validation.source_problems`: citations, the infobox, template calls; `SourceRefused`), the
young-account limits (`limits.check_write`), anti-abuse (`antiabuse.services.edit_screen`: the
link blocklist, the captcha a young account answers to add links, the abuse rules, held edits
of new accounts; the tags it answers go on the revision), then the size and render
bounds that `article_save` itself enforces. Importers and the admin's recovery of a deleted
article call the lower-level `article_save` by name.
"""

from dataclasses import dataclass, replace

from ..antiabuse.services import edit_screen
from ..limits import check_write
from ..models import Article
from ..permissions import EditRefused, require_edit
from ..services import ArticleEdit, SaveResult, article_save
from ..sources import replace_section
from ..validation import source_problems

# Undo and revert bring back text the wiki once accepted; a template deleted or changed since
# must not keep a vandalised page from being restored.
RESTORING = frozenset({"undo", "revert"})


class SourceRefused(EditRefused):
    """The edit's text has problems (a citation, the infobox, a template call): nothing is
    saved; `problems` names each, as the edit form shows them."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems), status=400, code="source_problems")
        self.problems = problems


@dataclass(frozen=True, kw_only=True)
class EditRequest:
    """An edit as someone asks for it at the door: the change, from which client address, and
    through which interface ("form", "section", "new", "talk", "rest", "action-api", "undo",
    "revert", "admin", "moderation"). Who asks is the edit's user; an editor approving a held
    edit (`approved_by`) publishes it as its author's."""

    edit: ArticleEdit
    address: str = ""  # the client's (`limits.client_address`); "" counts per account only
    interface: str = ""
    captcha_solved: bool = False  # the interface checked a captcha the person answered
    approved_by: object = None  # the editor who approved this held edit (antiabuse.moderation)

    @property
    def actor(self):
        return self.edit.user


def article_edit_submit(*, article: Article, request: EditRequest) -> SaveResult:
    """The edit door: refuse with a `permissions.EditRefused` (EditForbidden: not an editor,
    blocked, protected; `SourceRefused`: the text's problems; `limits.EditLimited`: a young
    account's limits; `LinkBlocked`, `CaptchaNeeded`, `EditDenied`, `EditWarned`, `EditHeld`:
    anti-abuse), else save as `article_save` does, raising what it raises (size and render
    bounds included)."""
    require_edit(request.actor, article)
    if request.interface not in RESTORING:
        # The text the edit brings (a section's alone), checked as the page it is saved as.
        if problems := source_problems(request.edit.text, title=article.title):
            raise SourceRefused(problems)
    old_text = "" if article._state.adding else article.source  # the text as saved
    if request.approved_by is None:  # an approved edit's author is not counted again
        check_write(
            user=request.actor,
            address=request.address,
            old_text=old_text,
            new_text=request.edit.text,
        )
    # Anti-abuse (link lists, captcha, abuse rules, held edits): one call, on whole texts.
    new_text = request.edit.text
    if request.edit.section is not None:
        new_text = replace_section(old_text, request.edit.section, new_text)
    tags = edit_screen(
        article=article,
        edit=request.edit,
        interface=request.interface,
        old_text=old_text,
        new_text=new_text,
        captcha_solved=request.captcha_solved,
        approved=request.approved_by is not None,
    )
    edit = replace(request.edit, tags=tags) if tags else request.edit
    return article_save(article=article, edit=edit)
