from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction

from actions.models import ActionItem, ActionStatus, Idea, IdeaComment
from actions.plan import (
    DROP_NEEDS_REASON,
    ActionRefused,
    action_from_idea,
    add_update,
    change_status,
    merge_ideas,
    send_digests,
    themes_without_action,
    toggle_vote,
)
from analysis.models import Theme

TODAY = dt.date(2026, 11, 25)  # a Wednesday


@pytest.fixture
def plan(team):
    program = team.program
    lunch = Theme.objects.create(program=program, name="Lunch is loud")
    adults = Theme.objects.create(program=program, name="Adults who notice")
    idea = Idea.objects.create(program=program, title="Quiet lunch room", author=team.lead)
    idea.themes.add(lunch)
    return team, lunch, adults, idea


def test_one_vote_per_person_toggles(plan):
    team, _, _, idea = plan
    assert toggle_vote(idea, team.viewer) is True
    assert toggle_vote(idea, team.viewer) is False
    toggle_vote(idea, team.viewer)
    toggle_vote(idea, team.analyst)
    assert idea.votes.count() == 2


def test_merging_ideas_moves_themes_votes_and_comments(plan):
    team, lunch, adults, idea = plan
    other = Idea.objects.create(program=team.program, title="Lunch in the library")
    other.themes.add(adults)
    toggle_vote(other, team.viewer)
    toggle_vote(idea, team.viewer)
    IdeaComment.objects.create(idea=other, author=team.viewer, text="Yes!")
    merge_ideas(source=other, target=idea)
    assert set(idea.themes.all()) == {lunch, adults} and idea.votes.count() == 1
    assert idea.comments.get().text == "Yes!" and Idea.objects.get(pk=other.pk).merged_into == idea


def test_an_idea_becomes_an_action_linked_to_its_themes(plan):
    team, lunch, adults, idea = plan
    item = action_from_idea(idea, owner=team.lead, kind="project", due_on=TODAY)
    assert item.title == "Quiet lunch room" and list(item.themes.all()) == [lunch]
    assert themes_without_action(team.program) == [adults]


def test_an_unknown_kind_or_status_is_refused(plan):
    team, _, _, idea = plan
    with pytest.raises(ActionRefused, match="project, an activity or a committee"):
        action_from_idea(idea, owner=team.lead, kind="party")
    item = action_from_idea(idea, owner=team.lead, kind="committee")
    with pytest.raises(ActionRefused, match="status from the list"):
        change_status(item, status="finished-ish")
    item.refresh_from_db()
    assert item.status == ActionStatus.PROPOSED


def test_dropping_needs_a_reason_which_the_database_also_enforces(plan):
    team, _, _, idea = plan
    item = action_from_idea(idea, owner=team.lead, kind="project")
    with pytest.raises(ActionRefused, match=DROP_NEEDS_REASON.split(";")[0]):
        change_status(item, status=ActionStatus.DROPPED)
    change_status(item, status=ActionStatus.DROPPED, reason="Funding moved to tutoring.")
    assert item.dropped_reason == "Funding moved to tutoring."
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.filter(pk=item.pk).update(dropped_reason="")
    assert themes_without_action(team.program)  # a dropped action answers nothing


def test_progress_updates_are_dated_and_need_text(plan):
    team, _, _, idea = plan
    item = action_from_idea(idea, owner=team.lead, kind="activity")
    add_update(item, author=team.lead, text="Room 12 booked for Fridays.")
    assert item.updates.get().created_at is not None
    with pytest.raises(ActionRefused):
        add_update(item, author=team.lead, text=" ")


def test_the_digest_goes_to_each_owner_once_a_week_with_due_and_overdue_actions(plan):
    team, _, _, idea = plan
    team.lead.email = "lead@school.org"
    team.lead.save()
    action_from_idea(idea, owner=team.lead, kind="project", due_on=TODAY + dt.timedelta(days=10), title="Due soon")
    action_from_idea(idea, owner=team.lead, kind="project", due_on=TODAY - dt.timedelta(days=3), title="Overdue")
    action_from_idea(idea, owner=team.lead, kind="project", due_on=TODAY + dt.timedelta(days=40), title="Later")
    done = action_from_idea(idea, owner=team.lead, kind="project", due_on=TODAY, title="Finished")
    change_status(done, status=ActionStatus.DONE)
    first = send_digests(TODAY)
    assert (first.sent, len(mail.outbox)) == (1, 1)
    body = mail.outbox[0].body
    assert "Due soon" in body and "Overdue" in body and "overdue" in body
    assert "Later" not in body and "Finished" not in body
    again = send_digests(TODAY + dt.timedelta(days=2))  # the schedule fires twice in one week
    assert (again.sent, again.skipped_already_sent, len(mail.outbox)) == (0, 1, 1)
    send_digests(TODAY + dt.timedelta(days=7))
    assert len(mail.outbox) == 2


def test_the_digest_command_says_what_it_did(plan, capsys):
    team, _, _, idea = plan
    action_from_idea(idea, owner=team.lead, kind="project", due_on=TODAY)
    call_command("send_action_digest", "--date", "2026-11-25")
    assert "Digests sent: 1" in capsys.readouterr().out
