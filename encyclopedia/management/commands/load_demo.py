import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand
from django.utils import translation

from encyclopedia.models import FeaturedArticle, SitePage
from encyclopedia.site_pages import is_unedited_default
from wiki import search
from wiki.editorial.protection import article_protect
from wiki.languages import default_language, language_codes
from wiki.markdown_import import import_file, markdown_paths, parse_markdown_file
from wiki.models import Article, Category, Portal
from wiki.translations import TranslationRefused, translation_link

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
# A translation's front matter names the English article it translates.
TRANSLATION_OF = re.compile(r"^translation_of:\s*(.+)$", re.MULTILINE)
# The account the site's own maintenance acts as (MediaWiki's "Maintenance script"): it
# protects the help pages, so the protection log names who did it. Nobody signs in as it.
MAINTENANCE_USERNAME = "Maintenance script"

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
        revisions += self.load_translations()
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
        featured = Article.objects.by_slug("Migraine").first()
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

    def load_translations(self) -> int:
        """The demo's articles in other languages (demo/translations/<code>/, written for this
        project), each linked to the English article its `translation_of:` names. Languages
        the site does not have are skipped."""
        revisions = 0
        for folder in sorted(p for p in (DEMO_DIR / "translations").iterdir() if p.is_dir()):
            if folder.name not in language_codes():
                continue
            with translation.override(folder.name):  # new articles are of this language
                for path in markdown_paths([folder]):
                    text = path.read_text(encoding="utf-8")
                    parsed = parse_markdown_file(text)
                    if import_file(parsed, summary="Demo content") is not None:
                        revisions += 1
                    source = TRANSLATION_OF.search(text)
                    article = Article.objects.by_title(parsed.title, folder.name).first()
                    english = (
                        source
                        and Article.objects.by_title(
                            source.group(1).strip(), default_language()
                        ).first()
                    )
                    if article and english and not article.translation_group_id:
                        try:
                            translation_link(article, english)
                        except TranslationRefused:
                            pass  # the English article is linked to another already
        return revisions

    def load_help(self) -> int:
        """The editors' help (demo/help/, titles "Help:…"), protected through the protection
        capability (a revision and a protection-log entry) so that only administrators edit
        it. A help page that exists already is theirs: left as it is, only kept out of the
        search index (help pages are not listed to readers)."""
        created = 0
        for path in markdown_paths([DEMO_DIR / "help"]):
            parsed = parse_markdown_file(path.read_text(encoding="utf-8"))
            if existing := Article.objects.by_title(parsed.title).first():
                search.remove_article(existing)
                continue
            revision = import_file(parsed, summary="Help for editors")
            article_protect(
                article=Article.objects.get(pk=revision.article_id),
                user=maintenance_account(),
                level=Article.Protection.ADMINS,
                expires=None,
                reason="Help for editors: administrators keep it",
            )
            created += 1
        return created


def maintenance_account():
    """The site's maintenance account, an administrator nobody can sign in as."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=MAINTENANCE_USERNAME)
    if created:
        user.set_unusable_password()
        user.save()
    user.user_permissions.add(  # kept (or given back) on every run
        Permission.objects.get(content_type__app_label="wiki", codename="edit_protected_article")
    )
    return User.objects.get(pk=user.pk)  # a fresh object: its permission cache is empty
