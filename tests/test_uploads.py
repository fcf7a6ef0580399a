"""Images dropped into the editor: editors only, raster formats only, size-limited, stored."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

UPLOAD = "/markdownx/upload/"


def image_file(fmt="PNG", name="rash.png", size=(12, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    "fmt, ext", [("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")]
)
def test_an_editor_uploads_a_raster_image_and_gets_its_markdown(
    editor_client, media_root, fmt, ext
):
    response = editor_client.post(
        UPLOAD,
        {"image": image_file(fmt, f"photo.{ext}")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![](/media/uploads/") and code.endswith(f".{ext})")
    stored = media_root / code[len("![](/media/") : -1]
    with Image.open(stored) as image:
        assert image.format == fmt and image.size == (12, 8)


def test_svg_is_refused_even_when_it_claims_to_be_png(editor_client, media_root):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = editor_client.post(
        UPLOAD, {"image": SimpleUploadedFile("evil.png", svg, content_type="image/png")}
    )
    assert response.status_code == 400
    assert "not an image we can read" in response.json()["image"][0]
    assert not (media_root / "uploads").exists()


def test_a_readable_image_in_another_format_is_refused_by_name(editor_client, media_root):
    response = editor_client.post(UPLOAD, {"image": image_file("BMP", "scan.bmp")})
    assert response.status_code == 400
    assert response.json() == {
        "image": ["BMP images are not accepted. Upload a PNG, JPEG, GIF or WebP image."]
    }


def test_a_truncated_image_is_refused(editor_client, media_root):
    whole = image_file("PNG", size=(300, 300)).read()
    broken = SimpleUploadedFile("cut.png", whole[: len(whole) // 2], content_type="image/png")
    response = editor_client.post(UPLOAD, {"image": broken})
    assert response.status_code == 400
    assert not (media_root / "uploads").exists()


def test_an_image_over_the_size_limit_is_refused_with_the_limit(editor_client, settings):
    settings.WIKI_MAX_UPLOAD_BYTES = 100
    response = editor_client.post(UPLOAD, {"image": image_file(size=(64, 64))})
    assert response.status_code == 400
    message = response.json()["image"][0]
    assert message.startswith("The file is ")
    assert message.endswith("images may be at most 100\xa0bytes.")


def test_a_post_without_a_file_is_a_clear_error(editor_client):
    response = editor_client.post(UPLOAD, {})
    assert response.status_code == 400
    assert response.json() == {"image": ["No image was sent."]}


def test_readers_and_anonymous_visitors_cannot_upload(client, reader, media_root):
    assert client.post(UPLOAD, {"image": image_file()}).status_code == 403
    client.force_login(reader)
    assert client.post(UPLOAD, {"image": image_file()}).status_code == 403
    assert not (media_root / "uploads").exists()
