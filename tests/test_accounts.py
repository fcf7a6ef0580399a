"""Accounts people make themselves: registration with e-mail confirmation (mail delivered to
a real SMTP server), readers until promoted, password reset by mail, limits per address."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from wiki.editorial.models import LogEntry
from wiki.permissions import is_editor
from wiki.watching.models import Preferences

from .helpers import CAPTCHA_PASSED, PRODUCTION_ENV, manage
from .mail_server import body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("captcha_test_mode")]


def register(client, name="newbie", email="newbie@example.org", **extra):
    return client.post(
        reverse("register"),
        {
            "username": name,
            "email": email,
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
            **CAPTCHA_PASSED,
        },
        **extra,
    )


def link_in(message) -> str:
    return re.search(r"https?://\S+", body(message)).group(0)


def test_registering_sends_a_confirmation_that_activates_the_account_as_a_reader(
    client, settings, mail_server, django_capture_on_commit_callbacks
):
    settings.REGISTRATION_OPEN = True
    settings.REGISTRATION_AUTO_EDITOR_DAYS = None
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client)
    assert response.status_code == 200 and "We sent a link" in response.content.decode()
    user = User.objects.get(username="newbie")
    assert not user.is_active
    assert not client.login(username="newbie", password="a long pass phrase 42")
    [mail] = mail_server.inbox.wait_for("newbie@example.org")
    assert "Confirm" in mail["Subject"]
    response = client.get(link_in(mail).removeprefix("http://testserver"), follow=True)
    assert "Your e-mail address is confirmed" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and not is_editor(user)
    assert Preferences.objects.get(user=user).email_confirmed_at is not None
    assert response.context["user"].username == "newbie"  # signed in
    client.logout()
    again = client.get(link_in(mail).removeprefix("http://testserver"), follow=True)
    assert "confirmed already: sign in" in again.content.decode()
    assert not again.context["user"].is_authenticated  # the link signs in once only


def test_a_forged_or_expired_confirmation_link_is_refused(client, settings, db):
    settings.REGISTRATION_OPEN = True
    assert client.get(reverse("confirm_email", args=["forged:token"])).status_code == 400


def test_a_confirmed_account_becomes_an_editor_after_the_set_days(client, settings, db):
    settings.REGISTRATION_AUTO_EDITOR_DAYS = 4
    user = User.objects.create_user("newbie", password="pw-new-123456")
    Preferences.objects.create(user=user, email_confirmed_at=timezone.now() - dt.timedelta(days=2))
    client.login(username="newbie", password="pw-new-123456")
    assert not is_editor(User.objects.get(pk=user.pk))
    Preferences.objects.filter(user=user).update(
        email_confirmed_at=timezone.now() - dt.timedelta(days=5)
    )
    client.logout()
    client.login(username="newbie", password="pw-new-123456")
    assert is_editor(User.objects.get(pk=user.pk))
    assert LogEntry.objects.filter(type="rights", target="User:newbie").exists()


def test_registration_is_closed_when_the_setting_is_off(client, settings, db):
    settings.REGISTRATION_OPEN = False
    assert client.get(reverse("register")).status_code == 404
    assert "Create account" not in client.get("/accounts/login/").content.decode()


def test_an_address_already_used_is_refused_with_a_message(client, settings, reader):
    settings.REGISTRATION_OPEN = True
    reader.email = "rita@example.org"
    reader.save()
    response = register(client, email="RITA@example.org")
    assert response.status_code == 400
    assert "already uses this address" in response.content.decode()


def test_accounts_per_address_are_limited(client, settings, db):
    settings.REGISTRATION_OPEN = True
    settings.REGISTRATIONS_PER_ADDRESS_PER_DAY = 2
    for n in range(2):
        assert register(client, name=f"user{n}", email=f"u{n}@example.org").status_code == 200
    response = register(client, name="user3", email="u3@example.org")
    assert response.status_code == 429
    assert "Too many accounts were created from your network address" in (response.content.decode())
    other = register(client, name="user4", email="u4@example.org", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_password_reset_mails_a_link_that_sets_a_new_password(
    client, mail_server, reader, django_capture_on_commit_callbacks
):
    reader.email = "rita@example.org"
    reader.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("password_reset"), {"email": "rita@example.org", **CAPTCHA_PASSED}
        )
    assert response.status_code == 302
    [mail] = mail_server.inbox.wait_for("rita@example.org")
    link = link_in(mail).removeprefix("http://testserver")
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "another pass phrase 7", "new_password2": "another pass phrase 7"},
        follow=True,
    )
    assert "Your password was changed" in done.content.decode()
    assert client.login(username="rita", password="another pass phrase 7")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "1"}, "True"),  # development and the demo (make run)
        (PRODUCTION_ENV, "False"),
        ({**PRODUCTION_ENV, "REGISTRATION_OPEN": "1"}, "True"),
    ],
)
def test_registration_is_on_in_development_and_off_in_production_unless_asked(env, expected):
    shown = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.REGISTRATION_OPEN)",
        env=env,
    )
    assert shown.stdout.strip().splitlines()[-1] == expected, shown.stderr


def test_the_promote_accounts_command_reaches_those_who_stay_signed_in(settings, db):
    from io import StringIO

    from django.core.management import call_command

    settings.REGISTRATION_AUTO_EDITOR_DAYS = 1
    user = User.objects.create_user("staying", password="pw-new-123456")
    Preferences.objects.create(user=user, email_confirmed_at=timezone.now() - dt.timedelta(days=2))
    out = StringIO()
    call_command("promote_accounts", stdout=out)
    assert "1 account(s) added to Editors: staying" in out.getvalue()
    assert is_editor(User.objects.get(pk=user.pk))


def test_a_reset_mail_waits_while_the_mail_server_is_down(
    client, settings, reader, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from wiki.watching.models import PendingMail

    from .mail_server import MailServer, free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.WIKI_TASKS_INLINE = True
    reader.email = "rita@example.org"
    reader.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("password_reset"), {"email": "rita@example.org", **CAPTCHA_PASSED}
        )
    assert response.status_code == 302  # "check your mail", not an error
    assert PendingMail.objects.get(sent_at=None).to == "rita@example.org"
    server = MailServer()
    server.port = server.controller.port = settings.EMAIL_PORT
    server.start()
    try:
        call_command("send_pending_mail", stdout=open("/dev/null", "w"))
        [mail] = server.inbox.wait_for("rita@example.org")
    finally:
        server.stop()
    assert "/accounts/reset/" in body(mail)
