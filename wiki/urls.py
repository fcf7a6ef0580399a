from django.urls import re_path

from . import views
from .editing import views as editing
from .history import views as history

app_name = "wiki"

TITLE = r"(?P<slug>[^?#]+?)"

urlpatterns = [
    re_path(rf"^wiki/{TITLE}/edit$", editing.edit, name="edit"),
    re_path(rf"^wiki/{TITLE}/history$", history.history, name="history"),
    re_path(rf"^wiki/{TITLE}/revision/(?P<revision_id>[0-9]+)$", history.revision, name="revision"),
    re_path(rf"^wiki/{TITLE}$", views.article_view, name="article"),
    re_path(r"^contributor/(?P<name>[^?#]+)$", history.contributor, name="contributor"),
]

# Search (wiki/search/): the results page, title suggestions, the OpenSearch description.
from .search import views as search  # noqa: E402

urlpatterns += [
    re_path(r"^search$", search.search, name="search"),
    re_path(r"^search/suggest$", search.suggest, name="search_suggest"),
    re_path(r"^opensearch\.xml$", search.opensearch, name="opensearch"),
]
