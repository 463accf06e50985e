"""A step is done when its work is finished, not when it was started."""

from __future__ import annotations

import uuid

from django.utils import timezone

from analysis.coding import apply_code
from analysis.themes import create_theme
from empathy.checklist import StepStatus, program_checklist
from interviews.models import FollowUpLink, Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from reports.models import Report, ReportKind, ReportStatus
from tests.factories import ready_protocol


def step(program, key):
    return next(s for s in program_checklist(program) if s.key == key)


def another_session(coded, status, students=()):
    session = Session.objects.create(program=coded.team.program, format=SessionFormat.FOCUS_GROUP,
                                     protocol=coded.session.protocol, starts_at=timezone.now(),
                                     facilitator=coded.team.facilitator, status=status)
    session.participants.set(students)
    return session


def test_sessions_are_done_only_when_none_is_left_to_run(coded):
    assert step(coded.team.program, "sessions").status == StepStatus.DONE
    later = another_session(coded, SessionStatus.SCHEDULED)
    sessions = step(coded.team.program, "sessions")
    assert sessions.status != StepStatus.DONE
    assert sessions.summary == "2 sessions scheduled, 1 completed, 1 still to run."
    later.status = SessionStatus.CANCELLED
    later.save()
    assert step(coded.team.program, "sessions").status == StepStatus.DONE


def test_sessions_all_cancelled_are_not_done(team):
    Session.objects.create(program=team.program, format=SessionFormat.INDIVIDUAL, starts_at=timezone.now(),
                           protocol=ready_protocol(team.program),
                           facilitator=team.facilitator, status=SessionStatus.CANCELLED)
    assert step(team.program, "sessions").status != StepStatus.DONE


def test_live_notes_are_not_done_while_a_session_runs_or_a_completed_one_has_no_notes(coded):
    assert step(coded.team.program, "notes").status == StepStatus.DONE
    running = another_session(coded, SessionStatus.IN_PROGRESS)
    assert step(coded.team.program, "notes").status != StepStatus.DONE
    running.status = SessionStatus.COMPLETED
    running.save()
    notes = step(coded.team.program, "notes")
    assert notes.status != StepStatus.DONE and "1 completed session has no notes." in notes.summary
    Note.objects.create(id=uuid.uuid4(), session=running, step=NoteStep.WRAP_UP, kind=NoteKind.OBSERVATION,
                        text="We talked.")
    assert step(coded.team.program, "notes").status == StepStatus.DONE


def test_follow_up_is_done_when_every_student_heard_has_a_link(coded):
    def link(student):
        FollowUpLink.objects.create(session=coded.session, student=student, token_hash=uuid.uuid4().hex,
                                    expires_at=timezone.now())

    link(coded.students[0])
    follow_up = step(coded.team.program, "follow_up")
    assert follow_up.status != StepStatus.DONE
    assert "23 students of completed sessions still without a link." in follow_up.summary
    for student in coded.students[1:]:
        link(student)
    assert step(coded.team.program, "follow_up").status == StepStatus.DONE


def test_analysis_is_done_when_every_note_is_coded_and_there_is_a_theme(coded):
    for note in coded.notes[:12]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst)
    create_theme(program=coded.team.program, name="Loud", codes=[coded.codes["Noise"]])
    analysis = step(coded.team.program, "analysis")
    assert analysis.status != StepStatus.DONE and analysis.summary.startswith("50% of notes coded")
    for note in coded.notes[12:]:
        apply_code(note=note, code=coded.codes["Time"], coder=coded.team.analyst)
    assert step(coded.team.program, "analysis").status == StepStatus.DONE


def test_the_report_step_waits_for_the_thematic_report(team):
    Report.objects.create(program=team.program, kind=ReportKind.INFOGRAPHIC, status=ReportStatus.READY)
    report = step(team.program, "report")
    assert report.status != StepStatus.DONE and "The thematic report is still to make." in report.summary
    Report.objects.create(program=team.program, kind=ReportKind.THEMATIC, status=ReportStatus.READY)
    assert step(team.program, "report").status == StepStatus.DONE
