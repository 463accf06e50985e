"""When a note's words change (an edit, a redaction, an erasure), every copy of them follows: coded
snippets, theme quotes, and through them the excerpts export, the theme pages and the reports.

A span whose words are still in the note moves with them. A span whose words are gone keeps its
coding (flagged for review, never dropped) but no longer carries the old words: its snippet becomes
what now stands at its place. A quote must be the student's exact words, so a quote whose words are
gone is removed. Reports already made are rendered again (the reports floor listens to
`words_changed`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

from analysis.coding import anchor
from interviews.models import Note

# Sent with program_id after an edit changed or removed words that analysis had copied.
words_changed = Signal()


@dataclass(frozen=True)
class Followed:
    moved: int = 0
    flagged: int = 0
    quotes_moved: int = 0
    quotes_removed: int = 0

    @property
    def copies_changed(self) -> bool:
        return bool(self.moved or self.flagged or self.quotes_moved or self.quotes_removed)


@transaction.atomic
def follow_edit(note: Note) -> Followed:
    """Bring every coded span and quote of `note` in line with its current text."""
    moved = flagged = quotes_moved = quotes_removed = 0
    text = note.text
    for application in note.codings.select_for_update():
        place = anchor(application, text)
        if place.moved:
            application.start, application.end, application.needs_review = place.start, place.end, False
            application.save(update_fields=["start", "end", "needs_review"])
            moved += 1
        elif place.lost:
            application.snippet = text[application.start:application.end]
            application.needs_review = True
            application.save(update_fields=["snippet", "needs_review"])
            flagged += 1
    for quote in note.theme_quotes.select_for_update():
        place = anchor(quote, text)
        if place.moved:
            quote.start, quote.end = place.start, place.end
            quote.save(update_fields=["start", "end"])
            quotes_moved += 1
        elif place.lost:
            quote.delete()
            quotes_removed += 1
    followed = Followed(moved, flagged, quotes_moved, quotes_removed)
    if followed.copies_changed:
        program_id = note.session.program_id
        transaction.on_commit(lambda: words_changed.send(sender=Note, program_id=program_id, note_id=note.pk))
    return followed
