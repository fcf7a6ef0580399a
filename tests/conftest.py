"""Shared fixtures: users in their roles, and articles made through the real write path.

`make test` runs the suite in worker processes (pytest-xdist: gw0, gw1, …). Each worker has
its own test database (pytest-django names it test_<name>_gw0 and so on), its own scratch
MEDIA_ROOT and, when REDIS_URL is set, its own cache keys in the one Redis database (a key
prefix ending in the worker's name: emptying the cache between tests empties only those).
Tests that must not run beside one another share an `xdist_group` (tests/parallel.py).
"""

import datetime as dt
import importlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings
from django.utils import timezone

from wiki import search
from wiki.editorial.deletion import page_delete
from wiki.editorial.moves import article_move
from wiki.models import Article, Contributor, Revision
from wiki.permissions import EDITORS_GROUP, REVIEWERS_GROUP, ensure_editors_group, ensure_groups
from wiki.search.backends.postgres import forget_estimates
from wiki.services import ArticleEdit, article_save

from .helpers import pywikibot_folder
from .parallel import mark_groups, pytest_configure_node, pytest_xdist_make_scheduler  # noqa: F401

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + Playwright
# The tests' sites start empty: no shipped templates (infobox types, starter skeletons) written
# after migrate or a flush (boxes render with the shipped definitions all the same);
# tests/test_infobox_templates.py and tests/test_starters.py turn it on where it is the subject.
settings.WIKI_SHIP_TEMPLATES = False
# Passwords hashed in a millisecond rather than a quarter of a second (tests/hashers.py).
settings.PASSWORD_HASHERS = ["tests.hashers.QuickPBKDF2PasswordHasher", *settings.PASSWORD_HASHERS]
# WhiteNoise reads the whole of STATIC_ROOT (a thousand files, once `collectstatic` has run)
# each time its middleware is made: once per server process in production, but once per test
# client here, a tenth of a second each. Looked up when asked for instead; no test asks the
# test client for a static file (servers a test starts run on their own settings).
settings.WHITENOISE_AUTOREFRESH = True

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", … in a parallel run
REDIS = settings.CACHES["default"]["BACKEND"].endswith("ForgivingRedisCache")
if WORKER and REDIS:
    # Before any cache is made; the environment carries it to the task-queue workers a test
    # starts (settings read CACHE_KEY_PREFIX).
    settings.CACHES["default"]["KEY_PREFIX"] = (
        f"{settings.CACHES['default']['KEY_PREFIX']}-{WORKER}"
    )
    os.environ["CACHE_KEY_PREFIX"] = settings.CACHES["default"]["KEY_PREFIX"]


def pytest_configure(config):
    """pytest-playwright empties its output folder (test-results/) in every process that
    starts a browser; in a parallel run the main process does it once, before the workers
    start, instead of each worker under the others' screenshots (see delete_output_dir)."""
    output = config.getoption("--output", None)  # pytest-playwright's option
    if output and not hasattr(config, "workerinput"):
        shutil.rmtree(output, ignore_errors=True)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the marks
def pytest_collection_modifyitems(config, items):
    mark_groups(config, items)


@pytest.fixture(scope="session")
def delete_output_dir():
    """Replaces pytest-playwright's fixture of that name (done once, in pytest_configure)."""


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    return (
        f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or db['NAME']}); "
        f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
    )


@pytest.fixture(scope="session", autouse=True)
def services_are_up():
    """A service the run was told to use must be there: fail loudly, never skip."""
    if settings.CACHES["default"]["BACKEND"].endswith("ForgivingRedisCache"):
        import redis

        try:
            redis.Redis.from_url(settings.CACHES["default"]["LOCATION"], socket_timeout=2).ping()
        except redis.RedisError as exc:
            pytest.exit(f"REDIS_URL is set but Redis does not answer: {exc}", returncode=3)


def database_url_for_workers() -> str:
    """The URL of the test database, for a process of its own (a task-queue worker)."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{os.path.abspath(db['NAME'])}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def start_queue_worker(transactional_db, tmp_path):
    """Start real task-queue workers (`manage.py qcluster`) on the test database, with extra
    environment; each is stopped, by its process group, after the test."""
    from deploy.parts import queue_worker

    started = []

    def start(**env):
        worker = queue_worker(
            {**os.environ, "DATABASE_URL": database_url_for_workers(), "QUEUE_WORKERS": "1", **env},
            log=tmp_path / f"worker-{len(started)}.log",
        )
        started.append(worker.start())
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture(scope="session", autouse=True)
def scratch_media_root(tmp_path_factory):
    """Uploads go to a folder of this process's own, never to the project's media/ nor to
    another worker's (a test may still point MEDIA_ROOT at its tmp_path)."""
    folder = tmp_path_factory.mktemp("media")
    before = os.environ.get("MEDIA_ROOT")
    os.environ["MEDIA_ROOT"] = str(folder)  # servers a test starts
    with override_settings(MEDIA_ROOT=folder):
        yield folder
    if before is None:
        del os.environ["MEDIA_ROOT"]
    else:
        os.environ["MEDIA_ROOT"] = before


