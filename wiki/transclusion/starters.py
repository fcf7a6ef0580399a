"""Starter templates: the skeletons a new article can start from, one per kind of page.

A starter is the page `Template:Starter/<Kind>` (`Template:Starter/Condition`…): its text is
the skeleton, `{{{title}}}` standing for the new article's title, and a ```templatedata```
block, if it has one, is its documentation, left out of the skeleton. Every such page is
offered when an article is created, in title order; administrators edit them and add more
by creating another `Template:Starter/…` page. Three are shipped after migration 0025
(`shipping.ship_templates`, a post_migrate step).
"""

import re

from ..models import Article
from ..services import ArticleEdit, article_save
from ..titles import TEMPLATE_PREFIX

PREFIX = TEMPLATE_PREFIX + "Starter/"
TITLE = "{{{title}}}"
DOCS_BLOCK = re.compile(r"^```templatedata[ \t]*\n.*?^```[ \t]*\n?", re.M | re.S)

CONDITION = """::: infobox medical condition
Name: {{{title}}}
Other names:
Specialty:
Symptoms:
Causes:
Risk factors:
Diagnostic method:
Treatment:
ICD-10:
ICD-11:
:::

**{{{title}}}** is a condition in which …

## Signs and symptoms

## Causes

## Diagnosis

## Treatment

## Prognosis

## References
"""

DRUG = """::: infobox drug
Name: {{{title}}}
Trade names:
Drug class:
Routes of administration:
ATC code:
Legal status:
Elimination half-life:
:::

**{{{title}}}** is a medication used to …

## Medical uses

## Side effects

## Contraindications

## Interactions

## Mechanism of action

## References
"""

PROCEDURE = """**{{{title}}}** is a procedure in which …

## Uses

## Preparation

## Procedure

## Risks and complications

## Recovery

## References
"""

SHIPPED = {"Condition": CONDITION, "Drug": DRUG, "Procedure": PROCEDURE}


def starter_kinds() -> list[str]:
    """The kinds of page a new article can start as: every `Template:Starter/…` page's name."""
    titles = Article.objects.in_language().filter(
        title__startswith=PREFIX, redirect_to__isnull=True
    )
    return [t[len(PREFIX) :] for t in titles.order_by("title").values_list("title", flat=True)]


def starter_text(kind: str, *, title: str) -> str | None:
    """The skeleton of `kind` for the article `title`; None when there is no such starter."""
    starter = Article.objects.by_title(PREFIX + kind).first()
    if starter is None:
        return None
    return DOCS_BLOCK.sub("", starter.source).strip("\n").replace(TITLE, title) + "\n"


def starters_ship() -> list[str]:
    """Create the shipped starters that are missing, protected (administrators edit them),
    through the write path as an import is; their titles."""
    made = []
    for kind, text in SHIPPED.items():
        title = PREFIX + kind
        if Article.objects.by_title(title).exists():
            continue
        article = Article(title=title, protection=Article.Protection.ADMINS)
        article_save(
            article=article,
            edit=ArticleEdit(
                text=text, base_revision=None, summary="Starter template shipped with the site"
            ),
        )
        made.append(title)
    return made
