"""House advertisements as a reader, an operator and an administrator meet them: off unless
switched on, shown only between their dates and where their categories (and the operator's
exclusion list) allow, labelled "Advertisement" outside the article's text, counted per day
without anything about the reader, and still right on pages replayed from the page cache."""

import io
import re
from datetime import timedelta

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from encyclopedia import promotions
from encyclopedia import settings as site_settings
from encyclopedia.models import Promotion, PromotionDay
from encyclopedia.promotions import impressions_flush, promotions_job

ADDRESS = "203.0.113.77"
AGENT = "Mozilla/5.0 (a reader's phone) TestBrowser/1.0"


@pytest.fixture(autouse=True)
def promotions_on(settings):
    """Switched on (the default is off, tested below); the process's memo forgotten."""
    settings.PROMOTIONS_ENABLED = True
    settings.PROMOTIONS_EXCLUDED_CATEGORIES = []
    promotions._running.update(key=None, promotions=[])
    yield
    promotions._running.update(key=None, promotions=[])


def png(colour="teal") -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (120, 60), colour).save(data, "PNG")
    return SimpleUploadedFile("banner.png", data.getvalue(), content_type="image/png")


def promote(text="Sleep clinic open on Saturdays", *, days=(0, 0), image=False, **fields):
    today = timezone.localdate()
    promotion = Promotion.objects.create(
        text=text,
        link="https://clinic.example/sleep",
        starts_on=today + timedelta(days=days[0]),
        ends_on=today + timedelta(days=days[1]) if days[1] is not None else None,
        image=png() if image else "",
        image_alt="A moon over a pillow" if image else "",
        **fields,
    )
    return promotion


def block(response) -> str:
    """The promotion block of a page, or ""."""
    found = re.search(r'<aside class="promotion".*?</aside>', response.content.decode(), re.S)
    return found.group(0) if found else ""


@pytest.fixture
def article(make_article):
    return make_article("Insomnia", categories=["Sleep"])


def test_promotions_are_off_unless_the_operator_switches_them_on(client, article, settings):
    assert site_settings.PROMOTIONS_ENABLED is False  # the shipped default
    promote()
    settings.PROMOTIONS_ENABLED = False
    page = client.get("/wiki/Insomnia")
    assert "Advertisement" not in page.content.decode() and block(page) == ""


def test_switched_on_without_a_promotion_the_page_shows_none(client, article):
    assert block(client.get("/wiki/Insomnia")) == ""


def test_a_running_promotion_is_labelled_and_sits_outside_the_article_before_the_disclaimer(
    client, article
):
    promote()
    html = client.get("/wiki/Insomnia").content.decode()
    shown = block(client.get("/wiki/Insomnia"))
    assert 'role="region" aria-label="Advertisement"' in shown
    assert '<p class="promotion__label">Advertisement</p>' in shown
    assert "Sleep clinic open on Saturdays" in shown
    assert 'rel="sponsored nofollow noopener"' in shown
    assert html.index("</article>") < html.index("promotion__label") < html.index('"disclaimer"')


def test_only_promotions_between_their_dates_are_shown(client, article):
    promote("Ended yesterday", days=(-10, -1))
    promote("Starts tomorrow", days=(1, 10))
    promote("Runs until further notice", days=(-3, None))
    shown = block(client.get("/wiki/Insomnia"))
    assert "Runs until further notice" in shown
    assert "Ended yesterday" not in shown and "Starts tomorrow" not in shown


def test_a_promotion_limited_to_categories_appears_only_there(client, article, make_article):
    make_article("Gout", categories=["Joints"])
    promotion = promote("Only for sleep readers")
    promotion.categories.set(article.categories.all())
    assert "Only for sleep readers" in block(client.get("/wiki/Insomnia"))
    assert block(client.get("/wiki/Gout")) == ""


def test_a_promotion_never_appears_in_its_excluded_categories(client, article, make_article):
    make_article("Gout", categories=["Joints"])
    promotion = promote("Not beside sleep articles")
    promotion.excluded_categories.set(article.categories.all())
    assert block(client.get("/wiki/Insomnia")) == ""
    assert "Not beside sleep articles" in block(client.get("/wiki/Gout"))


def test_the_operators_exclusion_list_wins_over_every_promotion(client, make_article, settings):
    make_article("Croup", categories=["Children's health"])
    make_article("Gout", categories=["Joints"])
    promote("Anywhere at all")
    settings.PROMOTIONS_EXCLUDED_CATEGORIES = ["Children's_health"]
    assert block(client.get("/wiki/Croup")) == ""
    assert "Anywhere at all" in block(client.get("/wiki/Gout"))


def test_no_promotion_on_history_edit_or_the_main_page_unless_chosen(
    client, article, editor_client
):
    promotion = promote()
    assert block(client.get("/wiki/Insomnia/history")) == ""
    assert block(editor_client.get("/wiki/Insomnia/edit")) == ""
    assert block(client.get("/")) == ""
    promotion.on_main_page = True
    promotion.save()
    assert "Sleep clinic open on Saturdays" in block(client.get("/"))


def test_no_promotion_on_help_talk_or_template_pages(client, article, make_article):
    promote("Anywhere readers read")
    make_article("Help:Editing", "How to edit.\n")
    make_article("Template:Notice", "A notice.\n")
    make_article("Talk:Insomnia", "A question.\n")
    assert "Anywhere readers read" in block(client.get("/wiki/Insomnia"))
    assert block(client.get("/wiki/Help:Editing")) == ""
    assert block(client.get("/wiki/Talk:Insomnia")) == ""
    assert block(client.get("/wiki/Template:Notice")) == ""


