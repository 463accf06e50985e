from __future__ import annotations

import pytest
from django.urls import reverse

from analysis.coding import apply_code
from analysis.models import Code, CodeApplication, Theme, ThemeQuote
from audit.models import AuditAction, AuditEvent
from tests.test_helpers import count_queries, login


def url(coded, name, **kwargs):
    return reverse(name, kwargs={"slug": coded.team.program.slug, **kwargs})


@pytest.mark.parametrize("name", ["workbench", "codebook", "excerpts_export"])
@pytest.mark.parametrize("persona", ["facilitator", "viewer"])
def test_coding_screens_are_for_analysts_and_leads(client, coded, name, persona):
    login(client, getattr(coded.team, persona))
    assert client.get(url(coded, name)).status_code == 403


@pytest.mark.parametrize("name", ["themes", "patterns"])
def test_viewers_read_findings(client, coded, name):
    login(client, coded.team.viewer)
    assert client.get(url(coded, name)).status_code == 200


def test_outsiders_get_404(client, coded):
    login(client, coded.team.outsider)
    assert client.get(url(coded, "workbench")).status_code == 404


def test_the_workbench_shows_pseudonyms_not_names(client, coded):
    login(client, coded.team.analyst)
    page = client.get(url(coded, "workbench")).content.decode()
    student = coded.students[0]
    assert student.pseudonym in page and student.last_name not in page
    assert "0 of 24 notes coded (0%)" in page


def test_an_analyst_codes_a_selected_span_with_htmx_and_undoes_it(client, coded):
    login(client, coded.team.analyst)
    note = coded.notes[0]
    start = note.text.index("loud")
    fragment = client.post(url(coded, "code_note"), {"note": note.pk, "code": coded.codes["Noise"].pk, "start": start,
                                                     "end": start + 4, "selected": "loud", "stance": "challenge"},
                           headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "Noise" in fragment and "<q class=\"small\">loud</q>" in fragment
    assert CodeApplication.objects.get().snippet == "loud"
    client.post(url(coded, "undo_coding"))
    assert not CodeApplication.objects.exists()


def test_a_bad_span_is_explained(client, coded):
    login(client, coded.team.analyst)
    response = client.post(url(coded, "code_note"), {"note": coded.notes[0].pk, "code": coded.codes["Noise"].pk,
                                                      "start": 5, "end": 9999}, follow=True)
    assert "Select text inside the note." in response.content.decode()


def test_filters_find_uncoded_notes_and_notes_with_a_code(client, coded):
    apply_code(note=coded.notes[0], code=coded.codes["Noise"], coder=coded.team.analyst)
    login(client, coded.team.analyst)
    with_code = client.get(url(coded, "workbench"), {"code": coded.codes["Noise"].pk}).context["page"]
    assert [n.pk for n in with_code] == [coded.notes[0].pk]
    uncoded = client.get(url(coded, "workbench"), {"uncoded": "1"}).context["page"]
    assert uncoded.paginator.count == 23


def test_the_workbench_keeps_a_constant_number_of_queries(client, coded):
    login(client, coded.team.analyst)
    apply_code(note=coded.notes[0], code=coded.codes["Noise"], coder=coded.team.analyst)
    small = count_queries(lambda: client.get(url(coded, "workbench")))
    for note in coded.notes[1:20]:
        apply_code(note=note, code=coded.codes["Time"], coder=coded.team.analyst)
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst, start=0, end=5)
    assert count_queries(lambda: client.get(url(coded, "workbench"))) == small


def test_merging_in_the_browser_moves_codings(client, coded):
    apply_code(note=coded.notes[0], code=coded.codes["Time"], coder=coded.team.analyst)
    login(client, coded.team.analyst)
    client.post(url(coded, "codebook"), {"action": "merge", "source": coded.codes["Time"].pk,
                                         "target": coded.codes["Noise"].pk})
    assert not Code.objects.filter(name="Time").exists()
    assert CodeApplication.objects.get().code.name == "Noise"


def test_a_duplicate_code_name_is_refused_with_a_message(client, coded):
    login(client, coded.team.analyst)
    response = client.post(url(coded, "codebook"), {"action": "add_code", "category": coded.codes["Noise"].category_id,
                                                    "name": "noise"}, follow=True)
    assert "There is already a code called “noise”." in response.content.decode()


