from functools import wraps

from django.http import HttpResponseNotAllowed
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from . import action
from .errors import error_response
from .rest import api


@csrf_exempt  # nothing to protect: a POST here gets the same JSON 404, not the form's 403 page
def unknown_endpoint(request, rest=""):
    return error_response(404, "No API endpoint has this address; see /api/v1/docs.")


def json_method_refusal(view):
    """django-ninja answers a method a path does not take with a bare 405: ours is JSON."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            refusal = error_response(
                405, f"This address does not take {request.method}; it takes {response['Allow']}."
            )
            refusal["Allow"] = response["Allow"]
            return refusal
        return response

    return wrapped


def rest_urls():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:  # token-authenticated or public: no CSRF "Form expired" page
        pattern.callback = csrf_exempt(json_method_refusal(pattern.callback))
    return patterns, app_name, namespace


urlpatterns = [
    path("api/v1/", rest_urls()),
    re_path(r"^api/v1(?:/(?P<rest>[\s\S]*))?$", unknown_endpoint),  # any character, \n too
    path("api.php", action.api_php, name="api_php"),
]
