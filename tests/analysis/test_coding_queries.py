"""Queries made by coding on the workbench (a span, a whole note, the htmx card that comes back) and by
undo, through the real views; pinned exactly, and the same whatever the note's codings and the codebook.

The test client runs inside the test's transaction: an atomic block adds a SAVEPOINT and a RELEASE here
where production sends BEGIN and COMMIT (not counted)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from analysis.codebook import add_code
from analysis.models import Category, CodeApplication
from tests.test_helpers import login

HX = {"HX-Request": "true"}

# Before issue 21 (commit a2fa218, with the assistant's retraining hook) coding cost 17 queries and undo 8.
# Coding (a span or the whole note): the session row, the user, membership with program; the note (its id,
# session and text, with the session's program) and the code, the form's two rows, in one statement; one
# INSERT ... SELECT ... WHERE NOT EXISTS (the same coding by the same person), which commits alone
# (toolkit/sql_rows.py; a coding already there is locked and updated instead) and says in its RETURNING whether
# the assistant's retraining is queued already (analysis/retraining.py). What comes back is the new coding's
# chip alone, which the page adds to the card: the note's other codings and proposals are not read again
# (analysis/views/coding.py). All but the first two are plain SQL (programs/access.py, analysis/coding_rows.py).
# (The two-factor check is made once a minute, not per request: district/two_factor.py.)
# Until commit 87fc0b7, 9: the note and the code were two statements, the retraining question one of its own,
# and the answer read the note's codings and its proposals; until commit 9d8eeb6, 10: the card read the codebook.
CODING = 5
# A coding already on the span (its kind changed) comes back as the note's codings, read again: the guarded
# INSERT finds the coding, which is locked and updated in a transaction (SAVEPOINT, the locked row, UPDATE,
# RELEASE here), the retraining question, the note's codings and its proposals. (A refused coding is answered
# with the note's codings too, after the checks that refused it.)
CODING_AGAIN = 12
# Undo: the session row, the user, membership with program, the last coding with its code (which the
# message names), one plain DELETE, the retraining already queued. The same with htmx and without.
UNDO = 6


@pytest.fixture
def analyst(client, coded):
    login(client, coded.team.analyst)
    client.get(reverse("whoami"))
    client.get(reverse("workbench", kwargs={"slug": coded.team.program.slug}))  # warm: what a session keeps
    # A first coding queues the assistant's retraining (analysis/retraining.py): later ones find it queued.
    client.post(code_url(coded), {"note": str(coded.notes[-1].pk), "code": coded.codes["Safety"].pk}, headers=HX)
    return client


def code_url(coded) -> str:
    return reverse("code_note", kwargs={"slug": coded.team.program.slug})


def grow(coded, codes: int) -> None:
    """More codes in the codebook and more codings on the first note, to show the counts do not grow."""
    category = Category.objects.filter(program=coded.team.program).first()
    note = coded.notes[0]
    for i in range(codes):
        code = add_code(coded.team.program, category=category, name=f"Extra {i}")
        CodeApplication.objects.create(note=note, code=code, start=0, end=4, snippet=note.text[:4],
                                       coder=coded.team.lead)


@pytest.mark.parametrize("extra", [0, 12])
def test_coding_a_whole_note(analyst, coded, extra, django_assert_num_queries):
    grow(coded, extra)
    note, code = coded.notes[0], coded.codes["Noise"]
    with django_assert_num_queries(CODING):
        answer = analyst.post(code_url(coded), {"note": str(note.pk), "code": code.pk, "stance": "neither",
                                                "start": "", "end": ""}, headers=HX)
    assert answer.status_code == 200 and CodeApplication.objects.filter(note=note, code=code, end=len(note.text)).exists()


@pytest.mark.parametrize("extra", [0, 12])
def test_coding_a_span(analyst, coded, extra, django_assert_num_queries):
    grow(coded, extra)
    note, code = coded.notes[0], coded.codes["Time"]
    with django_assert_num_queries(CODING):
        answer = analyst.post(code_url(coded), {"note": str(note.pk), "code": code.pk, "stance": "neither",
                                                "start": "0", "end": "7", "selected": note.text[:7]}, headers=HX)
    assert answer.status_code == 200 and CodeApplication.objects.filter(note=note, code=code, start=0, end=7).exists()
    fragment = answer.content.decode()
    coding = CodeApplication.objects.get(note=note, code=code)
    assert fragment.lstrip().startswith(f'<li class="list-inline-item coding-chip " id="coding-{coding.pk}" data-start="0">')
    assert 'class="fw-semibold">Time</span>' in fragment and f'id="codings-{note.pk}"' not in fragment
    assert "data-note-text" not in fragment and 'name="code"' not in fragment  # the words and the menu stay in the page


@pytest.mark.parametrize("extra", [0, 12])
def test_coding_a_span_again_with_another_kind(analyst, coded, extra, django_assert_num_queries):
    grow(coded, extra)
    note, code = coded.notes[0], coded.codes["Time"]
    data = {"note": str(note.pk), "code": code.pk, "stance": "neither", "start": "0", "end": "7", "selected": note.text[:7]}
    analyst.post(code_url(coded), data, headers=HX)
    with django_assert_num_queries(CODING_AGAIN):
        answer = analyst.post(code_url(coded), {**data, "stance": "challenge"}, headers=HX)
    assert CodeApplication.objects.get(note=note, code=code, start=0, end=7).stance == "challenge"
    assert answer.headers["HX-Retarget"] == f"#codings-{note.pk}" and answer.headers["HX-Reswap"] == "outerHTML"
    assert answer.content.decode().count('class="list-inline-item coding-chip') == 1 + extra


@pytest.mark.parametrize("extra", [0, 12])
def test_undo(analyst, coded, extra, django_assert_num_queries):
    grow(coded, extra)
    note, code = coded.notes[1], coded.codes["Noise"]
    analyst.post(code_url(coded), {"note": str(note.pk), "code": code.pk, "start": "", "end": ""}, headers=HX)
    with django_assert_num_queries(UNDO):
        answer = analyst.post(reverse("undo_coding", kwargs={"slug": coded.team.program.slug}))
    assert answer.status_code == 302 and not CodeApplication.objects.filter(note=note, code=code).exists()
    analyst.post(code_url(coded), {"note": str(note.pk), "code": code.pk, "start": "", "end": ""}, headers=HX)
    with django_assert_num_queries(UNDO):
        answer = analyst.post(reverse("undo_coding", kwargs={"slug": coded.team.program.slug}), headers=HX)
    assert answer.status_code == 200 and not CodeApplication.objects.filter(note=note, code=code).exists()
