"""The interface in other languages (issue 32, item 5): every template string marked, the
Spanish and Arabic catalogues complete and in step with the code, pages rendered in them.

The unmarked-string check reads each template as Django's own lexer does: the text between
template tags (not `<code>`/`<kbd>`: syntax typed as shown), outside `{% translate %}`/`{% blocktranslate %}`, `{% comment %}` and
`<script>`/`<style>`, with the HTML tags and comments taken out. Whatever words are left are
English a Spanish or Arabic reader would see untranslated. It is shown a template that lies so
it cannot pass by finding nothing.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils import translation

from wiki.models import Article
from wiki.services import ArticleEdit, article_save
from wiki.watching.watches import watch_page

from .helpers import compiled_catalogues
from .mail_server import body

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
LANGUAGES = ["es", "ar"]

# Text that is the same in every language, so is not marked: the project's and standards'
# proper names, and what machines read (an address, a header name). Each a whole text run.
ALLOWED = {
    "Markdown",  # the markup language's name
    "PubMed",  # a database's name
    "DOI",  # an identifier scheme's name
    "PMID",
    "ISBN",
    "OpenSearch",
    "UTF-8",  # search_opensearch.xml: an encoding, read by browsers
}
WORD = re.compile(r"[^\W\d_]{2,}")
SKIPPED_BLOCKS = {"comment": "endcomment", "verbatim": "endverbatim"}
TRANSLATING = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
CLASS_BLOCKS = {"block body_class"}  # {% block body_class %}: class names, not words


def unmarked_text(source: str) -> list[str]:
    """The runs of human-language text in a template that no translate tag covers."""
    parts, ending = [], None
    for token in Lexer(source).tokenize():
        if ending:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == ending:
                ending = None
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            ending = SKIPPED_BLOCKS.get(name) or TRANSLATING.get(name)
            if " ".join(token.contents.split()[:2]) in CLASS_BLOCKS:
                ending = "endblock"
            parts.append("\x00")  # a tag ends a run of text, as it ends a msgid
        elif token.token_type == TokenType.VAR:
            parts.append("\x01")  # a value: part of a sentence, not a word of it
        elif token.token_type == TokenType.TEXT:
            parts.append(token.contents)
    text = "".join(parts)
    text = re.sub(r"<(script|style)\b.*?</\1>", "\x00", text, flags=re.S | re.I)
    text = re.sub(r"<!--.*?-->", "\x00", text, flags=re.S)
    # Markup and keys a reader types as shown (`[[Title]]`, Ctrl): code, the same in any language.
    text = re.sub(r"<(code|kbd|samp)\b[^>]*>[^<]*</\1>", "\x00", text, flags=re.I)
    text = re.sub(r"<[^>]*>", "\x00", text)  # tags, with their attributes
    text = re.sub(r"<\?xml.*?\?>", "\x00", text)
    runs = (" ".join(run.replace("\x01", " ").split()) for run in text.split("\x00"))
    return [run for run in runs if WORD.search(run) and run not in ALLOWED]


def test_every_template_string_is_marked_for_translation():
    left = {}
    for path in sorted(p for p in TEMPLATES.rglob("*") if p.is_file()):
        if found := unmarked_text(path.read_text()):
            left[str(path.relative_to(ROOT))] = found
    assert not left, "unmarked text in templates: " + "; ".join(
        f"{name}: {runs!r}" for name, runs in left.items()
    )


def test_the_unmarked_string_check_finds_what_is_unmarked():
    lying = (
        '{% load i18n %}<p title="{% translate "Fine" %}">Read more</p>'
        "{% if x %}{% translate 'Marked' %}{% else %}Not marked {{ x }}{% endif %}"
        "{% blocktranslate %}Inside a block{% endblocktranslate %}{% comment %}A note{% endcomment %}"
        "<script>var hidden = 'code';</script>{# a comment #}<p>·</p>"
        "{% block body_class %}article-page{% endblock %}<code>[[Title]]</code>"
    )
    assert unmarked_text(lying) == ["Read more", "Not marked"]


MAKEMESSAGES = [
    "makemessages", *[f"--locale={lang}" for lang in LANGUAGES], "--extension=html,txt,py,xml",
    "--no-obsolete", "--no-location",
]  # fmt: skip
# The README's command (section "Interface languages") with these, run from the project root.
IGNORED = [".venv/*", "static/*", "tests/*", "bench/*", "docs/*", "demo/*", "staticfiles/*"]


def po_entries(path: Path) -> list[dict]:
    """A .po file's entries: msgid (with any context), its translations, its flags."""
    entries, entry, key = [], None, None
    for line in path.read_text().splitlines() + [""]:
        if not line.strip():
            if entry and entry["msgid"]:
                entries.append(entry)
            entry = None
            continue
        entry = entry or {"flags": "", "msgid": "", "msgstr": [], "ctx": ""}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif match := re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line):
            key = match.group(1)
            value = eval(match.group(2))  # a C string literal, as Python reads one
            if key.startswith("msgstr"):
                entry["msgstr"].append(value)
            elif key == "msgctxt":
                entry["ctx"] = value
            elif key == "msgid":
                entry["msgid"] = value
        elif line.startswith('"'):
            if key.startswith("msgstr"):
                entry["msgstr"][-1] += eval(line)
            elif key == "msgid":
                entry["msgid"] += eval(line)
            elif key == "msgctxt":
                entry["ctx"] += eval(line)
    return entries


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> Path:
    """The repository's catalogues after makemessages has read the code again, in a copy."""
    copy = tmp_path_factory.mktemp("project")
    for name in ["manage.py", "encyclopedia", "wiki", "templates", "locale"]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, copy / name, ignore=shutil.ignore_patterns("*.mo", "__pycache__")
            )
        else:
            shutil.copy(source, copy / name)
    ignores = [f"--ignore={pattern}" for pattern in IGNORED]
    subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES, *ignores, "-v0"], cwd=copy, check=True
    )
    return copy / "locale"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalogues_translate_every_string_of_the_code(fresh_catalogues, lang):
    entries = po_entries(fresh_catalogues / lang / "LC_MESSAGES" / "django.po")
    assert len(entries) > 500, "makemessages found the interface's strings"
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, f"{lang}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{lang}: {len(fuzzy)} fuzzy (changed in the code), e.g. {fuzzy[:5]}"
    # …and the repository's catalogue is that one: nothing stale, nothing missing.
    committed = po_entries(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po")
    assert {(e["ctx"], e["msgid"]) for e in committed} == {(e["ctx"], e["msgid"]) for e in entries}


def page_text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.parametrize(
    "prefix, lang, direction, words",
    [
        ("", "en", "ltr", ["Welcome to", "Skip to content", "Recent changes", "No article matches"]),
        ("/es", "es", "ltr", ["Bienvenido a", "Saltar al contenido", "Cambios recientes", "Ningún artículo coincide"]),
        ("/ar", "ar", "rtl", ["مرحبًا بك في", "انتقل إلى المحتوى", "أحدث التغييرات", "لا توجد مقالة تطابق"]),
    ],
)  # fmt: skip
def test_the_main_page_and_search_show_the_interface_in_the_language_of_the_url(
    client, db, prefix, lang, direction, words
):
    compiled_catalogues()
    home = client.get(f"{prefix}/")
    search = client.get(f"{prefix}/search", {"q": "zzqx", "fulltext": "1"})
    text = page_text(home) + " " + page_text(search)
    for response in (home, search):
        assert f'<html lang="{lang}" dir="{direction}">' in response.content.decode()
    for word in words:
        assert word in text, f"{lang}: {word!r} on the main page or search"
    if lang != "en":
        assert "Skip to content" not in text and "Recent changes" not in text


def test_a_missing_page_and_a_count_read_in_arabic(client, db):
    compiled_catalogues()
    response = client.get("/ar/wiki/No_such_page_at_all")
    assert 'dir="rtl"' in response.content.decode()
    assert "لا توجد في" in page_text(response)  # "…does not have an article with this title"
    with translation.override("ar"):
        plural = translation.ngettext("%(count)s edit.", "%(count)s edits.", 3) % {"count": 3}
    assert plural == "3 تعديلات."  # Arabic's few-form (3–10), not the English plural


@pytest.mark.parametrize(
    "prefix, words",
    [
        ("", "Your account is not in the Editors group"),
        ("/es", "Su cuenta no está en el grupo de Editores"),
        ("/ar", "حسابك ليس في مجموعة المحررين"),
    ],
)
def test_a_refusal_reads_in_the_language_of_the_url(client, reader, prefix, words):
    compiled_catalogues()
    client.force_login(reader)
    response = client.get(f"{prefix}/wiki/Sample_condition/edit")
    assert response.status_code == 403
    assert words in page_text(response)
    # The scripts build addresses (search suggestions, titles) under the page's prefix.
    assert f'data-home="{prefix}/"' in response.content.decode()


def test_a_watcher_of_a_spanish_page_is_told_in_spanish_with_its_addresses(
    mail_server, reader, editor, django_capture_on_commit_callbacks
):
    compiled_catalogues()
    reader.email = "rita@example.org"
    reader.save()
    article = article_save(
        article=Article(title="Migraña", language="es"),
        edit=ArticleEdit(
            text="La migraña es un dolor de cabeza.\n", base_revision=None, user=editor
        ),
    ).article
    watch_page(user=reader, title=article.title)
    with django_capture_on_commit_callbacks(execute=True):
        article_save(
            article=Article.objects.get(pk=article.pk),
            edit=ArticleEdit(
                text=article.source + "\nOtra línea.\n",
                base_revision=article.latest_revision_id,
                user=editor,
                summary="Una línea más",
            ),
        )
    [mail] = mail_server.inbox.wait_for("rita@example.org")
    assert "cambió «Migraña»" in mail["Subject"]
    text = body(mail)
    assert "Resumen: Una línea más" in text
    assert "http://testserver/es/wiki/Migra%C3%B1a/diff?from=" in text
    assert "Summary" not in text and "See the changes" not in text


@pytest.mark.parametrize(
    "prefix, reason, log_name",
    [
        ("", "The index has pages A–Z, 0-9 and Other.", "Translation log"),
        ("/es", "El índice tiene las páginas A–Z, 0-9 y Otros.", "Registro de traducciones"),
        ("/ar", "للفهرس صفحات A–Z و0-9 وأخرى.", "سجل الترجمات"),
    ],
)
def test_a_not_found_reason_and_the_log_types_read_in_the_language_of_the_url(
    client, db, prefix, reason, log_name
):
    compiled_catalogues()
    missing = client.get(f"{prefix}/index/Nonsense")
    assert missing.status_code == 404 and reason in page_text(missing)
    # Django's own reasons are not for readers: an address nothing answers says none.
    assert "Resolver404" not in page_text(client.get(f"{prefix}/no/such/address"))
    log = client.get(f"{prefix}/log").content.decode()
    assert f'<option value="translate">{log_name}</option>' in log
