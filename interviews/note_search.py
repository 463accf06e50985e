"""Full-text search of notes' words: the query language, the database match, and highlighting.

This is the low-level half; analysis/search.py (`search_notes`) is the domain function the
workbench and the district repository call. It lives here because the index belongs to
interviews' own table and every layer above may use it (the session notes page does).

The query language, accents and case ignored everywhere ("cafe" finds "café", "CAFÉ"):

    lunch              a word
    "too loud"         a phrase: these words, next to each other, in this order
    lunch*             a prefix: lunch, lunches, lunchroom (at least MIN_PREFIX letters before the *)
    -noise  -"too loud"  leave out notes with this word or phrase
    lunch "too loud"   several terms: a note must have all of them

An unclosed quote runs to the end of the query. A query with no word to look for (empty, only
punctuation, only exclusions) or longer than MAX_QUERY_LENGTH raises SearchQueryError with a
message a person can act on.

The index (interviews/migrations/0015_note_search_index.py):
- SQLite: an FTS5 table `interviews_note_fts(note_id UNINDEXED, text)` with the tokenizer
  `unicode61 remove_diacritics 2`, keyed by `interviews_note_fts_key` (an INTEGER PRIMARY KEY per
  note id, so a VACUUM cannot renumber it) and kept in step by triggers on insert, update of text
  and delete of interviews_note: queryset.update() and bulk_create are covered too.
- PostgreSQL: the trusted `unaccent` extension, an IMMUTABLE `interviews_search_fold(text)`
  (unaccent, then the punctuation that joins words in PostgreSQL's parser turned into spaces, so
  "well-being" is two words there as in FTS5), a stored generated column
  `search_document = to_tsvector('simple', interviews_search_fold(text))` (not in Django's model) and a
  GIN index on it; queries are `search_document @@ to_tsquery('simple', …)`.
User text never reaches SQL: the match expression is built from folded words only (letters and
digits) and always sent as a parameter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Expression, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MIN_PREFIX = 2
# On SQLite, a query that matches at least this many notes is planned from the other filters (see NoteMatches).
COMMON_MATCHES = 2000

EMPTY_QUERY = _("Type a word or a phrase to search for.")
QUERY_TOO_LONG = _("A search can be at most %(limit)s characters long.")
TOO_MANY_TERMS = _("A search can have at most %(limit)s words and phrases.")
ONLY_EXCLUSIONS = _("Add a word to look for: a search cannot only leave words out.")
SHORT_PREFIX = _("Type at least %(count)s letters before a *.")

FTS_TABLE = "interviews_note_fts"
FTS_KEY_TABLE = "interviews_note_fts_key"
PG_FOLD_FUNCTION = "interviews_search_fold"
PG_INDEX = "interviews_note_search_gin"
PG_DOCUMENT = "search_document"


# The SQLite triggers that keep the FTS5 table in step (also created by migration 0015). A later migration that
# rebuilds interviews_note on SQLite (Django copies the table to alter a column) drops them with the old table:
# `ensure_search_index`, run after every migrate (interviews/apps.py), puts them back and refills the index.
SQLITE_TRIGGERS = {
    "interviews_note_fts_insert": f"""CREATE TRIGGER interviews_note_fts_insert AFTER INSERT ON interviews_note BEGIN
        INSERT INTO {FTS_KEY_TABLE} (note_id) VALUES (new.id);
        INSERT INTO {FTS_TABLE} (rowid, note_id, text) VALUES (last_insert_rowid(), new.id, new.text);
    END""",
    "interviews_note_fts_update": f"""CREATE TRIGGER interviews_note_fts_update AFTER UPDATE OF text ON interviews_note BEGIN
        UPDATE {FTS_TABLE} SET text = new.text WHERE rowid = (SELECT rowid FROM {FTS_KEY_TABLE} WHERE note_id = new.id);
    END""",
    "interviews_note_fts_delete": f"""CREATE TRIGGER interviews_note_fts_delete AFTER DELETE ON interviews_note BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = (SELECT rowid FROM {FTS_KEY_TABLE} WHERE note_id = old.id);
        DELETE FROM {FTS_KEY_TABLE} WHERE note_id = old.id;
    END""",
}


def _ensure_postgres_document(connection) -> bool:
    # A database migrated with the first 0015 (a GIN index on the expression, no stored column) gets the column.
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regprocedure(%s) IS NOT NULL, EXISTS (SELECT 1 FROM information_schema.columns "
                       "WHERE table_schema = current_schema() AND table_name = 'interviews_note' AND column_name = %s)",
                       [f"{PG_FOLD_FUNCTION}(text)", PG_DOCUMENT])
        migrated, has_document = cursor.fetchone()
        if not migrated or has_document:
            return False
        cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        cursor.execute(f"ALTER TABLE interviews_note ADD COLUMN {PG_DOCUMENT} tsvector GENERATED ALWAYS AS "
                       f"(to_tsvector('simple'::regconfig, {PG_FOLD_FUNCTION}(text))) STORED")
        cursor.execute(f"CREATE INDEX {PG_INDEX} ON interviews_note USING gin ({PG_DOCUMENT})")
    return True


def ensure_search_index(*, connection) -> bool:
    """On SQLite, recreate missing index triggers and refill the index from the notes; on PostgreSQL, add the
    stored vector to a database migrated before it existed. True if something was done; nothing before 0015."""
    if connection.vendor == "postgresql":
        return _ensure_postgres_document(connection)
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
                       [FTS_TABLE, *SQLITE_TRIGGERS])
        present = {name for _type, name in cursor.fetchall()}
        if FTS_TABLE not in present or present >= set(SQLITE_TRIGGERS):
            return False
        for name, sql in SQLITE_TRIGGERS.items():
            if name not in present:
                cursor.execute(sql)
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.execute(f"DELETE FROM {FTS_KEY_TABLE}")
        cursor.execute(f"INSERT INTO {FTS_KEY_TABLE} (note_id) SELECT id FROM interviews_note")
        cursor.execute(f"INSERT INTO {FTS_TABLE} (rowid, note_id, text) SELECT k.rowid, n.id, n.text "
                       f"FROM interviews_note n JOIN {FTS_KEY_TABLE} k ON k.note_id = n.id")
    return True


class SearchQueryError(ValueError):
    """A query that cannot be searched; str() is the message to show."""


# Letters that carry no combining mark in Unicode but that PostgreSQL's unaccent plainly folds.
_EXTRA_FOLDS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: "Café Ñandú" -> "cafe nandu"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_EXTRA_FOLDS)


def words_of(text: str) -> list[str]:
    """The folded words of a text, split as both indexes split them (on anything not a letter or digit)."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # folded; one word for a word or prefix, several for a phrase
    prefix: bool = False  # the last word is a prefix
    negated: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...]
    text: str  # what the person typed, trimmed

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.negated)


