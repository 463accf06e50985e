"""The Protocol step: scripts, questions with a live wording check, the question bank, readiness,
versions, facilitator reviews and the printable guide."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from interviews.forms.protocol import QuestionForm, ScriptsForm, language_name
from interviews.guide import guide_filename, render_guide_pdf
from interviews.models import Protocol, Question
from interviews.protected_topics import protected_findings
from interviews.protocol_check import check_question, flagged_questions
from interviews.protocols import (
    BASE_LANGUAGE,
    ProtocolNotReady,
    add_question,
    current_protocol,
    delete_question,
    has_reviewed,
    in_use,
    is_ready,
    mark_draft,
    mark_ready,
    move_question,
    protocol_languages,
    question_in,
    readiness_problems,
    record_review,
    review_status,
    start_protocol,
    translation_languages,
    untranslated_positions,
    update_question,
    update_scripts,
)
from interviews.question_bank import THEMES, bank_languages, bank_question, search_bank
from programs.access import ProgramAccess, get_program_for
from toolkit.downloads import attachment
from toolkit.languages import supported

ONLY_LEADS_EDIT = gettext_lazy("Only a lead can change the protocol.")
CONFIRM_FLAGGED = "flagged"  # the value of "confirm" that marks a protocol ready despite flagged questions


def _lead_only(access: ProgramAccess) -> None:
    if not access.is_lead:
        raise PermissionDenied(str(ONLY_LEADS_EDIT))


def _protocol_for(access: ProgramAccess, user) -> Protocol | None:
    if access.is_lead:
        return start_protocol(program=access.program, user=user)
    return current_protocol(access.program)


def _versions(question: Question) -> list[dict]:
    """The question in each other language: its words and their wording check, or None where it has none."""
    versions = []
    for code in translation_languages():
        text, follow_ups, translated = question_in(question, code)
        versions.append({"code": code, "name": language_name(code), "text": text if translated else "",
                         "follow_ups": follow_ups if translated else [],
                         "findings": check_question(text, language=code) + _protected(text, *follow_ups, language=code)
                         if translated else []})
    return versions


def _protected(*texts: str, language: str) -> list:
    """The protected topics (interviews/protected_topics.py) a question and its follow-ups touch, one finding an area."""
    seen, found = set(), []
    for text in texts:
        for finding in protected_findings(text, language=language):
            if finding.area not in seen:
                seen.add(finding.area)
                found.append(finding)
    return found


def _editor_context(access: ProgramAccess, protocol: Protocol) -> dict:
    questions = list(protocol.questions.all())
    return {
        "access": access, "program": access.program, "protocol": protocol,
        "questions": [(q, check_question(q.text, language="en") + _protected(q.text, *q.follow_ups, language="en"),
                       _versions(q)) for q in questions],
        "untranslated": [{"code": code, "name": language_name(code), "numbers": numbers}
                         for code in translation_languages()
                         if (numbers := untranslated_positions(protocol, code, questions))],
        "languages": [{"code": code, "name": language_name(code)} for code in protocol_languages(protocol, questions)],
        "problems": readiness_problems(protocol, questions), "ready": is_ready(protocol, questions),
        "frozen": in_use(protocol), "question_form": QuestionForm(),
    }


def _editor_response(request: HttpRequest, access: ProgramAccess, protocol: Protocol) -> HttpResponse:
    if request.htmx:
        return render(request, "interviews/protocol.html#editor", _editor_context(access, protocol))
    return redirect("protocol", slug=access.program.slug)


@login_required
@require_http_methods(["GET", "POST"])
def protocol_page(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="protocol")
    protocol = _protocol_for(access, request.user)
    if protocol is None:
        return render(request, "interviews/protocol_missing.html", {"access": access, "program": access.program,
                                                                     "active": "protocol"})
    scripts_form = ScriptsForm(instance=protocol, translations=protocol.translations)
    if request.method == "POST":
        _lead_only(access)
        scripts_form = ScriptsForm(request.POST, instance=Protocol(program=access.program))
        if scripts_form.is_valid():
            saved = update_scripts(protocol, user=request.user, translations=scripts_form.translation_texts(),
                                   **scripts_form.script_texts())
            messages.success(request, _("Scripts saved.") if saved == protocol
                             else _("Scripts saved as version %(version)s.") % {"version": saved.version})
            return redirect("protocol", slug=slug)
    return render(request, "interviews/protocol.html", _page_context(request, access, protocol, scripts_form))


def _page_context(request: HttpRequest, access: ProgramAccess, protocol: Protocol, scripts_form: ScriptsForm) -> dict:
    context = _editor_context(access, protocol)
    context.update({
        "active": "protocol", "scripts_form": scripts_form, "themes": THEMES, "bank": search_bank(),
        "reviews": review_status(protocol) if access.is_lead else None,
        "reviewed": has_reviewed(protocol=protocol, user=request.user),
        "min_questions": settings.PROTOCOL_MIN_QUESTIONS, "max_questions": settings.PROTOCOL_MAX_QUESTIONS,
    })
    return context


@login_required
@require_POST
def question_add(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="question_add")
    protocol = start_protocol(program=access.program, user=request.user)
    form = QuestionForm(request.POST)
    if form.is_valid():
        question = add_question(protocol, user=request.user, text=form.cleaned_data["text"],
                                follow_ups=form.follow_up_lines(), is_opening=form.cleaned_data["is_opening"],
                                translations=form.translations())
        return _editor_response(request, access, question.protocol)
    context = _editor_context(access, protocol)
    context["question_form"] = form
    if request.htmx:
        return render(request, "interviews/protocol.html#editor", context)
    messages.error(request, next(iter(form.errors.values()))[0])
    return redirect("protocol", slug=slug)


def _question(access: ProgramAccess, pk: int) -> Question:
    return get_object_or_404(Question, pk=pk, protocol__program=access.program)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="question_edit")
    question = _question(access, pk)
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            saved = update_question(question, user=request.user, text=form.cleaned_data["text"],
                                    follow_ups=form.follow_up_lines(), is_opening=form.cleaned_data["is_opening"],
                                    translations=form.translations())
            return _editor_response(request, access, saved.protocol)
    else:
        form = QuestionForm(initial=QuestionForm.initial_for(question))
    return render(request, "interviews/protocol.html#question-form", {
        "access": access, "program": access.program, "question": question, "form": form,
        "findings": check_question(form["text"].value() or "", language="en"),
        "translated": [(code, language_name(code), text, prompts, check_question(text.value() or "", language=code))
                       for code, text, prompts in form.translated()],
    })


@login_required
@require_POST
def question_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="question_delete")
    return _editor_response(request, access, delete_question(_question(access, pk), user=request.user))


@login_required
@require_POST
def question_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="question_move")
    step = -1 if request.POST.get("direction") == "up" else 1
    return _editor_response(request, access, move_question(_question(access, pk), user=request.user, step=step))


@login_required
@require_POST
def question_check(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="question_check")
    # The field says which language it holds (the Spanish box sends "text_es" and language=es); a question
    # without one is read in the language it is written in. htmx sends the whole form, so the Spanish box's
    # request carries the English box's "text" too: the language's own field wins.
    language = supported(request.POST.get("language"))
    own = request.POST.get(f"text_{language}") if language else None
    text = own if own is not None else request.POST.get("text", "")
    return render(request, "interviews/protocol.html#findings",
                  {"access": access, "findings": check_question(text, language=language) + _protected(text, language=language),
                   "checked": bool(text.strip())})


@login_required
@require_GET
def bank_search(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="bank_search")
    bank = search_bank(request.GET.get("q", ""), request.GET.get("theme", ""))
    return render(request, "interviews/protocol.html#bank", {"access": access, "program": access.program, "bank": bank})


@login_required
@require_POST
def bank_add(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="bank_add")
    chosen = bank_question(request.POST.get("key", ""))
    protocol = start_protocol(program=access.program, user=request.user)
    if chosen is not None:
        protocol = add_question(protocol, user=request.user, is_opening=chosen.opening,
                                **bank_languages(chosen, translation_languages())).protocol
    return _editor_response(request, access, protocol)


@login_required
@require_POST
def protocol_ready(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="protocol_ready")
    protocol = start_protocol(program=access.program, user=request.user)
    if request.POST.get("action") == "draft":
        protocol = mark_draft(protocol, user=request.user)
    else:
        flagged = flagged_in_every_language(protocol)
        if flagged and request.POST.get("confirm") != CONFIRM_FLAGGED and not readiness_problems(protocol):
            # The lead may know better than the check, but says so knowing which questions it flagged.
            return _confirm_flagged(request, access, protocol, flagged)
        try:
            protocol = mark_ready(protocol, user=request.user)
        except ProtocolNotReady:
            pass  # the editor lists the reasons
    return _editor_response(request, access, protocol)


def flagged_in_every_language(protocol: Protocol) -> list[tuple[int, str, list]]:
    """(number, text, findings) of each question the check flags, in English and in each language it is written in."""
    flagged = []
    for number, question in enumerate(protocol.questions.all(), start=1):
        flagged += [(number, text, found) for _n, text, found in flagged_questions([question.text], language="en")]
        for code in translation_languages():
            text, _prompts, translated = question_in(question, code)
            if translated:
                flagged += [(number, text, found) for _n, text, found in flagged_questions([text], language=code)]
    return flagged


def _confirm_flagged(request: HttpRequest, access: ProgramAccess, protocol: Protocol, flagged: list) -> HttpResponse:
    if request.htmx:
        context = _editor_context(access, protocol)
        context["confirm_flagged"] = flagged
        return render(request, "interviews/protocol.html#editor", context)
    context = _page_context(request, access, protocol, ScriptsForm(instance=protocol, translations=protocol.translations))
    context["confirm_flagged"] = flagged
    return render(request, "interviews/protocol.html", context)


@login_required
@require_POST
def protocol_review(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="protocol_review")
    protocol = current_protocol(access.program)
    if protocol is None:
        return redirect("protocol", slug=slug)
    record_review(protocol=protocol, user=request.user)
    messages.success(request, _("Thank you: you have reviewed version %(version)s of the protocol.") % {"version": protocol.version})
    return redirect("protocol", slug=slug)


@login_required
@require_GET
def protocol_versions(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="protocol_versions")
    versions = access.program.protocols.prefetch_related("questions").select_related("created_by").order_by("-version")
    return render(request, "interviews/protocol_versions.html", {
        "access": access, "program": access.program, "active": "protocol", "versions": versions,
    })


@login_required
@require_GET
def protocol_guide(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="protocol_guide")
    protocol = current_protocol(access.program)
    if protocol is None:
        return redirect("protocol", slug=slug)
    # ?language=es: the guide for a session held in Spanish (a session's page links to its own language);
    # without it, the protocol's own language.
    language = supported(request.GET.get("language")) or BASE_LANGUAGE
    if language not in protocol_languages(protocol):
        language = protocol_languages(protocol)[0]
    return attachment(render_guide_pdf(protocol, language=language), filename=guide_filename(protocol, language=language),
                      content_type="application/pdf")
