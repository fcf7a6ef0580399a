"""Templates that show nothing of an article's content (maintenance banners, protection and
redirect categories, sister-project boxes, layout helpers): dropped, and counted by kind."""


def names(text: str) -> frozenset[str]:
    return frozenset(n.strip() for n in text.split(",") if n.strip())


MAINTENANCE = names(
    """
    cbignore, bare url inline, link fa, link ga, link fl, featured article link,
    about-distinguish-text, advert, ambox, authority control, bots, citation style,
    citations missing, cleanup, cleanup-reorganize, coord missing, copy edit, copyvio, dab,
    dablink, dead end, defaultsort, disambig, disambiguation, displaytitle, dmbox,
    essay-like, expand, expand section, external links, fact-check, featured article,
    featured list, geodis, given name, globalize, good article, hndis, inline, italic title,
    lead too short, lowercase title, merge, merge from, merge to, more citations needed,
    more footnotes, multiple issues, no footnotes, nobots, notability, notoc, npov,
    one source, original research, orphan, peacock, pov, pp, primary sources, protected,
    r cat shell, r with possibilities, rcat shell, redirect category shell, redr,
    ref improve, refimprove, sect-stub, semi-protected, set index article, short description,
    sia, split, spoken wikipedia, sprotect, stub, surname, technical, this is a redirect,
    toc, toc limit, tone, too long, underlinked, unreferenced, unreferenced section, update,
    use dmy dates, use mdy dates, very long, vprotect, weasel, wikify, wikiproject,
    wiktionary redirect
    """
)

MAINTENANCE_PREFIXES = (
    "pp-",
    "r from ",
    "r to ",
    "r with ",
    "use ",
    "engvar",
    "cleanup",
    "wikiproject ",
    "citation style",
    "multiple issues",
    "rcat",
)
SISTERS = names(
    """
    commons, commons cat, commons category, commonscat, portal, portal bar, portal-inline,
    sister project links, sisterlinks, spoken wikipedia, subject bar, wikibooks, wikinews,
    wikiquote, wikisource, wikisource author, wikispecies, wikiversity, wikivoyage,
    wiktionary
    """
)

LAYOUT = names(
    """
    col-start, col-end, colend, col-2, col-3, col-4, div col, div col end,
    -, anchor, anchors, break, clear, clear left, clear right, clearleft, clearright, clr,
    col-2, col-3, col-4, col-begin, col-break, col-end, colbegin, colend, compact toc,
    div col, div col end, end, flagicon, hidden begin, hidden end, refbegin, refend,
    reflist-end, stack begin, stack end, toc left, toc right, tocleft, tocright
    """
)


def dropped(name: str) -> str | None:
    """The kind of a template that shows nothing of the article's content, else None."""
    if name in MAINTENANCE or name.startswith(MAINTENANCE_PREFIXES) or name.endswith("-stub"):
        return "maintenance"
    if name.startswith(("defaultsort:", "displaytitle:", "__")):
        return "maintenance"
    if name in SISTERS:
        return "sister projects"
    if name in LAYOUT:
        return "layout"
    return None
