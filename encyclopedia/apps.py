from django.apps import AppConfig
from django.contrib.staticfiles.finders import FileSystemFinder


class EncyclopediaConfig(AppConfig):
    name = "encyclopedia"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers system checks)
        from .accounts import promote_on_sign_in

        user_logged_in.connect(promote_on_sign_in, dispatch_uid="promote-confirmed-accounts")


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
