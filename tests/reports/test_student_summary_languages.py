"""The "you said, we did" summary in each language its families need: published per language, a
family's address opening in their language, one click switching, and a printable copy in each."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from actions.models import Idea
from actions.plan import action_from_idea
from analysis.coding import apply_code
from analysis.models import Theme
from analysis.themes import add_quote, candidate_quotes
from reports.models import Report, ReportKind, ReportStatus, StudentSummaryLink
from reports.student_summary import families_by_language, page_language, publish, summary_languages
from tests.test_helpers import login


@pytest.fixture
def told(coded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for note in coded.notes[:12]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst)
    theme = Theme.objects.create(program=coded.team.program, name="The cafeteria is loud", insight="Lunch is too loud to talk.")
    theme.codes.add(coded.codes["Noise"])
    add_quote(theme, application=candidate_quotes(theme)[0])
    idea = Idea.objects.create(program=coded.team.program, title="A quiet lunch room")
    idea.themes.add(theme)
    action_from_idea(idea, owner=coded.team.lead, kind="project")
    return coded


def _home_languages(coded, languages):
    for student, language in zip(coded.students, languages, strict=False):
        student.home_language = language
        student.save(update_fields=["home_language"])


def page_url(link, language=None):
    url = reverse("student_summary_page", kwargs={"token": link.token})
    return f"{url}?lang={language}" if language else url


def test_the_summary_is_in_english_and_every_home_language_the_app_speaks(told):
    _home_languages(told, ["es", "es", "zh", "vi", ""])  # Chinese and Vietnamese: the app does not speak them yet
    assert summary_languages(told.team.program) == ["en", "es"]
    assert families_by_language(told.team.program) == {"en": 22, "es": 2}


def test_a_program_whose_families_all_read_english_publishes_english_only(told):
    _home_languages(told, ["en", "zh"])
    link = publish(told.team.program, user=told.team.lead)
    assert link.languages == ["en"]


def test_a_home_language_of_a_student_not_interviewed_does_not_count(told):
    from participants.models import Student
    from tests.factories import StudentFactory

    StudentFactory(school=Student.objects.first().school, home_language="es")
    assert summary_languages(told.team.program) == ["en"]


def test_publishing_makes_a_page_and_a_printable_copy_per_language(client, told, django_capture_on_commit_callbacks):
    _home_languages(told, ["es"])
    login(client, told.team.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("student_summary_publishing", kwargs={"slug": told.team.program.slug}),
                               {"action": "publish"}, follow=True)
    link = StudentSummaryLink.objects.get()
    assert link.languages == ["en", "es"]
    page = response.content.decode()
    assert "online in English, Español" in page
    assert f"{page_url(link, 'es')}" in page and f"{page_url(link, 'en')}" in page
    assert "the families of 23 students interviewed" in page and "the family of 1 student interviewed" in page
    copies = Report.objects.filter(kind=ReportKind.STUDENT_SUMMARY).order_by("pk")
    assert [(r.options["language"], r.status) for r in copies] == [("en", ReportStatus.READY), ("es", ReportStatus.READY)]
    spanish = copies.get(options__language="es")
    with spanish.file.open("rb") as handle:
        text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=handle.read(), capture_output=True,
                                       check=True).stdout.decode("utf-8").split())
    assert "lo que dijeron, lo que hicimos" in text and "Lo que escuchamos" in text


def test_a_familys_address_opens_in_their_language_and_one_click_switches(client, told):
    _home_languages(told, ["es"])
    link = publish(told.team.program, user=told.team.lead)
    spanish = client.get(page_url(link, "es"))
    text = spanish.content.decode()
    assert '<html lang="es">' in text and "lo que dijeron, lo que hicimos" in text and "Lo que escuchamos" in text
    assert spanish["Content-Language"] == "es"
    # The switcher, on the page, sends the visitor back to this address in the other language.
    assert 'name="language" value="en"' in text and f'name="next" value="{page_url(link, "es")}"' in text
    switched = client.post(reverse("set_language"), {"language": "en", "next": page_url(link, "es")}, follow=True)
    assert '<html lang="en">' in switched.content.decode() and "you said, we did" in switched.content.decode()
    english = client.get(page_url(link, "en")).content.decode()
    assert '<html lang="en">' in english and "you said, we did" in english


def test_an_address_in_a_language_not_published_opens_in_the_usual_one(client, told):
    link = publish(told.team.program, user=told.team.lead)
    assert link.languages == ["en"] and page_language(link, "es") is None
    assert '<html lang="en">' in client.get(page_url(link, "es")).content.decode()


def test_republishing_follows_the_families_languages(told):
    link = publish(told.team.program, user=told.team.lead)
    _home_languages(told, ["es"])
    again = publish(told.team.program, user=told.team.lead)
    assert again.pk == link.pk and again.token == link.token and again.languages == ["en", "es"]
