from __future__ import annotations

import uuid

import pytest

from analysis.codebook import (
    NAME_TAKEN,
    CodebookRefused,
    add_code,
    copy_codebook,
    export_csv,
    import_csv,
    merge_codes,
    rename_code,
    retire_code,
)
from analysis.coding import BAD_SPAN, CodingRefused, apply_code, undo_last
from analysis.corpus import analysable_notes
from analysis.models import SEED_CATEGORIES, Category, Code, CodeApplication, Theme
from analysis.patterns import program_patterns
from interviews.models import Note, NoteKind
from interviews.notes import NoteWrite, save_note
from recruitment.models import ConsentStatus, Invitation
from tests.factories import ProgramFactory


def test_programs_start_with_the_three_seed_categories(coded):
    assert [c.name for c in Category.objects.filter(program=coded.team.program)] == [name for name, _ in SEED_CATEGORIES]


def test_code_names_are_unique_in_a_program(coded):
    with pytest.raises(CodebookRefused, match=NAME_TAKEN.format(name="noise")):
        add_code(coded.team.program, category=coded.codes["Noise"].category, name="noise")
    with pytest.raises(CodebookRefused):
        rename_code(coded.codes["Time"], name="Noise")


def test_merging_moves_every_application_and_theme_and_loses_nothing(coded):
    noise, time = coded.codes["Noise"], coded.codes["Time"]
    apply_code(note=coded.notes[0], code=noise, coder=coded.team.analyst)
    apply_code(note=coded.notes[0], code=time, coder=coded.team.analyst)  # same span: kept once
    apply_code(note=coded.notes[1], code=time, coder=coded.team.analyst, start=0, end=9)
    theme = Theme.objects.create(program=coded.team.program, name="Lunch")
    theme.codes.add(time)
    merge_codes(source=time, target=noise)
    assert not Code.objects.filter(pk=time.pk).exists()
    assert sorted(noise.applications.values_list("note_id", "start")) == sorted([(coded.notes[0].pk, 0), (coded.notes[1].pk, 0)])
    assert list(theme.codes.all()) == [noise]


def test_applying_validates_the_span_and_keeps_the_snippet(coded):
    note, code = coded.notes[0], coded.codes["Noise"]
    application = apply_code(note=note, code=code, coder=coded.team.analyst, start=11, end=25, stance="challenge")
    assert application.snippet == note.text[11:25] and application.stance == "challenge"
    with pytest.raises(CodingRefused, match=str(BAD_SPAN)):
        apply_code(note=note, code=code, coder=coded.team.analyst, start=5, end=500)
    retire_code(code)
    with pytest.raises(CodingRefused):
        apply_code(note=note, code=code, coder=coded.team.analyst)


def test_the_same_code_on_the_same_span_twice_keeps_one_coding_with_the_later_stance(coded):
    note, code, analyst = coded.notes[0], coded.codes["Noise"], coded.team.analyst
    before = CodeApplication.objects.count()
    first = apply_code(note=note, code=code, coder=analyst, start=11, end=25, stance="challenge")
    again = apply_code(note=note, code=code, coder=analyst, start=11, end=25, stance="strength")
    assert again.pk == first.pk and CodeApplication.objects.count() == before + 1
    assert CodeApplication.objects.get(pk=first.pk).stance == "strength"
    other = apply_code(note=note, code=code, coder=coded.team.lead, start=11, end=25)  # another person's own
    assert other.pk != first.pk and CodeApplication.objects.count() == before + 2


def test_undo_removes_the_coders_last_coding_only(coded):
    first = apply_code(note=coded.notes[0], code=coded.codes["Noise"], coder=coded.team.analyst)
    apply_code(note=coded.notes[1], code=coded.codes["Noise"], coder=coded.team.lead)
    second = apply_code(note=coded.notes[2], code=coded.codes["Time"], coder=coded.team.analyst)
    undone = undo_last(coder=coded.team.analyst, program=coded.team.program)
    assert (undone.coding.note_id, undone.coding.code_id, undone.id) == (second.note_id, second.code_id, second.pk)
    assert set(CodeApplication.objects.values_list("pk", flat=True)) == {first.pk, CodeApplication.objects.get(coder=coded.team.lead).pk}


