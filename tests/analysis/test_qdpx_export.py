"""The .qdpx export: valid against the REFI-QDA Project schema, every span at its characters, students as cases
with their criteria, themes as sets with memos, never a name, local id, withdrawn or erased words."""

from __future__ import annotations

import string

import pytest
import xmlschema
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.qdpx_export import GROUP_SPEAKER, export_project
from tests.analysis.qdpx_helpers import NS, SCHEMA, more_sessions, parts, project_program, project_xml, summary


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(SCHEMA)


def test_the_export_validates_against_the_refi_qda_project_schema(team, schema):
    project_program(team)
    export = export_project(team.program)
    schema.validate(parts(export.content)["project.qde"].decode())
    assert (export.sessions, export.cases, export.selections) == (2, 3, 7)


def test_a_program_with_nothing_yet_still_validates(team, schema):
    schema.validate(parts(export_project(team.program).content)["project.qde"].decode())


def test_every_selection_covers_the_coded_words_at_their_characters(team):
    project_program(team)
    spans = summary(export_project(team.program).content)["spans"]
    assert spans == {("Noise", "Lunch is so loud"): 1, ("Time", "Café time is too short 🍕"): 1,
                     ("Voice", "Nobody asks us what we think about the schedule."): 1,
                     ("Noise", "hallways feel crowded"): 1, ("Calm spaces", "art room, it is calm"): 1,
                     ("Belonging", "know my name"): 1, ("Time", "buses are late"): 1}


def test_sessions_are_speaker_labelled_texts_of_pseudonyms_and_the_group(team):
    project = project_program(team)
    files = parts(export_project(team.program).content)
    first = next(text.decode() for name, text in files.items() if name.startswith("Sources/")
                 and "Lunch" in text.decode())
    alice, bob = project.students[0].pseudonym, project.students[1].pseudonym
    assert first == (f"{alice}: {project.notes[0].text}\n\n{bob}: {project.notes[1].text}\n\n"
                     f"{GROUP_SPEAKER}: {project.notes[2].text}")


def test_categories_are_parents_that_cannot_be_coded_and_codes_carry_their_definition(team):
    project_program(team)
    root = project_xml(export_project(team.program).content)
    top = root.find(f"{NS}CodeBook/{NS}Codes").findall(f"{NS}Code")
    assert {code.get("isCodable") for code in top} == {"false"}
    noise = next(code for code in root.iter(f"{NS}Code") if code.get("name") == "Noise")
    assert noise.get("isCodable") == "true"
    assert noise.find(f"{NS}Description").text == "Students talk about Noise.\nExample: It is so loud."


def test_students_are_cases_with_their_criteria_and_links_to_their_words(team):
    project = project_program(team)
    root = project_xml(export_project(team.program).content)
    cases = {case.get("name"): case for case in root.iter(f"{NS}Case")}
    assert set(cases) == {student.pseudonym for student in project.students}
    first = summary(export_project(team.program).content)["cases"]
    assert ((("English learner", f"{NS}BooleanValue", "true"), ("GPA", f"{NS}FloatValue", "3.40"),
             ("Gender", f"{NS}TextValue", "Female"), ("Grade", f"{NS}TextValue", "9"),
             ("Home language", f"{NS}TextValue", "Spanish"),
             ("Race/ethnicity", f"{NS}TextValue", "Hispanic or Latino; White"),
             ("School", f"{NS}TextValue", "Ridgeview High"), ("Special education", f"{NS}BooleanValue", "false"),
             ("Years in program", f"{NS}IntegerValue", "2"), ("advisory", f"{NS}TextValue", "B-12"),
             ("foster_youth", f"{NS}BooleanValue", "true"))) in first
    kindergarten = cases[project.students[2].pseudonym]
    assert len(kindergarten.findall(f"{NS}SourceRef")) == 1 and len(kindergarten.findall(f"{NS}SelectionRef")) == 1
    assert len(cases[project.students[0].pseudonym].findall(f"{NS}SourceRef")) == 2


def test_themes_are_sets_of_their_codes_with_insight_and_root_causes_as_memos(team):
    project_program(team)
    found = summary(export_project(team.program).content)
    assert found["themes"] == {("Lunch is rushed and loud", ("Noise", "Time")), ("Being known", ("Belonging", "Voice"))}
    assert found["memos"] == {("Insight: Lunch is rushed and loud", "Lunch is not restful."),
                              ("Root causes: Lunch is rushed and loud", "One lunch period for 900 students.")}


def test_withdrawn_erased_observed_and_unfinished_words_stay_out(team):
    project = project_program(team)
    everything = b"".join(parts(export_project(team.program).content).values()).decode()
    assert project.withdrawn_words not in everything
    assert "Facilitator noticed" not in everything and "Not yet said" not in everything


def test_a_second_export_is_byte_for_byte_the_same(team):
    project_program(team)
    assert export_project(team.program).content == export_project(team.program).content


_NAMES = st.text(alphabet=string.ascii_letters, min_size=8, max_size=14).map(lambda s: "Zq" + s)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=_NAMES, last=_NAMES, local=st.text(alphabet=string.digits, min_size=6, max_size=9).map(lambda s: "ID" + s))
def test_no_name_or_local_id_appears_in_any_part(django_db_blocker, team, first, last, local):
    from django.db import transaction

    with transaction.atomic():
        project = project_program(team, first_names=(first, first + "b", first + "c"),
                                  last_names=(last, last + "b", last + "c"), local_ids=(local, local + "1", local + "2"))
        content = export_project(team.program).content
        for name, data in parts(content).items():
            text = data.decode().lower()
            for student in project.students:
                for secret in (student.first_name, student.last_name, student.local_id):
                    assert secret.lower() not in text, (name, secret)
        transaction.set_rollback(True)


def test_the_export_costs_the_same_queries_for_one_session_or_many(team):
    project_program(team)
    with CaptureQueriesContext(connection) as small:
        export_project(team.program)
    more_sessions(team, sessions=6)
    with CaptureQueriesContext(connection) as large:
        export = export_project(team.program)
    assert export.sessions == 8 and len(large) == len(small)


def test_characters_xml_cannot_carry_stay_in_the_source_file_and_out_of_the_xml(team, schema):
    project = project_program(team)
    note = project.notes[3]
    note.text = "I like the art room,\x0b it is calm\x01."
    note.save()
    content = export_project(team.program).content
    schema.validate(parts(content)["project.qde"].decode())
    assert any("\x0b it is calm\x01" in data.decode() for name, data in parts(content).items() if name.startswith("Sources/"))
    assert "\x0b" not in parts(content)["project.qde"].decode()
