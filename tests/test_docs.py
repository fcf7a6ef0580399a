"""The documents cannot go stale: what they tell a reader to type, set, follow or open exists.

README.md, ARCHITECTURE.md and docs/*.md are read as a reader would use them: every `make`
target and `manage.py` command in their shell blocks (and inline commands) is real and accepts
the options shown; every environment variable they name is read by the project, and every one
the settings read is documented for operators; every relative link leads to a file (and a
heading, when it names one); every site path they quote resolves to a view. Each check is also
shown a document that lies, so none of them can pass by finding nothing.
"""

import ast
import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, get_commands, load_command_class
from django.urls import Resolver404, resolve

ROOT = Path(settings.BASE_DIR)
DOCS = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *sorted((ROOT / "docs").glob("*.md"))]
OPERATORS = ROOT / "docs" / "operators.md"
SHELLS = {"sh", "shell", "bash", "console"}
FENCE = re.compile(r"^[ \t]*```(\w*)[^\n]*\n(.*?)^[ \t]*```", re.M | re.S)  # indented in a list too
SPAN = re.compile(r"`([^`]+)`")  # a code span may wrap onto the next line
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,}")
# Read by a dependency, not by our code: named so an operator knows to set them.
READ_BY_DEPENDENCIES = {
    "AWS_ACCESS_KEY_ID": "boto3, for django-storages' S3 backend",
    "AWS_SECRET_ACCESS_KEY": "boto3, for django-storages' S3 backend",
    "DJANGO_SETTINGS_MODULE": "Django",
}


def doc_name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def without_fences(text: str) -> str:
    return FENCE.sub("", text)


def code_spans(text: str) -> list[str]:
    """The code spans of the prose, a wrapped one joined back onto one line."""
    return [" ".join(span.split()) for span in SPAN.findall(without_fences(text))]


def shell_blocks(text: str) -> list[str]:
    return [body for lang, body in FENCE.findall(text) if lang in SHELLS]


def inline_commands(text: str) -> list[str]:
    """Code spans in the prose that are a command: `make x`, `python manage.py y`, `A=1 make z`."""
    found = []
    for span in code_spans(text):
        words = span.split()
        while words and re.fullmatch(r"[A-Z][A-Z0-9_]*=\S*", words[0]):
            words = words[1:]
        if words[:1] == ["make"] or "manage.py" in words[:2]:
            found.append(span)
    return found


def simple_commands(script: str) -> list[list[str]]:
    """Each command of a shell text as words, without comments or leading assignments."""
    script = script.replace("\\\n", " ")
    commands = []
    for line in script.splitlines():
        try:
            words = shlex.split(line, comments=True)
        except ValueError:  # an unbalanced quote: still read the words, never skip the line
            words = line.split("#")[0].split()
        command: list[str] = []
        for word in [*words, ";"]:
            if word in {";", "&&", "||", "|", "&"}:
                while command and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", command[0]):
                    command = command[1:]
                if command:
                    commands.append(command)
                command = []
            else:
                command.append(word)
    return commands


def commands_in(text: str) -> list[list[str]]:
    scripts = shell_blocks(text) + inline_commands(text)
    return [words for script in scripts for words in simple_commands(script)]


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", text, re.M))


def make_problems(text: str) -> list[str]:
    targets = makefile_targets()
    problems = []
    for words in commands_in(text):
        if words[0] != "make":
            continue
        for word in words[1:]:
            if not word.startswith("-") and "=" not in word and word not in targets:
                problems.append(f"`make {word}`: the Makefile has no such target")
    return problems


def manage_problems(text: str) -> list[str]:
    commands = get_commands()
    problems = []
    for words in commands_in(text):
        if "manage.py" not in words[:2]:
            continue
        args = words[words.index("manage.py") + 1 :]
        if not args:
            continue
        name, options = args[0], args[1:]
        if name not in commands:
            problems.append(f"`manage.py {name}`: no such management command")
            continue
        command = load_command_class(commands[name], name)
        try:
            command.create_parser("manage.py", name).parse_args(options)
        except (CommandError, SystemExit) as exc:
            problems.append(f"`manage.py {' '.join(args)}`: {exc}")
    return problems


