from __future__ import annotations

import uuid

from django.urls import reverse

from analysis.models import CodeApplication, SuggestionRun, ThemeSuggestion
from analysis.topic_model import MIN_NOTES, suggest_themes
from interviews.models import Note, NoteKind, NoteStep
from tests.test_helpers import login

LUNCH = ["The cafeteria is so loud at lunch", "Lunch line is long and the cafeteria is loud", "Loud cafeteria, short lunch"]
HELP = ["I ask for tutoring help after school", "Tutoring helps when I am stuck", "Asking the teacher for help is hard"]


def test_too_few_notes_give_no_suggestions():
    assert suggest_themes(LUNCH[:2], [1, 2]) == []
    assert MIN_NOTES > 2


def test_suggestions_separate_topics_and_are_deterministic():
    texts = LUNCH * 3 + HELP * 3
    ids = list(range(len(texts)))
    first = suggest_themes(texts, ids, topics=2, seed=1)
    assert first == suggest_themes(texts, ids, topics=2, seed=1)
    groups = [set(s.note_ids) for s in first]
    lunch_ids = {i for i, t in enumerate(texts) if t in LUNCH}
    assert lunch_ids in groups
    assert any("cafeteria" in s.top_words or "loud" in s.top_words for s in first)


def add_notes(coded, texts):
    student = coded.students[0]
    return [Note.objects.create(id=uuid.uuid4(), session=coded.session, step=NoteStep.QUESTION, student=student,
                                kind=NoteKind.STUDENT, text=t) for t in texts]


def test_an_analyst_runs_accepts_and_dismisses_suggestions(client, coded, django_capture_on_commit_callbacks):
    CodeApplication.objects.all().delete()
    Note.objects.filter(session=coded.session).delete()
    added = add_notes(coded, LUNCH * 3 + HELP * 3)
    login(client, coded.team.analyst)
    url = reverse("suggestions", kwargs={"slug": coded.team.program.slug})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "run"})
    run = SuggestionRun.objects.get()
    assert run.status == SuggestionRun.Status.READY and run.notes_considered == 18
    page = client.get(url).content.decode()
    assert "Accept as a code" in page
    first, *rest = ThemeSuggestion.objects.all()
    keep = first.note_ids[:2]
    client.post(url, {"action": "accept", "suggestion": first.pk, "name": "Suggested topic",
                      "category": coded.codes["Noise"].category_id, "notes": keep + ["not-a-member"]})
    first.refresh_from_db()
    assert first.status == ThemeSuggestion.Status.ACCEPTED
    assert sorted(str(i) for i in CodeApplication.objects.filter(code__name="Suggested topic").values_list("note_id", flat=True)) == sorted(keep)
    if rest:
        client.post(url, {"action": "dismiss", "suggestion": rest[0].pk})
        rest[0].refresh_from_db()
        assert rest[0].status == ThemeSuggestion.Status.DISMISSED
    assert {str(n.pk) for n in added} >= set(keep)


def test_suggestions_are_for_analysts(client, coded):
    login(client, coded.team.viewer)
    assert client.get(reverse("suggestions", kwargs={"slug": coded.team.program.slug})).status_code == 403


def test_each_note_is_read_in_its_language_or_its_sessions(coded, monkeypatch):
    from analysis import suggestions

    CodeApplication.objects.all().delete()
    Note.objects.filter(session=coded.session).delete()
    coded.session.language = "es"
    coded.session.save()
    spanish = add_notes(coded, ["La cafetería es muy ruidosa", "El almuerzo es corto"])
    english = add_notes(coded, ["The cafeteria is loud"])
    Note.objects.filter(pk=english[0].pk).update(language="en")
    seen = {}

    def fake_suggest_themes(texts, ids, *, languages=None, **options):
        seen.update(zip(ids, languages, strict=True))
        return []

    monkeypatch.setattr(suggestions, "suggest_themes", fake_suggest_themes)
    run = SuggestionRun.objects.create(program=coded.team.program, requested_by=coded.team.analyst)
    suggestions.compute(run.pk)
    assert seen == {str(spanish[0].pk): "es", str(spanish[1].pk): "es", str(english[0].pk): "en"}
