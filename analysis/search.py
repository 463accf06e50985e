"""Full-text search of students' words: the one function the workbench and the district repository use.

    search_notes(*, notes: QuerySet[Note], query: str | ParsedQuery) -> QuerySet[Note]

filters the notes it is given (so it combines with every other filter: pass the analysable notes
of a program, analysis/corpus.py, or of several, already filtered) to those whose text matches
`query`, and stays lazy: ordering, slicing and paging are the caller's, at a constant number of
queries. Accents and case are ignored ("cafe" finds "café"). The language: words (all must be
there), "phrases", prefix* and -exclusions; see interviews/note_search.py. A query that cannot be
searched (empty, only punctuation or exclusions, over MAX_QUERY_LENGTH characters, too many terms)
raises SearchQueryError, whose str() is a message to show the person; parse the query first
with `parse_query` to report it at a form's boundary.

    highlight(text: str, query: str | ParsedQuery | None) -> list[tuple[str, bool]]

cuts a note's text into (segment, is_match) pieces for a template to render with <mark>, each
segment auto-escaped (never |safe).

Search never brings back words analysis leaves out: it only narrows the queryset it is given,
and an erased note's text is empty, so it matches nothing.
"""

from __future__ import annotations

from django.db.models import QuerySet

from interviews.models import Note
from interviews.note_search import (
    EMPTY_QUERY,
    MAX_QUERY_LENGTH,
    ONLY_EXCLUSIONS,
    QUERY_TOO_LONG,
    ParsedQuery,
    SearchQueryError,
    highlight,
    matching_notes,
    parse_query,
)

__all__ = ["EMPTY_QUERY", "MAX_QUERY_LENGTH", "ONLY_EXCLUSIONS", "QUERY_TOO_LONG", "ParsedQuery", "SearchQueryError",
           "highlight", "parse_query", "search_notes"]


def search_notes(*, notes: QuerySet[Note], query: str | ParsedQuery) -> QuerySet[Note]:
    """The given notes whose words match the query (lazy; raises SearchQueryError for a bad query)."""
    return matching_notes(notes, query)
