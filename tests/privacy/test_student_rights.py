"""A family's request about one student: export everything, correct, delete — each audited."""

from __future__ import annotations

import csv
import io
import subprocess
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from analysis.codebook import usage_counts
from analysis.coding import apply_code
from analysis.models import CodeApplication, Theme, ThemeQuote
from analysis.themes import add_quote
from audit.models import AuditAction, AuditEvent, DeletionRecord
from interviews.followups import make_slips
from interviews.models import FollowUpLink, Note, NoteKind, NoteRevision, NoteStep
from interviews.notes import NoteRejected, NoteWrite, save_note
from participants.models import Student
from participants.roles import PRIVACY_OFFICER, grant_district_role
from privacy import student_data
from privacy.erasure import erase_student
from recruitment.models import Invitation
from reports.models import Report, ReportKind, ReportStatus
from tests.factories import UserFactory
from tests.test_helpers import count_queries, login


def _with_history(coded):
    """The first student: a note with an earlier version, coded, quoted, a follow-up written."""
    student, note = coded.students[0], coded.notes[0]
    NoteRevision.objects.create(note=note, version=1, text="An earlier draft of what she said.")
    application = apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst, start=0, end=len(note.text))
    theme = Theme.objects.create(program=coded.team.program, name="Lunch is rushed")
    theme.codes.add(coded.codes["Noise"])
    add_quote(theme, application=application)
    Note.objects.create(id=uuid.uuid4(), session=coded.session, step=NoteStep.FOLLOW_UP, student=student,
                        kind=NoteKind.FOLLOW_UP, text="I forgot to say the line is long too.")
    return student, note, theme


def _registrar(**extra):
    """The district's privacy officer, on no program's team."""
    user = UserFactory(username="registrar")
    grant_district_role(user, PRIVACY_OFFICER)
    return user


@pytest.fixture
def registrar(db):
    return _registrar()


def test_gathering_holds_everything_about_the_student(coded):
    student, note, theme = _with_history(coded)
    data = student_data.gather(student, scope=student_data.EVERY_PROGRAM)
    assert [n.pk for n in data.notes][0] == note.pk and len(data.notes) == 2
    assert data.revisions[note.pk][0].text == "An earlier draft of what she said."
    assert [inv.program for inv in data.invitations] == [coded.team.program]
    assert [q.theme for q in data.quotes] == [theme]
    assert data.sessions == [coded.session]
    sections = {row[0] for row in student_data.csv_rows(data)}
    assert sections >= {"record", "consent", "session", "note", "earlier version", "coded", "quoted in a theme"}
    # The note's row names its program and the question it answered.
    assert ["note", coded.team.program.name, note.question.text, note.text] in [
        [row[0], row[1], row[3], row[4]] for row in student_data.csv_rows(data)]


def test_gathering_takes_the_same_queries_for_a_long_history(coded):
    student = coded.students[1]
    few = count_queries(lambda: student_data.gather(student, scope=student_data.EVERY_PROGRAM))
    _with_history(coded)
    for i in range(5):
        Note.objects.create(id=uuid.uuid4(), session=coded.session, step=NoteStep.WRAP_UP, student=coded.students[0],
                            text=f"more words {i}")
    assert count_queries(lambda: student_data.gather(coded.students[0], scope=student_data.EVERY_PROGRAM)) == few


