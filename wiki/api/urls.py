from django.urls import path, re_path

from . import action
from .errors import error_response
from .rest import api


def unknown_endpoint(request, rest=""):
    return error_response(404, "No API endpoint has this address; see /api/v1/docs.")


urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/v1(?:/(?P<rest>.*))?$", unknown_endpoint),
    path("api.php", action.api_php, name="api_php"),
]
