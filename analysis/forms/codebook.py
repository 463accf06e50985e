"""One form per change of the codebook screen."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from analysis.codebook import CODE_NEEDS_NAME
from analysis.forms.base import ProgramChoice, ProgramForm
from analysis.models import Category, Code
from programs.models import Program, Role
from programs.pages import may_open
from toolkit.tables import NOT_UTF8, check_upload_size

CATEGORY_NEEDS_NAME = _("Give the category a name.")
CATEGORY_NAME_TAKEN = _("There is already a category called “%(name)s”.")
COPY_FROM_YOUR_PROGRAMS = _("Choose a program whose codebook you work on.")
CHOOSE_A_FILE = _("Choose a codebook file (.csv or .qdc).")


def _categories(form: ProgramForm):
    return Category.objects.filter(program=form.program)


def _codes(form: ProgramForm):
    return Code.objects.filter(program=form.program)


def codebooks_to_copy(user, *, program: Program) -> QuerySet[Program]:
    """The other programs whose codebook `user` may copy: those where their role opens the codebook page
    (a viewer or facilitator there gets 403 from it, so its codebook is not theirs to take)."""
    roles = [role for role in Role if may_open(role, "codebook")]
    return (Program.objects.filter(memberships__user=user, memberships__role__in=roles).exclude(pk=program.pk)
            .distinct().order_by("name"))


def _codebooks_to_copy(form: ProgramForm):
    return codebooks_to_copy(form.user, program=form.program)


class AddCategoryForm(ProgramForm):
    name = forms.CharField(label=_("Category name"), max_length=120, error_messages={"required": CATEGORY_NEEDS_NAME})
    description = forms.CharField(label=_("Description"), required=False)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]  # stripped by the field
        if Category.objects.filter(program=self.program, name__iexact=name).exists():
            raise ValidationError(CATEGORY_NAME_TAKEN, code="taken", params={"name": name})
        return name


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
    source = ProgramChoice(_codebooks_to_copy, label=_("Program"),
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