_TOKEN = re.compile(r'(-?)"([^"]*)(?:"|$)(\*?)|(-?)([^\s"]+)')


def parse_query(query: str | ParsedQuery) -> ParsedQuery:
    """Words, "phrases", prefix*, -exclusions; raises SearchQueryError for what cannot be searched."""
    if isinstance(query, ParsedQuery):
        return query
    text = (query or "").strip()
    if not text:
        raise SearchQueryError(EMPTY_QUERY)
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchQueryError(QUERY_TOO_LONG % {"limit": MAX_QUERY_LENGTH})
    terms: list[Term] = []
    for match in _TOKEN.finditer(text):
        if match.group(2) is not None:
            negated, body, star = bool(match.group(1)), match.group(2), bool(match.group(3))
            prefix = star or body.rstrip().endswith("*")
        else:
            negated, body = bool(match.group(4)), match.group(5)
            prefix = body.endswith("*")
        words = tuple(words_of(body))
        if not words:
            continue
        if prefix and len(words[-1]) < MIN_PREFIX:
            raise SearchQueryError(SHORT_PREFIX % {"count": MIN_PREFIX})
        term = Term(words=words, prefix=prefix, negated=negated)
        if term not in terms:
            terms.append(term)
    if not terms:
        raise SearchQueryError(EMPTY_QUERY)
    if len(terms) > MAX_TERMS:
        raise SearchQueryError(TOO_MANY_TERMS % {"limit": MAX_TERMS})
    if not any(not term.negated for term in terms):
        raise SearchQueryError(ONLY_EXCLUSIONS)
    return ParsedQuery(terms=tuple(terms), text=text)


