"""Coder agreement: start a round for two coders, code its sample, read kappa and the disagreements."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from analysis.agreement_rounds import RoundRefused, codes_of, create_round, is_coder, record_codes, results
from analysis.models import AgreementRound, Code
from analysis.views.common import page_context
from programs.access import get_program_for
from programs.models import Role


@login_required
@require_http_methods(["GET", "POST"])
def agreement_rounds(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="agreement_rounds")
    program = access.program
    coders = [m.user for m in program.memberships.filter(role__in=[Role.ANALYST, Role.LEAD]).select_related("user")]
    if request.method == "POST":
        by_id = {u.pk: u for u in coders}
        try:
            size = int(request.POST.get("size", "0"))
            round_ = create_round(program, coder_a=by_id.get(int(request.POST.get("coder_a", 0) or 0)),
                                  coder_b=by_id.get(int(request.POST.get("coder_b", 0) or 0)), size=size,
                                  seed=int(request.POST.get("seed", 0) or 0))
        except (RoundRefused, ValueError) as refusal:
            messages.error(request, str(refusal) if isinstance(refusal, RoundRefused) else "Choose a sample size.")
        else:
            return redirect("agreement_round", slug=slug, pk=round_.pk)
    rounds = program.agreement_rounds.select_related("coder_a", "coder_b")
    return render(request, "analysis/agreement.html", page_context(access, rounds=rounds, coders=coders))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_round(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="agreement_round")
    round_ = get_object_or_404(AgreementRound.objects.select_related("coder_a", "coder_b"), pk=pk, program=access.program)
    coder = is_coder(round_, request.user)
    if request.method == "POST":
        if not coder:
            return HttpResponse(status=403)
        notes = round_.notes.values_list("pk", flat=True)
        given = {note_id: request.POST.getlist(f"codes-{note_id}") for note_id in notes}
        record_codes(round_, coder=request.user, note_codes={k: [int(c) for c in v if c.isdigit()] for k, v in given.items()},
                     finished=request.POST.get("action") == "finish")
        messages.success(request, "Your coding is saved." if request.POST.get("action") != "finish" else "Thank you: your coding is complete.")
        return redirect("agreement_round", slug=slug, pk=pk)
    context = page_context(access, round=round_, coder=coder)
    if round_.both_done:
        context["results"] = results(round_)
        texts = {n.pk: n.text for n in round_.notes.all()}
        context["disagreements"] = [(d, texts[d.unit]) for d in context["results"].disagreements]
    elif coder:
        mine = codes_of(round_, request.user)
        context["notes"] = [(n, mine.get(n.pk, set())) for n in round_.notes.select_related("student").order_by("created_at")]
        context["codes"] = Code.objects.filter(program=access.program, retired=False)
        context["finished"] = (round_.a_done_at if request.user.pk == round_.coder_a_id else round_.b_done_at) is not None
    return render(request, "analysis/agreement_round.html", context)

