from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions.models import ActionItem, ActionStatus, Idea
from actions.plan import action_from_idea
from analysis.models import Theme
from audit.models import AuditAction, AuditEvent
from tests.test_helpers import count_queries, login


@pytest.fixture
def board(team):
    theme = Theme.objects.create(program=team.program, name="Lunch is loud")
    Theme.objects.create(program=team.program, name="Adults who notice")
    return team, theme


def url(team, name, **kwargs):
    return reverse(name, kwargs={"slug": team.program.slug, **kwargs})


def test_a_member_adds_an_idea_supports_and_comments(client, board):
    team, theme = board
    login(client, team.viewer)
    client.post(url(team, "ideas"), {"action": "add", "title": "Quiet lunch room", "themes": [theme.pk]})
    idea = Idea.objects.get()
    client.post(url(team, "ideas"), {"action": "vote", "idea": idea.pk})
    client.post(url(team, "ideas"), {"action": "comment", "idea": idea.pk, "text": "Library at lunch?"})
    assert idea.votes.count() == 1 and idea.comments.get().text == "Library at lunch?"
    assert list(idea.themes.all()) == [theme]


def test_an_idea_without_a_title_is_explained(client, board):
    team, _ = board
    login(client, team.viewer)
    response = client.post(url(team, "ideas"), {"action": "add", "title": " "}, follow=True)
    assert "Give the idea a short title." in response.content.decode() and not Idea.objects.exists()


def test_only_a_lead_turns_an_idea_into_an_action(client, board):
    team, theme = board
    idea = Idea.objects.create(program=team.program, title="Quiet lunch room")
    idea.themes.add(theme)
    login(client, team.viewer)
    assert client.post(url(team, "ideas"), {"action": "to_action", "idea": idea.pk, "owner": team.lead.pk}).status_code == 403
    login(client, team.lead)
    client.post(url(team, "ideas"), {"action": "to_action", "idea": idea.pk, "owner": team.facilitator.pk,
                                     "kind": "committee", "due_on": "2026-12-15"})
    item = ActionItem.objects.get()
    assert (item.owner, item.kind, str(item.due_on)) == (team.facilitator, "committee", "2026-12-15")


def test_the_owner_updates_and_drops_with_a_reason_others_cannot(client, board):
    team, theme = board
    item = action_from_idea(Idea.objects.create(program=team.program, title="Quiet lunch"), owner=team.facilitator,
                            kind="project")
    login(client, team.viewer)
    assert client.post(url(team, "action_detail", pk=item.pk), {"action": "update", "text": "x"}).status_code == 403
    login(client, team.facilitator)
    client.post(url(team, "action_detail", pk=item.pk), {"action": "update", "text": "Booked room 12."})
    page = client.post(url(team, "action_detail", pk=item.pk), {"action": "status", "status": "dropped"}, follow=True)
    assert "Say why the action is dropped" in page.content.decode()
    client.post(url(team, "action_detail", pk=item.pk), {"action": "status", "status": "in_progress"})
    item.refresh_from_db()
    assert item.status == ActionStatus.IN_PROGRESS and item.updates.get().text == "Booked room 12."


def test_the_board_flags_themes_without_action_and_filters(client, board):
    team, theme = board
    item = action_from_idea(Idea.objects.create(program=team.program, title="Quiet lunch"), owner=team.lead, kind="project")
    item.themes.add(theme)
    login(client, team.analyst)
    page = client.get(url(team, "actions")).content.decode()
    assert "Themes with no action yet:</strong> Adults who notice." in page
    by_owner = client.get(url(team, "actions"), {"owner": team.viewer.pk, "view": "list"}).context["items"]
    assert by_owner == []


def test_the_dashboard_names_themes_with_no_action(client, board):
    team, theme = board
    action_from_idea(Idea.objects.create(program=team.program, title="Quiet lunch"), owner=team.lead, kind="project").themes.add(theme)
    login(client, team.lead)
    page = client.get(reverse("program_dashboard", kwargs={"slug": team.program.slug})).content.decode()
    assert "Themes with no action: Adults who notice." in page


def test_actions_export_as_csv_and_are_audited(client, board):
    team, theme = board
    action_from_idea(Idea.objects.create(program=team.program, title="Quiet lunch"), owner=team.lead, kind="project")
    login(client, team.viewer)
    body = client.get(url(team, "actions_csv")).content.decode()
    assert body.splitlines()[0].startswith("title,kind,themes,owner") and "Quiet lunch" in body
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__export="action items (csv)").exists()


def test_outsiders_get_404(client, board, team):
    login(client, team.outsider)
    assert client.get(url(team, "actions")).status_code == 404


def test_the_board_keeps_a_constant_number_of_queries(client, board):
    team, theme = board
    login(client, team.lead)
    make = lambda n: [action_from_idea(Idea.objects.create(program=team.program, title=f"Idea {i}"), owner=team.lead,  # noqa: E731
                                       kind="project").themes.add(theme) for i in range(n)]
    make(2)
    small = count_queries(lambda: client.get(url(team, "actions")))
    make(10)
    assert count_queries(lambda: client.get(url(team, "actions"))) == small
    small_ideas = count_queries(lambda: client.get(url(team, "ideas")))
    Idea.objects.create(program=team.program, title="More")
    assert count_queries(lambda: client.get(url(team, "ideas"))) == small_ideas


def test_each_theme_shows_the_actions_that_answer_it(client, board):
    team, theme = board
    item = action_from_idea(Idea.objects.create(program=team.program, title="Quiet lunch room"), owner=team.lead, kind="project")
    item.themes.add(theme)
    login(client, team.viewer)
    page = client.get(reverse("theme_detail", kwargs={"slug": team.program.slug, "pk": theme.pk})).content.decode()
    assert "Quiet lunch room" in page
    other = Theme.objects.get(name="Adults who notice")
    assert "No action yet." in client.get(reverse("theme_detail", kwargs={"slug": team.program.slug, "pk": other.pk})).content.decode()


def test_details_refuse_a_due_date_before_the_start_and_keep_what_was_typed(client, board):
    team, _ = board
    item = action_from_idea(Idea.objects.create(program=team.program, title="Quiet lunch"), owner=team.facilitator,
                            kind="project", due_on=dt.date(2026, 12, 20))
    login(client, team.facilitator)
    response = client.post(url(team, "action_detail", pk=item.pk), {
        "action": "details", "starts_on": "2026-12-10", "due_on": "2026-12-01", "measure": "Fewer students eat alone",
        "people": [team.lead.pk]})
    page = response.content.decode()
    assert response.status_code == 400 and "The due date is before the start date." in page
    assert 'value="2026-12-10"' in page and "Fewer students eat alone" in page
    assert f'value="{team.lead.pk}" id="p-{team.lead.pk}" checked' in page
    item.refresh_from_db()
    assert item.starts_on is None and item.due_on == dt.date(2026, 12, 20) and item.measure == ""
    client.post(url(team, "action_detail", pk=item.pk), {"action": "details", "starts_on": "", "due_on": "",
                                                         "measure": "Fewer students eat alone"})
    item.refresh_from_db()
    assert item.due_on is None and item.measure == "Fewer students eat alone"  # dates can be cleared


def test_the_database_refuses_an_action_due_before_it_starts(board):
    team, _ = board
    item = action_from_idea(Idea.objects.create(program=team.program, title="Quiet lunch"), owner=team.lead, kind="project")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.filter(pk=item.pk).update(starts_on=dt.date(2026, 12, 10), due_on=dt.date(2026, 12, 1))
