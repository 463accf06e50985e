"""The consent letter's pages for a program's leads: writing the letter (with its preview), printing a
class set, e-mailing it, and recording an answer that came back on paper."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from audit.log import record
from audit.models import AuditAction
from programs.access import get_program_for
from recruitment.consent_codes import AnswerRefused, record_paper_answer
from recruitment.letter_forms import ChosenFamiliesForm, ConsentLetterForm, PaperAnswerForm
from recruitment.letters import (
    NOT_WRITTEN,
    PARTS,
    REQUIRED,
    can_be_emailed,
    class_set_job,
    family_language,
    letter_for,
    missing_parts,
    parts_in,
    save_letter,
    start_class_set,
    take_class_set,
    translation_languages,
    untranslated_parts,
    waiting_for_answer,
)
from recruitment.models import ConsentAnswer, ConsentContact, ConsentLetter, ConsentMethod, Invitation
from toolkit.downloads import attachment
from toolkit.languages import home_language_name

SAMPLE_CODE = "ABCD-EFGH-JKMN"


def _preview(letter: ConsentLetter) -> list[dict]:
    return [{"language": language, "parts": parts_in(letter, language),
             "untranslated": untranslated_parts(letter, language)}
            for language in ["en", *translation_languages()]]


@login_required
@require_http_methods(["GET", "POST"])
def consent_letter(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="consent_letter")
    program = access.program
    letter = letter_for(program)
    if request.method == "POST":
        form = ConsentLetterForm(request.POST)
        valid = form.is_valid()
        if valid and request.POST.get("action") != "preview":
            save_letter(program=program, user=request.user, parts=form.parts(), translations=form.translations(),
                        max_reminders=form.cleaned_data["max_reminders"], code_days=form.cleaned_data["code_days"])
            record(action=AuditAction.CHANGE_PROGRAM, request=request, program=program, obj=program,
                   detail={"consent_letter": "saved"})
            messages.success(request, _("The consent letter is saved."))
            return redirect("consent_letter", slug=slug)
        # The preview shows what was typed, saved or not.
        shown = ConsentLetter(program=program, code_days=letter.code_days)
        data = form.cleaned_data if valid else {k: request.POST.get(k, "") for k in form.fields}
        for key in PARTS:
            setattr(shown, key, (data.get(key) or "").strip())
        shown.translations = {language: {key: (data.get(f"{language}_{key}") or "").strip() for key in PARTS}
                              for language in translation_languages()}
    else:
        form = ConsentLetterForm(initial=ConsentLetterForm.initial_for(letter))
        shown = letter
    return render(request, "recruitment/consent_letter.html", {
        "access": access, "program": program, "active": "consent", "form": form, "letter": letter,
        "preview": _preview(shown), "sample_code": SAMPLE_CODE, "missing": missing_parts(letter) if letter.pk else list(REQUIRED),
        "tab": "letter",
    })


def _last_contacts(invitations, kinds) -> dict[int, object]:
    rows = (ConsentContact.objects.filter(invitation__in=invitations, kind__in=kinds)
            .values("invitation").annotate(last=Max("sent_at")))
    return {row["invitation"]: row["last"] for row in rows}


def _families(invitations, kinds) -> list[dict]:
    last = _last_contacts(invitations, kinds)
    return [{"invitation": i, "language": home_language_name(family_language(i.student)), "last": last.get(i.pk)}
            for i in invitations]


@login_required
@require_http_methods(["GET", "POST"])
def consent_letters_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    from recruitment.tasks import print_consent_letters

    access = get_program_for(request.user, slug, page="consent_letters_pdf")
    program = access.program
    job_id = request.GET.get("job", "")
    job = class_set_job(job_id, program=program, user=request.user) if job_id else None
    if job_id and request.GET.get("download") == "1":
        taken = take_class_set(job_id, program=program, user=request.user) if job is not None else None
        if taken is None:
            messages.error(request, _("These letters were downloaded already or are no longer kept: print them again."))
            return redirect("consent_letters_pdf", slug=slug)
        pdf, count = taken
        record(action=AuditAction.EXPORT, request=request, program=program, detail={"consent_letters_printed": count})
        stamp = timezone.localdate().isoformat()
        return attachment(pdf, filename=f"consent-letters-{slugify(program.slug)}-{stamp}.pdf", content_type="application/pdf")
    waiting = list(waiting_for_answer(program))
    form = ChosenFamiliesForm(request.POST or None, offered=waiting)
    if request.method == "POST" and form.is_valid():
        chosen = None if request.POST.get("action") == "all" else form.chosen_ids()
        if chosen == []:
            form.add_error("invitations", _("Tick at least one family, or print the whole class set."))
        elif not waiting:
            messages.info(request, _("Every family has answered: there is no letter to print."))
            return redirect("consent_letters_pdf", slug=slug)
        else:
            letter = letter_for(program)
            if letter.pk is None or missing_parts(letter):
                messages.error(request, str(NOT_WRITTEN))
                return redirect("consent_letter", slug=slug)
            job_id = start_class_set(program=program, user=request.user)
            arguments = (job_id, program.pk, request.user.pk, request.build_absolute_uri("/"), chosen)
            transaction.on_commit(lambda: print_consent_letters.delay(*arguments))
            return redirect(reverse("consent_letters_pdf", kwargs={"slug": slug}) + f"?job={job_id}")
    record(action=AuditAction.VIEW_STUDENT_NAMES, request=request, program=program,
           detail={"page": "consent letters", "students": len(waiting)})
    letter = letter_for(program)
    return render(request, "recruitment/consent_letter_print.html", {
        "access": access, "program": program, "active": "consent", "form": form, "tab": "print", "job": job,
        "job_id": job_id if job else "",
        "families": _families(waiting, [ConsentContact.Kind.LETTER_PRINTED, ConsentContact.Kind.REMINDER_PRINTED]),
        "chosen": set(form.data.getlist("invitations")) if form.is_bound else {str(i.pk) for i in waiting},
        "letter_ready": bool(letter.pk) and not missing_parts(letter),
    })


@login_required
@require_http_methods(["GET", "POST"])
def consent_email(request: HttpRequest, slug: str) -> HttpResponse:
    from recruitment.tasks import email_consent_letters

    access = get_program_for(request.user, slug, page="consent_email")
    program = access.program
    reachable = list(can_be_emailed(program))
    form = ChosenFamiliesForm(request.POST or None, offered=reachable)
    letter = letter_for(program)
    ready = bool(letter.pk) and not missing_parts(letter)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen_ids()
        if not ready:
            messages.error(request, str(NOT_WRITTEN))
            return redirect("consent_letter", slug=slug)
        if not chosen:
            form.add_error("invitations", _("Tick at least one family to e-mail."))
        else:
            program_id, user_id, base_url = program.pk, request.user.pk, request.build_absolute_uri("/")
            transaction.on_commit(lambda: email_consent_letters.delay(program_id, user_id, base_url, chosen))
            record(action=AuditAction.EXPORT, request=request, program=program,
                   detail={"consent_letters_emailed": len(chosen)})
            messages.success(request, ngettext(
                "The letter is going to %(count)s family, each in their language.",
                "The letter is going to %(count)s families, each in their language.", len(chosen)) % {"count": len(chosen)})
            return redirect("consent_email", slug=slug)
    record(action=AuditAction.VIEW_STUDENT_NAMES, request=request, program=program,
           detail={"page": "consent e-mail", "students": len(reachable)})
    families = _families(reachable, [ConsentContact.Kind.LETTER_EMAILED, ConsentContact.Kind.REMINDER_EMAILED])
    without_address = waiting_for_answer(program).filter(Q(student__guardian_email="")).count()
    return render(request, "recruitment/consent_letter_email.html", {
        "access": access, "program": program, "active": "consent", "form": form, "tab": "email",
        "families": families, "letter_ready": ready, "without_address": without_address,
        "chosen": set(form.data.getlist("invitations")) if form.is_bound
        else {str(f["invitation"].pk) for f in families if f["last"] is None},
    })


@login_required
@require_http_methods(["GET", "POST"])
def consent_paper(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="consent_paper")
    program = access.program
    invitations = list(Invitation.objects.filter(program=program).select_related("student", "student__school")
                       .order_by("student__last_name", "student__first_name"))
    form = PaperAnswerForm(request.POST or None, invitations=invitations)
    if request.method == "POST" and form.is_valid():
        invitation = next(i for i in invitations if i.pk == form.cleaned_data["invitation"])
        try:
            record_paper_answer(invitation=invitation, answer=form.cleaned_data["answer"],
                                guardian_name=form.cleaned_data["guardian_name"],
                                relationship=form.cleaned_data["relationship"], on=form.cleaned_data["on"],
                                user=request.user, request=request)
        except AnswerRefused as refusal:
            for field, problem in refusal.problems.items():
                form.add_error(field if field in form.fields else None, str(problem))
        else:
            messages.success(request, _("The answer on paper for %(name)s is recorded.")
                             % {"name": f"{invitation.student.first_name} {invitation.student.last_name}"})
            return redirect("consent_paper", slug=slug)
    record(action=AuditAction.VIEW_STUDENT_NAMES, request=request, program=program,
           detail={"page": "consent on paper", "students": len(invitations)})
    answers = (ConsentAnswer.objects.filter(invitation__program=program)
               .select_related("invitation__student", "recorded_by").order_by("-created_at")[:50])
    return render(request, "recruitment/consent_letter_paper.html", {
        "access": access, "program": program, "active": "consent", "form": form, "tab": "paper",
        "answers": answers, "online": ConsentMethod.ONLINE,
    })
