"""The agreement pages: starting a round and coding its notes, with their refusals."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from analysis.agreement_rounds import NOT_A_CODER, create_round, round_coders
from analysis.forms.agreement import SAMPLE_SIZE_NEEDED
from analysis.forms.base import NOT_ONE_OF_THE_CHOICES
from analysis.models import AgreementCoding, AgreementRound
from tests.test_helpers import login


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def rounds_url(client, coded):
    login(client, coded.team.analyst)
    return reverse("agreement_rounds", kwargs={"slug": coded.team.program.slug})


def test_a_sample_size_that_is_not_a_number_is_refused_and_keeps_what_was_typed(client, coded, rounds_url):
    response = client.post(rounds_url, {"coder_a": coded.team.analyst.pk, "coder_b": coded.team.lead.pk, "size": "lots"})
    page = text(response)
    assert response.status_code == 400 and f"Notes in the sample: {SAMPLE_SIZE_NEEDED}" in page
    assert 'name="size" type="number" min="1" value="lots"' in page
    assert f'<option value="{coded.team.lead.pk}" selected>' in page
    assert not AgreementRound.objects.exists()


@pytest.mark.parametrize("size", ["0", "-3"])
def test_a_sample_of_no_notes_is_refused(client, coded, rounds_url, size):
    response = client.post(rounds_url, {"coder_a": coded.team.analyst.pk, "coder_b": coded.team.lead.pk, "size": size})
    assert f"Notes in the sample: {SAMPLE_SIZE_NEEDED}" in text(response) and not AgreementRound.objects.exists()


def test_a_coder_who_does_not_code_in_this_program_is_refused(client, coded, rounds_url):
    for person in (coded.team.facilitator, coded.team.outsider):
        response = client.post(rounds_url, {"coder_a": coded.team.analyst.pk, "coder_b": person.pk, "size": 4})
        assert "Second coder: " + NOT_ONE_OF_THE_CHOICES % {"value": person.pk} in text(response)
    assert not AgreementRound.objects.exists()


def test_the_coders_of_a_round_are_the_programs_analysts_and_leads(coded):
    assert set(round_coders(coded.team.program)) == {coded.team.analyst, coded.team.lead}


@pytest.fixture
def round_(coded):
    return create_round(coded.team.program, coder_a=coded.team.analyst, coder_b=coded.team.lead, size=3, seed=2)


def test_someone_who_is_not_a_coder_of_the_round_is_refused_with_the_reason(client, coded, round_):
    from tests.factories import MembershipFactory, UserFactory

    third = UserFactory(username="third-analyst")
    MembershipFactory(program=coded.team.program, user=third, role="analyst")
    login(client, third)
    response = client.post(reverse("agreement_round", kwargs={"slug": coded.team.program.slug, "pk": round_.pk}),
                           {"action": "finish"})
    assert response.status_code == 403 and str(NOT_A_CODER) in text(response)
    assert not AgreementCoding.objects.exists()


def test_a_code_that_is_not_this_programs_is_refused_and_the_ticks_stay(client, coded, round_):
    first, second = list(round_.notes.order_by("created_at"))[:2]
    login(client, coded.team.analyst)
    url = reverse("agreement_round", kwargs={"slug": coded.team.program.slug, "pk": round_.pk})
    response = client.post(url, {f"codes-{first.pk}": [coded.codes["Noise"].pk], f"codes-{second.pk}": ["99999"],
                                 "action": "finish"})
    page = text(response)
    assert response.status_code == 400 and f"Codes for the note of {second.student.pseudonym}: " in page
    assert f'value="{coded.codes["Noise"].pk}" id="c-{first.pk}-{coded.codes["Noise"].pk}" checked' in page
    assert not AgreementCoding.objects.exists()
    round_.refresh_from_db()
    assert round_.a_done_at is None


def test_saving_without_finishing_keeps_the_round_open(client, coded, round_):
    note = round_.notes.first()
    login(client, coded.team.analyst)
    url = reverse("agreement_round", kwargs={"slug": coded.team.program.slug, "pk": round_.pk})
    response = client.post(url, {f"codes-{note.pk}": [coded.codes["Time"].pk], "action": "save"}, follow=True)
    assert "Your coding is saved." in text(response)
    round_.refresh_from_db()
    assert round_.a_done_at is None and AgreementCoding.objects.get(note=note).codes.get() == coded.codes["Time"]
