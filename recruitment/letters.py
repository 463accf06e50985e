"""The consent letter: the program's words (written by its lead, in English and Spanish), the parts the
app adds to every letter (taking part is voluntary, can be stopped at any time, the family's private code),
and the letters themselves: a class set printed as one PDF (one letter a page), or e-mailed.

Each family reads the letter in their recorded language (`Student.home_language`) when the app speaks
it, English otherwise; a part the lead has not written in that language is printed in English.
Printing or e-mailing a letter gives that family a new private code (the old one stops working) and is
recorded as a `ConsentContact`. Nothing goes to a family that has answered."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

import segno
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from recruitment.consent_codes import issue_code
from recruitment.models import ConsentContact, ConsentLetter, ConsentStatus, Invitation
from toolkit.languages import offered, supported
from toolkit.pdf import STATIC_PREFIX, static_only_fetcher

logger = logging.getLogger(__name__)

BASE_LANGUAGE = "en"
# The program's parts of the letter, in the order a family reads them, and which must be written.
PARTS = ("purpose", "taking_part", "duration", "who_sees", "storage", "contact", "protected_topics")
REQUIRED = ("purpose", "taking_part", "duration", "who_sees", "storage", "contact")
HEADINGS = {
    "purpose": _("Why we are listening"),
    "taking_part": _("What taking part means"),
    "duration": _("How long it takes"),
    "who_sees": _("Who will see what students say"),
    "storage": _("How the words are kept, and when they are deleted"),
    "contact": _("Questions"),
    "protected_topics": _("Topics you may ask us to skip"),
}
PART_TOO_LONG = 4000
NOT_WRITTEN = _("The consent letter is not written yet: fill in its parts on the letter page first.")


class LetterNotReady(ValueError):
    pass


@dataclass(frozen=True)
class Part:
    key: str
    heading: str
    text: str
    translated: bool  # False: printed in English, the letter has no version of it in this language


@dataclass(frozen=True)
class Letter:
    """One family's letter, ready to print or send (the code appears only here, never stored)."""

    invitation: Invitation
    student_name: str
    language: str
    parts: list[Part]
    code: str
    url: str
    qr_svg: str
    expires_at: dt.datetime


def letter_for(program) -> ConsentLetter:
    """The program's letter (unsaved and empty when the lead has not written it)."""
    try:
        return program.consent_letter
    except ConsentLetter.DoesNotExist:
        return ConsentLetter(program=program)


def translation_languages() -> list[str]:
    return [code for code in offered() if code != BASE_LANGUAGE]


def missing_parts(letter: ConsentLetter) -> list[str]:
    return [key for key in REQUIRED if not (getattr(letter, key) or "").strip()]


def untranslated_parts(letter: ConsentLetter, language: str) -> list[str]:
    """The written parts that have no version in `language` yet."""
    if language == BASE_LANGUAGE:
        return []
    words = (letter.translations or {}).get(language) or {}
    return [key for key in PARTS if (getattr(letter, key) or "").strip() and not (words.get(key) or "").strip()]


def save_letter(*, program, user, parts: dict[str, str], translations: dict[str, dict[str, str]],
                max_reminders: int, code_days: int) -> ConsentLetter:
    """Keep the lead's words (the form has checked them): English parts, other languages' versions."""
    letter = letter_for(program)
    for key in PARTS:
        setattr(letter, key, (parts.get(key) or "").strip())
    letter.translations = {
        language: {key: text.strip() for key, text in words.items() if key in PARTS and (text or "").strip()}
        for language, words in translations.items() if language in translation_languages()
    }
    letter.translations = {language: words for language, words in letter.translations.items() if words}
    letter.max_reminders, letter.code_days, letter.updated_by = max_reminders, code_days, user
    letter.save()
    return letter


def family_language(student) -> str:
    """The language a family's letter and consent page speak: their recorded one when offered, else English."""
    return supported(student.home_language) or BASE_LANGUAGE


def parts_in(letter: ConsentLetter, language: str) -> list[Part]:
    """The letter's written parts in `language`, in English where it has none there (marked)."""
    words = ((letter.translations or {}).get(language) or {}) if language != BASE_LANGUAGE else {}
    with translation.override(language):
        found = []
        for key in PARTS:
            english = (getattr(letter, key) or "").strip()
            local = (words.get(key) or "").strip()
            if local or english:
                found.append(Part(key, str(HEADINGS[key]), local or english, bool(local) or language == BASE_LANGUAGE))
        return found


