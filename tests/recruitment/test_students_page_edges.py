"""The Students page's rough edges: labels instead of internal keys, no gap before a sample, a
confirmation before a swap, a message on locking, messages that name students as the table does,
and a community-percentage form whose fields carry their own widths."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from participants.sampling import SamplingInfeasible
from recruitment.models import Invitation, SamplePlan
from recruitment.selection import build_sample
from recruitment.views import CONSENT_RECORDED, LOCKED, SWAPPED, UNLOCKED, _labelled
from tests.factories import SchoolFactory, StudentFactory
from tests.test_helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(team):
    schools = [SchoolFactory(name="North"), SchoolFactory(name="South")]
    team.program.schools.add(*schools)
    for i in range(40):
        StudentFactory(school=schools[i % 2], grade=9 + i % 4, race_ethnicity=["Asian"] if i % 3 else ["White"])
    SamplePlan.objects.create(program=team.program, size=10, criteria=["school", "grade", "race_ethnicity"],
                              min_per_school=1, min_per_group=0)
    return team


def page(client, team):
    return client.get(reverse("program_students", kwargs={"slug": team.program.slug})).content.decode()


def change(client, team, invitation, **data):
    url = reverse("invitation_change", kwargs={"slug": team.program.slug, "pk": invitation.pk})
    return client.post(url, data, follow=True).content.decode()


def test_no_largest_gap_is_shown_before_a_sample_exists(client, roster):
    login(client, roster.lead)
    html = page(client, roster)
    assert "largest gap: no sample yet" in html and "largest gap (points)" not in html
    build_sample(program=roster.program)
    assert "largest gap (points)" in page(client, roster)


def test_who_is_missing_names_criteria_by_label(client, roster):
    StudentFactory(school=roster.program.schools.first(), race_ethnicity=["Native Hawaiian or Pacific Islander"])
    build_sample(program=roster.program)
    login(client, roster.lead)
    html = page(client, roster)
    assert "(Race/ethnicity)" in html and "(race_ethnicity)" not in html


def test_the_samplers_refusals_name_criteria_by_label(roster):
    problems = ["The minimum of 2 from “Asian” (race_ethnicity) cannot be met: only 1 such students can be chosen.",
                "The minimums for race_ethnicity need 9 seats (3 categories) but the sample has 4."]
    assert _labelled(roster.program, problems) == [
        "The minimum of 2 from “Asian” (Race/ethnicity) cannot be met: only 1 such students can be chosen.",
        "The minimums for Race/ethnicity need 9 seats (3 categories) but the sample has 4."]


def test_locking_and_unlocking_say_so_by_name(client, roster):
    build_sample(program=roster.program)
    invitation = Invitation.objects.filter(program=roster.program).select_related("student").first()
    name = f"{invitation.student.first_name} {invitation.student.last_name}"
    login(client, roster.lead)
    assert LOCKED % {"name": name} in change(client, roster, invitation, action="lock")
    assert UNLOCKED % {"name": name} in change(client, roster, invitation, action="lock")


def test_swap_and_consent_messages_use_the_name_the_table_shows(client, roster):
    build_sample(program=roster.program)
    first, second = Invitation.objects.filter(program=roster.program).select_related("student")[:2]
    login(client, roster.lead)
    html = change(client, roster, first, action="consent", parent="granted", student="granted", method="Phone")
    assert CONSENT_RECORDED % {"name": f"{first.student.first_name} {first.student.last_name}"} in html
    assert f"Consent recorded for {first.student.pseudonym}" not in html
    html = change(client, roster, second, action="swap")
    assert SWAPPED % {"name": f"{second.student.first_name} {second.student.last_name}"} in html
    assert not Invitation.objects.filter(pk=second.pk).exists()


def test_swapping_asks_first_and_names_the_student(client, roster):
    build_sample(program=roster.program)
    invitation = Invitation.objects.filter(program=roster.program).select_related("student").order_by(
        "student__school__name", "student__last_name").first()
    name = f"{invitation.student.first_name} {invitation.student.last_name}"
    login(client, roster.lead)
    html = page(client, roster)
    confirm = re.search(r'<details class="d-inline-block swap-confirm.*?</details>', html, re.S).group(0)
    assert f'aria-label="Swap out {name}?"' in confirm
    assert f"Swap {name} out of the sample?" in confirm
    assert 'name="action" value="swap"' in confirm and f'type="submit">Yes, swap out {name}</button>' in confirm
    # every swap button sits inside its confirmation: one click on the page never swaps
    assert html.count('value="swap"') == html.count('<details class="d-inline-block swap-confirm') == 10


def test_the_community_form_fields_have_bootstrap_widgets_and_columns(client, roster):
    login(client, roster.lead)
    html = page(client, roster)
    form = re.search(r'<form[^>]*community-share-form.*?</form>', html, re.S).group(0)
    assert 'class="form-select form-select-sm"' in form and form.count('class="form-control form-control-sm"') == 2
    assert "pt-sm-4" not in form and "align-items-end" in form


def test_an_impossible_plan_shows_labels(client, roster, monkeypatch):
    def refuse(**_):
        raise SamplingInfeasible(["The minimums for race_ethnicity need 9 seats (3 categories) but the sample has 4."])

    monkeypatch.setattr("recruitment.views.build_sample", refuse)
    login(client, roster.lead)
    html = client.post(reverse("program_students", kwargs={"slug": roster.program.slug}),
                       {"size": 4, "criteria": ["school", "race_ethnicity"], "min_per_school": 1, "min_per_group": 0,
                        "seed": 1, "tolerance_points": 5}).content.decode()
    assert "The minimums for Race/ethnicity need 9 seats" in html


def test_consent_fields_are_labelled_with_the_name_the_table_shows(client, roster):
    build_sample(program=roster.program)
    invitation = Invitation.objects.filter(program=roster.program).select_related("student").first()
    login(client, roster.lead)
    html = page(client, roster)
    name = f"{invitation.student.first_name} {invitation.student.last_name}"
    assert f"Parent/guardian consent for {name}</label>" in html and f"Student assent for {name}</label>" in html
    assert f"consent for {invitation.student.pseudonym}" not in html
