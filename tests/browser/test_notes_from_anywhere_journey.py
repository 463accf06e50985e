"""Issue 18's "done when", walked in a browser: a lead imports a .docx of typed notes and a .vtt meeting
transcript into a session (both written here by the test), maps the speakers, sees the notes in the runner and
on the workbench, searches a phrase with its accents left out, codes every result and undoes it; a district
user finds those words in the district repository, and the lead of a different program does not."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from analysis.codebook import add_code, seed_categories
from analysis.models import CodeApplication
from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from participants.roles import DISTRICT_ADMINISTRATOR, grant_district_role
from programs.models import Role
from recruitment.models import ConsentStatus, Invitation
from tests.browser.helpers import signed_in
from tests.conftest import PROJECT_DIR
from tests.factories import MembershipFactory, ProgramFactory, StudentFactory, UserFactory, ready_protocol
from tests.interviews.note_import_files import docx_bytes, vtt_bytes

pytestmark = pytest.mark.browser
SHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"
QUESTIONS = ["What is lunch like for you?", "Where do you feel you belong at school?"]
DOCX = "typed-notes.docx"
VTT = "meeting.vtt"


def typed_notes() -> bytes:
    # A note-taker's Word document: headings for the questions, speakers as the note-taker wrote them.
    return docx_bytes([
        ("Title", "Focus group on lunch"),
        ("Heading 2", "Question 1"),
        ("", "Student A: La cafetería ruidosa me cansa, no puedo hablar con nadie."),
        ("", "STUDENT B - I eat outside when it is sunny."),
        ("Heading 2", "Question 2"),
        ("", "[Student A] My friends save me a seat in the art room."),
    ])


def meeting() -> bytes:
    # A video meeting's transcript: speakers in <v> tags, the facilitator asking the protocol's first question.
    return vtt_bytes([
        (2.0, 5.0, "<v Facilitator>What is lunch like for you?</v>"),
        (6.0, 9.5, "<v Carla M.>Sí, la CAFETERIA RUIDOSA es lo peor del día.</v>"),
        (10.0, 12.0, "<v Bee>Nobody can hear anybody.</v>"),
    ])


@pytest.fixture
def district(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lead_a, lead_b = UserFactory(username="lead-a"), UserFactory(username="lead-b")
    facilitator = UserFactory(username="facilitator-a", first_name="Kim", last_name="Lee")
    a = ProgramFactory(slug="lunch-2026", name="Lunch listening", suppression_threshold=5)
    b = ProgramFactory(slug="hallways-2025", name="Hallways", starts_on=dt.date(2025, 1, 6),
                       ends_on=dt.date(2025, 6, 20))
    MembershipFactory(program=a, user=lead_a, role=Role.LEAD)
    MembershipFactory(program=a, user=facilitator, role=Role.FACILITATOR)
    MembershipFactory(program=b, user=lead_b, role=Role.LEAD)
    protocol = ready_protocol(a, questions=2)
    for question, text in zip(protocol.questions.order_by("position"), QUESTIONS, strict=True):
        question.text = text
        question.save()
    session = Session.objects.create(program=a, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now() - dt.timedelta(hours=2), facilitator=facilitator,
                                     status=SessionStatus.COMPLETED)
    students = [StudentFactory(first_name=first, last_name=last)
                for first, last in (("Anita", "Zorrilla"), ("Benito", "Ortiz"), ("Carla", "Cruz"))]
    session.participants.set(students)
    for student in students:
        Invitation.objects.create(program=a, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
    categories = seed_categories(a)
    noise = add_code(a, category=categories[2], name="Noise")
    # Program B's own words, from last year.
    protocol_b = ready_protocol(b, questions=1)
    session_b = Session.objects.create(program=b, format=SessionFormat.INDIVIDUAL, protocol=protocol_b,
                                       starts_at=timezone.make_aware(dt.datetime(2025, 3, 4, 10)),
                                       facilitator=lead_b, status=SessionStatus.COMPLETED)
    student_b = StudentFactory(first_name="Dora", last_name="Vance")
    session_b.participants.set([student_b])
    Invitation.objects.create(program=b, student=student_b, parent_consent=ConsentStatus.GRANTED,
                              student_assent=ConsentStatus.GRANTED)
    Note.objects.create(id=uuid.uuid4(), session=session_b, step=NoteStep.QUESTION,
                        question=protocol_b.questions.first(), student=student_b, kind=NoteKind.STUDENT,
                        text="Los pasillos están llenos entre clases.")
    district_user = UserFactory(username="district-admin")
    grant_district_role(district_user, DISTRICT_ADMINISTRATOR)
    return {"a": a, "b": b, "session": session, "students": {s.first_name: s for s in students}, "noise": noise,
            "lead_a": lead_a, "lead_b": lead_b, "district_user": district_user, "student_b": student_b}


def import_file(page, session, name: str, data: bytes, mimetype: str, choices: dict[str, str],
                hand: tuple[int, str] | None = None) -> None:
    page.goto(f"/programs/{session.program.slug}/sessions/{session.pk}/")
    page.locator("#session-import-notes").click()
    page.get_by_label("File of notes or transcript").set_input_files(
        {"name": name, "mimeType": mimetype, "buffer": data})
    page.locator("#note-import-read").click()
    expect(page.get_by_role("heading", name=f"Import notes from {name}")).to_be_visible()
    for speaker, value in choices.items():
        page.get_by_label(speaker, exact=True).select_option(value)
    if hand is not None:
        page.locator("#id_from_block_1").fill(str(hand[0]))
        page.locator("#id_question_1").select_option(hand[1])
    page.locator("#note-import-refresh").click()
    expect(page.locator("#import-problems")).to_have_count(0)
    page.locator("#note-import-confirm").click()
    expect(page.get_by_role("alert").filter(has_text=f"from {name}")).to_be_visible()


def test_notes_from_a_word_file_and_a_meeting_transcript_are_found_coded_and_searched_across_programs(
        browser, live_server, district):
    session, students = district["session"], district["students"]
    slug = district["a"].slug
    student = {name: f"student:{s.pk}" for name, s in students.items()}
    context, page = signed_in(browser, live_server, district["lead_a"].username)

    # The Word document: two speakers the app cannot guess, mapped by hand; questions from its headings.
    import_file(page, session, DOCX, typed_notes(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                {"Student A": student["Anita"], "STUDENT B": student["Benito"]})
    # The transcript: the facilitator's line is not kept; "Bee" is Benito; the answers are to question 1.
    first_question = str(session.protocol.questions.get(position=1).pk)
    import_file(page, session, VTT, meeting(), "text/vtt",
                {"Facilitator": "facilitator", "Carla M.": student["Carla"], "Bee": student["Benito"]},
                hand=(1, first_question))
    imported = Note.objects.filter(session=session, imported_from__isnull=False)
    assert imported.count() == 5
    assert set(imported.values_list("imported_from__file_name", flat=True)) == {DOCX, VTT}
    assert imported.get(text__startswith="Sí, la CAFETERIA").source_start_ms == 6000
    html_of_notes = " ".join(imported.values_list("text", flat=True))
    assert "Student A" not in html_of_notes and "Carla M." not in html_of_notes

    # The runner shows them at their questions.
    page.goto(f"/programs/{slug}/sessions/{session.pk}/run/")
    page.locator("#steps button", has_text="Question 1").click()
    expect(page.locator("#notes li textarea")).to_have_count(4)
    shown = page.locator("#notes li textarea").evaluate_all("boxes => boxes.map((box) => box.value)")
    assert sorted(shown) == sorted(["La cafetería ruidosa me cansa, no puedo hablar con nadie.",
                                    "I eat outside when it is sunny.", "Sí, la CAFETERIA RUIDOSA es lo peor del día.",
                                    "Nobody can hear anybody."])
    expect(page.locator("#notes li .who").filter(has_text="Carla")).to_have_count(1)
    page.locator("#steps button", has_text="Question 2").click()
    expect(page.locator("#notes li textarea")).to_have_value("My friends save me a seat in the art room.")

    # The workbench: all five, then a phrase typed without its accent and in lower case finds both spellings.
    page.goto(f"/programs/{slug}/analysis/workbench/")
    for words in ("La cafetería ruidosa me cansa", "Nobody can hear anybody", "save me a seat"):
        expect(page.locator("[data-note-text]").filter(has_text=words)).to_have_count(1)
    page.get_by_label("Words students said").fill('"cafeteria ruidosa"')
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#bulk-coding-title")).to_have_text("2 notes have “\"cafeteria ruidosa\"”")
    expect(page.locator(".note-card")).to_have_count(2)
    marks = page.locator("[data-note-text] mark")
    expect(marks).to_have_count(2)
    assert sorted(marks.all_inner_texts()) == ["CAFETERIA RUIDOSA", "cafetería ruidosa"]

    # Code every result, confirmed with the count, then undone in one action.
    page.locator("#bulk-code").select_option(str(district["noise"].pk))
    page.get_by_role("button", name="Code every result…").click()
    expect(page.locator("#bulk-confirm")).to_contain_text("This will code 2 notes with “Noise”.")
    page.locator("#bulk-confirm").get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("alert").filter(has_text="Coded 2 notes with “Noise”.")).to_be_visible()
    expect(page.locator(".coding-chip", has_text="Noise")).to_have_count(2)
    assert CodeApplication.objects.filter(code=district["noise"]).count() == 2
    page.locator("#last-bulk").get_by_role("button", name="Undo it").click()
    expect(page.get_by_role("alert").filter(has_text="Undone")).to_be_visible()
    expect(page.locator(".coding-chip", has_text="Noise")).to_have_count(0)
    assert not CodeApplication.objects.filter(code=district["noise"]).exists()
    context.close()

    # A district user finds program A's imported words and program B's, by pseudonym, in the repository.
    context, page = signed_in(browser, live_server, district["district_user"].username)
    page.get_by_role("link", name="Students' words").click()
    page.get_by_label("Words or phrase").fill('"cafeteria ruidosa"')
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.locator("[data-repository-note]")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("Lunch listening")
    for name in ("Anita", "Carla"):
        expect(results.filter(has_text=students[name].pseudonym)).to_have_count(1)
    body = page.locator("main").inner_text()
    assert not re.search(r"\b(Anita|Carla|Zorrilla|Cruz)\b", body)
    assert students["Anita"].local_id not in page.content()
    expect(page.locator("[data-repository-counts]")).to_contain_text("fewer than 5 students")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "repository-district.png"), full_page=True)
    page.get_by_label("Words or phrase").fill("pasillos")
    page.get_by_label("Program", exact=True).select_option(district["b"].slug)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Hallways")
    expect(results.first).to_contain_text(district["student_b"].pseudonym)
    expect(results.first.locator("mark")).to_have_text("pasillos")
    context.close()

    # The lead of program B searches the same words: program A's are not there, nor can A be chosen.
    context, page = signed_in(browser, live_server, district["lead_b"].username)
    page.get_by_role("link", name="Search your programs' words").click()
    expect(page.get_by_label("Program", exact=True).locator("option")).to_have_count(2)  # all of mine, and Hallways
    page.get_by_label("Words or phrase").fill('"cafeteria ruidosa"')
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("[data-repository-note]")).to_have_count(0)
    expect(page.get_by_text("No student's words match.")).to_be_visible()
    page.goto(f"/district/repository/?q=cafeteria&program={slug}")
    expect(page.get_by_text("that one is not among those you may search")).to_be_visible()
    expect(page.locator("[data-repository-note]")).to_have_count(0)
    page.goto("/district/repository/?q=pasillos")
    expect(page.locator("[data-repository-note]")).to_have_count(1)
    context.close()
