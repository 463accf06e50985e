"""Times are stored in UTC and shown in the district's time zone (TIME_ZONE from the environment)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from audit.log import record
from audit.models import AuditAction
from tests.empathy.test_settings import run_python
from tests.test_helpers import login

READ_ZONE = "import django; from django.conf import settings; django.setup(); print(settings.TIME_ZONE, settings.USE_TZ)"



def test_the_time_zone_defaults_to_new_york_and_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("TIME_ZONE", raising=False)
    default = run_python(READ_ZONE, DEBUG="true")
    assert default.returncode == 0, default.stderr
    assert default.stdout.split() == ["America/New_York", "True"]
    chosen = run_python(READ_ZONE, DEBUG="true", TIME_ZONE="America/Chicago")
    assert chosen.stdout.split() == ["America/Chicago", "True"]


@pytest.mark.parametrize(("zone", "shown"), [("America/New_York", "Mar 2, 2026 19:30"),
                                             ("America/Los_Angeles", "Mar 2, 2026 16:30")])
def test_an_audit_page_shows_the_time_in_the_configured_zone(client, team, settings, monkeypatch, zone, shown):
    settings.TIME_ZONE = zone
    moment = dt.datetime(2026, 3, 3, 0, 30, tzinfo=dt.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    record(action=AuditAction.EXPORT, actor=team.lead, program=team.program, detail={"export": "test"})
    monkeypatch.undo()
    login(client, team.lead)
    page = client.get(reverse("audit_log", kwargs={"slug": team.program.slug})).content.decode()
    assert shown in page
    assert "Mar 3, 2026 00:30" not in page
