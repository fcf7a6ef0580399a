from django.apps import AppConfig


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
