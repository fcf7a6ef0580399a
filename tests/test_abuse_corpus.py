"""The anti-abuse corpus (`abuse_corpus.py`): 52 hostile edits and 50 good-faith ones, each
posted by a new account (a day old, its captcha answered, as a paid spammer's would be)
through the edit form, `/api.php` and the REST API, and the text-borne ones through a talk
page's new-topic form, on a site set up as an operator would: the shipped rules switched on
(mass removal held rather than warned), a rule against promotional wording and the spam
domains on the blocklist. Every hostile edit is refused, held or tagged — none published
silently — and no good-faith edit is refused or held. The figures are printed (`-s`)."""

import collections
import difflib

import pytest
from django.test import Client
from django.urls import reverse

from tests.abuse_corpus import DEMO, GOOD, HOSTILE, PROMOTION, SPAM_DOMAINS
from tests.conftest import aged_account, save
from tests.helpers import CAPTCHA_PASSED
from wiki.antiabuse.models import AbuseRule, HeldEdit, LinkPattern
from wiki.api.models import ApiToken
from wiki.markdown_import import parse_markdown_file
from wiki.models import Article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("captcha_test_mode")]

TITLES = ("Paracetamol", "Migraine")
REFUSED, HELD, TAGGED, PUBLISHED = "refused", "held", "tagged", "published"


@pytest.fixture
def site(settings, make_article):
    """The two articles, an established editor who restores them between edits, and the
    operator's anti-abuse set-up."""
    # The per-minute save limit is a defence of its own (tests/test_abuse_limits.py); here
    # it would stop the corpus's hundreds of saves from one address, hiding the rules.
    settings.WIKI_SAVES_PER_MINUTE = 100_000
    settings.WIKI_YOUNG_ACCOUNT_EXTERNAL_LINKS = 10
    keeper = aged_account("keeper", days_old=400)
    texts = {}
    for title in TITLES:
        parsed = parse_markdown_file((DEMO / f"{title.lower()}.md").read_text(encoding="utf-8"))
        make_article(title=title, source=parsed.source, categories=parsed.categories, user=keeper)
        texts[title] = Article.objects.get(title=title).source
    AbuseRule.objects.update(enabled=True)
    AbuseRule.objects.filter(name="Mass removal by a new account").update(
        action=AbuseRule.Action.HOLD
    )
    AbuseRule.objects.create(
        name="Promotional wording",
        enabled=True,
        action=AbuseRule.Action.DENY,
        message="This reads like an advertisement.",
        added_text_regex=PROMOTION,
    )
    for domain in SPAM_DOMAINS:
        LinkPattern.objects.create(list=LinkPattern.List.BLOCK, pattern=domain, note="Spam wave")
    return keeper, texts


def newcomer(n: int) -> Client:
    browser = Client()
    browser.user = aged_account(f"newcomer{n}", days_old=1)
    browser.force_login(browser.user)
    return browser


def via_form(client, title, text):
    article = Article.objects.get(title=title)
    response = client.post(
        reverse("wiki:edit", args=[article.slug]),
        {
            "text": text,
            "summary": "Improved",
            "base_revision": article.latest_revision_id,
            "categories": ", ".join(article.categories.values_list("name", flat=True)),
            **CAPTCHA_PASSED,
        },
    )
    page = response.content.decode()
    # A refusal or a hold shows the text typed, to be fixed or kept: nothing is lost.
    kept = response.status_code == 302 or text.strip()[:60] in page or not text.strip()
    return response.status_code, kept


def via_action_api(client, title, text):
    token = client.get("/api.php", {"action": "query", "meta": "tokens", "format": "json"})
    answer = client.post(
        "/api.php",
        {
            "action": "edit",
            "title": title,
            "text": text,
            "summary": "Improved",
            "captchaid": CAPTCHA_PASSED["captcha_0"],
            "captchaword": CAPTCHA_PASSED["captcha_1"],
            "token": token.json()["query"]["tokens"]["csrftoken"],
            "format": "json",
        },
    ).json()
    if "error" in answer:
        return answer["error"]["code"], True
    return answer["edit"]["result"], True


def via_rest(client, title, text):
    token = ApiToken.issue(user=client.user, name="bot")[1]
    response = client.put(
        f"/api/v1/articles/{title}",
        {
            "text": text,
            "summary": "Improved",
            "captcha_id": CAPTCHA_PASSED["captcha_0"],
            "captcha_answer": CAPTCHA_PASSED["captcha_1"],
        },
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )
    return response.status_code, True


