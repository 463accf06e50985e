"""The coding assistant's form: a person's decision on one proposal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from analysis.assistant import open_proposals
from analysis.coding_rows import program_note
from analysis.forms.base import ProgramChoice, ProgramForm, ProgramRow
from interviews.models import Note

PROPOSAL_GONE = _("That proposal was already decided or replaced by a newer one; reload the page to see the current "
                  "proposals.")
ACCEPT, REJECT = "accept", "reject"


class ProposalDecisionForm(ProgramForm):
    note = ProgramRow(Note, program_note, label=_("Note"))
    proposal = ProgramChoice(lambda form: open_proposals(program=form.program), label=_("Proposal"),
                             error_messages={"invalid_choice": PROPOSAL_GONE})
    decision = forms.ChoiceField(label=_("Decision"), choices=[(ACCEPT, _("Accept")), (REJECT, _("Reject"))])
