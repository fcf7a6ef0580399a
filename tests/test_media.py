"""Media files as content: upload with every field, the media page and its history, figures and
galleries in articles, credits, thumbnails and srcset, re-encoding, duplicates, deletion and
the storage setting."""

import io
import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wiki.media.figures import fill_figures_in
from wiki.media.models import MediaFile, MediaRevision
from wiki.models import MediaUse
from wiki.rendering import render_markdown

from .conftest import save
from .helpers import regex_passes_and_calls


def image_file(fmt="PNG", name="Chest scan.png", size=(1600, 1000), colour=(200, 40, 40), **kw):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt, **kw)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


FIELDS = {
    "alt": "A chest X-ray with a shadow in the right lung",
    "description": "Frontal chest radiograph of an adult, showing *pneumonia*.",
    "author": "Dr Ana Rivera",
    "source_url": "https://example.org/scan",
    "license": "cc-by-sa-4.0",
    "date": "2024-05-01",
    "categories": "Radiology, Lungs",
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, file=None, **changes):
    data = {**FIELDS, "file": file or image_file(), **changes}
    return client.post("/upload", data)


def test_an_editor_uploads_an_image_with_every_field_and_gets_its_page(editor_client, client):
    response = upload(editor_client)
    assert response.status_code == 302 and response["Location"] == "/wiki/File:Chest_scan.png"
    media = MediaFile.objects.get()
    assert (media.name, media.author, media.license) == (
        "Chest scan.png",
        "Dr Ana Rivera",
        "cc-by-sa-4.0",
    )
    assert media.alt == FIELDS["alt"] and str(media.date) == "2024-05-01"
    assert sorted(media.categories.values_list("name", flat=True)) == ["Lungs", "Radiology"]
    page = client.get("/wiki/File:Chest_scan.png").content.decode()
    assert "Dr Ana Rivera" in page and "CC BY-SA 4.0" in page
    assert "<em>pneumonia</em>" in page  # the description is Markdown
    assert "Image: Dr Ana Rivera, CC BY-SA 4.0" in page
    assert 'href="https://example.org/scan"' in page
    assert "No article shows this file." in page
    assert "Download the original" in page


