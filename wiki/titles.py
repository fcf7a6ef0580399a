"""Article titles as MediaWiki treats them: spaces and underscores are one, first letter upper."""

import functools
import re

from django.utils.translation import gettext

MAX_TITLE_LENGTH = 255
# Characters MediaWiki never allows in a title, plus control characters.
FORBIDDEN_TITLE_CHARS = set("#<>[]|{}") | {chr(c) for c in range(32)} | {"\x7f"}


class InvalidTitle(ValueError):
    """Raised with a message an editor can act on."""


TALK_PREFIX = "Talk:"  # the discussion page of an article: "Talk:<its title>"
# The editors' help ("Help:Editing"): reached by URL and from the editor, never listed to
# readers (the A–Z index, the random article, search results).
HELP_PREFIX = "Help:"
# Templates ("Template:Infobox drug"): pages called from others as {{Name|…}}
# (`transcluding`), never listed to readers either.
TEMPLATE_PREFIX = "Template:"
UNLISTED_SLUGS = r"^(Help|Template):"  # slugs of pages kept out of readers' lists


def normalize_title(raw: str) -> str:
    """'paroxysmal_exercise  dystonia ' -> 'Paroxysmal exercise dystonia'; 'talk:x' ->
    'Talk:X', as MediaWiki writes a title in its Talk namespace; ':Foo' -> 'Foo' (a leading
    colon names the main namespace, as clients such as pywikibot send it)."""
    title = re.sub(r"[\s_]+", " ", raw or "").strip()
    if title.startswith(":"):
        title = title[1:].strip()
    if title[:5].lower() == "talk:":
        rest = title[5:].strip()
        return TALK_PREFIX + rest[:1].upper() + rest[1:]
    if title[:9].lower() == "template:":
        rest = title[9:].strip()
        return TEMPLATE_PREFIX + rest[:1].upper() + rest[1:]
    return title[:1].upper() + title[1:]


def typed_name(typed: str) -> str:
    """A name as typed in a box or written in a URL ('Heart_disease ', 'Heart   disease')
    with its words spaced once, as names are stored: category filters and suggestions."""
    return " ".join(typed.replace("_", " ").split())


def is_talk_title(title: str) -> bool:
    return title.startswith(TALK_PREFIX)


def is_help_title(title: str) -> bool:
    return title.startswith(HELP_PREFIX)


def is_template_title(title: str) -> bool:
    return title.startswith(TEMPLATE_PREFIX)


def is_listed_title(title: str) -> bool:
    """Whether readers' lists and search show the page: not a talk, help or template page."""
    return not (is_talk_title(title) or is_help_title(title) or is_template_title(title))


def talk_title_of(title: str) -> str:
    """The title of an article's talk page (a talk page's own title stays as it is)."""
    return title if is_talk_title(title) else TALK_PREFIX + title


def subject_title_of(title: str) -> str:
    """The article a talk page discusses (an article's own title stays as it is)."""
    return title.removeprefix(TALK_PREFIX)


def title_to_slug(title: str) -> str:
    return normalize_title(title).replace(" ", "_")


def validate_title(raw: str) -> str:
    """Return the normalized title or raise InvalidTitle saying what is wrong."""
    title = normalize_title(raw)
    if not title:
        raise InvalidTitle(gettext("The title is empty."))
    if len(title) > MAX_TITLE_LENGTH:
        raise InvalidTitle(
            gettext("The title is longer than %(count)s characters.") % {"count": MAX_TITLE_LENGTH}
        )
    bad = sorted({c for c in title if c in FORBIDDEN_TITLE_CHARS})
    if bad:
        shown = " ".join(repr(c)[1:-1] for c in bad)
        raise InvalidTitle(
            gettext("A title cannot contain these characters: %(characters)s")
            % {"characters": shown}
        )
    segments = title.split("/")
    if title.startswith(("/", ".")) or "//" in title or {".", ".."} & set(segments):
        raise InvalidTitle(
            gettext("A title cannot start with '/' or '.', or contain empty path segments.")
        )
    if is_talk_title(title) and (
        not title.removeprefix(TALK_PREFIX) or is_talk_title(title.removeprefix(TALK_PREFIX))
    ):
        raise InvalidTitle(gettext("A talk page's title is “Talk:” and the title of an article."))
    if title.lower().startswith("special:") or not _is_article_url(title_to_slug(title)):
        raise InvalidTitle(gettext("That title is reserved for the wiki's own pages."))
    return title


def title_pattern(*, reserved_suffixes: tuple[str, ...] = ()) -> str:
    """The rules of `validate_title` as one regular expression (for the API's OpenAPI
    document): no forbidden characters, not blank, no leading '/' or '.', no empty or dot
    path segments, no Special:, Category: or File: page, no talk page of nothing or of a talk
    page, no page-action suffix (/edit, /history…); `reserved_suffixes` are regexes to add."""
    printable = sorted(c for c in FORBIDDEN_TITLE_CHARS if " " <= c < "\x7f")
    forbidden = "\\u0000-\\u001f\\u007f" + "".join(
        "\\" + c if c in "[]\\^-" else c for c in printable
    )
    routes = [route.pattern for route in _routes_before_article()]
    actions = [
        re.sub(r"\(\?P<\w+>", "(?:", pattern.removeprefix("^wiki/(?P<slug>.+?)/").removesuffix("$"))
        for pattern in routes
        if pattern.startswith("^wiki/(?P<slug>.+?)/")
    ]
    suffixes = "|".join([*actions, *reserved_suffixes])
    blank = r"[\s_]*"
    return (
        f"^(?!{blank}[./])(?!.*//)(?!.*/\\.\\.?(?:/|{blank}$))"
        f"(?!{blank}[Ss][Pp][Ee][Cc][Ii][Aa][Ll]:)(?!{blank}[Cc]ategory:)(?!{blank}[Ff]ile:.)"
        f"(?!{blank}[Tt][Aa][Ll][Kk]:{blank}(?:[Tt]alk:|$))"
        f"(?!.*/(?:{suffixes}){blank}$)"
        f"[^{forbidden}]*[^{forbidden}\\s_][^{forbidden}]*$"
    )


@functools.lru_cache(maxsize=10_000)  # link targets repeat across the articles rendered
def _is_article_url(slug: str) -> bool:
    """Whether /wiki/<slug> reaches the article view rather than another of the wiki's pages."""
    path = f"wiki/{slug}"
    return not any(route.match(path) for route in _routes_before_article())


@functools.cache
def _routes_before_article() -> tuple[re.Pattern, ...]:
    """The URL patterns tried before the article's, read from the URLconf itself (once, on
    first use: the URLconf imports the models, which import this module)."""
    from django.urls import URLResolver, get_resolver
    from django.urls.resolvers import LocalePrefixPattern

    def walk(patterns, prefix=""):
        for entry in patterns:
            # A language's prefix (wiki/languages.py) is the same for every route under it:
            # read as none, whatever language is active on first use.
            own = "" if isinstance(entry.pattern, LocalePrefixPattern) else entry.pattern.regex
            regex = prefix + (own.pattern.removeprefix("^") if own else "")
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, regex)
            else:
                yield entry, regex

    routes = []
    for entry, regex in walk(get_resolver().url_patterns):
        if not regex.startswith("wiki/"):  # e.g. admin/…: cannot take a /wiki/ path
            continue
        if entry.name == "article":
            return tuple(routes)
        routes.append(re.compile(f"^{regex}"))
    raise LookupError("The URLconf has no article route.")