def waiting_for_answer(program, *, invitation_ids=None):
    """The program's invitations whose family has not answered (of `invitation_ids` when given)."""
    invitations = (Invitation.objects.filter(program=program, parent_consent=ConsentStatus.PENDING)
                   .select_related("student", "student__school", "program")
                   .order_by("student__school__name", "student__last_name", "student__first_name"))
    if invitation_ids is not None:
        invitations = invitations.filter(pk__in=list(invitation_ids))
    return invitations


def consent_url(base_url: str, code: str) -> str:
    return base_url.rstrip("/") + reverse("consent_page", kwargs={"code": code})


def _letter(letter: ConsentLetter, invitation: Invitation, *, base_url: str, now: dt.datetime) -> Letter:
    code = issue_code(invitation=invitation, now=now)
    url = consent_url(base_url, code)
    language = family_language(invitation.student)
    return Letter(invitation=invitation, student_name=f"{invitation.student.first_name} {invitation.student.last_name}",
                  language=language, parts=parts_in(letter, language), code=code, url=url,
                  qr_svg=segno.make(url, error="m").svg_inline(scale=3, dark="#111827"),
                  expires_at=now + dt.timedelta(days=letter.code_days))


def letters_html(program, letters: list[Letter]) -> str:
    return render_to_string("recruitment/consent_letter_pdf.html", {"program": program, "letters": letters})


def _ready_letter(program) -> ConsentLetter:
    letter = letter_for(program)
    if letter.pk is None or missing_parts(letter):
        raise LetterNotReady(str(NOT_WRITTEN))
    return letter


def _render_pdf(program, letters: list[Letter]) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only PDF work needs

    return HTML(string=letters_html(program, letters), base_url=STATIC_PREFIX,
                url_fetcher=static_only_fetcher()).write_pdf()


def class_set_pdf(*, program, invitations, base_url: str = "", now: dt.datetime | None = None) -> bytes:
    """The letters of these invitations as one PDF, a letter a page, each with a new private code (their
    earlier codes stop working). Records no contact: the caller says what the print was (a letter, a
    reminder). Call it inside a transaction so that a PDF that fails keeps the earlier codes."""
    letter, now = _ready_letter(program), now or timezone.now()
    return _render_pdf(program, [_letter(letter, invitation, base_url=base_url, now=now) for invitation in invitations])


def consent_link(*, invitation: Invitation, base_url: str, now: dt.datetime | None = None) -> str:
    """A new private code for this family (their earlier one stops working), as the link to their page."""
    return consent_url(base_url, issue_code(invitation=invitation, now=now))


def print_class_set(*, program, user, base_url: str, invitation_ids=None,
                    now: dt.datetime | None = None) -> tuple[bytes, int]:
    """One PDF, a letter a page, for every family without an answer (or those of `invitation_ids` among
    them): each letter in the family's language with a new private code and its QR code, recorded as a
    printed letter. (pdf, letters printed). Nothing is kept if the PDF cannot be made: the families'
    earlier codes keep working."""
    letter, now = _ready_letter(program), now or timezone.now()
    with transaction.atomic():
        letters = [_letter(letter, invitation, base_url=base_url, now=now)
                   for invitation in waiting_for_answer(program, invitation_ids=invitation_ids)]
        if not letters:
            return b"", 0
        ConsentContact.objects.bulk_create(
            ConsentContact(invitation=item.invitation, kind=ConsentContact.Kind.LETTER_PRINTED,
                           language=item.language, sent_by=user) for item in letters)
        pdf = _render_pdf(program, letters)
    return pdf, len(letters)


# --- A class set made in the background ---------------------------------------------------------------
# A big class set takes a while to render, so a Celery task makes it and keeps the PDF in the storage
# until the lead who asked downloads it, once: the file holds the families' codes, which the app
# otherwise never keeps, so it is deleted when downloaded, and any left after PRINT_KEEP_SECONDS goes
# when the next class set is made. The job's state is in the cache, never in a process's memory.

PRINT_FOLDER = "consent-letters"
PRINT_KEEP_SECONDS = 3600
PRINT_FAILED = _("The letters could not be made: %(error)s. Nothing was printed; the families' codes did not change.")


