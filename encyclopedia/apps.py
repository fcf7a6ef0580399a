from django.apps import AppConfig
from django.contrib.staticfiles.finders import FileSystemFinder


class EncyclopediaConfig(AppConfig):
    name = "encyclopedia"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from . import checks  # noqa: F401  (registers system checks)
        from .accounts import promote_on_sign_in
        from .models import Promotion
        from .promotions import ensure_schedule, promotions_changed

        user_logged_in.connect(promote_on_sign_in, dispatch_uid="promote-confirmed-accounts")
        post_migrate.connect(ensure_schedule, sender=self, dispatch_uid="promotions-schedule")
        # A promotion changed: cached pages showing the old choice are retired.
        for signal, sender in [
            (post_save, Promotion),
            (post_delete, Promotion),
            (m2m_changed, Promotion.categories.through),
            (m2m_changed, Promotion.excluded_categories.through),
        ]:
            signal.connect(promotions_changed, sender=sender, dispatch_uid=f"promotions-{signal}")


class StaticFinder(FileSystemFinder):
    """static/ without the visual editor's npm sources (static/editor/): only its bundle,
    built into static/editor/build/ by `make editor`, is served and collected."""

    IGNORED = (
        "editor/node_modules",
        "editor/src",
        "editor/package.json",
        "editor/package-lock.json",
    )

    def find(self, path, **kwargs):
        if path.startswith(self.IGNORED):
            return []
        return super().find(path, **kwargs)

    def list(self, ignore_patterns):
        for path, storage in super().list(ignore_patterns):
            if not path.replace("\\", "/").startswith(self.IGNORED):
                yield path, storage