def test_a_file_name_with_spaces_opens_its_page_as_it_opens_its_history(editor_client, client):
    upload(editor_client)
    assert client.get("/wiki/File:Chest scan.png").status_code == 200
    assert client.get("/wiki/File:Chest scan.png/history").status_code == 200


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"alt": ""}, "alt", "This field is required."),
        ({"author": ""}, "author", "This field is required."),
        ({"license": ""}, "license", "This field is required."),
        ({"license": "stolen"}, "license", "Select a valid choice."),
        ({"license": "fair-use"}, "rationale", "Fair use needs a rationale"),
        ({"source_url": "not a url"}, "source_url", "Enter a valid URL."),
        ({"name": "Scan.jpg"}, "name", "the file is a PNG image: name it .png"),
        ({"name": "A/B.png"}, "name", "cannot contain"),
    ],
)
def test_upload_fields_are_validated_and_nothing_is_stored(
    editor_client, media_root, changes, field, message
):
    response = upload(editor_client, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MediaFile.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_with_the_reason(editor_client):
    svg = SimpleUploadedFile("x.svg", b"<svg><script>alert(1)</script></svg>", "image/svg+xml")
    response = upload(editor_client, file=svg)
    assert response.status_code == 400
    assert "not an image we can read" in response.content.decode()


def test_readers_cannot_upload(client, reader):
    assert client.get("/upload").status_code == 302  # to sign in
    client.force_login(reader)
    assert upload(client).status_code == 403
    assert not MediaFile.objects.exists()


def test_the_original_is_re_encoded_without_its_metadata(editor_client, media_root):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera make
    file = image_file("JPEG", "photo.jpg", size=(800, 600), exif=exif.tobytes())
    assert b"SecretCam" in file.read()
    file.seek(0)
    upload(editor_client, file=file, name="")
    media = MediaFile.objects.get()
    assert media.name == "Photo.jpg" and media.format == "JPEG"
    stored = (media_root / media.file).read_bytes()
    assert b"SecretCam" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (800, 600)


def test_thumbnails_are_made_in_webp_and_the_original_format(editor_client, media_root):
    upload(editor_client)
    media = MediaFile.objects.get()
    made = sorted(p.name for p in (media_root / "media" / media.sha256[:2]).iterdir())
    assert made == sorted(
        [f"{media.sha256}.png"]
        + [f"{media.sha256}-{w}w.{ext}" for w in (320, 640, 1280) for ext in ("webp", "png")]
    )
    with Image.open(media_root / "media" / media.sha256[:2] / f"{media.sha256}-640w.webp") as t:
        assert t.format == "WEBP" and t.size == (640, 400)


def test_a_small_image_has_no_larger_thumbnails(editor_client, media_root):
    upload(editor_client, file=image_file(size=(500, 300)))
    media = MediaFile.objects.get()
    names = {p.name for p in (media_root / "media" / media.sha256[:2]).iterdir()}
    assert f"{media.sha256}-320w.webp" in names and f"{media.sha256}-640w.webp" not in names


def test_the_same_bytes_twice_point_at_the_existing_page(editor_client):
    file = image_file()
    data = file.read()
    upload(editor_client, file=SimpleUploadedFile("a.png", data, "image/png"))
    response = editor_client.post(
        "/upload",
        {**FIELDS, "file": SimpleUploadedFile("b.png", data, "image/png")},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 409
    answer = response.json()
    assert answer["existing"] == "/wiki/File:A.png"
    assert answer["syntax"].startswith("[[File:A.png|thumb|")
    assert "already uploaded as “A.png”" in answer["errors"]["file"][0]
    assert MediaFile.objects.count() == 1


def test_the_editors_dialog_gets_the_syntax_to_insert_as_json(editor_client):
    response = editor_client.post(
        "/upload", {**FIELDS, "file": image_file()}, headers={"accept": "application/json"}
    )
    assert response.status_code == 200
    assert response.json()["syntax"] == (
        "[[File:Chest scan.png|thumb|Frontal chest radiograph of an adult, showing *pneumonia*.]]"
    )
    errors = editor_client.post(
        "/upload",
        {**FIELDS, "alt": "", "file": image_file(colour=(1, 2, 3))},
        headers={"accept": "application/json"},
    )
    assert errors.status_code == 400 and "alt" in errors.json()["errors"]


def test_an_article_shows_a_figure_with_caption_credit_srcset_and_size(
    editor_client, client, make_article, editor
):
    upload(editor_client)
    article = make_article(
        title="Pneumonia",
        source="Pneumonia is a lung infection.\n\n"
        "[[File:Chest scan.png|thumb|right|alt=Shadow in the right lung|A typical [[X-ray]]]]\n\n"
        "## Signs\n\n[[File:Chest_scan.png|upright|left]]\n",
        user=editor,
    )
    html = client.get(article.get_absolute_url()).content.decode()
    media = MediaFile.objects.get()
    figure = re.search(r'<figure class="media thumb right">.*?</figure>', html, re.S).group(0)
    assert '<a href="/wiki/File:Chest_scan.png"><picture><source type="image/webp"' in figure
    assert f"/media/media/{media.sha256[:2]}/{media.sha256}-320w.webp 320w" in figure
    assert f"{media.sha256}.png 1600w" in figure  # the original is the largest fallback
    assert 'width="220" height="138"' in figure and 'sizes="220px"' in figure
    assert 'alt="Shadow in the right lung"' in figure and "loading" not in figure  # above the fold
    assert re.search(
        r"<figcaption>A typical <a[^>]*>X-ray</a> <span class=\"credit\">Image: "
        r'<a href="/wiki/File:Chest_scan.png">Dr Ana Rivera</a>, CC BY-SA 4.0</span></figcaption>',
        figure,
    )
    second = re.search(r'<figure class="media upright left">.*?</figure>', html, re.S).group(0)
    assert 'loading="lazy"' in second and 'width="170"' in second
    assert f'alt="{FIELDS["alt"]}"' in second  # the page's alt text when the figure has none
    # The footer credits every image the article shows, once.
    footer = html[html.index('class="image-credits"') :].split("</p>")[0]
    assert "Chest scan.png" in footer and "Dr Ana Rivera, CC BY-SA 4.0" in footer
    assert footer.count("Chest scan.png") == 1
    page = client.get("/wiki/File:Chest_scan.png").content.decode()
    assert 'href="/wiki/Pneumonia">Pneumonia</a>' in page  # file usage
    assert list(MediaUse.objects.values_list("media_slug", flat=True)) == ["Chest_scan.png"]


def test_a_gallery_shows_each_image(editor_client, client, make_article, editor):
    upload(editor_client)
    upload(editor_client, file=image_file(colour=(0, 90, 0), name="Rash.png"), alt="A red rash")
    article = make_article(
        title="Skin",
        source="Skin things.\n\n::: gallery\nChest scan.png|The chest\nFile:Rash.png|The rash\n:::\n",
        user=editor,
    )
    html = client.get(article.get_absolute_url()).content.decode()
    gallery = html[html.index('<div class="gallery">') :].split("</div>")[0]
    assert gallery.count('<figure class="media gallery-item">') == 2
    assert "The chest" in gallery and "The rash" in gallery and 'width="160"' in gallery
    assert gallery.count('loading="lazy"') == 2


def test_a_gallery_caption_keeps_its_piped_link(client, make_article, editor):
    make_article(title="Migraine", source="A headache disorder.\n")
    article = make_article(
        title="Head pain",
        source="Pictures.\n\n::: gallery\nAura.png|alt=Zigzag lines|[[Migraine|Headache]] "
        "with [[Aura (symptom)|aura]], [a note](https://example.org/a|b)\n:::\n",
        user=editor,
    )
    html = client.get(article.get_absolute_url()).content.decode()
    caption = html[html.index("<figcaption>") :].split("</figcaption>")[0]
    assert 'href="/wiki/Migraine">Headache</a> with' in caption
    assert 'class="wikilink new" href="/wiki/Aura_(symptom)/edit"' in caption
    assert "]]" not in caption and "Headache]]" not in html
    assert {"Migraine", "Aura_(symptom)"} <= set(
        article.outgoing_links.values_list("target_slug", flat=True)
    )


def test_credit_lines_of_a_large_gallery_are_filled_in_one_pass(editor_client, editor):
    """A pass over the page per image shown grew with the square of a gallery's size."""
    names = [f"Scan {n}.png" for n in range(8)]
    for n, name in enumerate(names):
        file = image_file(name=name, size=(40, 30), colour=(10 * n, 90, 0))
        assert upload(editor_client, file=file).status_code == 302

    def gallery(names):
        return render_markdown(
            "::: gallery\n" + "\n".join(f"{n}|{n[:-4]}" for n in names) + "\n:::"
        )

    html = gallery(names)
    (filled,), shown = fill_figures_in([html])
    assert len(shown) == 8 and filled.count('<span class="credit">Image: ') == 8
    assert '<figcaption>Scan 7 <span class="credit">Image: ' in filled
    few, _ = regex_passes_and_calls(fill_figures_in, [gallery(names[:2])])
    many, _ = regex_passes_and_calls(fill_figures_in, [html])
    assert few == many


def test_a_figure_of_a_file_not_uploaded_yet_says_so_and_links_to_the_upload(
    client, make_article, editor, editor_client
):
    article = make_article(title="Gout", source="[[File:Toe.png|thumb|A toe]]\n", user=editor)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/upload?name=Toe.png">File:Toe.png (not uploaded yet)</a>' in html
    # Once uploaded, the article shows it.
    upload(editor_client, name="Toe.png")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'Image: <a href="/wiki/File:Toe.png">Dr Ana Rivera</a>' in html  # the figure's credit


def test_the_media_page_has_its_history_of_edits_and_versions(editor_client, client):
    upload(editor_client)
    media = MediaFile.objects.get()
    form = {**FIELDS, "author": "Ana Rivera, MD", "summary": "Author's name as she signs"}
    assert editor_client.post("/wiki/File:Chest_scan.png/edit", form).status_code == 302
    response = editor_client.post(
        "/wiki/File:Chest_scan.png/version",
        {"file": image_file(colour=(9, 9, 9), size=(700, 500)), "summary": "Sharper scan"},
    )
    assert response.status_code == 302
    media.refresh_from_db()
    assert (media.author, media.width) == ("Ana Rivera, MD", 700)
    kinds = list(MediaRevision.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["upload", "edit", "version"]
    history = client.get("/wiki/File:Chest_scan.png/history").content.decode()
    assert "Author&#x27;s name as she signs" in history and "Sharper scan" in history
    assert "Dr Ana Rivera" in history  # what the page said before the edit
    # An unchanged save records nothing.
    editor_client.post("/wiki/File:Chest_scan.png/edit", form)
    assert MediaRevision.objects.count() == 3


def test_an_edit_of_the_credit_shows_at_once_on_the_articles(
    editor_client, client, make_article, editor
):
    upload(editor_client)
    article = make_article(
        title="Lungs", source="[[File:Chest scan.png|thumb|Scan]]\n", user=editor
    )
    assert "Dr Ana Rivera" in client.get(article.get_absolute_url()).content.decode()
    editor_client.post("/wiki/File:Chest_scan.png/edit", {**FIELDS, "author": "Someone Else"})
    assert "Someone Else" in client.get(article.get_absolute_url()).content.decode()


def test_an_image_still_used_is_deleted_only_after_a_warning(admin_client_, make_article, editor):
    upload(admin_client_)
    make_article(title="Lungs", source="[[File:Chest scan.png|thumb|Scan]]\n", user=editor)
    response = admin_client_.post("/wiki/File:Chest_scan.png/delete", follow=True)
    assert "Articles still show this image: Lungs" in response.content.decode()
    assert MediaFile.objects.exists()
    admin_client_.post("/wiki/File:Chest_scan.png/delete", {"confirm": "1"})
    assert not MediaFile.objects.exists()


def test_only_administrators_delete(editor_client):
    upload(editor_client)
    assert editor_client.post("/wiki/File:Chest_scan.png/delete").status_code == 403
    assert MediaFile.objects.exists()


def test_an_edit_that_removes_the_image_updates_the_file_usage(make_article, editor):
    article = make_article(
        title="Lungs", source="[[File:Chest scan.png|thumb|Scan]]\n", user=editor
    )
    assert MediaUse.objects.count() == 1
    save(article, editor, "No image now.\n")
    assert not MediaUse.objects.exists()


def test_thumbnails_are_served_with_far_future_caching(editor_client, client):
    upload(editor_client)
    media = MediaFile.objects.get()
    response = client.get(f"/media/media/{media.sha256[:2]}/{media.sha256}-320w.webp")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_an_s3_compatible_store_is_a_setting():
    env = {
        **os.environ,
        "AWS_STORAGE_BUCKET_NAME": "wiki-media",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    env["DJANGO_SETTINGS_MODULE"] = "encyclopedia.settings"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        check=True,
    ).stdout
    storage = json.loads(out.strip().splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "wiki-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert django_settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")


def test_the_admin_edits_a_media_page_through_the_same_path(admin_client_):
    upload(admin_client_)
    media = MediaFile.objects.get()
    url = f"/admin/wiki/mediafile/{media.pk}/change/"
    assert admin_client_.get(url).status_code == 200
    data = {**FIELDS, "author": "Edited Author", "categories": []}
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    media.refresh_from_db()
    assert media.author == "Edited Author"
    assert list(media.revisions.values_list("kind", "summary"))[0] == (
        "edit",
        "Edited in the admin",
    )
    # Required fields are required here too.
    response = admin_client_.post(url, {**data, "alt": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