def test_exports_stream_pseudonyms_and_are_audited(client, coded):
    apply_code(note=coded.notes[0], code=coded.codes["Noise"], coder=coded.team.analyst)
    login(client, coded.team.analyst)
    body = b"".join(client.get(url(coded, "excerpts_export")).streaming_content).decode()
    assert body.splitlines()[0].startswith("code,category,stance,excerpt,student")
    assert coded.students[0].pseudonym in body and coded.students[0].last_name not in body
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=coded.team.analyst).exists()


def test_a_theme_with_quotes_attributes_them_safely_and_suppresses_small_counts(client, coded):
    for note in coded.notes[:12]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst)
    login(client, coded.team.analyst)
    response = client.post(url(coded, "themes"), {"name": "Noisy lunch", "codes": [coded.codes["Noise"].pk]})
    theme = Theme.objects.get()
    assert response["Location"] == url(coded, "theme_detail", pk=theme.pk)
    coding = CodeApplication.objects.filter(note=coded.notes[1]).get()
    client.post(url(coded, "theme_detail", pk=theme.pk), {"action": "quote", "coding": coding.pk})
    assert ThemeQuote.objects.get().snippet == coded.notes[1].text
    login(client, coded.team.viewer)
    page = client.get(url(coded, "theme_detail", pk=theme.pk)).content.decode()
    assert "12 of 24 interviewed students" in page
    assert "— a 9th-grade student" in page  # 16 ninth-graders, but only 4 of them are English learners
    assert coded.students[1].last_name not in page
    assert "fewer than 5" in page


def test_the_pattern_table_exports_suppressed_cells(client, coded):
    for note in coded.notes[:12]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst)
    Theme.objects.create(program=coded.team.program, name="Noisy lunch").codes.add(coded.codes["Noise"])
    login(client, coded.team.viewer)
    body = b"".join(client.get(url(coded, "patterns_export")).streaming_content).decode()
    assert "Noisy lunch,English learner,Yes,fewer than 5" in body
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=coded.team.viewer).exists()


def test_a_larger_page_reaches_a_codes_whole_list_in_few_requests(client, coded):
    for note in coded.notes:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst)
    login(client, coded.team.analyst)
    default = client.get(url(coded, "workbench"), {"code": coded.codes["Noise"].pk}).context["page"]
    large = client.get(url(coded, "workbench"), {"code": coded.codes["Noise"].pk, "per_page": 100}).context["page"]
    odd = client.get(url(coded, "workbench"), {"per_page": 7}).context["page"]
    assert (len(default), default.paginator.num_pages) == (24, 1) and len(large) == 24
    assert odd.paginator.per_page == 25


def test_a_lead_reuses_another_programs_codebook_in_the_browser(client, coded):
    from programs.models import Membership
    from tests.factories import ProgramFactory

    spring = ProgramFactory(slug="spring-2027")
    Membership.objects.create(program=spring, user=coded.team.lead, role="lead")
    login(client, coded.team.lead)
    client.post(reverse("codebook", kwargs={"slug": "spring-2027"}), {"action": "copy", "source": coded.team.program.pk})
    assert set(Code.objects.filter(program=spring).values_list("name", flat=True)) == set(coded.codes)


def test_workbench_filters_by_session_and_student_attributes(client, coded):
    login(client, coded.team.analyst)
    by_learner = client.get(url(coded, "workbench"), {"english_learner": "yes", "per_page": 100}).context["page"]
    assert by_learner.paginator.count == 6
    by_session = client.get(url(coded, "workbench"), {"session": coded.session.pk}).context["page"]
    assert by_session.paginator.count == 24
    assert client.get(url(coded, "workbench"), {"special_education": "yes"}).context["page"].paginator.count == 0


def test_a_quote_already_chosen_is_marked_in_use_not_offered_again(client, coded):
    from analysis.themes import add_quote, candidate_quotes

    for note in coded.notes[:3]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst)
    theme = Theme.objects.create(program=coded.team.program, name="Loud")
    theme.codes.add(coded.codes["Noise"])
    add_quote(theme, application=candidate_quotes(theme)[0])
    login(client, coded.team.analyst)
    page = client.get(reverse("theme_detail", args=[coded.team.program.slug, theme.pk])).content.decode()
    assert page.count("In use") == 1 and page.count(">Use</button>") == 2
