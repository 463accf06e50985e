"""Recruitment's Celery tasks: thin shells over the domain functions."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model

from programs.models import Program
from recruitment.letters import email_letters, make_stored_class_set


@shared_task(name="recruitment.email_consent_letters")
def email_consent_letters(program_id: int, user_id: int | None, base_url: str, invitation_ids: list[int] | None = None) -> int:
    """E-mail the consent letter to the families without an answer (each in their language)."""
    program = Program.objects.get(pk=program_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return email_letters(program=program, user=user, base_url=base_url, invitation_ids=invitation_ids)


@shared_task(name="recruitment.print_consent_letters")
def print_consent_letters(job: str, program_id: int, user_id: int, base_url: str,
                          invitation_ids: list[int] | None = None) -> str:
    """Make a class set of consent letters and keep its PDF until the lead downloads it."""
    program = Program.objects.get(pk=program_id)
    user = get_user_model().objects.filter(pk=user_id).first()
    return make_stored_class_set(job=job, program=program, user=user, base_url=base_url,
                                 invitation_ids=invitation_ids)["status"]


@shared_task(name="recruitment.send_consent_reminders")
def send_consent_reminders(program_id: int, invitation_ids: list[int], sent_by_id: int | None, base_url: str) -> int:
    """E-mail consent reminders (recruitment/chasing.py); each family is checked again when it runs."""
    from recruitment.chasing import send_email_reminders

    program = Program.objects.get(pk=program_id)
    sent_by = get_user_model().objects.filter(pk=sent_by_id).first() if sent_by_id else None
    return len(send_email_reminders(program=program, invitation_ids=invitation_ids, sent_by=sent_by,
                                    base_url=base_url).sent)