def test_a_page_always_gets_the_same_promotion_among_several(client, article):
    for n in range(4):
        promote(f"Promotion number {n}")
    first = block(client.get("/wiki/Insomnia"))
    promotions._running.update(key=None)
    client.cookies.clear()
    assert block(client.get("/wiki/Insomnia", {"x": "1"})) == first != ""


def test_a_click_is_counted_and_redirected_keeping_nothing_about_the_reader(client, article):
    promotion = promote()
    response = client.get(
        f"/promo/{promotion.pk}/click", REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT
    )
    assert response.status_code == 302
    assert response["Location"] == "https://clinic.example/sleep"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    day = PromotionDay.objects.get(promotion=promotion)
    assert (day.day, day.clicks, day.impressions) == (timezone.localdate(), 1, 0)
    # What is stored is a count a day: no address, no browser, no visitor.
    assert {f.name for f in PromotionDay._meta.get_fields()} == {
        "id",
        "promotion",
        "day",
        "impressions",
        "clicks",
    }
    stored = serializers.serialize("json", [*Promotion.objects.all(), *PromotionDay.objects.all()])
    assert ADDRESS not in stored and "TestBrowser" not in stored


def test_each_showing_of_the_image_is_one_impression_flushed_once(client, article):
    promotion = promote(image=True)
    shown = block(client.get("/wiki/Insomnia"))
    image_url = re.search(r'src="([^"]+)"', shown).group(1)
    assert image_url == f"/promo/{promotion.pk}/image"
    first = client.get(image_url, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT)
    assert first.status_code == 200 and first["Content-Type"] == "image/png"
    assert first["Cache-Control"] == "no-cache" and not first.cookies
    again = client.get(image_url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    impressions_flush()
    impressions_flush()  # nothing counted twice
    day = PromotionDay.objects.get(promotion=promotion)
    assert (day.impressions, day.clicks) == (2, 0)
    stored = serializers.serialize("json", PromotionDay.objects.all())
    assert ADDRESS not in stored


def test_the_content_security_policy_is_the_same_with_a_promotion(client, article, settings):
    def policy():
        header = client.get("/wiki/Insomnia")["Content-Security-Policy"]
        return re.sub(r"'nonce-[^']+'", "'nonce'", header)

    settings.PAGE_CACHE_ENABLED = False
    settings.PROMOTIONS_ENABLED = False
    without = policy()
    settings.PROMOTIONS_ENABLED = True
    promote(image=True)
    assert "Advertisement" in block(client.get("/wiki/Insomnia"))
    assert policy() == without
    assert "img-src 'self' https:" in without


def test_a_cached_page_keeps_showing_and_counting_its_promotion(client, article):
    promotion = promote(image=True)
    first = client.get("/wiki/Insomnia")
    second = client.get("/wiki/Insomnia")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert block(second) == block(first) != ""
    for _ in (first, second):  # each reader's browser loads the image
        client.get(f"/promo/{promotion.pk}/image")
    promotions_job()
    assert PromotionDay.objects.get(promotion=promotion).impressions == 2


def test_a_changed_promotion_retires_cached_pages(client, article):
    promotion = promote("The old wording")
    client.get("/wiki/Insomnia")
    assert client.get("/wiki/Insomnia")["X-Page-Cache"] == "hit"
    promotion.text = "The new wording"
    promotion.save()
    fresh = client.get("/wiki/Insomnia")
    assert fresh["X-Page-Cache"] == "miss" and "The new wording" in block(fresh)


def test_a_promotion_that_ended_leaves_cached_pages_when_the_job_runs(client, article):
    promotion = promote("Last day today")
    client.get("/wiki/Insomnia")
    # The day passes: no one saves anything, the dates alone say it has ended.
    Promotion.objects.filter(pk=promotion.pk).update(ends_on=timezone.localdate() - timedelta(1))
    promotions._running.update(key=None)
    assert client.get("/wiki/Insomnia")["X-Page-Cache"] == "hit"
    promotions_job()
    after = client.get("/wiki/Insomnia")
    assert after["X-Page-Cache"] == "miss" and block(after) == ""
    promotions_job()  # nothing more changed: pages stay cached
    assert client.get("/wiki/Insomnia")["X-Page-Cache"] == "hit"


def test_an_image_needs_its_alt_text_and_the_end_comes_after_the_start():
    today = timezone.localdate()
    promotion = Promotion(
        text="Eye tests", link="https://optician.example/", starts_on=today, image=png()
    )
    with pytest.raises(ValidationError) as refused:
        promotion.full_clean()
    assert "image_alt" in refused.value.message_dict
    promotion = Promotion(
        text="Eye tests",
        link="https://optician.example/",
        starts_on=today,
        ends_on=today - timedelta(days=1),
    )
    with pytest.raises(ValidationError) as refused:
        promotion.full_clean()
    assert "ends_on" in refused.value.message_dict


def test_crawlers_are_asked_to_leave_the_promotion_addresses_alone(client):
    assert "Disallow: /promo/" in client.get("/robots.txt").content.decode()


def test_the_task_queue_runs_the_promotions_job_every_five_minutes(db):
    from django_q.models import Schedule

    job = Schedule.objects.get(name=promotions.SCHEDULE_NAME)
    assert (job.func, job.schedule_type, job.minutes) == (
        "encyclopedia.promotions.promotions_job",
        Schedule.MINUTES,
        5,
    )
