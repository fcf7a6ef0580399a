"""The engine does not know the site: `wiki/` and its templates never reach into `encyclopedia/`.

The site may use the engine; the other way round would tie every engine change to one site.
Inside the engine, the rooms keep their directions: the core imports no capability, a
capability's views keep to their own capability, capabilities meet through their services,
interfaces call services and never views, and an import inside a function is listed with why.
"""

import ast
import re
from pathlib import Path

from django.conf import settings
from django.template.backends.django import get_installed_libraries

ROOT = Path(settings.BASE_DIR)
ENGINE = ROOT / "wiki"
ENGINE_TEMPLATES = ROOT / "templates" / "wiki"
SITE = "encyclopedia"
# Strings naming something of the site: a URL name, a dotted path, a template path.
SITE_REFERENCE = re.compile(rf"^{SITE}[:./]")
# The project's shared layout, which every page of both apps extends.
SHARED_TEMPLATES = {"base.html"}

TAG = re.compile(r"{%\s*(load|include|extends|url)\s+(.+?)\s*%}")


def engine_modules():
    return sorted(ENGINE.rglob("*.py"))


def site_references(path: Path) -> list[str]:
    """The site modules `path` imports, and its strings that name the site's things."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if SITE_REFERENCE.match(node.value):
                found.append(f"line {node.lineno}: {node.value!r}")
            continue
        else:
            continue
        found += [f"line {node.lineno}: import {n}" for n in names if n.split(".")[0] == SITE]
    return found


def test_no_module_of_the_engine_imports_the_site_or_names_its_urls():
    assert len(engine_modules()) > 20  # the walk really sees the engine
    offenders = {
        str(path.relative_to(ROOT)): refs
        for path in engine_modules()
        if (refs := site_references(path))
    }
    assert offenders == {}


def template_tags(path: Path):
    for tag, argument in TAG.findall(path.read_text()):
        first = argument.split()[0].strip("\"'")
        if tag == "load":
            # {% load a b %} or {% load name from library %}
            words = argument.split()
            libraries = words[words.index("from") + 1 :] if "from" in words else words
            yield from (("load", library) for library in libraries)
        else:
            yield tag, first


def test_the_engine_templates_load_and_include_only_engine_templates_and_tags():
    libraries = get_installed_libraries()
    templates = sorted(ENGINE_TEMPLATES.rglob("*.html")) + sorted(ENGINE_TEMPLATES.rglob("*.xml"))
    assert len(templates) > 10  # the walk really sees the engine's templates
    offenders = []
    for path in templates:
        name = path.relative_to(ROOT / "templates")
        for tag, target in template_tags(path):
            if tag == "load":
                module = libraries.get(target, "")
                if module.split(".")[0] == SITE:
                    offenders.append(f"{name}: loads the site's tag library {target!r}")
            elif tag == "url":
                if target.startswith(f"{SITE}:"):
                    offenders.append(f"{name}: links to the site's URL {target!r}")
            elif not (target.startswith("wiki/") or target in SHARED_TEMPLATES):
                offenders.append(f"{name}: {tag}s {target!r}")
    assert offenders == []


CAPABILITIES = {"watching", "talk", "editorial", "media", "api"}


def project_imports(path: Path) -> set[str]:
    """The `wiki` modules `path` imports, at any level, as dotted names under `wiki`."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[: len(package) - node.level + 1])
            module = [*base, *(node.module.split(".") if node.module else [])]
            found |= {".".join([*module, a.name]) for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("wiki"):
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("wiki")}
    return found


def test_the_write_path_imports_no_capability():
    """A save announces its side effects (signatures, watch choices, mail) to subscribers;
    `wiki/services.py` imports none of the capabilities."""
    imported = project_imports(ENGINE / "services.py")
    assert "wiki.models.Article" in imported  # the walk really sees the imports
    reached = {name for name in imported if name.split(".")[1] in CAPABILITIES}
    assert reached == set()


