"""The codebook page: each of its nine changes, with what it writes and how bad input is refused."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from analysis.codebook import CODE_NEEDS_NAME, NAME_TAKEN, SAME_CODE, add_code, seed_categories
from analysis.coding import apply_code
from analysis.forms.base import NOT_ONE_OF_THE_CHOICES, UNKNOWN_CHANGE
from analysis.forms.codebook import CATEGORY_NEEDS_NAME, CHOOSE_A_FILE, COPY_FROM_YOUR_PROGRAMS
from analysis.models import Category, Code, CodeApplication
from analysis.qdc import NOT_A_CODEBOOK
from analysis.views.codebook import CHANGES
from programs.models import Membership, Role
from tests.factories import ProgramFactory
from tests.test_helpers import login
from toolkit.tables import NOT_UTF8


@pytest.fixture
def analyst(client, coded):
    login(client, coded.team.analyst)
    return coded


@pytest.fixture
def elsewhere(db):
    """Another program's category and code, whose ids this program's page must refuse."""
    program = ProgramFactory(slug="elsewhere-program")
    category = seed_categories(program)[0]
    return category, add_code(program, category=category, name="Foreign")


def post(client, coded, data):
    return client.post(reverse("codebook", kwargs={"slug": coded.team.program.slug}), data)


def text(response) -> str:
    return html.unescape(response.content.decode())


def refused(field: str, value) -> str:
    return f"{field}: " + NOT_ONE_OF_THE_CHOICES % {"value": value}


def snapshot(coded) -> list:
    program = coded.team.program
    return [list(Category.objects.filter(program=program).values_list("pk", "name")),
            list(Code.objects.filter(program=program).order_by("pk").values_list("pk", "name", "category", "retired"))]


def test_the_page_makes_exactly_nine_changes():
    assert set(CHANGES) == {"add_category", "add_code", "rename", "move", "retire", "restore", "merge", "copy", "import"}


def test_adding_a_category(client, analyst):
    assert post(client, analyst, {"action": "add_category", "name": "Families"}).status_code == 302
    assert Category.objects.filter(program=analyst.team.program, name="Families").exists()


def test_a_category_without_a_name_is_refused_with_a_message_naming_the_field(client, analyst):
    before = snapshot(analyst)
    response = post(client, analyst, {"action": "add_category", "name": "  "})
    assert response.status_code == 400 and f"Category name: {CATEGORY_NEEDS_NAME}" in text(response)
    assert snapshot(analyst) == before


def test_adding_a_code(client, analyst):
    category = analyst.codes["Noise"].category
    post(client, analyst, {"action": "add_code", "category": category.pk, "name": "Crowding", "definition": "Too many"})
    assert Code.objects.get(name="Crowding").category == category


@pytest.mark.parametrize("category", ["lunch", "foreign"])
def test_a_code_in_a_category_that_is_not_this_programs_is_refused_and_keeps_what_was_typed(client, analyst, elsewhere,
                                                                                              category):
    value = elsewhere[0].pk if category == "foreign" else category
    before = snapshot(analyst)
    response = post(client, analyst, {"action": "add_code", "category": value, "name": "Crowding",
                                      "definition": "Too many in one room"})
    page = text(response)
    assert response.status_code == 400 and refused("Category", value) in page
    assert 'value="Crowding"' in page and "Too many in one room</textarea>" in page
    assert snapshot(analyst) == before


def test_a_code_without_a_name_is_refused(client, analyst):
    response = post(client, analyst, {"action": "add_code", "category": analyst.codes["Noise"].category_id, "name": ""})
    assert f"Name: {CODE_NEEDS_NAME}" in text(response)


def test_renaming_a_code(client, analyst):
    post(client, analyst, {"action": "rename", "code": analyst.codes["Noise"].pk, "name": "Loudness"})
    assert Code.objects.get(pk=analyst.codes["Noise"].pk).name == "Loudness"


def test_renaming_to_a_name_in_use_is_refused_and_the_typed_name_stays_in_its_field(client, analyst):
    time = analyst.codes["Time"]
    response = post(client, analyst, {"action": "rename", "code": time.pk, "name": "noise"})
    page = text(response)
    assert response.status_code == 400 and NAME_TAKEN.format(name="noise") in page
    assert f'id="rename-{time.pk}" name="name" value="noise"' in page
    assert Code.objects.get(pk=time.pk).name == "Time"


def test_renaming_to_nothing_is_refused(client, analyst):
    response = post(client, analyst, {"action": "rename", "code": analyst.codes["Time"].pk, "name": " "})
    assert f"New name: {CODE_NEEDS_NAME}" in text(response) and Code.objects.filter(name="Time").exists()


def test_moving_a_code_to_another_category(client, analyst):
    noise = analyst.codes["Noise"]
    other = Category.objects.filter(program=analyst.team.program).exclude(pk=noise.category_id).first()
    post(client, analyst, {"action": "move", "code": noise.pk, "category": other.pk})
    assert Code.objects.get(pk=noise.pk).category == other


def test_moving_a_code_into_another_programs_category_is_refused(client, analyst, elsewhere):
    before = snapshot(analyst)
    response = post(client, analyst, {"action": "move", "code": analyst.codes["Noise"].pk, "category": elsewhere[0].pk})
    assert refused("Category", elsewhere[0].pk) in text(response) and snapshot(analyst) == before


def test_retiring_and_bringing_back_a_code(client, analyst):
    noise = analyst.codes["Noise"]
    post(client, analyst, {"action": "retire", "code": noise.pk})
    assert Code.objects.get(pk=noise.pk).retired
    post(client, analyst, {"action": "restore", "code": noise.pk})
    assert not Code.objects.get(pk=noise.pk).retired


@pytest.mark.parametrize("action", ["retire", "restore", "rename", "move"])
@pytest.mark.parametrize("code", ["noise", "foreign"])
def test_changing_a_code_that_is_not_this_programs_is_refused(client, analyst, elsewhere, action, code):
    value = elsewhere[1].pk if code == "foreign" else code
    response = post(client, analyst, {"action": action, "code": value, "name": "Taken over",
                                      "category": analyst.codes["Noise"].category_id})
    assert response.status_code == 400 and refused("Code", value) in text(response)
    assert Code.objects.get(pk=elsewhere[1].pk).name == "Foreign" and not Code.objects.get(pk=elsewhere[1].pk).retired


def test_merging_says_what_moved(client, analyst):
    apply_code(note=analyst.notes[0], code=analyst.codes["Time"], coder=analyst.team.analyst)
    response = client.post(reverse("codebook", kwargs={"slug": analyst.team.program.slug}),
                           {"action": "merge", "source": analyst.codes["Time"].pk, "target": analyst.codes["Noise"].pk},
                           follow=True)
    assert "“Time” merged into “Noise”; every coding moved." in text(response)
    assert CodeApplication.objects.get().code == analyst.codes["Noise"]


def test_merging_a_code_into_itself_is_refused(client, analyst):
    noise = analyst.codes["Noise"]
    before = snapshot(analyst)
    response = post(client, analyst, {"action": "merge", "source": noise.pk, "target": noise.pk})
    assert response.status_code == 400 and str(SAME_CODE) in text(response) and snapshot(analyst) == before


def test_merging_into_another_programs_code_is_refused(client, analyst, elsewhere):
    before = snapshot(analyst)
    response = post(client, analyst, {"action": "merge", "source": analyst.codes["Time"].pk, "target": elsewhere[1].pk})
    assert refused("into", elsewhere[1].pk) in text(response) and snapshot(analyst) == before


def test_copying_a_codebook_from_a_program_you_are_not_on_is_refused(client, analyst, elsewhere):
    before = snapshot(analyst)
    response = post(client, analyst, {"action": "copy", "source": elsewhere[0].program_id})
    assert response.status_code == 400 and f"Program: {COPY_FROM_YOUR_PROGRAMS}" in text(response)
    assert snapshot(analyst) == before and not Code.objects.filter(program=analyst.team.program, name="Foreign").exists()


def test_copying_a_codebook_from_the_same_program_is_refused(client, analyst):
    response = post(client, analyst, {"action": "copy", "source": analyst.team.program.pk})
    assert f"Program: {COPY_FROM_YOUR_PROGRAMS}" in text(response)


def test_copying_from_a_program_you_are_on_says_how_many_codes_came(client, analyst, elsewhere):
    Membership.objects.create(program=elsewhere[0].program, user=analyst.team.analyst, role=Role.ANALYST)
    response = client.post(reverse("codebook", kwargs={"slug": analyst.team.program.slug}),
                           {"action": "copy", "source": elsewhere[0].program_id}, follow=True)
    assert "1 code copied from" in text(response)
    assert Code.objects.filter(program=analyst.team.program, name="Foreign").exists()


def test_importing_a_csv_codebook(client, analyst):
    upload = SimpleUploadedFile("book.csv", b"category,code,definition,example\nFamilies,Siblings,,\n")
    response = client.post(reverse("codebook", kwargs={"slug": analyst.team.program.slug}),
                           {"action": "import", "file": upload}, follow=True)
    assert "1 code added from the file." in text(response)
    assert Code.objects.get(program=analyst.team.program, name="Siblings").category.name == "Families"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("book.csv", "category,code\nCafé,Bruit\n".encode("latin-1"), NOT_UTF8),
    ("book.qdc", b"not a codebook", NOT_A_CODEBOOK),
    ("book.csv", b"category,code\nFamilies,\n", "Row 2: the code name is empty."),
])
def test_a_file_that_cannot_be_imported_is_refused_and_nothing_is_added(client, analyst, name, content, message):
    before = snapshot(analyst)
    response = post(client, analyst, {"action": "import", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400 and str(message) in text(response) and snapshot(analyst) == before


def test_importing_without_a_file_asks_for_one(client, analyst):
    response = post(client, analyst, {"action": "import"})
    assert f"Codebook file (.csv or .qdc): {CHOOSE_A_FILE}" in text(response)


def test_a_file_above_the_upload_limit_is_refused_before_it_is_read(client, analyst, settings):
    settings.UPLOAD_MAX_MEGABYTES = 0
    before = snapshot(analyst)
    response = post(client, analyst, {"action": "import", "file": SimpleUploadedFile("book.csv", b"category,code\nA,B\n")})
    assert response.status_code == 400 and "UPLOAD_MAX_MEGABYTES" in text(response) and snapshot(analyst) == before


@pytest.mark.parametrize("action", ["", "delete_everything"])
def test_a_change_the_page_does_not_make_is_refused(client, analyst, action):
    before = snapshot(analyst)
    response = post(client, analyst, {"action": action, "code": analyst.codes["Noise"].pk})
    assert response.status_code == 400 and str(UNKNOWN_CHANGE) in text(response) and snapshot(analyst) == before


def test_viewers_cannot_change_the_codebook(client, coded):
    login(client, coded.team.viewer)
    assert post(client, coded, {"action": "add_category", "name": "Families"}).status_code == 403
    assert not Category.objects.filter(name="Families").exists()
