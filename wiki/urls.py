from django.urls import path, re_path

from . import categories, pages, views
from .api import tokens
from .editing import views as editing
from .history import views as history
from .history.feeds import RecentChangesFeed

app_name = "wiki"

TITLE = r"(?P<slug>.+?)"  # titles may hold "?" (percent-encoded in links) and "/"

urlpatterns = [
    # MediaWiki's export URL; before the others, which would take "Special:Export/X/edit".
    re_path(r"^wiki/Special:Export/(?P<slug>.+)$", pages.special_export, name="export"),
    re_path(rf"^wiki/{TITLE}/edit$", editing.edit, name="edit"),
    re_path(rf"^wiki/{TITLE}/history$", history.history, name="history"),
    re_path(rf"^wiki/{TITLE}/revision/(?P<revision_id>[0-9]+)$", history.revision, name="revision"),
    # Page tools (site area): what links here, page information, cite this page, the source.
    re_path(rf"^wiki/{TITLE}/links$", pages.what_links_here, name="links"),
    re_path(rf"^wiki/{TITLE}/info$", pages.page_info, name="info"),
    re_path(rf"^wiki/{TITLE}/cite$", pages.cite, name="cite"),
    re_path(rf"^wiki/{TITLE}/source$", pages.download_source, name="source"),
    # history: diff, revert, undo, recent changes, contributor profile
    re_path(rf"^wiki/{TITLE}/diff$", history.diff, name="diff"),
    re_path(rf"^wiki/{TITLE}/revert/(?P<revision_id>[0-9]+)$", history.revert, name="revert"),
    re_path(rf"^wiki/{TITLE}/undo/(?P<revision_id>[0-9]+)$", history.undo, name="undo"),
    path("recent-changes", history.recent_changes, name="recent_changes"),
    path("recent-changes/feed", RecentChangesFeed(), name="recent_changes_feed"),
    path("accounts/profile", history.profile, name="profile"),
    path("accounts/profile/tokens", tokens.token_create, name="token_create"),
    path("accounts/profile/tokens/<int:token_id>/revoke", tokens.token_revoke, name="token_revoke"),
    re_path(rf"^wiki/{TITLE}$", views.article_view, name="article"),
    # Any name: reverse() percent-encodes "#", "?" and "%", and the request decodes them.
    re_path(r"^contributor/(?P<name>.+)$", history.contributor, name="contributor"),
    # The articles of a category, and of a portal's category.
    path("category/<path:name>", categories.category, name="category"),
    path("portal/<slug:slug>", categories.portal, name="portal"),
]

# Search (wiki/search/): the results page, title suggestions, the OpenSearch description.
from .search import views as search  # noqa: E402

urlpatterns += [
    re_path(r"^search$", search.search, name="search"),
    re_path(r"^search/suggest$", search.suggest, name="search_suggest"),
    re_path(r"^opensearch\.xml$", search.opensearch, name="opensearch"),
]
