"""Infobox types read from the stored templates (`Template:Infobox <type>`): the resolver the
renderer is given (`infobox_types.resolving`), the type an article's JSON-LD describes, and
every type the editors' Infobox menu offers. A shipped type whose page is missing answers with
its shipped definition (`shipped_templates`), so its boxes render as they always did."""

from collections.abc import Callable

from .infobox_types import INFOBOX_TEMPLATE, BoxType, box_type_of, shipped_box_type
from .models import Article
from .titles import TEMPLATE_PREFIX
from .transcluding import stored_template, template_data


def box_types(templates: Callable[[str], str | None]) -> Callable[[str], BoxType | None]:
    """A type name -> its BoxType, read through `templates` (a template's source by name)."""
    found: dict[str, BoxType | None] = {}

    def find(kind: str) -> BoxType | None:
        if kind not in found:
            source = templates(INFOBOX_TEMPLATE + kind)
            if source is None:
                found[kind] = shipped_box_type(kind)
            else:
                found[kind] = box_type_of(kind, template_data(source)[0])
        return found[kind]

    return find


def box_type_named(kind: str) -> BoxType | None:
    """The type as the stored templates define it today."""
    return box_types(stored_template)(kind)


def defined_box_types() -> list[BoxType]:
    """Every infobox type: the shipped ones, then those administrators added, by name."""
    prefix = TEMPLATE_PREFIX + INFOBOX_TEMPLATE
    titles = Article.objects.in_language().filter(
        title__startswith=prefix, redirect_to__isnull=True
    )
    kinds = {"medical condition", "drug"}
    kinds |= {t[len(prefix) :] for t in titles.values_list("title", flat=True)}
    find = box_types(stored_template)
    shipped = [k for k in ("medical condition", "drug") if find(k)]
    added = sorted(k for k in kinds - set(shipped) if k == k.lower() and find(k))
    return [find(k) for k in shipped + added]
