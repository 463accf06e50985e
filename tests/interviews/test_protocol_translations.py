"""A protocol in English and Spanish: the lead writes the Spanish beside the English (each question and
its prompts, each script), sees which questions lack it, keeps what was typed on bad input; new versions
and questions from the bank keep both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Protocol, Question, Session, SessionFormat, SessionStatus
from interviews.protocols import (
    add_question,
    editable_version,
    fully_translated,
    localised,
    protocol_languages,
    start_protocol,
    untranslated_positions,
    update_question,
    update_scripts,
)
from tests.factories import ready_protocol
from tests.test_helpers import login

HX = {"HX-Request": "true"}


def url(team, name, **kwargs):
    return reverse(name, kwargs={"slug": team.program.slug, **kwargs})


def spanish(question: Question, text: str, *follow_ups: str) -> Question:
    question.translations = {"es": {"text": text, "follow_ups": list(follow_ups)}}
    question.save()
    return question


def test_add_and_update_keep_the_spanish_version(team):
    protocol = start_protocol(program=team.program, user=team.lead)
    question = add_question(protocol, user=team.lead, text="Tell me about lunch.", follow_ups=["Why?"],
                            translations={"es": {"text": " Cuéntame del almuerzo. ", "follow_ups": ["¿Por qué?", " "]}})
    assert question.translations == {"es": {"text": "Cuéntame del almuerzo.", "follow_ups": ["¿Por qué?"]}}
    kept = update_question(question, user=team.lead, text="Tell me about recess.", follow_ups=[])
    assert kept.translations["es"]["text"] == "Cuéntame del almuerzo."  # None keeps the other languages
    cleared = update_question(question, user=team.lead, text="Tell me about recess.",
                              translations={"es": {"text": "", "follow_ups": ["¿Y?"]}})
    assert cleared.translations == {}  # prompts without their question are no translation


def test_which_questions_lack_spanish_and_the_languages_a_protocol_has(team):
    protocol = ready_protocol(team.program, questions=3)
    first, second, third = protocol.questions.all()
    assert protocol_languages(protocol) == ["en"] and untranslated_positions(protocol, "es") == [1, 2, 3]
    spanish(second, "Cuéntame de tu día.")
    assert protocol_languages(protocol) == ["en", "es"] and untranslated_positions(protocol, "es") == [1, 3]
    assert not fully_translated(protocol, "es")
    spanish(first, "Uno."), spanish(third, "Tres.")
    assert fully_translated(protocol, "es")


def test_the_localised_protocol_falls_back_to_english_and_says_so(team):
    protocol = ready_protocol(team.program, questions=2)
    update_scripts(protocol, user=team.lead, translations={"es": {"purpose": "Queremos escucharte."}})
    first, second = protocol.questions.all()
    spanish(first, "Cuéntame de un buen día.", "¿Qué pasó?")
    local = localised(Protocol.objects.get(pk=protocol.pk), "es")
    assert local["scripts"]["purpose"].text == "Queremos escucharte." and local["scripts"]["purpose"].translated
    assert local["scripts"]["wrap_up"].text == protocol.wrap_up and not local["scripts"]["wrap_up"].translated
    assert [(q.text, q.translated) for q in local["questions"]] == [("Cuéntame de un buen día.", True), (second.text, False)]
    assert local["questions"][0].follow_ups == ["¿Qué pasó?"] and local["untranslated"] == [2]


def test_a_new_version_keeps_the_translations(team):
    protocol = ready_protocol(team.program, questions=2)
    update_scripts(protocol, user=team.lead, translations={"es": {"purpose": "Propósito", "wrap_up": "Gracias"}})
    spanish(protocol.questions.first(), "Cuéntame de tu escuela.", "¿Por qué?")
    Session.objects.create(program=team.program, format=SessionFormat.INDIVIDUAL, protocol=protocol,
                           starts_at=timezone.now() - dt.timedelta(hours=1), facilitator=team.facilitator,
                           status=SessionStatus.COMPLETED)
    edit = editable_version(Protocol.objects.get(pk=protocol.pk), user=team.lead)
    assert edit.forked and edit.protocol.version == protocol.version + 1
    assert edit.protocol.translations == {"es": {"purpose": "Propósito", "wrap_up": "Gracias"}}
    assert edit.protocol.questions.first().translations == {"es": {"text": "Cuéntame de tu escuela.", "follow_ups": ["¿Por qué?"]}}


def test_the_page_shows_spanish_beside_english_and_what_is_missing(client, team):
    protocol = ready_protocol(team.program, questions=3)
    spanish(protocol.questions.all()[1], "Cuéntame de tu clase favorita.")
    login(client, team.lead)
    page = client.get(url(team, "protocol")).content.decode()
    assert "Cuéntame de tu clase favorita." in page and 'lang="es"' in page
    assert 'name="purpose_es"' in page and 'name="text_es"' in page
    assert "Spanish: questions 1, 3 have no version yet" in page
    assert page.count("Spanish: not written yet") == 2
    assert "?language=es" in page  # the guide in each language the protocol has


def test_a_viewer_reads_the_spanish_scripts_too(client, team):
    protocol = ready_protocol(team.program)
    update_scripts(protocol, user=team.lead, translations={"es": {"purpose": "Queremos escucharte."}})
    login(client, team.viewer)
    page = client.get(url(team, "protocol")).content.decode()
    assert "Queremos escucharte." in page and 'name="purpose_es"' not in page


def test_the_lead_saves_the_spanish_scripts(client, team):
    protocol = ready_protocol(team.program)
    login(client, team.lead)
    data = {name: getattr(protocol, name) for name in ("theme", "purpose", "guidelines", "icebreaker", "wrap_up",
                                                         "facilitator_notes")}
    data.update(purpose_es="Queremos escuchar tu experiencia.", wrap_up_es="Gracias por compartir.", theme_es="Pertenencia")
    assert client.post(url(team, "protocol"), data).status_code == 302
    saved = Protocol.objects.filter(program=team.program).order_by("-version").first()
    assert saved.translations == {"es": {"theme": "Pertenencia", "purpose": "Queremos escuchar tu experiencia.",
                                         "wrap_up": "Gracias por compartir."}}
    again = client.get(url(team, "protocol")).content.decode()
    assert "Queremos escuchar tu experiencia." in again


def test_bad_scripts_input_keeps_the_spanish_typed(client, team):
    ready_protocol(team.program)
    login(client, team.lead)
    response = client.post(url(team, "protocol"), {"theme": "x" * 300, "purpose": "P", "guidelines": "G", "wrap_up": "W",
                                                   "purpose_es": "Lo que escribí en español"})
    page = response.content.decode()
    assert response.status_code == 200 and "Lo que escribí en español" in page
    assert "Ensure this value has at most 200 characters" in page
    assert Protocol.objects.get(program=team.program).translations == {}


def test_the_lead_adds_a_question_in_both_languages(client, team):
    login(client, team.lead)
    response = client.post(url(team, "question_add"), {
        "text": "Tell me about lunch.", "follow_ups": "Who do you sit with?",
        "text_es": "¿Te gusta el almuerzo?", "follow_ups_es": "¿Con quién te sientas?"}, headers=HX)
    fragment = response.content.decode()
    question = Question.objects.get()
    assert question.translations == {"es": {"text": "¿Te gusta el almuerzo?", "follow_ups": ["¿Con quién te sientas?"]}}
    # the Spanish version gets the Spanish check, with Spanish rewrites
    assert "¿Cómo es para ti el almuerzo?" in fragment


def test_spanish_prompts_without_the_spanish_question_are_refused_and_kept(client, team):
    login(client, team.lead)
    response = client.post(url(team, "question_add"), {
        "text": "Tell me about lunch.", "follow_ups": "", "text_es": "", "follow_ups_es": "¿Con quién te sientas?"},
        headers=HX)
    fragment = response.content.decode()
    assert not Question.objects.exists()
    assert "Write the question in this language too" in fragment
    assert "¿Con quién te sientas?" in fragment and "Tell me about lunch." in fragment


def test_the_lead_edits_the_spanish_of_a_question(client, team):
    protocol = ready_protocol(team.program, questions=1)
    question = spanish(protocol.questions.get(), "Cuéntame de tu día.", "¿Qué pasó?")
    login(client, team.lead)
    form = client.get(url(team, "question_edit", pk=question.pk), headers=HX).content.decode()
    assert "Cuéntame de tu día." in form and "¿Qué pasó?" in form and 'name="text_es"' in form
    client.post(url(team, "question_edit", pk=question.pk), {
        "text": question.text, "follow_ups": "", "text_es": "Cuéntame de tu semana.", "follow_ups_es": "¿Por qué?\n"},
        headers=HX)
    assert Question.objects.get(pk=question.pk).translations == {"es": {"text": "Cuéntame de tu semana.", "follow_ups": ["¿Por qué?"]}}


def test_the_check_endpoint_reads_the_language_it_is_given(client, team):
    ready_protocol(team.program)
    login(client, team.lead)
    found = client.post(url(team, "question_check"), {"text": "¿Te gusta la escuela?", "language": "es"}, headers=HX)
    assert "¿Cómo es para ti la escuela?" in found.content.decode()
    # the Spanish box sends its own field
    box = client.post(url(team, "question_check"), {"text_es": "¿Hay un adulto en quien confíes?", "language": "es"}, headers=HX)
    assert "Cuéntame de un adulto en quien confíes." in box.content.decode()
    english = client.post(url(team, "question_check"), {"text": "Do you like math?", "language": "en"}, headers=HX)
    assert "What do you like, or not like, about math?" in english.content.decode()


def test_the_spanish_box_is_checked_even_when_the_english_box_is_filled(client, team):
    # htmx posts the whole add-question form: the English box's text comes along with the Spanish box's.
    ready_protocol(team.program)
    login(client, team.lead)
    box = client.post(url(team, "question_check"), {"text": "Tell me about lunch.", "text_es": "¿Te gusta la cafetería?",
                                                    "language": "es"}, headers=HX)
    assert "¿Cómo es para ti la cafetería?" in box.content.decode()
    english = client.post(url(team, "question_check"), {"text": "Do you like lunch?", "text_es": "Cuéntame del almuerzo."},
                          headers=HX)
    assert "What do you like, or not like, about lunch?" in english.content.decode()


@pytest.mark.parametrize("key", ["belong-place", "safe-where"])
def test_a_bank_question_keeps_both_languages(client, team, key):
    login(client, team.lead)
    client.post(url(team, "bank_add"), {"key": key}, headers=HX)
    question = Question.objects.get()
    assert question.text.startswith("Tell me about")
    assert question.translations["es"]["text"].startswith("Cuéntame")
    assert len(question.translations["es"]["follow_ups"]) == len(question.follow_ups) == 2


def test_a_spanish_reading_lead_adds_bank_questions_in_english_and_spanish(client, team, settings):
    login(client, team.lead)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    client.post(url(team, "bank_add"), {"key": "belong-place"}, headers=HX)
    question = Question.objects.get()
    assert question.text == "Tell me about a place at school where you feel you belong."
    assert question.translations["es"]["text"] == "Cuéntame de un lugar de la escuela donde sientas que perteneces."


def test_the_english_prompts_start_in_english_on_a_spanish_page(client, team, settings):
    ready_protocol(team.program)
    login(client, team.lead)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(url(team, "protocol")).content.decode()
    assert "Tell me more about that.\nCan you give me an example?" in page
    assert 'placeholder="Tell me about a time when…"' in page  # the English box's example is English too


def test_marking_ready_asks_about_flagged_spanish_questions_too(client, team):
    protocol = ready_protocol(team.program)
    Protocol.objects.filter(pk=protocol.pk).update(marked_ready=False)
    spanish(protocol.questions.all()[1], "¿Te gusta la escuela?")
    login(client, team.lead)
    response = client.post(url(team, "protocol_ready"), {"action": "ready"}, headers=HX)
    assert "¿Te gusta la escuela?" in response.content.decode() and "confirm-flagged" in response.content.decode()
    assert not Protocol.objects.get(pk=protocol.pk).marked_ready