def fts5_expression(parsed: ParsedQuery) -> str:
    """An FTS5 MATCH expression: every word double-quoted, phrases joined by +, prefixes starred."""

    def term_sql(term: Term) -> str:
        parts = [f'"{word}"' for word in term.words]
        if term.prefix:
            parts[-1] += "*"
        return " + ".join(parts)

    positive = " AND ".join(f"({term_sql(term)})" for term in parsed.terms if not term.negated)
    negative = "".join(f" NOT ({term_sql(term)})" for term in parsed.terms if term.negated)
    return f"({positive}){negative}"


def tsquery_expression(parsed: ParsedQuery) -> str:
    """A PostgreSQL to_tsquery text: 'a' <-> 'b' for phrases, :* for prefixes, ! for exclusions."""

    def term_sql(term: Term) -> str:
        lexemes = ["'" + word.replace("\\", "\\\\").replace("'", "''") + "'" for word in term.words]
        if term.prefix:
            lexemes[-1] += ":*"
        body = " <-> ".join(lexemes)
        return f"!({body})" if term.negated else f"({body})"

    return " & ".join(term_sql(term) for term in parsed.terms)


def _matches_at_least(connection, expression: str, count: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)",
                       [expression, count])
        return cursor.fetchone()[0] >= count


class NoteMatches(Expression):
    """True for a note whose text matches the query; a boolean expression to filter Notes by, which
    keeps the queryset lazy and combines with every other filter (and with subqueries' aliases)."""

    def __init__(self, parsed: ParsedQuery, *, id_expression=None, text_expression=None):
        super().__init__(output_field=BooleanField())
        self.parsed = parsed
        self.id_expression = id_expression if id_expression is not None else F("pk")
        self.text_expression = text_expression if text_expression is not None else F("text")

    def get_source_expressions(self):
        return [self.id_expression, self.text_expression]

    def set_source_expressions(self, exprs):
        self.id_expression, self.text_expression = exprs

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.is_summary = summarize
        clone.id_expression = self.id_expression.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        clone.text_expression = self.text_expression.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return clone

    def as_sql(self, compiler, connection):
        if connection.vendor == "postgresql":
            # The note's stored vector (PG_DOCUMENT, a generated column the model does not know), in the alias
            # this query gives the note's table.
            document = f"{compiler.quote_name_unless_alias(self.text_expression.alias)}.{connection.ops.quote_name(PG_DOCUMENT)}"
            return f"{document} @@ to_tsquery('simple'::regconfig, %s)", (tsquery_expression(self.parsed),)
        if connection.vendor == "sqlite":
            id_sql, id_params = compiler.compile(self.id_expression)
            expression = fts5_expression(self.parsed)
            # For a word in a few notes SQLite is quickest driving the query from the match list (a primary-key
            # lookup per match, then the joins); for one in thousands of notes that is slow, and it is quicker to
            # read the notes the other filters leave (one program's, at most) and check each one's index rowid
            # against the matches, kept as a temporary index of integers. A bounded count of the matches (at most
            # COMMON_MATCHES rowids read, about a millisecond) chooses; figures in benchmarks/README.md.
            if _matches_at_least(connection, expression, COMMON_MATCHES):
                sql = (f"(SELECT k.rowid FROM {FTS_KEY_TABLE} k WHERE k.note_id = {id_sql}) IN "
                       f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)")
            else:
                sql = (f"{id_sql} IN (SELECT k.note_id FROM {FTS_KEY_TABLE} k WHERE k.rowid IN "
                       f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s))")
            return sql, (*id_params, expression)
        raise NotImplementedError(f"note search has no index on {connection.vendor}")


