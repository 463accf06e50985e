"""Five wrong passwords for one username from one address pause sign-in; the pause grows and always ends."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.urls import reverse

from tests.factories import TEST_PASSWORD

WRONG = "not-the-password"


def sign_in(client, username, password, address="10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail_five_times(client, username, address="10.0.0.7"):
    for _ in range(5):
        sign_in(client, username, WRONG, address)


def test_five_failures_lock_the_username_and_address_pair_even_for_the_right_password(client, team):
    for _ in range(4):
        assert sign_in(client, team.viewer.username, WRONG).status_code == 200
    locked = sign_in(client, team.viewer.username, WRONG)
    assert locked.status_code == 429 and "Too many sign-in attempts" in locked.content.decode()
    assert sign_in(client, team.viewer.username, TEST_PASSWORD).status_code == 429


def test_the_lock_does_not_shut_out_the_user_elsewhere_or_other_users(client, team):
    fail_five_times(client, team.viewer.username)
    assert sign_in(client, team.viewer.username, TEST_PASSWORD, address="10.0.0.8").status_code == 302
    client.logout()
    assert sign_in(client, team.lead.username, TEST_PASSWORD).status_code == 302


def minutes_pass(minutes: int) -> None:
    """Age every recorded attempt, as if the clock had moved on."""
    from axes.models import AccessAttempt, AccessFailureLog

    for model in (AccessAttempt, AccessFailureLog):
        model.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=minutes))


def test_the_cool_off_is_fifteen_minutes_then_longer_on_repeat_and_ends(client, team):
    fail_five_times(client, team.viewer.username)
    minutes_pass(16)
    assert sign_in(client, team.viewer.username, TEST_PASSWORD).status_code == 302
    client.logout()
    fail_five_times(client, team.viewer.username)  # a second lock-out the same day lasts 30 minutes
    minutes_pass(16)
    # Still locked; an attempt while locked counts too, so somebody who keeps guessing stays out.
    assert sign_in(client, team.viewer.username, TEST_PASSWORD).status_code == 429
    minutes_pass(31)
    assert sign_in(client, team.viewer.username, TEST_PASSWORD).status_code == 302


def test_the_cool_off_never_passes_four_hours(rf, team):
    from axes.models import AccessFailureLog

    from empathy.accounts import cool_off

    AccessFailureLog.objects.bulk_create([AccessFailureLog(username=team.viewer.username, ip_address="10.0.0.7",
                                                           user_agent="", path_info="/accounts/login/")
                                          for _ in range(500)])
    request = rf.post("/accounts/login/", {"username": team.viewer.username}, REMOTE_ADDR="10.0.0.7")
    assert cool_off(request) == dt.timedelta(hours=4)
    assert cool_off(rf.post("/accounts/login/", {"username": team.lead.username}, REMOTE_ADDR="10.0.0.7")) == dt.timedelta(minutes=15)


def test_a_shared_computer_signs_out_when_the_browser_closes(client, team):
    assert "This is a shared computer" in client.get(reverse("login")).content.decode()
    client.post(reverse("login"), {"username": team.viewer.username, "password": TEST_PASSWORD, "shared_device": "on"})
    assert client.session.get_expire_at_browser_close()
    client.logout()
    client.post(reverse("login"), {"username": team.viewer.username, "password": TEST_PASSWORD})
    assert not client.session.get_expire_at_browser_close()
