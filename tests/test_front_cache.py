"""The front cache: a real Varnish with our VCL in front of a live test server. Anonymous views
are served by Varnish; signed-in ones never are; every invalidation of our page cache bans the
page from Varnish after commit, so an edit shows at once; Varnish being down costs a save
nothing (a task-queue worker delivers the ban later)."""

import json
import os
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import User
from django_q.models import OrmQ, Success

from wiki import front_cache
from wiki.editorial.moves import article_move
from wiki.models import Article

from .conftest import SAMPLE_SOURCE, editors_group, save
from .front import Varnish, varnishd_missing
from .helpers import session_for

if varnishd_missing():
    if os.environ.get("ENCYCLOPEDIA_REQUIRE_VARNISH"):
        raise RuntimeError("varnishd is missing: apt-get install varnish")
    pytest.skip("varnishd is not installed (apt-get install varnish)", allow_module_level=True)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def varnish(live_server, settings):
    address = urlparse(live_server.url)
    front = Varnish(address.hostname, address.port).start()
    settings.FRONT_CACHES = [front.url]
    settings.ALLOWED_HOSTS = ["*"]
    yield front
    front.close()


def get(front, path, cookie=None):
    request = urllib.request.Request(front.url + path)
    if cookie:
        request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status, dict(answer.headers), answer.read().decode()


@pytest.fixture
def article(editor):
    from wiki.services import ArticleEdit, article_save

    return article_save(
        article=Article(title="Sample condition"),
        edit=ArticleEdit(text=SAMPLE_SOURCE, base_revision=None, user=editor, summary="Created"),
    ).article


def test_anonymous_views_are_served_by_the_front_cache(varnish, article):
    _, first, _ = get(varnish, "/wiki/Sample_condition")
    _, second, body = get(varnish, "/wiki/Sample_condition")
    assert first["X-Cache"] == "miss" and second["X-Cache"] == "hit"
    assert "mild rash" in body
    # Other cookies than the session one do not make a reader signed in.
    _, third, _ = get(varnish, "/wiki/Sample_condition", cookie="csrftoken=abc; theme=dark")
    assert third["X-Cache"] == "hit"


def test_an_edit_shows_at_once_through_the_front_cache(varnish, article, editor):
    get(varnish, "/wiki/Sample_condition")
    assert get(varnish, "/wiki/Sample_condition")[1]["X-Cache"] == "hit"
    save(article, editor, SAMPLE_SOURCE.replace("mild rash", "faint rash"))
    _, headers, body = get(varnish, "/wiki/Sample_condition")
    assert "faint rash" in body and headers["X-Cache"] == "miss"


def test_a_thousand_edits_each_read_at_once_are_never_stale(varnish, article, editor):
    stale = 0
    for n in range(1000):
        save(article, editor, SAMPLE_SOURCE + f"\nEdit number {n}.\n")
        body = get(varnish, "/wiki/Sample_condition")[2]
        stale += f"Edit number {n}." not in body
    assert stale == 0


def test_a_redirect_variant_is_banned_with_its_article(varnish, article, editor):
    path = "/wiki/Sample_condition?redirectedfrom=Old_name"
    get(varnish, path)
    assert get(varnish, path)[1]["X-Cache"] == "hit"
    save(article, editor, SAMPLE_SOURCE.replace("mild rash", "red rash"))
    assert "red rash" in get(varnish, path)[2]


def test_a_page_previews_summary_is_served_by_the_front_cache_and_banned_with_its_article(
    varnish, article, editor
):
    path = "/wiki/Sample_condition/summary"
    _, first, _ = get(varnish, path)
    _, second, body = get(varnish, path)
    assert first["X-Cache"] == "miss" and second["X-Cache"] == "hit"
    assert json.loads(body)["extract"].startswith("Sample condition is a made-up disorder")
    save(article, editor, SAMPLE_SOURCE.replace("a made-up disorder", "an invented disorder"))
    _, headers, body = get(varnish, path)
    assert headers["X-Cache"] == "miss"
    assert json.loads(body)["extract"].startswith("Sample condition is an invented disorder")
    # A move bans it too: the old title's summary now leads to the new one.
    get(varnish, path)
    article_move(
        article=Article.objects.get(pk=article.pk), new_title="Sample illness", user=editor
    )
    assert json.loads(get(varnish, path)[2])["title"] == "Sample illness"


def test_signed_in_views_are_never_cached_nor_served_from_the_cache(varnish, article, editor):
    cookie = f"sessionid={session_for(editor)}"
    for _ in range(2):
        _, headers, body = get(varnish, "/wiki/Sample_condition", cookie=cookie)
        assert headers["X-Cache"] == "miss" and "Sign out" in body
    _, headers, body = get(varnish, "/wiki/Sample_condition")
    assert "Sign out" not in body  # the anonymous copy is the anonymous page


def test_pages_that_are_not_public_are_not_kept(varnish, article):
    for _ in range(2):
        _, headers, _ = get(varnish, "/wiki/Sample_condition/history")
    assert headers["X-Cache"] == "miss"


def test_static_files_are_served_by_the_front_without_the_app(varnish, live_server):
    get(varnish, "/static/css/site.css")
    _, headers, body = get(varnish, "/static/css/site.css")
    assert headers["X-Cache"] == "hit" and ".article" in body


def test_a_site_wide_change_bans_every_page(varnish, article, editor):
    from wiki.models import Category

    get(varnish, "/wiki/Sample_condition")
    assert get(varnish, "/wiki/Sample_condition")[1]["X-Cache"] == "hit"
    Category.objects.create(name="Portal change")  # moves the site generation
    assert get(varnish, "/wiki/Sample_condition")[1]["X-Cache"] == "miss"


def test_bans_come_only_from_the_servers_own_addresses(varnish):
    # From loopback it is taken; the ACL is what keeps the rest of the world out.
    request = urllib.request.Request(varnish.url, method="BAN")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 400  # no pattern given


def test_a_save_succeeds_at_once_while_the_front_cache_is_down_and_the_ban_is_retried(
    varnish, article, editor, start_queue_worker
):
    get(varnish, "/wiki/Sample_condition")
    varnish.stop()
    started = time.monotonic()
    result = save(article, editor, SAMPLE_SOURCE.replace("mild rash", "while down"))
    assert result.revision is not None
    assert time.monotonic() - started < 5  # a ban's timeout, never a hung save
    assert OrmQ.objects.exists()  # the ban waits on the task queue
    varnish.start()  # (a restarted Varnish starts empty; the queued ban is then delivered)
    start_queue_worker()
    deadline = time.monotonic() + 60
    while OrmQ.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not OrmQ.objects.exists()
    assert Success.objects.filter(func=front_cache.JOB).exists()
    assert "while down" in get(varnish, "/wiki/Sample_condition")[2]


@pytest.fixture
def editor(db):
    user = User.objects.create_user("edna", password="pw-edna-123")
    user.groups.add(editors_group())
    return user