# The rooms of the engine. Each module of `wiki/` is in exactly one; a new module must be placed.
# The core is below everything (content models, titles, sources, composing, rendering,
# revisions, snapshots, caching, the write path and what it announces): it imports no
# capability, interface or wiring module.
CORE = [
    "wiki/__init__.py",
    "wiki/appending.py",
    "wiki/box_templates.py",
    "wiki/caching.py",
    "wiki/citations.py",
    "wiki/composing.py",
    "wiki/excerpts.py",
    "wiki/form_fields.py",
    "wiki/front_cache.py",
    "wiki/infobox_types.py",
    "wiki/infoboxes.py",
    "wiki/interlanguage.py",
    "wiki/keyset.py",
    "wiki/languages.py",
    "wiki/limits.py",
    "wiki/models.py",
    "wiki/page_cache.py",
    "wiki/permissions.py",
    "wiki/redirects.py",
    "wiki/rendering/",
    "wiki/revisions.py",
    "wiki/rows.py",
    "wiki/second_factor.py",
    "wiki/seo.py",
    "wiki/services.py",
    "wiki/shipped_templates.py",
    "wiki/signals.py",
    "wiki/snapshots.py",
    "wiki/sources.py",
    "wiki/tasks.py",
    "wiki/titles.py",
    "wiki/translations.py",
    "wiki/transcluding.py",
    "wiki/validation.py",
]
# Capabilities: a package each, plus the modules of one that still sit at the top.
CAPABILITY_ROOMS = {
    "wiki/antiabuse/": "antiabuse",
    "wiki/editing/": "editing",
    "wiki/editorial/": "editorial",
    "wiki/history/": "history",
    "wiki/media/": "media",
    "wiki/printing/": "printing",
    "wiki/reports/": "reports",
    "wiki/retractions/": "retractions",
    "wiki/review/": "review",
    "wiki/search/": "search",
    "wiki/talk/": "talk",
    "wiki/transclusion/": "transclusion",
    "wiki/watching/": "watching",
    "wiki/reading.py": "reading",
    "wiki/translating.py": "editing",  # translating an article: through the edit door
    "wiki/views.py": "reading",
    "wiki/pages.py": "reading",
    "wiki/categories.py": "reading",
    "wiki/uploads.py": "media",
    "wiki/templatetags/editor_words.py": "editing",
    "wiki/templatetags/wiki_reports.py": "reports",
    "wiki/templatetags/wiki_review.py": "review",
    "wiki/templatetags/wiki_seo.py": "reading",
    "wiki/templatetags/wiki_talk.py": "talk",
    "wiki/templatetags/wiki_transclusion.py": "transclusion",
}
# What every view that takes a title shares: from the URL to the article it acts on, with who
# may act. Any capability's views use it; it reads the core and other capabilities' services.
VIEW_DOOR = ["wiki/article_urls.py"]
# Interfaces on top: they call services, never views.
INTERFACES = [
    "wiki/admin.py",
    "wiki/antiabuse/admin.py",
    "wiki/api/",
    "wiki/bulk.py",
    "wiki/exporting/",
    "wiki/integrity.py",
    "wiki/markdown_import.py",
    "wiki/management/",
    "wiki/mediawiki/",
    "wiki/reports/admin.py",
]
# What puts the rooms together: the app's `ready` (subscriptions), the URL map, and the
# migrations (the tables of every room, under the one app label).
WIRING = ["wiki/apps.py", "wiki/migrations/", "wiki/templatetags/__init__.py", "wiki/urls.py"]
# A capability's view side: what renders pages. The rest of a capability is its services.
VIEW_FILES = {"views.py", "forms.py", "feeds.py", "urls.py"}
VIEW_MODULES = {
    "wiki/categories.py",
    "wiki/history/reviews.py",  # the review pages, beside the history views they extend
    "wiki/pages.py",
    "wiki/editing/translate.py",  # the translation view
    "wiki/templatetags/editor_words.py",
    "wiki/templatetags/wiki_reports.py",
    "wiki/templatetags/wiki_review.py",
    "wiki/templatetags/wiki_seo.py",
    "wiki/templatetags/wiki_talk.py",
    "wiki/templatetags/wiki_transclusion.py",
}


def _in(relative: str, places) -> str | None:
    """The entry of `places` (a file, or a folder ending in /) that holds `relative`."""
    for place in places:
        if relative == place or (place.endswith("/") and relative.startswith(place)):
            return place
    return None


def room_of(relative: str) -> str:
    """'core', 'interface', 'wiring', or the capability's name."""
    if _in(relative, CORE):
        return "core"
    if _in(relative, INTERFACES):
        return "interface"
    if _in(relative, WIRING):
        return "wiring"
    if _in(relative, VIEW_DOOR):
        return "view door"
    if place := _in(relative, CAPABILITY_ROOMS):
        return CAPABILITY_ROOMS[place]
    raise AssertionError(f"{relative} is in no room: add it to tests/test_architecture.py")