def environment_read_by_settings() -> set[str]:
    """Names encyclopedia/settings.py reads from os.environ, directly or through env_bool/env_list."""
    tree = ast.parse((ROOT / "encyclopedia" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            called = ast.unparse(node.func)
            if called in {"os.environ.get", "env_bool", "env_list"}:
                names.add(node.args[0].value)
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            names.add(ast.literal_eval(node.slice))
    return names


def project_sources() -> list[Path]:
    folders = ["encyclopedia", "wiki", "deploy", "tests", "bench"]
    python = [p for folder in folders for p in (ROOT / folder).rglob("*.py")]
    python = [p for p in python if p != Path(__file__)]  # its lies are no evidence
    shell = [ROOT / "Makefile", ROOT / ".ci" / "run", *ROOT.glob("*/*.sh")]
    return python + shell


def environment_read_by_project() -> set[str]:
    """Names the project's code, deploy scripts, Makefile and CI script read from the environment."""
    python_reads = re.compile(
        r"(?:environ\.get|environ\.setdefault|getenv|env_bool|env_list)\(\s*[\"']([A-Z][A-Z0-9_]*)"
        r"|environ\[[\"']([A-Z][A-Z0-9_]*)[\"']\]"
    )
    shell_reads = re.compile(
        r"\$\{?([A-Z][A-Z0-9_]*)|\$\(([A-Z][A-Z0-9_]*)\)|^([A-Z][A-Z0-9_]*)\s*\?=", re.M
    )
    names = set(READ_BY_DEPENDENCIES) | environment_read_by_settings()
    for path in project_sources():
        pattern = python_reads if path.suffix == ".py" else shell_reads
        for groups in pattern.findall(path.read_text()):
            names.update(name for name in groups if name)
    return names


def variable_tables(text: str) -> set[str]:
    """Names in the first column of the tables whose first header is `variable`."""
    names = set()
    in_table = False
    for line in without_fences(text).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == "variable":
            in_table = True
        elif in_table and line.startswith("|"):
            for span in SPAN.findall(cells[0]):
                names.add(span.split("=")[0])
        else:
            in_table = False
    return names


def environment_named(text: str) -> set[str]:
    """What a document names as an environment variable: its variable tables and the
    assignments in its commands (`PORT=8001 make run`, `NAME=N`). An expansion (`$TOKEN` in a
    client's curl) is the reader's own shell variable, not the project's."""
    names = variable_tables(text)
    for script in shell_blocks(text) + code_spans(text):
        names.update(re.findall(r"(?:^|\s)([A-Z][A-Z0-9_]*)=", script))
    return names


def environment_problems(text: str) -> list[str]:
    read = environment_read_by_project()
    return [
        f"`{name}`: nothing in the project reads it"
        for name in sorted(environment_named(text) - read)
    ]


def code_words() -> set[str]:
    words = set()
    for path in project_sources():
        words.update(NAME.findall(path.read_text()))
    return words


def name_problems(text: str) -> list[str]:
    """A code span that is one upper-case name (a variable, a setting, a constant) names
    something the environment or the code really has."""
    known = code_words() | environment_read_by_project()
    spans = {span.split("=")[0] for span in code_spans(text)}
    return [
        f"`{name}`: no such name in the code"
        for name in sorted(spans)
        if NAME.fullmatch(name) and name not in known
    ]


def defined_names() -> set[str]:
    """Every module, class, function, method and assigned name of the project's Python, and
    its strings that are one word (an app label, a program it runs)."""
    names = set()
    for path in project_sources():
        if path.suffix != ".py":
            continue
        names.add(path.stem)
        names.add(path.parent.name)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                if re.fullmatch(r"[A-Za-z_][\w-]*", node.value):  # a label, a program's name
                    names.add(node.value)
    return names


FILE_TYPES = {".py", ".html", ".md", ".toml", ".cfg", ".vcl", ".sh", ".css", ".js"}
OTHER_FILES = {".php", ".conf", ".jar", ".xml", ".json", ".bz2", ".gz", ".txt", ".sqlite3"}
GENERATED = ("bench/results/", "bench/work/", "test-results/", ".tools/", ".venv/", ".cluster/")


def tree_files() -> set[str]:
    return {
        p.name
        for p in ROOT.rglob("*")
        if not p.relative_to(ROOT).parts[0].startswith((".venv", ".git", ".tools"))
    }


def code_problems(text: str) -> list[str]:
    """The map names what the tree has: each quoted file or folder exists, and each quoted
    Python name (`article_save`, `services.article_save`, `EditRequest`) is defined."""
    top = {p.name for p in ROOT.iterdir()}
    defined = defined_names()
    files = tree_files()
    problems = []
    for span in sorted(set(code_spans(text))):
        if " " in span or span.startswith(GENERATED) or Path(span).suffix in OTHER_FILES:
            continue
        if "/" in span and span.endswith(".html"):  # a template's name
            if not (ROOT / "templates" / span).exists() and not (ROOT / span).exists():
                problems.append(f"`{span}`: no such template")
        elif "/" in span and span.split("/")[0] in top:
            if not list(ROOT.glob(span.rstrip("/"))):
                problems.append(f"`{span}`: no such file or folder")
        elif Path(span).suffix in FILE_TYPES and "/" not in span:
            if span not in files:
                problems.append(f"`{span}`: no file of that name")
        elif re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", span) and (
            "_" in span.strip("_") or "." in span or re.fullmatch(r"[A-Z][a-z]+[A-Z]\w*", span)
        ):
            if NAME.fullmatch(span):
                continue  # an upper-case name: `name_problems` checks those
            missing = [part for part in span.split(".") if part not in defined]
            if missing:
                problems.append(f"`{span}`: {', '.join(missing)} not defined in the code")
    return problems


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = heading.strip().lower().replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {slug(h) for h in re.findall(r"^#+ (.+)$", without_fences(path.read_text()), re.M)}


def link_problems(text: str, base: Path) -> list[str]:
    problems = []
    for target in LINK.findall(SPAN.sub("", without_fences(text))):
        if re.match(r"[a-z]+:", target) or target.startswith("/"):  # a site path, checked below
            continue
        file, _, anchor = target.partition("#")
        path = (base / file).resolve() if file else None
        if path is not None and not path.exists():
            problems.append(f"link to {target}: no such file")
        elif anchor and (path or base).suffix == ".md" and anchor not in anchors(path or base):
            problems.append(f"link to {target}: no such heading")
    return problems


PLACEHOLDERS = {
    "<Title>": "Migraine",
    "{title}": "Migraine",
    "<Name>": "Neurology",
    "{name}": "Neurology",
    "<name>": "edna",
    "<username>": "edna",
    "<letter>": "A",
    "<slug>": "neurology",
    "<type>": "move",
    "<token>": "abc123",
    "<id>": "1",
    "<file>": "3f9a.webp",
    "{id}": "1",
    "…": "x",
}


def site_paths(text: str) -> set[str]:
    """Paths of the site a document quotes: code spans starting with `/` (or holding one
    after a method, `GET /api/v1/...`) and the addresses in its shell blocks."""
    paths = set()
    for span in code_spans(text):
        paths.update(re.findall(r"(?:^|(?<=\s))(/(?:[\w.:<{…][^\s`]*)?)(?=\s|$)", span))
    for script in shell_blocks(text):
        paths.update(
            re.findall(r"https?://(?:wiki\.example\.org|127\.0\.0\.1:\d+)(/[^\s'\"]*)", script)
        )
    file_system = ("/usr/", "/etc/", "/var/", "/tmp/", "/dev/", "/proc/", "/home/")
    return {p for p in paths if not p.startswith(file_system)}


def path_problems(text: str) -> list[str]:
    problems = []
    for quoted in sorted(site_paths(text)):
        path = re.split(r"[?#]", quoted)[0]
        for placeholder, value in PLACEHOLDERS.items():
            path = path.replace(placeholder, value)
        try:
            match = resolve(path)
        except Resolver404:
            problems.append(f"{quoted}: no URL pattern takes it")
            continue
        if path.startswith("/api/v1/") and match.url_name is None:  # the API's 404 for the rest
            problems.append(f"{quoted}: only the API's answer for unknown addresses takes it")
    return problems


@pytest.mark.parametrize("doc", DOCS, ids=doc_name)
def test_every_make_target_the_docs_give_is_in_the_makefile(doc):
    assert make_problems(doc.read_text()) == []


@pytest.mark.parametrize("doc", DOCS, ids=doc_name)
def test_every_management_command_the_docs_give_exists_and_takes_its_options(doc):
    assert manage_problems(doc.read_text()) == []


@pytest.mark.parametrize("doc", DOCS, ids=doc_name)
def test_every_environment_variable_the_docs_name_is_read_by_the_project(doc):
    assert environment_problems(doc.read_text()) == []


@pytest.mark.parametrize("doc", DOCS, ids=doc_name)
def test_every_upper_case_name_the_docs_quote_exists(doc):
    assert name_problems(doc.read_text()) == []


@pytest.mark.parametrize(
    "doc", [ROOT / "ARCHITECTURE.md", ROOT / "docs" / "developers.md"], ids=doc_name
)
def test_the_maps_of_the_code_name_only_what_exists(doc):
    assert code_problems(doc.read_text()) == []


def test_every_variable_the_settings_read_is_in_the_operators_tables():
    documented = variable_tables(OPERATORS.read_text())
    assert environment_read_by_settings() - documented == set()


@pytest.mark.parametrize("doc", [*DOCS, ROOT / "bench" / "README.md"], ids=doc_name)
def test_every_relative_link_leads_to_a_file_and_heading(doc):
    assert link_problems(doc.read_text(), doc.parent) == []


@pytest.mark.parametrize("doc", DOCS, ids=doc_name)
def test_every_site_path_the_docs_quote_resolves(doc):
    assert path_problems(doc.read_text()) == []


def test_the_checks_find_what_a_lying_document_says():
    """Each check reports a document that names what does not exist (and finds the real
    things it must find), so an empty answer above means the docs are true, not unread."""
    lie = """
Run `make deploy-everything`, or set `WIKI_TELEPATHY=1` and `FROBNICATE_LIMIT`.
See [the guide](docs/nowhere.md) and [operators](docs/operators.md#no-such-heading).
Open `/telepathy/<Title>/now` or `GET /api/v1/telepathy`.

```sh
make test lint nosuchtarget
python manage.py import_markdown --no-such-option folder
python manage.py summon_articles
```
"""
    assert make_problems(lie) == [
        "`make nosuchtarget`: the Makefile has no such target",
        "`make deploy-everything`: the Makefile has no such target",
    ]
    assert [p.split(":")[0] for p in manage_problems(lie)] == [
        "`manage.py import_markdown --no-such-option folder`",
        "`manage.py summon_articles`",
    ]
    assert environment_problems(lie) == ["`WIKI_TELEPATHY`: nothing in the project reads it"]
    assert name_problems(lie) == [
        "`FROBNICATE_LIMIT`: no such name in the code",
        "`WIKI_TELEPATHY`: no such name in the code",
    ]
    assert link_problems(lie, ROOT) == [
        "link to docs/nowhere.md: no such file",
        "link to docs/operators.md#no-such-heading: no such heading",
    ]
    assert path_problems(lie) == [
        "/api/v1/telepathy: only the API's answer for unknown addresses takes it",
        "/telepathy/<Title>/now: no URL pattern takes it",
    ]
    truth = (
        "```sh\nPORT=8001 make run\npython manage.py export --format json --output w.json\n```\n"
    )
    assert commands_in(truth) == [
        ["make", "run"],
        ["python", "manage.py", "export", "--format", "json", "--output", "w.json"],
    ]
    assert manage_problems(truth) == [] and environment_named(truth) == {"PORT"}
