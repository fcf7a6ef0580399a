"""Shared fixtures: users in their roles, and articles made through the real write path."""

import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache

from wiki.editorial.deletion import page_delete
from wiki.editorial.moves import article_move
from wiki.models import Article
from wiki.permissions import EDITORS_GROUP, ensure_editors_group
from wiki.services import ArticleEdit, article_save

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + Playwright


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


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def editors_group() -> Group:
    """The Editors group; a transactional test that ran before may have flushed it."""
    ensure_editors_group()
    return Group.objects.get(name=EDITORS_GROUP)


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
