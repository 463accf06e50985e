"""The form of "code every result" (analysis/bulk_coding.py): the code, its stance, the count the person saw
confirmed, and the workbench filters (with the search) the results came from."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from analysis.forms.base import ProgramChoice, ProgramForm
from analysis.models import Code, Stance
from analysis.search import SearchQueryError, parse_query
from analysis.workbench import WorkbenchFilters

NO_SEARCH = _("Search for words first: “code every result” codes the notes a search finds.")
MAX_FILTERS_LENGTH = 2000


def _codes(form: ProgramForm):
    return Code.objects.filter(program=form.program)  # a retired code is refused with its name


class BulkCodeForm(ProgramForm):
    bulk_code = ProgramChoice(_codes, label=_("Code"))
    bulk_stance = forms.ChoiceField(label=_("Kind"), choices=Stance.choices, required=False)
    count = forms.IntegerField(label=_("Notes to code"), min_value=0)
    filters = forms.CharField(label=_("Search and filters"), max_length=MAX_FILTERS_LENGTH, required=False)

    def clean_bulk_stance(self) -> str:
        return self.cleaned_data["bulk_stance"] or Stance.NEITHER

    def clean_filters(self) -> WorkbenchFilters:
        filters = WorkbenchFilters.from_query(QueryDict(self.cleaned_data["filters"]))
        if not filters.query:
            raise forms.ValidationError(NO_SEARCH)
        try:
            parse_query(filters.query)
        except SearchQueryError as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        return filters