def test_csv_export_is_downloadable_audited_and_spreadsheet_safe(client, coded, registrar):
    student, note, _ = _with_history(coded)
    note.text = "=HYPERLINK(\"http://evil\")"
    note.save()
    login(client, registrar)
    response = client.get(reverse("student_export", args=[student.pk, "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'attachment; filename="student-{student.local_id}-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == student_data.CSV_HEADER
    assert ["record", "", "", "First name", student.first_name] in rows
    assert any(row[4] == "'=HYPERLINK(\"http://evil\")" for row in rows)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_id=str(student.pk))
    assert event.actor == registrar and event.detail["format"] == "csv"
    assert event.program_slug == coded.team.program.slug  # the program's leads see it in their log


def test_pdf_export_carries_the_words_and_the_questions(client, coded, registrar, tmp_path):
    student, note, theme = _with_history(coded)
    login(client, registrar)
    response = client.get(reverse("student_export", args=[student.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "student.pdf"
    pdf.write_bytes(response.content)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    for expected in (student.full_name, student.local_id, note.text, note.question.text, "An earlier draft of what she said.",
                     "I forgot to say the line is long too.", f"Quoted for the theme “{theme.name}”", "Granted"):
        assert " ".join(expected.split()) in text
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__format="pdf").count() == 1


def test_an_unknown_export_format_is_not_found(client, coded, registrar):
    login(client, registrar)
    assert client.get(reverse("student_export", args=[coded.students[0].pk, "xml"])).status_code == 404


def test_student_pages_need_the_roster_permission(client, coded):
    login(client, coded.team.lead)  # a lead without the roster permissions
    student = coded.students[0]
    for name, args in (("student_record", [student.pk]), ("student_export", [student.pk, "csv"]),
                       ("student_correct", [student.pk]), ("student_delete", [student.pk])):
        assert client.get(reverse(name, args=args)).status_code == 403
    viewer = UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_student"))
    login(client, viewer)
    assert client.get(reverse("student_record", args=[student.pk])).status_code == 200
    assert client.get(reverse("student_correct", args=[student.pk])).status_code == 403
    assert client.post(reverse("student_delete", args=[student.pk]), {"confirmation": student.local_id}).status_code == 403
    assert Student.objects.filter(pk=student.pk).exists()


def test_record_page_shows_the_words_and_is_audited(client, coded, registrar):
    student, note, _ = _with_history(coded)
    login(client, registrar)
    page = client.get(reverse("student_record", args=[student.pk])).content.decode()
    assert student.full_name in page and note.text in page and "Delete this student" in page
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_STUDENT_NAMES, object_id=str(student.pk)).exists()


def test_correcting_a_record_changes_it_and_audits_the_fields_not_the_values(client, coded, registrar):
    student = coded.students[0]
    login(client, registrar)
    form = client.get(reverse("student_correct", args=[student.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(first_name="Dani", school=student.school_id, groups=[], race_ethnicity="Hispanic or Latino; White")
    data = {k: v for k, v in data.items() if v not in (False,)}
    response = client.post(reverse("student_correct", args=[student.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    student.refresh_from_db()
    assert student.first_name == "Dani" and student.race_ethnicity == ["Hispanic or Latino", "White"]
    event = AuditEvent.objects.get(action=AuditAction.CORRECT_RECORD)
    assert "first_name" in event.detail["fields"] and "Dani" not in str(event.detail)


def test_a_bad_correction_keeps_what_was_typed_and_says_why(client, coded, registrar):
    student, other = coded.students[0], coded.students[1]
    login(client, registrar)
    response = client.post(reverse("student_correct", args=[student.pk]), {
        "first_name": "Typed name", "last_name": student.last_name, "local_id": other.local_id,
        "school": student.school_id, "grade": 14, "gender": "female"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Another student already has this local id" in page and "Grades run from K (0) to 12." in page
    assert 'value="Typed name"' in page
    student.refresh_from_db()
    assert student.first_name != "Typed name"
    assert not AuditEvent.objects.filter(action=AuditAction.CORRECT_RECORD).exists()


def test_erasing_removes_words_and_identity_and_keeps_anonymous_counts(coded, registrar):
    student, note, theme = _with_history(coded)
    make_slips(coded.session, user=coded.team.lead)  # one link per participant
    counts_before = usage_counts(coded.team.program)
    pseudonym, local_id, words = student.pseudonym, student.local_id, note.text

    deletion = erase_student(student, actor=registrar)

    assert not Student.objects.filter(local_id=local_id).exists()
    note.refresh_from_db()
    assert note.text == "" and note.student is None and note.erased_at is not None
    assert not Note.objects.filter(text__contains="I forgot to say").exists()
    assert not NoteRevision.objects.filter(note=note).exists()
    assert not ThemeQuote.objects.filter(theme=theme).exists()
    assert not CodeApplication.objects.filter(snippet__contains=words[:20]).exists()
    assert not Invitation.objects.filter(student__local_id=local_id).exists()
    assert FollowUpLink.objects.count() == 23  # the others' links stay
    assert coded.session.participants.count() == 23
    assert usage_counts(coded.team.program) == counts_before  # the code was used as often as before
    assert deletion.subject == pseudonym and deletion.removed["notes_emptied"] == 2
    assert deletion.removed["theme_quotes"] == 1 and deletion.removed["consent_records"] == 1
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert event.actor == registrar and event.object_label == pseudonym and event.program_slug == coded.team.program.slug
    for text in (str(event.detail), str(deletion.removed), str(deletion)):
        assert student.first_name not in text and local_id not in text and words[:20] not in text


def test_erased_words_cannot_be_written_back_by_an_old_browser_copy(coded):
    note = coded.notes[0]
    note_write = NoteWrite.from_json({"id": str(note.pk), "version": note.version, "step": note.step,
                                      "question": note.question_id, "kind": note.kind, "text": note.text + " more"})
    erase_student(coded.students[0])
    coded.session.status = "in_progress"
    coded.session.save()
    with pytest.raises(NoteRejected, match="deleted"):
        save_note(session=coded.session, write=note_write, user=coded.team.facilitator)


def test_erased_words_leave_the_search_index_too(coded):
    from django.db import connection

    note = coded.notes[0]
    Note.objects.filter(pk=note.pk).update(text="Zanzibarquux is the word only this student said.")
    Note.objects.filter(pk=note.pk).update(text="Zanzibarquux is the word only this student said, twice.")

    def index_holds(word: str) -> bool:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":  # FTS5 keeps a changed row's old words in its segments until merged
                cursor.execute("SELECT block FROM interviews_note_fts_data")
                return any(word.encode() in bytes(block or b"") for (block,) in cursor.fetchall())
            cursor.execute("SELECT count(*) FROM interviews_note WHERE search_document @@ to_tsquery('simple', %s)",
                           [word])
            return cursor.fetchone()[0] > 0

    assert index_holds("zanzibarquux")
    erase_student(coded.students[0])
    assert not index_holds("zanzibarquux")


def test_erasing_removes_finished_roster_files_that_may_hold_the_student(coded, settings, tmp_path):
    from django.core.files.base import ContentFile

    from participants.models import RosterUpload

    settings.MEDIA_ROOT = tmp_path
    finished = RosterUpload.objects.create(original_name="r.csv", status=RosterUpload.Status.IMPORTED)
    finished.file.save("r.csv", ContentFile(f"id\n{coded.students[0].local_id}\n".encode()))
    waiting = RosterUpload.objects.create(original_name="w.csv", status=RosterUpload.Status.UPLOADED)
    waiting.file.save("w.csv", ContentFile(b"id\nX\n"))
    deletion = erase_student(coded.students[0])
    finished.refresh_from_db()
    waiting.refresh_from_db()
    assert deletion.removed["uploaded_roster_files"] == 1
    assert finished.file_removed_at and not finished.file and waiting.file and not waiting.file_removed_at


def test_erasing_renders_finished_reports_again(coded, settings):
    ready = Report.objects.create(program=coded.team.program, kind=ReportKind.THEMATIC, status=ReportStatus.READY)
    failed = Report.objects.create(program=coded.team.program, kind=ReportKind.THEMATIC, status=ReportStatus.FAILED)
    deletion = erase_student(coded.students[0])
    assert deletion.removed["reports_rendered_again"] == 1
    ready.refresh_from_db()
    failed.refresh_from_db()
    assert ready.status in (ReportStatus.QUEUED, ReportStatus.READY) and failed.status == ReportStatus.FAILED


def test_deleting_through_the_page_needs_the_local_id_typed(client, coded, registrar):
    student = coded.students[0]
    login(client, registrar)
    url = reverse("student_delete", args=[student.pk])
    assert "This cannot be undone" in client.get(url).content.decode()
    response = client.post(url, {"confirmation": "wrong"})
    assert response.status_code == 200 and "Type the student" in response.content.decode()
    assert Student.objects.filter(pk=student.pk).exists()
    response = client.post(url, {"confirmation": student.local_id}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("roster")
    assert "is deleted" in response.content.decode()
    assert not Student.objects.filter(pk=student.pk).exists()
    assert DeletionRecord.objects.filter(reason=DeletionRecord.Reason.STUDENT_REQUEST).count() == 1


def test_deletion_records_cannot_be_changed_or_removed(coded):
    deletion = erase_student(coded.students[0])
    from audit.models import AppendOnlyError

    with pytest.raises(AppendOnlyError):
        deletion.save()
    with pytest.raises(AppendOnlyError):
        deletion.delete()
    with pytest.raises(AppendOnlyError):
        DeletionRecord.objects.all().delete()


def test_the_programs_audit_page_lists_its_deletion_records(client, coded):
    erase_student(coded.students[0], actor=coded.team.lead)
    login(client, coded.team.lead)
    page = client.get(reverse("audit_log", args=[coded.team.program.slug])).content.decode()
    assert "A student&#x27;s record deleted on request" in page and "consent records: 1" in page
    assert "Deleted data" in page


def test_the_record_page_takes_the_same_queries_for_a_long_history(client, coded, registrar):
    student = coded.students[0]
    login(client, registrar)
    url = reverse("student_record", args=[student.pk])
    few = count_queries(lambda: client.get(url))
    _with_history(coded)
    for i in range(6):
        Note.objects.create(id=uuid.uuid4(), session=coded.session, step=NoteStep.WRAP_UP, student=student, text=f"more {i}")
    assert count_queries(lambda: client.get(url)) == few


def test_the_session_notes_page_says_which_words_were_deleted(client, coded):
    erase_student(coded.students[0])
    login(client, coded.team.lead)
    page = client.get(reverse("notes_review", args=[coded.team.program.slug, coded.session.pk])).content.decode()
    assert page.count("Words deleted on") == 1 and coded.notes[1].text in page


def test_runners_are_told_to_drop_erased_notes_and_do_not_load_them(client, coded):
    from interviews.views.runner import runner_data

    before = coded.notes[0].updated_at
    erase_student(coded.students[0])
    login(client, coded.team.facilitator)
    url = reverse("runner_notes", args=[coded.team.program.slug, coded.session.pk])
    answer = client.get(url, {"since": before.isoformat()}).json()
    erased = [n for n in answer["notes"] if n["id"] == str(coded.notes[0].pk)]
    assert erased and erased[0]["erased"] is True and erased[0]["text"] == ""
    loaded = {n["id"] for n in runner_data(coded.session, coded.team.facilitator)["notes"]}
    assert str(coded.notes[0].pk) not in loaded and str(coded.notes[1].pk) in loaded


def test_a_local_id_with_quotes_and_semicolons_keeps_the_download_header_whole(client, coded, registrar):
    student = coded.students[0]
    student.local_id = 'A"7;name=evil.exe'
    student.save(update_fields=["local_id"])
    login(client, registrar)
    header = client.get(reverse("student_export", args=[student.pk, "csv"]))["Content-Disposition"]
    # One quoted file name, its quote escaped: the id cannot end the value or add a parameter.
    assert header.startswith('attachment; filename="student-A\\"7;name=evil.exe-') and header.endswith('.csv"')
    assert header.count('"') == 3
