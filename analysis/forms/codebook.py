"""One form per change of the codebook screen."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from analysis.codebook import CODE_NEEDS_NAME
from analysis.forms.base import ProgramChoice, ProgramForm
from analysis.models import Category, Code
from programs.models import Program
from toolkit.tables import NOT_UTF8, check_upload_size

CATEGORY_NEEDS_NAME = _("Give the category a name.")
COPY_FROM_YOUR_PROGRAMS = _("Choose a program you are on.")
CHOOSE_A_FILE = _("Choose a codebook file (.csv or .qdc).")


def _categories(form: ProgramForm):
    return Category.objects.filter(program=form.program)


def _codes(form: ProgramForm):
    return Code.objects.filter(program=form.program)


def _my_other_programs(form: ProgramForm):
    return Program.objects.filter(memberships__user=form.user).exclude(pk=form.program.pk).distinct()


class AddCategoryForm(ProgramForm):
    name = forms.CharField(label=_("Category name"), max_length=120, error_messages={"required": CATEGORY_NEEDS_NAME})
    description = forms.CharField(label=_("Description"), required=False)


class AddCodeForm(ProgramForm):
    category = ProgramChoice(_categories, label=_("Category"))
    name = forms.CharField(label=_("Name"), max_length=120, error_messages={"required": CODE_NEEDS_NAME})
    definition = forms.CharField(label=_("Definition"), required=False)
    example = forms.CharField(label=_("Example"), required=False)


class CodeForm(ProgramForm):
    """Retire or bring back one code."""

    code = ProgramChoice(_codes, label=_("Code"))


class RenameCodeForm(CodeForm):
    name = forms.CharField(label=_("New name"), max_length=120, error_messages={"required": CODE_NEEDS_NAME})


class MoveCodeForm(CodeForm):
    category = ProgramChoice(_categories, label=_("Category"))


class MergeCodesForm(ProgramForm):
    source = ProgramChoice(_codes, label=_("Merge"))
    target = ProgramChoice(_codes, label=_("into"))


class CopyCodebookForm(ProgramForm):
    source = ProgramChoice(_my_other_programs, label=_("Program"),
                           error_messages={"required": COPY_FROM_YOUR_PROGRAMS, "invalid_choice": COPY_FROM_YOUR_PROGRAMS})


@dataclass(frozen=True)
class CodebookFile:
    qdc: bool
    content: bytes | str  # a .qdc file's bytes, a CSV's text


class ImportCodebookForm(ProgramForm):
    file = forms.FileField(label=_("Codebook file (.csv or .qdc)"), validators=[check_upload_size],
                           error_messages={"required": CHOOSE_A_FILE})

    def clean_file(self) -> CodebookFile:
        upload = self.cleaned_data["file"]
        raw = upload.read()
        if upload.name.lower().endswith(".qdc"):
            return CodebookFile(qdc=True, content=raw)
        try:
            return CodebookFile(qdc=False, content=raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise ValidationError(NOT_UTF8, code="not_utf8") from exc
