"""The coding assistant on its pages: proposals on the workbench, decisions on them, its kappa on Agreement."""

from __future__ import annotations

import html
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analysis.forms.assistant import PROPOSAL_GONE
from analysis.models import CodeApplication, CodeProposal, Provenance
from interviews.models import Note, NoteKind, NoteStep
from tests.analysis import assistant_data
from tests.analysis.assistant_data import ready
from tests.test_helpers import login

taught = assistant_data.taught  # the fixture
HTMX = {"HX-Request": "true"}


def url(coded, name):
    return reverse(name, kwargs={"slug": coded.team.program.slug})


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def analyst(client, taught):
    ready(taught)
    login(client, taught.team.analyst)
    return taught


def proposal_of(coded, note, code_name) -> CodeProposal:
    return CodeProposal.objects.get(note=note, code=coded.codes[code_name])


def test_the_workbench_shows_proposals_beside_notes_with_their_confidence(client, analyst):
    page = text(client.get(url(analyst, "workbench")))
    proposal = proposal_of(analyst, analyst.uncoded[0], "Noise")
    assert f'data-proposal="{proposal.pk}"' in page
    assert f"Assistant: <strong>Noise</strong> ({round(proposal.confidence * 100)}% sure)" in page
    assert "Accept Noise" in page and "Reject Noise" in page
    assert "Coding assistant:" in page and "ready." in page and "It learned from 24 notes" in page
    assert "Too few coded notes yet (it needs 8): " in page and "Belonging (0)" in page and "Safety (0)" in page


def test_the_status_says_what_it_needs_before_it_has_learned_anything(client, taught):
    CodeApplication.objects.all().delete()
    ready(taught)
    login(client, taught.team.analyst)
    page = text(client.get(url(taught, "workbench")))
    assert "It proposes a code once people have coded 8 notes with it." in page
    assert "assistant-proposal " not in page


def test_accepting_with_htmx_codes_the_note_and_returns_its_codings(client, analyst):
    note = analyst.uncoded[0]
    proposal = proposal_of(analyst, note, "Noise")
    response = client.post(url(analyst, "proposal_decide"), {"note": note.pk, "proposal": proposal.pk,
                                                             "decision": "accept"}, headers=HTMX)
    fragment = text(response)
    assert response.status_code == 200 and "<html" not in fragment and f'id="codings-{note.pk}"' in fragment
    application = CodeApplication.objects.get(note=note, code=analyst.codes["Noise"])
    assert (application.coder, application.provenance) == (analyst.team.analyst, Provenance.SUGGESTED)
    assert 'class="fw-semibold">Noise</span>' in fragment and f'data-proposal="{proposal.pk}"' not in fragment


def test_rejecting_without_htmx_marks_it_and_says_so(client, analyst):
    note = analyst.uncoded[2]
    proposal = proposal_of(analyst, note, "Time")
    response = client.post(url(analyst, "proposal_decide"), {"note": note.pk, "proposal": proposal.pk,
                                                             "decision": "reject"}, follow=True)
    assert "Rejected “Time”: the assistant will learn from it." in text(response)
    proposal.refresh_from_db()
    assert proposal.status == CodeProposal.Status.REJECTED and proposal.decided_by == analyst.team.analyst
    assert not CodeApplication.objects.filter(note=note, code=analyst.codes["Time"]).exists()


def test_a_proposal_already_decided_is_refused_with_a_message_in_the_card(client, analyst):
    note = analyst.uncoded[0]
    proposal = proposal_of(analyst, note, "Noise")
    client.post(url(analyst, "proposal_decide"), {"note": note.pk, "proposal": proposal.pk, "decision": "reject"})
    response = client.post(url(analyst, "proposal_decide"), {"note": note.pk, "proposal": proposal.pk,
                                                             "decision": "accept"}, headers=HTMX)
    assert str(PROPOSAL_GONE) in text(response)
    assert not CodeApplication.objects.filter(note=note, code=analyst.codes["Noise"]).exists()


def test_an_unknown_decision_is_refused_by_name(client, analyst):
    note = analyst.uncoded[0]
    proposal = proposal_of(analyst, note, "Noise")
    response = client.post(url(analyst, "proposal_decide"), {"note": note.pk, "proposal": proposal.pk,
                                                             "decision": "maybe"}, follow=True)
    assert "Decision: “maybe” is not one of the choices here." in text(response) or "Decision: Select a valid choice." in text(response)
    assert CodeProposal.objects.get(pk=proposal.pk).status == CodeProposal.Status.OPEN


def test_viewers_and_outsiders_cannot_decide_and_get_is_refused(client, analyst):
    proposal = proposal_of(analyst, analyst.uncoded[0], "Noise")
    data = {"note": analyst.uncoded[0].pk, "proposal": proposal.pk, "decision": "accept"}
    assert client.get(url(analyst, "proposal_decide")).status_code == 405
    for person in (analyst.team.viewer, analyst.team.outsider):
        client.logout()
        login(client, person)
        assert client.post(url(analyst, "proposal_decide"), data).status_code in (403, 404)
    assert CodeProposal.objects.get(pk=proposal.pk).status == CodeProposal.Status.OPEN


def test_the_workbench_keeps_its_queries_constant_as_proposals_grow(client, analyst):
    workbench = url(analyst, "workbench") + "?per_page=100"
    client.get(workbench)
    with CaptureQueriesContext(connection) as few:
        client.get(workbench)
    for i in range(20):
        note = Note.objects.create(id=uuid.uuid4(), session=analyst.session, step=NoteStep.QUESTION,
                                   student=analyst.students[i], kind=NoteKind.STUDENT,
                                   text=f"The lunchroom is loud and noisy, number {i}, and there is no time to eat")
        for code in ("Noise", "Time"):
            CodeProposal.objects.create(note=note, code=analyst.codes[code], confidence=0.7)
    with CaptureQueriesContext(connection) as many:
        page = text(client.get(workbench))
    assert page.count("assistant-proposal ") >= 40
    assert len(many) == len(few)


def test_the_agreement_page_shows_the_assistants_kappa_with_each_person(client, analyst):
    page = text(client.get(url(analyst, "agreement_rounds")))
    assert "The coding assistant as a coder" in page and "Cohen's kappa" in page
    assert 'data-person="analyst-person"' in page and 'data-person="lead-person"' in page
    assert page.count('class="text-end assistant-kappa"') == 2


def test_the_agreement_page_says_when_there_is_nothing_to_compare(client, taught):
    login(client, taught.team.analyst)
    page = text(client.get(url(taught, "agreement_rounds")))
    assert "Nothing to compare yet: the assistant learns a code once people have coded 8 notes with it." in page
