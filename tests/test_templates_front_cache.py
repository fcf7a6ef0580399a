"""A template's change reaches readers behind the front cache (Varnish): every page using it
is banned when it is re-rendered."""

import os
import urllib.request
from urllib.parse import urlparse

import pytest

from wiki.models import Article
from wiki.services import ArticleEdit, article_save
from wiki.transclusion.models import Rerender
from wiki.transclusion.rerendering import rerender_job

from .conftest import save
from .front import Varnish, varnishd_missing

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


def get(front, path):
    with urllib.request.urlopen(front.url + path, timeout=10) as answer:
        return dict(answer.headers), answer.read().decode()


def create(title, text, user=None):
    edit = ArticleEdit(text=text, base_revision=None, user=user)
    return article_save(article=Article(title=title), edit=edit).article


def test_a_changed_template_shows_at_once_through_the_front_cache(varnish, editor):
    template = create("Template:Hatnote", "For other uses, see [[{{{1}}}]].", editor)
    for title in ("Asthma", "Gout"):
        create(title, "{{Hatnote|Elsewhere}}\n\nA disease.\n")
        get(varnish, f"/wiki/{title}")
        assert get(varnish, f"/wiki/{title}")[0]["X-Cache"] == "hit"
    save(template, editor, "Not to be confused with [[{{{1}}}]].")
    rerender_job(Rerender.objects.filter(template_slug=template.slug).first().pk)
    for title in ("Asthma", "Gout"):
        headers, body = get(varnish, f"/wiki/{title}")
        assert headers["X-Cache"] == "miss" and "Not to be confused with" in body
