"""The patterns page's heatmap layout, and the programs the compare page offers."""

from __future__ import annotations

from django.urls import reverse

from analysis.coding import apply_code
from analysis.patterns import heatmap, program_patterns
from analysis.themes import create_theme
from programs.models import Membership, Role
from tests.factories import ProgramFactory
from tests.test_helpers import login


def test_the_heatmap_has_one_column_per_group_and_one_row_per_theme(coded):
    for note in coded.notes[:12]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst)
    loud = create_theme(program=coded.team.program, name="Loud", codes=[coded.codes["Noise"]])
    quiet = create_theme(program=coded.team.program, name="Quiet")
    columns, rows = heatmap(program_patterns(coded.team.program), [loud, quiet], criteria=("grade", "english_learner"))
    assert columns == [("", "Grade 9"), ("", "Grade 10"), ("English learner", "No"), ("English learner", "Yes")]
    assert [theme for theme, _ in rows] == [loud, quiet]
    cells = dict(zip(columns, rows[0][1], strict=True))
    assert cells[("English learner", "Yes")].raised.display == "fewer than 5"


def test_the_compare_page_offers_only_programs_whose_findings_you_read_there(client, coded):
    read = ProgramFactory(slug="spring-read", name="Spring where I read")
    run = ProgramFactory(slug="spring-run", name="Spring where I facilitate")
    Membership.objects.create(program=read, user=coded.team.analyst, role=Role.VIEWER)
    Membership.objects.create(program=run, user=coded.team.analyst, role=Role.FACILITATOR)
    login(client, coded.team.analyst)
    response = client.get(reverse("compare", kwargs={"slug": coded.team.program.slug}), {"with": "spring-run"})
    assert response.context["others"] == [read] and response.context["other"] is None
