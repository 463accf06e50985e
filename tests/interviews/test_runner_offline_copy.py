"""The runner page on a shared computer is never stored for offline use; elsewhere it is."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Session, SessionFormat, SessionStatus
from tests.factories import TEST_PASSWORD, StudentFactory, ready_protocol


@pytest.fixture
def runner_url(team):
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP,
                                     protocol=ready_protocol(team.program), starts_at=timezone.now(),
                                     facilitator=team.facilitator, status=SessionStatus.IN_PROGRESS)
    session.participants.set([StudentFactory(first_name="Ana")])
    return reverse("runner", kwargs={"slug": team.program.slug, "pk": session.pk})


def sign_in(client, user, *, shared: bool) -> None:
    form = {"username": user.username, "password": TEST_PASSWORD}
    if shared:
        form["shared_device"] = "on"
    assert client.post(reverse("login"), form).status_code == 302


def test_on_a_shared_computer_the_runner_page_is_not_to_be_stored(client, team, runner_url):
    sign_in(client, team.facilitator, shared=True)
    page = client.get(runner_url)
    assert page.context["data"]["offline_copy"] is False
    assert "no-store" in page["Cache-Control"]


def test_on_a_personal_computer_the_runner_page_opens_offline(client, team, runner_url):
    sign_in(client, team.facilitator, shared=False)
    page = client.get(runner_url)
    assert page.context["data"]["offline_copy"] is True
    assert "no-store" not in page.get("Cache-Control", "")


def test_the_service_worker_keeps_no_stored_page_that_says_no_store_or_is_a_redirect(client, db):
    script = client.get(reverse("runner_service_worker")).content.decode()
    assert "no-store" in script and "response.redirected" in script
