"""An action's page: who may change it, and how a bad date, status or person is refused with the typing kept."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse

from actions.forms import NOT_A_DATE
from actions.models import ActionStatus, Idea
from actions.plan import CHOOSE_A_STATUS, UPDATE_NEEDS_TEXT, action_from_idea
from actions.views import ACTION_CHANGES, ONLY_OWNER_OR_LEAD_UPDATES
from analysis.forms.base import NOT_ONE_OF_THE_CHOICES, UNKNOWN_CHANGE
from tests.test_helpers import login


@pytest.fixture
def item(team):
    return action_from_idea(Idea.objects.create(program=team.program, title="Quiet lunch"), owner=team.facilitator,
                            kind="project", due_on=dt.date(2026, 12, 20))


def post(client, team, item, data):
    return client.post(reverse("action_detail", kwargs={"slug": team.program.slug, "pk": item.pk}), data)


def text(response) -> str:
    return html.unescape(response.content.decode())


def unchanged(item) -> bool:
    before = (item.status, item.starts_on, item.due_on, item.measure)
    item.refresh_from_db()
    return (item.status, item.starts_on, item.due_on, item.measure) == before and not item.people.exists()


def test_the_page_makes_three_changes():
    assert set(ACTION_CHANGES) == {"status", "update", "details"}


@pytest.mark.parametrize("persona", ["analyst", "viewer"])
def test_someone_who_neither_owns_nor_leads_is_refused_with_the_reason(client, team, item, persona):
    login(client, getattr(team, persona))
    response = post(client, team, item, {"action": "status", "status": "done"})
    assert response.status_code == 403 and str(ONLY_OWNER_OR_LEAD_UPDATES) in text(response) and unchanged(item)


@pytest.mark.parametrize(("field", "label"), [("starts_on", "Start date"), ("due_on", "Due date")])
def test_a_bad_date_on_an_action_names_the_field_and_keeps_the_typed_values(client, team, item, field, label):
    login(client, team.facilitator)
    typed = {"action": "details", "starts_on": "2026-12-01", "due_on": "2026-12-24", "measure": "Fewer students eat alone",
             "people": [team.lead.pk]}
    typed[field] = "2026-02-30"
    response = post(client, team, item, typed)
    page = text(response)
    assert response.status_code == 400 and f"{label}: " + NOT_A_DATE % {"value": "2026-02-30"} in page
    assert f'name="{field}" value="2026-02-30"' in page and "Fewer students eat alone</textarea>" in page
    assert f'value="{team.lead.pk}" id="p-{team.lead.pk}" checked' in page
    assert unchanged(item)


def test_someone_outside_the_team_cannot_be_involved(client, team, item):
    login(client, team.facilitator)
    response = post(client, team, item, {"action": "details", "measure": "x", "people": [team.outsider.pk]})
    assert "Others involved: " + NOT_ONE_OF_THE_CHOICES % {"value": team.outsider.pk} in text(response)
    assert unchanged(item)


def test_a_status_not_in_the_list_is_refused(client, team, item):
    login(client, team.facilitator)
    response = post(client, team, item, {"action": "status", "status": "abandoned", "reason": "Too hard"})
    page = text(response)
    assert response.status_code == 400 and f"Status: {CHOOSE_A_STATUS}" in page and 'value="Too hard"' in page
    assert unchanged(item)


def test_dropping_without_a_reason_is_refused_and_the_chosen_status_stays_chosen(client, team, item):
    login(client, team.lead)
    page = text(post(client, team, item, {"action": "status", "status": "dropped", "reason": " "}))
    assert "Say why the action is dropped" in page and '<option value="dropped" selected>' in page
    assert unchanged(item)


def test_dropping_with_a_reason_keeps_it(client, team, item):
    login(client, team.lead)
    post(client, team, item, {"action": "status", "status": "dropped", "reason": "The room is taken."})
    item.refresh_from_db()
    assert (item.status, item.dropped_reason) == (ActionStatus.DROPPED, "The room is taken.")


def test_an_empty_update_is_refused(client, team, item):
    login(client, team.facilitator)
    response = post(client, team, item, {"action": "update", "text": "  "})
    assert response.status_code == 400 and f"Update: {UPDATE_NEEDS_TEXT}" in text(response)
    assert not item.updates.exists()


def test_a_change_the_page_does_not_make_is_refused(client, team, item):
    login(client, team.facilitator)
    response = post(client, team, item, {"action": "delete"})
    assert response.status_code == 400 and str(UNKNOWN_CHANGE) in text(response) and unchanged(item)


def test_board_filters_that_make_no_sense_are_left_out(client, team, item):
    login(client, team.viewer)
    url = reverse("actions", kwargs={"slug": team.program.slug})
    assert client.get(url, {"theme": "lunch", "owner": "-1", "kind": "party"}).context["items"] == [item]
    assert client.get(url, {"kind": "committee"}).context["items"] == []
    assert client.get(url, {"owner": team.facilitator.pk, "view": "list"}).context["view"] == "list"
