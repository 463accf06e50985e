"""From a file's blocks to notes: speakers mapped, questions found, every problem listed, all or nothing, once per file,
and the names in the file never stored. Imported notes then behave as typed notes (coding, erasure)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.db import models
from django.urls import reverse

from audit.models import AuditEvent
from interviews.models import Note, NoteImport, NoteKind, NoteStep, SessionAssent, SessionStatus
from interviews.note_import.blocks import Block, ParsedFile
from interviews.note_import.pending import AlreadyImported, discard_stale, load_pending, parse_pending, receive_upload
from interviews.note_import.plan import (
    FACILITATOR,
    GROUP,
    ICEBREAKER,
    IGNORE,
    NO_QUESTION_FOUND,
    NOTE_TAKER,
    NOTHING_TO_IMPORT,
    STUDENT,
    ImportProblems,
    build_plan,
    guess_mapping,
    import_notes,
    match_question,
)
from tests.interviews.note_import_files import RAW_NAMES, meeting_vtt, typed_notes_docx, upload


def students_of(session):
    return {s.first_name: s for s in session.participants.all()}


def plan(session, blocks, mapping, hand=None):
    return build_plan(parsed=ParsedFile(format="text", blocks=blocks), mapping=mapping, hand=hand or {},
                      students=list(session.participants.all()), questions=list(session.protocol.questions.all()))


def block(position, speaker, text, hint=""):
    return Block(position=position, speaker=speaker, text=text, question_hint=hint)


def test_speakers_are_guessed_from_names_pseudonyms_and_role_words(import_session):
    s = students_of(import_session)
    s["Carla"].pseudonym = "Student K"
    s["Carla"].save()
    guesses = guess_mapping(speakers=["Ana Zorrilla", "ben", "Student K", "Zed Scribe", "Interviewer", "Everyone", "Note", "Anita"],
                            students=list(import_session.participants.all()), session=import_session)
    assert guesses == {"Ana Zorrilla": f"{STUDENT}{s['Ana'].pk}", "ben": f"{STUDENT}{s['Ben'].pk}",
                       "Student K": f"{STUDENT}{s['Carla'].pk}", "Zed Scribe": NOTE_TAKER, "Interviewer": FACILITATOR,
                       "Everyone": GROUP, "Note": NOTE_TAKER, "Anita": ""}


@pytest.mark.parametrize("hint, position", [("Question 2", 2), ("Q3: anything", 3), ("Pregunta 4.", 4), ("5) Last", 5),
                                            ("WHO do you go to when something goes wrong", 3),
                                            ("Q: what is lunch like for you", 2), ("Lunch", None), ("", None)])
def test_a_heading_names_its_question_by_number_or_by_text(import_session, hint, position):
    questions = list(import_session.protocol.questions.all())
    found = match_question(hint, questions)
    assert found == (questions[position - 1] if position else None)


def test_a_question_is_found_by_its_translation_too(import_session):
    question = import_session.protocol.questions.first()
    question.translations = {"es": {"text": "Cuéntame de un momento en la cafetería."}}
    question.save()
    assert match_question("cuentame de un momento en la cafeteria", list(import_session.protocol.questions.all())) == question


def test_headings_of_their_own_words_follow_the_protocol_order_and_what_comes_first_is_the_icebreaker(import_session):
    ana = f"{STUDENT}{students_of(import_session)['Ana'].pk}"
    questions = list(import_session.protocol.questions.all())
    result = plan(import_session, [block(1, "Ana", "Hi!"), block(2, "Ana", "Long.", "Lunch"), block(3, "Ana", "Fine.", "Friends")],
                  {"Ana": ana})
    assert result.problems == []
    assert [(p.step, p.question) for p in result.notes] == [(NoteStep.ICEBREAKER, None), (NoteStep.QUESTION, questions[0]),
                                                             (NoteStep.QUESTION, questions[1])]


def test_the_facilitators_question_moves_the_answers_after_it_and_is_not_kept(import_session):
    ana = f"{STUDENT}{students_of(import_session)['Ana'].pk}"
    questions = list(import_session.protocol.questions.all())
    result = plan(import_session, [block(1, "Kim", "And who do you go to, when something goes wrong?"),
                                   block(2, "Ana", "Mine was good.")],
                  {"Kim": FACILITATOR, "Ana": ana})
    assert [(p.block.position, p.question) for p in result.notes] == [(2, questions[2])]


def test_a_facilitator_asking_only_the_first_sentence_of_a_question_moves_the_answers_to_it(import_session):
    ana = f"{STUDENT}{students_of(import_session)['Ana'].pk}"
    questions = list(import_session.protocol.questions.all())
    questions[3].text = "Tell me about an adult at school you trust. What do they do that makes a difference?"
    questions[3].save()
    result = plan(import_session, [block(1, "Kim", "Tell me about an adult at school you trust."),
                                   block(2, "Ana", "Mr. Patel.")],
                  {"Kim": FACILITATOR, "Ana": ana})
    assert [(p.block.position, p.question) for p in result.notes] == [(2, questions[3])]
    assert match_question("Tell me about it", questions) is None  # a short first sentence is no question's


def test_a_students_name_opening_the_words_is_pointed_out_before_it_is_imported_with_them(import_session):
    students = students_of(import_session)
    names = sorted(students)
    ana, other = f"{STUDENT}{students['Ana'].pk}", names[1] if names[0] == "Ana" else names[0]
    result = plan(import_session, [block(1, "Ana", "Lunch is short.", "Lunch"),
                                   block(2, "Ana", f"{other} - I sit with my cousin."),
                                   block(3, "Ana", "Well - it depends.")],
                  {"Ana": ana})
    assert len(result.warnings) == 1 and f"“{other}”" in result.warnings[0] and "#2" in result.warnings[0]
    assert "#3" not in result.warnings[0] and not result.problems  # a warning: the import may still go ahead


def test_a_question_chosen_by_hand_holds_from_its_block_on(import_session):
    ana = f"{STUDENT}{students_of(import_session)['Ana'].pk}"
    questions = list(import_session.protocol.questions.all())
    blocks = [block(n, "Ana", f"words {n}") for n in range(1, 5)]
    result = plan(import_session, blocks, {"Ana": ana}, hand={1: ICEBREAKER, 3: str(questions[4].pk)})
    assert [(p.step, p.question) for p in result.notes] == [(NoteStep.ICEBREAKER, None)] * 2 + [(NoteStep.QUESTION, questions[4])] * 2


def test_every_problem_is_listed_unmapped_speakers_and_no_question(import_session):
    result = plan(import_session, [block(1, "Anita", "words"), block(2, "", "more words")], {"Anita": ""})
    assert any("“Anita” is not matched" in p for p in result.problems)
    assert any("name no speaker" in p for p in result.problems)
    result = plan(import_session, [block(1, "Anita", "words")], {"Anita": GROUP})
    assert result.problems == [str(NO_QUESTION_FOUND)]
    result = plan(import_session, [block(1, "Anita", "words")], {"Anita": IGNORE})
    assert result.problems == [str(NOTHING_TO_IMPORT)]


def test_a_heading_past_the_last_question_leaves_its_blocks_without_one(import_session):
    blocks = [block(n, "Ana", f"w{n}", f"Topic {n}") for n in range(1, 8)]  # seven headings, five questions
    result = plan(import_session, blocks, {"Ana": GROUP})
    assert result.problems == ["No question for blocks #6, #7: choose, below the mapping, the question they answer."]


def test_a_student_who_said_not_today_cannot_be_given_words(import_session):
    ana = students_of(import_session)["Ana"]
    SessionAssent.objects.create(session=import_session, student=ana, answer=SessionAssent.Answer.NOT_TODAY)
    pending = receive_upload(session=import_session, upload=upload("notes.docx", typed_notes_docx()))
    with pytest.raises(ImportProblems) as refusal:
        import_notes(session=import_session, pending=pending, user=None, hand={},
                     mapping={"Anita Q. Zorrilla": f"{STUDENT}{ana.pk}", "BENITO": GROUP})
    assert refusal.value.problems and not Note.objects.exists() and not NoteImport.objects.exists()


def vtt_mapping(session):
    s = students_of(session)
    return {"Facilitadora Kim": FACILITATOR, "Anita Q. Zorrilla": f"{STUDENT}{s['Ana'].pk}",
            "BENITO": f"{STUDENT}{s['Ben'].pk}", "Zed Scribe": NOTE_TAKER}


def test_a_transcript_is_imported_as_ordinary_notes_with_their_source(import_session, team,
                                                                       django_capture_on_commit_callbacks):
    pending = receive_upload(session=import_session, upload=upload("meeting.vtt", meeting_vtt()))
    assert default_storage.exists(pending.path)
    with django_capture_on_commit_callbacks(execute=True):
        record = import_notes(session=import_session, pending=pending, mapping=vtt_mapping(import_session), hand={},
                              user=team.facilitator)
    notes = list(Note.objects.filter(imported_from=record).order_by("source_position"))
    question_2 = list(import_session.protocol.questions.all())[1]
    s = students_of(import_session)
    assert [(n.source_position, n.student, n.kind, n.question, n.source_start_ms, n.source_end_ms) for n in notes] == [
        (2, s["Ana"], NoteKind.STUDENT, question_2, 4500, 9250),
        (3, s["Ben"], NoteKind.STUDENT, question_2, 751000, 755000),
        (4, None, NoteKind.OBSERVATION, question_2, 755000, 757000),
    ]
    assert all(n.version == 1 and n.author == team.facilitator and n.language == "" and n.step == NoteStep.QUESTION
               for n in notes)
    assert record.notes_created == 3 and record.file_name == "meeting.vtt" and record.format == NoteImport.Format.VTT
    assert len({n.pk for n in notes}) == 3
    assert not default_storage.exists(pending.path) and not default_storage.exists(pending.meta_path)


def test_the_same_file_twice_creates_nothing_the_second_time(import_session, team):
    pending = receive_upload(session=import_session, upload=upload("meeting.vtt", meeting_vtt()))
    import_notes(session=import_session, pending=pending, mapping=vtt_mapping(import_session), hand={}, user=team.facilitator)
    with pytest.raises(AlreadyImported, match="was already imported"):
        receive_upload(session=import_session, upload=upload("renamed.vtt", meeting_vtt()))
    assert Note.objects.count() == 3


def test_a_second_tab_importing_the_same_upload_creates_nothing(import_session, team):
    pending = receive_upload(session=import_session, upload=upload("meeting.vtt", meeting_vtt()))
    first = receive_upload(session=import_session, upload=upload("meeting.vtt", meeting_vtt()))
    import_notes(session=import_session, pending=first, mapping=vtt_mapping(import_session), hand={}, user=team.facilitator)
    with pytest.raises(AlreadyImported):
        import_notes(session=import_session, pending=pending, mapping=vtt_mapping(import_session), hand={}, user=team.facilitator)
    assert Note.objects.count() == 3 and NoteImport.objects.count() == 1


def test_a_failure_while_saving_leaves_no_note_and_no_import(import_session, team, monkeypatch):
    pending = receive_upload(session=import_session, upload=upload("meeting.vtt", meeting_vtt()))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Note.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        import_notes(session=import_session, pending=pending, mapping=vtt_mapping(import_session), hand={}, user=team.facilitator)
    assert not NoteImport.objects.exists() and not Note.objects.exists()
    assert default_storage.exists(pending.path)  # kept, to try again


@pytest.mark.parametrize("status", [SessionStatus.SCHEDULED, SessionStatus.CANCELLED])
def test_only_sessions_in_progress_or_completed_take_an_import(import_session, status):
    import_session.status = status
    import_session.save()
    from interviews.note_import.blocks import ImportFileRefused

    with pytest.raises(ImportFileRefused, match="in progress or completed"):
        receive_upload(session=import_session, upload=upload("meeting.vtt", meeting_vtt()))


def test_the_names_in_the_file_are_stored_nowhere(import_session, team):
    """Every text column of every row the import writes (notes, the import, the audit) is searched for each raw name."""
    before = {model: set(model.objects.values_list("pk", flat=True)) for model in (Note, NoteImport, AuditEvent)}
    pending = receive_upload(session=import_session, upload=upload("meeting.vtt", meeting_vtt()))
    import_notes(session=import_session, pending=pending, mapping=vtt_mapping(import_session), hand={}, user=team.facilitator)
    pending = receive_upload(session=import_session, upload=upload("notes.docx", typed_notes_docx()))
    s = students_of(import_session)
    import_notes(session=import_session, pending=pending, hand={}, user=team.facilitator,
                 mapping={"Anita Q. Zorrilla": f"{STUDENT}{s['Ana'].pk}", "BENITO": f"{STUDENT}{s['Ben'].pk}"})
    written = 0
    for model, old in before.items():
        columns = [f.attname for f in model._meta.concrete_fields
                   if isinstance(f, models.CharField | models.TextField | models.JSONField)]
        for row in model.objects.exclude(pk__in=old).values(*columns):
            written += 1
            for value in row.values():
                for name in RAW_NAMES:
                    assert name.casefold() not in str(value).casefold()
    assert written >= 7


def test_a_pending_file_left_behind_is_deleted_after_a_day(import_session):
    import datetime as dt

    from django.utils import timezone

    pending = receive_upload(session=import_session, upload=upload("meeting.vtt", meeting_vtt()))
    assert discard_stale() == 0 and load_pending(session=import_session, token=pending.token) == pending
    assert discard_stale(now=timezone.now() + dt.timedelta(hours=25)) == 2
    assert load_pending(session=import_session, token=pending.token) is None


def test_a_pending_file_is_found_only_in_its_own_session_with_its_token(import_session, team):
    pending = receive_upload(session=import_session, upload=upload("meeting.vtt", meeting_vtt()))
    other = type(import_session).objects.get(pk=import_session.pk)
    other.pk = import_session.pk + 1000
    assert load_pending(session=other, token=pending.token) is None
    assert load_pending(session=import_session, token="../../etc/passwd") is None
    assert parse_pending(pending).blocks[0].speaker == "Facilitadora Kim"


def test_an_imported_note_is_coded_edited_and_erased_like_a_typed_one(import_session, team):
    from analysis.codebook import add_code, seed_categories
    from analysis.coding import apply_code
    from analysis.models import CodeApplication
    from interviews.notes import NoteWrite, save_note
    from privacy.erasure import erase_student

    pending = receive_upload(session=import_session, upload=upload("meeting.vtt", meeting_vtt()))
    import_notes(session=import_session, pending=pending, mapping=vtt_mapping(import_session), hand={}, user=team.facilitator)
    ana = students_of(import_session)["Ana"]
    note = Note.objects.get(student=ana)
    code = add_code(team.program, category=seed_categories(team.program)[0], name="Noise")
    application = apply_code(note=note, code=code, coder=team.analyst, start=4, end=8)
    assert application.snippet == "café"
    result = save_note(session=import_session, user=team.facilitator, write=NoteWrite(
        id=note.pk, base_version=1, step=note.step, question_id=note.question_id, student_id=ana.pk, kind=note.kind,
        text="The café is far too loud. Nobody can hear anybody."))
    assert result.note.version == 2 and result.note.revisions.get().text.startswith("The café is too loud")
    erase_student(ana, actor=team.lead)
    note.refresh_from_db()
    assert note.erased_at is not None and note.text == "" and note.student is None
    assert CodeApplication.objects.get(pk=application.pk).snippet == ""
    assert note.imported_from is not None and note.source_position == 2


def test_imported_notes_are_in_the_runners_notes_and_the_workbench(client, import_session, team):
    from analysis.workbench import WorkbenchFilters, workbench_notes
    from interviews.views.runner import runner_data
    from recruitment.models import ConsentStatus, Invitation
    from tests.test_helpers import login

    for student in import_session.participants.all():
        Invitation.objects.create(program=team.program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
    pending = receive_upload(session=import_session, upload=upload("meeting.vtt", meeting_vtt()))
    record = import_notes(session=import_session, pending=pending, mapping=vtt_mapping(import_session), hand={},
                          user=team.facilitator)
    imported = {str(pk) for pk in record.notes.values_list("pk", flat=True)}
    assert imported <= {note["id"] for note in runner_data(import_session, team.facilitator)["notes"]}
    login(client, team.facilitator)
    poll = client.get(reverse("runner_notes", kwargs={"slug": team.program.slug, "pk": import_session.pk}))
    assert imported <= {note["id"] for note in poll.json()["notes"]}
    import_session.status = SessionStatus.COMPLETED
    import_session.save()
    found = {str(note.pk) for note in workbench_notes(team.program, WorkbenchFilters.from_query({}))}
    students_words = {str(pk) for pk in record.notes.filter(kind=NoteKind.STUDENT).values_list("pk", flat=True)}
    assert len(students_words) == 2 and students_words <= found
    assert not (imported - students_words) & found  # the note-taker's observation, as a typed one, is not coded
