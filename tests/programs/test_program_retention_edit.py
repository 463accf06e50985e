"""Editing a program's dates: a retention date in the past is refused; moving the date that applies
earlier on a program holding students' words needs its short name typed; every save is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from interviews.models import Note
from programs.forms import (
    CONFIRM_EARLIER_RETENTION,
    CONFIRMATION_MISMATCH,
    DEFAULT_RETENTION_IN_PAST,
    RETENTION_IN_PAST,
)
from programs.models import Program, retention_preview
from tests.factories import SchoolFactory
from tests.test_helpers import login

TODAY = timezone.localdate
DAY = dt.timedelta(days=1)


def form_data(program: Program, **overrides) -> dict:
    data = {
        "name": program.name, "slug": program.slug, "theme": program.theme, "purpose": program.purpose,
        "schools": [school.pk for school in program.schools.all()], "status": program.status,
        "starts_on": program.starts_on.isoformat(), "ends_on": program.ends_on.isoformat(),
        "suppression_threshold": program.suppression_threshold,
        "retention_until": program.retention_until.isoformat() if program.retention_until else "",
    }
    data.update(overrides)
    return data


def edit_url(program: Program) -> str:
    return reverse("program_edit", kwargs={"slug": program.slug})


@pytest.fixture
def lead_client(client, team, settings):
    settings.RETENTION_DAYS_AFTER_END, settings.RETENTION_GRACE_DAYS = 365, 14
    login(client, team.lead)
    return client


def _html(text) -> str:
    return str(text).replace("'", "&#x27;")


def test_a_retention_date_in_the_past_is_refused_and_the_form_keeps_what_was_typed(lead_client, team):
    program = team.program
    yesterday = TODAY() - DAY
    program.starts_on, program.ends_on = TODAY() - 100 * DAY, TODAY() - 10 * DAY
    program.save()
    response = lead_client.post(edit_url(program), form_data(program, name="Typed name",
                                                             retention_until=yesterday.isoformat()))
    page = response.content.decode()
    assert response.status_code == 200 and _html(RETENTION_IN_PAST) in page
    assert 'value="Typed name"' in page and f'value="{yesterday.isoformat()}"' in page
    program.refresh_from_db()
    assert program.retention_until is None and program.name == "Belonging pilot"
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE_PROGRAM).exists()


def test_today_is_the_earliest_retention_date_a_lead_can_choose(lead_client, team):
    program = team.program
    program.starts_on, program.ends_on = TODAY() - 100 * DAY, TODAY() - 10 * DAY
    program.save()
    assert lead_client.post(edit_url(program), form_data(program, retention_until=TODAY().isoformat())).status_code == 302
    program.refresh_from_db()
    assert program.retention_until == TODAY()


def test_a_new_program_cannot_start_with_a_retention_date_in_the_past(lead_client, team):
    from django.contrib.auth.models import Permission

    team.lead.user_permissions.add(Permission.objects.get(codename="add_program"))
    school = SchoolFactory()
    data = {"name": "Old voices", "slug": "", "theme": "t", "purpose": "", "schools": [school.pk], "status": "planning",
            "suppression_threshold": 10, "starts_on": "2024-01-08", "ends_on": "2024-06-14", "retention_until": ""}
    page = lead_client.post(reverse("program_create"), data).content.decode()
    assert _html(DEFAULT_RETENTION_IN_PAST.format(date="June 14, 2025")) in page
    page = lead_client.post(reverse("program_create"), {**data, "retention_until": "2025-01-31"}).content.decode()
    assert _html(RETENTION_IN_PAST) in page
    assert not Program.objects.filter(name="Old voices").exists()


def test_an_end_date_that_puts_the_retention_date_in_the_past_needs_the_confirmation(lead_client, coded):
    program = coded.team.program
    starts_on, ends_on = TODAY() - 500 * DAY, TODAY() - 400 * DAY  # kept until 35 days ago
    response = lead_client.post(edit_url(program), form_data(program, starts_on=starts_on.isoformat(),
                                                             ends_on=ends_on.isoformat()))
    page = response.content.decode()
    assert response.status_code == 200 and 'id="retention-confirmation"' in page
    assert "24 notes with words" in page and "24 consent records" in page and "24 session places" in page
    purge_on = TODAY() + 14 * DAY
    assert f"{purge_on:%b} {purge_on.day}, {purge_on.year}" in page
    assert _html(CONFIRM_EARLIER_RETENTION.format(slug=program.slug)) in page
    assert f'value="{ends_on.isoformat()}"' in page
    program.refresh_from_db()
    assert program.ends_on == TODAY() + 90 * DAY and Note.objects.exclude(text="").count() == 24
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE_PROGRAM).exists()


def test_the_wrong_confirmation_saves_nothing_and_keeps_what_was_typed(lead_client, coded):
    program = coded.team.program
    data = form_data(program, name="Renamed too", retention_until=(TODAY() + 10 * DAY).isoformat(),
                     ends_on=TODAY().isoformat(), confirm_slug="belonging")
    page = lead_client.post(edit_url(program), data).content.decode()
    assert _html(CONFIRMATION_MISMATCH.format(slug=program.slug)) in page
    assert 'value="Renamed too"' in page and 'value="belonging"' in page
    program.refresh_from_db()
    assert program.name == "Belonging pilot" and program.retention_until is None
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE_PROGRAM).exists()


def test_the_right_confirmation_saves_and_audits_what_changed(lead_client, coded):
    program = coded.team.program
    old_ends_on, old_keep_until = program.ends_on, program.keep_until
    starts_on, ends_on = TODAY() - 500 * DAY, TODAY() - 400 * DAY
    response = lead_client.post(edit_url(program), form_data(
        program, starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat(), confirm_slug=f" {program.slug} "))
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.ends_on == ends_on and program.keep_until == ends_on + 365 * DAY
    assert Note.objects.exclude(text="").count() == 24  # nothing goes before the grace period is over
    event = AuditEvent.objects.get(action=AuditAction.CHANGE_PROGRAM)
    assert event.actor == coded.team.lead and event.program_slug == program.slug
    assert event.detail["fields"] == ["starts_on", "ends_on"]
    assert event.detail["values"]["ends_on"] == {"old": old_ends_on.isoformat(), "new": ends_on.isoformat()}
    assert event.detail["keep_until"] == {"old": old_keep_until.isoformat(), "new": (ends_on + 365 * DAY).isoformat()}
    assert event.detail["confirmed_earlier_retention"]["notes_with_words"] == 24
    assert event.detail["confirmed_earlier_retention"]["purge_on"] == (TODAY() + 14 * DAY).isoformat()
    page = lead_client.get(reverse("program_dashboard", args=[program.slug])).content.decode()
    assert 'id="purge-warning"' in page


def test_moving_a_future_retention_date_earlier_needs_the_confirmation_too(lead_client, coded):
    program = coded.team.program
    program.retention_until = TODAY() + 400 * DAY
    program.save()
    new_date = TODAY() + 200 * DAY
    page = lead_client.post(edit_url(program), form_data(program, retention_until=new_date.isoformat())).content.decode()
    purge_on = new_date + DAY + 14 * DAY
    assert 'id="retention-confirmation"' in page and f"{purge_on:%b} {purge_on.day}, {purge_on.year}" in page
    program.refresh_from_db()
    assert program.retention_until == TODAY() + 400 * DAY


def test_moving_the_date_later_needs_no_confirmation_and_cancels_a_pending_purge(lead_client, coded):
    program = coded.team.program
    program.starts_on, program.ends_on = TODAY() - 500 * DAY, TODAY() - 400 * DAY
    program.purge_due_since = TODAY() - 3 * DAY
    program.save()
    later = TODAY() + 30 * DAY
    assert lead_client.post(edit_url(program), form_data(program, retention_until=later.isoformat())).status_code == 302
    program.refresh_from_db()
    assert program.retention_until == later and program.purge_due_since is None


def test_a_program_in_its_grace_period_can_still_be_edited_without_moving_the_date(lead_client, team):
    program = team.program
    program.starts_on, program.ends_on, program.retention_until = TODAY() - 100 * DAY, TODAY() - 10 * DAY, TODAY() - DAY
    program.purge_due_since = TODAY()
    program.save()
    assert lead_client.post(edit_url(program), form_data(program, name="Fixed a typo")).status_code == 302
    program.refresh_from_db()
    assert program.name == "Fixed a typo" and program.purge_due_since == TODAY()


def test_moving_the_date_earlier_on_a_program_without_students_words_needs_no_confirmation(lead_client, team):
    program = team.program
    earlier = program.ends_on + 10 * DAY
    assert lead_client.post(edit_url(program), form_data(program, retention_until=earlier.isoformat())).status_code == 302
    program.refresh_from_db()
    assert program.retention_until == earlier


def test_without_an_answer_about_what_would_go_the_confirmation_is_asked_anyway(lead_client, team):
    from privacy.retention import answer_retention_preview

    assert retention_preview.disconnect(dispatch_uid="privacy.answer_retention_preview")
    try:
        earlier = team.program.ends_on + 10 * DAY
        page = lead_client.post(edit_url(team.program), form_data(team.program, retention_until=earlier.isoformat()))
        assert 'id="retention-confirmation"' in page.content.decode()
    finally:
        retention_preview.connect(answer_retention_preview, dispatch_uid="privacy.answer_retention_preview")
    team.program.refresh_from_db()
    assert team.program.retention_until is None


def test_every_edit_is_audited_with_the_names_of_the_fields_changed(lead_client, team):
    program = team.program
    old_threshold = program.suppression_threshold
    data = form_data(program, name="A new name", purpose="Listen to every voice.", suppression_threshold=12)
    assert lead_client.post(edit_url(program), data).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.CHANGE_PROGRAM)
    assert event.detail == {"change": "edited", "fields": ["name", "purpose", "suppression_threshold"],
                            "values": {"suppression_threshold": {"old": old_threshold, "new": 12}}}
    assert "Listen to every voice." not in str(event.detail) and "A new name" not in str(event.detail)
    # A save that changes nothing is an edit too.
    assert lead_client.post(edit_url(program), form_data(Program.objects.get(pk=program.pk))).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE_PROGRAM).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE_PROGRAM).order_by("-pk").first().detail["fields"] == []


def test_a_new_short_name_is_audited_with_its_old_value(lead_client, team):
    program = team.program
    assert lead_client.post(edit_url(program), form_data(program, slug="belonging-2027")).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.CHANGE_PROGRAM)
    assert event.program_slug == "belonging-2027"
    assert event.detail["values"]["slug"] == {"old": "belonging-pilot", "new": "belonging-2027"}


def test_creating_a_program_is_audited(client, db, settings):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    creator = UserFactory(username="maker")
    creator.user_permissions.add(Permission.objects.get(codename="add_program"))
    login(client, creator)
    data = {"name": "Math voices", "slug": "", "theme": "Math class", "purpose": "", "schools": [SchoolFactory().pk],
            "status": "planning", "suppression_threshold": 10, "starts_on": "2026-09-01", "ends_on": "2027-01-31",
            "retention_until": ""}
    assert client.post(reverse("program_create"), data).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.CHANGE_PROGRAM)
    assert event.actor == creator and event.program_slug == "math-voices" and event.detail["change"] == "created"
    assert {"name", "slug", "ends_on", "suppression_threshold"} <= set(event.detail["fields"])
    assert event.detail["values"]["ends_on"] == {"old": None, "new": "2027-01-31"}
