"""The district repository's search form (district/repository.py): every choice is one of the person's own."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from analysis.search import MAX_QUERY_LENGTH, SearchQueryError, parse_query
from district.repository import MAX_PAGE, RepositoryFilters

NOT_YOUR_PROGRAM = _("Choose one of the programs listed: that one is not among those you may search.")
NOT_A_LISTED_SCHOOL = _("Choose one of the schools listed.")
NOT_A_LISTED_YEAR = _("Choose one of the years listed.")
PAGE_OUT_OF_RANGE = _("There is no such page of results; narrow the search to see further.")


class RepositoryForm(forms.Form):
    q = forms.CharField(label=_("Words or phrase"), required=False, max_length=MAX_QUERY_LENGTH)
    program = forms.ChoiceField(label=_("Program"), required=False,
                                error_messages={"invalid_choice": NOT_YOUR_PROGRAM})
    school = forms.TypedChoiceField(label=_("School"), required=False, coerce=int, empty_value=None,
                                    error_messages={"invalid_choice": NOT_A_LISTED_SCHOOL})
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None,
                                  error_messages={"invalid_choice": NOT_A_LISTED_YEAR})
    code = forms.CharField(label=_("Code"), required=False, max_length=120)
    theme = forms.CharField(label=_("Theme"), required=False, max_length=160)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput,
                              error_messages={"min_value": PAGE_OUT_OF_RANGE, "max_value": PAGE_OUT_OF_RANGE})

    def __init__(self, *args, programs, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.programs = {program.slug: program for program in programs}
        self.schools = {school.pk: school for school in schools}
        everyone = [("", _("All your programs"))]
        self.fields["program"].choices = everyone + [(program.slug, program.name) for program in programs]
        self.fields["school"].choices = [("", _("All schools"))] + [(school.pk, school.name) for school in schools]
        years = sorted({year for program in programs
                        for year in range(program.starts_on.year, program.ends_on.year + 1)}, reverse=True)
        self.fields["year"].choices = [("", _("Any year"))] + [(year, str(year)) for year in years]

    def clean_q(self):
        typed = self.cleaned_data["q"].strip()
        if not typed:
            return None  # no words: the other filters alone
        try:
            return parse_query(typed)
        except SearchQueryError as error:
            raise forms.ValidationError(str(error)) from None

    def filters(self) -> RepositoryFilters:
        data = self.cleaned_data
        return RepositoryFilters(query=data["q"], program=self.programs.get(data["program"]),
                                 school=self.schools.get(data["school"]), year=data["year"],
                                 code=data["code"].strip(), theme=data["theme"].strip())

    @property
    def page_number(self) -> int:
        return self.cleaned_data.get("page") or 1
