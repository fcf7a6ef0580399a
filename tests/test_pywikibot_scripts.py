"""pywikibot's own standard scripts (pywikibot-scripts, pinned), run as a bot owner runs them:
`pwb <script> …` (the installed wrapper) in a process of their own against a live
server, signed in with a bot password (User@appname) of an account in the Bots group."""

import os
import random
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.storage import default_storage
from PIL import Image

from tests.conftest import editors_group
from tests.helpers import pywikibot_folder
from wiki.api.models import BotPassword
from wiki.media.models import MediaFile
from wiki.models import Article, Category
from wiki.permissions import BOTS_GROUP, ensure_groups

live = pytest.mark.django_db(transaction=True)


@pytest.fixture
def robot(db):
    """Robo: an editor in the Bots group."""
    ensure_groups()
    user = User.objects.create_user("Robo", password="pw-robo-123")
    user.groups.add(editors_group(), Group.objects.get(name=BOTS_GROUP))
    return user


@pytest.fixture
def run_script(live_server, robot, tmp_path):
    """run_script(name, *args, grants=…): the script's completed process; it signs in as
    Robo@scripts with a bot password of those grants."""

    def run(name, *args, grants=("createeditmovepage",), answers=""):
        BotPassword.objects.filter(user=robot).delete()
        _, password = BotPassword.issue(user=robot, appname="scripts", grants=grants)
        folder = tmp_path / "pywikibot"
        folder.mkdir(exist_ok=True)
        pywikibot_folder(
            folder,
            urlsplit(live_server.url).netloc,
            "Robo",
            f"('Robo', BotPassword('scripts', {password!r}))",
        )
        env = {**os.environ, "PYWIKIBOT_DIR": str(folder), "PYWIKIBOT_NO_USER_CONFIG": "0"}
        pwb = str(Path(sys.executable).parent / "pwb")
        # First `pwb login`, as an owner does: the session cookie is kept in the folder.
        signed_in = subprocess.run(
            [pwb, "login"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        assert "Logged in on encyclopedia:en as Robo" in signed_in.stdout + signed_in.stderr
        command = [pwb, name, *args]
        done = subprocess.run(
            command,
            env=env,
            cwd=tmp_path,
            input=answers,
            capture_output=True,
            text=True,
            timeout=180,
        )
        print(done.stdout, done.stderr)
        return done

    return run


@live
def test_replace_py_rewrites_every_page_of_a_category(run_script, make_article, editor):
    for title in ("Sample condition", "Other condition"):
        make_article(
            title=title, source=f"{title}: rest helps.", user=editor, categories=["Rare diseases"]
        )
    make_article(title="Elsewhere", source="Here rest helps too.", user=editor)

    done = run_script(
        "replace",
        "-cat:Rare diseases",
        "-regex",
        r"rest (helps)",
        r"sleep \1",
        "-summary:Sleep, not rest",
        "-always",
    )

    assert done.returncode == 0
    for title in ("Sample condition", "Other condition"):
        article = Article.objects.get(title=title)
        assert article.source.strip() == f"{title}: sleep helps."
        assert article.latest_revision.summary == "Sleep, not rest"
        assert article.latest_revision.user.username == "Robo"
    assert Article.objects.get(title="Elsewhere").source.strip() == "Here rest helps too."


@live
def test_category_py_adds_pages_to_a_category(run_script, make_article, editor):
    make_article(
        title="Sample condition", source="A rash.", user=editor, categories=["Rare diseases"]
    )

    done = run_script(
        "category",
        "add",
        "-page:Sample condition",
        "-to:Skin conditions",
        "-always",
        "-summary:Skin",
        answers="a\n",  # "Do you want to accept these changes?": all
    )

    assert done.returncode == 0
    article = Article.objects.get(title="Sample condition")
    assert sorted(c.name for c in article.categories.all()) == ["Rare diseases", "Skin conditions"]
    assert [a.title for a in Category.objects.get(name="Skin conditions").articles.all()] == [
        "Sample condition"
    ]
    assert article.source.strip() == "A rash."


@live
def test_pagefromfile_py_creates_pages_from_a_file(run_script, tmp_path, make_article, editor):
    make_article(title="Fever", source="Old text.", user=editor)
    (tmp_path / "pages.txt").write_text(
        "{{-start-}}\n'''Glimmer fever'''\nGlimmer fever is made up.\n{{-stop-}}\n"
        "{{-start-}}\n'''Night cough'''\nNight cough is made up too.\n{{-stop-}}\n"
        "{{-start-}}\n'''Fever'''\nNew text.\n{{-stop-}}\n",
        encoding="utf-8",
    )

    done = run_script(
        "pagefromfile", f"-file:{tmp_path / 'pages.txt'}", "-notitle", "-summary:Bulk", "-always"
    )

    assert done.returncode == 0
    assert Article.objects.get(title="Glimmer fever").source.strip() == "Glimmer fever is made up."
    night = Article.objects.get(title="Night cough")
    assert night.source.strip() == "Night cough is made up too."
    assert night.latest_revision.summary == "Bulk"
    assert (
        Article.objects.get(title="Fever").source.strip() == "Old text."
    )  # existing pages skipped


@live
def test_movepages_py_moves_a_page_leaving_a_redirect(run_script, make_article, editor):
    make_article(title="Sample condition", source="A rash.", user=editor)

    done = run_script(
        "movepages",
        "-from:Sample condition",
        "-to:Sample disorder",
        "-summary:Clearer",
        "-always",
    )

    assert done.returncode == 0
    moved = Article.objects.get(title="Sample disorder")
    assert moved.source.strip() == "A rash."
    assert Article.objects.get(title="Sample condition").redirect_to_id == moved.pk


@live
def test_a_bot_password_without_the_create_grant_creates_nothing(run_script, tmp_path):
    (tmp_path / "pages.txt").write_text(
        "{{-start-}}\n'''Glimmer fever'''\nMade up.\n{{-stop-}}\n", encoding="utf-8"
    )

    done = run_script(
        "pagefromfile",
        f"-file:{tmp_path / 'pages.txt'}",
        "-notitle",
        "-always",
        grants=("editpage",),
    )

    assert "permission" in (done.stdout + done.stderr).lower()
    assert not Article.objects.filter(title="Glimmer fever").exists()


def photo(path: Path, size: int) -> Path:
    """A real PNG of `size`×`size` noisy pixels (noise keeps it large once compressed)."""
    Image.frombytes("RGB", (size, size), random.Random(7).randbytes(size * size * 3)).save(path)
    return path


@live
@pytest.mark.parametrize("chunked", [(), ("-chunked:20Ki",)], ids=["whole", "chunked"])
def test_upload_py_uploads_an_image_shown_on_its_file_page(run_script, tmp_path, client, chunked):
    image = photo(tmp_path / "knee.png", 160)
    assert image.stat().st_size > 3 * 20 * 1024  # more than three chunks

    done = run_script(
        "upload",
        str(image),
        "-filename:Knee scan.png",
        "-summary:A knee",
        "-abortonwarn",
        "-always",
        *chunked,
        "X-ray of a knee, {{cc0}}",
        grants=("editpage", "uploadfile"),
    )

    assert done.returncode == 0
    media = MediaFile.objects.get(slug="Knee_scan.png")
    assert media.description == "X-ray of a knee, {{cc0}}"
    assert (media.width, media.height, media.license) == (160, 160, MediaFile.License.CC0)
    assert [(r.user.username, r.summary) for r in media.revisions.all()] == [("Robo", "A knee")]
    page = client.get("/wiki/File:Knee_scan.png")
    assert page.status_code == 200
    assert "X-ray of a knee" in page.content.decode()
    with default_storage.open(media.file) as stored, Image.open(stored) as picture:
        assert picture.size == (160, 160)