def clear_cache():
    """Empty the cache. Parallel workers share one Redis database: each empties only the keys
    under its own prefix (Django's clear() empties the whole database)."""
    current = caches["default"]
    if WORKER and isinstance(current, RedisCache) and current.key_prefix:
        client = current._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{current.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        current.clear()


@pytest.fixture(autouse=True)
def search_index_emptied_after_a_flush(request, django_db_blocker):
    """A transactional test's tables are flushed afterwards, but not the search index's own
    (unmanaged) tables: empty them too, or the next test on this worker finds its articles."""
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if transactional:
        with django_db_blocker.unblock():
            search.engine().clear()


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()
    forget_estimates()  # the search's planner estimates, kept per process, were another test's
    yield
    clear_cache()


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries):
    """pytest-django's, counting a page view in a warm process: what each process keeps for a
    while (the site generation, read at most once a second; the portals of the navigation
    bar, until the generation moves) is read before the counted block, and the generation is
    held through it. Else a count depends on whether an earlier test in the same process
    happened to warm them (in a parallel run, often not) and on how long the test took on a
    loaded machine. A generation retired inside the block is still read again, and counted."""
    from encyclopedia.context_processors import navigation
    from wiki import caching

    @contextmanager
    def counted(*args, **kwargs):
        navigation()
        memo_seconds, caching.GENERATION_MEMO_SECONDS = caching.GENERATION_MEMO_SECONDS, 1e9
        try:
            with django_assert_max_num_queries(*args, **kwargs) as context:
                yield context
        finally:
            caching.GENERATION_MEMO_SECONDS = memo_seconds

    return counted


def editors_group() -> Group:
    """The Editors group; a transactional test that ran before may have flushed it."""
    ensure_editors_group()
    return Group.objects.get(name=EDITORS_GROUP)


def aged_account(name: str, *, days_old: float):
    """An editor whose account is `days_old` days old (young accounts meet the captcha, the
    limits and the rules for newcomers; established ones do not)."""
    user = User.objects.create_user(name, password=f"pw-{name}-123")
    user.groups.add(editors_group())
    user.date_joined = timezone.now() - dt.timedelta(days=days_old)
    user.save()
    return user


@pytest.fixture
def editor(db):
    user = User.objects.create_user(
        "edna", password="pw-edna-123", first_name="Edna", last_name="Marsh"
    )
    user.groups.add(editors_group())
    return user


@pytest.fixture
def other_editor(db):
    user = User.objects.create_user("otto", password="pw-otto-123")
    user.groups.add(editors_group())
    return user


@pytest.fixture
def reader(db):
    return User.objects.create_user("rita", password="pw-rita-123")


@pytest.fixture
def administrator(db):
    return User.objects.create_superuser("ada", password="pw-ada-123", email="ada@example.org")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def admin_client_(client, administrator):
    client.force_login(administrator)
    return client


SAMPLE_SOURCE = """\
Sample condition is a made-up disorder used in tests. It is related to [[Other condition]].

## Symptoms

People report tiredness and a mild rash.

## Causes

Nobody knows the causes.

## Treatment

Rest helps.

## See also

* [[Other condition]]
"""


@pytest.fixture
def make_article(db):
    """make_article(title, source=SAMPLE_SOURCE, user=None, categories=None) -> Article."""

    def make(
        title="Sample condition",
        source=SAMPLE_SOURCE,
        user=None,
        categories=None,
        summary="Created",
    ):
        result = article_save(
            article=Article(title=title),
            edit=ArticleEdit(
                text=source,
                base_revision=None,
                user=user,
                summary=summary,
                categories=categories,
            ),
        )
        return result.article

    return make


def editorial_traces(editor):
    """A moved page (its redirect left behind), a deleted page and a broken redirect."""
    made = article_save(
        article=Article(title="Old migraine name"),
        edit=ArticleEdit(text="A page to move.\n", base_revision=None, user=editor),
    ).article
    article_move(article=made, new_title="Migraine variant", user=editor, reason="Clearer")
    article_save(
        article=Article(title="Old migraine"),
        edit=ArticleEdit(text="#REDIRECT [[Migraine]]\n", base_revision=None, user=editor),
    )
    article_save(
        article=Article(title="Nowhere"),
        edit=ArticleEdit(text="#REDIRECT [[No such page]]\n", base_revision=None, user=editor),
    )
    rumour = article_save(
        article=Article(title="Old rumour"),
        edit=ArticleEdit(text="Untrue.\n", base_revision=None, user=editor),
    ).article
    page_delete(article=rumour, user=None, reason="Not true")


