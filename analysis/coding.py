"""Applying codes to spans of notes, undoing, and keeping spans attached when a note is edited.

A span's `start` and `end` count Unicode code points of the note's text (Python's `str` indexing), not
the UTF-16 units a browser's DOM counts: an emoji is one code point and two UTF-16 units, so the
workbench converts before it sends. It also sends the words it saw selected, and a span whose words
differ is refused rather than stored with the wrong snippet."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from analysis.coding_rows import last_coding
from analysis.models import Code, CodeApplication, Stance
from analysis.retraining import schedule_retraining, training_queued_expression
from interviews.models import Note
from toolkit import sql_rows

BAD_SPAN = _("Select text inside the note.")
RETIRED = _("“{code}” is retired; choose a current code.")
OTHER_PROGRAM = _("That code belongs to another program.")
SELECTION_MISMATCH = _("The selected words are not at that place in the note (it may have changed). "
                       "Reload the page and select them again; nothing was coded.")


class CodingRefused(ValueError):
    pass


@dataclass(frozen=True)
class Coded:
    application: CodeApplication
    # False when this coder had put this code on this span already: that coding was kept, its stance updated.
    new: bool


def apply_code(*, note: Note, code: Code, coder, start: int | None = None, end: int | None = None,
               stance: str = Stance.NEITHER, selected: str | None = None) -> CodeApplication:
    """Code a span of a note (the whole note when no span is given), in code points. When `selected`
    is given (the words the person saw selected), the span must hold exactly those words. Applying the
    same code to the same span twice keeps one application."""
    return code_span(note=note, code=code, coder=coder, start=start, end=end, stance=stance, selected=selected).application


def code_span(*, note: Note, code: Code, coder, start: int | None = None, end: int | None = None,
              stance: str = Stance.NEITHER, selected: str | None = None) -> Coded:
    """apply_code, saying whether the coding is new: the workbench then adds its chip to the card rather
    than reading the note's codings again."""
    if code.program_id != note.session.program_id:
        raise CodingRefused(OTHER_PROGRAM)
    if code.retired:
        raise CodingRefused(RETIRED.format(code=code.name))
    if start is None or end is None:
        start, end = 0, len(note.text)
    if not (0 <= start < end <= len(note.text)):
        raise CodingRefused(BAD_SPAN)
    if selected is not None and note.text[start:end] != selected:
        raise CodingRefused(SELECTION_MISMATCH)
    values = {"snippet": note.text[start:end], "stance": stance, "needs_review": False}
    inserted = _insert_unless_coded(note=note, code=code, start=start, end=end, coder=coder, values=values)
    if inserted is not None:
        application, training_queued = inserted
        schedule_retraining(program_id=code.program_id, queued=training_queued)
        return Coded(application, new=True)
    with transaction.atomic():  # update_or_create without its savepoint around the INSERT: nothing is unique here
        application = CodeApplication.objects.select_for_update().filter(
            note=note, code=code, start=start, end=end, coder=coder).first()
        new = application is None  # the coding there a moment ago was taken off meanwhile
        if new:
            application = CodeApplication.objects.create(note=note, code=code, start=start, end=end, coder=coder, **values)
        else:
            changed = [name for name, value in values.items() if getattr(application, name) != value]
            for name in changed:
                setattr(application, name, values[name])
            if changed:
                application.save(update_fields=changed)
    schedule_retraining(program_id=code.program_id)
    return Coded(application, new=new)


def _insert_unless_coded(*, note: Note, code: Code, start: int, end: int, coder,
                         values: dict) -> tuple[CodeApplication, bool] | None:
    """The new coding, inserted in one statement unless this coder already put this code on this span
    (then None, and apply_code updates that one), and whether a training of the assistant was queued when
    it went in, asked by the same statement. A coding's hot path: see toolkit/sql_rows.py."""
    application = CodeApplication(note=note, code=code, start=start, end=end, coder=coder, **values)
    quote = connection.ops.quote_name
    column = {name: quote(CodeApplication._meta.get_field(name).column) for name in ("note", "code", "start", "end", "coder")}
    coder_id = getattr(coder, "pk", None)
    same = " AND ".join([*(f"{column[name]} = %s" for name in ("note", "code", "start", "end")),
                         f"{column['coder']} = %s" if coder_id is not None else f"{column['coder']} IS NULL"])
    where = f"NOT EXISTS(SELECT 1 FROM {quote(CodeApplication._meta.db_table)} WHERE {same})"
    params = [CodeApplication._meta.get_field("note").get_db_prep_value(note.pk, connection), code.pk, start, end,
              *([coder_id] if coder_id is not None else [])]
    queued_sql, queued_params = training_queued_expression(code.program_id)
    returned = sql_rows.insert_where_returning(application, where=where, params=params, returning=queued_sql,
                                               returning_params=queued_params)
    return None if returned is None else (application, bool(returned[0]))


def remove_coding(*, application: CodeApplication) -> None:
    """Take one coding off its note (the × on a coding chip)."""
    application.delete()
    schedule_retraining(program_id=application.code.program_id)


@dataclass(frozen=True)
class Undone:
    coding: CodeApplication  # as delete() leaves it: its values and code, no pk
    id: int  # the pk it had: the id of its chip on the workbench


def undo_last(*, coder, program) -> Undone | None:
    """Remove this coder's most recent coding in the program; returns it (with its code) and the id it had,
    or None when there was none."""
    last = last_coding(coder_id=coder.pk, program_id=program.pk)
    if last is None:
        return None
    removed = Undone(coding=last, id=last.pk)
    # Nothing refers to a coding and no delete signal listens for one: one DELETE, as delete() would make.
    sql_rows.delete(last)
    schedule_retraining(program_id=program.pk)
    return removed


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    moved: bool
    lost: bool


def anchor(application: CodeApplication, text: str) -> Anchor:
    """Where this coding's words are in the note's current text."""
    if text[application.start:application.end] == application.snippet:
        return Anchor(application.start, application.end, moved=False, lost=False)
    found = text.find(application.snippet)
    if found >= 0 and text.find(application.snippet, found + 1) < 0:
        return Anchor(found, found + len(application.snippet), moved=True, lost=False)
    return Anchor(application.start, application.end, moved=False, lost=True)
