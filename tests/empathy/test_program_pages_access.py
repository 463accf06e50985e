"""Each program page's permission rules: anonymous, outsider, wrong role, wrong method."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

PAGES_FOR_EVERY_MEMBER = ["program_dashboard", "program_team"]
PAGES_FOR_LEADS = ["program_edit"]


def login(client, user):
    assert client.login(request=HttpRequest(), username=user.username, password=TEST_PASSWORD)


@pytest.mark.parametrize("name", PAGES_FOR_EVERY_MEMBER + PAGES_FOR_LEADS)
def test_anonymous_is_redirected_to_login(client, team, name):
    url = reverse(name, kwargs={"slug": team.program.slug})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize("name", PAGES_FOR_EVERY_MEMBER + PAGES_FOR_LEADS)
def test_outsider_gets_404(client, team, name):
    login(client, team.outsider)
    assert client.get(reverse(name, kwargs={"slug": team.program.slug})).status_code == 404


@pytest.mark.parametrize("name", PAGES_FOR_LEADS)
@pytest.mark.parametrize("persona", ["facilitator", "analyst", "viewer"])
def test_member_without_the_role_gets_403(client, team, name, persona):
    login(client, getattr(team, persona))
    response = client.get(reverse(name, kwargs={"slug": team.program.slug}))
    assert response.status_code == 403
    assert "Your role" in response.content.decode()


@pytest.mark.parametrize("name", PAGES_FOR_EVERY_MEMBER)
@pytest.mark.parametrize("persona", ["lead", "facilitator", "analyst", "viewer"])
def test_every_member_can_open_the_page(client, team, name, persona):
    login(client, getattr(team, persona))
    response = client.get(reverse(name, kwargs={"slug": team.program.slug}))
    assert response.status_code == 200
    assert team.program.name in response.content.decode()


def test_lead_can_open_the_settings(client, team):
    login(client, team.lead)
    assert client.get(reverse("program_edit", kwargs={"slug": team.program.slug})).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_dashboard_refuses_other_methods_with_405(client, team, method):
    login(client, team.lead)
    response = getattr(client, method)(reverse("program_dashboard", kwargs={"slug": team.program.slug}))
    assert response.status_code == 405


@pytest.mark.parametrize("name", ["program_team", "program_edit"])
def test_forms_refuse_delete_with_405(client, team, name):
    login(client, team.lead)
    assert client.delete(reverse(name, kwargs={"slug": team.program.slug})).status_code == 405


def test_home_refuses_post_with_405(client, team):
    login(client, team.lead)
    assert client.post(reverse("home")).status_code == 405


def test_home_redirects_anonymous_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