def _job_key(job: str) -> str:
    return f"consent-print:{job}"


def start_class_set(*, program, user) -> str:
    """A new job id for a class set `user` asks for (the task then fills it in)."""
    job = uuid.uuid4().hex
    cache.set(_job_key(job), {"status": "pending", "program": program.pk, "user": user.pk,
                              "language": translation.get_language()}, timeout=PRINT_KEEP_SECONDS)
    return job


def class_set_job(job: str, *, program, user) -> dict | None:
    """The job's state for the lead who asked for it in this program; None for anyone else or an unknown job."""
    state = cache.get(_job_key(job)) if job and job.isalnum() else None
    if not state or state.get("program") != program.pk or state.get("user") != user.pk:
        return None
    return state


def make_stored_class_set(*, job: str, program, user, base_url: str, invitation_ids=None) -> dict:
    """The task's work: print the class set and keep its PDF until it is downloaded."""
    state = cache.get(_job_key(job)) or {"program": program.pk, "user": user.pk if user else None}
    purge_stale_class_sets()
    try:
        pdf, count = print_class_set(program=program, user=user, base_url=base_url, invitation_ids=invitation_ids)
    except LetterNotReady as refusal:
        state.update(status="failed", error=str(refusal))
    except Exception as error:  # noqa: BLE001 - the lead is told; the letters were rolled back
        logger.exception("Class set %s could not be made", job)
        with translation.override(state.get("language") or BASE_LANGUAGE):
            state.update(status="failed", error=str(PRINT_FAILED % {"error": error}))
    else:
        name = default_storage.save(f"{PRINT_FOLDER}/{job}.pdf", ContentFile(pdf)) if count else ""
        state.update(status="done", count=count, file=name)
    cache.set(_job_key(job), state, timeout=PRINT_KEEP_SECONDS)
    return state


def take_class_set(job: str, *, program, user) -> tuple[bytes, int] | None:
    """The stored PDF of this lead's job, handed over once: the file and the job are gone after."""
    state = class_set_job(job, program=program, user=user)
    if not state or state.get("status") != "done" or not state.get("file"):
        return None
    name = state["file"]
    cache.delete(_job_key(job))
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as stored:
        pdf = stored.read()
    default_storage.delete(name)
    return pdf, state["count"]


def purge_stale_class_sets(*, now: dt.datetime | None = None) -> int:
    """Delete stored class sets older than PRINT_KEEP_SECONDS (never downloaded)."""
    now, removed = now or timezone.now(), 0
    try:
        _folders, files = default_storage.listdir(PRINT_FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return 0
    for file in files:
        name = f"{PRINT_FOLDER}/{file}"
        if now - default_storage.get_modified_time(name) > dt.timedelta(seconds=PRINT_KEEP_SECONDS):
            default_storage.delete(name)
            removed += 1
    return removed


def can_be_emailed(program, *, invitation_ids=None):
    """The families without an answer whose roster row has an e-mail address."""
    return waiting_for_answer(program, invitation_ids=invitation_ids).exclude(student__guardian_email="")


def email_letters(*, program, user, base_url: str, invitation_ids=None, now: dt.datetime | None = None) -> int:
    """E-mail the letter to each family without an answer who has an address (of `invitation_ids` when
    given), in their language, with a new private code. Returns how many went; a family whose message
    could not be sent keeps their earlier code and is not counted."""
    letter = _ready_letter(program)
    now = now or timezone.now()
    sent = 0
    for invitation in can_be_emailed(program, invitation_ids=invitation_ids):
        try:
            with transaction.atomic():
                item = _letter(letter, invitation, base_url=base_url, now=now)
                with translation.override(item.language):
                    context = {"program": program, "letter": item}
                    subject = " ".join(render_to_string("recruitment/consent_letter_email_subject.txt", context).split())
                    body = render_to_string("recruitment/consent_letter_email.txt", context)
                send_mail(subject, body, None, [invitation.student.guardian_email])
                ConsentContact.objects.create(invitation=invitation, kind=ConsentContact.Kind.LETTER_EMAILED,
                                              language=item.language, sent_by=user)
        except OSError:  # the mail server refused or could not be reached: the next family still gets theirs
            logger.warning("Consent letter for invitation %s could not be e-mailed", invitation.pk, exc_info=True)
            continue
        sent += 1
    return sent
