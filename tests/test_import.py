"""Markdown files import as articles through the write path."""

import pytest
from django.core.management import CommandError, call_command

from wiki.models import Article, Revision

GOOD = """---
title: Night cramps
categories: [Disease Index, Musculoskeletal]
contributors:
  - name: Mara Quist
    credentials: MD
  - Leo Brandt, RN
---
Night cramps are sudden tightenings of the calf at night.

## Symptoms

A hard, painful calf muscle.

## See also

* [[Stretching]]
"""


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "heading.md").write_text("# Stretching\n\nGentle stretches.\n")
    return tmp_path


def test_a_folder_imports_with_titles_categories_and_credits(db, client, folder):
    call_command("import_markdown", str(folder), verbosity=0)
    article = Article.objects.get(title="Night cramps")
    assert sorted(article.categories.values_list("name", flat=True)) == [
        "Disease Index",
        "Musculoskeletal",
    ]
    assert Article.objects.get(title="Stretching").lead == "Gentle stretches.\n"
    html = client.get("/wiki/Night_cramps").content.decode()
    assert "Contributors:" in html and "Mara Quist, MD" in html and "Leo Brandt, RN" in html


def test_reimporting_adds_revisions_only_for_changed_files(db, folder):
    call_command("import_markdown", str(folder), verbosity=0)
    call_command("import_markdown", str(folder), verbosity=0)
    assert Revision.objects.count() == 2
    (folder / "good.md").write_text(GOOD.replace("hard, painful", "hard and painful"))
    call_command("import_markdown", str(folder), verbosity=0)
    article = Article.objects.get(title="Night cramps")
    assert Revision.objects.filter(article=article).count() == 2
    assert "hard and painful" in article.source


def test_a_bad_file_is_named_and_the_others_still_import(db, folder, capsys):
    (folder / "broken.md").write_text("---\ntitle: [unclosed\n---\nText\n")
    (folder / "untitled.md").write_text("No title anywhere.\n")
    with pytest.raises(CommandError) as caught:
        call_command("import_markdown", str(folder), verbosity=0)
    assert "broken.md" in str(caught.value) and "untitled.md" in str(caught.value)
    assert set(Article.objects.values_list("title", flat=True)) == {"Night cramps", "Stretching"}


def test_demo_content_loads_and_reloads_without_new_revisions(db, client):
    call_command("load_demo", verbosity=0)
    count = Revision.objects.count()
    assert Article.objects.count() >= 12
    call_command("load_demo", verbosity=0)
    assert Revision.objects.count() == count
    assert client.get("/disclaimer").status_code == 200
    assert "No doctor–patient relationship" in client.get("/disclaimer").content.decode()


def test_new_credentials_in_a_reimported_file_show_on_cached_pages(db, client, folder):
    call_command("import_markdown", str(folder), verbosity=0)
    assert "Leo Brandt, RN" in client.get("/wiki/Night_cramps").content.decode()
    assert client.get("/wiki/Night_cramps")["X-Page-Cache"] == "hit"
    # Only the front matter changes: no new revision, so only the credit tells the cache.
    (folder / "good.md").write_text(GOOD.replace("Leo Brandt, RN", "Leo Brandt, RN, PhD"))
    call_command("import_markdown", str(folder), verbosity=0)
    assert Revision.objects.filter(article__title="Night cramps").count() == 1
    assert "Leo Brandt, RN, PhD" in client.get("/wiki/Night_cramps").content.decode()


def test_redirect_front_matter_makes_the_article_a_redirect(db, client, folder):
    (folder / "alias.md").write_text(
        "---\ntitle: Leg cramps at night\nredirect: Night cramps\n---\n"
    )
    call_command("import_markdown", str(folder), verbosity=0)
    alias = Article.objects.get(title="Leg cramps at night")
    assert alias.redirect_to.title == "Night cramps"
    response = client.get("/wiki/Leg_cramps_at_night")
    assert response.status_code == 301  # a permanent redirect
    assert response["Location"].startswith("/wiki/Night_cramps?redirectedfrom=")
    # Importing again changes nothing: no new revision.
    revisions = Revision.objects.filter(article=alias).count()
    call_command("import_markdown", str(folder), verbosity=0)
    assert Revision.objects.filter(article=alias).count() == revisions


def test_a_redirect_to_a_missing_title_is_reported(db, tmp_path):
    (tmp_path / "alias.md").write_text(
        "---\ntitle: Lost alias\nredirect: Nowhere at all\n---\nText\n"
    )
    with pytest.raises(CommandError, match="redirect target “Nowhere at all” is not an article"):
        call_command("import_markdown", str(tmp_path), verbosity=0)
    assert Article.objects.get(title="Lost alias").redirect_to is None
