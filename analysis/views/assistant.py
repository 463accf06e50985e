"""The coding assistant on the workbench: a person accepts or rejects one of its proposals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analysis.assistant import accept, reject
from analysis.coding import CodingRefused
from analysis.forms.assistant import ACCEPT, ProposalDecisionForm
from analysis.forms.base import field_messages
from analysis.views.coding import note_codings
from programs.access import get_program_for


@login_required
@require_POST
def decide_proposal(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="proposal_decide")
    form = ProposalDecisionForm(request.POST, program=access.program)
    problems, done = [], ""
    if form.is_valid():
        proposal, decision = form.cleaned_data["proposal"], form.cleaned_data["decision"]
        try:
            if decision == ACCEPT:
                accept(proposal=proposal, user=request.user)
                done = _("Coded “%(code)s”, as the assistant proposed.") % {"code": proposal.code.name}
            else:
                reject(proposal=proposal, user=request.user)
                done = _("Rejected “%(code)s”: the assistant will learn from it.") % {"code": proposal.code.name}
        except CodingRefused as refusal:
            problems.append(str(refusal))
    else:
        problems = field_messages(form)
    note = form.cleaned_data.get("note")
    if request.htmx:
        if note is None:
            return HttpResponseBadRequest(" ".join(problems))
        return note_codings(request, access, note.pk, problems=problems)
    for problem in problems:
        messages.error(request, problem)
    if done:
        messages.success(request, done)
    return redirect("workbench", slug=slug)
