"""The engine does not know the site: `wiki/` and its templates never reach into `encyclopedia/`.

The site may use the engine; the other way round would tie every engine change to one site.
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
