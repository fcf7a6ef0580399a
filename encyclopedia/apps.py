from django.apps import AppConfig


class EncyclopediaConfig(AppConfig):
    name = "encyclopedia"
    verbose_name = "Site"

    def ready(self):
        from . import checks  # noqa: F401  (registers system checks)
