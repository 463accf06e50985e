"""Fixtures of the editable outputs' tests (tests/reports/test_pptx_deck.py, test_docx_report.py)."""

from __future__ import annotations

import pytest

from actions.models import Idea
from actions.plan import action_from_idea
from analysis.coding import apply_code
from analysis.models import Theme
from analysis.themes import add_quote, candidate_quotes
from tests.reports.editable import distinctive


@pytest.fixture
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editable(coded, _own_media):
    """The coded program's students renamed distinctively; "The cafeteria is loud" raised by 12 of 24 students
    (three quotes), "Buses come late" by 3 (fewer than 5: never a number); an action in the plan."""
    for index, student in enumerate(coded.students):
        student.first_name, student.last_name, student.local_id = distinctive(index)
        student.save(update_fields=["first_name", "last_name", "local_id"])
    for note in coded.notes[:12]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst, stance="challenge")
    for note in coded.notes[12:15]:
        apply_code(note=note, code=coded.codes["Time"], coder=coded.team.analyst)
    loud = Theme.objects.create(program=coded.team.program, name="The cafeteria is loud",
                                insight="Lunch is too loud to talk.", root_causes="One lunch period for everyone.")
    loud.codes.add(coded.codes["Noise"])
    for application in candidate_quotes(loud)[:3]:
        add_quote(loud, application=application)
    late = Theme.objects.create(program=coded.team.program, name="Buses come late", insight="Some miss breakfast.")
    late.codes.add(coded.codes["Time"])
    idea = Idea.objects.create(program=coded.team.program, title="Open a quiet lunch room")
    idea.themes.add(loud)
    action_from_idea(idea, owner=coded.team.lead, kind="project")
    return coded
