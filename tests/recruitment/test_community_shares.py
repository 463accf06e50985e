from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recruitment.community import BAD_PERCENT, OVER_100, UNKNOWN_CRITERION, import_community_shares
from recruitment.models import CommunityShare, Invitation, SamplePlan
from recruitment.selection import representativeness_of
from tests.factories import SchoolFactory, StudentFactory
from tests.test_helpers import login
from toolkit.tables import ImportRefused, read_table

HEADER = "Criterion,Category,Percent\n"


@pytest.fixture
def program(team):
    school = SchoolFactory()
    team.program.schools.add(school)
    for i in range(10):
        student = StudentFactory(school=school, english_learner=i < 2)
        Invitation.objects.create(program=team.program, student=student)
    return team.program


def table(text):
    return read_table(text.encode(), "community.csv")


def test_community_percentages_replace_the_roster_in_the_comparison(program):
    result = import_community_shares(program=program, table=table(HEADER + "English learner,Yes,40%\nenglish_learner,No,60\n"))
    assert result.saved == 2 and result.warnings == []
    SamplePlan.objects.create(program=program, criteria=["english_learner"], use_community_shares=True)
    yes = next(r for r in representativeness_of(program).tables[0].rows if r.category == "Yes")
    assert yes.population_percent == 40.0 and yes.sample_percent == 20.0 and yes.flagged


def test_a_category_unknown_to_the_roster_is_saved_with_a_warning(program):
    result = import_community_shares(program=program, table=table(HEADER + "Race/ethnicity,Hispanic/Latino,45\n"))
    assert result.saved == 1 and "Hispanic/Latino" in result.warnings[0]


def test_every_bad_row_is_listed_and_nothing_saved(program):
    text = HEADER + "Shoe size,Big,10\nGrade,Grade 9,abc\nGender,Female,70\nGender,Male,60\n"
    with pytest.raises(ImportRefused) as refusal:
        import_community_shares(program=program, table=table(text))
    messages = [e.message for e in refusal.value.errors]
    assert messages[0].startswith(UNKNOWN_CRITERION.format(value="Shoe size", known="")[:30])
    assert BAD_PERCENT.format(value="abc") in messages
    assert OVER_100.format(criterion="Gender", total=130) in messages
    assert not CommunityShare.objects.exists()


def test_multi_valued_criteria_may_add_up_to_more_than_100(program):
    assert import_community_shares(program=program, table=table(HEADER + "race_ethnicity,Asian,60\nrace_ethnicity,White,60\n")).saved == 2


def test_a_new_file_replaces_the_criteria_it_names(program):
    import_community_shares(program=program, table=table(HEADER + "Gender,Female,50\nGender,Male,50\nGrade,Grade 9,100\n"))
    import_community_shares(program=program, table=table(HEADER + "Gender,Female,52\n"))
    assert set(CommunityShare.objects.values_list("criterion", "category")) == {("gender", "Female"), ("grade", "Grade 9")}


def test_lead_imports_and_clears_in_the_browser(client, team, program):
    login(client, team.lead)
    url = reverse("community_shares", kwargs={"slug": program.slug})
    client.post(url, {"file": SimpleUploadedFile("c.csv", (HEADER + "Gender,Female,50\n").encode())})
    page = client.get(reverse("program_students", kwargs={"slug": program.slug})).content.decode()
    assert "<strong>Gender</strong>: Female 50%" in page
    client.post(url, {"action": "clear"})
    assert not CommunityShare.objects.exists()


def test_a_bad_file_shows_its_problems_on_the_page(client, team, program):
    login(client, team.lead)
    url = reverse("community_shares", kwargs={"slug": program.slug})
    page = client.post(url, {"file": SimpleUploadedFile("c.csv", (HEADER + "Gender,Female,150\n").encode())}).content.decode()
    assert "1 problem; nothing was saved." in page and "is not a percentage from 0 to 100" in page


@pytest.mark.parametrize("persona", ["facilitator", "analyst", "viewer"])
def test_only_leads_set_community_percentages(client, team, program, persona):
    login(client, getattr(team, persona))
    url = reverse("community_shares", kwargs={"slug": program.slug})
    assert client.post(url, {"action": "clear"}).status_code == 403


def test_lead_enters_one_percentage_by_hand(client, team, program):
    login(client, team.lead)
    url = reverse("community_shares", kwargs={"slug": program.slug})
    client.post(url, {"action": "enter", "criterion": "gender", "category": "Female", "percent": "51"})
    client.post(url, {"action": "enter", "criterion": "gender", "category": "Female", "percent": "49.5"})
    assert list(CommunityShare.objects.values_list("category", "percent")) == [("Female", Decimal("49.50"))]


def test_a_hand_entry_that_passes_100_percent_is_refused_and_kept(client, team, program):
    login(client, team.lead)
    url = reverse("community_shares", kwargs={"slug": program.slug})
    client.post(url, {"action": "enter", "criterion": "gender", "category": "Female", "percent": "60"})
    page = client.post(url, {"action": "enter", "criterion": "gender", "category": "Male", "percent": "55"}).content.decode()
    assert OVER_100.format(criterion="Gender", total=Decimal("115")) in page
    assert 'value="Male"' in page and 'value="55"' in page
    assert CommunityShare.objects.count() == 1


def test_a_hand_entry_outside_0_to_100_is_explained(client, team, program):
    login(client, team.lead)
    url = reverse("community_shares", kwargs={"slug": program.slug})
    page = client.post(url, {"action": "enter", "criterion": "gender", "category": "Female", "percent": "140"}).content.decode()
    assert "Enter a percentage from 0 to 100." in page and not CommunityShare.objects.exists()
