"""The consent letter: the lead writes it (English and Spanish, with a preview), prints a class set (one
letter a page, each family in their language, each with a working private code), e-mails it to families
with an address, and records answers that come back on paper."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from programs.models import Role
from recruitment.consent_codes import find_code
from recruitment.letters import (
    PRINT_FOLDER,
    PRINT_KEEP_SECONDS,
    LetterNotReady,
    class_set_pdf,
    consent_link,
    email_letters,
    make_stored_class_set,
    parts_in,
    print_class_set,
    purge_stale_class_sets,
    save_letter,
    start_class_set,
    take_class_set,
)
from recruitment.models import (
    ConsentAnswer,
    ConsentCode,
    ConsentContact,
    ConsentLetter,
    ConsentStatus,
    Invitation,
    InvitationStatus,
)
from tests.factories import MembershipFactory, StudentFactory, UserFactory

WORDS = {
    "purpose": "Our school wants to hear what helps students feel they belong.",
    "taking_part": "A small group conversation with classmates and a trained adult.",
    "duration": "About 45 minutes, in the school day.",
    "who_sees": "Only the project team reads the notes; reports never name a student.",
    "storage": "Notes are kept on the district's system and deleted by June 30.",
    "contact": "Ms. Rivera, rivera@example.org",
    "protected_topics": "",
}
SPANISH = {
    "purpose": "Nuestra escuela quiere escuchar qué ayuda a los estudiantes a sentirse parte.",
    "duration": "Unos 45 minutos, durante la jornada escolar.",
}
CODE = re.compile(r"\b([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\b")


def written_letter(program, lead, **changes):
    return save_letter(program=program, user=lead, parts={**WORDS, **changes}, translations={"es": SPANISH},
                       max_reminders=2, code_days=30)


def invite(program, **student):
    return Invitation.objects.create(program=program, student=StudentFactory(**student))


def pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "letters.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def form_data(**changes):
    data = {**WORDS, **{f"es_{k}": v for k, v in SPANISH.items()}, "max_reminders": "2", "code_days": "30",
            "action": "save"}
    data.update(changes)
    return data


# --- Writing the letter ----------------------------------------------------------------------------


def test_a_lead_saves_the_letter_in_english_and_spanish(client, team):
    client.force_login(team.lead)
    url = reverse("consent_letter", kwargs={"slug": team.program.slug})
    response = client.post(url, form_data())
    assert response.status_code == 302
    letter = ConsentLetter.objects.get(program=team.program)
    assert letter.purpose == WORDS["purpose"] and letter.code_days == 30
    assert letter.translations == {"es": SPANISH}
    page = client.get(url).content.decode()
    assert SPANISH["purpose"] in page and "Taking part is voluntary" in page  # the preview, fixed parts too


def test_a_required_part_left_empty_is_refused_and_what_was_typed_is_kept(client, team):
    client.force_login(team.lead)
    response = client.post(reverse("consent_letter", kwargs={"slug": team.program.slug}),
                           form_data(storage="   ", es_purpose="Mi texto en español"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Say how the words are kept and when they are deleted." in page
    assert WORDS["purpose"] in page and "Mi texto en español" in page
    assert not ConsentLetter.objects.filter(program=team.program).exists()


def test_preview_shows_unsaved_words_without_saving(client, team):
    client.force_login(team.lead)
    response = client.post(reverse("consent_letter", kwargs={"slug": team.program.slug}),
                           form_data(action="preview", purpose="A purpose not saved yet."))
    assert response.status_code == 200 and "A purpose not saved yet." in response.content.decode()
    assert not ConsentLetter.objects.filter(program=team.program).exists()


def test_a_code_lifetime_over_a_year_is_refused(client, team):
    client.force_login(team.lead)
    response = client.post(reverse("consent_letter", kwargs={"slug": team.program.slug}), form_data(code_days="400"))
    assert "A code works at most a year (365 days)." in response.content.decode()


def test_only_leads_open_the_letter_pages(client, team):
    for page in ("consent_letter", "consent_letters_pdf", "consent_email", "consent_paper"):
        client.force_login(team.facilitator)
        assert client.get(reverse(page, kwargs={"slug": team.program.slug})).status_code == 403
        client.force_login(team.lead)
        assert client.get(reverse(page, kwargs={"slug": team.program.slug})).status_code == 200


def test_a_part_without_spanish_is_given_in_english_marked(team):
    letter = written_letter(team.program, team.lead)
    parts = {part.key: part for part in parts_in(letter, "es")}
    assert parts["purpose"].text == SPANISH["purpose"] and parts["purpose"].translated
    assert parts["contact"].text == WORDS["contact"] and not parts["contact"].translated
    assert parts["purpose"].heading == "Por qué escuchamos"


# --- The class set ---------------------------------------------------------------------------------


def test_the_class_set_has_one_page_per_family_without_an_answer_each_with_a_working_code(team, tmp_path):
    written_letter(team.program, team.lead)
    ana = invite(team.program, first_name="Ana", last_name="Lopez", home_language="es")
    ben = invite(team.program, first_name="Ben", last_name="Kim", home_language="")
    answered = invite(team.program, first_name="Cy", last_name="Do")
    Invitation.objects.filter(pk=answered.pk).update(parent_consent=ConsentStatus.GRANTED)
    pdf, count = print_class_set(program=team.program, user=team.lead, base_url="http://testserver/")
    pages = pdf_pages(pdf, tmp_path)
    assert count == 2 and len(pages) == 2
    by_name = {("Ana" if "Ana Lopez" in page else "Ben"): page for page in pages}
    assert "Cy Do" not in " ".join(pages)
    assert "Estimada familia de Ana Lopez" in by_name["Ana"] and SPANISH["purpose"][:30] in by_name["Ana"]
    assert "Dear parent or guardian of Ben Kim" in by_name["Ben"]
    for name, invitation in (("Ana", ana), ("Ben", ben)):
        codes = CODE.findall(by_name[name])
        assert codes, f"no code on {name}'s letter"
        assert find_code(codes[0]).invitation_id == invitation.pk
    assert set(ConsentContact.objects.values_list("invitation", "kind", "language")) == {
        (ana.pk, "letter_printed", "es"), (ben.pk, "letter_printed", "en")}
    assert not ConsentCode.objects.filter(invitation=answered).exists()


def test_a_reprinted_letter_revokes_the_earlier_code(team, tmp_path):
    written_letter(team.program, team.lead)
    ana = invite(team.program, first_name="Ana")
    first = CODE.findall(pdf_pages(print_class_set(program=team.program, user=team.lead, base_url="http://t/")[0],
                                   tmp_path)[0])[0]
    second = CODE.findall(pdf_pages(print_class_set(program=team.program, user=team.lead, base_url="http://t/",
                                                    invitation_ids=[ana.pk])[0], tmp_path)[0])[0]
    assert find_code(first) is None and find_code(second).invitation_id == ana.pk
    assert ConsentContact.objects.filter(invitation=ana, kind="letter_printed").count() == 2


def test_printing_refuses_a_letter_not_written(team):
    invite(team.program)
    with pytest.raises(LetterNotReady):
        print_class_set(program=team.program, user=team.lead, base_url="http://t/")
    written_letter(team.program, team.lead, contact="")
    with pytest.raises(LetterNotReady):
        print_class_set(program=team.program, user=team.lead, base_url="http://t/")
    assert not ConsentCode.objects.exists()


def test_a_pdf_that_fails_keeps_the_earlier_code(team, monkeypatch):
    written_letter(team.program, team.lead)
    ana = invite(team.program)
    earlier = consent_link(invitation=ana, base_url="http://t/").rstrip("/").rsplit("/", 1)[1]

    def broken(*args, **kwargs):
        raise OSError("no fonts")

    monkeypatch.setattr("recruitment.letters._render_pdf", broken)
    with pytest.raises(OSError):
        print_class_set(program=team.program, user=team.lead, base_url="http://t/")
    assert find_code(earlier).invitation_id == ana.pk
    assert not ConsentContact.objects.exists()


def test_the_print_page_makes_the_pdf_in_a_task_and_hands_it_over_once(client, team, tmp_path,
                                                                        django_capture_on_commit_callbacks):
    written_letter(team.program, team.lead)
    invite(team.program, first_name="Ana")
    invite(team.program, first_name="Ben")
    client.force_login(team.lead)
    url = reverse("consent_letters_pdf", kwargs={"slug": team.program.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "all"})
    assert response.status_code == 302 and "?job=" in response["Location"]
    job = response["Location"].split("?job=")[1]
    ready = client.get(response["Location"]).content.decode()
    assert "2 letters are ready." in ready
    assert not AuditEvent.objects.filter(action="export").exists()
    download = client.get(url, {"job": job, "download": "1"})
    assert download["Content-Type"] == "application/pdf"
    assert len(pdf_pages(download.content, tmp_path)) == 2
    assert AuditEvent.objects.filter(action="export", detail__consent_letters_printed=2).exists()
    assert not default_storage.listdir(PRINT_FOLDER)[1]  # the codes are not kept once handed over
    again = client.get(url, {"job": job, "download": "1"})
    assert again.status_code == 302


def test_another_lead_cannot_take_someone_elses_letters(client, team, django_capture_on_commit_callbacks):
    written_letter(team.program, team.lead)
    invite(team.program)
    other = UserFactory(username="other-lead")
    MembershipFactory(program=team.program, user=other, role=Role.LEAD)
    client.force_login(team.lead)
    url = reverse("consent_letters_pdf", kwargs={"slug": team.program.slug})
    with django_capture_on_commit_callbacks(execute=True):
        job = client.post(url, {"action": "all"})["Location"].split("?job=")[1]
    client.force_login(other)
    response = client.get(url, {"job": job, "download": "1"})
    assert response.status_code == 302 and response["Content-Type"].startswith("text/html")
    assert take_class_set(job, program=team.program, user=team.lead) is not None


def test_a_class_set_never_downloaded_is_deleted_later(team):
    written_letter(team.program, team.lead)
    invite(team.program)
    job = start_class_set(program=team.program, user=team.lead)
    state = make_stored_class_set(job=job, program=team.program, user=team.lead, base_url="http://t/")
    assert state["status"] == "done" and default_storage.exists(state["file"])
    assert purge_stale_class_sets() == 0
    assert purge_stale_class_sets(now=timezone.now() + dt.timedelta(seconds=PRINT_KEEP_SECONDS + 60)) == 1
    assert not default_storage.exists(state["file"])


def test_a_class_set_that_fails_says_why_and_prints_nothing(team, monkeypatch):
    written_letter(team.program, team.lead)
    invite(team.program)
    monkeypatch.setattr("recruitment.letters._render_pdf", lambda *a, **k: (_ for _ in ()).throw(OSError("no fonts")))
    job = start_class_set(program=team.program, user=team.lead)
    state = make_stored_class_set(job=job, program=team.program, user=team.lead, base_url="http://t/")
    assert state["status"] == "failed" and "no fonts" in state["error"]
    assert not ConsentCode.objects.exists() and not ConsentContact.objects.exists()


def test_printing_ticked_letters_only_with_none_ticked_says_so(client, team):
    written_letter(team.program, team.lead)
    invite(team.program)
    client.force_login(team.lead)
    response = client.post(reverse("consent_letters_pdf", kwargs={"slug": team.program.slug}), {"action": "chosen"})
    assert "Tick at least one family" in response.content.decode()
    assert not ConsentCode.objects.exists()


def test_the_class_set_pdf_for_reminders_records_no_contact(team, tmp_path):
    written_letter(team.program, team.lead)
    ana = invite(team.program, first_name="Ana")
    pages = pdf_pages(class_set_pdf(program=team.program, invitations=[ana], base_url="http://t/"), tmp_path)
    assert len(pages) == 1 and find_code(CODE.findall(pages[0])[0]).invitation_id == ana.pk
    assert not ConsentContact.objects.exists()


# --- E-mail ---------------------------------------------------------------------------------------


def test_the_letter_is_emailed_in_each_familys_language_never_to_one_that_answered(team):
    written_letter(team.program, team.lead)
    ana = invite(team.program, first_name="Ana", guardian_email="ana.family@example.org", home_language="es")
    invite(team.program, first_name="Ben", guardian_email="")
    done = invite(team.program, first_name="Cy", guardian_email="cy.family@example.org")
    Invitation.objects.filter(pk=done.pk).update(parent_consent=ConsentStatus.DECLINED)
    sent = email_letters(program=team.program, user=team.lead, base_url="http://testserver/")
    assert sent == 1 and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana.family@example.org"]
    assert message.subject.startswith("¿Puede Ana") and SPANISH["purpose"] in message.body
    code = CODE.findall(message.body)[0]
    assert find_code(code).invitation_id == ana.pk and f"http://testserver/c/{code}/" in message.body
    assert list(ConsentContact.objects.values_list("invitation", "kind", "language")) == [(ana.pk, "letter_emailed", "es")]


def test_the_email_page_sends_through_the_task(client, team, django_capture_on_commit_callbacks):
    written_letter(team.program, team.lead)
    ana = invite(team.program, guardian_email="ana.family@example.org")
    client.force_login(team.lead)
    url = reverse("consent_email", kwargs={"slug": team.program.slug})
    assert "ana.family@example.org" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"invitations": [str(ana.pk)]})
    assert response.status_code == 302 and len(mail.outbox) == 1
    assert ConsentContact.objects.filter(invitation=ana, kind="letter_emailed").exists()


def test_a_family_that_answered_meanwhile_is_not_emailed(client, team):
    written_letter(team.program, team.lead)
    ana = invite(team.program, guardian_email="ana.family@example.org")
    Invitation.objects.filter(pk=ana.pk).update(parent_consent=ConsentStatus.GRANTED)
    sent = email_letters(program=team.program, user=team.lead, base_url="http://t/", invitation_ids=[ana.pk])
    assert sent == 0 and not mail.outbox


def test_a_mail_server_failure_keeps_the_familys_earlier_code(team, monkeypatch):
    written_letter(team.program, team.lead)
    ana = invite(team.program, guardian_email="ana.family@example.org")
    earlier = consent_link(invitation=ana, base_url="http://t/").rstrip("/").rsplit("/", 1)[1]

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("recruitment.letters.send_mail", refused)
    assert email_letters(program=team.program, user=team.lead, base_url="http://t/") == 0
    assert find_code(earlier) is not None and not ConsentContact.objects.exists()


# --- Paper ----------------------------------------------------------------------------------------


def test_a_paper_answer_is_recorded_with_its_date_and_method(client, team):
    ana = invite(team.program, first_name="Ana")
    Invitation.objects.filter(pk=ana.pk).update(student_assent=ConsentStatus.GRANTED)
    client.force_login(team.lead)
    on = timezone.localdate() - dt.timedelta(days=3)
    response = client.post(reverse("consent_paper", kwargs={"slug": team.program.slug}), {
        "invitation": ana.pk, "answer": "granted", "guardian_name": "Rosa Lopez", "relationship": "mother",
        "on": on.isoformat()})
    assert response.status_code == 302
    answer = ConsentAnswer.objects.get()
    assert (answer.method, answer.answered_on, answer.guardian_name, answer.recorded_by) == ("paper", on, "Rosa Lopez", team.lead)
    ana.refresh_from_db()
    assert (ana.parent_consent, ana.parent_consent_on, ana.parent_consent_method) == ("granted", on, "paper")
    assert ana.status == InvitationStatus.CONSENTED
    assert AuditEvent.objects.filter(detail__method="paper", detail__consent="granted").exists()


def test_a_paper_answer_without_name_or_with_a_future_date_is_refused_and_kept(client, team):
    ana = invite(team.program)
    client.force_login(team.lead)
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client.post(reverse("consent_paper", kwargs={"slug": team.program.slug}), {
        "invitation": ana.pk, "answer": "declined", "guardian_name": "", "relationship": "father", "on": future})
    page = response.content.decode()
    assert "The date cannot be in the future." in page and "Write your name" in page
    assert 'value="father"' in page
    assert not ConsentAnswer.objects.exists()
