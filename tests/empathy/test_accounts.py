from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from empathy.middleware import IDLE_LOGOUT_MESSAGE, LAST_SEEN_KEY
from tests.factories import TEST_PASSWORD, UserFactory
from tests.test_helpers import login


def test_login_then_logout(client, team):
    response = client.post(reverse("login"), {"username": team.viewer.username, "password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_a_wrong_password_says_so_and_keeps_the_username(client, team):
    response = client.post(reverse("login"), {"username": team.viewer.username, "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct username and password" in page
    assert f'value="{team.viewer.username}"' in page


def test_password_reset_sends_a_working_link(client, db):
    user = UserFactory(email="reset.me@district.org")
    client.post(reverse("password_reset"), {"email": "reset.me@district.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    new_password = "a-new-long-password-2026"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_change_refuses_a_short_password(client, team):
    login(client, team.viewer)
    response = client.post(reverse("password_change"), {
        "old_password": TEST_PASSWORD, "new_password1": "short", "new_password2": "short",
    })
    assert "at least 12 characters" in response.content.decode()


def test_an_idle_session_is_signed_out(client, team, settings):
    login(client, team.viewer)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] -= settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + 1
    session.save()
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert str(IDLE_LOGOUT_MESSAGE) in response.content.decode()


def test_an_idle_script_request_gets_401_not_a_login_page(client, team, settings):
    login(client, team.viewer)
    client.get(reverse("home"))
    session = client.session
    session[LAST_SEEN_KEY] -= settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + 1
    session.save()
    assert client.get(reverse("home"), headers={"HX-Request": "true"}).status_code == 401


def test_an_active_session_stays_signed_in(client, team, settings):
    login(client, team.viewer)
    client.get(reverse("home"))
    session = client.session
    session[LAST_SEEN_KEY] -= settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 - 30
    session.save()
    assert client.get(reverse("home")).status_code == 200


def test_whoami_answers_scripts_without_a_login_page(client, team):
    assert client.get("/whoami").status_code == 401
    login(client, team.viewer)
    assert client.get("/whoami").json() == {"signed_in": True, "username": team.viewer.username}
