from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class WikiConfig(AppConfig):
    name = "wiki"
    verbose_name = "Wiki content"

    def ready(self):
        from .caching import invalidate_navigation
        from .models import Portal
        from .permissions import ensure_editors_group

        post_save.connect(invalidate_navigation, sender=Portal, dispatch_uid="portal-saved")
        post_delete.connect(invalidate_navigation, sender=Portal, dispatch_uid="portal-deleted")
        post_migrate.connect(ensure_editors_group, sender=self, dispatch_uid="editors-group")
