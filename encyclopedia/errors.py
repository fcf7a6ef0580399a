"""The server-error page: standalone (the database may be what failed), but a form's typed
text is handed back, so an edit lost to an outage can be pasted again."""

from django.http import HttpResponseServerError
from django.template import loader


def server_error(request):
    """Django's 500 handler. No context processors: they may need the database."""
    text = ""
    if request.method == "POST":
        try:
            text = request.POST.get("text", "")
        except Exception:  # an unreadable body: nothing to hand back
            text = ""
    return HttpResponseServerError(loader.get_template("500.html").render({"text": text}))
