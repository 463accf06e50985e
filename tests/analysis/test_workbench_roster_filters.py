"""The workbench filters by race/ethnicity and every other roster attribute the sampler balances on,
in the sampler's own categories; and with an empty codebook it says what to do instead of nothing."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from analysis.forms.coding import NO_CODES_YET
from analysis.models import Code
from analysis.workbench import WorkbenchFilters, attribute_choices, workbench_notes
from interviews.models import Note, NoteKind, NoteStep
from participants.models import Student
from tests.factories import StudentFactory, StudentGroupFactory
from tests.test_helpers import count_queries, login

pytestmark = pytest.mark.django_db


def url(coded, name):
    return reverse(name, kwargs={"slug": coded.team.program.slug})


@pytest.fixture
def varied(coded):
    """Four of the 24 students with distinct race/ethnicity, GPA, years, a group and a district criterion."""
    first, second, third, fourth = coded.students[:4]
    Student.objects.filter(pk=first.pk).update(race_ethnicity=["Black", "Hispanic or Latino"], gpa=Decimal("3.8"))
    Student.objects.filter(pk=second.pk).update(race_ethnicity=["Asian"], years_in_program=1,
                                                extra_attributes={"foster_care": True})
    Student.objects.filter(pk=third.pk).update(race_ethnicity=[], gpa=Decimal("1.5"))
    robotics = StudentGroupFactory(name="Robotics")
    fourth.groups.add(robotics)
    return coded


def pseudonyms(coded, query):
    page = workbench_notes(coded.team.program, WorkbenchFilters.from_query(query))
    return {note.student.pseudonym for note in page}


def test_race_ethnicity_matches_each_of_a_students_categories(varied):
    first, second = varied.students[:2]
    assert pseudonyms(varied, {"race_ethnicity": "Hispanic or Latino"}) == {first.pseudonym}
    assert pseudonyms(varied, {"race_ethnicity": "Black"}) == {first.pseudonym}
    assert pseudonyms(varied, {"race_ethnicity": "Asian"}) == {second.pseudonym}
    assert pseudonyms(varied, {"race_ethnicity": "Not recorded"}) == {varied.students[2].pseudonym}


def test_banded_grouped_and_district_criteria_filter_in_the_samplers_categories(varied):
    first, second, third, fourth = varied.students[:4]
    assert pseudonyms(varied, {"gpa_band": "3.5 and above"}) == {first.pseudonym}
    assert pseudonyms(varied, {"gpa_band": "Below 2.0"}) == {third.pseudonym}
    assert pseudonyms(varied, {"years_band": "New this year"}) == set()
    assert pseudonyms(varied, {"years_band": "1 year"}) == {second.pseudonym}
    assert pseudonyms(varied, {"group": "Robotics"}) == {fourth.pseudonym}
    assert pseudonyms(varied, {"extra:foster_care": "Yes"}) == {second.pseudonym}
    assert pseudonyms(varied, {"race_ethnicity": "Asian", "gpa_band": "Below 2.0"}) == set()


def test_an_unknown_parameter_filters_nothing(varied):
    assert len(pseudonyms(varied, {"first_name": "Firstname1", "race_ethnicity": ""})) == 24


def test_the_choices_are_the_categories_among_interviewed_students_with_labels(varied):
    choices = {criterion.label: categories for criterion, categories in attribute_choices(varied.team.program)}
    assert choices["Race/ethnicity"] == ["Asian", "Black", "Hispanic or Latino", "Not recorded", "White"]
    assert "Robotics" in choices["Student group"] and "3.5 and above" in choices["GPA"]
    assert choices["Foster care"] == ["Yes"]


def test_the_page_offers_the_filters_by_label_and_keeps_the_choice(client, varied):
    login(client, varied.team.analyst)
    response = client.get(url(varied, "workbench"), {"race_ethnicity": "Asian"})
    page = response.content.decode()
    assert response.context["page"].paginator.count == 1
    assert '>Race/ethnicity</label>' in page and '>race_ethnicity<' not in page
    assert '<option value="Asian" selected>Asian</option>' in page
    assert '>Years in program</label>' in page and '>Foster care</label>' in page


def test_filtering_by_an_attribute_keeps_a_constant_number_of_queries(client, varied):
    login(client, varied.team.analyst)
    small = count_queries(lambda: client.get(url(varied, "workbench"), {"race_ethnicity": "White"}))
    for _ in range(10):
        student = StudentFactory(school=varied.students[0].school, race_ethnicity=["White"])
        varied.session.participants.add(student)
        Note.objects.create(id=uuid.uuid4(), session=varied.session, step=NoteStep.QUESTION, student=student,
                            kind=NoteKind.STUDENT, text="It is loud.")
    assert count_queries(lambda: client.get(url(varied, "workbench"), {"race_ethnicity": "White"})) == small


def test_an_empty_codebook_says_what_to_do(client, coded):
    Code.objects.filter(program=coded.team.program).delete()
    login(client, coded.team.analyst)
    page = client.get(url(coded, "workbench")).content.decode()
    assert "The codebook has no codes yet, so there is nothing to code with." in page
    assert reverse("codebook", kwargs={"slug": coded.team.program.slug}) in page
    fragment = client.post(url(coded, "code_note"), {"note": coded.notes[0].pk, "code": ""},
                           headers={"HX-Request": "true"}).content.decode()
    assert str(NO_CODES_YET) in fragment
    followed = client.post(url(coded, "code_note"), {"note": coded.notes[0].pk, "code": ""}, follow=True)
    assert str(NO_CODES_YET) in followed.content.decode()


def test_with_codes_a_missing_code_keeps_the_plain_message(client, coded):
    login(client, coded.team.analyst)
    fragment = client.post(url(coded, "code_note"), {"note": coded.notes[0].pk, "code": ""},
                           headers={"HX-Request": "true"}).content.decode()
    assert str(NO_CODES_YET) not in fragment and "Code:" in fragment
