from importlib import import_module

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save

# The capabilities that own tables, each in its `models.py`, all under the one app label
# `wiki` (their history and table names stay as they were).
CAPABILITY_MODELS = (
    "antiabuse",
    "editorial",
    "media",
    "reports",
    "retractions",
    "review",
    "transclusion",
    "watching",
)


class WikiConfig(AppConfig):
    name = "wiki"
    verbose_name = "Wiki content"

    def import_models(self):
        """The core's models (`wiki.models`), then each capability's: the core imports none."""
        super().import_models()
        for capability in CAPABILITY_MODELS:
            import_module(f"{self.name}.{capability}.models")

    def ready(self):
        from .antiabuse import checks  # noqa: F401 (registers its system checks)
        from .antiabuse.defaults import allow_medical_domains_after_flush, ship_default_rules
        from .caching import bump_generation
        from .models import Category, Contributor, Portal
        from .permissions import ensure_groups
        from .review.services import follow_site_interval
        from .second_factor import forget_devices
        from .tasks import ensure_schedules
        from .transclusion.shipping import ship_templates

        # Shown on every page (navigation) or many (category names, credits): retire all pages.
        for model in (Portal, Category, Contributor):
            post_save.connect(bump_generation, sender=model, dispatch_uid=f"{model.__name__}-saved")
            post_delete.connect(
                bump_generation, sender=model, dispatch_uid=f"{model.__name__}-gone"
            )
        for device in ("otp_totp.TOTPDevice", "otp_static.StaticDevice"):
            for signal in (post_save, post_delete):
                signal.connect(forget_devices, sender=device, dispatch_uid=f"{device}-{signal}")
        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="editors-group")
        post_migrate.connect(ensure_schedules, sender=self, dispatch_uid="queue-schedules")
        post_migrate.connect(ship_templates, sender=self, dispatch_uid="shipped-templates")
        post_migrate.connect(
            allow_medical_domains_after_flush, sender=self, dispatch_uid="medical-allowlist"
        )
        post_migrate.connect(ship_default_rules, sender=self, dispatch_uid="default-abuse-rules")
        post_migrate.connect(follow_site_interval, sender=self, dispatch_uid="review-interval")
        self._subscribe_to_saves()

    def _subscribe_to_saves(self):
        """The side effects of a save, each subscribed to what the core announces
        (`wiki.signals`): the write path imports none of them."""
        from . import caching, signals
        from .editorial.blocks import block_hold
        from .editorial.logs import log_translations
        from .permissions import add_edit_hold
        from .retractions.subscribers import index_stored as index_citations
        from .review.services import queue_added, queue_leaving, queue_stored
        from .search.subscribers import index_stored, unindex_deleting
        from .talk.signatures import sign_talk_edit
        from .transclusion.subscribers import template_saved
        from .translating import source_saved
        from .watching.subscribers import tell_watchers, watch_choice

        add_edit_hold(block_hold)
        signals.add_edit_text_filter(sign_talk_edit)
        signals.edit_received.connect(watch_choice, dispatch_uid="watch-choice")
        signals.text_stored.connect(index_stored, dispatch_uid="search-index")
        signals.text_stored.connect(index_citations, dispatch_uid="citation-index")
        signals.text_stored.connect(queue_stored, dispatch_uid="review-queue")
        signals.article_deleting.connect(unindex_deleting, dispatch_uid="search-unindex")
        signals.article_deleting.connect(queue_leaving, dispatch_uid="review-queue-leaving")
        signals.articles_added.connect(queue_added, dispatch_uid="review-queue-added")
        signals.article_changed.connect(caching.article_changed, dispatch_uid="purge-pages")
        signals.article_saved.connect(tell_watchers, dispatch_uid="tell-watchers")
        signals.article_saved.connect(source_saved, dispatch_uid="translations-outdated")
        signals.article_saved.connect(template_saved, dispatch_uid="template-uses")
        signals.translations_changed.connect(log_translations, dispatch_uid="translation-log")