def save(article, user, source, **kwargs):
    """An edit through the write path, based on the article's latest revision."""
    article.refresh_from_db()
    kwargs.setdefault("base_revision", article.latest_revision_id)
    return article_save(article=article, edit=ArticleEdit(text=source, user=user, **kwargs))


# Browser tests: Playwright drives Debian's Chromium (Playwright's own download does not work here).
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def make_media(user, name="Chest scan.png", size=(900, 600)):
    """A media page made through the upload path (MEDIA_ROOT must be a scratch folder)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from wiki.media.services import MediaEdit, media_upload

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, "PNG")
    return media_upload(
        upload=SimpleUploadedFile(name, buffer.getvalue(), "image/png"),
        name=name,
        edit=MediaEdit(alt="A chest scan", author="Dr Ana Rivera", license="cc-by-sa-4.0"),
        user=user,
    )


@pytest.fixture
def mail_server(settings):
    """A real SMTP server the site sends to; notification mails are sent inline after each
    commit (no background thread), so a test sees them when its request returns."""
    from .mail_server import MailServer

    server = MailServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_TIMEOUT = 5
    settings.WIKI_TASKS_INLINE = True
    settings.WIKI_SITE_URL = "http://testserver"
    yield server
    server.stop()


def talk_traces(editor):
    """A talk page with a topic and a reply, and a watched page: the talk and watchlist pages
    have something to show."""
    from wiki.watching.watches import watch_page

    talk = article_save(
        article=Article(title="Talk:Vitamin D"),
        edit=ArticleEdit(
            text="## Dosage table\n\nThe table needs a source. ~~~~\n\n> Agreed. ~~~~\n",
            base_revision=None,
            user=editor,
            summary="New topic: Dosage table",
        ),
    ).article
    watch_page(user=editor, title="Migraine")
    return talk


@pytest.fixture
def reviewer(db):
    """Jane Roe, MD, in the Reviewers group."""
    ensure_groups()
    user = User.objects.create_user("jane", password="pw-jane-123")
    user.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    Contributor.objects.create(user=user, name="Jane Roe", credentials="MD")
    return user


@pytest.fixture
def two_linked_articles(make_article, editor, other_editor):
    """Sample condition (two revisions, the second minor, by another editor) and Other
    condition linking to it, both in Rare diseases; returns Sample condition."""
    article = make_article(user=editor, categories=["Rare diseases"])
    save(
        article,
        other_editor,
        article.source.replace("Rest helps.", "Rest helps a lot."),
        summary="More rest",
        minor=True,
    )
    make_article(
        title="Other condition",
        source="Compare [[Sample condition]].",
        user=editor,
        categories=["Rare diseases"],
    )
    article.refresh_from_db()
    return article


@pytest.fixture
def captcha_test_mode(settings, monkeypatch):
    """django-simple-captcha's documented test mode (`CAPTCHA_TEST_MODE`): the answer "PASSED"
    solves any challenge (`helpers.CAPTCHA_PASSED`). Only for tests that are not about the
    captcha; the library reads the setting once, at import, hence its own module's too."""
    from captcha.conf import settings as captcha_settings

    settings.CAPTCHA_TEST_MODE = True
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)


# pywikibot, unchanged, against a live server ---------------------------------------------


@pytest.fixture(scope="session")
def pywikibot(live_server):
    """pywikibot, configured for this server in a directory of its own (PYWIKIBOT_DIR)."""
    folder = pywikibot_folder(
        Path(tempfile.mkdtemp(prefix="pywikibot-")),
        urlsplit(live_server.url).netloc,
        "edna",
        "('edna', 'pw-edna-123')\n('otto', 'pw-otto-123')\n('Ada', 'pw-ada-123')",
    )
    os.environ["PYWIKIBOT_DIR"] = str(folder)
    os.environ["PYWIKIBOT_NO_USER_CONFIG"] = "0"
    module = importlib.import_module("pywikibot")
    yield module
    module.stopme()


@pytest.fixture
def site(pywikibot):
    """A fresh pywikibot Site (its cache of sites and cookies dropped between tests)."""
    pywikibot._sites.clear()
    from pywikibot.comms import http

    http.cookie_jar.clear()
    return pywikibot.Site("en", "encyclopedia")


@pytest.fixture
def admin_site(pywikibot, site, administrator):
    """pywikibot signed in as an administrator (Ada)."""
    admin = pywikibot.Site("en", "encyclopedia", user="Ada")
    admin.login()
    return admin


@pytest.fixture
def history_minutes_apart(two_linked_articles):
    """The two linked articles, their history minutes apart."""
    article = two_linked_articles
    # A history made minutes apart, as a real one is: pywikibot names the revision it edits by
    # its timestamp (whole seconds), which cannot tell apart revisions saved in one second.
    for minutes, revision in enumerate(Revision.objects.order_by("-pk")):
        Revision.objects.filter(pk=revision.pk).update(
            created_at=revision.created_at - dt.timedelta(minutes=minutes + 1)
        )
    article.refresh_from_db()
    return article
