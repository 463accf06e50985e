"""The idle timeout: background polls do not keep a session alive, and the clock is written often
enough that a short timeout never signs out somebody who is using the app."""

from __future__ import annotations

import pytest
from django.urls import reverse

from empathy import middleware
from empathy.middleware import BACKGROUND_HEADER, LAST_SEEN_KEY, idle_refresh_seconds
from tests.test_helpers import login

BACKGROUND = {BACKGROUND_HEADER: "1"}


class Clock:
    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(middleware.time, "time", clock)
    return clock


def last_seen(client) -> float:
    return client.session[LAST_SEEN_KEY]


def test_a_background_request_does_not_move_last_seen_and_a_normal_one_does(client, team, clock, settings):
    login(client, team.viewer)
    client.get(reverse("home"))
    started = last_seen(client)
    clock.now += settings.SESSION_IDLE_REFRESH_SECONDS + 1
    assert client.get("/whoami", headers=BACKGROUND).status_code == 200
    assert last_seen(client) == started
    assert client.get("/whoami").status_code == 200
    assert last_seen(client) == clock.now


def test_a_polling_tab_alone_reaches_the_idle_timeout(client, team, clock, settings):
    login(client, team.viewer)
    client.get(reverse("home"))
    for _ in range(settings.SESSION_IDLE_TIMEOUT_MINUTES):
        clock.now += 59
        assert client.get("/whoami", headers=BACKGROUND).status_code == 200
    clock.now += 120
    response = client.get("/whoami", headers=BACKGROUND)
    assert response.status_code == 401  # a script's answer, never a login page
    assert client.get(reverse("home")).status_code == 302


def test_the_first_request_starts_the_clock_even_from_the_background(client, team, clock):
    login(client, team.viewer)
    client.get("/whoami", headers=BACKGROUND)
    assert last_seen(client) == clock.now


def test_the_refresh_is_a_quarter_of_a_short_timeout(settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 1
    assert idle_refresh_seconds() == 15
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 60
    assert idle_refresh_seconds() == settings.SESSION_IDLE_REFRESH_SECONDS


def test_a_one_minute_timeout_keeps_an_active_person_signed_in(client, team, clock, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 1
    login(client, team.viewer)
    for _ in range(10):  # a request every 40 seconds for over six minutes
        assert client.get(reverse("home")).status_code == 200
        clock.now += 40
    assert client.get(reverse("home")).status_code == 200


def test_a_one_minute_timeout_still_signs_out_after_a_minute_idle(client, team, clock, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 1
    login(client, team.viewer)
    client.get(reverse("home"))
    clock.now += 61
    assert client.get(reverse("home")).status_code == 302
