"""What the analysis forms share: the program whose rows they offer, the change a POST asks for,
messages that name their field, and the typed values that fill a refused form again."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.utils import pretty_name
from django.utils.translation import gettext_lazy as _

UNKNOWN_CHANGE = _("This page does not make that change. Reload the page and try again.")
NOT_ONE_OF_THE_CHOICES = _("“%(value)s” is not one of the choices here.")
NOT_AN_ID_HERE = _("“%(pk)s” is not one of the choices here.")  # a ticked box whose value is not even an id


class ProgramForm(forms.Form):
    """A form of one program's page: its `ProgramChoice` fields offer that program's rows only."""

    def __init__(self, data=None, files=None, *, program, user=None, **kwargs):
        self.program, self.user = program, user
        super().__init__(data, files, **kwargs)
        for field in self.fields.values():
            if isinstance(field, ProgramChoice | ProgramChoices):
                field.queryset = field.rows(self)
            elif isinstance(field, ProgramRow):
                field.program = program


def _choice_messages(kwargs: dict) -> dict:
    messages = {"invalid_choice": NOT_ONE_OF_THE_CHOICES, "invalid_pk_value": NOT_AN_ID_HERE}
    return {**messages, **kwargs.pop("error_messages", {})}


class ProgramChoice(forms.ModelChoiceField):
    """One row chosen by id among `rows(form)`; anything else (another program's id, a word) is refused."""

    def __init__(self, rows: Callable[[ProgramForm], QuerySet], **kwargs):
        self.rows = rows
        messages = _choice_messages(kwargs)
        super().__init__(queryset=None, error_messages=messages, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as exc:
            if exc.code == "invalid_choice":
                raise
            # Not even an id of the right shape ("not a valid UUID"): to the person, one more wrong choice.
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value}) from exc


class ProgramRow(forms.Field):
    """One of the program's rows of `model`, chosen by id and read by `read(program_id=..., pk=...)` (None when
    the program has none with that id): a ProgramChoice for a hot path whose read is plain SQL
    (analysis/coding_rows.py), refusing what ProgramChoice refuses with the same message."""

    widget = forms.HiddenInput

    def __init__(self, model, read: Callable, **kwargs):
        self.model, self.read, self.program = model, read, None
        # Rows this form read beforehand with another field's, in one statement: {pk: the row, or None}.
        self.known: dict = {}
        super().__init__(error_messages=_choice_messages(kwargs), **kwargs)

    def __deepcopy__(self, memo):
        # Each form gets a copy of its class's field, and Django's copy of a field is shallow: without a dict of
        # its own, one request's rows (another program's among them) would answer the next one's.
        copied = super().__deepcopy__(memo)
        copied.known = {}
        return copied

    def pk_of(self, value):
        """The id `value` names, or None when it is empty or not even an id of the right shape."""
        if value in self.empty_values:
            return None
        try:
            return self.model._meta.pk.to_python(value)
        except ValidationError:
            return None

    def to_python(self, value):
        if value in self.empty_values:
            return None
        pk = self.pk_of(value)  # None: not even an id of the right shape, to the person one more wrong choice
        if pk is None:
            found = None
        elif pk in self.known:
            found = self.known[pk]
        else:
            found = self.read(program_id=self.program.pk, pk=pk)
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return found


class ProgramChoices(forms.ModelMultipleChoiceField):
    """Rows chosen by id among `rows(form)`, as ticked boxes."""

    def __init__(self, rows: Callable[[ProgramForm], QuerySet], **kwargs):
        self.rows = rows
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        messages = _choice_messages(kwargs)
        super().__init__(queryset=None, error_messages=messages, **kwargs)


class TextList(forms.Field):
    """Every value sent under one name, as text; the domain function decides which of them count."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        return [str(item) for item in value or []]


class _Change(forms.Form):
    action = forms.CharField(required=False, max_length=40)


def posted_change(data) -> str:
    """The change a POST asks for: its `action` field, "" when it names none."""
    form = _Change(data)
    return form.cleaned_data["action"] if form.is_valid() else ""


def field_messages(form: forms.Form) -> list[str]:
    """Each error of a bound form as a sentence that names its field ("Start: Enter a whole number.")."""
    found = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = (field.label or pretty_name(name)) if field else None
        found.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return found


def typed(form: forms.Form, action: str = "") -> dict:
    """What was sent, field by field, as text (a list for ticked boxes), to fill a refused form again."""
    values: dict = {"action": action}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue  # a browser never lets a page choose a file again
        value = form[name].value()
        if getattr(field.widget, "allow_multiple_selected", False):
            values[name] = [str(item) for item in value or []]
        else:
            values[name] = "" if value is None else str(value)
    return values
