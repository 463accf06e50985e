"""The grace period: a program past its retention date is purged RETENTION_GRACE_DAYS after the first
night that finds it due; its leads are warned once by e-mail and on the dashboard meanwhile."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import DeletionRecord
from interviews.models import Note
from privacy import retention
from programs.models import Membership, Role
from tests.test_helpers import login

KEPT_UNTIL = dt.date(2025, 12, 31)
FIRST_NIGHT = dt.date(2026, 1, 1)


@pytest.fixture
def expired(coded, settings):
    settings.RETENTION_GRACE_DAYS = 14
    program = coded.team.program
    program.starts_on, program.ends_on, program.retention_until = dt.date(2025, 1, 6), dt.date(2025, 6, 30), KEPT_UNTIL
    program.save()
    return coded


def _words() -> int:
    return Note.objects.exclude(text="").count()


def test_the_first_night_past_the_date_marks_the_program_and_purges_nothing(expired):
    purged, failed = retention.purge_expired(FIRST_NIGHT)
    program = expired.team.program
    program.refresh_from_db()
    assert purged == [] and failed == []
    assert program.purge_due_since == FIRST_NIGHT and program.purged_at is None
    assert _words() == 24 and not DeletionRecord.objects.exists()
    assert program.purge_date(today=FIRST_NIGHT) == dt.date(2026, 1, 15)


def test_nothing_goes_inside_the_grace_period_and_everything_after_it(expired):
    retention.purge_expired(FIRST_NIGHT)
    purged, _ = retention.purge_expired(dt.date(2026, 1, 14))
    assert purged == [] and _words() == 24
    purged, _ = retention.purge_expired(dt.date(2026, 1, 15))
    assert [item.program for item in purged] == [expired.team.program] and _words() == 0
    deletion = DeletionRecord.objects.get()
    assert deletion.removed["due_since"] == "2026-01-01" and deletion.removed["retention_date"] == "2025-12-31"


def test_the_grace_period_counts_from_the_first_night_that_found_it_due(expired):
    # A server that was off for weeks still gives the leads their whole grace period.
    late = dt.date(2026, 3, 1)
    assert retention.purge_expired(late)[0] == [] and _words() == 24
    assert retention.purge_expired(late + dt.timedelta(days=13))[0] == []
    assert len(retention.purge_expired(late + dt.timedelta(days=14))[0]) == 1


def test_the_leads_are_warned_once_by_email(expired):
    team = expired.team
    second_lead = Membership.objects.create(program=team.program, user=team.outsider, role=Role.LEAD).user
    retention.purge_expired(FIRST_NIGHT)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([team.lead.email, second_lead.email])
    message = mail.outbox[0]
    assert "January 15, 2026" in message.subject and team.program.name in message.subject
    assert "24 notes with words" in message.body and "24 consent records" in message.body
    assert reverse("program_edit", args=[team.program.slug]) in message.body
    for student in expired.students:
        assert student.last_name not in message.body
    for night in (dt.date(2026, 1, 2), dt.date(2026, 1, 10)):
        retention.purge_expired(night)
    assert len(mail.outbox) == 2
    assert not {team.facilitator.email, team.analyst.email, team.viewer.email} & {m.to[0] for m in mail.outbox}


def test_a_failed_email_leaves_the_program_unmarked_so_the_next_night_tries_again(expired, monkeypatch):
    def broken_send_mail(**kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(retention, "send_mail", broken_send_mail)
    purged, failed = retention.purge_expired(FIRST_NIGHT)
    expired.team.program.refresh_from_db()
    assert purged == [] and [program.slug for program, _why in failed] == [expired.team.program.slug]
    assert expired.team.program.purge_due_since is None
    monkeypatch.undo()
    retention.purge_expired(dt.date(2026, 1, 2))
    expired.team.program.refresh_from_db()
    assert expired.team.program.purge_due_since == dt.date(2026, 1, 2) and len(mail.outbox) == 1


def test_moving_the_date_later_in_the_grace_period_cancels_the_purge(expired):
    retention.purge_expired(FIRST_NIGHT)
    program = expired.team.program
    program.refresh_from_db()
    program.retention_until = dt.date(2026, 6, 30)
    program.save()
    assert retention.purge_expired(dt.date(2026, 1, 20))[0] == []
    program.refresh_from_db()
    assert program.purge_due_since is None and _words() == 24
    # Past the new date it starts again from the beginning: a new mark, a new warning, a new grace period.
    mail.outbox.clear()
    assert retention.purge_expired(dt.date(2026, 7, 1))[0] == [] and len(mail.outbox) == 1
    program.refresh_from_db()
    assert program.purge_due_since == dt.date(2026, 7, 1)


def test_a_program_whose_date_moved_after_it_was_listed_is_not_purged(expired, settings):
    settings.RETENTION_GRACE_DAYS = 0
    program = expired.team.program
    retention.mark_due(FIRST_NIGHT)
    program.refresh_from_db()
    program.retention_until = dt.date(2026, 6, 30)
    program.save()
    assert retention.purge_program(program, today=FIRST_NIGHT) is None and _words() == 24


def test_dry_run_lists_programs_in_their_grace_period_with_their_purge_date(expired):
    retention.purge_expired(FIRST_NIGHT)
    out = io.StringIO()
    call_command("purge_expired", "--dry-run", "--today", "2026-01-05", stdout=out)
    text = out.getvalue()
    assert "Would purge belonging-pilot on 2026-01-15" in text and "grace period" in text
    assert "24 notes with words" in text and "(1 in their grace period)" in text
    assert _words() == 24
    out = io.StringIO()
    call_command("purge_expired", "--dry-run", "--today", "2026-01-15", stdout=out)
    assert "Would purge belonging-pilot now" in out.getvalue()


def test_dry_run_gives_a_program_not_yet_marked_the_whole_grace_period(expired):
    out = io.StringIO()
    call_command("purge_expired", "--dry-run", "--today", "2026-02-01", stdout=out)
    assert "Would purge belonging-pilot on 2026-02-15" in out.getvalue()
    expired.team.program.refresh_from_db()
    assert expired.team.program.purge_due_since is None and not mail.outbox


def test_the_command_says_which_programs_wait_in_their_grace_period(expired):
    out = io.StringIO()
    call_command("purge_expired", "--today", "2026-01-01", stdout=out)
    assert "0 program(s) purged." in out.getvalue()
    assert "belonging-pilot is past its retention date (2025-12-31); its student data goes on 2026-01-15" in out.getvalue()


def _dashboard(client, user, program) -> str:
    login(client, user)
    return client.get(reverse("program_dashboard", args=[program.slug])).content.decode()


def test_the_dashboard_warns_the_lead_with_the_date_and_a_link_to_the_settings(client, team, settings):
    settings.RETENTION_GRACE_DAYS = 14
    program = team.program
    today = timezone.localdate()
    program.starts_on, program.ends_on = today - dt.timedelta(days=200), today - dt.timedelta(days=100)
    program.retention_until = today - dt.timedelta(days=3)
    program.purge_due_since = today - dt.timedelta(days=2)
    program.save()
    page = _dashboard(client, team.lead, program)
    purge_on = today + dt.timedelta(days=12)
    assert 'id="purge-warning"' in page
    assert f"will be deleted on {purge_on:%b} {purge_on.day}, {purge_on.year}" in page
    assert reverse("program_edit", args=[program.slug]) in page
    # The team sees it too, without the link to a page only leads open.
    client.logout()
    page = _dashboard(client, team.facilitator, program)
    assert 'id="purge-warning"' in page and reverse("program_edit", args=[program.slug]) not in page


def test_the_dashboard_has_no_warning_before_the_date_or_after_the_purge(client, team):
    page = _dashboard(client, team.lead, team.program)
    assert 'id="purge-warning"' not in page
    team.program.starts_on, team.program.ends_on = dt.date(2024, 1, 1), dt.date(2024, 6, 1)
    team.program.retention_until, team.program.purged_at = dt.date(2024, 7, 1), timezone.now()
    team.program.save()
    assert 'id="purge-warning"' not in client.get(reverse("program_dashboard", args=[team.program.slug])).content.decode()
