from __future__ import annotations

import pytest
from django.urls import reverse

from analysis.agreement_rounds import NOT_FINISHED, SAME_CODER, RoundRefused, create_round, record_codes, results
from analysis.models import AgreementRound
from tests.test_helpers import login


@pytest.fixture
def round_(coded):
    return create_round(coded.team.program, coder_a=coded.team.analyst, coder_b=coded.team.lead, size=4, seed=1)


def test_a_round_samples_notes_reproducibly(coded, round_):
    again = create_round(coded.team.program, coder_a=coded.team.analyst, coder_b=coded.team.lead, size=4, seed=1)
    assert set(round_.notes.values_list("pk", flat=True)) == set(again.notes.values_list("pk", flat=True))
    with pytest.raises(RoundRefused, match=str(SAME_CODER)):
        create_round(coded.team.program, coder_a=coded.team.analyst, coder_b=coded.team.analyst, size=4)


def test_kappa_on_the_rounds_notes_matches_the_hand_computed_value(coded, round_):
    n1, n2, n3, n4 = round_.notes.order_by("created_at")
    noise, time = coded.codes["Noise"], coded.codes["Time"]
    record_codes(round_, coder=coded.team.analyst, finished=True,
                 note_codes={n1.pk: [noise], n2.pk: [noise, time], n3.pk: [], n4.pk: [time]})
    with pytest.raises(RoundRefused, match=str(NOT_FINISHED)):
        results(round_)
    record_codes(round_, coder=coded.team.lead, finished=True,
                 note_codes={n1.pk: [noise], n2.pk: [time], n3.pk: [noise], n4.pk: [time]})
    outcome = results(AgreementRound.objects.get(pk=round_.pk))
    by_code = {a.code: a for a in outcome.per_code}
    # Noise: both 1, only first 1, only second 1, neither 1 -> kappa 0; Time: perfect -> 1.
    assert by_code["Noise"].kappa == 0.0 and by_code["Time"].kappa == 1.0
    assert outcome.overall.kappa == 0.5 and outcome.overall.percent == 75.0
    assert {(d.unit, d.code) for d in outcome.disagreements} == {(n2.pk, "Noise"), (n3.pk, "Noise")}


def test_each_coder_sees_only_their_own_coding_until_both_are_done(client, coded, round_):
    note = round_.notes.first()
    record_codes(round_, coder=coded.team.lead, note_codes={note.pk: [coded.codes["Time"]]}, finished=True)
    login(client, coded.team.analyst)
    page = client.get(reverse("agreement_round", kwargs={"slug": coded.team.program.slug, "pk": round_.pk}))
    assert "Tick every code" in page.content.decode()
    mine = dict(page.context["notes"])
    assert mine[note] == set()  # the lead's "Time" is not shown to the analyst
    client.post(reverse("agreement_round", kwargs={"slug": coded.team.program.slug, "pk": round_.pk}),
                {f"codes-{note.pk}": [coded.codes["Time"].pk], "action": "finish"})
    done = client.get(reverse("agreement_round", kwargs={"slug": coded.team.program.slug, "pk": round_.pk})).content.decode()
    assert "Overall kappa" in done


def test_only_the_two_coders_code_a_round(client, coded, round_, team):
    from tests.factories import MembershipFactory, UserFactory

    third = UserFactory(username="third-analyst")
    MembershipFactory(program=coded.team.program, user=third, role="analyst")
    login(client, third)
    url = reverse("agreement_round", kwargs={"slug": coded.team.program.slug, "pk": round_.pk})
    assert client.post(url, {"action": "finish"}).status_code == 403
    assert "still working" in client.get(url).content.decode()


def test_starting_a_round_in_the_browser(client, coded):
    login(client, coded.team.analyst)
    url = reverse("agreement_rounds", kwargs={"slug": coded.team.program.slug})
    response = client.post(url, {"coder_a": coded.team.analyst.pk, "coder_b": coded.team.lead.pk, "size": 5})
    assert AgreementRound.objects.get().notes.count() == 5 and response.status_code == 302
    too_many = client.post(url, {"coder_a": coded.team.analyst.pk, "coder_b": coded.team.lead.pk, "size": 500}, follow=True)
    assert "not enough notes yet for a sample of 500" in too_many.content.decode()
