"""Anonymous readers get cached pages that change exactly when the article does."""

from django.contrib.auth.models import User

from wiki.models import Portal
from wiki.services import ArticleEdit, article_save

from .conftest import SAMPLE_SOURCE, save


def view(client, path="/wiki/Sample_condition", **headers):
    return client.get(path, **headers)


def test_the_second_anonymous_view_comes_from_the_cache(client, make_article):
    make_article()
    first, second = view(client), view(client)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert first.content == second.content
    assert "public, max-age=" in second["Cache-Control"] and second["Vary"] == "Cookie"


def test_an_edit_shows_on_the_next_anonymous_view(client, make_article, editor):
    article = make_article(user=editor)
    view(client)
    save(article, editor, SAMPLE_SOURCE.replace("Rest helps.", "Rest and tea help."))
    response = view(client)
    assert "Rest and tea help." in response.content.decode()


def test_a_new_article_turns_red_links_blue_on_cached_pages(client, make_article):
    make_article()
    assert "wikilink new" in view(client).content.decode()
    assert view(client)["X-Page-Cache"] == "hit"
    make_article(title="Other condition", source="Now it exists.\n")
    html = view(client).content.decode()
    assert "wikilink new" not in html and 'href="/wiki/Other_condition"' in html


def test_a_portal_change_shows_on_cached_pages(client, make_article):
    make_article()
    view(client)
    Portal.objects.create(name="Sleep portal", slug="sleep", position=9)
    assert "Sleep portal" in view(client).content.decode()


def test_a_page_cached_while_a_portal_change_commits_is_retired_at_the_commit(
    client, make_article, django_capture_on_commit_callbacks
):
    make_article()
    with django_capture_on_commit_callbacks(execute=True):
        Portal.objects.create(name="Sleep portal", slug="sleep", position=9)
        # A reader caches the page before the commit (another process would see no portal).
        view(client)
        assert view(client)["X-Page-Cache"] == "hit"
    assert view(client)["X-Page-Cache"] == "miss"


def test_conditional_get_answers_304(client, make_article):
    make_article()
    etag = view(client)["ETag"]
    response = view(client, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert view(client)["Last-Modified"]


def test_signed_in_readers_get_fresh_pages_with_edit_links(client, make_article, editor):
    make_article()
    view(client)  # anonymous copy is cached
    client.force_login(editor)
    response = view(client)
    assert "X-Page-Cache" not in response
    assert response["Cache-Control"] == "private, no-cache"
    assert "Sign out" in response.content.decode()
    assert User.objects.get(username="edna").get_username() in response.content.decode()


def test_cached_pages_keep_the_security_headers(client, make_article):
    make_article()
    first, hit = view(client), view(client)
    assert hit["X-Page-Cache"] == "hit"
    for header in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Content-Type"):
        assert hit[header] == first[header]


def test_renaming_an_article_turns_the_links_to_its_new_title_blue_on_cached_pages(
    client, make_article, editor
):
    make_article()  # links to "Other condition", which does not exist yet
    # Written by the editor, so the rename creates no contributor (which retires every page).
    other = make_article(title="Other name", source="Soon renamed.\n", user=editor)
    assert "wikilink new" in view(client).content.decode()
    assert view(client)["X-Page-Cache"] == "hit"
    other.title = "Other condition"
    article_save(
        article=other,
        edit=ArticleEdit(
            user=editor, text=other.source, base_revision=other.latest_revision_id, summary="Rename"
        ),
    )
    html = view(client).content.decode()
    assert "wikilink new" not in html and 'href="/wiki/Other_condition"' in html


def test_new_credentials_of_a_contributor_show_on_cached_pages(client, make_article, editor):
    make_article(user=editor)
    assert "Edna Marsh</a>" in view(client).content.decode()
    profile = editor.contributor
    profile.credentials = "RN"
    profile.save()
    assert "Edna Marsh, RN" in view(client).content.decode()


def test_a_page_cached_for_one_host_is_not_served_to_another(client, make_article, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    make_article()
    view(client, HTTP_HOST="a.example")
    assert view(client, HTTP_HOST="a.example")["X-Page-Cache"] == "hit"
    other = view(client, HTTP_HOST="b.example").content.decode()
    assert 'href="http://b.example/wiki/Sample_condition"' in other and "a.example" not in other
    assert view(client, HTTP_HOST="b.example")["X-Page-Cache"] == "hit"
    # Both hosts' copies go when a red link turns blue.
    make_article(title="Other condition", source="Now it exists.\n")
    for host in ("a.example", "b.example"):
        assert "wikilink new" not in view(client, HTTP_HOST=host).content.decode()


def test_a_page_cached_over_http_is_not_replayed_over_https_without_hsts(
    client, make_article, settings
):
    settings.SECURE_HSTS_SECONDS = 3600
    make_article()
    view(client)
    assert view(client)["X-Page-Cache"] == "hit"
    secure = view(client, secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=3600")
    assert 'href="https://testserver/wiki/Sample_condition"' in secure.content.decode()


def _call_wsgi(path, **extra):
    from django.test import RequestFactory

    from encyclopedia.wsgi import application

    environ = RequestFactory().get(path, **extra).environ
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(application(environ, start_response))
    return seen["status"], seen["headers"], body


def test_the_wsgi_entry_answers_a_hit_before_django_with_the_same_page(client, make_article):
    make_article()
    first = client.get("/wiki/Sample_condition")
    assert first["X-Page-Cache"] == "miss"
    status, headers, body = _call_wsgi("/wiki/Sample_condition")
    assert status == "200 OK" and headers["X-Page-Cache"] == "hit"
    assert body == first.content
    assert headers["Content-Security-Policy"] == first["Content-Security-Policy"]
    # What is not a hit goes to Django as before: a session, a query string, a bad host.
    status, headers, _ = _call_wsgi("/wiki/Sample_condition", HTTP_COOKIE="sessionid=x")
    assert headers.get("X-Page-Cache") != "hit"
    status, headers, _ = _call_wsgi("/wiki/Sample_condition?printable=yes")
    assert headers.get("X-Page-Cache") != "hit"
    status, _, _ = _call_wsgi("/wiki/Sample_condition", HTTP_HOST="evil.example")
    assert status.startswith("400")
