"""Guessing passwords: after a few failures, sign-in is refused for a while, with a clear reason."""

import time

import pytest

SIGN_IN = "/accounts/login/"
ADMIN_SIGN_IN = "/admin/login/"


def sign_in(client, url, username, password, address="192.0.2.10"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", [SIGN_IN, ADMIN_SIGN_IN])
def test_after_ten_wrong_passwords_even_the_right_one_is_refused(client, administrator, url):
    answers = [sign_in(client, url, "ada", f"wrong-{n}").status_code for n in range(10)]
    assert answers[0] == 200 and answers[-1] == 429
    response = sign_in(client, url, "ada", "pw-ada-123")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "Try again in 15 minutes" in response.content.decode()
    assert not signed_in(client)


def test_a_locked_account_stays_locked_from_another_address_but_others_sign_in(
    client, reader, editor
):
    for n in range(10):
        sign_in(client, SIGN_IN, "rita", f"wrong-{n}", address="192.0.2.10")
    response = sign_in(client, SIGN_IN, "rita", "pw-rita-123", address="198.51.100.7")
    assert response.status_code == 429 and not signed_in(client)
    response = sign_in(client, SIGN_IN, "edna", "pw-edna-123", address="198.51.100.7")
    assert response.status_code == 302 and signed_in(client)


def test_one_address_guessing_many_accounts_is_refused_for_all_of_them(client, editor):
    for n in range(20):
        sign_in(client, SIGN_IN, f"guess{n}", "wrong", address="192.0.2.66")
    response = sign_in(client, SIGN_IN, "edna", "pw-edna-123", address="192.0.2.66")
    assert response.status_code == 429 and not signed_in(client)
    response = sign_in(client, SIGN_IN, "edna", "pw-edna-123", address="198.51.100.7")
    assert response.status_code == 302 and signed_in(client)


def test_a_few_mistakes_do_not_lock_anyone_out_but_the_fifth_in_a_row_does(client, reader):
    for n in range(4):
        sign_in(client, SIGN_IN, "rita", f"wrong-{n}")
    assert sign_in(client, SIGN_IN, "rita", "pw-rita-123").status_code == 302
    client.logout()
    for n in range(4):  # the right password cleared the count
        sign_in(client, SIGN_IN, "rita", f"wrong-{n}")
    assert sign_in(client, SIGN_IN, "rita", "pw-rita-123").status_code == 302
    client.logout()
    for n in range(5):
        sign_in(client, SIGN_IN, "rita", f"wrong-{n}")
    assert sign_in(client, SIGN_IN, "rita", "pw-rita-123").status_code == 429


def test_the_lockout_ends_after_its_time(client, reader, settings):
    settings.SIGNIN_LOCKOUT_SECONDS = 2
    for n in range(5):
        sign_in(client, SIGN_IN, "rita", f"wrong-{n}")
    refused = sign_in(client, SIGN_IN, "rita", "pw-rita-123")
    assert refused.status_code == 429 and "Try again in 1 minute." in refused.content.decode()
    time.sleep(2.5)
    assert sign_in(client, SIGN_IN, "rita", "pw-rita-123").status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_the_clients(client, editor, settings):
    settings.SIGNIN_CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    for n in range(20):
        client.post(
            SIGN_IN,
            {"username": f"guess{n}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="192.0.2.66",
        )
    proxied = {"REMOTE_ADDR": "10.0.0.1"}
    credentials = {"username": "edna", "password": "pw-edna-123"}
    response = client.post(SIGN_IN, credentials, HTTP_X_FORWARDED_FOR="192.0.2.66", **proxied)
    assert response.status_code == 429
    response = client.post(
        SIGN_IN, credentials, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7", **proxied
    )
    assert response.status_code == 302 and signed_in(client)
