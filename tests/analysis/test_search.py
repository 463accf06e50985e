"""Full-text search of notes (analysis/search.py over interviews/note_search.py): the query language, the
same results on SQLite FTS5 and PostgreSQL for one corpus, the index kept in step, and highlighting."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analysis.corpus import analysable_notes
from analysis.search import SearchQueryError, highlight, parse_query, search_notes
from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from interviews.note_search import (
    EMPTY_QUERY,
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    ONLY_EXCLUSIONS,
    QUERY_TOO_LONG,
    SHORT_PREFIX,
    TOO_MANY_TERMS,
    fts5_expression,
    tsquery_expression,
)
from recruitment.models import ConsentStatus, Invitation
from tests.factories import StudentFactory, ready_protocol

# Written for this project: Spanish and English, accents, a phrase split over punctuation, hyphens.
CORPUS = {
    "cafe": "La cafetería es muy ruidosa y el café está frío.",
    "cafe_en": "I go to the CAFÉ near the gym because the cafeteria is too loud.",
    "loud": "It is too loud in the hallway, way too loud.",
    "loud_apart": "Loud music, and too many people.",
    "lunch": "Lunch is short; we get twenty minutes.",
    "lunches": "The lunches are better on Fridays and in the lunchroom.",
    "nino": "Mi niño dice que la profesora Núñez le ayuda mucho.",
    "corazon": "Me siento en casa: el corazón de la escuela es la biblioteca.",
    "wellbeing": "Our well-being matters more than grades.",
    "dont": "I don't feel safe in the locker room.",
    "erased": "",
}

EXPECTED = {
    "cafe": {"cafe", "cafe_en"},
    "CAFÉ": {"cafe", "cafe_en"},
    "cafeteria": {"cafe", "cafe_en"},
    "cafetería": {"cafe", "cafe_en"},
    "frio ruidosa": {"cafe"},
    "cafet*": {"cafe", "cafe_en"},
    '"too loud"': {"loud", "cafe_en"},
    "too loud": {"loud", "cafe_en", "loud_apart"},
    '"loud too"': set(),
    "lunch": {"lunch"},
    "lunch*": {"lunch", "lunches"},
    "lunch* -fridays": {"lunch"},
    'loud -"too loud"': {"loud_apart"},
    "nino nunez": {"nino"},
    '"profesora nunez"': {"nino"},
    "corazon escuela": {"corazon"},
    '"de la escuela"': {"corazon"},
    "well-being": {"wellbeing"},
    '"well being matters"': {"wellbeing"},
    "being": {"wellbeing"},
    "don't": {"dont"},
    '"don t feel"': {"dont"},
    "gym -café": set(),
    '"near the gym': {"cafe_en"},  # an unclosed quote runs to the end
    "recess": set(),
}


@pytest.fixture
def corpus(team):
    program = team.program
    protocol = ready_protocol(program)
    session = Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator,
                                     status=SessionStatus.COMPLETED)
    notes = {}
    for key, text in CORPUS.items():
        student = StudentFactory()
        session.participants.add(student)
        Invitation.objects.create(program=program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
        notes[key] = Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION,
                                         question=protocol.questions.first(), student=student, kind=NoteKind.STUDENT,
                                         text=text, erased_at=timezone.now() if key == "erased" else None)
    return program, notes


def _found(program, query) -> set[str]:
    ids = set(search_notes(notes=analysable_notes(program), query=query).values_list("id", flat=True))
    return {key for key, note in _corpus_notes(program).items() if note in ids}


def _corpus_notes(program):
    by_text = {text: key for key, text in CORPUS.items()}
    return {by_text[text]: pk for pk, text in Note.objects.filter(session__program=program).values_list("id", "text")}


def _assert_corpus(program):
    misses = {query: (_found(program, query), expected) for query, expected in EXPECTED.items()
              if _found(program, query) != expected}
    assert not misses, misses


def test_the_shared_corpus_finds_the_same_notes_on_this_database(corpus):
    _assert_corpus(corpus[0])


def test_the_plan_for_words_in_many_notes_finds_the_same_notes(corpus, monkeypatch):
    # On SQLite a query matching COMMON_MATCHES notes or more is written another way (see NoteMatches).
    monkeypatch.setattr("interviews.note_search.COMMON_MATCHES", 1)
    _assert_corpus(corpus[0])


@pytest.mark.postgres
def test_the_shared_corpus_finds_the_same_notes_on_postgresql(corpus):
    _assert_corpus(corpus[0])


@pytest.mark.postgres
def test_postgresql_answers_a_word_from_the_gin_index(corpus):
    program, _ = corpus
    notes = search_notes(notes=Note.objects.all(), query="lunch")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql, params = notes.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "interviews_note_search_gin" in plan


def test_a_search_only_narrows_the_queryset_it_is_given(corpus):
    program, notes = corpus
    only_two = analysable_notes(program).filter(pk__in=[notes["cafe"].pk, notes["loud"].pk])
    assert list(search_notes(notes=only_two, query="cafe").values_list("pk", flat=True)) == [notes["cafe"].pk]
    assert list(search_notes(notes=only_two.filter(text__icontains="hallway"), query="loud")) == [notes["loud"]]
    assert list(search_notes(notes=only_two, query="lunch")) == []


def test_withdrawn_and_erased_words_never_come_back(corpus):
    program, notes = corpus
    Invitation.objects.filter(student=notes["lunch"].student).update(student_assent=ConsentStatus.WITHDRAWN)
    assert _found(program, "lunch*") == {"lunches"}
    # An erasure empties the text with an update(): the index forgets the words at once.
    Note.objects.filter(pk=notes["nino"].pk).update(text="", erased_at=timezone.now())
    assert list(search_notes(notes=Note.objects.all(), query="nunez")) == []


def test_the_index_follows_creates_bulk_creates_updates_and_deletes(corpus):
    program, notes = corpus
    everything = Note.objects.all()
    note = notes["lunch"]
    note.text = "Recess is the best part of the day."
    note.save()
    assert list(search_notes(notes=everything, query="recess")) == [note]
    assert not search_notes(notes=everything, query="twenty").exists()
    Note.objects.filter(pk=note.pk).update(text="Basketball after school.")
    assert list(search_notes(notes=everything, query="basket*")) == [note]
    made = Note.objects.bulk_create([Note(id=uuid.uuid4(), session=note.session, step=NoteStep.QUESTION,
                                          kind=NoteKind.STUDENT, text=f"Bulk note número {i}") for i in range(3)])
    assert set(search_notes(notes=everything, query="numero")) == set(made)
    Note.objects.filter(pk=made[0].pk).delete()
    assert set(search_notes(notes=everything, query="numero")) == set(made[1:])


def test_a_search_stays_lazy_and_pages_in_one_query(corpus):
    program, _ = corpus
    with CaptureQueriesContext(connection) as queries:
        found = search_notes(notes=analysable_notes(program), query="too loud").order_by("created_at")
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        list(found[:2])
    # On SQLite a bounded count of the matches (at most COMMON_MATCHES rowids) chooses the plan first.
    assert len(queries) == (2 if connection.vendor == "sqlite" else 1)


def test_a_search_works_as_a_subquery_of_another_query(corpus):
    program, notes = corpus
    found = search_notes(notes=Note.objects.all(), query="corazon")
    assert list(Note.objects.filter(pk__in=found.values("pk"))) == [notes["corazon"]]


@pytest.mark.parametrize(("query", "message"), [
    ("", EMPTY_QUERY), ("   ", EMPTY_QUERY), ("¿? ... !", EMPTY_QUERY), ('""', EMPTY_QUERY),
    ("-noise", ONLY_EXCLUSIONS), ('-"too loud" -lunch', ONLY_EXCLUSIONS),
    ("x" * (MAX_QUERY_LENGTH + 1), QUERY_TOO_LONG % {"limit": MAX_QUERY_LENGTH}),
    (" ".join(f"w{i}" for i in range(MAX_TERMS + 1)), TOO_MANY_TERMS % {"limit": MAX_TERMS}),
    ("l*", SHORT_PREFIX % {"count": 2}),
])
def test_a_query_that_cannot_be_searched_says_why(query, message):
    with pytest.raises(SearchQueryError) as refusal:
        parse_query(query)
    assert str(refusal.value) == str(message)


def test_the_query_language_is_parsed_into_terms():
    parsed = parse_query('Lunch* "TOO  loud" -café -"de la" well-being "unclosed phrase')
    assert [(t.words, t.prefix, t.negated) for t in parsed.terms] == [
        (("lunch",), True, False), (("too", "loud"), False, False), (("cafe",), False, True),
        (("de", "la"), False, True), (("well", "being"), False, False), (("unclosed", "phrase"), False, False)]


def test_match_expressions_carry_only_folded_words():
    parsed = parse_query('lunch* "too loud" -cafe\'; DROP TABLE x; --')
    assert fts5_expression(parsed) == '(("lunch"*) AND ("too" + "loud") AND ("drop") AND ("table") AND ("x")) NOT ("cafe")'
    assert tsquery_expression(parsed) == "('lunch':*) & ('too' <-> 'loud') & !('cafe') & ('drop') & ('table') & ('x')"


def _marked(text, query):
    return [segment for segment, hit in highlight(text, query) if hit]


def test_highlight_ignores_accents_and_case_and_keeps_the_text_whole():
    text = "El CAFÉ y la cafetería; cafe con leche."
    parts = highlight(text, "cafe")
    assert "".join(segment for segment, _ in parts) == text
    assert _marked(text, "cafe") == ["CAFÉ", "cafe"]
    assert _marked("Un café, dos cafés", "cafe*") == ["café", "cafés"]


def test_highlight_marks_a_whole_phrase_but_not_its_words_apart_nor_exclusions():
    assert _marked("Too loud, too many, too loud!", '"too loud" -many') == ["Too loud", "too loud"]
    assert _marked("loud and too", '"too loud"') == []


def test_highlight_leaves_escaping_to_the_template_and_survives_bad_queries():
    assert highlight("<b>loud</b>", "loud") == [("<b>", False), ("loud", True), ("</b>", False)]
    assert highlight("some text", "") == [("some text", False)]
    assert highlight("some text", "-only") == [("some text", False)]
    assert highlight("", "loud") == []
    # Decomposed accents (e + combining acute) are matched and kept with their letter.
    assert _marked("cafe\u0301 ok", "café") == ["cafe\u0301"]


def test_the_index_follows_every_update_and_a_dropped_trigger_is_put_back(corpus):
    from interviews.note_search import ensure_search_index

    program, notes = corpus
    assert ensure_search_index(connection=connection) is False  # all in place: nothing done
    if connection.vendor == "sqlite":  # SQLite's index is kept by triggers, which a rebuild of interviews_note drops
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER interviews_note_fts_update")
        Note.objects.filter(pk=notes["lunch"].pk).update(text="Recess all day.")
        assert not search_notes(notes=Note.objects.all(), query="recess").exists()
        assert ensure_search_index(connection=connection) is True
        assert list(search_notes(notes=Note.objects.all(), query="recess")) == [notes["lunch"]]
    Note.objects.filter(pk=notes["lunch"].pk).update(text="Basketball.")
    assert list(search_notes(notes=Note.objects.all(), query="basketball")) == [notes["lunch"]]
    assert not search_notes(notes=Note.objects.all(), query="recess").exists()


@pytest.mark.postgres
def test_a_database_migrated_before_the_stored_vector_gets_it(corpus):
    from interviews.note_search import ensure_search_index

    program, notes = corpus
    assert ensure_search_index(connection=connection) is False  # in place: nothing done
    with connection.cursor() as cursor:  # as the first 0015 left it: the index on the expression only
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the corpus's inserts, checked now: ALTER TABLE waits for none
        cursor.execute("DROP INDEX interviews_note_search_gin")
        cursor.execute("ALTER TABLE interviews_note DROP COLUMN search_document")
        cursor.execute("CREATE INDEX interviews_note_search_gin ON interviews_note "
                       "USING gin (to_tsvector('simple'::regconfig, interviews_search_fold(text)))")
    assert ensure_search_index(connection=connection) is True
    _assert_corpus(program)
