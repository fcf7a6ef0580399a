"""Disclosures: contributors declare competing interests (a statement or "none declared",
dated, every change kept); readers follow the review badge and the credits to the reviewer's
disclosure; a declared conflict with an article's category refuses the review, or is shown
beside it, as the site's policy says."""

import re
from html import unescape

import pytest
from django.test import Client
from django.utils.html import strip_tags

from tests.helpers import manage
from wiki.models import Category, Contributor, Revision
from wiki.review.disclosures import DisclosureRefused, disclosure_declare
from wiki.review.models import Disclosure, Review
from wiki.review.services import ReviewRefused, mark_reviewed


@pytest.fixture
def reviewer_client(reviewer):
    client = Client()
    client.force_login(reviewer)
    return client


@pytest.fixture
def drugs(db):
    """Drugs, with Antibiotics under it."""
    drugs = Category.objects.create(name="Drugs")
    Category.objects.create(name="Antibiotics", parent=drugs)
    return drugs


@pytest.fixture
def amoxicillin(make_article, editor, drugs):
    """An article in Antibiotics (under Drugs)."""
    return make_article(title="Amoxicillin", user=editor, categories=["Antibiotics"])


def text_of(response) -> str:
    return " ".join(unescape(strip_tags(response.content.decode())).split())


def declare(client, choice="declare", statement="", conflicts=""):
    return client.post(
        "/accounts/disclosure",
        {"choice": choice, "statement": statement, "conflicts": conflicts},
        follow=True,
    )


def review_in_site(client, article):
    return client.post(f"/wiki/{article.slug}/review/{article.latest_revision_id}", follow=True)


def test_a_reviewer_declares_from_their_profile_and_everyone_reads_it(
    client, reviewer_client, drugs
):
    profile = reviewer_client.get("/accounts/profile").content.decode()
    assert 'href="/accounts/disclosure"' in profile
    response = declare(
        reviewer_client,
        statement="Paid consultant to Acme Pharma (2024–2026).\r\nShares in Beta Labs.",
        conflicts="drugs",
    )
    assert response.redirect_chain[-1][0] == "/disclosure/Jane_Roe"
    assert "Your disclosure was saved." in text_of(response)
    disclosure = Disclosure.objects.get()
    assert (
        disclosure.statement == "Paid consultant to Acme Pharma (2024–2026).\nShares in Beta Labs."
    )
    assert list(disclosure.conflicts.all()) == [drugs]

    page = client.get("/disclosure/Jane_Roe")  # anyone, signed in or not
    shown = text_of(page)
    assert "Disclosure of competing interests: Jane Roe, MD" in shown
    assert f"Current disclosure (declared {disclosure.created_at:%-d %B %Y})" in shown
    assert (
        "Paid consultant to Acme Pharma (2024–2026).<br>Shares in Beta Labs."
        in page.content.decode()
    )
    assert "Conflicts declared with the categories: Drugs" in shown
    assert 'href="/category/Drugs"' in page.content.decode()
    assert "Change your disclosure" not in shown  # only to the contributor themselves
    contributor_page = client.get("/contributor/Jane_Roe").content.decode()
    assert 'href="/disclosure/Jane_Roe"' in contributor_page


def test_each_change_is_kept_and_shown_dated_newest_first(reviewer_client, reviewer, drugs):
    declare(reviewer_client, choice="none")
    declare(reviewer_client, statement="Speaker fees from Acme Pharma.", conflicts="Drugs")
    declare(reviewer_client, statement="Speaker fees from Acme Pharma.", conflicts="Drugs")
    assert Disclosure.objects.count() == 2  # the same declaration again records nothing
    form = reviewer_client.get("/accounts/disclosure").content.decode()
    assert "Speaker fees from Acme Pharma." in form and 'value="Drugs"' in form
    declare(reviewer_client, choice="none")
    history = list(Disclosure.objects.order_by("created_at", "pk"))
    assert [d.summary for d in history] == [
        "None declared",
        "Speaker fees from Acme Pharma.",
        "None declared",
    ]

    page = reviewer_client.get("/disclosure/Jane_Roe").content.decode()
    current, earlier = page.split("Earlier disclosures")
    assert "None declared." in current and "Speaker fees" not in current
    assert "Change your disclosure" in current
    assert earlier.index("Speaker fees from Acme Pharma.") < earlier.index("None declared.")
    times = re.findall(r'<time datetime="([^"]+)">', earlier)
    assert times == [
        f"{history[1].created_at:%Y-%m-%dT%H:%M:%S%z}",
        f"{history[0].created_at:%Y-%m-%dT%H:%M:%S%z}",
    ]


def test_the_form_says_what_is_missing_or_unknown(reviewer_client, drugs):
    response = declare(reviewer_client, statement="", conflicts="")
    assert "Describe your interests, or choose “None declared”." in text_of(response)
    response = declare(reviewer_client, statement="Grants from Acme.", conflicts="Drugs, Vaccines")
    assert "No category is named “Vaccines”." in text_of(response)
    assert Disclosure.objects.count() == 0
    # "None declared" drops a statement typed before the choice changed.
    declare(reviewer_client, choice="none", statement="left over", conflicts="Drugs")
    only = Disclosure.objects.get()
    assert only.none_declared and only.statement == "" and not only.conflicts.exists()


