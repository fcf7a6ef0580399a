from django.apps import AppConfig


class EncyclopediaConfig(AppConfig):
    name = "encyclopedia"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers system checks)
        from .accounts import promote_on_sign_in

        user_logged_in.connect(promote_on_sign_in, dispatch_uid="promote-confirmed-accounts")
