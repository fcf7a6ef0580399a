from django.urls import path, re_path

from . import categories, pages, views
from .antiabuse import views as antiabuse
from .api import bot_passwords, tokens
from .editing import translate
from .editing import views as editing
from .editorial import views as editorial
from .editorial.feeds import LogFeed
from .history import reviews
from .history import views as history
from .history.feeds import RecentChangesFeed
from .media import views as media
from .printing import views as printing
from .reports import views as reports
from .retractions import views as retractions
from .review import views as disclosures
from .talk import views as talk
from .transclusion import views as transclusion
from .watching import views as watching
from .watching.feeds import WatchlistFeed

app_name = "wiki"

TITLE = r"(?P<slug>.+?)"  # titles may hold "?" (percent-encoded in links) and "/"

urlpatterns = [
    # MediaWiki's export URL; before the others, which would take "Special:Export/X/edit".
    re_path(r"^wiki/Special:Export/(?P<slug>.+)$", pages.special_export, name="export"),
    # Media pages (wiki/media/), before the article routes, which would take "File:X/edit".
    re_path(r"^wiki/File:(?P<slug>.+)/history$", media.history, name="media_history"),
    re_path(r"^wiki/File:(?P<slug>.+)/edit$", media.edit, name="media_edit"),
    re_path(r"^wiki/File:(?P<slug>.+)/version$", media.new_version, name="media_version"),
    re_path(r"^wiki/File:(?P<slug>.+)/delete$", media.delete, name="media_delete"),
    re_path(r"^wiki/File:(?P<slug>.+)$", media.page, name="media"),
    path("upload", media.upload, name="upload"),
    path("cite-lookup", editing.cite_lookup, name="cite_lookup"),
    path("sources-panel", editing.sources_panel, name="sources_panel"),
    re_path(rf"^wiki/{TITLE}/edit$", editing.edit, name="edit"),
    re_path(rf"^wiki/{TITLE}/history$", history.history, name="history"),
    re_path(rf"^wiki/{TITLE}/revision/(?P<revision_id>[0-9]+)$", history.revision, name="revision"),
    # Page tools (site area): what links here, page information, cite this page, the source.
    re_path(rf"^wiki/{TITLE}/links$", pages.what_links_here, name="links"),
    re_path(rf"^wiki/{TITLE}/uses$", transclusion.what_uses, name="template_uses"),
    path("templates/form.json", transclusion.template_form, name="template_form"),
    re_path(rf"^wiki/{TITLE}/info$", pages.page_info, name="info"),
    re_path(rf"^wiki/{TITLE}/translations$", pages.translations, name="translations"),
    re_path(
        rf"^wiki/{TITLE}/translation-current$",
        translate.translation_current,
        name="translation_current",
    ),
    re_path(
        rf"^translate/(?P<source_language>[a-z]{{2,3}}(?:-[a-z0-9]+)?)/{TITLE}$",
        translate.translate,
        name="translate",
    ),
    path("translations", translate.translation_status, name="translation_status"),
    re_path(rf"^wiki/{TITLE}/credits$", pages.credits_page, name="credits"),
    re_path(rf"^wiki/{TITLE}/cite$", pages.cite, name="cite"),
    re_path(rf"^wiki/{TITLE}/source$", pages.download_source, name="source"),
    re_path(rf"^wiki/{TITLE}/pdf$", printing.article_pdf, name="article_pdf"),
    # What a page preview shows (JSON), cached and purged with the article.
    re_path(rf"^wiki/{TITLE}/summary$", views.article_summary, name="summary"),
    # history: diff, revert, undo, recent changes, contributor profile
    re_path(rf"^wiki/{TITLE}/diff$", history.diff, name="diff"),
    re_path(rf"^wiki/{TITLE}/revert/(?P<revision_id>[0-9]+)$", history.revert, name="revert"),
    re_path(rf"^wiki/{TITLE}/undo/(?P<revision_id>[0-9]+)$", history.undo, name="undo"),
    re_path(rf"^wiki/{TITLE}/review/(?P<revision_id>[0-9]+)$", reviews.review, name="review"),
    path("review-queue", reviews.queue, name="review_queue"),
    path("review-queue/sources", retractions.source_notices_queue, name="source_notices"),
    path("review-queue/held-edits", antiabuse.held_edits, name="held_edits"),
    path("review-queue/held-edits/<int:held_id>", antiabuse.decide, name="held_edit_decide"),
    # Editorial tools (wiki/editorial/): move, delete, undelete, protect, patrol; blocks; logs.
    re_path(rf"^wiki/{TITLE}/move$", editorial.move, name="move"),
    re_path(rf"^wiki/{TITLE}/delete$", editorial.delete, name="delete"),
    re_path(rf"^wiki/{TITLE}/undelete$", editorial.undelete, name="undelete"),
    re_path(rf"^wiki/{TITLE}/protect$", editorial.protect, name="protect"),
    re_path(
        rf"^wiki/{TITLE}/revision-visibility$",
        editorial.revision_visibility,
        name="revision_visibility",
    ),
    re_path(
        rf"^wiki/{TITLE}/patrol/(?P<revision_id>[0-9]+)$",
        editorial.mark_patrolled,
        name="patrol",
    ),
    path("block/lift/<int:block_id>", editorial.unblock, name="unblock"),
    re_path(r"^block/(?P<name>[^/]+)$", editorial.block, name="block"),
    path("log", editorial.log, name="log"),
    path("log/feed", LogFeed(), name="log_feed"),
    path("redirects", editorial.redirect_problems, name="redirect_problems"),
    path("recent-changes", history.recent_changes, name="recent_changes"),
    path("recent-changes/feed", RecentChangesFeed(), name="recent_changes_feed"),
    path("accounts/profile", history.profile, name="profile"),
    path("accounts/disclosure", disclosures.disclosure_edit, name="disclosure_edit"),
    path("accounts/profile/tokens", tokens.token_create, name="token_create"),
    path("accounts/profile/tokens/<int:token_id>/revoke", tokens.token_revoke, name="token_revoke"),
    path(
        "accounts/profile/bot-passwords",
        bot_passwords.bot_password_create,
        name="bot_password_create",
    ),
    path(
        "accounts/profile/bot-passwords/<int:bot_id>/revoke",
        bot_passwords.bot_password_revoke,
        name="bot_password_revoke",
    ),
    # Talk pages (wiki/talk/) are articles titled "Talk:…"; watching (wiki/watching/).
    re_path(rf"^wiki/{TITLE}/new-topic$", talk.new_topic, name="talk_topic"),
    re_path(rf"^wiki/{TITLE}/reply$", talk.reply, name="talk_reply"),
    re_path(rf"^wiki/{TITLE}/watch$", watching.watch, name="watch"),
    path("watchlist", watching.watchlist, name="watchlist"),
    path("watchlist/edit", watching.edit_watchlist, name="edit_watchlist"),
    path("watchlist/feed/<str:token>", WatchlistFeed(), name="watchlist_feed"),
    path("accounts/preferences", watching.preferences, name="preferences"),
    # Reader reports (wiki/reports/): the form under every article; the editors' triage.
    re_path(rf"^wiki/{TITLE}/report$", reports.report, name="report_article"),
    path("reports", reports.queue, name="reports"),
    path("reports/<int:report_id>", reports.detail, name="report"),
    re_path(rf"^wiki/{TITLE}$", views.article_view, name="article"),
    # Any name: reverse() percent-encodes "#", "?" and "%", and the request decodes them.
    re_path(
        r"^contributor/(?P<name>.+)/credits$",
        history.contributor_credits,
        name="contributor_credits",
    ),
    re_path(r"^contributor/(?P<name>.+)$", history.contributor, name="contributor"),
    re_path(r"^disclosure/(?P<name>.+)$", disclosures.disclosure, name="disclosure"),
    # The articles of a category, and of a portal's category.
    path("category/<path:name>", categories.category, name="category"),
    path("categories/suggest", categories.suggest, name="category_suggest"),
    path("portal/<slug:slug>", categories.portal, name="portal"),
]

# Search (wiki/search/): the results page, title suggestions, the OpenSearch description.
from .search import views as search  # noqa: E402

urlpatterns += [
    re_path(r"^search$", search.search, name="search"),
    re_path(r"^search/suggest$", search.suggest, name="search_suggest"),
    re_path(r"^opensearch\.xml$", search.opensearch, name="opensearch"),
]
