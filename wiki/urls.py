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
