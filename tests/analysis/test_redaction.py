"""An edit or redaction of a note reaches every copy of its words: coded snippets, theme quotes, the
excerpts export and the reports already made."""

from __future__ import annotations

from analysis.coding import apply_code
from analysis.exports import coded_excerpts_rows
from analysis.models import CodeApplication, Theme, ThemeQuote
from analysis.redaction import follow_edit
from analysis.themes import add_quote
from interviews.models import NoteStep
from interviews.notes import NoteWrite, save_note
from reports.models import Report, ReportKind, ReportStatus
from reports.render import render_report
from tests.reports.test_reports import pdf_text

SECRET = "Jordan's dad"


def _coded_and_quoted(coded):
    note = coded.notes[0]
    note.text = f"At lunch {SECRET} shouted at me, and the cafeteria is loud."
    note.save(update_fields=["text"])
    span = note.text.index(SECRET)
    coding = apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst, start=span,
                        end=span + len(SECRET) + len(" shouted at me"), stance="challenge")
    whole = apply_code(note=note, code=coded.codes["Time"], coder=coded.team.analyst)
    theme = Theme.objects.create(program=coded.team.program, name="Adults at lunch")
    theme.codes.add(coded.codes["Noise"])
    add_quote(theme, application=coding)
    return note, coding, whole, theme


def _redact(coded, note, text):
    write = NoteWrite(id=note.pk, base_version=note.version, step=note.step or NoteStep.QUESTION,
                      question_id=note.question_id, student_id=note.student_id, kind=note.kind, text=text)
    return save_note(session=coded.session, write=write, user=coded.team.facilitator)


def test_a_redaction_removes_the_words_from_snippets_and_quotes(coded):
    note, coding, whole, theme = _coded_and_quoted(coded)
    _redact(coded, note, "At lunch [removed] shouted at me, and the cafeteria is loud.")
    coding.refresh_from_db()
    assert SECRET not in coding.snippet and coding.needs_review  # the coding stays, flagged, without the words
    assert not ThemeQuote.objects.filter(theme=theme).exists()  # a quote must be the exact words: it goes
    assert not CodeApplication.objects.filter(snippet__contains=SECRET).exists()
    whole.refresh_from_db()
    assert SECRET not in whole.snippet


def test_an_edit_that_keeps_the_words_moves_the_spans_and_quotes_with_them(coded):
    note, coding, _whole, theme = _coded_and_quoted(coded)
    _redact(coded, note, f"Yesterday. At lunch {SECRET} shouted at me, and the cafeteria is loud.")
    coding.refresh_from_db()
    quote = ThemeQuote.objects.get(theme=theme)
    note.refresh_from_db()
    assert note.text[coding.start:coding.end] == coding.snippet and not coding.needs_review
    assert note.text[quote.start:quote.end] == quote.snippet


def test_the_excerpts_export_no_longer_carries_the_words(coded):
    note, *_ = _coded_and_quoted(coded)
    _redact(coded, note, "At lunch someone shouted.")
    exported = "\n".join(",".join(map(str, row)) for row in coded_excerpts_rows(coded.team.program))
    assert SECRET not in exported


def test_reports_already_made_are_rendered_again_without_the_words(coded, settings, tmp_path,
                                                                   django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    note, _coding, _whole, _theme = _coded_and_quoted(coded)
    report = Report.objects.create(program=coded.team.program, kind=ReportKind.THEMATIC)
    render_report(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and "shouted at me" in pdf_text(report)
    with django_capture_on_commit_callbacks(execute=True):
        _redact(coded, note, "At lunch [removed], and the cafeteria is loud.")
    report.refresh_from_db()
    assert report.status == ReportStatus.READY  # rendered again in-process (eager Celery)
    assert "Jordan" not in pdf_text(report) and "shouted at me" not in pdf_text(report)


def test_an_edit_that_touches_no_copy_renders_nothing_again(coded, django_capture_on_commit_callbacks):
    note = coded.notes[5]
    with django_capture_on_commit_callbacks() as callbacks:
        assert not follow_edit(note).copies_changed
    assert callbacks == []
