"""Administrators edit articles with their sections inline, through the same write path."""

from reversion.models import Version

from wiki.models import Article, Category, Revision


def inline_data(sections, credits=()):
    data = {
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
        "credits-MIN_NUM_FORMS": "0",
        "credits-MAX_NUM_FORMS": "1000",
    }
    for i, (position, heading, body) in enumerate(sections):
        data.update(
            {
                f"sections-{i}-position": str(position),
                f"sections-{i}-level": "2",
                f"sections-{i}-heading": heading,
                f"sections-{i}-body": body,
            }
        )
    return data


def test_adding_an_article_in_the_admin_records_one_full_revision(admin_client_, client):
    neurology = Category.objects.create(name="Neurology")
    data = {
        "title": "Admin made",
        "lead": "A lead written in the admin.",
        "protection": "",
        "categories": [neurology.pk],
        "summary": "Made in admin",
        **inline_data([(1, "Symptoms", "Aches."), (2, "Treatment", "Rest.")]),
    }
    response = admin_client_.post("/admin/wiki/article/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(title="Admin made")
    rev = Revision.objects.get(article=article)
    assert rev.summary == "Made in admin"
    assert Version.objects.filter(revision_id=rev.pk).count() == 3  # article + 2 sections
    assert list(article.categories.all()) == [neurology]
    page = client.get("/wiki/Admin_made").content.decode()
    assert "Aches." in page and "Rest." in page


def test_changing_protection_in_the_admin_is_recorded(admin_client_, make_article):
    article = make_article(source="Lead.\n")
    data = {
        "title": article.title,
        "lead": "Lead.\n",
        "protection": "admins",
        "summary": "Protect",
        **inline_data([]),
    }
    response = admin_client_.post(f"/admin/wiki/article/{article.pk}/change/", data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_protected
    assert Revision.objects.filter(article=article).count() == 2


def test_a_deleted_article_is_recovered_with_its_sections(admin_client_, client, make_article):
    article = make_article()
    pk = article.pk
    response = admin_client_.post(f"/admin/wiki/article/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Article.objects.filter(pk=pk).exists()
    assert client.get("/wiki/Sample_condition").status_code == 404

    version = Version.objects.get_deleted(Article).get(object_id=str(pk))
    recover_url = f"/admin/wiki/article/recover/{version.pk}/"
    form_page = admin_client_.get(recover_url)
    assert form_page.status_code == 200 and "Recover this article" in form_page.content.decode()
    response = admin_client_.post(recover_url)
    assert response.status_code == 302, response.content.decode()[:2000]
    restored = Article.objects.get(pk=pk)
    assert [s.heading for s in restored.ordered_sections] == [
        "Symptoms",
        "Causes",
        "Treatment",
        "See also",
    ]
    assert Revision.objects.filter(article_id=pk).count() == 2
    assert Revision.objects.filter(article_id=pk).first().kind == "recover"
    assert "Rest helps." in client.get("/wiki/Sample_condition").content.decode()
