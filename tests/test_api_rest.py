"""The REST API under /api/v1/: reads, errors a program can act on, ETags, the OpenAPI
document, and writes with a personal token through the one write path."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openapi_spec_validator import validate
from PIL import Image

from tests.conftest import SAMPLE_SOURCE, editors_group, save
from wiki.api.models import ApiToken
from wiki.models import Article, Revision

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(make_article, editor):
    made = make_article(user=editor, categories=["Rare diseases"])
    save(made, editor, made.source.replace("Rest helps.", "Rest helps a lot."), summary="More rest")
    made.refresh_from_db()
    return made


@pytest.fixture
def token(editor):
    return ApiToken.issue(user=editor, name="test bot")[1]


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def error_code(response):
    assert response["Content-Type"].startswith("application/json")
    return response.json()["error"]["code"]


# The document -------------------------------------------------------------------------------


def test_the_openapi_document_is_valid_openapi_3_and_names_every_endpoint(client):
    response = client.get("/api/v1/schema")
    assert response.status_code == 200
    document = response.json()
    validate(document)  # raises when the document is not valid OpenAPI
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    for path in [
        "/api/v1/articles",
        "/api/v1/articles/{title}",
        "/api/v1/articles/{title}/revisions",
        "/api/v1/articles/{title}/revisions/{revision_id}",
        "/api/v1/articles/{title}/diff",
        "/api/v1/articles/{title}/revert",
        "/api/v1/search",
        "/api/v1/suggestions",
        "/api/v1/recent-changes",
        "/api/v1/categories",
        "/api/v1/categories/{name}",
        "/api/v1/contributors",
        "/api/v1/contributors/{name}",
        "/api/v1/uploads",
    ]:
        assert path in paths
    assert (
        "BearerAuth" in str(document["components"]["securitySchemes"])
        or document["components"]["securitySchemes"]
    )


def test_operation_ids_name_the_operation_not_the_module_that_holds_it(client):
    """Generated clients name their methods after operation ids: splitting the API into
    modules must not rename them."""
    document = client.get("/api/v1/schema").json()
    ids = {
        operation["operationId"]
        for operations in document["paths"].values()
        for operation in operations.values()
    }
    assert {
        "wiki_api_rest_get_article",
        "wiki_api_rest_edit_article",
        "wiki_api_rest_search",
        "wiki_api_rest_upload",
    } <= ids
    assert all(i.startswith("wiki_api_rest_") for i in ids)


def test_the_documentation_page_loads_its_scripts_from_our_own_server(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


# Reads --------------------------------------------------------------------------------------


def test_an_article_comes_as_markdown_sections_html_categories_credits_and_links(
    client, article, make_article
):
    make_article(title="Other condition", source="Links back to [[Sample condition]].")
    data = client.get("/api/v1/articles/sample_condition").json()
    assert data["title"] == "Sample condition"
    assert data["content_model"] == "markdown"
    assert data["source"] == article.source
    assert data["revision_id"] == article.latest_revision_id
    assert [s["heading"] for s in data["sections"]] == [
        "",
        "Symptoms",
        "Causes",
        "Treatment",
        "See also",
    ]
    assert data["sections"][2]["source"] == "## Causes\n\nNobody knows the causes.\n"
    assert data["sections"][2]["anchor"] == "Causes"
    assert "<p>Rest helps a lot.</p>" in data["html"]
    assert data["categories"] == ["Rare diseases"]
    assert [c["display_name"] for c in data["credits"]] == ["Edna Marsh"]
    assert data["links_out"] == [{"title": "Other condition", "exists": True}]
    assert data["links_in"] == ["Other condition"]
    assert data["infobox"] is None
    assert data["review"] == {
        "reviewed_revision_id": None,
        "reviewed_at": None,
        "reviewer": None,
        "note": "",
        "edits_since": 0,
        "readers_see_reviewed": True,  # the site's default; no reviewed revision to show yet
        "readers_revision_id": article.latest_revision_id,
        "checked_revision_id": None,
        "stable_level": "reviewed",
        "readers_revision_level": None,  # neither checked nor reviewed
    }


def test_an_article_gives_its_infobox_and_review_state(client, make_article, editor):
    from django.contrib.auth.models import Group, User

    from wiki.models import Contributor, Revision
    from wiki.permissions import REVIEWERS_GROUP, ensure_groups
    from wiki.review.services import mark_reviewed

    from .conftest import save

    article = make_article(
        title="Gout", source="::: infobox medical condition\nICD-10: M10\n:::\nGout hurts.\n"
    )
    ensure_groups()
    jane = User.objects.create_user("jane")
    jane.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    Contributor.objects.create(user=jane, name="Jane Roe", credentials="MD")
    reviewed = Revision.objects.get(article=article)
    mark_reviewed(revision=reviewed, user=User.objects.get(pk=jane.pk), note="Fine")
    save(article, editor, article.source + "\nMore.\n")
    data = client.get("/api/v1/articles/Gout").json()
    assert data["infobox"] == {"type": "medical condition", "fields": {"icd10": "M10"}}
    review = data["review"]
    assert review["reviewed_revision_id"] == reviewed.pk and review["edits_since"] == 1
    assert review["reviewer"] == "Jane Roe, MD" and review["note"] == "Fine"


def test_the_html_of_an_article_is_sanitized(client, make_article):
    make_article(
        title="Trap", source='Hello <script>alert(1)</script> <a href="javascript:x">x</a>'
    )
    html = client.get("/api/v1/articles/Trap").json()["html"]
    assert "<script" not in html
    assert "javascript:" not in html


def test_articles_are_listed_a_page_at_a_time_with_a_cursor(client, make_article):
    for n in range(5):
        make_article(title=f"Topic {n}", source=f"Text {n}.")
    seen, cursor = [], None
    while True:
        url = "/api/v1/articles?limit=2" + (f"&cursor={cursor}" if cursor else "")
        data = client.get(url).json()
        assert len(data["items"]) <= 2
        seen += [item["title"] for item in data["items"]]
        cursor = data["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"Topic {n}" for n in range(5)]


def test_articles_modified_since_a_time_are_the_ones_changed_after_it(client, make_article):
    old = make_article(title="Old topic", source="Old.")
    Article.objects.filter(pk=old.pk).update(updated_at="2020-01-01T00:00:00Z")
    make_article(title="New topic", source="New.")
    data = client.get("/api/v1/articles?modified_since=2024-06-01T00:00:00Z").json()
    assert [item["title"] for item in data["items"]] == ["New topic"]


def test_revisions_are_listed_newest_first_and_each_gives_its_source(client, article):
    data = client.get("/api/v1/articles/Sample_condition/revisions").json()
    assert [r["summary"] for r in data["items"]] == ["More rest", "Created"]
    assert data["items"][0]["contributor"] == "Edna Marsh"
    first = data["items"][1]["id"]
    old = client.get(f"/api/v1/articles/Sample_condition/revisions/{first}").json()
    assert old["source"] == SAMPLE_SOURCE


def test_revisions_page_with_a_cursor(client, article, editor):
    for n in range(3):
        save(article, editor, article.source + f"\nMore {n}.\n", summary=f"edit {n}")
    first = client.get("/api/v1/articles/Sample_condition/revisions?limit=3").json()
    rest = client.get(
        f"/api/v1/articles/Sample_condition/revisions?limit=3&cursor={first['next_cursor']}"
    ).json()
    summaries = [r["summary"] for r in first["items"] + rest["items"]]
    assert summaries == ["edit 2", "edit 1", "edit 0", "More rest", "Created"]
    assert rest["next_cursor"] is None


def test_the_diff_of_two_revisions_shows_what_changed(client, article):
    ids = [r.pk for r in Revision.objects.filter(article=article).order_by("pk")]
    data = client.get(f"/api/v1/articles/Sample_condition/diff?from={ids[0]}&to={ids[1]}").json()
    assert "-Rest helps.\n+Rest helps a lot.\n" in data["unified"]
    changed = [s for s in data["sections"] if s["status"] == "changed"]
    assert [s["heading"] for s in changed] == ["Treatment"]
    assert "<ins>" in str(changed[0]["rows"])


def test_search_ranks_and_highlights_as_the_site_does(client, article, make_article):
    make_article(title="Unrelated", source="Nothing about skin.")
    data = client.get("/api/v1/search?q=rash").json()
    assert data["total"] == 1
    assert data["results"][0]["title"] == "Sample condition"
    assert "<mark>rash</mark>" in data["results"][0]["snippet_html"]


def test_suggestions_complete_titles(client, article):
    assert client.get("/api/v1/suggestions?q=samp").json()["titles"] == ["Sample condition"]


def test_recent_changes_take_the_sites_filters(client, article, editor, other_editor):
    save(article, other_editor, article.source + "\nTypo.\n", summary="typo", minor=True)
    everything = client.get("/api/v1/recent-changes").json()["items"]
    assert [c["summary"] for c in everything] == ["typo", "More rest", "Created"]
    major = client.get("/api/v1/recent-changes?hideminor=true").json()["items"]
    assert [c["summary"] for c in major] == ["More rest", "Created"]
    by_otto = client.get("/api/v1/recent-changes?contributor=otto").json()["items"]
    assert [c["summary"] for c in by_otto] == ["typo"]
    in_category = client.get("/api/v1/recent-changes?category=Rare diseases").json()["items"]
    assert len(in_category) == 3
    page = client.get("/api/v1/recent-changes?limit=2").json()
    more = client.get(f"/api/v1/recent-changes?limit=2&cursor={page['next_cursor']}").json()
    assert [c["summary"] for c in page["items"] + more["items"]] == ["typo", "More rest", "Created"]


def test_categories_and_their_members(client, article):
    listed = client.get("/api/v1/categories").json()["items"]
    assert [(c["name"], c["articles"]) for c in listed] == [("Rare diseases", 1)]
    one = client.get("/api/v1/categories/Rare_diseases").json()
    assert [m["title"] for m in one["members"]] == ["Sample condition"]


def test_contributors_and_what_they_are_credited_on(client, article):
    listed = client.get("/api/v1/contributors").json()["items"]
    assert [(c["name"], c["edits"]) for c in listed] == [("Edna Marsh", 2)]
    one = client.get("/api/v1/contributors/Edna_Marsh").json()
    assert one["credited_on"] == ["Sample condition"]


# Errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, status, code",
    [
        ("/api/v1/articles/No_such_thing", 404, "article_not_found"),
        ("/api/v1/articles/Sample_condition/revisions/999999", 404, "revision_not_found"),
        (
            "/api/v1/articles/Sample_condition/revisions/99999999999999999999",
            404,
            "revision_not_found",
        ),
        ("/api/v1/articles/Sample_condition/diff?from=1", 400, "invalid_parameters"),
        ("/api/v1/articles/Sample_condition/diff?from=x&to=1", 400, "invalid_parameters"),
        ("/api/v1/articles?limit=1000", 400, "invalid_limit"),
        ("/api/v1/articles?cursor=garbage", 400, "invalid_cursor"),
        ("/api/v1/articles?modified_since=yesterday", 400, "invalid_parameters"),
        ("/api/v1/articles?modified_since=0.5", 400, "invalid_parameters"),  # not a Unix time
        ("/api/v1/articles/Line%0Abreak", 404, "not_found"),
        ("/api/v1/suggestions?limit=0", 400, "invalid_limit"),
        ("/api/v1/search", 400, "invalid_parameters"),
        ("/api/v1/search?q=" + "x" * 400, 400, "query_too_long"),
        ("/api/v1/recent-changes?category=Nope", 404, "category_not_found"),
        ("/api/v1/recent-changes?review=maybe", 400, "invalid_parameters"),
        ("/api/v1/categories/Nope", 404, "category_not_found"),
        ("/api/v1/contributors/Nobody", 404, "contributor_not_found"),
        ("/api/v1/no-such-endpoint", 404, "not_found"),
        ("/api/v1", 404, "not_found"),
    ],
)
def test_bad_reads_get_json_errors_with_a_code(client, article, url, status, code):
    response = client.get(url)
    assert response.status_code == status
    assert error_code(response) == code
    assert response.json()["error"]["message"]


def test_a_wrong_method_is_a_json_405(client, article):
    response = client.delete("/api/v1/articles/Sample_condition")
    assert response.status_code == 405
    assert error_code(response) == "method_not_allowed"


def test_a_post_without_a_csrf_token_to_an_unknown_address_is_a_json_404(article):
    client = Client(enforce_csrf_checks=True)
    for path in ("/api/v1/no-such-endpoint", "/api/v1/articles/A%0AB/revisions"):
        response = client.post(path, {"x": "1"})
        assert response.status_code == 404
        assert error_code(response) == "not_found"


def test_the_document_declares_the_bounds_and_answers_the_views_give(client):
    document = client.get("/api/v1/schema").json()
    listing = document["paths"]["/api/v1/articles"]["get"]
    parameters = {p["name"]: p for p in listing["parameters"]}
    assert parameters["limit"]["schema"]["minimum"] == 1
    assert parameters["limit"]["schema"]["maximum"] == 100
    assert "If-None-Match" in parameters and "304" in listing["responses"]
    search = document["paths"]["/api/v1/search"]["get"]
    assert {p["name"]: p for p in search["parameters"]}["page"]["schema"]["minimum"] == 1
    assert "400" in document["paths"]["/api/v1/suggestions"]["get"]["responses"]
    title = document["paths"]["/api/v1/articles/{title}"]["get"]["parameters"][0]["schema"]
    assert title["maxLength"] == 255
    pattern = re.compile(title["pattern"])
    for good in ("Sample condition", "Asthma/Children", "TALK:Shouting"):
        assert pattern.match(good), good
    for bad in ("", "  ", "A#b", "Special:Random", "Talk:", ".hidden", "X/edit", "X/revisions"):
        assert not pattern.match(bad), bad
    create = document["paths"]["/api/v1/articles"]["post"]["responses"]
    assert create["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


# ETag ---------------------------------------------------------------------------------------


def test_a_read_has_an_etag_and_the_same_etag_gets_a_304_until_the_article_changes(
    client, article, editor
):
    first = client.get("/api/v1/articles/Sample_condition")
    etag = first["ETag"]
    assert etag and first["Cache-Control"].startswith("public")
    again = client.get("/api/v1/articles/Sample_condition", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    save(article, editor, article.source + "\nNew line.\n")
    changed = client.get("/api/v1/articles/Sample_condition", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_reads_with_a_token_are_private_to_caches(client, article, token):
    response = client.get("/api/v1/articles/Sample_condition", **bearer(token))
    assert response["Cache-Control"] == "private, no-cache"
    assert "Authorization" in response["Vary"]


# Writes -------------------------------------------------------------------------------------


def test_an_editor_with_a_token_creates_an_article(client, token, editor):
    response = client.post(
        "/api/v1/articles",
        {"title": "New topic", "text": "A new topic.\n\n## Details\n\nSome.", "summary": "Start"},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "New topic"
    made = Article.objects.get(title="New topic")
    revision = Revision.objects.get(pk=made.latest_revision_id)
    assert (revision.user, revision.summary, revision.kind) == (editor, "Start", "create")


def test_an_editor_edits_one_section_with_the_base_revision(client, article, token):
    response = client.put(
        "/api/v1/articles/Sample_condition",
        {
            "text": "## Causes\n\nA virus, probably.",
            "section": 2,
            "base_revision": article.latest_revision_id,
            "summary": "Causes",
        },
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 200, response.content
    assert response.json()["merged"] is False
    article.refresh_from_db()
    assert "A virus, probably." in article.source
    assert "Rest helps a lot." in article.source


def test_a_concurrent_edit_elsewhere_is_merged_and_reported(client, article, token, other_editor):
    base = article.latest_revision_id
    save(article, other_editor, article.source.replace("Nobody knows", "Few know"))
    response = client.put(
        "/api/v1/articles/Sample_condition",
        {"text": "## Treatment\n\nSleep.", "section": 3, "base_revision": base},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 200
    assert response.json()["merged"] is True
    article.refresh_from_db()
    assert "Few know" in article.source and "Sleep." in article.source


def test_an_overlapping_edit_is_a_409_with_both_texts_and_nothing_saved(
    client, article, token, other_editor
):
    base = article.latest_revision_id
    save(article, other_editor, article.source.replace("Rest helps a lot.", "Rest is key."))
    latest = Article.objects.get(pk=article.pk).latest_revision_id
    response = client.put(
        "/api/v1/articles/Sample_condition",
        {"text": "## Treatment\n\nDrink water.", "section": 3, "base_revision": base},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "edit_conflict"
    assert "Rest is key." in error["current_text"]
    assert "Drink water." in error["your_text"]
    assert error["latest_revision"] == latest
    assert Article.objects.get(pk=article.pk).latest_revision_id == latest


def test_an_editor_reverts_to_an_old_revision_as_a_new_revision(client, article, token):
    first = Revision.objects.filter(article=article).order_by("pk").first()
    response = client.post(
        "/api/v1/articles/Sample_condition/revert",
        {"revision_id": first.pk},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.source == SAMPLE_SOURCE
    assert Revision.objects.get(pk=article.latest_revision_id).kind == "revert"


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


def test_an_editor_uploads_an_image_and_gets_its_markdown(client, token, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = io.BytesIO(png_bytes())
    image.name = "dot.png"
    response = client.post("/api/v1/uploads", {"image": image}, **bearer(token))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["markdown"].startswith("![](/media/uploads/") and data["markdown"].endswith(".png)")


def test_a_multipart_upload_without_a_boundary_is_a_json_400(client, token):
    response = client.generic(
        "POST",
        "/api/v1/uploads",
        b'Content-Disposition: form-data; name="image"\r\n\r\nx',
        content_type="multipart/form-data",
        **bearer(token),
    )
    assert response.status_code == 400
    assert error_code(response) == "unreadable_body"


def test_an_upload_that_is_not_an_image_is_refused(client, token, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = io.BytesIO(b"<svg><script>alert(1)</script></svg>")
    fake.name = "evil.svg"
    response = client.post("/api/v1/uploads", {"image": fake}, **bearer(token))
    assert response.status_code == 400
    assert error_code(response) == "refused_upload"


def test_writes_without_a_token_are_401(client, article):
    response = client.put(
        "/api/v1/articles/Sample_condition",
        {"text": "Gone.", "base_revision": article.latest_revision_id},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert error_code(response) == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_or_made_up_token_is_401(client, article, editor):
    made, text = ApiToken.issue(user=editor, name="old")
    made.revoke()
    for sent in (text, "enc_made-up"):
        response = client.post(
            "/api/v1/articles",
            {"title": "X", "text": "Y"},
            content_type="application/json",
            **bearer(sent),
        )
        assert response.status_code == 401


def test_a_reader_with_a_token_may_not_edit(client, article, reader):
    text = ApiToken.issue(user=reader, name="reader bot")[1]
    response = client.put(
        "/api/v1/articles/Sample_condition",
        {"text": "Vandal.", "base_revision": article.latest_revision_id},
        content_type="application/json",
        **bearer(text),
    )
    assert response.status_code == 403
    assert error_code(response) == "forbidden"
    assert "Editors group" in response.json()["error"]["message"]


def test_only_administrators_edit_a_protected_article(client, article, token, administrator):
    Article.objects.filter(pk=article.pk).update(protection=Article.Protection.ADMINS)
    payload = {"text": "Changed.", "base_revision": article.latest_revision_id}
    refused = client.put(
        "/api/v1/articles/Sample_condition",
        payload,
        content_type="application/json",
        **bearer(token),
    )
    assert refused.status_code == 403
    admin_token = ApiToken.issue(user=administrator, name="admin bot")[1]
    allowed = client.put(
        "/api/v1/articles/Sample_condition",
        payload,
        content_type="application/json",
        **bearer(admin_token),
    )
    assert allowed.status_code == 200


@pytest.mark.parametrize(
    "payload, status, code",
    [
        ({"title": "", "text": "x"}, 400, "invalid_title"),
        ({"title": "Sample condition", "text": "x"}, 409, "title_taken"),
        ({"text": "x"}, 400, "invalid_parameters"),
        ({"title": "Big", "text": "x" * (2 * 1024 * 1024 + 1)}, 413, "too_large"),
    ],
)
def test_bad_creations_get_json_errors(client, article, token, payload, status, code):
    response = client.post(
        "/api/v1/articles", payload, content_type="application/json", **bearer(token)
    )
    assert response.status_code == status
    assert error_code(response) == code


def test_a_malformed_json_body_is_a_400(client, token):
    response = client.post(
        "/api/v1/articles", "{not json", content_type="application/json", **bearer(token)
    )
    assert response.status_code == 400


def test_editing_a_section_that_does_not_exist_is_a_404(client, article, token):
    response = client.put(
        "/api/v1/articles/Sample_condition",
        {"text": "## X\n\nY", "section": 42, "base_revision": article.latest_revision_id},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 404  # as the edit form answers a section it lacks
    assert error_code(response) == "no_such_section"


def test_writes_are_throttled_per_token(client, article, token, settings, editor):
    settings.API_WRITE_RATE = "2/min"
    from wiki.api import rest

    rest.TokenWriteThrottle.__init__(rest.WRITE["throttle"][0])  # the new rate
    try:
        statuses = []
        for n in range(3):
            response = client.post(
                "/api/v1/articles",
                {"title": f"Throttled {n}", "text": "Text."},
                content_type="application/json",
                **bearer(token),
            )
            statuses.append(response.status_code)
        assert statuses == [201, 201, 429]
        assert error_code(response) == "throttled"
        assert int(response["Retry-After"]) > 0
        other = ApiToken.issue(user=editor, name="second")[1]
        response = client.post(
            "/api/v1/articles",
            {"title": "Other token", "text": "Text."},
            content_type="application/json",
            **bearer(other),
        )
        assert response.status_code == 201
    finally:
        settings.API_WRITE_RATE = "60/min"
        rest.TokenWriteThrottle.__init__(rest.WRITE["throttle"][0])


def test_a_deactivated_users_token_stops_working(client, article, editor, token):
    User.objects.filter(pk=editor.pk).update(is_active=False)
    response = client.post(
        "/api/v1/articles",
        {"title": "X", "text": "Y"},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 401
    editors_group()  # keep the group for later tests


def test_a_body_larger_than_the_server_reads_is_a_json_413(client, token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/api/v1/articles",
        {"title": "Big", "text": "x" * 5000},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 413
    assert error_code(response) == "too_large"


@pytest.mark.parametrize("change", [{"minor": 0}, {"base_revision": "1"}, {"section": True}])
def test_a_write_is_taken_only_as_the_document_types_it(client, article, token, change):
    response = client.put(
        "/api/v1/articles/Sample_condition",
        {"text": "Changed.", **change},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 400
    assert error_code(response) == "invalid_parameters"
    assert "Changed." not in Article.objects.get(title="Sample condition").source
