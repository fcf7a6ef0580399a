from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wiki.api"
    label = "wiki_api"
    verbose_name = "Wiki API"
    default_auto_field = "django.db.models.BigAutoField"
