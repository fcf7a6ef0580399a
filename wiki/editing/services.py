"""The edit door: every interface a person edits through (the edit and section forms, new
articles, talk, the REST API, /api.php, undo and revert, the admin) builds an `EditRequest` and
calls `article_edit_submit`, which runs the checks every writer obeys, then saves through the
core's write path (`services.article_save`).

The checks: who may edit (`permissions.require_edit`: the role, protection, and the holds the
capabilities add, editorial's blocks), what the text must get right
(`validation.source_problems`: citations, the infobox, template calls; `SourceRefused`), the
young-account limits (`limits.check_write`), then the size and render bounds that
`article_save` itself enforces. Importers and the admin's recovery of a deleted article call
the lower-level `article_save` by name.
"""

from dataclasses import dataclass

from ..limits import check_write
from ..models import Article
from ..permissions import EditRefused, require_edit
from ..services import ArticleEdit, SaveResult, article_save
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
    "revert", "admin"). Who asks is the edit's user."""

    edit: ArticleEdit
    address: str = ""  # the client's (`limits.client_address`); "" counts per account only
    interface: str = ""

    @property
    def actor(self):
        return self.edit.user


def article_edit_submit(*, article: Article, request: EditRequest) -> SaveResult:
    """The edit door: refuse with a `permissions.EditRefused` (EditForbidden: not an editor,
    blocked, protected; `SourceRefused`: the text's problems; `limits.EditLimited`: a young
    account's limits), else save as `article_save` does, raising what it raises (size and
    render bounds included)."""
    require_edit(request.actor, article)
    if request.interface not in RESTORING:
        # The text the edit brings (a section's alone), checked as the page it is saved as.
        if problems := source_problems(request.edit.text, title=article.title):
            raise SourceRefused(problems)
    check_write(
        user=request.actor,
        address=request.address,
        old_text="" if article._state.adding else article.source,
        new_text=request.edit.text,
    )
    return article_save(article=article, edit=request.edit)
