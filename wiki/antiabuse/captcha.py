"""The captcha: django-simple-captcha (0.7.0, pinned), self-hosted: the picture and its
spoken letters (flite, when `CAPTCHA_FLITE_PATH` names it) are made by this site, no third
party is called. Forms take `CaptchaField`; the APIs hand out a challenge (`new_challenge`)
and check an answer (`captcha_answered`), both through the library's `CaptchaStore`, the one
place its internals are used."""

from captcha.conf import settings as captcha_settings
from captcha.fields import CaptchaField as LibraryCaptchaField
from captcha.fields import CaptchaTextInput
from captcha.models import CaptchaStore
from django.urls import reverse
from django.utils import timezone

FIELD = "captcha"  # the form field's name; its parts post as captcha_0 (key), captcha_1


class CaptchaWidget(CaptchaTextInput):
    """The picture with a text alternative that says what to do, a link to hear the
    characters, and the answer box."""

    template_name = "wiki/includes/captcha_widget.html"


class CaptchaField(LibraryCaptchaField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Type the characters in the picture")
        kwargs.setdefault(
            "help_text",
            "Not case-sensitive. Can't read them? Listen to them with the link under the picture.",
        )
        kwargs.setdefault(
            "error_messages",
            {"invalid": "That was not the text shown; a new picture is shown: try again."},
        )
        super().__init__(widget=CaptchaWidget(), **kwargs)


def add_captcha(form):
    """Give a form the captcha field (shown and checked)."""
    form.fields[FIELD] = CaptchaField()
    return form


def with_posted_captcha(form):
    """A bound form keeps the captcha it was shown: checked again with the answer posted."""
    if f"{form.add_prefix(FIELD)}_0" in form.data:
        add_captcha(form)
    return form


def new_challenge(request=None) -> dict:
    """A fresh challenge for an API client: its id, the picture and the sound."""
    key = CaptchaStore.generate_key()
    image = reverse("captcha-image", kwargs={"key": key})
    found = {"id": key, "type": "image", "mime": "image/png", "url": image}
    if captcha_settings.CAPTCHA_FLITE_PATH:
        found["audio"] = reverse("captcha-audio", kwargs={"key": key})
    if request is not None:
        found["url"] = request.build_absolute_uri(image)
        if "audio" in found:
            found["audio"] = request.build_absolute_uri(found["audio"])
    return found


def captcha_answered(key: str, answer: str) -> bool:
    """Whether `answer` solves the challenge `key`; a challenge is tried once (then gone)."""
    answer = (answer or "").strip().lower()
    if not key or not answer:
        return False
    if captcha_settings.CAPTCHA_TEST_MODE and answer == "passed":
        CaptchaStore.objects.filter(hashkey=key).delete()
        return True
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None:
        return False
    store.delete()
    return store.response == answer
