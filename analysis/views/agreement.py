"""Coder agreement: start a round for two coders, code its sample, read kappa and the disagreements."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from analysis.agreement_rounds import (
    NOT_A_CODER,
    RoundRefused,
    codes_of,
    create_round,
    is_coder,
    record_codes,
    results,
    round_coders,
)
from analysis.assistant import assistant_agreement, min_coded_notes
from analysis.forms.agreement import RoundCodingForm, RoundForm
from analysis.forms.base import field_messages, typed
from analysis.models import AgreementRound, Code
from analysis.retraining import train_if_queued
from analysis.views.common import page_context
from programs.access import get_program_for


@login_required
@require_http_methods(["GET", "POST"])
def agreement_rounds(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="agreement_rounds")
    program = access.program
    train_if_queued(program_id=program.pk)
    entered = {}
    if request.method == "POST":
        form = RoundForm(request.POST, program=program)
        if form.is_valid():
            data = form.cleaned_data
            try:
                round_ = create_round(program, coder_a=data["coder_a"], coder_b=data["coder_b"], size=data["size"],
                                      seed=data["seed"])
            except RoundRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                return redirect("agreement_round", slug=slug, pk=round_.pk)
        for problem in field_messages(form):
            messages.error(request, problem)
        entered = typed(form)
    rounds = program.agreement_rounds.select_related("coder_a", "coder_b")
    return render(request, "analysis/agreement.html", page_context(
        access, rounds=rounds, coders=round_coders(program), typed=entered,
        assistant_agreement=assistant_agreement(program=program), assistant_minimum=min_coded_notes()), status=400 if entered else 200)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_round(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="agreement_round")
    round_ = get_object_or_404(AgreementRound.objects.select_related("coder_a", "coder_b"), pk=pk, program=access.program)
    coder = is_coder(round_, request.user)
    ticked = None
    if request.method == "POST":
        if not coder:
            raise PermissionDenied(NOT_A_CODER)
        form = RoundCodingForm(request.POST, round_=round_)
        if form.is_valid():
            record_codes(round_, coder=request.user, note_codes=form.note_codes(), finished=form.finished)
            messages.success(request, _("Thank you: your coding is complete.") if form.finished
                             else _("Your coding is saved."))
            return redirect("agreement_round", slug=slug, pk=pk)
        for problem in field_messages(form):
            messages.error(request, problem)
        ticked = form.ticked_names()
    context = page_context(access, round=round_, coder=coder)
    if round_.both_done:
        context["results"] = results(round_)
        texts = {n.pk: n.text for n in round_.notes.all()}
        context["disagreements"] = [(d, texts[d.unit]) for d in context["results"].disagreements]
    elif coder:
        mine = ticked if ticked is not None else codes_of(round_, request.user)
        context["notes"] = [(n, mine.get(n.pk, set())) for n in round_.notes.select_related("student").order_by("created_at")]
        context["codes"] = Code.objects.filter(program=access.program, retired=False)
        context["finished"] = (round_.a_done_at if request.user.pk == round_.coder_a_id else round_.b_done_at) is not None
    return render(request, "analysis/agreement_round.html", context, status=400 if ticked is not None else 200)