def edit_note(coded, note: Note, text: str) -> None:
    save_note(session=coded.session, user=coded.team.facilitator, write=NoteWrite(
        id=note.id, base_version=note.version, step=note.step, question_id=note.question_id, student_id=note.student_id,
        kind=note.kind, text=text))


def test_spans_follow_their_words_when_a_note_is_edited_and_are_flagged_when_the_words_change(coded):
    note = coded.notes[0]
    loud = apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst, start=note.text.index("loud"),
                      end=note.text.index("loud") + 4)
    short = apply_code(note=note, code=coded.codes["Time"], coder=coded.team.analyst, start=note.text.index("short"),
                       end=note.text.index("short") + 5)
    edit_note(coded, note, "(Said quietly.) " + note.text.replace("short", "too quick"))
    loud.refresh_from_db()
    short.refresh_from_db()
    note.refresh_from_db()
    assert note.text[loud.start:loud.end] == "loud" and not loud.needs_review
    # Flagged, never dropped; but the words that were edited away do not live on in the snippet.
    assert short.needs_review and short.snippet == note.text[short.start:short.end] and short.snippet != "short"


def test_withdrawn_students_words_leave_analysis_at_once(coded):
    apply_code(note=coded.notes[0], code=coded.codes["Noise"], coder=coded.team.analyst)
    before = analysable_notes(coded.team.program).count()
    Invitation.objects.filter(student=coded.students[0]).update(student_assent=ConsentStatus.WITHDRAWN)
    assert analysable_notes(coded.team.program).count() == before - 1
    theme = Theme.objects.create(program=coded.team.program, name="Noise")
    theme.codes.add(coded.codes["Noise"])
    raised, _ = program_patterns(coded.team.program).overall(theme.pk)
    assert raised.display == "fewer than 5"


def test_patterns_count_distinct_students_and_suppress_small_groups(coded):
    noise = coded.codes["Noise"]
    for note in coded.notes[:12]:  # 12 ninth-graders raise it, twice for one of them
        apply_code(note=note, code=noise, coder=coded.team.analyst)
    apply_code(note=coded.notes[0], code=noise, coder=coded.team.analyst, start=0, end=7)
    theme = Theme.objects.create(program=coded.team.program, name="Noise")
    theme.codes.add(noise)
    patterns = program_patterns(coded.team.program)
    raised, interviewed = patterns.overall(theme.pk)
    assert (raised.display, interviewed.display) == ("12", "24")
    grade = next(t for t in patterns.tables(theme.pk) if t.criterion == "grade")
    cells = {c.category: c for c in grade.cells}
    # Grade 10's zero is small; showing Grade 9's 12 beside the total of 12 would reveal it.
    assert cells["Grade 10"].raised.display == "fewer than 5" and cells["Grade 9"].raised.display == "withheld"
    assert grade.raised_total.display == "12" and cells["Grade 9"].share == "—"
    assert cells["Grade 9"].interviewed.display == "16" and cells["Grade 10"].interviewed.display == "8"
    tables = {t.criterion: {c.category: c for c in t.cells} for t in patterns.tables(theme.pk)}
    # 3 English learners raised it: hidden, and so is the 9 that would reveal them by subtraction.
    assert tables["english_learner"]["Yes"].raised.display == "fewer than 5"
    assert tables["english_learner"]["No"].raised.display == "withheld"
    # Nobody's GPA is recorded: one category, nothing small, 12 of 24 interviewed.
    assert tables["gpa_band"]["Not recorded"].raised.display == "12" and tables["gpa_band"]["Not recorded"].share == "50%"


def test_codebooks_are_reused_and_exchanged_as_csv(coded):
    spring = ProgramFactory(slug="spring")
    assert copy_codebook(source=coded.team.program, target=spring) == 4
    text = export_csv(coded.team.program)
    assert text.splitlines()[0] == "category,code,definition,example" and "Noise" in text
    other = ProgramFactory(slug="other")
    assert import_csv(other, text) == 4 and import_csv(other, text) == 0
    with pytest.raises(CodebookRefused, match="Row 2"):
        import_csv(other, "category,code\nX,\n")


def test_a_follow_up_counts_for_its_student(coded):
    note = Note.objects.create(id=uuid.uuid4(), session=coded.session, step="follow_up", student=coded.students[20],
                               kind=NoteKind.FOLLOW_UP, text="Also the music room.")
    assert analysable_notes(coded.team.program).filter(pk=note.pk).exists()