def test_nobody_edits_someone_elses_disclosure(client, reviewer, editor, drugs):
    disclosure_declare(user=reviewer, none_declared=True)
    answer = client.get("/accounts/disclosure")
    assert answer.status_code == 302 and "/accounts/login" in answer["Location"]
    answer = client.post("/accounts/disclosure", {"choice": "declare", "statement": "Forged."})
    assert answer.status_code == 302 and "/accounts/login" in answer["Location"]
    with pytest.raises(DisclosureRefused):
        disclosure_declare(user=None, none_declared=False, statement="Forged.")
    # Another signed-in person's form declares their own interests, never Jane's.
    client.force_login(editor)
    declare(client, statement="Owns a pharmacy.")
    jane = Contributor.objects.get(user=reviewer)
    assert [d.summary for d in jane.disclosures.all()] == ["None declared"]
    assert Disclosure.objects.get(statement="Owns a pharmacy.").contributor.user == editor
    assert "Owns a pharmacy." not in client.get("/disclosure/Jane_Roe").content.decode()


def test_the_review_badge_and_the_credits_lead_to_the_reviewers_disclosure(
    client, reviewer, make_article, editor
):
    article = make_article(user=editor)
    mark_reviewed(revision=Revision.objects.get(pk=article.latest_revision_id), user=reviewer)
    page = client.get(article.get_absolute_url()).content.decode()
    badge = re.search(r'<p class="review-badge">.*?</p>', page, re.S).group()
    assert "Medically reviewed by" in badge
    assert '<a class="review-disclosure" href="/disclosure/Jane_Roe">' in badge
    # No disclosure on file: reviews are not blocked, and the link says so.
    assert "No disclosure on file." in text_of(client.get("/disclosure/Jane_Roe"))

    credits = client.get(f"/wiki/{article.slug}/credits")
    assert "Medical reviewers" in text_of(credits)
    assert f"Jane Roe, MD — last reviewed revision {article.latest_revision_id}" in text_of(credits)
    assert 'href="/disclosure/Jane_Roe"' in credits.content.decode()

    disclosure_declare(user=reviewer, none_declared=True)
    assert "None declared." in text_of(client.get("/disclosure/Jane_Roe"))


def test_refuse_policy_a_conflicted_reviewer_cannot_review_in_the_category(
    settings, reviewer, reviewer_client, amoxicillin, make_article, editor, drugs
):
    settings.WIKI_REVIEW_CONFLICT_POLICY = "refuse"
    disclosure_declare(
        user=reviewer, none_declared=False, statement="Consults for Acme Pharma.", conflicts=[drugs]
    )
    response = review_in_site(reviewer_client, amoxicillin)
    shown = text_of(response)
    assert (
        "Your disclosure declares a competing interest in “Drugs”, and this article is filed "
        "there: under this site's policy another reviewer must review it. "
        "The review was not recorded."
    ) in shown
    assert not Review.objects.exists()
    with pytest.raises(ReviewRefused, match="competing interest in “Drugs”"):
        mark_reviewed(
            revision=Revision.objects.get(pk=amoxicillin.latest_revision_id), user=reviewer
        )
    # Outside the declared categories, the same reviewer reviews as before.
    other = make_article(title="Migraine", user=editor, categories=["Neurology"])
    assert "is marked medically reviewed" in text_of(review_in_site(reviewer_client, other))
    assert Review.objects.get().conflicts == ""


def test_show_policy_the_review_is_made_and_the_conflict_shown_beside_it(
    settings, client, reviewer, reviewer_client, amoxicillin, drugs
):
    settings.WIKI_REVIEW_CONFLICT_POLICY = "show"
    made = disclosure_declare(
        user=reviewer, none_declared=False, statement="Consults for Acme Pharma.", conflicts=[drugs]
    )
    assert "is marked medically reviewed" in text_of(review_in_site(reviewer_client, amoxicillin))
    review = Review.objects.get()
    assert review.conflicts == "Drugs" and review.disclosure == made

    badge = text_of(client.get(amoxicillin.get_absolute_url()))
    assert "Medically reviewed by Jane Roe, MD on" in badge
    assert "reviewer's disclosure · declared a competing interest in Drugs" in badge
    changes = text_of(reviewer_client.get("/recent-changes"))
    assert (
        "medically reviewed · reviewer's disclosure · declared a competing interest in Drugs"
        in (changes)
    )
    # The record keeps what was declared on the day, whatever the disclosure says later.
    disclosure_declare(user=reviewer, none_declared=True)
    review.refresh_from_db()
    assert review.conflicts == "Drugs" and review.disclosure == made


def test_administrators_read_disclosures_but_do_not_edit_them(
    admin_client_, reviewer, drugs, client
):
    made = disclosure_declare(
        user=reviewer, none_declared=False, statement="Grants from Acme.", conflicts=[drugs]
    )
    listing = admin_client_.get("/admin/wiki/disclosure/")
    assert listing.status_code == 200
    assert "Grants from Acme." in listing.content.decode()
    assert admin_client_.get("/admin/wiki/disclosure/add/").status_code == 403
    detail = admin_client_.get(f"/admin/wiki/disclosure/{made.pk}/change/").content.decode()
    assert "Grants from Acme." in detail and "Drugs" in detail
    assert 'name="statement"' not in detail  # read only


def test_a_signed_in_person_without_a_contributor_page_gets_one_when_declaring(reader):
    client = Client()
    client.force_login(reader)
    assert "None declared: I have no competing interests" in text_of(
        client.get("/accounts/disclosure")
    )
    response = declare(client, choice="none")
    assert response.redirect_chain[-1][0] == "/disclosure/rita"
    assert "None declared." in text_of(response)
    assert Contributor.objects.get(user=reader).disclosures.count() == 1


def test_a_misspelt_conflict_policy_stops_the_site_at_start():
    result = manage("check", env={"WIKI_REVIEW_CONFLICT_POLICY": "warn"})
    assert result.returncode != 0
    assert 'WIKI_REVIEW_CONFLICT_POLICY must be "refuse" or "show".' in result.stderr
