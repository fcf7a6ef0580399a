"""What the restore drills do to a wiki, as `manage.py shell` scripts run in their own
process (tests/test_backups.py on SQLite, tests/test_backups_postgresql.py with pgBackRest):
upload an image, edit or blank articles, and read the state back, with the page and /health
as the site serves them."""

import json

MEDIA = """
import io
from PIL import Image
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from wiki.media.services import MediaEdit, media_upload
user = User.objects.get(username="editor")
buffer = io.BytesIO()
Image.new("RGB", (300, 200), {colour}).save(buffer, "PNG")
media_upload(
    upload=SimpleUploadedFile("{name}", buffer.getvalue(), "image/png"), name="{name}",
    edit=MediaEdit(alt="A scan", author="Dr Ana Rivera", license="cc-by-sa-4.0"), user=user,
)
"""
EDIT = """
from django.contrib.auth.models import User
from wiki.models import Article
from wiki.services import ArticleEdit, article_save
user = User.objects.get(username="editor")
for article in Article.objects.filter({which}):
    text = {text}
    edit = ArticleEdit(text=text, base_revision=article.latest_revision_id, user=user, summary="s")
    article_save(article=article, edit=edit)
"""
STATE = """
import json
from django.test import Client
from wiki.media.models import MediaFile
from wiki.models import Article
page = Client().get("/wiki/Migraine")
health = Client().get("/health")
print(json.dumps({
    "blank": Article.objects.filter(lead="", sections=None).count(),
    "articles": Article.objects.count(),
    "migraine": Article.objects.get(title="Migraine").source,
    "files": sorted(MediaFile.objects.values_list("name", flat=True)),
    "page": page.status_code, "page_text": page.content.decode(),
    "health": health.json(),
}))
"""


def state(run) -> dict:
    return json.loads(run(code=STATE).strip().splitlines()[-1])