def matching_notes(notes: QuerySet, query: str | ParsedQuery) -> QuerySet:
    """The given notes whose words match the query, still lazy (raises SearchQueryError)."""
    return notes.filter(NoteMatches(parse_query(query)))


def forget_removed_words() -> None:
    """Merge SQLite's index after words were erased: FTS5 keeps a changed note's old words in its index segments
    until they merge, so without this an erased student's words would stay readable in the database file's index.
    (PostgreSQL's GIN index follows its rows, whose old versions VACUUM reclaims like any updated row's.)"""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('optimize')")


def notes_matching(query: str | ParsedQuery, *, prefix: str = "") -> Q:
    """The same test as a Q over a relation, e.g. `CodeApplication.objects.filter(notes_matching(q, prefix="note__"))`."""
    parsed = parse_query(query)
    return Q(NoteMatches(parsed, id_expression=F(f"{prefix}pk" if prefix else "pk"),
                         text_expression=F(f"{prefix}text")))


def highlight(text: str, query: str | ParsedQuery | None) -> list[tuple[str, bool]]:
    """The text cut into (segment, is_match) pieces: the words a query's words, prefixes and phrases
    match, accents and case ignored. Exclusions are not marked. Segments are plain text, for the
    template to escape as usual; a query that cannot be parsed marks nothing."""
    if not text:
        return []
    try:
        parsed = parse_query(query) if query else None
    except SearchQueryError:
        parsed = None
    if parsed is None:
        return [(text, False)]
    # Fold character by character, remembering which original character each folded one came from.
    folded_chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded_char in fold(char):
            folded_chars.append(folded_char)
            origin.append(index)
    folded = "".join(folded_chars)
    tokens = []  # (word, start, end) in the original text
    for match in _WORD.finditer(folded):
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        tokens.append((match.group(0), start, end))
    marked = [False] * len(text)

    def word_matches(token: str, word: str, is_prefix: bool) -> bool:
        return token.startswith(word) if is_prefix else token == word

    for term in parsed.positive:
        size = len(term.words)
        for first in range(len(tokens) - size + 1):
            window = tokens[first:first + size]
            if all(word_matches(token[0], word, term.prefix and position == size - 1)
                   for position, (token, word) in enumerate(zip(window, term.words))):
                for position in range(window[0][1], window[-1][2]):
                    marked[position] = True
    segments: list[tuple[str, bool]] = []
    start = 0
    for position in range(1, len(text) + 1):
        if position == len(text) or marked[position] != marked[start]:
            segments.append((text[start:position], marked[start]))
            start = position
    return segments


@dataclass
class PageSearch:
    """A page's search box: what was typed (kept in the box), the parsed query, or the message for a query
    that cannot be searched (the page then lists its notes unsearched)."""

    typed: str = ""
    parsed: ParsedQuery | None = None
    error: str = ""
    limit: int = MAX_QUERY_LENGTH

    def apply(self, notes: QuerySet) -> QuerySet:
        return matching_notes(notes, self.parsed) if self.parsed else notes

    def mark(self, note) -> None:
        """Give a note its `parts` for the template: highlighted pieces, or None without a search."""
        note.parts = highlight(note.text, self.parsed) if self.parsed else None


def page_search(params, *, name: str = "q") -> PageSearch:
    """The search a page's GET parameters ask for (`?q=`)."""
    typed = (params.get(name) or "").strip()[:MAX_QUERY_LENGTH + 1]
    if not typed:
        return PageSearch()
    try:
        return PageSearch(typed=typed, parsed=parse_query(typed))
    except SearchQueryError as refusal:
        return PageSearch(typed=typed, error=str(refusal))