def is_view_side(relative: str) -> bool:
    return Path(relative).name in VIEW_FILES or relative in VIEW_MODULES


def _module_paths() -> dict[str, str]:
    """Dotted module name -> path relative to the project root, for every engine module."""
    found = {}
    for path in engine_modules():
        relative = path.relative_to(ROOT).as_posix()
        dotted = ".".join(Path(relative).with_suffix("").parts)
        found[dotted.removesuffix(".__init__")] = relative
    return found


MODULES = _module_paths()


def _resolve(dotted: str) -> str | None:
    """The engine module `dotted` (a module, or a name in one) is in, as a path."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        if (candidate := ".".join(parts[:end])) in MODULES:
            return MODULES[candidate]
    return None


def engine_imports(path: Path):
    """(imported module's path, line, inside a function) for each engine module `path` imports."""
    relative = path.relative_to(ROOT)
    package = relative.with_suffix("").parts[:-1]
    found = []

    def walk(node, in_function: bool):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    base = list(package[: len(package) - child.level + 1])
                    module = ".".join([*base, *(child.module or "").split(".")]).rstrip(".")
                else:
                    module = child.module or ""
                targets = [_resolve(f"{module}.{a.name}") or _resolve(module) for a in child.names]
            elif isinstance(child, ast.Import):
                targets = [_resolve(a.name) for a in child.names]
            else:
                targets = []
            found.extend(
                (target, child.lineno, in_function)
                for target in dict.fromkeys(targets)
                if target and target != relative.as_posix()
            )
            walk(child, inner)

    walk(ast.parse(path.read_text(), filename=str(path)), False)
    return found


def all_imports():
    """(importer, imported) paths with the line, for every engine module."""
    for path in engine_modules():
        importer = path.relative_to(ROOT).as_posix()
        for target, line, in_function in engine_imports(path):
            yield importer, target, line, in_function


def test_every_engine_module_is_in_one_room():
    rooms = {path.relative_to(ROOT).as_posix(): None for path in engine_modules()}
    assert len(rooms) > 100
    for relative in rooms:
        room_of(relative)  # raises for a module in no room


def test_the_core_imports_no_capability_interface_or_wiring():
    """The core is the floor: content, rendering, revisions, caching and the write path know
    nothing above them (a save's side effects subscribe to `wiki.signals`)."""
    core_imports = [(i, t, n) for i, t, n, _ in all_imports() if room_of(i) == "core"]
    assert ("wiki/services.py", "wiki/models.py") in {(i, t) for i, t, _ in core_imports}
    offenders = [f"{i}:{n} imports {t}" for i, t, n in core_imports if room_of(t) != "core"]
    assert offenders == []


# Views that import beyond their own capability and the core, each with why.
VIEWS_REACHING_OUT = {
    ("wiki/editing/views.py", "wiki/antiabuse/captcha.py"): "the captcha a refusal asks for",
    ("wiki/editing/views.py", "wiki/antiabuse/services.py"): "which refusal wants a captcha",
    ("wiki/talk/views.py", "wiki/antiabuse/captcha.py"): "the captcha a refusal asks for",
    ("wiki/history/views.py", "wiki/antiabuse/captcha.py"): "the captcha a refusal asks for",
    ("wiki/history/views.py", "wiki/antiabuse/services.py"): "which refusal wants a captcha",
    ("wiki/talk/views.py", "wiki/antiabuse/services.py"): "which refusal wants a captcha",
    ("wiki/reports/views.py", "wiki/antiabuse/captcha.py"): "anonymous reports answer a captcha",
    ("wiki/editing/views.py", "wiki/history/diff.py"): "the preview's diff against the saved text",
    ("wiki/editing/views.py", "wiki/media/models.py"): "the editor's image picker lists media",
    ("wiki/editing/views.py", "wiki/views.py"): "bad_request, the engine's 400 page",
    ("wiki/editing/translate.py", "wiki/views.py"): "a language's name in the reader's words",
    ("wiki/editing/translate.py", "wiki/antiabuse/captcha.py"): "the captcha a refusal asks for",
    ("wiki/editing/translate.py", "wiki/antiabuse/holding.py"): "a held translation's page",
    ("wiki/views.py", "wiki/translating.py"): "the article's translate menu and outdated notice",
    ("wiki/editing/views.py", "wiki/watching/watches.py"): "the form's 'watch this page' default",
    ("wiki/editing/views.py", "wiki/transclusion/starters.py"): "a new article's starter skeletons",
    ("wiki/history/reviews.py", "wiki/review/services.py"): "the review pages sit with history",
    ("wiki/history/reviews.py", "wiki/reports/services.py"): "open reader reports in the queue",
    ("wiki/history/views.py", "wiki/api/tokens.py"): "the preferences page lists API tokens",
    ("wiki/history/views.py", "wiki/api/bot_passwords.py"): "the profile lists bot passwords",
    ("wiki/history/views.py", "wiki/editing/services.py"): "undo and revert go through the door",
    ("wiki/history/views.py", "wiki/editorial/revision_hiding.py"): "hidden parts of revisions",
    ("wiki/history/views.py", "wiki/editorial/models.py"): "the review log recent changes go on to",
    ("wiki/history/feeds.py", "wiki/editorial/revision_hiding.py"): "hidden parts left out",
    ("wiki/watching/feeds.py", "wiki/editorial/revision_hiding.py"): "hidden parts left out",
    ("wiki/watching/views.py", "wiki/editorial/revision_hiding.py"): "hidden parts left out",
    ("wiki/pages.py", "wiki/editorial/revision_hiding.py"): "credits and page information",
    ("wiki/history/views.py", "wiki/reading.py"): "an old revision is shown as a reader sees it",
    ("wiki/history/views.py", "wiki/review/services.py"): "review marks in the history list",
    ("wiki/history/views.py", "wiki/views.py"): "bad_request, the engine's 400 page",
    ("wiki/search/views.py", "wiki/views.py"): "bad_request for an unreadable query",
    ("wiki/talk/views.py", "wiki/editing/services.py"): "a talk post goes through the edit door",
    ("wiki/talk/views.py", "wiki/reading.py"): "the talk page is shown as an article is",
    ("wiki/talk/views.py", "wiki/watching/watches.py"): "posting watches the page by default",
    ("wiki/templatetags/wiki_talk.py", "wiki/watching/watches.py"): "the watch star by the tabs",
    ("wiki/views.py", "wiki/antiabuse/holding.py"): "the reader's own edits waiting for review",
    ("wiki/antiabuse/views.py", "wiki/history/diff.py"): "a held edit's changes, as diffs show",
    ("wiki/editing/views.py", "wiki/antiabuse/holding.py"): "a held edit's page",
    ("wiki/views.py", "wiki/review/services.py"): "the review badge and the revision readers see",
    ("wiki/views.py", "wiki/talk/views.py"): "a Talk: title is served by the talk view",
    ("wiki/views.py", "wiki/watching/watches.py"): "visiting a watched page clears its mail",
    ("wiki/watching/feeds.py", "wiki/history/feeds.py"): "the watchlist feed is a changes feed",
    ("wiki/watching/feeds.py", "wiki/history/filters.py"): "the watchlist feed filters changes",
    ("wiki/watching/views.py", "wiki/history/filters.py"): "the watchlist filters changes",
    ("wiki/pages.py", "wiki/exporting/__init__.py"): "the download buttons of an article",
    ("wiki/pages.py", "wiki/mediawiki/dump_export.py"): "Special:Export of one article",
    ("wiki/pages.py", "wiki/review/disclosures.py"): "the credits name reviewers, disclosures",
}


def test_a_capabilitys_views_import_only_their_own_capability_and_the_core():
    """Views, forms, feeds and template tags render their capability's pages; what they need
    of another capability is listed above with why."""
    allowed = VIEWS_REACHING_OUT
    reaching = {}
    for importer, target, line, _ in all_imports():
        room = room_of(importer)
        if room in {"core", "interface", "wiring"} or not is_view_side(importer):
            continue
        if room_of(target) not in {"core", "view door", room}:
            reaching.setdefault((importer, target), line)
    unlisted = [f"{i}:{n} imports {t}" for (i, t), n in reaching.items() if (i, t) not in allowed]
    assert sorted(unlisted) == []
    assert sorted(set(allowed) - set(reaching)) == []  # an entry no longer needed goes


def test_across_capabilities_only_services_import_services():
    """A capability reaches another through its services (or models), never its views, and
    never an interface; and only from its own services (its views are held above)."""
    offenders = []
    for importer, target, line, _ in all_imports():
        room, target_room = room_of(importer), room_of(target)
        if room in {"core", "interface", "wiring"} or target_room in {"core", "view door", room}:
            continue
        if (importer, target) in VIEWS_REACHING_OUT:
            continue
        if is_view_side(importer) or target_room in {"interface", "wiring"}:
            offenders.append(f"{importer}:{line} imports {target}")
        elif is_view_side(target):
            offenders.append(f"{importer}:{line} imports the views {target}")
    assert offenders == []


def test_interfaces_never_import_a_views_module():
    """The REST and Action APIs, the MediaWiki import and export, the admin and the commands
    call services; a view is a page of the site, not a door."""
    checked = [(i, t, n) for i, t, n, _ in all_imports() if room_of(i) == "interface"]
    assert ("wiki/admin.py", "wiki/services.py") in {(i, t) for i, t, _ in checked}
    offenders = [
        f"{i}:{n} imports {t}"
        for i, t, n in checked
        if room_of(t) not in {"core", "interface"} and is_view_side(t)
    ]
    assert offenders == []


# Imports made inside a function between engine modules, each with why. Anything else is
# imported at the top of its module, where the reader and the import graph see it.
# Why an import waits inside a function, for the reasons shared by several.
READY = "ready(): Django's place for wiring, once every model is loaded"
FUNCTION_IMPORTS = {
    ("wiki/apps.py", "wiki/antiabuse/checks.py"): READY,
    ("wiki/apps.py", "wiki/antiabuse/defaults.py"): READY,
    ("wiki/apps.py", "wiki/caching.py"): READY,
    ("wiki/apps.py", "wiki/models.py"): READY,
    ("wiki/apps.py", "wiki/permissions.py"): READY,
    ("wiki/apps.py", "wiki/tasks.py"): READY,
    ("wiki/apps.py", "wiki/second_factor.py"): READY,
    ("wiki/apps.py", "wiki/signals.py"): READY,
    ("wiki/apps.py", "wiki/editorial/blocks.py"): READY,
    ("wiki/apps.py", "wiki/editorial/logs.py"): READY,
    ("wiki/apps.py", "wiki/retractions/subscribers.py"): READY,
    ("wiki/apps.py", "wiki/review/services.py"): READY,
    ("wiki/apps.py", "wiki/search/subscribers.py"): READY,
    ("wiki/apps.py", "wiki/talk/signatures.py"): READY,
    ("wiki/apps.py", "wiki/transclusion/subscribers.py"): READY,
    ("wiki/apps.py", "wiki/transclusion/shipping.py"): READY,
    ("wiki/apps.py", "wiki/watching/subscribers.py"): READY,
    ("wiki/apps.py", "wiki/translating.py"): READY,
    (
        "wiki/migrations/0013_search_prose.py",
        "wiki/search/documents.py",
    ): "a data migration runs the search's text of its day, only when applied",
    (
        "wiki/migrations/0034_search_languages.py",
        "wiki/search/stemming.py",
    ): "a data migration stems the index's words as search of its day does, only when applied",
    (
        "wiki/migrations/0034_search_languages.py",
        "wiki/search/backends/sqlite.py",
    ): "a data migration writes SQLite's entries as search of its day does, only when applied",
    (
        "wiki/migrations/0027_revision_sha1.py",
        "wiki/snapshots.py",
    ): "a data migration reads django-reversion's snapshots as stored, only when applied",
}


def test_function_level_imports_between_engine_modules_are_listed():
    found = {}
    for importer, target, line, in_function in all_imports():
        if in_function:
            found.setdefault((importer, target), line)
    unlisted = [
        f"{i}:{n} imports {t}" for (i, t), n in found.items() if (i, t) not in FUNCTION_IMPORTS
    ]
    assert sorted(unlisted) == []
    assert sorted(set(FUNCTION_IMPORTS) - set(found)) == []  # an entry no longer needed goes


def test_no_test_file_imports_another_test_file():
    """Shared test code lives in tests/helpers.py and tests/conftest.py; a test file imported by
    another would run its tests' module-level setup twice and tie the two together."""
    test_files = sorted((ROOT / "tests").glob("test_*.py"))
    assert len(test_files) > 50  # the walk really sees the tests
    offenders = []
    for path in test_files:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if any(name.rpartition(".")[2].startswith("test_") for name in names):
                offenders.append(f"{path.name}:{node.lineno} imports {names}")
    assert offenders == []
