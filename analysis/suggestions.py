"""Running theme suggestions for a program, and accepting or dismissing them."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from analysis.codebook import add_code
from analysis.coding import apply_code
from analysis.corpus import analysable_notes
from analysis.models import Category, Code, CodeApplication, SuggestionRun, ThemeSuggestion
from analysis.topic_model import suggest_themes
from interviews.models import Note
from programs.models import Program

SUGGESTION_SEED = 7


def start_run(program: Program, *, user) -> SuggestionRun:
    from analysis.tasks import compute_suggestions

    run = SuggestionRun.objects.create(program=program, requested_by=user)
    transaction.on_commit(lambda: compute_suggestions.delay(run.pk))
    return run


def compute(run_id: int) -> SuggestionRun:
    run = SuggestionRun.objects.select_related("program").get(pk=run_id)
    try:
        uncoded = (analysable_notes(run.program).exclude(pk__in=CodeApplication.objects.values("note_id"))
                   .order_by("created_at", "id").values_list("id", "text", "language", "session__language"))
        # Each note's words read in their language: the note's own, else its session's (None: guessed).
        rows = [(i, text, language or session_language or None) for i, text, language, session_language in uncoded]
        ids, texts, languages = zip(*rows, strict=True) if rows else ((), (), ())
        found = suggest_themes(list(texts), [str(i) for i in ids], languages=list(languages), seed=SUGGESTION_SEED)
        with transaction.atomic():
            ThemeSuggestion.objects.bulk_create([
                ThemeSuggestion(run=run, top_words=list(s.top_words), note_ids=list(s.note_ids),
                                example_ids=list(s.example_ids)) for s in found
            ])
            run.status, run.notes_considered = SuggestionRun.Status.READY, len(ids)
            run.save(update_fields=["status", "notes_considered"])
    except Exception as exc:
        SuggestionRun.objects.filter(pk=run.pk).update(status=SuggestionRun.Status.FAILED, error=str(exc)[:500])
        raise
    return run


@transaction.atomic
def accept(suggestion: ThemeSuggestion, *, name: str, category: Category, confirmed_note_ids, coder) -> Code:
    """Create a code for the suggestion and apply it to the notes the analyst confirmed."""
    program = suggestion.run.program
    code = add_code(program, category=category, name=name, definition=_("From a suggested theme: %(words)s") % {
        "words": ", ".join(suggestion.top_words)})
    allowed = {str(i) for i in suggestion.note_ids}
    chosen = [uuid.UUID(str(i)) for i in confirmed_note_ids if str(i) in allowed]
    for note in Note.objects.filter(pk__in=chosen, session__program=program):
        apply_code(note=note, code=code, coder=coder)
    suggestion.status, suggestion.accepted_code = ThemeSuggestion.Status.ACCEPTED, code
    suggestion.save(update_fields=["status", "accepted_code"])
    return code


def dismiss(suggestion: ThemeSuggestion) -> None:
    suggestion.status = ThemeSuggestion.Status.DISMISSED
    suggestion.save(update_fields=["status"])
