"""The workbench's coding endpoints: code a span (page or htmx fragment), uncode, undo; bad input names its field."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from analysis.codebook import add_code, retire_code, seed_categories
from analysis.coding import RETIRED, apply_code, remove_coding
from analysis.forms.base import NOT_ONE_OF_THE_CHOICES
from analysis.models import CodeApplication
from tests.factories import ProgramFactory
from tests.test_helpers import login

HTMX = {"HX-Request": "true"}


def url(coded, name, **kwargs):
    return reverse(name, kwargs={"slug": coded.team.program.slug, **kwargs})


@pytest.fixture
def analyst(client, coded):
    login(client, coded.team.analyst)
    return coded


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_span_offset_that_is_not_a_number_is_refused_by_name_and_nothing_is_coded(client, analyst):
    response = client.post(url(analyst, "code_note"), {"note": analyst.notes[0].pk, "code": analyst.codes["Noise"].pk,
                                                       "start": "four", "end": "9"}, follow=True)
    assert "Start of the selected words: Enter a whole number." in text(response)
    assert not CodeApplication.objects.exists()


def test_with_htmx_a_refusal_comes_back_with_the_notes_codings(client, analyst):
    note = analyst.notes[0]
    response = client.post(url(analyst, "code_note"), {"note": note.pk, "code": analyst.codes["Noise"].pk, "start": "-1",
                                                       "end": "4"}, headers=HTMX)
    fragment = text(response)
    # 200, so that htmx swaps the codings in: it swaps no 4xx answer.
    assert response.status_code == 200 and "<html" not in fragment and f'id="codings-{note.pk}"' in fragment
    assert 'role="alert"' in fragment and "Start of the selected words: Ensure this value is greater than or equal to 0." in fragment
    # The card's form asks for its chips' list; a refusal takes the place of the note's whole codings instead.
    assert response.headers["HX-Retarget"] == f"#codings-{note.pk}" and response.headers["HX-Reswap"] == "outerHTML"
    assert not CodeApplication.objects.exists()


def test_with_htmx_a_new_coding_comes_back_as_its_chip_alone(client, analyst):
    note = analyst.notes[0]
    apply_code(note=note, code=analyst.codes["Time"], coder=analyst.team.lead)
    response = client.post(url(analyst, "code_note"), {"note": note.pk, "code": analyst.codes["Noise"].pk, "start": "0",
                                                       "end": "7", "selected": note.text[:7]}, headers=HTMX)
    coding = CodeApplication.objects.get(code=analyst.codes["Noise"])
    fragment = text(response)
    assert response.status_code == 200 and "HX-Retarget" not in response.headers
    assert fragment.count("<li") == 1 and f'id="coding-{coding.pk}" data-start="0"' in fragment
    assert "Remove Noise" in fragment and "Remove Time" not in fragment and f'id="codings-{note.pk}"' not in fragment
    assert reverse("uncode", kwargs={"slug": analyst.team.program.slug, "pk": coding.pk}) in fragment


def test_with_htmx_a_coding_already_there_comes_back_with_the_notes_codings(client, analyst):
    note = analyst.notes[0]
    data = {"note": note.pk, "code": analyst.codes["Noise"].pk}
    client.post(url(analyst, "code_note"), data, headers=HTMX)
    response = client.post(url(analyst, "code_note"), {**data, "stance": "challenge"}, headers=HTMX)
    fragment = text(response)
    assert response.headers["HX-Retarget"] == f"#codings-{note.pk}" and f'id="codings-{note.pk}"' in fragment
    assert fragment.count("Remove Noise") == 1 and "challenge" in fragment
    assert CodeApplication.objects.get().stance == "challenge"


def test_with_htmx_undo_answers_in_place_and_takes_the_chip_off(client, analyst):
    note = analyst.notes[0]
    coding = apply_code(note=note, code=analyst.codes["Noise"], coder=analyst.team.analyst)
    response = client.post(url(analyst, "undo_coding"), headers=HTMX)
    assert response.status_code == 200 and not CodeApplication.objects.exists()
    assert text(response) == (f"Undone: “Noise” on “{note.text[:60]}”."
                              f'<span hidden data-undone="coding-{coding.pk}"></span>')
    assert text(client.post(url(analyst, "undo_coding"), headers=HTMX)) == "Nothing to undo."
    # Said in place, not kept for the next page as a message.
    assert "Undone:" not in text(client.get(url(analyst, "workbench")))


def test_without_htmx_undo_goes_back_to_the_workbench_and_says_what_it_undid(client, analyst):
    apply_code(note=analyst.notes[0], code=analyst.codes["Noise"], coder=analyst.team.analyst)
    response = client.post(url(analyst, "undo_coding"), follow=True)
    assert response.redirect_chain[-1][0] == url(analyst, "workbench") and "Undone: “Noise” on" in text(response)
    assert not CodeApplication.objects.exists()


def test_a_code_of_another_program_is_refused_in_the_card(client, analyst):
    program = ProgramFactory(slug="other-program")
    foreign = add_code(program, category=seed_categories(program)[0], name="Foreign")
    response = client.post(url(analyst, "code_note"), {"note": analyst.notes[0].pk, "code": foreign.pk}, headers=HTMX)
    assert "Code: " + NOT_ONE_OF_THE_CHOICES % {"value": foreign.pk} in text(response)
    assert not CodeApplication.objects.exists()


def test_a_retired_code_is_refused_with_its_name(client, analyst):
    retire_code(analyst.codes["Noise"])
    response = client.post(url(analyst, "code_note"), {"note": analyst.notes[0].pk, "code": analyst.codes["Noise"].pk},
                           headers=HTMX)
    assert RETIRED.format(code="Noise") in text(response) and not CodeApplication.objects.exists()


def test_a_stance_that_is_not_one_of_the_kinds_is_refused(client, analyst):
    response = client.post(url(analyst, "code_note"), {"note": analyst.notes[0].pk, "code": analyst.codes["Noise"].pk,
                                                       "stance": "furious"}, headers=HTMX)
    assert "Kind: Select a valid choice." in text(response) and not CodeApplication.objects.exists()


def test_an_empty_span_codes_the_whole_note_as_neither(client, analyst):
    note = analyst.notes[0]
    client.post(url(analyst, "code_note"), {"note": note.pk, "code": analyst.codes["Noise"].pk, "start": "", "end": "",
                                            "stance": ""}, headers=HTMX)
    coding = CodeApplication.objects.get()
    assert (coding.start, coding.end, coding.snippet, coding.stance) == (0, len(note.text), note.text, "neither")


@pytest.mark.parametrize("note", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_a_note_that_is_not_this_programs_gets_400_from_htmx_and_a_message_from_the_page(client, analyst, note):
    data = {"note": note, "code": analyst.codes["Noise"].pk}
    assert client.post(url(analyst, "code_note"), data, headers=HTMX).status_code == 400
    page = client.post(url(analyst, "code_note"), data, follow=True)
    assert "Note: " + NOT_ONE_OF_THE_CHOICES % {"value": note} in text(page)
    assert not CodeApplication.objects.exists()


def test_uncoding_with_htmx_returns_the_notes_codings_without_it(client, analyst):
    coding = apply_code(note=analyst.notes[0], code=analyst.codes["Noise"], coder=analyst.team.analyst)
    apply_code(note=analyst.notes[0], code=analyst.codes["Time"], coder=analyst.team.analyst)
    fragment = text(client.post(url(analyst, "uncode", pk=coding.pk), headers=HTMX))
    assert f'id="codings-{analyst.notes[0].pk}"' in fragment and "Remove Noise" not in fragment and "Remove Time" in fragment
    assert list(CodeApplication.objects.values_list("code__name", flat=True)) == ["Time"]


def test_uncoding_another_programs_coding_is_404_and_keeps_it(client, analyst, team):
    from programs.models import Membership, Role

    program = ProgramFactory(slug="other-program")
    Membership.objects.create(program=program, user=analyst.team.lead, role=Role.LEAD)
    coding = apply_code(note=analyst.notes[0], code=analyst.codes["Noise"], coder=analyst.team.analyst)
    login(client, analyst.team.lead)
    other_url = reverse("uncode", kwargs={"slug": program.slug, "pk": coding.pk})
    assert client.post(other_url).status_code == 404 and CodeApplication.objects.filter(pk=coding.pk).exists()


@pytest.mark.parametrize("code", ["", "x"])
def test_a_note_coded_in_one_program_is_not_shown_through_another(client, analyst, code):
    """Right after this program's note is coded (its form read the note), a person of another program who sends
    that note's id to their own program's coding, with no code to pair it with, is refused and shown nothing."""
    from programs.models import Membership, Role

    note = analyst.notes[0]
    client.post(url(analyst, "code_note"), {"note": note.pk, "code": analyst.codes["Noise"].pk}, headers=HTMX)
    program = ProgramFactory(slug="other-program")
    outsider = analyst.team.viewer
    Membership.objects.filter(user=outsider).delete()
    Membership.objects.create(program=program, user=outsider, role=Role.ANALYST)
    login(client, outsider)
    response = client.post(reverse("code_note", kwargs={"slug": program.slug}), {"note": note.pk, "code": code},
                           headers=HTMX)
    assert response.status_code == 400 and "Remove Noise" not in text(response) and note.text not in text(response)


def test_remove_coding_takes_one_coding_off_its_note(coded):
    keep = apply_code(note=coded.notes[0], code=coded.codes["Time"], coder=coded.team.analyst)
    gone = apply_code(note=coded.notes[0], code=coded.codes["Noise"], coder=coded.team.analyst)
    remove_coding(application=gone)
    assert list(CodeApplication.objects.values_list("pk", flat=True)) == [keep.pk]


def test_undo_with_nothing_to_undo_says_so(client, analyst):
    assert "Nothing to undo." in text(client.post(url(analyst, "undo_coding"), follow=True))


@pytest.mark.parametrize(("asked", "size"), [("100", 100), ("500", 500), ("7", 25), ("lots", 25), ("", 25)])
def test_the_page_size_is_one_of_the_offered_sizes(client, analyst, asked, size):
    assert client.get(url(analyst, "workbench"), {"per_page": asked}).context["page"].paginator.per_page == size
