from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from encyclopedia.models import FeaturedArticle, SitePage
from encyclopedia.site_pages import is_unedited_default
from wiki.markdown_import import import_file, markdown_paths, parse_markdown_file
from wiki.models import Article, Category, Portal

DEMO_DIR = Path(settings.BASE_DIR) / "demo"

# (name, slug, category, link): the navigation bar, editable in the admin afterwards.
PORTALS = [
    ("Wellness", "wellness", "Wellness", ""),
    ("Encyclopedia", "encyclopedia", None, "/index/A"),
    ("Health topics", "health-topics", "Health topics", ""),
    ("Disease Index", "disease-index", "Disease Index", ""),
    ("Drugs", "drugs", "Drugs", ""),
    ("Nutrition", "nutrition", "Nutrition", ""),
    ("Keto diet", "keto-diet", "Keto diet", ""),
]

PORTAL_BLURBS = {
    "wellness": "Sleep, movement, stress and everyday habits that keep body and mind well.",
    "encyclopedia": "Every article from A to Z.",
    "health-topics": "Broad overviews of conditions, body systems and public health questions.",
    "disease-index": "Diseases and disorders: their symptoms, causes, diagnosis and treatment.",
    "drugs": "Common medicines: what they are used for, side effects and interactions.",
    "nutrition": "Foods, nutrients and eating patterns, and what the evidence says about them.",
    "keto-diet": "Low-carbohydrate and ketogenic eating: how it works, benefits and cautions.",
}


class Command(BaseCommand):
    help = (
        "Load the demo articles, portals and site pages (idempotent: run it as often as you like)."
    )

    def handle(self, *args, **options):
        revisions = 0
        for path in markdown_paths([DEMO_DIR / "articles"]):
            parsed = parse_markdown_file(path.read_text(encoding="utf-8"))
            if import_file(parsed, summary="Demo content") is not None:
                revisions += 1
        help_pages = self.load_help()
        for position, (name, slug, category, link) in enumerate(PORTALS):
            Portal.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "position": position,
                    "link": link,
                    "category": Category.objects.get_or_create(name=category)[0]
                    if category
                    else None,
                    "description": PORTAL_BLURBS[slug],
                },
            )
        featured = Article.objects.filter(slug="Migraine").first()
        if featured and not FeaturedArticle.objects.exists():
            FeaturedArticle.objects.create(article=featured)
        for path in sorted((DEMO_DIR / "pages").glob("*.md")):
            parsed = parse_markdown_file(path.read_text(encoding="utf-8"))
            body = parsed.source.replace("{site_name}", settings.SITE_NAME)
            page, created = SitePage.objects.get_or_create(
                slug=path.stem, defaults={"title": parsed.title, "body": body}
            )
            if not created and is_unedited_default(page, site_name=settings.SITE_NAME):
                page.title, page.body = parsed.title, body  # the demo's fuller words
                page.save()
        self.stdout.write(
            f"Demo content loaded ({revisions} article revisions added, {help_pages} help pages)."
        )

    def load_help(self) -> int:
        """The editors' help (demo/help/, titles "Help:…"), protected so that only
        administrators edit it. A help page that exists already is theirs: left as it is."""
        created = 0
        for path in markdown_paths([DEMO_DIR / "help"]):
            parsed = parse_markdown_file(path.read_text(encoding="utf-8"))
            if Article.objects.by_title(parsed.title).exists():
                continue
            revision = import_file(parsed, summary="Help for editors")
            Article.objects.filter(pk=revision.article_id).update(
                protection=Article.Protection.ADMINS, protection_expires=None
            )
            created += 1
        return created
