"""A coding's reads in plain SQL (analysis/coding_rows.py, analysis/retraining.training_queued) give what the
ORM's queries give: the same rows, in the same order, refused outside the program."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.models import prefetch_related_objects
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from analysis.assistant import open_proposals_prefetch
from analysis.coding_rows import program_code, program_note, program_note_and_code, read_card
from analysis.forms.base import NOT_ONE_OF_THE_CHOICES
from analysis.forms.coding import CodeNoteForm
from analysis.models import AssistantModel, CodeApplication, CodeProposal
from analysis.retraining import QUEUED_STALE_AFTER, queued_training, training_queued, training_queued_expression
from interviews.models import Note
from programs.models import Program


def other_program() -> Program:
    return Program.objects.create(slug=f"other-{uuid.uuid4().hex[:8]}", name="Other", theme="Other",
                                  starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31))


def test_a_note_is_read_with_its_text_and_its_sessions_program_and_only_within_the_program(coded, django_assert_num_queries):
    note = coded.notes[3]
    with django_assert_num_queries(1):
        read = program_note(program_id=coded.team.program.pk, pk=note.pk)
        assert (read.pk, read.text, read.session_id, read.session.program_id) == (
            note.pk, note.text, note.session_id, coded.team.program.pk)
    assert read.student_id == note.student_id  # a field not read is read when first used, as with only()
    assert program_note(program_id=other_program().pk, pk=note.pk) is None
    assert program_note(program_id=coded.team.program.pk, pk=uuid.uuid4()) is None


def test_a_code_is_read_whole_retired_or_not_and_only_within_the_program(coded):
    code = coded.codes["Time"]
    code.retired = True
    code.save()
    read = program_code(program_id=coded.team.program.pk, pk=code.pk)
    fields = [field.attname for field in type(code)._meta.concrete_fields]
    assert [getattr(read, name) for name in fields] == [getattr(type(code).objects.get(pk=code.pk), name) for name in fields]
    assert program_code(program_id=other_program().pk, pk=code.pk) is None
    assert program_code(program_id=coded.team.program.pk, pk=2**63) is None  # beyond any id: refused, not an error


@pytest.mark.parametrize("note_is", ["ours", "another program's", "absent"])
@pytest.mark.parametrize("code_is", ["ours", "retired", "another program's", "absent", "beyond any id"])
def test_a_note_and_a_code_read_together_are_what_each_read_alone_gives(coded, note_is, code_is, django_assert_num_queries):
    program, other = coded.team.program, other_program()
    note = {"ours": coded.notes[2].pk, "another program's": coded.notes[2].pk, "absent": uuid.uuid4()}[note_is]
    code = coded.codes["Time"]
    if code_is == "retired":
        code.retired = True
        code.save()
    code_pk = {"absent": code.pk + 10_000, "beyond any id": 2**63}.get(code_is, code.pk)
    asked_in = other if note_is == "another program's" else program
    if code_is == "another program's":
        code.program = other
        code.save()
    with django_assert_num_queries(1):  # beyond any id, the code is not asked for: the note alone is
        note_read, code_read = program_note_and_code(program_id=asked_in.pk, note_pk=note, code_pk=code_pk)
    alone_note, alone_code = program_note(program_id=asked_in.pk, pk=note), program_code(program_id=asked_in.pk, pk=code_pk)
    note_fields = ["id", "session_id", "text"]
    assert (note_read is None) == (alone_note is None) and (code_read is None) == (alone_code is None)
    if alone_note is not None:
        assert [getattr(note_read, name) for name in note_fields] == [getattr(alone_note, name) for name in note_fields]
        assert note_read.session.program_id == alone_note.session.program_id == asked_in.pk
    if alone_code is not None:
        fields = [field.attname for field in type(code)._meta.concrete_fields]
        assert [getattr(code_read, name) for name in fields] == [getattr(alone_code, name) for name in fields]


def test_a_coding_form_reads_its_note_and_code_in_one_statement(coded, django_assert_num_queries):
    note, code = coded.notes[0], coded.codes["Noise"]
    with django_assert_num_queries(1):
        form = CodeNoteForm({"note": str(note.pk), "code": code.pk}, program=coded.team.program)
        assert form.is_valid(), form.errors
    assert (form.cleaned_data["note"].pk, form.cleaned_data["code"].pk) == (note.pk, code.pk)


@pytest.mark.parametrize("code", ["", "x"])
def test_a_note_read_for_one_form_answers_no_other_form(coded, code):
    """Each form keeps the rows it read beforehand to itself: a form of another program, sent the same note
    without a code to pair it with, reads the note for itself and refuses it (the fields are shallow copies of
    the class's, whose dict the first form would otherwise have filled for every later one)."""
    note = coded.notes[0]
    mine = CodeNoteForm({"note": str(note.pk), "code": coded.codes["Noise"].pk}, program=coded.team.program)
    assert mine.is_valid(), mine.errors
    theirs = CodeNoteForm({"note": str(note.pk), "code": code}, program=other_program())
    assert not theirs.is_valid() and theirs.errors["note"] == [NOT_ONE_OF_THE_CHOICES % {"value": note.pk}]
    assert CodeNoteForm.base_fields["note"].known == {} and mine.fields["note"].known is not theirs.fields["note"].known


def test_the_answer_to_a_coding_shows_what_the_workbench_prefetches(coded, django_assert_num_queries):
    note, program, team = coded.notes[0], coded.team.program, coded.team
    for start, code in ((10, "Noise"), (0, "Time"), (10, "Belonging"), (4, "Safety")):
        CodeApplication.objects.create(note=note, code=coded.codes[code], start=start, end=start + 3,
                                       snippet=note.text[start:start + 3], coder=team.analyst)
    for code, confidence, status in (("Noise", 0.6, "open"), ("Time", 0.9, "open"), ("Belonging", 0.9, "open"),
                                     ("Safety", 0.95, "rejected")):
        CodeProposal.objects.create(note=note, code=coded.codes[code], confidence=confidence, status=status)
    coded.codes["Noise"].retired = True
    coded.codes["Noise"].save()
    expected = Note.objects.get(pk=note.pk)
    prefetch_related_objects([expected], "codings__code", open_proposals_prefetch())

    read = program_note(program_id=program.pk, pk=note.pk)
    with django_assert_num_queries(2):
        read_card(read)
        codings = [(c.pk, c.start, c.code.name, c.note is read) for c in read.codings.all()]
        proposals = [(p.pk, p.code.name, p.confidence) for p in read.open_proposals]
    assert codings == [(c.pk, c.start, c.code.name, True) for c in expected.codings.all()]
    assert [name for _pk, name, _confidence in proposals] == ["Time", "Belonging"]  # open, current; surest, then first made
    assert proposals == [(p.pk, p.code.name, p.confidence) for p in expected.open_proposals]


@pytest.mark.parametrize("value", ["not-a-uuid", str(uuid.uuid4()), ""])
def test_a_note_that_is_not_the_programs_is_refused_as_a_choice_not_here(coded, value):
    form = CodeNoteForm({"note": value, "code": coded.codes["Noise"].pk}, program=coded.team.program)
    assert not form.is_valid()
    expected = "This field is required." if not value else NOT_ONE_OF_THE_CHOICES % {"value": value}
    assert form.errors["note"] == [expected]


def test_another_programs_note_and_code_are_refused(coded):
    other = other_program()
    code = coded.codes["Noise"].pk
    form = CodeNoteForm({"note": str(coded.notes[0].pk), "code": code}, program=other)
    assert not form.is_valid()
    assert form.errors["note"] == [NOT_ONE_OF_THE_CHOICES % {"value": coded.notes[0].pk}]
    assert form.errors["code"] == [NOT_ONE_OF_THE_CHOICES % {"value": code}]
    shapeless = CodeNoteForm({"note": str(coded.notes[0].pk), "code": "x"}, program=coded.team.program)
    assert not shapeless.is_valid() and shapeless.errors["code"] == [NOT_ONE_OF_THE_CHOICES % {"value": "x"}]


class TestTrainingQueued(HypothesisTestCase):
    """training_queued is queued_training().exists(), whatever the program's assistant rows."""

    @settings(max_examples=40, deadline=None)
    @given(rows=st.lists(st.tuples(st.sampled_from(list(AssistantModel.Status.values)), st.booleans(),
                                   st.integers(min_value=0, max_value=40), st.booleans()), max_size=4))
    def test_the_plain_check_agrees_with_the_query(self, rows):
        program, other = other_program(), other_program()
        now = timezone.now()
        for status, trained, minutes_ago, ours in rows:
            row = AssistantModel.objects.create(program=program if ours else other, status=status,
                                                trained_at=now if trained else None)
            AssistantModel.objects.filter(pk=row.pk).update(requested_at=now - dt.timedelta(minutes=minutes_ago))
        assert QUEUED_STALE_AFTER == dt.timedelta(minutes=15)  # the ages drawn fall either side of it
        assert training_queued(program.pk) == queued_training(program.pk).exists()
        # The same question as a coding's INSERT asks it, in its RETURNING.
        expression, params = training_queued_expression(program.pk)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {expression}", params)
            assert bool(cursor.fetchone()[0]) == queued_training(program.pk).exists()


def test_undo_takes_the_coders_last_coding_in_this_program_only(coded):
    from analysis.codebook import add_code
    from analysis.coding import apply_code, undo_last
    from analysis.models import Category

    analyst, program = coded.team.analyst, coded.team.program
    mine = apply_code(note=coded.notes[0], code=coded.codes["Noise"], coder=analyst)
    other = other_program()
    elsewhere_code = add_code(other, category=Category.objects.create(program=other, name="All"), name="Elsewhere")
    elsewhere = CodeApplication.objects.create(note=coded.notes[1], code=elsewhere_code, start=0, end=4,
                                               snippet=coded.notes[1].text[:4], coder=analyst)
    undone = undo_last(coder=analyst, program=program)
    assert (undone.coding.code.name, undone.coding.snippet, undone.coding.pk, undone.id) == ("Noise", mine.snippet, None, mine.pk)
    assert not CodeApplication.objects.filter(pk=mine.pk).exists() and CodeApplication.objects.filter(pk=elsewhere.pk).exists()
    assert undo_last(coder=analyst, program=program) is None


def test_nothing_refers_to_a_coding_and_no_signal_listens_to_its_delete():
    """undo_last deletes a coding with one plain DELETE (toolkit/sql_rows.delete): right only while no row
    refers to a coding (nothing to cascade) and no delete signal is connected for it. This fails first."""
    from django.apps import apps
    from django.db.models.signals import post_delete, pre_delete

    referring = [f"{model.__name__}.{field.name}" for model in apps.get_models() for field in model._meta.get_fields()
                 if field.is_relation and field.concrete and field.related_model is CodeApplication]
    assert referring == []
    assert not pre_delete.has_listeners(CodeApplication) and not post_delete.has_listeners(CodeApplication)



def test_a_proposals_decision_refuses_another_programs_note_as_before(coded):
    from analysis.forms.assistant import ProposalDecisionForm

    form = ProposalDecisionForm({"note": str(coded.notes[0].pk), "decision": "accept"}, program=other_program())
    assert not form.is_valid()
    assert form.errors["note"] == [NOT_ONE_OF_THE_CHOICES % {"value": coded.notes[0].pk}]
    mine = ProposalDecisionForm({"note": str(coded.notes[0].pk), "decision": "accept"}, program=coded.team.program)
    assert not mine.is_valid() and "note" not in mine.errors and mine.cleaned_data["note"].pk == coded.notes[0].pk


@pytest.mark.postgres
def test_undo_finds_the_coders_last_coding_from_an_index_not_by_sorting_all_of_theirs(coded):

    from analysis.coding_rows import _last_coding_statement

    analyst, program, note = coded.team.analyst, coded.team.program, coded.notes[0]
    CodeApplication.objects.bulk_create(
        CodeApplication(note=note, code=coded.codes["Noise"], start=0, end=1 + k % max(1, len(note.text) - 1),
                        snippet="x", coder=analyst) for k in range(2000))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE analysis_codeapplication")
        cursor.execute("EXPLAIN " + _last_coding_statement(connection.vendor), [analyst.pk, program.pk])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "coding_latest_by_coder" in plan and "Sort" not in plan, plan
