"""The coding assistant's domain: what it learns from, what it proposes, and what a decision does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from analysis.assistant import (
    CONFIDENCE_FLOOR,
    PROPOSALS_PER_NOTE,
    accept,
    assistant_agreement,
    assistant_status,
    open_proposal_for,
    propose,
    reject,
    train,
    training_examples,
)
from analysis.coding import CodingRefused, apply_code, remove_coding
from analysis.exports import coded_excerpt_records
from analysis.models import AssistantModel, CodeApplication, CodeProposal, Provenance, Theme
from analysis.patterns import program_patterns
from analysis.retraining import QUEUED_STALE_AFTER, queued_training, schedule_retraining
from interviews.models import Note
from recruitment.models import ConsentStatus, Invitation
from reports.content import report_data
from tests.analysis import assistant_data
from tests.analysis.assistant_data import UNCODED_NOISE, ready

taught = assistant_data.taught  # the fixture


def test_a_code_is_learned_once_people_coded_enough_notes_with_it(taught):
    model = train(program=taught.team.program)
    assert model.status == AssistantModel.Status.READY and model.artifact
    assert model.codes_trained == {str(taught.codes["Noise"].pk): 12, str(taught.codes["Time"].pk): 12}
    assert model.notes_used == 24
    assert model.trained_at is not None


def test_the_minimum_of_coded_notes_is_a_setting(taught):
    for application in CodeApplication.objects.filter(code=taught.codes["Noise"], coder=taught.team.lead)[:3]:
        application.delete()  # Noise now has 9 coded notes, Time 12
    with override_settings(ASSISTANT_MIN_CODED_NOTES=10):
        model = train(program=taught.team.program)
    assert set(model.codes_trained) == {str(taught.codes["Time"].pk)}
    with override_settings(ASSISTANT_MIN_CODED_NOTES=9):
        assert set(train(program=taught.team.program).codes_trained) == {str(taught.codes["Noise"].pk),
                                                                        str(taught.codes["Time"].pk)}


def test_too_few_coded_notes_train_nothing_and_propose_nothing(taught):
    CodeApplication.objects.exclude(note__in=taught.noise[:3] + taught.time[:3]).delete()
    model = ready(taught)
    assert model.status == AssistantModel.Status.READY and model.codes_trained == {} and not model.artifact
    assert not CodeProposal.objects.exists()
    status = assistant_status(program=taught.team.program, codes=list(taught.codes.values()))
    assert status.trained == [] and (taught.codes["Noise"], 3) in status.too_few and status.minimum == 8


def test_proposals_go_to_notes_without_that_code_with_a_confidence(taught):
    ready(taught)
    proposals = list(CodeProposal.objects.select_related("code"))
    assert proposals and all(p.status == CodeProposal.Status.OPEN and CONFIDENCE_FLOOR <= p.confidence <= 1
                             for p in proposals)
    coded_pairs = set(CodeApplication.objects.values_list("note_id", "code_id"))
    assert not {(p.note_id, p.code_id) for p in proposals} & coded_pairs
    top = {p.note_id: p.code.name for p in sorted(proposals, key=lambda p: p.confidence)}
    assert [top.get(n.pk) for n in taught.uncoded] == ["Noise", "Noise", "Time", "Time"]
    per_note = {}
    for p in proposals:
        per_note[p.note_id] = per_note.get(p.note_id, 0) + 1
    assert max(per_note.values()) <= PROPOSALS_PER_NOTE


def test_training_and_proposals_are_deterministic(taught):
    ready(taught)
    first = sorted(CodeProposal.objects.values_list("note_id", "code_id", "confidence"))
    CodeProposal.objects.all().delete()
    ready(taught)
    assert sorted(CodeProposal.objects.values_list("note_id", "code_id", "confidence")) == first


def test_accepting_codes_the_whole_note_under_the_persons_name_as_suggested(taught):
    ready(taught)
    proposal = CodeProposal.objects.get(note=taught.uncoded[0], code=taught.codes["Noise"])
    application = accept(proposal=proposal, user=taught.team.analyst)
    application.refresh_from_db()
    assert (application.coder, application.provenance) == (taught.team.analyst, Provenance.SUGGESTED)
    assert (application.start, application.end, application.snippet) == (0, len(UNCODED_NOISE[0]), UNCODED_NOISE[0])
    proposal.refresh_from_db()
    assert proposal.status == CodeProposal.Status.ACCEPTED and proposal.decided_by == taught.team.analyst
    assert proposal.decided_at is not None
    assert queued_training(taught.team.program.pk).exists()  # the accepted coding is a lesson too
    propose(program=taught.team.program)
    assert CodeProposal.objects.get(pk=proposal.pk).status == CodeProposal.Status.ACCEPTED


def test_accepting_a_proposal_of_a_retired_code_is_refused_by_the_coding_rules(taught):
    ready(taught)
    proposal = CodeProposal.objects.filter(code=taught.codes["Noise"]).first()
    taught.codes["Noise"].retired = True
    taught.codes["Noise"].save()
    with pytest.raises(CodingRefused):
        accept(proposal=proposal, user=taught.team.analyst)
    assert not CodeApplication.objects.filter(note=proposal.note, code=taught.codes["Noise"]).exists()


def test_a_rejected_proposal_is_never_made_again_and_teaches_the_next_training(taught):
    ready(taught)
    proposal = CodeProposal.objects.get(note=taught.uncoded[2], code=taught.codes["Time"])
    AssistantModel.objects.filter(status=AssistantModel.Status.TRAINING).delete()
    reject(proposal=proposal, user=taught.team.analyst)
    proposal.refresh_from_db()
    assert proposal.status == CodeProposal.Status.REJECTED and proposal.decided_by == taught.team.analyst
    assert queued_training(taught.team.program.pk).exists()
    examples = training_examples(program=taught.team.program)
    rejected_index = examples.note_ids.index(taught.uncoded[2].pk)
    positives, negatives = examples.per_code[taught.codes["Time"].pk]
    assert rejected_index in negatives and rejected_index not in positives
    ready(taught)
    assert CodeProposal.objects.filter(note=taught.uncoded[2], code=taught.codes["Time"]).get().status == "rejected"


def test_stale_open_proposals_are_replaced(taught):
    ready(taught)
    noise = taught.codes["Noise"]
    assert CodeProposal.objects.filter(code=noise, status="open").exists()
    for application in CodeApplication.objects.filter(code=noise)[:6]:
        remove_coding(application=application)  # Noise falls below the minimum: the assistant stops proposing it
    ready(taught)
    assert not CodeProposal.objects.filter(code=noise).exists()
    assert CodeProposal.objects.filter(code=taught.codes["Time"], status="open").exists()
    # A person codes a note the assistant proposed a code for: that proposal goes at the next run.
    time_proposal = CodeProposal.objects.filter(code=taught.codes["Time"], status="open").first()
    apply_code(note=time_proposal.note, code=taught.codes["Time"], coder=taught.team.analyst)
    ready(taught)
    assert not CodeProposal.objects.filter(pk=time_proposal.pk).exists()


def test_open_proposals_are_not_training_data(taught):
    before = training_examples(program=taught.team.program)
    ready(taught)
    after = training_examples(program=taught.team.program)
    assert before == after


def test_withdrawn_students_notes_are_neither_learned_from_nor_proposed_for(taught):
    ready(taught)
    proposal = CodeProposal.objects.get(note=taught.uncoded[0], code=taught.codes["Noise"])
    withdrawn = taught.noise[0].student  # coded note noise[0] and uncoded note uncoded[0] are this student's
    assert taught.uncoded[0].student == withdrawn
    Invitation.objects.filter(student=withdrawn).update(student_assent=ConsentStatus.WITHDRAWN)
    assert open_proposal_for(program=taught.team.program, pk=proposal.pk) is None
    examples = training_examples(program=taught.team.program)
    assert taught.noise[0].pk not in examples.note_ids
    model = ready(taught)
    assert model.codes_trained[str(taught.codes["Noise"].pk)] == 11
    assert not CodeProposal.objects.filter(note__student=withdrawn).exists()


def test_erased_words_are_neither_learned_from_nor_proposed_for(taught):
    Note.objects.filter(pk__in=[taught.noise[1].pk, taught.uncoded[1].pk]).update(erased_at=timezone.now())
    ready(taught)
    assert taught.noise[1].pk not in training_examples(program=taught.team.program).note_ids
    assert not CodeProposal.objects.filter(note=taught.uncoded[1]).exists()


def test_proposals_count_nowhere_until_accepted(taught):
    program = taught.team.program
    theme = Theme.objects.create(program=program, name="Noise and time")
    theme.codes.add(taught.codes["Noise"], taught.codes["Time"])

    def readings():
        patterns = program_patterns(program)
        tables = [(t.criterion, [(c.category, c.raised.display, c.interviewed.display) for c in t.cells])
                  for t in patterns.tables(theme.pk)]
        raised, interviewed = patterns.overall(theme.pk)
        report = report_data(program)
        sections = [(s.name, s.raised.display, s.share, s.stances, repr(s.quotes), s.bars)
                    for _category, themes in report.categories for s in themes]
        return (raised.display, interviewed.display, tables, list(coded_excerpt_records(program)), sections,
                report.overview_bars)

    before = readings()
    ready(taught)
    assert CodeProposal.objects.filter(status="open").count() >= 4
    assert readings() == before
    accept(proposal=CodeProposal.objects.filter(note=taught.uncoded[0], code=taught.codes["Noise"]).get(),
           user=taught.team.analyst)
    assert list(coded_excerpt_records(program)) != before[3]  # accepted, it is coding like any other


def test_retraining_runs_as_a_task_after_a_coding_change(taught, django_capture_on_commit_callbacks):
    AssistantModel.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        apply_code(note=taught.uncoded[0], code=taught.codes["Noise"], coder=taught.team.analyst)
    assert len(callbacks) == 1
    model = AssistantModel.objects.get()
    assert model.status == AssistantModel.Status.READY and str(taught.codes["Noise"].pk) in model.codes_trained
    assert CodeProposal.objects.filter(model=model, status="open").exists()


def test_the_retraining_hook_is_debounced_and_costs_one_query_while_a_training_is_queued(taught,
                                                                                         django_capture_on_commit_callbacks):
    AssistantModel.objects.all().delete()
    program_id = taught.team.program.pk
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        schedule_retraining(program_id=program_id)
        with CaptureQueriesContext(connection) as queries:
            schedule_retraining(program_id=program_id)
            apply_code(note=taught.uncoded[1], code=taught.codes["Time"], coder=taught.team.analyst)
    assert len(callbacks) == 1 and AssistantModel.objects.count() == 1
    hook_queries = [q for q in queries.captured_queries if "analysis_assistantmodel" in q["sql"]]
    assert len(hook_queries) == 2  # one question per call (the coding's INSERT asks it in its RETURNING), no insert
    # Once the training has started (it has read the data), a new change queues the next one.
    AssistantModel.objects.update(trained_at="2026-01-01T00:00:00Z")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        schedule_retraining(program_id=program_id)
    assert len(callbacks) == 1 and AssistantModel.objects.count() == 2


@override_settings(ASSISTANT_TRAINS_ON_PAGE_VIEW=False)  # a worker's: the training is sent once the coding commits
def test_a_new_coding_queues_a_training_when_none_is_queued_and_only_then(taught, django_capture_on_commit_callbacks):
    AssistantModel.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        apply_code(note=taught.uncoded[1], code=taught.codes["Time"], coder=taught.team.analyst)
    assert AssistantModel.objects.filter(status=AssistantModel.Status.TRAINING, trained_at__isnull=True).count() == 1
    with django_capture_on_commit_callbacks(execute=False) as more:
        apply_code(note=taught.uncoded[2], code=taught.codes["Time"], coder=taught.team.analyst)
    assert AssistantModel.objects.count() == 1 and (len(callbacks), len(more)) == (1, 0)


def test_the_assistant_is_a_coder_in_agreement_with_each_person(taught):
    ready(taught)
    results = {r.person: r.agreement for r in assistant_agreement(program=taught.team.program)}
    assert set(results) == {taught.team.analyst, taught.team.lead}
    analyst = results[taught.team.analyst]
    assert analyst.units == 16 * 2  # the analyst's 16 notes, for each of the two codes the assistant knows
    assert analyst.kappa is not None and analyst.kappa > 0.5


def test_no_model_no_agreement(taught):
    assert assistant_agreement(program=taught.team.program) == []


def test_status_lists_what_it_learned_and_what_needs_more_examples(taught):
    ready(taught)
    codes = list(taught.codes.values())
    status = assistant_status(program=taught.team.program, codes=codes)
    assert not status.learning
    assert {code.name: n for code, n in status.trained} == {"Noise": 12, "Time": 12}
    assert {code.name for code, _n in status.too_few} == {"Belonging", "Safety"}
    schedule_retraining(program_id=taught.team.program.pk)
    assert assistant_status(program=taught.team.program, codes=codes).learning
    # A training queued long ago whose worker never ran it is not shown as learning for ever.
    AssistantModel.objects.filter(status=AssistantModel.Status.TRAINING).update(
        requested_at=timezone.now() - QUEUED_STALE_AFTER - dt.timedelta(minutes=1))
    assert not assistant_status(program=taught.team.program, codes=codes).learning


def test_the_task_of_a_program_deleted_meanwhile_does_nothing(db):
    from analysis.tasks import retrain_assistant

    assert retrain_assistant.delay(987654).get() == ""


@override_settings(ASSISTANT_TRAINS_ON_PAGE_VIEW=True)
def test_without_a_worker_coding_only_queues_and_the_next_workbench_view_trains(taught, client,
                                                                              django_capture_on_commit_callbacks):
    AssistantModel.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        apply_code(note=taught.uncoded[0], code=taught.codes["Noise"], coder=taught.team.analyst)
    assert callbacks == [] and queued_training(taught.team.program.pk).exists()  # the coding did not train
    client.force_login(taught.team.analyst)
    response = client.get(f"/programs/{taught.team.program.slug}/analysis/workbench/")
    assert response.status_code == 200
    model = AssistantModel.objects.get()
    assert model.status == AssistantModel.Status.READY and not queued_training(taught.team.program.pk).exists()
    assert CodeProposal.objects.filter(model=model, status="open").exists()


def test_agreement_costs_the_same_queries_whatever_the_number_of_coders(taught):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ready(taught)
    with CaptureQueriesContext(connection) as two:
        assert len(assistant_agreement(program=taught.team.program)) == 2
    for coding in CodeApplication.objects.filter(coder=taught.team.analyst):  # a third coder, on the same notes
        CodeApplication.objects.create(note_id=coding.note_id, code_id=coding.code_id, start=coding.start, end=coding.end,
                                       snippet=coding.snippet, coder=taught.team.viewer)
    with CaptureQueriesContext(connection) as three:
        results = assistant_agreement(program=taught.team.program)
    assert {r.person for r in results} == {taught.team.analyst, taught.team.lead, taught.team.viewer}
    assert len(three.captured_queries) == len(two.captured_queries)
