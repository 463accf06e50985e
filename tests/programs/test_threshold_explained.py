"""The suppression threshold is explained where it is set (the program form) and where it hides cells
(the patterns page), and the explanation says what a lower threshold would show in general terms only."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from analysis.coding import apply_code
from analysis.themes import create_theme
from programs.forms import ProgramForm
from tests.test_helpers import login


def test_the_program_form_explains_the_threshold_beside_the_field(team):
    help_text = str(ProgramForm(instance=team.program).fields["suppression_threshold"].help_text)
    assert f"{settings.SUPPRESSION_THRESHOLD_DEFAULT}, the most common state rule" in help_text
    assert f"down to {settings.SUPPRESSION_THRESHOLD_MIN}" in help_text


def test_a_new_program_defaults_to_the_documented_threshold(team):
    from programs.models import Program

    assert Program._meta.get_field("suppression_threshold").default == settings.SUPPRESSION_THRESHOLD_DEFAULT == 10


def _patterns_page(client, coded, user, threshold):
    program = coded.team.program
    program.suppression_threshold = threshold
    program.save(update_fields=["suppression_threshold"])
    for note in coded.notes[:7]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst)
    create_theme(program=program, name="Loud", codes=[coded.codes["Noise"]])
    login(client, user)
    return client.get(reverse("patterns", kwargs={"slug": program.slug})).content.decode()


def test_the_patterns_page_says_why_cells_are_hidden_and_what_the_lowest_threshold_would_show(client, coded):
    page = _patterns_page(client, coded, coded.team.lead, 8)
    assert "Why some cells are hidden" in page
    assert "a count of fewer than 8 students is shown as “fewer than 8”" in page
    assert "With a threshold of 5, the district's lowest, groups of 5 or more students would show" in page
    assert reverse("program_edit", kwargs={"slug": coded.team.program.slug}) in page


def test_a_viewer_is_told_only_a_lead_can_change_it(client, coded):
    page = _patterns_page(client, coded, coded.team.analyst, 8)
    assert "Only a program lead can change it." in page
    assert reverse("program_edit", kwargs={"slug": coded.team.program.slug}) not in page


def test_at_the_minimum_the_page_says_it_cannot_go_lower(client, coded):
    page = _patterns_page(client, coded, coded.team.lead, settings.SUPPRESSION_THRESHOLD_MIN)
    assert "already the district's lowest, 5" in page
    assert "would show" not in page
