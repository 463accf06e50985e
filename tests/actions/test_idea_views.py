"""The ideas board's changes: who may make each, and how bad input is refused with what was typed kept."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from actions.forms import CHOOSE_AN_OWNER, NOT_A_DATE
from actions.models import ActionItem, Idea, IdeaComment
from actions.plan import COMMENT_NEEDS_TEXT, IDEA_NEEDS_TITLE, SAME_IDEA, ActionRefused, add_idea, comment_on_idea
from actions.views import IDEA_CHANGES, ONLY_A_LEAD_MAKES_ACTIONS, ONLY_A_LEAD_MERGES
from analysis.forms.base import NOT_ONE_OF_THE_CHOICES, UNKNOWN_CHANGE
from analysis.models import Theme
from tests.factories import ProgramFactory
from tests.test_helpers import login


@pytest.fixture
def board(team):
    theme = Theme.objects.create(program=team.program, name="Lunch is loud")
    first = add_idea(program=team.program, author=team.lead, title="Quiet lunch room", themes=[theme])
    second = add_idea(program=team.program, author=team.viewer, title="Library at lunch")
    return team, theme, first, second


def post(client, team, data):
    return client.post(reverse("ideas", kwargs={"slug": team.program.slug}), data)


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_board_makes_five_changes():
    assert set(IDEA_CHANGES) == {"add", "vote", "comment", "merge", "to_action"}


@pytest.mark.parametrize("persona", ["facilitator", "analyst", "viewer"])
def test_only_a_lead_may_merge_ideas(client, board, persona):
    team, _, first, second = board
    login(client, getattr(team, persona))
    response = post(client, team, {"action": "merge", "idea": first.pk, "target": second.pk})
    assert response.status_code == 403 and str(ONLY_A_LEAD_MERGES) in text(response)
    first.refresh_from_db()
    assert first.merged_into is None


def test_a_lead_merges_one_idea_into_another(client, board):
    team, theme, first, second = board
    login(client, team.lead)
    assert post(client, team, {"action": "merge", "idea": first.pk, "target": second.pk}).status_code == 302
    first.refresh_from_db()
    assert first.merged_into == second and list(second.themes.all()) == [theme]


def test_merging_an_idea_into_itself_is_refused(client, board):
    team, _, first, _ = board
    login(client, team.lead)
    response = post(client, team, {"action": "merge", "idea": first.pk, "target": first.pk})
    assert response.status_code == 400 and str(SAME_IDEA) in text(response)


@pytest.mark.parametrize("persona", ["facilitator", "analyst", "viewer"])
def test_only_a_lead_may_turn_an_idea_into_an_action(client, board, persona):
    team, _, first, _ = board
    login(client, getattr(team, persona))
    response = post(client, team, {"action": "to_action", "idea": first.pk, "owner": team.lead.pk})
    assert response.status_code == 403 and str(ONLY_A_LEAD_MAKES_ACTIONS) in text(response)
    assert not ActionItem.objects.exists()


def test_a_bad_due_date_names_the_field_and_keeps_the_typed_values(client, board):
    team, _, first, _ = board
    login(client, team.lead)
    response = post(client, team, {"action": "to_action", "idea": first.pk, "owner": team.facilitator.pk,
                                   "kind": "committee", "due_on": "2026-12-45"})
    page = text(response)
    assert response.status_code == 400 and "Due date: " + NOT_A_DATE % {"value": "2026-12-45"} in page
    assert f'id="due-{first.pk}" name="due_on" value="2026-12-45"' in page
    assert f'<option value="{team.facilitator.pk}" selected>' in page and '<option value="committee" selected>' in page
    assert not ActionItem.objects.exists()


def test_an_owner_from_outside_the_team_is_refused(client, board):
    team, _, first, _ = board
    login(client, team.lead)
    response = post(client, team, {"action": "to_action", "idea": first.pk, "owner": team.outsider.pk})
    assert f"Owner: {CHOOSE_AN_OWNER}" in text(response) and not ActionItem.objects.exists()


def test_an_action_without_a_kind_is_a_project(client, board):
    team, _, first, _ = board
    login(client, team.lead)
    post(client, team, {"action": "to_action", "idea": first.pk, "owner": team.lead.pk})
    assert ActionItem.objects.get().kind == "project"


def test_an_idea_answering_another_programs_theme_is_refused_and_keeps_its_title(client, board):
    team, *_ = board
    foreign = Theme.objects.create(program=ProgramFactory(slug="other-program"), name="Elsewhere")
    login(client, team.viewer)
    response = post(client, team, {"action": "add", "title": "Quiet corners", "group": "Spaces", "themes": [foreign.pk]})
    page = text(response)
    assert response.status_code == 400 and "Themes it answers: " + NOT_ONE_OF_THE_CHOICES % {"value": foreign.pk} in page
    assert 'name="title" required value="Quiet corners"' in page and 'value="Spaces"' in page
    assert not Idea.objects.filter(title="Quiet corners").exists()


def test_an_empty_comment_is_refused_and_a_long_one_names_the_limit(client, board):
    team, _, first, _ = board
    login(client, team.viewer)
    assert f"Comment: {COMMENT_NEEDS_TEXT}" in text(post(client, team, {"action": "comment", "idea": first.pk, "text": " "}))
    response = post(client, team, {"action": "comment", "idea": first.pk, "text": "a" * 1001})
    assert "Comment: Ensure this value has at most 1000 characters" in text(response)
    assert 'value="' + "a" * 1001 + '"' in text(response)
    assert not IdeaComment.objects.exists()


@pytest.mark.parametrize("action", ["vote", "comment"])
def test_an_idea_of_another_program_is_refused(client, board, action):
    team, *_ = board
    foreign = Idea.objects.create(program=ProgramFactory(slug="other-program"), title="Theirs")
    login(client, team.viewer)
    response = post(client, team, {"action": action, "idea": foreign.pk, "text": "Mine now"})
    assert "Idea: " + NOT_ONE_OF_THE_CHOICES % {"value": foreign.pk} in text(response)
    assert not foreign.votes.exists() and not foreign.comments.exists()


def test_a_change_the_board_does_not_make_is_refused(client, board):
    team, *_ = board
    login(client, team.lead)
    response = post(client, team, {"action": "delete"})
    assert response.status_code == 400 and str(UNKNOWN_CHANGE) in text(response)


def test_add_idea_keeps_only_this_programs_themes(board):
    team, theme, *_ = board
    foreign = Theme.objects.create(program=ProgramFactory(slug="other-program"), name="Elsewhere")
    idea = add_idea(program=team.program, author=team.viewer, title=" Clubs ", group=" Lunch ", themes=[theme, foreign])
    assert (idea.title, idea.group, list(idea.themes.all())) == ("Clubs", "Lunch", [theme])
    with pytest.raises(ActionRefused, match=str(IDEA_NEEDS_TITLE)):
        add_idea(program=team.program, author=team.viewer, title=" ")


def test_comment_on_idea_trims_and_refuses_nothing_to_say(board):
    team, _, first, _ = board
    assert comment_on_idea(idea=first, author=team.viewer, text="  Yes!  ").text == "Yes!"
    with pytest.raises(ActionRefused, match=str(COMMENT_NEEDS_TEXT)):
        comment_on_idea(idea=first, author=team.viewer, text="")