INTERFACES = {"form": via_form, "action-api": via_action_api, "rest": via_rest}


def outcome(user, title: str, before: int) -> str:
    if HeldEdit.objects.filter(user=user, title=title, state=HeldEdit.State.PENDING).exists():
        return HELD
    article = Article.objects.get(title=title)
    if article.latest_revision_id == before:
        return REFUSED
    return TAGGED if article.latest_revision.tags else PUBLISHED


def run(edits, site, interfaces=INTERFACES):
    """Each edit through each interface by a new account: {(name, interface): outcome}."""
    keeper, texts = site
    results, lost = {}, []
    for n, (edit, (interface, submit)) in enumerate(
        (edit, item) for edit in edits for item in interfaces.items()
    ):
        article = Article.objects.get(title=edit.article)
        if article.source != texts[edit.article]:  # the last edit was saved: put it back
            save(article, keeper, texts[edit.article])
        before = Article.objects.get(title=edit.article).latest_revision_id
        browser = newcomer(n)
        _, kept = submit(browser, edit.article, edit.change(texts[edit.article]))
        results[(edit.name, interface)] = outcome(browser.user, edit.article, before)
        if not kept:
            lost.append((edit.name, interface))
    return results, lost


def report(label, results):
    counts = collections.Counter(results.values())
    print(f"\n{label}: {len(results)} posts — " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts


def test_no_hostile_edit_is_published_silently(site):
    results, lost = run(HOSTILE, site)
    counts = report("hostile edits", results)
    assert len(HOSTILE) >= 50
    silent = sorted(key for key, said in results.items() if said == PUBLISHED)
    assert silent == [], f"published silently: {silent}"
    assert lost == [], f"the text was not handed back: {lost}"
    # As the rules say: spam, promotion and look-alikes refused; doses and mass removal held.
    by_kind = collections.defaultdict(set)
    for edit in HOSTILE:
        for interface in INTERFACES:
            by_kind[edit.kind].add(results[(edit.name, interface)])
    assert by_kind["link spam"] == by_kind["look-alike domain"] == {REFUSED}
    assert by_kind["hidden link"] == by_kind["promotional text"] == {REFUSED}
    assert by_kind["dose tampering"] == {HELD}
    assert by_kind["repeated characters"] == {TAGGED}
    assert counts[PUBLISHED] == 0


def test_no_good_faith_edit_is_refused_or_held(site):
    results, lost = run(GOOD, site)
    counts = report("good-faith edits", results)
    assert len(GOOD) >= 50
    stopped = sorted(key for key, said in results.items() if said != PUBLISHED)
    assert stopped == [], f"good edits stopped: {stopped}"
    assert counts[PUBLISHED] == len(GOOD) * len(INTERFACES)


def added_text(edit, texts) -> str:
    old = texts[edit.article].splitlines()
    new = edit.change(texts[edit.article]).splitlines()
    return "\n".join(line for line in difflib.ndiff(old, new) if line.startswith("+ ")).replace(
        "+ ", ""
    )


def test_talk_pages_stop_the_same_spam(site):
    """A new topic on a talk page carrying what the hostile edits add (their links and
    wording): refused as on the article; the good-faith additions are posted."""
    keeper, texts = site
    hostile = [
        e for e in HOSTILE if e.kind in ("link spam", "promotional text", "look-alike domain")
    ]
    good = [e for e in GOOD if e.kind in ("reference", "addition")][:15]
    said = {}
    for n, edit in enumerate(hostile + good):
        browser = newcomer(1000 + n)
        talk = f"Talk:{edit.article}"
        before = Article.objects.filter(title=talk).values_list("latest_revision_id", flat=True)
        before = before.first()
        browser.post(
            reverse("wiki:talk_topic", args=[talk.replace(" ", "_")]),
            {
                "topic-heading": f"About {n}",
                "topic-text": added_text(edit, texts),
                **CAPTCHA_PASSED,
            },
        )
        now = Article.objects.filter(title=talk).values_list("latest_revision_id", flat=True)
        said[edit.name] = "posted" if now.first() != before else "refused"
    assert {said[e.name] for e in hostile} == {"refused"}
    assert {said[e.name] for e in good} == {"posted"}
    print(f"\ntalk: {len(hostile)} hostile refused, {len(good)} good posted")
