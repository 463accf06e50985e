"""Code every result of a search (analysis/bulk_coding.py) and its two endpoints: confirmed with the count seen,
refused when it changed, skipping notes that have the code, undone in one action exactly."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from analysis.bulk_coding import (
    ALREADY_UNDONE,
    COUNT_CHANGED,
    NOTHING_TO_CODE,
    code_every_result,
    preview_bulk_coding,
    undo_bulk_coding,
)
from analysis.codebook import retire_code
from analysis.coding import RETIRED, CodingRefused, apply_code
from analysis.forms.bulk import NO_SEARCH
from analysis.models import BulkCoding, CodeApplication, Provenance, Stance
from analysis.workbench import WorkbenchFilters, workbench_notes
from interviews.models import Note
from tests.test_helpers import login


@pytest.fixture
def searchable(coded):
    """Eight of the 24 notes speak of the library (accents and all); the rest keep the cafeteria."""
    for note in coded.notes[:8]:
        Note.objects.filter(pk=note.pk).update(text=f"La biblioteca es tranquila, {note.student.pk}.")
    for note in coded.notes:
        note.refresh_from_db()
    return coded


def _notes(coded, **filters):
    return workbench_notes(coded.team.program, WorkbenchFilters(**filters))


def _code_all(coded, query, code, *, expected, stance=Stance.CHALLENGE, **filters):
    return code_every_result(program=coded.team.program, notes=_notes(coded, query=query, **filters), code=code,
                             stance=stance, coder=coded.team.analyst, query=query, filters={"q": query},
                             expected=expected)


def test_every_found_note_gets_one_whole_note_coding_from_one_bulk_row(searchable):
    code = searchable.codes["Belonging"]
    result = _code_all(searchable, "bibliotéca", code, expected=8)
    assert (result.coded, result.skipped) == (8, 0)
    bulk = BulkCoding.objects.get()
    assert (bulk.code, bulk.stance, bulk.query, bulk.notes_coded, bulk.created_by) == (
        code, Stance.CHALLENGE, "bibliotéca", 8, searchable.team.analyst)
    applications = list(CodeApplication.objects.select_related("note"))
    assert {a.note_id for a in applications} == {note.pk for note in searchable.notes[:8]}
    for application in applications:
        assert (application.start, application.end, application.snippet) == (0, len(application.note.text),
                                                                             application.note.text)
        assert (application.provenance, application.bulk, application.stance) == (Provenance.BULK, bulk, Stance.CHALLENGE)


def test_notes_already_coded_with_the_code_are_skipped_and_counted(searchable):
    code = searchable.codes["Belonging"]
    apply_code(note=searchable.notes[0], code=code, coder=searchable.team.lead, start=3, end=13)
    preview = preview_bulk_coding(program=searchable.team.program, notes=_notes(searchable, query="biblioteca"), code=code)
    assert (preview.found, preview.to_code, preview.skipped) == (8, 7, 1)
    result = _code_all(searchable, "biblioteca", code, expected=7)
    assert (result.coded, result.skipped) == (7, 1)
    assert CodeApplication.objects.filter(code=code).count() == 8


def test_a_changed_count_is_refused_and_codes_nothing(searchable):
    code = searchable.codes["Belonging"]
    with pytest.raises(CodingRefused) as refusal:
        _code_all(searchable, "biblioteca", code, expected=9)
    assert str(refusal.value) == COUNT_CHANGED % {"now": 8, "seen": 9}
    assert not CodeApplication.objects.exists() and not BulkCoding.objects.exists()


def test_every_existing_filter_narrows_what_is_coded(searchable):
    grade_ten = [note for note in searchable.notes[:8] if note.student.grade == 10]
    grade_nine = [note for note in searchable.notes[:8] if note.student.grade == 9]
    Note.objects.filter(pk__in=[n.pk for n in grade_nine[:2]]).update(student=searchable.students[-1])  # now grade 10
    result = _code_all(searchable, "biblioteca", searchable.codes["Noise"], expected=len(grade_ten) + 2, grade=10)
    assert result.coded == len(grade_ten) + 2


def test_nothing_to_code_and_a_retired_code_are_refused(searchable):
    code = searchable.codes["Belonging"]
    _code_all(searchable, "biblioteca", code, expected=8)
    with pytest.raises(CodingRefused, match=str(NOTHING_TO_CODE)):
        _code_all(searchable, "biblioteca", code, expected=0)
    retire_code(searchable.codes["Time"])
    searchable.codes["Time"].refresh_from_db()
    with pytest.raises(CodingRefused) as refusal:
        _code_all(searchable, "biblioteca", searchable.codes["Time"], expected=8)
    assert str(refusal.value) == RETIRED.format(code="Time")


def test_undo_deletes_exactly_what_the_bulk_made_and_only_once(searchable):
    code = searchable.codes["Belonging"]
    by_hand = apply_code(note=searchable.notes[0], code=code, coder=searchable.team.lead, start=3, end=13)
    other = apply_code(note=searchable.notes[1], code=searchable.codes["Noise"], coder=searchable.team.analyst)
    bulk = _code_all(searchable, "biblioteca", code, expected=7).bulk
    later = apply_code(note=searchable.notes[2], code=code, coder=searchable.team.analyst, start=0, end=5)
    assert undo_bulk_coding(bulk=bulk, user=searchable.team.lead) == 7
    assert set(CodeApplication.objects.all()) == {by_hand, other, later}
    bulk.refresh_from_db()
    assert bulk.undone_at is not None and bulk.undone_by == searchable.team.lead
    with pytest.raises(CodingRefused, match=str(ALREADY_UNDONE)):
        undo_bulk_coding(bulk=bulk, user=searchable.team.lead)
    assert CodeApplication.objects.count() == 3


# The endpoints.

def _post_bulk(client, coded, *, query, code, count, stance="challenge", **filters):
    return client.post(reverse("bulk_code", kwargs={"slug": coded.team.program.slug}), {
        "bulk_code": code.pk, "bulk_stance": stance, "count": count, "filters": urlencode({"q": query, **filters})},
        follow=True)


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_workbench_shows_the_count_then_confirming_codes_and_undo_takes_it_back(client, searchable):
    login(client, searchable.team.analyst)
    code = searchable.codes["Belonging"]
    apply_code(note=searchable.notes[0], code=code, coder=searchable.team.lead)
    workbench = reverse("workbench", kwargs={"slug": searchable.team.program.slug})
    page = _text(client.get(workbench, {"q": "biblioteca", "bulk_code": code.pk, "bulk_stance": "challenge"}))
    assert "This will code 7 notes with “Belonging”." in page and "1 note found already has it and will be skipped." in page
    assert 'name="count" value="7"' in page
    done = _post_bulk(client, searchable, query="biblioteca", code=code, count=7)
    assert "Coded 7 notes with “Belonging”. 1 note already had it and was skipped." in _text(done)
    assert done.request["QUERY_STRING"] == "q=biblioteca"  # back on the same results
    bulk = BulkCoding.objects.get()
    assert 'id="last-bulk"' in _text(done) and reverse("bulk_undo", kwargs={"slug": searchable.team.program.slug,
                                                                            "pk": bulk.pk}) in _text(done)
    undone = client.post(reverse("bulk_undo", kwargs={"slug": searchable.team.program.slug, "pk": bulk.pk}), follow=True)
    assert "Undone: “Belonging” is off the 7 notes it was given." in _text(undone)
    assert CodeApplication.objects.filter(code=code).count() == 1
    again = client.post(reverse("bulk_undo", kwargs={"slug": searchable.team.program.slug, "pk": bulk.pk}), follow=True)
    assert str(ALREADY_UNDONE) in _text(again)


def test_a_confirmation_with_an_old_count_is_refused_and_shows_the_new_one(client, searchable):
    login(client, searchable.team.analyst)
    code = searchable.codes["Belonging"]
    response = _post_bulk(client, searchable, query="biblioteca", code=code, count=5)
    page = _text(response)
    assert COUNT_CHANGED % {"now": 8, "seen": 5} in page and "This will code 8 notes with “Belonging”." in page
    assert not CodeApplication.objects.exists()


def test_bad_input_is_answered_by_name_and_codes_nothing(client, searchable):
    login(client, searchable.team.analyst)
    code = searchable.codes["Belonging"]
    assert str(NO_SEARCH) in _text(_post_bulk(client, searchable, query="", code=code, count=8))
    assert "Notes to code: Enter a whole number." in _text(_post_bulk(client, searchable, query="biblioteca", code=code,
                                                                      count="eight"))
    assert "leave words out" in _text(_post_bulk(client, searchable, query="-biblioteca", code=code, count=8))
    assert not CodeApplication.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "facilitator", "outsider"])
def test_only_leads_and_analysts_code_every_result_or_undo(client, searchable, who):
    bulk = _code_all(searchable, "biblioteca", searchable.codes["Belonging"], expected=8).bulk
    login(client, getattr(searchable.team, who))
    slug = searchable.team.program.slug
    response = client.post(reverse("bulk_code", kwargs={"slug": slug}), {
        "bulk_code": searchable.codes["Noise"].pk, "count": 8, "filters": "q=biblioteca"})
    assert response.status_code in (403, 404)
    assert client.post(reverse("bulk_undo", kwargs={"slug": slug, "pk": bulk.pk})).status_code in (403, 404)
    assert CodeApplication.objects.count() == 8 and BulkCoding.objects.get().undone_at is None


def test_a_bulk_coding_of_another_program_cannot_be_undone_from_this_one(client, searchable):
    from tests.factories import MembershipFactory, ProgramFactory

    bulk = _code_all(searchable, "biblioteca", searchable.codes["Belonging"], expected=8).bulk
    other = ProgramFactory(slug="another")
    MembershipFactory(program=other, user=searchable.team.analyst, role="analyst")
    login(client, searchable.team.analyst)
    assert client.post(reverse("bulk_undo", kwargs={"slug": "another", "pk": bulk.pk})).status_code == 404
    assert CodeApplication.objects.count() == 8
