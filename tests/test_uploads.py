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


def upload_and_fetch(client, upload, settings):
    """Upload through the editor's endpoint, then fetch the image as a reader would, with
    production settings (DEBUG off)."""
    response = client.post(UPLOAD, {"image": upload})
    assert response.status_code == 200, response.content
    url = response.json()["image_code"][len("![](") : -1]
    settings.DEBUG = False
    return client.get(url)


def test_an_uploaded_image_is_served_with_debug_off(editor_client, settings):
    response = upload_and_fetch(editor_client, image_file("PNG"), settings)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.size == (12, 8)


def test_only_images_are_served_from_the_media_folder(client, db, media_root, settings):
    (media_root / "uploads").mkdir()
    (media_root / "uploads" / "chart.png").write_bytes(image_file("PNG").read())
    (media_root / "uploads" / "page.html").write_text("<script>alert(1)</script>")
    settings.DEBUG = False
    assert client.get("/media/uploads/chart.png").status_code == 200
    assert client.get("/media/uploads/page.html").status_code == 404
    assert client.get("/media/uploads/missing.png").status_code == 404


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "JPEG"])
def test_a_script_appended_to_an_image_is_not_stored(editor_client, media_root, settings, fmt):
    polyglot = image_file(fmt).read() + b"<html><script>alert(document.cookie)</script></html>"
    upload = SimpleUploadedFile("cat.img", polyglot, content_type=f"image/{fmt.lower()}")
    response = upload_and_fetch(editor_client, upload, settings)
    served = b"".join(response.streaming_content)
    assert b"<script" not in served and b"<html" not in served
    (stored,) = (media_root / "uploads").iterdir()
    assert b"<script" not in stored.read_bytes()
    with Image.open(stored) as image:
        assert image.format == fmt and image.size == (12, 8)


def test_a_photo_loses_its_gps_position_and_stays_upright(editor_client, media_root, settings):
    """A phone photo taken sideways: EXIF says 'rotate 90°' and where it was taken."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    exif[0x010F] = "PhoneMaker"  # camera make
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (10, 120, 200)).save(buffer, "JPEG", exif=exif)
    assert b"PhoneMaker" in buffer.getvalue()
    upload = SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = upload_and_fetch(editor_client, upload, settings)
    assert response["Content-Type"] == "image/jpeg"
    served = b"".join(response.streaming_content)
    assert b"PhoneMaker" not in served
    with Image.open(io.BytesIO(served)) as image:
        assert image.size == (20, 40)  # turned upright before the EXIF was dropped
        assert not image.getexif().get_ifd(0x8825) and 0x0112 not in image.getexif()


def test_an_animated_gif_keeps_its_frames(editor_client, media_root, settings):
    frames = [Image.new("RGB", (10, 10), c) for c in ((200, 0, 0), (0, 200, 0), (0, 0, 200))]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, "GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0
    )
    upload = SimpleUploadedFile("blink.gif", buffer.getvalue(), content_type="image/gif")
    served = b"".join(upload_and_fetch(editor_client, upload, settings).streaming_content)
    with Image.open(io.BytesIO(served)) as image:
        assert image.n_frames == 3 and image.info["loop"] == 0
        durations = []
        for n in range(3):
            image.seek(n)
            durations.append(image.info["duration"])
        assert durations == [100, 200, 300]
